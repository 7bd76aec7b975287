package org.rankcoding.nn;

/**
 * A slow, direct implementation of the convolutional front end for the tests, written from the definition
 * (PyTorch's {@code Conv2d(1, C, K, padding=K/2)}, {@code MaxPool2d(P)}, {@code ReLU}, {@code flatten}), sharing no
 * code with {@link ConvFrontEnd}: every output pixel sums its kernel window over the input, with zeros outside the
 * image; every pooled value is the maximum of its window (the first maximum in row-major window order where several
 * are equal, as PyTorch picks); features are ordered channel, pooled row, pooled column.
 */
public final class ConvReference {

    private ConvReference() {
    }

    /** The input pixel {@code (y, x)} of the image at {@code img[off ..]}, 0 outside the image. */
    private static double pixel(ConvFrontEndConfig c, double[] img, int off, int y, int x) {
        if (y < 0 || y >= c.height() || x < 0 || x >= c.width()) {
            return 0.0;
        }
        return img[off + y * c.width() + x];
    }

    /** The pre-activation map {@code [channel][y][x]} of one image ({@code w}: {@code C x K*K} row-major, {@code b}: {@code C}). */
    public static double[][][] convolve(ConvFrontEndConfig c, double[] w, double[] b, double[] img, int off) {
        int k = c.kernel();
        int r = k / 2;
        double[][][] a = new double[c.channels()][c.height()][c.width()];
        for (int ch = 0; ch < c.channels(); ch++) {
            for (int y = 0; y < c.height(); y++) {
                for (int x = 0; x < c.width(); x++) {
                    double s = b[ch];
                    for (int ky = 0; ky < k; ky++) {
                        for (int kx = 0; kx < k; kx++) {
                            s += w[ch * k * k + ky * k + kx] * pixel(c, img, off, y + ky - r, x + kx - r);
                        }
                    }
                    a[ch][y][x] = s;
                }
            }
        }
        return a;
    }

    /** Index of feature {@code (channel, py, px)} in PyTorch's flatten order. */
    public static int feature(ConvFrontEndConfig c, int ch, int py, int px) {
        return (ch * c.pooledHeight() + py) * c.pooledWidth() + px;
    }

    /**
     * The features of one image, and in {@code argmaxOut} (if not null, {@code outputSize} long) each feature's
     * winning position {@code y * width + x}, or -1 where the ReLU gives 0.
     */
    public static double[] forward(ConvFrontEndConfig c, double[] w, double[] b, double[] img, int off, int[] argmaxOut) {
        double[][][] a = convolve(c, w, b, img, off);
        int p = c.pool();
        double[] out = new double[c.outputSize()];
        for (int ch = 0; ch < c.channels(); ch++) {
            for (int py = 0; py < c.height() / p; py++) {
                for (int px = 0; px < c.width() / p; px++) {
                    double best = Double.NEGATIVE_INFINITY;
                    int at = -1;
                    for (int dy = 0; dy < p; dy++) {
                        for (int dx = 0; dx < p; dx++) {
                            int y = py * p + dy;
                            int x = px * p + dx;
                            if (a[ch][y][x] > best) {
                                best = a[ch][y][x];
                                at = y * c.width() + x;
                            }
                        }
                    }
                    int f = feature(c, ch, py, px);
                    out[f] = Math.max(0.0, best);
                    if (argmaxOut != null) {
                        argmaxOut[f] = best > 0 ? at : -1;
                    }
                }
            }
        }
        return out;
    }

    /**
     * Adds to {@code gW} ({@code C x K*K}) and {@code gB} ({@code C}) the gradient of {@code sum_f dOut[f] * feature_f}
     * for one image, by the chain rule written out: a feature that passed the ReLU carries its gradient to its
     * pooling winner {@code (y, x)} only, whose pre-activation has derivative 1 in the bias and
     * {@code in(y + ky - r, x + kx - r)} in weight {@code (ky, kx)}.
     */
    public static void backward(ConvFrontEndConfig c, double[] w, double[] b, double[] img, int off, double[] dOut, int dOff,
                                double[] gW, double[] gB) {
        int[] winner = new int[c.outputSize()];
        forward(c, w, b, img, off, winner);
        int k = c.kernel();
        int r = k / 2;
        for (int ch = 0; ch < c.channels(); ch++) {
            for (int py = 0; py < c.pooledHeight(); py++) {
                for (int px = 0; px < c.pooledWidth(); px++) {
                    int f = feature(c, ch, py, px);
                    if (winner[f] < 0) {
                        continue;
                    }
                    double g = dOut[dOff + f];
                    int y = winner[f] / c.width();
                    int x = winner[f] % c.width();
                    gB[ch] += g;
                    for (int ky = 0; ky < k; ky++) {
                        for (int kx = 0; kx < k; kx++) {
                            gW[ch * k * k + ky * k + kx] += g * pixel(c, img, off, y + ky - r, x + kx - r);
                        }
                    }
                }
            }
        }
    }

    /**
     * The features of one image through both stages of a two-stage front end: stage 1 as {@link #forward} (pooled
     * map {@code [c][py][px]}), then {@code a2[d][y][x] = b2[d] + sum_{c,ky,kx} w2[d][c][ky][kx] * f1[c][y+ky-r][x+kx-r]}
     * with {@code w2} flat in PyTorch's order {@code ((d * C + c) * K + ky) * K + kx} and zeros outside the map, then
     * max-pool and ReLU, flattened channel, pooled row, pooled column. {@code argmaxOut} (if not null) receives each
     * feature's winning position {@code y * w1 + x} on the first stage's pooled map, or -1 where the ReLU gives 0.
     */
    public static double[] forwardTwoStages(ConvFrontEndConfig c, double[] w, double[] b, double[] w2, double[] b2,
                                            double[] img, int off, int[] argmaxOut) {
        ConvFrontEndConfig one = ConvFrontEndConfig.conv(c.channels(), c.kernel(), c.pool(), c.height(), c.width());
        double[] f1 = forward(one, w, b, img, off, null);
        int h1 = one.pooledHeight();
        int w1 = one.pooledWidth();
        int k = c.kernel();
        int r = k / 2;
        int p = c.pool();
        double[] out = new double[c.outputSize()];
        for (int d = 0; d < c.channels2(); d++) {
            double[][] a = new double[h1][w1];
            for (int y = 0; y < h1; y++) {
                for (int x = 0; x < w1; x++) {
                    double s = b2[d];
                    for (int ch = 0; ch < c.channels(); ch++) {
                        for (int ky = 0; ky < k; ky++) {
                            for (int kx = 0; kx < k; kx++) {
                                int sy = y + ky - r;
                                int sx = x + kx - r;
                                if (sy >= 0 && sy < h1 && sx >= 0 && sx < w1) {
                                    s += w2[((d * c.channels() + ch) * k + ky) * k + kx] * f1[feature(one, ch, sy, sx)];
                                }
                            }
                        }
                    }
                    a[y][x] = s;
                }
            }
            for (int py = 0; py < h1 / p; py++) {
                for (int px = 0; px < w1 / p; px++) {
                    double best = Double.NEGATIVE_INFINITY;
                    int at = -1;
                    for (int dy = 0; dy < p; dy++) {
                        for (int dx = 0; dx < p; dx++) {
                            if (a[py * p + dy][px * p + dx] > best) {
                                best = a[py * p + dy][px * p + dx];
                                at = (py * p + dy) * w1 + px * p + dx;
                            }
                        }
                    }
                    int f = (d * (h1 / p) + py) * (w1 / p) + px;
                    out[f] = Math.max(0.0, best);
                    if (argmaxOut != null) {
                        argmaxOut[f] = best > 0 ? at : -1;
                    }
                }
            }
        }
        return out;
    }
}
