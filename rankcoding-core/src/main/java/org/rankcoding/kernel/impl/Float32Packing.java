package org.rankcoding.kernel.impl;

import org.rankcoding.kernel.PreparedMatrix;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@code float} forms of {@link Float32Kernels}: the vector shapes, the column panels of a {@code float} copy of
 * a right operand (the layout of {@link PreparedMatrix#floats()}, {@link #TILE} columns per panel), the rounding of a
 * {@code double} matrix into such a copy ({@link #toPanels}) and the widening add of a {@code float} tile back into a
 * {@code double} output ({@link #addBack}). Only the preferred species are used (see {@link VectorKernels}).
 */
final class Float32Packing {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Lanes of the preferred species. */
    static final int V = S.length();
    /** The {@code double} species of the same shape (half the lanes): for widening the tile into {@code C}. */
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int HALF = D.length();
    /** Whether a {@code float} vector holds exactly two {@code double} vectors' lanes (true on x86 AVX2 and AVX-512). */
    private static final boolean SAME_SHAPE = 2 * HALF == V;
    /** Columns of a tile of {@code C}, and the width of a panel of a {@code float} copy of {@code B}. */
    static final int TILE = 2 * V;

    private Float32Packing() {
    }

    /** Columns of a matrix with {@code cols} columns once padded to whole panels. */
    static int paddedWidth(int cols) {
        return (cols + TILE - 1) / TILE * TILE;
    }

    /**
     * Rounds the row-major {@code rows x m} matrix at {@code src[off]} into {@code dst} in column panels of
     * {@link #TILE} columns: element {@code (r, j)} goes to {@code (j / TILE) * rows * TILE + r * TILE + j % TILE}, and
     * the padding columns of the last panel are set to zero.
     */
    static void toPanels(double[] src, int off, int rows, int m, float[] dst) {
        int panel = rows * TILE;
        for (int r = 0; r < rows; r++) {
            int s = off + r * m;
            for (int j = 0, d = r * TILE; j < m; j += TILE, d += panel) {
                int w = Math.min(TILE, m - j);
                roundRow(src, s + j, dst, d, w);
                for (int jj = w; jj < TILE; jj++) {
                    dst[d + jj] = 0f;
                }
            }
        }
    }

    /**
     * Rounds {@code len} doubles from {@code src[s]} into {@code dst[d]}: whole vectors with narrowing conversions,
     * four at a time, then one at a time, then the rest one by one.
     *
     * <p>The four-vector loop is unrolled by hand, which also makes this method longer (over 325 bytecodes) than C2
     * inlines into a hot caller ({@code FreqInlineSize}), so it is always compiled on its own, with its vector
     * operations at a shallow depth. Inlined into the callers, it ended up deep inside a training pass's compiled code
     * (the pass, the backward step, the kernels, the packing), where C2 at times failed to compile the narrowing
     * {@code convert} as an intrinsic and the Vector API ran its allocating Java fallback ({@code ZeroAllocationTest}).
     * Only arrays cross the call.
     */
    static void roundRow(double[] src, int s, float[] dst, int d, int len) {
        int q = 0;
        if (SAME_SHAPE) {
            for (; q + 4 * V <= len; q += 4 * V) {
                FloatVector lo0 = (FloatVector) DoubleVector.fromArray(D, src, s + q).convert(VectorOperators.D2F, 0);
                FloatVector hi0 = (FloatVector) DoubleVector.fromArray(D, src, s + q + HALF).convert(VectorOperators.D2F, -1);
                FloatVector lo1 = (FloatVector) DoubleVector.fromArray(D, src, s + q + V).convert(VectorOperators.D2F, 0);
                FloatVector hi1 = (FloatVector) DoubleVector.fromArray(D, src, s + q + V + HALF)
                        .convert(VectorOperators.D2F, -1);
                FloatVector lo2 = (FloatVector) DoubleVector.fromArray(D, src, s + q + 2 * V).convert(VectorOperators.D2F, 0);
                FloatVector hi2 = (FloatVector) DoubleVector.fromArray(D, src, s + q + 2 * V + HALF)
                        .convert(VectorOperators.D2F, -1);
                FloatVector lo3 = (FloatVector) DoubleVector.fromArray(D, src, s + q + 3 * V).convert(VectorOperators.D2F, 0);
                FloatVector hi3 = (FloatVector) DoubleVector.fromArray(D, src, s + q + 3 * V + HALF)
                        .convert(VectorOperators.D2F, -1);
                lo0.add(hi0).intoArray(dst, d + q);
                lo1.add(hi1).intoArray(dst, d + q + V);
                lo2.add(hi2).intoArray(dst, d + q + 2 * V);
                lo3.add(hi3).intoArray(dst, d + q + 3 * V);
            }
            for (; q + V <= len; q += V) {
                FloatVector lo = (FloatVector) DoubleVector.fromArray(D, src, s + q).convert(VectorOperators.D2F, 0);
                FloatVector hi = (FloatVector) DoubleVector.fromArray(D, src, s + q + HALF).convert(VectorOperators.D2F, -1);
                lo.add(hi).intoArray(dst, d + q);
            }
        }
        for (; q < len; q++) {
            dst[d + q] = (float) src[s + q];
        }
    }

    /**
     * {@code c[co + i*ldc + jj] += tile[i*stride + jj]} for the first {@code rows} rows and {@code w} columns:
     * whole vectors with widening conversions, two at a time (a panel's width: one step per row of a tile's sums), then
     * one, the rest with a scalar loop.
     *
     * <p>Like {@link #roundRow}, and for the same reason, this method is longer than C2 inlines into a hot caller (over
     * 325 bytecodes): inlined through the product into the backward step of a training pass, its widening conversions
     * of the upper half were at times not compiled as intrinsics, and the Vector API ran its allocating Java fallback
     * (about 0.5 MB per pass of three layers with dropout, {@code ZeroAllocationTest}; found with JFR allocation
     * samples). Widening half-width vectors lane for lane ({@code convertShape} from 128 to 256 bits) instead allocated
     * on every call on JDK 17.
     */
    static void addBack(float[] tile, int stride, int rows, int w, double[] c, int co, int ldc) {
        for (int i = 0; i < rows; i++) {
            int o = co + i * ldc;
            int t = i * stride;
            int jj = 0;
            if (SAME_SHAPE) {
                for (; jj + 2 * V <= w; jj += 2 * V) {
                    FloatVector f0 = FloatVector.fromArray(S, tile, t + jj);
                    FloatVector f1 = FloatVector.fromArray(S, tile, t + jj + V);
                    DoubleVector lo0 = (DoubleVector) f0.convert(VectorOperators.F2D, 0);
                    DoubleVector hi0 = (DoubleVector) f0.convert(VectorOperators.F2D, 1);
                    DoubleVector lo1 = (DoubleVector) f1.convert(VectorOperators.F2D, 0);
                    DoubleVector hi1 = (DoubleVector) f1.convert(VectorOperators.F2D, 1);
                    DoubleVector.fromArray(D, c, o + jj).add(lo0).intoArray(c, o + jj);
                    DoubleVector.fromArray(D, c, o + jj + HALF).add(hi0).intoArray(c, o + jj + HALF);
                    DoubleVector.fromArray(D, c, o + jj + V).add(lo1).intoArray(c, o + jj + V);
                    DoubleVector.fromArray(D, c, o + jj + V + HALF).add(hi1).intoArray(c, o + jj + V + HALF);
                }
                for (; jj + V <= w; jj += V) {
                    FloatVector f = FloatVector.fromArray(S, tile, t + jj);
                    DoubleVector lo = (DoubleVector) f.convert(VectorOperators.F2D, 0);
                    DoubleVector hi = (DoubleVector) f.convert(VectorOperators.F2D, 1);
                    DoubleVector.fromArray(D, c, o + jj).add(lo).intoArray(c, o + jj);
                    DoubleVector.fromArray(D, c, o + jj + HALF).add(hi).intoArray(c, o + jj + HALF);
                }
            }
            for (; jj < w; jj++) {
                c[o + jj] += tile[t + jj];
            }
        }
    }

    /**
     * {@code pre[po + i*ldp + jj] = (float) (bias[bo + jj] + tile[i*stride + jj])} for the first {@code rows} rows and
     * {@code w} columns, the sum in {@code double}: the bits of {@link #addBack} into a {@code double} row set to the
     * bias, rounded to {@code float} as {@link #roundRow} rounds, without that row. Two vectors at a time (a panel's
     * width: one step per row of a tile's sums), then one, then a scalar loop.
     *
     * <p>Like {@link #roundRow}, and for the same reason, this method is longer than C2 inlines into a hot caller (over
     * 325 bytecodes): inlined into the LSTM step's compiled code, its narrowing conversions were at times not compiled
     * as intrinsics, and the Vector API ran its allocating Java fallback ({@code ZeroAllocationTest}).
     */
    static void biasRounded(float[] tile, int stride, int rows, int w, double[] bias, int bo, float[] pre, int po,
                            int ldp) {
        for (int i = 0; i < rows; i++) {
            int o = po + i * ldp;
            int t = i * stride;
            int jj = 0;
            if (SAME_SHAPE) {
                for (; jj + 2 * V <= w; jj += 2 * V) {
                    FloatVector f0 = FloatVector.fromArray(S, tile, t + jj);
                    FloatVector f1 = FloatVector.fromArray(S, tile, t + jj + V);
                    DoubleVector lo0 = DoubleVector.fromArray(D, bias, bo + jj).add(f0.convert(VectorOperators.F2D, 0));
                    DoubleVector hi0 = DoubleVector.fromArray(D, bias, bo + jj + HALF)
                            .add(f0.convert(VectorOperators.F2D, 1));
                    DoubleVector lo1 = DoubleVector.fromArray(D, bias, bo + jj + V).add(f1.convert(VectorOperators.F2D, 0));
                    DoubleVector hi1 = DoubleVector.fromArray(D, bias, bo + jj + V + HALF)
                            .add(f1.convert(VectorOperators.F2D, 1));
                    FloatVector n0 = (FloatVector) lo0.convert(VectorOperators.D2F, 0);
                    FloatVector m0 = (FloatVector) hi0.convert(VectorOperators.D2F, -1);
                    FloatVector n1 = (FloatVector) lo1.convert(VectorOperators.D2F, 0);
                    FloatVector m1 = (FloatVector) hi1.convert(VectorOperators.D2F, -1);
                    n0.add(m0).intoArray(pre, o + jj);
                    n1.add(m1).intoArray(pre, o + jj + V);
                }
                for (; jj + V <= w; jj += V) {
                    FloatVector f = FloatVector.fromArray(S, tile, t + jj);
                    DoubleVector lo = DoubleVector.fromArray(D, bias, bo + jj).add(f.convert(VectorOperators.F2D, 0));
                    DoubleVector hi = DoubleVector.fromArray(D, bias, bo + jj + HALF).add(f.convert(VectorOperators.F2D, 1));
                    FloatVector narrowLo = (FloatVector) lo.convert(VectorOperators.D2F, 0);
                    FloatVector narrowHi = (FloatVector) hi.convert(VectorOperators.D2F, -1);
                    narrowLo.add(narrowHi).intoArray(pre, o + jj);
                }
            }
            for (; jj < w; jj++) {
                pre[o + jj] = (float) (bias[bo + jj] + tile[t + jj]);
            }
        }
    }
}
