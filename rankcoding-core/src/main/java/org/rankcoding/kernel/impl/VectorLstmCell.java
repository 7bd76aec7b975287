package org.rankcoding.kernel.impl;

import org.rankcoding.kernel.LstmCellScalar;

import org.rankcoding.kernel.MatrixKernels;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The element-wise LSTM cell of {@link VectorKernels}, forward and backward, in {@code double} on
 * {@link DoubleVector#SPECIES_PREFERRED}, with the scalar code of {@link LstmCellScalar} for the tails shorter than a
 * vector; {@link Float32Kernels} uses its backward, state update and output (its activations are
 * {@link Float32LstmCell}'s). Signatures and formulas are those of {@link MatrixKernels#lstmCell} and
 * {@link MatrixKernels#lstmCellBackward}.
 */
final class VectorLstmCell {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int V = S.length();

    private VectorLstmCell() {
    }

    /**
     * The cell forward ({@link MatrixKernels#lstmCell}): the exponentials use {@link VectorExp#scaledExp};
     * {@code tanh(x) = 2 / (1 + exp(-2x)) - 1}. Tails shorter than a vector run the same formulas in scalar code.
     * Each activation takes two passes over its slice, the exponentials and then the quotient, so that no vector
     * crosses a call (see {@link VectorExp#scaledExp}).
     */
    static void forward(int n, int hidden, double[] gates, double[] cPrev, double[] c, double[] tanhC, double[] h) {
        for (int r = 0; r < n; r++) {
            int a = r * 4 * hidden;
            sigmoidInPlace(gates, a, 2 * hidden);
            tanhInPlace(gates, a + 2 * hidden, hidden);
            sigmoidInPlace(gates, a + 3 * hidden, hidden);
            updateState(hidden, gates, a, cPrev, c, tanhC, h, r * hidden);
        }
    }

    /**
     * The state update of one row from its gate activations at {@code gates[a]}: {@code c = f c_prev + i g},
     * {@code tanh(c)}, {@code h = o tanh(c)} at offset {@code s}.
     */
    private static void updateState(int hidden, double[] gates, int a, double[] cPrev, double[] c, double[] tanhC,
                                    double[] h, int s) {
        cellState(hidden, gates, a, cPrev, c, s);
        int upper = S.loopBound(hidden);
        VectorExp.scaledExp(c, s, -2.0, tanhC, s, upper);
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        DoubleVector two = DoubleVector.broadcast(S, 2.0);
        for (int j = 0; j < upper; j += V) {
            two.div(one.add(DoubleVector.fromArray(S, tanhC, s + j))).sub(one).intoArray(tanhC, s + j);
        }
        for (int j = upper; j < hidden; j++) {
            tanhC[s + j] = LstmCellScalar.tanh(c[s + j]);
        }
        output(hidden, gates, a, tanhC, h, s);
    }

    /**
     * The new cell state of one row, {@code c = f c_prev + i g} ({@code i g} without a previous state), from its
     * gate activations at {@code gates[a]}, at offset {@code s}; the tail in the scalar formula of
     * {@link LstmCellScalar#update}.
     */
    static void cellState(int hidden, double[] gates, int a, double[] cPrev, double[] c, int s) {
        int upper = S.loopBound(hidden);
        for (int j = 0; j < upper; j += V) {
            DoubleVector ig = DoubleVector.fromArray(S, gates, a + j);
            DoubleVector gg = DoubleVector.fromArray(S, gates, a + 2 * hidden + j);
            if (cPrev == null) {
                ig.mul(gg).intoArray(c, s + j);
            } else {
                DoubleVector.fromArray(S, gates, a + hidden + j).fma(DoubleVector.fromArray(S, cPrev, s + j), ig.mul(gg))
                        .intoArray(c, s + j);
            }
        }
        for (int j = upper; j < hidden; j++) {
            double cp = cPrev == null ? 0.0 : cPrev[s + j];
            c[s + j] = gates[a + hidden + j] * cp + gates[a + j] * gates[a + 2 * hidden + j];
        }
    }

    /** The output of one row, {@code h = o tanh(c)}, from its output gate at {@code gates[a + 3H]}, at offset {@code s}. */
    static void output(int hidden, double[] gates, int a, double[] tanhC, double[] h, int s) {
        int upper = S.loopBound(hidden);
        for (int j = 0; j < upper; j += V) {
            DoubleVector.fromArray(S, gates, a + 3 * hidden + j).mul(DoubleVector.fromArray(S, tanhC, s + j))
                    .intoArray(h, s + j);
        }
        for (int j = upper; j < hidden; j++) {
            h[s + j] = gates[a + 3 * hidden + j] * tanhC[s + j];
        }
    }

    private static void sigmoidInPlace(double[] x, int off, int len) {
        int upper = S.loopBound(len);
        VectorExp.scaledExp(x, off, -1.0, x, off, upper);
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        for (int j = 0; j < upper; j += V) {
            one.div(one.add(DoubleVector.fromArray(S, x, off + j))).intoArray(x, off + j);
        }
        for (int j = upper; j < len; j++) {
            x[off + j] = LstmCellScalar.sigmoid(x[off + j]);
        }
    }

    private static void tanhInPlace(double[] x, int off, int len) {
        int upper = S.loopBound(len);
        VectorExp.scaledExp(x, off, -2.0, x, off, upper);
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        DoubleVector two = DoubleVector.broadcast(S, 2.0);
        for (int j = upper; j < len; j++) {
            x[off + j] = LstmCellScalar.tanh(x[off + j]);
        }
        for (int j = 0; j < upper; j += V) {
            two.div(one.add(DoubleVector.fromArray(S, x, off + j))).sub(one).intoArray(x, off + j);
        }
    }

    /** The cell backward ({@link MatrixKernels#lstmCellBackward}); tails shorter than a vector in scalar code. */
    static void backward(int n, int hidden, int[] rows, double[] gates, double[] cPrev, double[] tanhC, double[] dh,
                                 double[] dc, double[] dGates) {
        int upper = S.loopBound(hidden);
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        for (int r = 0; r < n; r++) {
            int fr = rows == null ? r : rows[r];
            int ga = fr * 4 * hidden;
            int fh = fr * hidden;
            int ba = r * 4 * hidden;
            int bh = r * hidden;
            int j = 0;
            for (; j < upper; j += V) {
                DoubleVector ig = DoubleVector.fromArray(S, gates, ga + j);
                DoubleVector fg = DoubleVector.fromArray(S, gates, ga + hidden + j);
                DoubleVector gg = DoubleVector.fromArray(S, gates, ga + 2 * hidden + j);
                DoubleVector og = DoubleVector.fromArray(S, gates, ga + 3 * hidden + j);
                DoubleVector tc = DoubleVector.fromArray(S, tanhC, fh + j);
                DoubleVector dhv = DoubleVector.fromArray(S, dh, bh + j);
                DoubleVector dct = dhv.mul(og).mul(one.sub(tc.mul(tc))).add(DoubleVector.fromArray(S, dc, bh + j));
                dct.mul(gg).mul(ig.mul(one.sub(ig))).intoArray(dGates, ba + j);
                if (cPrev == null) {
                    DoubleVector.zero(S).intoArray(dGates, ba + hidden + j);
                } else {
                    dct.mul(DoubleVector.fromArray(S, cPrev, fh + j)).mul(fg.mul(one.sub(fg)))
                            .intoArray(dGates, ba + hidden + j);
                }
                dct.mul(ig).mul(one.sub(gg.mul(gg))).intoArray(dGates, ba + 2 * hidden + j);
                dhv.mul(tc).mul(og.mul(one.sub(og))).intoArray(dGates, ba + 3 * hidden + j);
                dct.mul(fg).intoArray(dc, bh + j);
            }
            LstmCellScalar.backward(hidden, j, gates, ga, cPrev, tanhC, fh, dh, dc, bh, dGates, ba);
        }
    }
}
