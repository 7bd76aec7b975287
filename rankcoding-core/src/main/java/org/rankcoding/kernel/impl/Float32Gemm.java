package org.rankcoding.kernel.impl;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * The dense product of {@link Float32Kernels}: {@code C += A B} with {@code A} rounded to {@code float} and packed,
 * {@code B} a {@code float} copy in column panels of {@link Float32Packing#TILE} columns (the layout of
 * {@link org.rankcoding.kernel.PreparedMatrix#floats()}), and {@code C} in {@code double}.
 *
 * <p>The main tile of {@code C} is {@link #MR} rows by 2 vectors ({@code 2 V} columns, {@code V} = lanes of
 * {@link FloatVector#SPECIES_PREFERRED}: 16 with AVX-512, 8 with AVX2), held in registers while a block of the shared
 * dimension is walked: per step, 2 vector loads from the panel of {@code B} (contiguous: the panel is read as one
 * stream), {@code MR} broadcasts of {@code A} (its rows interleaved, one stream: {@link #pack}) and {@code 2 MR} fused
 * multiply-adds; all row tiles take a block of the panel in turn ({@link #KC} steps, so that it is read from L1), and the
 * column of tiles is then added to {@code C} ({@link Float32Packing#addBack}). With 512-bit vectors (32 vector
 * registers) {@code MR} is 8 ({@link #tile8}: 16 accumulators), which halves the loads of {@code B} per multiply-add
 * against the 4-row tile ({@link #tile4}) that narrower vectors (16 registers) use and that takes the rows left over,
 * the last 4-row tile padded with zero rows ({@link #tiledRows}). A single row (batch-1 streaming) uses a 1-row kernel
 * 8 vectors wide ({@link #row8}) with 8 independent accumulators. Every tile sums the shared dimension in the same
 * order, so an element of {@code C} gets the same bits in the 8-row and the 4-row tile, whichever rows share the
 * product with it (two or more). The tiles take arrays, offsets and sizes (kept flat so that the JIT inlines them and
 * scalar-replaces their vectors).
 */
final class Float32Gemm {

    private static final VectorSpecies<Float> S = Float32Packing.S;
    private static final int V = Float32Packing.V;
    private static final int TILE = Float32Packing.TILE;
    /** Rows of the main tile: 8 where there are 32 vector registers (512-bit vectors), else 4. */
    static final int MR = V >= 16 ? 8 : 4;
    /** Columns of the single-row kernel {@link #row8}: 4 panels. */
    static final int ROW_TILE = 8 * V;
    /**
     * Steps of the shared dimension per block of {@link #packed}: a block of a panel is {@code KC x 2V} floats (32 KiB
     * with AVX-512, within L1). On a 256 x 1,024 by 1,024 x 1,024 product on one core of an AVX-512 Xeon: 147 GFLOP/s
     * in blocks of 256 against 134 in one pass.
     */
    static final int KC = 256;

    private Float32Gemm() {
    }

    /**
     * {@code C[r,j] += sum_q A(r,q) B[q,j]} with {@code A(r,q) = a[ao + r*rs + q*qs]} ({@code double}), {@code B}
     * the {@code inner x m} matrix in column panels {@code b} ({@link Float32Packing#toPanels}), and {@code C}
     * row-major {@code rows x m}. {@code A} is first rounded into a packed {@code float} copy ({@link #pack}). Each
     * operand is an array, an offset and its strides (11 parameters with the scratch): the flat form both products
     * share.
     */
    static void gemm(int rows, int inner, int m, double[] a, int ao, int rs, int qs, float[] b,
                     double[] c, int co, Float32Scratch s) {
        float[] af = s.left(Math.max(rows, tiledRows(rows)) * inner);
        pack(rows, inner, a, ao, rs, qs, 0, inner, af);
        packed(rows, inner, m, af, b, c, co, s);
    }

    /**
     * {@code C += [A1 | A2] B}: as {@link #gemm} with {@code A} the row-major {@code rows x k1} matrix {@code a1}
     * and the row-major {@code rows x (inner - k1)} matrix {@code a2} side by side, packed into one {@code float}
     * copy (so that one product over the whole shared dimension replaces two).
     */
    static void gemmConcat(int rows, int inner, int m, double[] a1, int k1, double[] a2, float[] b, double[] c,
                           Float32Scratch s) {
        float[] af = s.left(Math.max(rows, tiledRows(rows)) * inner);
        int k2 = inner - k1;
        pack(rows, inner, a1, 0, k1, 1, 0, k1, af);
        pack(rows, inner, a2, 0, k2, 1, k1, k2, af);
        packed(rows, inner, m, af, b, c, 0, s);
    }

    /**
     * Rows of {@code A} that the register tiles take, the last 4-row tile padded with zero rows: all rows rounded up
     * to a multiple of 4, except a single row (0: it goes to the one-row kernels). A tile reads each block of {@code B}
     * once for all its rows, while each row of the one-row kernels reads all of {@code B} again; so the 1 to 3 rows
     * left over after the full tiles cost one padded tile instead of 1 to 3 passes over {@code B} (which, at hidden 512,
     * is 8 MB and comes from L3). This also gives every row of a product of two or more rows the same summation
     * order, whatever its position.
     */
    static int tiledRows(int rows) {
        return rows == 1 ? 0 : (rows + 3) / 4 * 4;
    }

    /**
     * Rounds columns {@code [q0, q0 + width)} of the {@code rows x inner} matrix {@code A} ({@code A(r, q0 + q) =
     * a[ao + r*rs + q*qs]}) into the packed copy {@code af} that the tiles read. Row {@code r}'s block starts at
     * {@code r * inner} whichever tile takes it: the rows of each full {@link #MR}-row tile are interleaved (element
     * {@code (r0 + i, q)} of the tile starting at row {@code r0} at {@code r0 * inner + q * MR + i}), so that a step of
     * the tile broadcasts {@code MR} consecutive values, one stream instead of {@code MR}; the 4-row tiles after them
     * likewise with 4, the last one padded with zero rows up to {@link #tiledRows}; a single row stays row-major for
     * the one-row kernels. Measured on a 256 x 1,024 by 1,024 x 1,024 product on one core of an AVX-512 Xeon: 134
     * GFLOP/s with interleaved rows against 79 with 8 row streams, the same bits.
     */
    static void pack(int rows, int inner, double[] a, int ao, int rs, int qs, int q0, int width, float[] af) {
        int fullMain = rows - rows % MR;
        int tiled = tiledRows(rows);
        int r = 0;
        for (; r < fullMain; r += MR) {
            interleave(a, ao + r * rs, rs, qs, width, MR, MR, af, r * inner + q0 * MR);
        }
        for (; r < tiled; r += 4) {
            interleave(a, ao + r * rs, rs, qs, width, 4, Math.min(4, rows - r), af, r * inner + q0 * 4);
        }
        if (tiled == 0) { // one row
            if (qs == 1) {
                Float32Packing.roundRow(a, ao, af, q0, width);
            } else {
                for (int q = 0; q < width; q++) {
                    af[q0 + q] = (float) a[ao + q * qs];
                }
            }
        }
    }

    /**
     * {@code af[d + q*h + i] = (float) a[src + i*rs + q*qs]} for {@code q < width} and the {@code real} rows
     * {@code i < real}, and 0 for the padding rows {@code real <= i < h}.
     */
    private static void interleave(double[] a, int src, int rs, int qs, int width, int h, int real, float[] af, int d) {
        if (qs == 1) { // rows contiguous: one row at a time, read in order
            for (int i = 0; i < real; i++) {
                int s = src + i * rs;
                for (int q = 0, o = d + i; q < width; q++, o += h) {
                    af[o] = (float) a[s + q];
                }
            }
        } else { // A stored transposed (rs == 1 in the products): each step's values are read together
            for (int q = 0; q < width; q++) {
                int s = src + q * qs;
                int o = d + q * h;
                for (int i = 0; i < real; i++) {
                    af[o + i] = (float) a[s + i * rs];
                }
            }
        }
        for (int i = real; i < h; i++) {
            for (int q = 0, o = d + i; q < width; q++, o += h) {
                af[o] = 0f;
            }
        }
    }

    /**
     * The product of {@link #gemm} once {@code A} is packed into {@code af} ({@link #pack}). For each panel of
     * {@code B}, the shared dimension is walked in blocks of {@link #KC} steps, each block by every row tile in turn,
     * so that the block of the panel ({@code KC x TILE} floats, 32 KiB with AVX-512) is read from L1 by all of them
     * instead of from L2 by each; a tile's accumulators wait between blocks in {@code sums} (stored and reloaded
     * exactly), so every element is summed in the same order, to the same bits, as in one pass.
     */
    private static void packed(int rows, int inner, int m, float[] af, float[] b, double[] c, int co, Float32Scratch s) {
        float[] tile = s.tile;
        int panel = inner * TILE;
        int fullMain = rows - rows % MR;
        int tiled = tiledRows(rows);
        if (tiled > 0) {
            float[] sums = s.sums(tiled * TILE);
            for (int j = 0, bo = 0; j < m; j += TILE, bo += panel) {
                Arrays.fill(sums, 0, tiled * TILE, 0f);
                for (int k0 = 0; k0 < inner; k0 += KC) {
                    int kc = Math.min(KC, inner - k0);
                    int bk = bo + k0 * TILE;
                    int r = 0;
                    if (MR == 8) {
                        for (; r < fullMain; r += 8) {
                            tile8(kc, af, r * inner + k0 * 8, b, bk, sums, r * TILE);
                        }
                    }
                    for (; r < tiled; r += 4) {
                        tile4(kc, af, r * inner + k0 * 4, b, bk, sums, r * TILE);
                    }
                }
                Float32Packing.addBack(sums, TILE, rows, Math.min(TILE, m - j), c, co + j, m);
            }
            return;
        }
        // a single row (rows == 1): no reuse of B across rows
        int padded = Float32Packing.paddedWidth(m);
        int j = 0;
        int bo = 0;
        for (; j + ROW_TILE <= padded; j += ROW_TILE, bo += 4 * panel) {
            row8(inner, af, 0, b, bo, panel, tile);
            Float32Packing.addBack(tile, ROW_TILE, 1, Math.min(ROW_TILE, m - j), c, co + j, m);
        }
        for (; j < m; j += TILE, bo += panel) {
            tile1(inner, af, 0, b, bo, tile);
            Float32Packing.addBack(tile, TILE, 1, Math.min(TILE, m - j), c, co + j, m);
        }
    }

    /**
     * 8 rows of {@code A} (interleaved: step {@code q}'s 8 values at {@code ao + 8q}) against one block of a panel of
     * {@code B}: 16 accumulators, loaded from and stored back to {@code sums} (row stride {@code TILE}) at {@code so}.
     */
    private static void tile8(int kc, float[] a, int ao, float[] b, int bo, float[] sums, int so) {
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
     * 4 rows of {@code A} (interleaved: step {@code q}'s 4 values at {@code ao + 4q}) against one block of a panel of
     * {@code B}: 8 accumulators, loaded from and stored back to {@code sums} at {@code so}.
     */
    private static void tile4(int kc, float[] a, int ao, float[] b, int bo, float[] sums, int so) {
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
    private static void tile1(int kc, float[] a, int ao, float[] b, int bo, float[] tile) {
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
    private static void row8(int kc, float[] a, int ao, float[] b, int bo, int panel, float[] tile) {
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
