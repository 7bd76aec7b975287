package org.rankcoding.kernel;

/**
 * Conversions between the row-major layouts of a matrix: the parameters' layout (PyTorch's) and the transposed
 * layout the kernels read. Plain loops, used when weights are prepared or gradients written out, never per step.
 */
public final class Layouts {

    private Layouts() {
    }

    /**
     * Writes the transpose of the row-major {@code rows x cols} matrix {@code src} into {@code dst} as a row-major
     * {@code cols x rows} matrix: {@code dst[c * rows + r] = src[r * cols + c]}.
     *
     * @param src  at least {@code rows * cols} values (read)
     * @param rows rows of {@code src}
     * @param cols columns of {@code src}
     * @param dst  at least {@code rows * cols} values (overwritten there); must not be {@code src}
     */
    public static void transpose(double[] src, int rows, int cols, double[] dst) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                dst[c * rows + r] = src[r * cols + c];
            }
        }
    }
}
