package org.rankcoding.kernel.impl;

import jdk.incubator.vector.FloatVector;

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
 * registers) {@code MR} is 8 ({@link Float32Tiles#tile8}: 16 accumulators), which halves the loads of {@code B} per
 * multiply-add against the 4-row tile ({@link Float32Tiles#tile4}); with 256-bit vectors (16 registers) it is 5
 * ({@link Float32Tiles#tile5}: 10 accumulators; see {@link #MR}). The 4-row tile takes the rows left over, the last
 * one padded with zero rows ({@link #tiledRows}). A single row (batch-1 streaming) uses a 1-row kernel 8 vectors wide
 * ({@link Float32Tiles#row8}) with 8 independent accumulators. Every tile sums the shared dimension in the same order,
 * so an element of {@code C} gets the same bits in the 8-, 5- and 4-row tiles, whichever rows share the product with
 * it (two or more).
 */
final class Float32Gemm {

    private static final int V = Float32Packing.V;
    private static final int TILE = Float32Packing.TILE;
    /**
     * Rows of the main tile: 8 where there are 32 vector registers (512-bit vectors: 16 accumulators), else 5 (10
     * accumulators, 2 vectors of {@code B} and a broadcast in the 16 registers of AVX2, with 3 to spare: a 6-row tile
     * fills all 16, and JDK 25's C2 then ran it at half the speed of the 4- and 5-row tiles).
     */
    static final int MR = V >= 16 ? 8 : 5;
    /** Columns of the single-row kernel {@link Float32Tiles#row8}: 4 panels. */
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
        packed(rows, inner, m, packWhole(rows, inner, a, ao, rs, qs, s), b, c, co, s);
    }

    /** {@code A} ({@link #gemm}) rounded and packed into the scratch's left-operand buffer, returned. */
    private static float[] packWhole(int rows, int inner, double[] a, int ao, int rs, int qs, Float32Scratch s) {
        float[] af = s.left(Math.max(rows, tiledRows(rows)) * inner);
        pack(rows, inner, a, ao, rs, qs, 0, inner, af);
        return af;
    }

    /**
     * {@code C += [A1 | A2] B}: as {@link #gemm} with {@code A} the row-major {@code rows x k1} matrix {@code a1}
     * and the row-major {@code rows x (inner - k1)} matrix {@code a2} side by side, packed into one {@code float}
     * copy (so that one product over the whole shared dimension replaces two).
     */
    static void gemmConcat(int rows, int inner, int m, double[] a1, int k1, double[] a2, float[] b, double[] c,
                           Float32Scratch s) {
        packed(rows, inner, m, packConcat(rows, inner, a1, k1, a2, s), b, c, 0, s);
    }

    /** {@code [A1 | A2]} ({@link #gemmConcat}) rounded and packed into the scratch's left-operand buffer, returned. */
    private static float[] packConcat(int rows, int inner, double[] a1, int k1, double[] a2, Float32Scratch s) {
        float[] af = s.left(Math.max(rows, tiledRows(rows)) * inner);
        int k2 = inner - k1;
        pack(rows, inner, a1, 0, k1, 1, 0, k1, af);
        pack(rows, inner, a2, 0, k2, 1, k1, k2, af);
        return af;
    }

    /**
     * Rows of {@code A} that the register tiles take, the last 4-row tile padded with zero rows: the full
     * {@link #MR}-row tiles and the rows left after them rounded up to a multiple of 4, except a single row (0: it
     * goes to the one-row kernels). A tile reads each block of {@code B}
     * once for all its rows, while each row of the one-row kernels reads all of {@code B} again; so the 1 to 3 rows
     * left over after the full tiles cost one padded tile instead of 1 to 3 passes over {@code B} (which, at hidden 512,
     * is 8 MB and comes from L3). This also gives every row of a product of two or more rows the same summation
     * order, whatever its position.
     */
    static int tiledRows(int rows) {
        if (rows == 1) {
            return 0;
        }
        int fullMain = mainRows(rows);
        return fullMain + (rows - fullMain + 3) / 4 * 4;
    }

    /** Rows of {@code A} that the full {@link #MR}-row tiles take: {@code rows} rounded down to a multiple of MR. */
    private static int mainRows(int rows) {
        return rows - rows % MR;
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
        int fullMain = mainRows(rows);
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
     * The product of {@link #gemm} once {@code A} is packed into {@code af} ({@link #pack}): for each panel of
     * {@code B}, its sums by all rows ({@link #panelSums}) added to {@code C}; a single row runs the one-row kernels.
     */
    private static void packed(int rows, int inner, int m, float[] af, float[] b, double[] c, int co, Float32Scratch s) {
        int tiled = tiledRows(rows);
        if (tiled == 0) {
            float[] row = singleRow(inner, inner * TILE, m, af, b, 0, s);
            Float32Packing.addBack(row, 0, 1, m, c, co, 0);
            return;
        }
        float[] sums = s.sums(tiled * TILE);
        for (int j = 0, bo = 0; j < m; j += TILE, bo += inner * TILE) {
            panelSums(rows, inner, af, b, bo, sums);
            Float32Packing.addBack(sums, TILE, rows, Math.min(TILE, m - j), c, co + j, m);
        }
    }

    /**
     * {@code pre = (float) (bias + [A1 | A2] B)}: the product of {@link #gemmConcat} with each block of sums, instead
     * of being added to a {@code double} output, added to {@code bias} in {@code double} and rounded to {@code float}
     * into the row-major {@code rows x m} matrix {@code pre} ({@link Float32Packing#biasRounded}): the bits that
     * setting a {@code double} output to the bias, adding the product to it and rounding it would give, without that
     * output. {@code a1 == null} means {@code A1 = 0}: only {@code A2} is packed and the first {@code k1} rows of
     * {@code B} are not read (the sums of the rest start from zero as they would after exact zeros).
     */
    static void gemmConcatBias(int rows, int inner, int m, double[] a1, int k1, double[] a2, float[] b, double[] bias,
                               float[] pre, Float32Scratch s) {
        int skip = a1 == null ? k1 : 0;
        int used = inner - skip;
        float[] af = a1 == null ? packWhole(rows, used, a2, 0, used, 1, s) : packConcat(rows, inner, a1, k1, a2, s);
        int panel = inner * TILE;
        int tiled = tiledRows(rows);
        if (tiled == 0) {
            float[] row = singleRow(used, panel, m, af, b, skip * TILE, s);
            Float32Packing.biasRounded(row, 0, 1, m, bias, 0, pre, 0, 0);
            return;
        }
        float[] sums = s.sums(tiled * TILE);
        for (int j = 0, bo = skip * TILE; j < m; j += TILE, bo += panel) {
            panelSums(rows, used, af, b, bo, sums);
            Float32Packing.biasRounded(sums, TILE, rows, Math.min(TILE, m - j), bias, j, pre, j, m);
        }
    }

    /**
     * The sums of a single row by {@code B} (no reuse of {@code B} across rows): the one-row kernels, 4 panels at a
     * time, then one, into the scratch's row buffer, returned ({@code m} values). The row has {@code inner} steps;
     * {@code B}'s panels are {@code panel} floats apart, the first read from {@code b0}.
     */
    private static float[] singleRow(int inner, int panel, int m, float[] af, float[] b, int b0, Float32Scratch s) {
        float[] tile = s.tile;
        float[] row = s.sums(m);
        int padded = Float32Packing.paddedWidth(m);
        int j = 0;
        int bo = b0;
        for (; j + ROW_TILE <= padded; j += ROW_TILE, bo += 4 * panel) {
            Float32Tiles.row8(inner, af, 0, b, bo, panel, tile);
            System.arraycopy(tile, 0, row, j, Math.min(ROW_TILE, m - j));
        }
        for (; j < m; j += TILE, bo += panel) {
            Float32Tiles.tile1(inner, af, 0, b, bo, tile);
            System.arraycopy(tile, 0, row, j, Math.min(TILE, m - j));
        }
        return row;
    }

    /**
     * The sums of one panel of {@code B} (at {@code bo}) by all rows of the packed {@code af}, for {@code rows >= 2}:
     * {@code sums[r * TILE + jj]}, row {@code r} and column {@code jj} of the panel. The shared dimension is walked in
     * blocks of {@link #KC} steps, each block by every row tile in turn, so that the block of the panel
     * ({@code KC x TILE} floats, 32 KiB with AVX-512) is read from L1 by all of them instead of from L2 by each; a
     * tile's accumulators wait between blocks in {@code sums} (stored and reloaded exactly), so every element is summed
     * in the same order, to the same bits, as in one pass.
     */
    private static void panelSums(int rows, int inner, float[] af, float[] b, int bo, float[] sums) {
        int fullMain = mainRows(rows);
        int tiled = tiledRows(rows);
        Arrays.fill(sums, 0, tiled * TILE, 0f);
        for (int k0 = 0; k0 < inner; k0 += KC) {
            int kc = Math.min(KC, inner - k0);
            int bk = bo + k0 * TILE;
            int r = 0;
            if (MR == 8) {
                for (; r < fullMain; r += 8) {
                    Float32Tiles.tile8(kc, af, r * inner + k0 * 8, b, bk, sums, r * TILE);
                }
            } else {
                for (; r < fullMain; r += 5) {
                    Float32Tiles.tile5(kc, af, r * inner + k0 * 5, b, bk, sums, r * TILE);
                }
            }
            for (; r < tiled; r += 4) {
                Float32Tiles.tile4(kc, af, r * inner + k0 * 4, b, bk, sums, r * TILE);
            }
        }
    }
}
