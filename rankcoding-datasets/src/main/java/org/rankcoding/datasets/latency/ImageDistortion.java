package org.rankcoding.datasets.latency;

import java.util.random.RandomGenerator;

/**
 * Random distortions of grey-scale training images (data augmentation): a random integer shift and, optionally,
 * an elastic distortion (Simard, Steinkraus and Platt, 2003): a random displacement field, uniform in
 * {@code [-1, 1]} per pixel and axis, smoothed by a Gaussian of standard deviation {@code sigma} pixels and scaled
 * by {@code alpha} pixels; the image is resampled bilinearly at the displaced positions (outside is background 0).
 *
 * <p>Used by {@link LatencyCodedImages#withTrainingDistortion(ImageDistortion)}: training batches get a fresh
 * distortion per image drawn from the trainer's generator (so a seed reproduces a run, and a resumed run draws
 * the same distortions), evaluation batches are never distorted.
 *
 * <p>An instance keeps scratch arrays for one image size: not thread-safe; each source has its own.
 */
public final class ImageDistortion {

    private final int maxShift;
    private final double alpha;
    private final double sigma;
    private final double[] kernel;
    private int rows = -1;
    private int cols = -1;
    private double[] dx;
    private double[] dy;
    private double[] tmp;

    /**
     * @param maxShift largest shift in pixels along each axis, drawn uniformly from {@code [-maxShift, maxShift]}; 0 for none
     * @param alpha    elastic displacement scale in pixels (0 for no elastic distortion)
     * @param sigma    smoothing of the displacement field in pixels; ignored when {@code alpha == 0}, else {@code > 0}
     * @throws IllegalArgumentException for a negative shift, a negative or non-finite alpha, or a non-positive sigma
     *                                  with a positive alpha
     */
    public ImageDistortion(int maxShift, double alpha, double sigma) {
        if (maxShift < 0) {
            throw new IllegalArgumentException("maxShift = " + maxShift + ", expected >= 0 pixels");
        }
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("alpha = " + alpha + ", expected a finite value >= 0 pixels (0 for no elastic distortion)");
        }
        if (alpha > 0 && (!(sigma > 0) || Double.isInfinite(sigma))) {
            throw new IllegalArgumentException("sigma = " + sigma + ", expected a finite value > 0 pixels for an elastic distortion (alpha = " + alpha + ")");
        }
        this.maxShift = maxShift;
        this.alpha = alpha;
        this.sigma = sigma;
        this.kernel = alpha > 0 ? gaussian(sigma) : new double[0];
    }

    /** Shifts only: up to {@code maxShift} pixels along each axis. */
    public static ImageDistortion shift(int maxShift) {
        return new ImageDistortion(maxShift, 0, 0);
    }

    /** Largest shift in pixels. */
    public int maxShift() {
        return maxShift;
    }

    /** Elastic displacement scale in pixels (0: none). */
    public double alpha() {
        return alpha;
    }

    /** Smoothing of the displacement field in pixels. */
    public double sigma() {
        return sigma;
    }

    /** Whether this distortion changes anything at all. */
    public boolean isIdentity() {
        return maxShift == 0 && alpha == 0;
    }

    /**
     * Writes a distorted copy of one image.
     *
     * @param src    source pixels, image at {@code srcOff}, {@code rows * cols} unsigned bytes row-major
     * @param dst    destination, written at {@code dstOff}
     * @param rng    the generator the distortion is drawn from
     */
    public void apply(byte[] src, int srcOff, int rows, int cols, byte[] dst, int dstOff, RandomGenerator rng) {
        int sy = maxShift == 0 ? 0 : rng.nextInt(2 * maxShift + 1) - maxShift;
        int sx = maxShift == 0 ? 0 : rng.nextInt(2 * maxShift + 1) - maxShift;
        if (alpha == 0) {
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    int rr = r - sy;
                    int cc = c - sx;
                    dst[dstOff + r * cols + c] = rr < 0 || rr >= rows || cc < 0 || cc >= cols ? 0 : src[srcOff + rr * cols + cc];
                }
            }
            return;
        }
        ensureScratch(rows, cols);
        field(dx, rows, cols, rng);
        field(dy, rows, cols, rng);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int p = r * cols + c;
                double y = r - sy + dy[p];
                double x = c - sx + dx[p];
                dst[dstOff + p] = (byte) Math.round(bilinear(src, srcOff, rows, cols, y, x));
            }
        }
    }

    /** A displacement field: uniform noise, smoothed (separable Gaussian, zero outside), scaled by alpha. */
    private void field(double[] f, int rows, int cols, RandomGenerator rng) {
        for (int p = 0; p < f.length; p++) {
            f[p] = 2 * rng.nextDouble() - 1;
        }
        int k = kernel.length / 2;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double s = 0;
                for (int j = -k; j <= k; j++) {
                    int cc = c + j;
                    if (cc >= 0 && cc < cols) {
                        s += kernel[j + k] * f[r * cols + cc];
                    }
                }
                tmp[r * cols + c] = s;
            }
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double s = 0;
                for (int j = -k; j <= k; j++) {
                    int rr = r + j;
                    if (rr >= 0 && rr < rows) {
                        s += kernel[j + k] * tmp[rr * cols + c];
                    }
                }
                f[r * cols + c] = alpha * s;
            }
        }
    }

    /** Bilinear interpolation of the image at {@code (y, x)}, background 0 outside. */
    static double bilinear(byte[] src, int off, int rows, int cols, double y, double x) {
        int y0 = (int) Math.floor(y);
        int x0 = (int) Math.floor(x);
        double fy = y - y0;
        double fx = x - x0;
        double v00 = at(src, off, rows, cols, y0, x0);
        double v01 = at(src, off, rows, cols, y0, x0 + 1);
        double v10 = at(src, off, rows, cols, y0 + 1, x0);
        double v11 = at(src, off, rows, cols, y0 + 1, x0 + 1);
        double v = (1 - fy) * ((1 - fx) * v00 + fx * v01) + fy * ((1 - fx) * v10 + fx * v11);
        return Math.min(255, Math.max(0, v));
    }

    private static double at(byte[] src, int off, int rows, int cols, int r, int c) {
        return r < 0 || r >= rows || c < 0 || c >= cols ? 0 : src[off + r * cols + c] & 0xFF;
    }

    /** A normalized Gaussian kernel truncated at 3 sigma (at least 3 taps). */
    private static double[] gaussian(double sigma) {
        int k = Math.max(1, (int) Math.ceil(3 * sigma));
        double[] g = new double[2 * k + 1];
        double sum = 0;
        for (int j = -k; j <= k; j++) {
            g[j + k] = Math.exp(-0.5 * j * j / (sigma * sigma));
            sum += g[j + k];
        }
        for (int j = 0; j < g.length; j++) {
            g[j] /= sum;
        }
        return g;
    }

    private void ensureScratch(int rows, int cols) {
        if (rows != this.rows || cols != this.cols) {
            this.rows = rows;
            this.cols = cols;
            dx = new double[rows * cols];
            dy = new double[rows * cols];
            tmp = new double[rows * cols];
        }
    }

    @Override
    public String toString() {
        return "ImageDistortion[shift <= " + maxShift + (alpha > 0 ? ", elastic alpha " + alpha + " sigma " + sigma : "") + "]";
    }
}
