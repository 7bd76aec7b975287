package org.rankcoding.kernel;

import java.util.Objects;

/**
 * Scalar element-wise LSTM cell code shared by the kernels: whole rows for {@link ReferenceKernels} and the blocked
 * kernels, and the tails shorter than a vector for the Vector API kernels; a {@link MatrixKernels} implementation of
 * its own may use it too.
 * {@code tanh(x)} is computed as {@code 2 / (1 + exp(-2x)) - 1} with one {@code Math.exp} (an intrinsic on JDK 17
 * and 25; {@code Math.tanh} is one on JDK 25 on x86-64, not on JDK 17).
 */
public final class LstmCellScalar {

    private LstmCellScalar() {
    }

    /** The logistic function {@code 1 / (1 + exp(-x))}. */
    public static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    /** {@code tanh(x)} as {@code 2 / (1 + exp(-2x)) - 1}. */
    public static double tanh(double x) {
        return 2.0 / (1.0 + Math.exp(-2.0 * x)) - 1.0;
    }

    /**
     * Cell update of one row for {@code j} in {@code [from, hidden)}, from activations already in
     * {@code gates[a ..]}; the row's state vectors start at {@code s}.
     */
    public static void update(int hidden, int from, double[] gates, int a, double[] cPrev, double[] c, double[] tanhC, double[] h, int s) {
        Objects.requireNonNull(gates, "gates is null");
        Objects.requireNonNull(c, "c is null");
        Objects.requireNonNull(tanhC, "tanhC is null");
        Objects.requireNonNull(h, "h is null");
        for (int j = from; j < hidden; j++) {
            double cp = cPrev == null ? 0.0 : cPrev[s + j];
            double cn = gates[a + hidden + j] * cp + gates[a + j] * gates[a + 2 * hidden + j];
            double tc = tanh(cn);
            c[s + j] = cn;
            tanhC[s + j] = tc;
            h[s + j] = gates[a + 3 * hidden + j] * tc;
        }
    }

    /**
     * Backward cell of one row for {@code j} in {@code [from, hidden)} (formulas in
     * {@link MatrixKernels#lstmCellBackward}): forward buffers at {@code ga} (gates) and {@code fh} (state),
     * gradient buffers at {@code ba} (dGates) and {@code bh} (dh, dc).
     */
    public static void backward(int hidden, int from, double[] gates, int ga, double[] cPrev, double[] tanhC, int fh, double[] dh,
                         double[] dc, int bh, double[] dGates, int ba) {
        Objects.requireNonNull(gates, "gates is null");
        Objects.requireNonNull(tanhC, "tanhC is null");
        Objects.requireNonNull(dh, "dh is null");
        Objects.requireNonNull(dc, "dc is null");
        Objects.requireNonNull(dGates, "dGates is null");
        for (int j = from; j < hidden; j++) {
            double ig = gates[ga + j];
            double fg = gates[ga + hidden + j];
            double gg = gates[ga + 2 * hidden + j];
            double og = gates[ga + 3 * hidden + j];
            double tc = tanhC[fh + j];
            double dhv = dh[bh + j];
            double dct = dc[bh + j] + dhv * og * (1 - tc * tc);
            double cp = cPrev == null ? 0.0 : cPrev[fh + j];
            dGates[ba + j] = dct * gg * ig * (1 - ig);
            dGates[ba + hidden + j] = dct * cp * fg * (1 - fg);
            dGates[ba + 2 * hidden + j] = dct * ig * (1 - gg * gg);
            dGates[ba + 3 * hidden + j] = dhv * tc * og * (1 - og);
            dc[bh + j] = dct * fg;
        }
    }
}
