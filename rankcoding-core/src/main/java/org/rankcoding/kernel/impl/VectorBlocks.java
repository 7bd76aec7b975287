package org.rankcoding.kernel.impl;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The product on strided blocks of {@link org.rankcoding.kernel.MatrixKernels}, in {@code double} on the Vector API:
 * {@link #rowsTimesBlock}, {@code C += A B} with the rows of {@code A} and {@code C} picked from their arrays. Its
 * operands are small (tens of rows of at most a few hundred columns, the event-driven convolution's filter slices),
 * too small for the packing of the matrix products to pay: it runs straight on the {@code double} arrays, with no
 * copy and no scratch.
 *
 * <p>Uses only {@link DoubleVector#SPECIES_PREFERRED} (see {@link VectorKernels}). Results differ from the reference
 * loops only by the order of the additions and the single rounding of the fused multiply-add.
 */
final class VectorBlocks {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int V = S.length();

    private VectorBlocks() {
    }

    /**
     * {@code c[cStart[r] ..+ m) += a[aStart[r] ..+ k) B} for {@code r = 0 .. n - 1} in that order, row {@code t} of
     * {@code B} at {@code b[bOff + t * bStride]}; output rows may overlap. A tile of four rows by two vectors is
     * accumulated from zero in registers over {@code k} (each vector of {@code B} loaded once for the four rows),
     * then added to the output one row after the other, so that overlapping rows add up as in sequence.
     */
    static void rowsTimesBlock(int n, int k, int m, int[] aStart, double[] a, double[] b, int bOff, int bStride,
                               int[] cStart, double[] c) {
        int r = 0;
        for (; r + 4 <= n; r += 4) {
            int j = 0;
            for (; j + 2 * V <= m; j += 2 * V) {
                fourRows(r, k, j, aStart, a, b, bOff, bStride, cStart, c);
            }
            for (int q = r; q < r + 4; q++) {
                rowTail(j, k, m, a, aStart[q], b, bOff, bStride, c, cStart[q]);
            }
        }
        for (; r < n; r++) {
            rowTail(0, k, m, a, aStart[r], b, bOff, bStride, c, cStart[r]);
        }
    }

    /** Columns {@code j .. j + 2V - 1} of rows {@code r .. r + 3} of {@link #rowsTimesBlock}. */
    private static void fourRows(int r, int k, int j, int[] aStart, double[] a, double[] b, int bOff, int bStride,
                                 int[] cStart, double[] c) {
        int a0 = aStart[r];
        int a1 = aStart[r + 1];
        int a2 = aStart[r + 2];
        int a3 = aStart[r + 3];
        DoubleVector s00 = DoubleVector.zero(S);
        DoubleVector s01 = DoubleVector.zero(S);
        DoubleVector s10 = DoubleVector.zero(S);
        DoubleVector s11 = DoubleVector.zero(S);
        DoubleVector s20 = DoubleVector.zero(S);
        DoubleVector s21 = DoubleVector.zero(S);
        DoubleVector s30 = DoubleVector.zero(S);
        DoubleVector s31 = DoubleVector.zero(S);
        int row = bOff + j;
        for (int t = 0; t < k; t++, row += bStride) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, row);
            DoubleVector b1 = DoubleVector.fromArray(S, b, row + V);
            DoubleVector av = DoubleVector.broadcast(S, a[a0 + t]);
            s00 = b0.lanewise(VectorOperators.FMA, av, s00);
            s01 = b1.lanewise(VectorOperators.FMA, av, s01);
            av = DoubleVector.broadcast(S, a[a1 + t]);
            s10 = b0.lanewise(VectorOperators.FMA, av, s10);
            s11 = b1.lanewise(VectorOperators.FMA, av, s11);
            av = DoubleVector.broadcast(S, a[a2 + t]);
            s20 = b0.lanewise(VectorOperators.FMA, av, s20);
            s21 = b1.lanewise(VectorOperators.FMA, av, s21);
            av = DoubleVector.broadcast(S, a[a3 + t]);
            s30 = b0.lanewise(VectorOperators.FMA, av, s30);
            s31 = b1.lanewise(VectorOperators.FMA, av, s31);
        }
        addTo(c, cStart[r] + j, s00, s01);
        addTo(c, cStart[r + 1] + j, s10, s11);
        addTo(c, cStart[r + 2] + j, s20, s21);
        addTo(c, cStart[r + 3] + j, s30, s31);
    }

    /** {@code c[at ..+ 2V) += [s0 | s1]}. */
    private static void addTo(double[] c, int at, DoubleVector s0, DoubleVector s1) {
        DoubleVector.fromArray(S, c, at).add(s0).intoArray(c, at);
        DoubleVector.fromArray(S, c, at + V).add(s1).intoArray(c, at + V);
    }

    /**
     * Columns {@code j .. j + 4V - 1} of one row of {@link #rowsTimesBlock}, into {@code c[at ..]}: even and odd rows
     * of {@code B} in two sets of accumulators, eight chains of fused multiply-adds.
     */
    private static void oneRow(int j, int k, double[] a, int aOff, double[] b, int bOff, int bStride, double[] c,
                               int at) {
        DoubleVector c0 = DoubleVector.zero(S);
        DoubleVector c1 = DoubleVector.zero(S);
        DoubleVector c2 = DoubleVector.zero(S);
        DoubleVector c3 = DoubleVector.zero(S);
        DoubleVector d0 = DoubleVector.zero(S);
        DoubleVector d1 = DoubleVector.zero(S);
        DoubleVector d2 = DoubleVector.zero(S);
        DoubleVector d3 = DoubleVector.zero(S);
        int row = bOff + j;
        int t = 0;
        for (; t + 2 <= k; t += 2, row += 2 * bStride) {
            DoubleVector av = DoubleVector.broadcast(S, a[aOff + t]);
            c0 = DoubleVector.fromArray(S, b, row).lanewise(VectorOperators.FMA, av, c0);
            c1 = DoubleVector.fromArray(S, b, row + V).lanewise(VectorOperators.FMA, av, c1);
            c2 = DoubleVector.fromArray(S, b, row + 2 * V).lanewise(VectorOperators.FMA, av, c2);
            c3 = DoubleVector.fromArray(S, b, row + 3 * V).lanewise(VectorOperators.FMA, av, c3);
            int next = row + bStride;
            DoubleVector bv = DoubleVector.broadcast(S, a[aOff + t + 1]);
            d0 = DoubleVector.fromArray(S, b, next).lanewise(VectorOperators.FMA, bv, d0);
            d1 = DoubleVector.fromArray(S, b, next + V).lanewise(VectorOperators.FMA, bv, d1);
            d2 = DoubleVector.fromArray(S, b, next + 2 * V).lanewise(VectorOperators.FMA, bv, d2);
            d3 = DoubleVector.fromArray(S, b, next + 3 * V).lanewise(VectorOperators.FMA, bv, d3);
        }
        if (t < k) {
            DoubleVector av = DoubleVector.broadcast(S, a[aOff + t]);
            c0 = DoubleVector.fromArray(S, b, row).lanewise(VectorOperators.FMA, av, c0);
            c1 = DoubleVector.fromArray(S, b, row + V).lanewise(VectorOperators.FMA, av, c1);
            c2 = DoubleVector.fromArray(S, b, row + 2 * V).lanewise(VectorOperators.FMA, av, c2);
            c3 = DoubleVector.fromArray(S, b, row + 3 * V).lanewise(VectorOperators.FMA, av, c3);
        }
        addTo(c, at, c0.add(d0), c1.add(d1));
        addTo(c, at + 2 * V, c2.add(d2), c3.add(d3));
    }

    /** Columns {@code j .. m - 1} of one row of {@link #rowsTimesBlock}: {@code c[cOff + j ..] += a[aOff ..] B}. */
    private static void rowTail(int j, int k, int m, double[] a, int aOff, double[] b, int bOff, int bStride,
                                double[] c, int cOff) {
        for (; j + 4 * V <= m; j += 4 * V) {
            oneRow(j, k, a, aOff, b, bOff, bStride, c, cOff + j);
        }
        for (; j + V <= m; j += V) {
            // even and odd rows of B in two chains
            DoubleVector s0 = DoubleVector.zero(S);
            DoubleVector s1 = DoubleVector.zero(S);
            int row = bOff + j;
            int t = 0;
            for (; t + 2 <= k; t += 2, row += 2 * bStride) {
                s0 = DoubleVector.fromArray(S, b, row).lanewise(VectorOperators.FMA,
                        DoubleVector.broadcast(S, a[aOff + t]), s0);
                s1 = DoubleVector.fromArray(S, b, row + bStride).lanewise(VectorOperators.FMA,
                        DoubleVector.broadcast(S, a[aOff + t + 1]), s1);
            }
            if (t < k) {
                s0 = DoubleVector.fromArray(S, b, row).lanewise(VectorOperators.FMA,
                        DoubleVector.broadcast(S, a[aOff + t]), s0);
            }
            DoubleVector.fromArray(S, c, cOff + j).add(s0.add(s1)).intoArray(c, cOff + j);
        }
        for (; j < m; j++) {
            double sum = 0;
            for (int t = 0; t < k; t++) {
                sum = Math.fma(a[aOff + t], b[bOff + t * bStride + j], sum);
            }
            c[cOff + j] += sum;
        }
    }
}
