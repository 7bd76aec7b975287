package org.rankcoding.datasets.idx;

import java.util.Arrays;

/**
 * A stack of grey-scale images as stored in an IDX image file: {@code count} images of {@code rows x cols}
 * unsigned-byte pixels (0 = background, 255 = full ink for MNIST).
 *
 * <p>Pixel {@code (r, c)} of image {@code i} is {@code pixels[(i * rows + r) * cols + c] & 0xFF}. The
 * pixels stay bytes (47 MB for the MNIST training set, a quarter of floats); {@link #intensities(int)} turns
 * one image into intensities in {@code [0, 1]}, {@code v = p / 255}, the input of a latency code.
 *
 * @param count  number of images, at least 1
 * @param rows   rows per image, at least 1
 * @param cols   columns per image, at least 1
 * @param pixels the pixels, length {@code count * rows * cols}, read as unsigned; not copied: ownership passes to
 *               the record, and callers must treat {@link #pixels()} as read only
 */
public record IdxImages(int count, int rows, int cols, byte[] pixels) {

    /**
     * Validates the shape.
     *
     * @throws IllegalArgumentException for a non-positive size or a pixel array of the wrong length
     */
    public IdxImages {
        if (count < 1 || rows < 1 || cols < 1) {
            throw new IllegalArgumentException("images are " + count + " x " + rows + " x " + cols + ", expected every size >= 1");
        }
        long expected = (long) count * rows * cols;
        if (pixels == null || pixels.length != expected) {
            throw new IllegalArgumentException("pixels has " + (pixels == null ? "null" : pixels.length + " values") + ", expected count x rows x cols = "
                    + count + " x " + rows + " x " + cols + " = " + expected);
        }
    }

    /** Pixels per image, {@code rows * cols}: the input size of a latency-coded image. */
    public int pixelsPerImage() {
        return rows * cols;
    }

    /**
     * Pixel {@code (r, c)} of image {@code i}, in {@code [0, 255]}.
     *
     * @throws IndexOutOfBoundsException for an index out of range
     */
    public int pixel(int i, int r, int c) {
        if (i < 0 || i >= count || r < 0 || r >= rows || c < 0 || c >= cols) {
            throw new IndexOutOfBoundsException("pixel (" + i + ", " + r + ", " + c + ") of " + count + " images of " + rows + " x " + cols);
        }
        return pixels[(i * rows + r) * cols + c] & 0xFF;
    }

    /**
     * Image {@code i} as intensities {@code p / 255} in {@code [0, 1]}, row-major.
     *
     * @return a new array of length {@link #pixelsPerImage()}, owned by the caller
     */
    public double[] intensities(int i) {
        double[] out = new double[pixelsPerImage()];
        intensities(i, out, 0);
        return out;
    }

    /**
     * Writes image {@code i} as intensities {@code p / 255} in {@code [0, 1]}, row-major, into
     * {@code out[off ... off + pixelsPerImage())} (the allocation-free form of {@link #intensities(int)}).
     *
     * @param out modified
     * @throws IndexOutOfBoundsException for an image index or an output range out of bounds
     */
    public void intensities(int i, double[] out, int off) {
        int size = pixelsPerImage();
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("image " + i + ", expected in [0, " + count + ")");
        }
        if (off < 0 || off + size > out.length) {
            throw new IndexOutOfBoundsException("output range [" + off + ", " + (off + size) + ") outside an array of " + out.length);
        }
        int base = i * size;
        for (int j = 0; j < size; j++) {
            out[off + j] = (pixels[base + j] & 0xFF) / 255.0;
        }
    }

    /** Equal when the shapes and all pixels are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof IdxImages other && count == other.count && rows == other.rows && cols == other.cols
                && Arrays.equals(pixels, other.pixels);
    }

    @Override
    public int hashCode() {
        return ((count * 31 + rows) * 31 + cols) * 31 + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "IdxImages[" + count + " x " + rows + " x " + cols + "]";
    }
}
