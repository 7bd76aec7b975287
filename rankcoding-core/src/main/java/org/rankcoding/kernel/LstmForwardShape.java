package org.rankcoding.kernel;

import java.util.Objects;

/**
 * The argument checks of {@link MatrixKernels#lstmForward}, shared by its default and the implementations that
 * override it (so that every implementation rejects the same arguments with the same messages).
 */
public final class LstmForwardShape {

    private LstmForwardShape() {
    }

    /**
     * Checks the arrays of {@link MatrixKernels#lstmForward} for null (all it takes; {@code hPrev} and {@code cPrev} may be null and are not passed) and
     * the shapes of {@code stacked} and {@code bias}; returns the hidden size {@code stacked.cols() / 4}.
     *
     * @return the hidden size
     * @throws NullPointerException     naming the first null array
     * @throws IllegalArgumentException as {@link MatrixKernels#lstmForward} documents
     */
    public static int hidden(double[] bias, double[] x, PreparedMatrix stacked, double[] gates, double[] c,
                             double[] tanhC, double[] h) {
        Objects.requireNonNull(bias, "bias is null");
        Objects.requireNonNull(x, "x is null");
        Objects.requireNonNull(stacked, "stacked is null");
        Objects.requireNonNull(gates, "gates is null");
        Objects.requireNonNull(c, "c is null");
        Objects.requireNonNull(tanhC, "tanhC is null");
        Objects.requireNonNull(h, "h is null");
        int cols = stacked.cols();
        if (cols % 4 != 0) {
            throw new IllegalArgumentException("the stacked weights have " + cols
                    + " columns, expected 4 x the hidden size (the gates i, f, g, o)");
        }
        int hidden = cols / 4;
        if (stacked.rows() < hidden) {
            throw new IllegalArgumentException("the stacked weights have " + stacked.rows() + " rows, expected at least "
                    + hidden + " (the hidden size, then the input size)");
        }
        if (bias.length < cols) {
            throw new IllegalArgumentException("the bias has " + bias.length + " values, expected " + cols
                    + " (4 x the hidden size " + hidden + ")");
        }
        return hidden;
    }
}
