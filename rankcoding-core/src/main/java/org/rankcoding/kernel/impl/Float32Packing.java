package org.rankcoding.kernel.impl;

import org.rankcoding.kernel.PreparedMatrix;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@code float} forms of {@link Float32Kernels}: the vector shapes, the padded row stride of a {@code float}
 * copy, the rounding of a {@code double} matrix into such a copy ({@link #toFloats}, also used by
 * {@link PreparedMatrix#set}) and the widening add of a {@code float} tile back into a {@code double} output
 * ({@link #addBack}). Only the preferred species are used (see {@link VectorKernels}).
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
    /** Columns of a tile of {@code C}, and the multiple the rows of a prepared {@code float} copy are padded to. */
    static final int TILE = 2 * V;

    private Float32Packing() {
    }

    /** Row stride of the padded {@code float} copy of a matrix with {@code cols} columns. */
    static int paddedWidth(int cols) {
        return (cols + TILE - 1) / TILE * TILE;
    }

    /** Rounds the {@code rows x m} matrix at {@code src[off]} into {@code dst} with row stride {@code ld}, zero-padded. */
    static void toFloats(double[] src, int off, int rows, int m, float[] dst, int ld) {
        for (int r = 0; r < rows; r++) {
            int s = off + r * m;
            int d = r * ld;
            int j = 0;
            if (SAME_SHAPE) {
                for (; j + V <= m; j += V) {
                    FloatVector lo = (FloatVector) DoubleVector.fromArray(D, src, s + j).convert(VectorOperators.D2F, 0);
                    FloatVector hi = (FloatVector) DoubleVector.fromArray(D, src, s + j + HALF).convert(VectorOperators.D2F, -1);
                    lo.add(hi).intoArray(dst, d + j);
                }
            }
            for (; j < m; j++) {
                dst[d + j] = (float) src[s + j];
            }
            for (; j < ld; j++) {
                dst[d + j] = 0f;
            }
        }
    }

    /**
     * {@code c[co + i*ldc + jj] += tile[i*stride + jj]} for the first {@code rows} rows and {@code w} columns:
     * whole vectors with widening conversions, the rest with a scalar loop.
     */
    static void addBack(float[] tile, int stride, int rows, int w, double[] c, int co, int ldc) {
        for (int i = 0; i < rows; i++) {
            int o = co + i * ldc;
            int t = i * stride;
            int jj = 0;
            if (SAME_SHAPE) {
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
}
