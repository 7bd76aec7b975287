package org.rankcoding.kernel.impl;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register tiles of {@link Float32Gemm}: each walks a block of the shared dimension for a few rows of the packed
 * {@code float} copy of {@code A} against one or more column panels of {@code B} ({@link Float32Packing#TILE} columns
 * each), with its accumulators in vector registers. Each accumulator sums the shared dimension in order, so an element
 * gets the same bits in every multi-row tile. The tiles take arrays, offsets and sizes (kept flat so that the JIT
 * inlines them and scalar-replaces their vectors).
 */
final class Float32Tiles {

    private static final VectorSpecies<Float> S = Float32Packing.S;
    private static final int V = Float32Packing.V;
    private static final int TILE = Float32Packing.TILE;

    private Float32Tiles() {
    }

    /**
     * 8 rows of {@code A} (interleaved: step {@code q}'s 8 values at {@code ao + 8q}) against one block of a panel of
     * {@code B}: 16 accumulators, loaded from and stored back to {@code sums} (row stride {@code TILE}) at {@code so}.
     */
    static void tile8(int kc, float[] a, int ao, float[] b, int bo, float[] sums, int so) {
        FloatVector x00 = FloatVector.fromArray(S, sums, so);
        FloatVector x01 = FloatVector.fromArray(S, sums, so + V);
        FloatVector x10 = FloatVector.fromArray(S, sums, so + TILE);
        FloatVector x11 = FloatVector.fromArray(S, sums, so + TILE + V);
        FloatVector x20 = FloatVector.fromArray(S, sums, so + 2 * TILE);
        FloatVector x21 = FloatVector.fromArray(S, sums, so + 2 * TILE + V);
        FloatVector x30 = FloatVector.fromArray(S, sums, so + 3 * TILE);
        FloatVector x31 = FloatVector.fromArray(S, sums, so + 3 * TILE + V);
        FloatVector x40 = FloatVector.fromArray(S, sums, so + 4 * TILE);
        FloatVector x41 = FloatVector.fromArray(S, sums, so + 4 * TILE + V);
        FloatVector x50 = FloatVector.fromArray(S, sums, so + 5 * TILE);
        FloatVector x51 = FloatVector.fromArray(S, sums, so + 5 * TILE + V);
        FloatVector x60 = FloatVector.fromArray(S, sums, so + 6 * TILE);
        FloatVector x61 = FloatVector.fromArray(S, sums, so + 6 * TILE + V);
        FloatVector x70 = FloatVector.fromArray(S, sums, so + 7 * TILE);
        FloatVector x71 = FloatVector.fromArray(S, sums, so + 7 * TILE + V);
        int end = ao + 8 * kc;
        for (int p = ao; p < end; p += 8) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + V);
            FloatVector av = FloatVector.broadcast(S, a[p]);
            x00 = av.fma(b0, x00);
            x01 = av.fma(b1, x01);
            av = FloatVector.broadcast(S, a[p + 1]);
            x10 = av.fma(b0, x10);
            x11 = av.fma(b1, x11);
            av = FloatVector.broadcast(S, a[p + 2]);
            x20 = av.fma(b0, x20);
            x21 = av.fma(b1, x21);
            av = FloatVector.broadcast(S, a[p + 3]);
            x30 = av.fma(b0, x30);
            x31 = av.fma(b1, x31);
            av = FloatVector.broadcast(S, a[p + 4]);
            x40 = av.fma(b0, x40);
            x41 = av.fma(b1, x41);
            av = FloatVector.broadcast(S, a[p + 5]);
            x50 = av.fma(b0, x50);
            x51 = av.fma(b1, x51);
            av = FloatVector.broadcast(S, a[p + 6]);
            x60 = av.fma(b0, x60);
            x61 = av.fma(b1, x61);
            av = FloatVector.broadcast(S, a[p + 7]);
            x70 = av.fma(b0, x70);
            x71 = av.fma(b1, x71);
            bo += TILE;
        }
        x00.intoArray(sums, so);
        x01.intoArray(sums, so + V);
        x10.intoArray(sums, so + TILE);
        x11.intoArray(sums, so + TILE + V);
        x20.intoArray(sums, so + 2 * TILE);
        x21.intoArray(sums, so + 2 * TILE + V);
        x30.intoArray(sums, so + 3 * TILE);
        x31.intoArray(sums, so + 3 * TILE + V);
        x40.intoArray(sums, so + 4 * TILE);
        x41.intoArray(sums, so + 4 * TILE + V);
        x50.intoArray(sums, so + 5 * TILE);
        x51.intoArray(sums, so + 5 * TILE + V);
        x60.intoArray(sums, so + 6 * TILE);
        x61.intoArray(sums, so + 6 * TILE + V);
        x70.intoArray(sums, so + 7 * TILE);
        x71.intoArray(sums, so + 7 * TILE + V);
    }

    /**
     * 5 rows of {@code A} (interleaved: step {@code q}'s 5 values at {@code ao + 5q}) against one block of a panel of
     * {@code B}: 10 accumulators, loaded from and stored back to {@code sums} (row stride {@code TILE}) at {@code so}.
     */
    static void tile5(int kc, float[] a, int ao, float[] b, int bo, float[] sums, int so) {
        FloatVector x00 = FloatVector.fromArray(S, sums, so);
        FloatVector x01 = FloatVector.fromArray(S, sums, so + V);
        FloatVector x10 = FloatVector.fromArray(S, sums, so + TILE);
        FloatVector x11 = FloatVector.fromArray(S, sums, so + TILE + V);
        FloatVector x20 = FloatVector.fromArray(S, sums, so + 2 * TILE);
        FloatVector x21 = FloatVector.fromArray(S, sums, so + 2 * TILE + V);
        FloatVector x30 = FloatVector.fromArray(S, sums, so + 3 * TILE);
        FloatVector x31 = FloatVector.fromArray(S, sums, so + 3 * TILE + V);
        FloatVector x40 = FloatVector.fromArray(S, sums, so + 4 * TILE);
        FloatVector x41 = FloatVector.fromArray(S, sums, so + 4 * TILE + V);
        int end = ao + 5 * kc;
        for (int p = ao; p < end; p += 5) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + V);
            FloatVector av = FloatVector.broadcast(S, a[p]);
            x00 = av.fma(b0, x00);
            x01 = av.fma(b1, x01);
            av = FloatVector.broadcast(S, a[p + 1]);
            x10 = av.fma(b0, x10);
            x11 = av.fma(b1, x11);
            av = FloatVector.broadcast(S, a[p + 2]);
            x20 = av.fma(b0, x20);
            x21 = av.fma(b1, x21);
            av = FloatVector.broadcast(S, a[p + 3]);
            x30 = av.fma(b0, x30);
            x31 = av.fma(b1, x31);
            av = FloatVector.broadcast(S, a[p + 4]);
            x40 = av.fma(b0, x40);
            x41 = av.fma(b1, x41);
            bo += TILE;
        }
        x00.intoArray(sums, so);
        x01.intoArray(sums, so + V);
        x10.intoArray(sums, so + TILE);
        x11.intoArray(sums, so + TILE + V);
        x20.intoArray(sums, so + 2 * TILE);
        x21.intoArray(sums, so + 2 * TILE + V);
        x30.intoArray(sums, so + 3 * TILE);
        x31.intoArray(sums, so + 3 * TILE + V);
        x40.intoArray(sums, so + 4 * TILE);
        x41.intoArray(sums, so + 4 * TILE + V);
    }

    /**
     * 4 rows of {@code A} (interleaved: step {@code q}'s 4 values at {@code ao + 4q}) against one block of a panel of
     * {@code B}: 8 accumulators, loaded from and stored back to {@code sums} at {@code so}.
     */
    static void tile4(int kc, float[] a, int ao, float[] b, int bo, float[] sums, int so) {
        FloatVector x00 = FloatVector.fromArray(S, sums, so);
        FloatVector x01 = FloatVector.fromArray(S, sums, so + V);
        FloatVector x10 = FloatVector.fromArray(S, sums, so + TILE);
        FloatVector x11 = FloatVector.fromArray(S, sums, so + TILE + V);
        FloatVector x20 = FloatVector.fromArray(S, sums, so + 2 * TILE);
        FloatVector x21 = FloatVector.fromArray(S, sums, so + 2 * TILE + V);
        FloatVector x30 = FloatVector.fromArray(S, sums, so + 3 * TILE);
        FloatVector x31 = FloatVector.fromArray(S, sums, so + 3 * TILE + V);
        int end = ao + 4 * kc;
        for (int p = ao; p < end; p += 4) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + V);
            FloatVector av = FloatVector.broadcast(S, a[p]);
            x00 = av.fma(b0, x00);
            x01 = av.fma(b1, x01);
            av = FloatVector.broadcast(S, a[p + 1]);
            x10 = av.fma(b0, x10);
            x11 = av.fma(b1, x11);
            av = FloatVector.broadcast(S, a[p + 2]);
            x20 = av.fma(b0, x20);
            x21 = av.fma(b1, x21);
            av = FloatVector.broadcast(S, a[p + 3]);
            x30 = av.fma(b0, x30);
            x31 = av.fma(b1, x31);
            bo += TILE;
        }
        x00.intoArray(sums, so);
        x01.intoArray(sums, so + V);
        x10.intoArray(sums, so + TILE);
        x11.intoArray(sums, so + TILE + V);
        x20.intoArray(sums, so + 2 * TILE);
        x21.intoArray(sums, so + 2 * TILE + V);
        x30.intoArray(sums, so + 3 * TILE);
        x31.intoArray(sums, so + 3 * TILE + V);
    }

    /**
     * One row. A single row has no reuse of {@code B} across rows, so the loop is bound by the latency of the
     * accumulator chains: four interleaved accumulator pairs (steps {@code q mod 4}) keep eight chains in flight.
     */
    static void tile1(int kc, float[] a, int ao, float[] b, int bo, float[] tile) {
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
            y0 = av.fma(FloatVector.fromArray(S, b, bo + TILE), y0);
            y1 = av.fma(FloatVector.fromArray(S, b, bo + TILE + V), y1);
            av = FloatVector.broadcast(S, a[ao + q + 2]);
            u0 = av.fma(FloatVector.fromArray(S, b, bo + 2 * TILE), u0);
            u1 = av.fma(FloatVector.fromArray(S, b, bo + 2 * TILE + V), u1);
            av = FloatVector.broadcast(S, a[ao + q + 3]);
            w0 = av.fma(FloatVector.fromArray(S, b, bo + 3 * TILE), w0);
            w1 = av.fma(FloatVector.fromArray(S, b, bo + 3 * TILE + V), w1);
            bo += 4 * TILE;
        }
        for (; q < kc; q++) {
            FloatVector av = FloatVector.broadcast(S, a[ao + q]);
            x0 = av.fma(FloatVector.fromArray(S, b, bo), x0);
            x1 = av.fma(FloatVector.fromArray(S, b, bo + V), x1);
            bo += TILE;
        }
        x0.add(y0).add(u0.add(w0)).intoArray(tile, 0);
        x1.add(y1).add(u1.add(w1)).intoArray(tile, V);
    }

    /**
     * One row over {@link #ROW_TILE} columns (4 panels, starting at {@code bo}, {@code panel} floats apart): for a
     * single row (batch-1 streaming) {@code B} is read once with no reuse, so this reads 4 panel streams at once with
     * 8 independent accumulator chains, instead of the 2-vector column strips of {@link #tile1}.
     */
    static void row8(int kc, float[] a, int ao, float[] b, int bo, int panel, float[] tile) {
        FloatVector x0 = FloatVector.zero(S);
        FloatVector x1 = FloatVector.zero(S);
        FloatVector x2 = FloatVector.zero(S);
        FloatVector x3 = FloatVector.zero(S);
        FloatVector x4 = FloatVector.zero(S);
        FloatVector x5 = FloatVector.zero(S);
        FloatVector x6 = FloatVector.zero(S);
        FloatVector x7 = FloatVector.zero(S);
        int p1 = bo + panel;
        int p2 = p1 + panel;
        int p3 = p2 + panel;
        for (int q = 0; q < kc; q++) {
            int o = q * TILE;
            FloatVector av = FloatVector.broadcast(S, a[ao + q]);
            x0 = av.fma(FloatVector.fromArray(S, b, bo + o), x0);
            x1 = av.fma(FloatVector.fromArray(S, b, bo + o + V), x1);
            x2 = av.fma(FloatVector.fromArray(S, b, p1 + o), x2);
            x3 = av.fma(FloatVector.fromArray(S, b, p1 + o + V), x3);
            x4 = av.fma(FloatVector.fromArray(S, b, p2 + o), x4);
            x5 = av.fma(FloatVector.fromArray(S, b, p2 + o + V), x5);
            x6 = av.fma(FloatVector.fromArray(S, b, p3 + o), x6);
            x7 = av.fma(FloatVector.fromArray(S, b, p3 + o + V), x7);
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
