package org.rankcoding.kernel.impl;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The dense product of {@link Float32Kernels}: {@code C += A B} with {@code A} rounded to {@code float} and packed,
 * {@code B} a zero-padded {@code float} copy, and {@code C} in {@code double}.
 *
 * <p>A 4-row by 2-vector tile of {@code C} ({@code 2 V} columns, {@code V} = lanes of
 * {@link FloatVector#SPECIES_PREFERRED}: 16 with AVX-512, 8 with AVX2) is held in 8 vector registers while the
 * shared dimension is walked once: per step, 2 vector loads of a row of {@code B}, 4 broadcasts of {@code A}, 8 fused
 * multiply-adds; the tile is then added to {@code C} ({@link Float32Packing#addBack}). Rows left over after the 4-row
 * tiles (all rows, for batch-1 streaming) use a 1-row kernel 8 vectors wide ({@link #row8}) that reads {@code B} in
 * long contiguous runs with 8 independent accumulators. The tiles take arrays, offsets and strides (7 parameters,
 * kept flat so that the JIT inlines them and scalar-replaces their vectors).
 */
final class Float32Gemm {

    private static final VectorSpecies<Float> S = Float32Packing.S;
    private static final int V = Float32Packing.V;
    private static final int TILE = Float32Packing.TILE;
    /** Rows of the main tile. */
    static final int MR = 4;
    /** Columns of the single-row kernel {@link #row8}. */
    static final int ROW_TILE = 8 * V;

    private Float32Gemm() {
    }

    /**
     * {@code C[r,j] += sum_q A(r,q) B[q,j]} with {@code A(r,q) = a[ao + r*rs + q*qs]} ({@code double}), {@code B}
     * the padded {@code float} matrix {@code b} with row stride {@code ld}, and {@code C} row-major
     * {@code rows x m}. {@code A} is first packed into a contiguous row-major {@code float} copy (a fixed unit
     * stride lets the JIT drop the bounds checks of the broadcasts; variable strides halve the speed). Each operand
     * is an array, an offset and its strides (12 parameters with the scratch): the flat form both products share.
     */
    static void gemm(int rows, int inner, int m, double[] a, int ao, int rs, int qs, float[] b, int ld,
                             double[] c, int co, Float32Scratch s) {
        float[] af = s.left(rows * inner);
        if (qs == 1) {
            for (int r = 0; r < rows; r++) {
                int src = ao + r * rs;
                int dst = r * inner;
                for (int q = 0; q < inner; q++) {
                    af[dst + q] = (float) a[src + q];
                }
            }
        } else { // A is stored transposed (rs == 1): read its rows contiguously
            for (int q = 0; q < inner; q++) {
                int src = ao + q * qs;
                for (int r = 0; r < rows; r++) {
                    af[r * inner + q] = (float) a[src + r * rs];
                }
            }
        }
        float[] tile = s.tile;
        int full = rows - rows % MR;
        if (full > 0) {
            for (int j = 0; j < m; j += TILE) {
                int w = Math.min(TILE, m - j);
                for (int r = 0; r < full; r += MR) {
                    tile4(inner, af, r * inner, b, j, ld, tile);
                    Float32Packing.addBack(tile, TILE, MR, w, c, co + r * m + j, m);
                }
            }
        }
        for (int r = full; r < rows; r++) {
            int j = 0;
            for (; j + ROW_TILE <= ld; j += ROW_TILE) {
                row8(inner, af, r * inner, b, j, ld, tile);
                Float32Packing.addBack(tile, ROW_TILE, 1, Math.min(ROW_TILE, m - j), c, co + r * m + j, m);
            }
            for (; j < m; j += TILE) {
                tile1(inner, af, r * inner, b, j, ld, tile);
                Float32Packing.addBack(tile, TILE, 1, Math.min(TILE, m - j), c, co + r * m + j, m);
            }
        }
    }

    private static void tile4(int kc, float[] a, int ao, float[] b, int bo, int ld, float[] tile) {
        FloatVector x00 = FloatVector.zero(S);
        FloatVector x01 = FloatVector.zero(S);
        FloatVector x10 = FloatVector.zero(S);
        FloatVector x11 = FloatVector.zero(S);
        FloatVector x20 = FloatVector.zero(S);
        FloatVector x21 = FloatVector.zero(S);
        FloatVector x30 = FloatVector.zero(S);
        FloatVector x31 = FloatVector.zero(S);
        int a1 = ao + kc;
        int a2 = a1 + kc;
        int a3 = a2 + kc;
        for (int q = 0; q < kc; q++) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + V);
            FloatVector av = FloatVector.broadcast(S, a[ao + q]);
            x00 = av.fma(b0, x00);
            x01 = av.fma(b1, x01);
            av = FloatVector.broadcast(S, a[a1 + q]);
            x10 = av.fma(b0, x10);
            x11 = av.fma(b1, x11);
            av = FloatVector.broadcast(S, a[a2 + q]);
            x20 = av.fma(b0, x20);
            x21 = av.fma(b1, x21);
            av = FloatVector.broadcast(S, a[a3 + q]);
            x30 = av.fma(b0, x30);
            x31 = av.fma(b1, x31);
            bo += ld;
        }
        x00.intoArray(tile, 0);
        x01.intoArray(tile, V);
        x10.intoArray(tile, TILE);
        x11.intoArray(tile, TILE + V);
        x20.intoArray(tile, 2 * TILE);
        x21.intoArray(tile, 2 * TILE + V);
        x30.intoArray(tile, 3 * TILE);
        x31.intoArray(tile, 3 * TILE + V);
    }

    /**
     * One row. A single row has no reuse of {@code B} across rows, so the loop is bound by the latency of the
     * accumulator chains: four interleaved accumulator pairs (steps {@code q mod 4}) keep eight chains in flight.
     */
    private static void tile1(int kc, float[] a, int ao, float[] b, int bo, int ld, float[] tile) {
        FloatVector x0 = FloatVector.zero(S);
        FloatVector x1 = FloatVector.zero(S);
        FloatVector y0 = FloatVector.zero(S);
        FloatVector y1 = FloatVector.zero(S);
        FloatVector u0 = FloatVector.zero(S);
        FloatVector u1 = FloatVector.zero(S);
        FloatVector w0 = FloatVector.zero(S);
        FloatVector w1 = FloatVector.zero(S);
        int q = 0;
        for (; q + 4 <= kc; q += 4) {
            FloatVector av = FloatVector.broadcast(S, a[ao + q]);
            x0 = av.fma(FloatVector.fromArray(S, b, bo), x0);
            x1 = av.fma(FloatVector.fromArray(S, b, bo + V), x1);
            av = FloatVector.broadcast(S, a[ao + q + 1]);
            y0 = av.fma(FloatVector.fromArray(S, b, bo + ld), y0);
            y1 = av.fma(FloatVector.fromArray(S, b, bo + ld + V), y1);
            av = FloatVector.broadcast(S, a[ao + q + 2]);
            u0 = av.fma(FloatVector.fromArray(S, b, bo + 2 * ld), u0);
            u1 = av.fma(FloatVector.fromArray(S, b, bo + 2 * ld + V), u1);
            av = FloatVector.broadcast(S, a[ao + q + 3]);
            w0 = av.fma(FloatVector.fromArray(S, b, bo + 3 * ld), w0);
            w1 = av.fma(FloatVector.fromArray(S, b, bo + 3 * ld + V), w1);
            bo += 4 * ld;
        }
        for (; q < kc; q++) {
            FloatVector av = FloatVector.broadcast(S, a[ao + q]);
            x0 = av.fma(FloatVector.fromArray(S, b, bo), x0);
            x1 = av.fma(FloatVector.fromArray(S, b, bo + V), x1);
            bo += ld;
        }
        x0.add(y0).add(u0.add(w0)).intoArray(tile, 0);
        x1.add(y1).add(u1.add(w1)).intoArray(tile, V);
    }

    /**
     * One row over {@link #ROW_TILE} columns (8 vectors): for a single row (batch-1 streaming) {@code B} is read
     * once with no reuse, so this walks its rows in long contiguous runs (8 cache lines each) with 8 independent
     * accumulator chains, instead of the 2-vector column strips of {@link #tile1}.
     */
    private static void row8(int kc, float[] a, int ao, float[] b, int bo, int ld, float[] tile) {
        FloatVector x0 = FloatVector.zero(S);
        FloatVector x1 = FloatVector.zero(S);
        FloatVector x2 = FloatVector.zero(S);
        FloatVector x3 = FloatVector.zero(S);
        FloatVector x4 = FloatVector.zero(S);
        FloatVector x5 = FloatVector.zero(S);
        FloatVector x6 = FloatVector.zero(S);
        FloatVector x7 = FloatVector.zero(S);
        for (int q = 0; q < kc; q++) {
            FloatVector av = FloatVector.broadcast(S, a[ao + q]);
            x0 = av.fma(FloatVector.fromArray(S, b, bo), x0);
            x1 = av.fma(FloatVector.fromArray(S, b, bo + V), x1);
            x2 = av.fma(FloatVector.fromArray(S, b, bo + 2 * V), x2);
            x3 = av.fma(FloatVector.fromArray(S, b, bo + 3 * V), x3);
            x4 = av.fma(FloatVector.fromArray(S, b, bo + 4 * V), x4);
            x5 = av.fma(FloatVector.fromArray(S, b, bo + 5 * V), x5);
            x6 = av.fma(FloatVector.fromArray(S, b, bo + 6 * V), x6);
            x7 = av.fma(FloatVector.fromArray(S, b, bo + 7 * V), x7);
            bo += ld;
        }
        x0.intoArray(tile, 0);
        x1.intoArray(tile, V);
        x2.intoArray(tile, 2 * V);
        x3.intoArray(tile, 3 * V);
        x4.intoArray(tile, 4 * V);
        x5.intoArray(tile, 5 * V);
        x6.intoArray(tile, 6 * V);
        x7.intoArray(tile, 7 * V);
    }
}
