package org.rankcoding.kernel.impl;

import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.kernel.PreparedMatrix;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.kernel.LstmForwardShape;
import java.util.Objects;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link MatrixKernels} whose dense products run in single precision on the incubating Vector API
 * ({@code jdk.incubator.vector}), with {@code double} values at the interface: the fastest implementation for
 * training and inference, at the precision PyTorch trains in.
 *
 * <h2>Precision</h2>
 * The right operand {@code B} is rounded to {@code float} (once, when it is {@linkplain #prepare prepared}; per
 * call otherwise), each element of {@code A} is rounded when it is broadcast, a tile of {@code C} is accumulated
 * in {@code float} over the whole shared dimension with fused multiply-adds, and the tile is then added to the
 * {@code double} output. The LSTM cell's activations ({@code sigmoid} and {@code tanh} in {@link #lstmCell}) are
 * computed in {@code float} too, within about {@code 1.2e-7} of the exact values ({@link Float32LstmCell}). Everything
 * else stays in {@code double}: the output and everything accumulated across calls (the weight gradients summed over
 * time steps, the master weights the optimizer updates), the cell's state update and its backward pass
 * ({@link #lstmCellBackward} is that of {@link VectorKernels}). A product with an unprepared {@code B} and at most
 * {@link #DOUBLE_ROWS} output rows runs in {@code double} (rounding {@code B} would cost more than the product), and so
 * do the picked rows times a strided block ({@link #rowsTimesBlockAdd}). The sparse row sums ({@link #sparseMultAdd})
 * add {@code float} rows per call. The
 * relative error of one product element is about {@code (k + 2) * 6e-8} of the sum of the absolute values of its
 * terms for a shared dimension {@code k}.
 *
 * <h2>Micro-kernel</h2>
 * The products run in {@link Float32Gemm} (an 8-row by 2-vector register tile with 512-bit vectors, 4 rows
 * otherwise, and a wide 1-row kernel for single rows); the {@code float} copies and the widening add-back are in
 * {@link Float32Packing}. The {@code float} copy of {@code B} is packed in column panels of the tile width, padded
 * with zero columns, so that a tile reads its panel as one contiguous stream and there is no column tail. Per-call
 * scratch (the {@code float} copy of an unprepared {@code B}, the packed {@code A}, one tile) lives in a per-thread
 * {@link Float32Scratch}: steady-state calls allocate nothing.
 *
 * <p>This class must only be loaded when the JVM runs with {@code --add-modules jdk.incubator.vector};
 * {@link Kernels#best()} checks that and loads it reflectively. It uses only the preferred species (see
 * {@link VectorKernels} on why mixing vector shapes must be avoided).
 */
public final class Float32Kernels implements MatrixKernels {

    /** The shared instance; its only state is per-thread scratch. */
    public static final Float32Kernels INSTANCE = new Float32Kernels();

    private static final VectorSpecies<Float> S = Float32Packing.S;
    private static final int V = Float32Packing.V;
    private static final int TILE = Float32Packing.TILE;

    private Float32Kernels() {
    }

    /** The number of {@code float} lanes of the vectors in use (for logs). */
    public static int lanes() {
        return Float32Packing.V;
    }

    @Override
    public PreparedMatrix prepare(int rows, int cols) {
        return new PreparedMatrix(rows, cols, TILE);
    }

    /** The prepared matrix's {@code float} panels if they are in this implementation's layout, else {@code null}. */
    private static float[] ownPanels(PreparedMatrix b) {
        return b.panelWidth() == TILE ? b.floats() : null;
    }

    /**
     * The most output rows for which a product with an unprepared {@code B} runs in {@code double} (the product of
     * {@link VectorKernels}) instead of rounding {@code B} to a {@code float} copy first: with so few rows the
     * rounding costs more than the product. Measured for {@code C += A^T B} with a 512 x 1,024 {@code B} on one core of
     * an AVX-512 Xeon: 328-344 µs in {@code float} for 1 to 8 output rows (nearly all of it the rounding), 152-307 µs in
     * {@code double}; 426 against 518 µs at 16 rows. The noise-vs-signal model's input-weight gradient ({@code k = 1})
     * is such a product.
     */
    static final int DOUBLE_ROWS = 8;

    @Override
    public void multAdd(int n, int k, int m, double[] a, int aOff, double[] b, int bOff, double[] c, int cOff) {
        if (n <= 0 || k <= 0 || m <= 0) {
            return;
        }
        if (n <= DOUBLE_ROWS) {
            VectorKernels.INSTANCE.multAdd(n, k, m, a, aOff, b, bOff, c, cOff);
            return;
        }
        Float32Scratch s = Float32Scratch.get();
        float[] bf = s.operand(k * Float32Packing.paddedWidth(m));
        Float32Packing.toPanels(b, bOff, k, m, bf);
        Float32Gemm.gemm(n, k, m, a, aOff, k, 1, bf, c, cOff, s);
    }

    @Override
    public void multAdd(int n, double[] a, int aOff, PreparedMatrix b, double[] c, int cOff) {
        float[] bf = ownPanels(b);
        if (bf == null) {
            multAdd(n, b.rows(), b.cols(), a, aOff, b.values(), 0, c, cOff);
            return;
        }
        int k = b.rows();
        int m = b.cols();
        if (n <= 0 || k <= 0 || m <= 0) {
            return;
        }
        Float32Gemm.gemm(n, k, m, a, aOff, k, 1, bf, c, cOff, Float32Scratch.get());
    }

    /** Packs {@code A1} and {@code A2} side by side into one {@code float} copy: one product over the whole {@code k}. */
    @Override
    public void multAddConcat(int n, double[] a1, int k1, double[] a2, PreparedMatrix b, double[] c) {
        Objects.requireNonNull(a1, "a1 is null");
        Objects.requireNonNull(a2, "a2 is null");
        Objects.requireNonNull(b, "b is null");
        Objects.requireNonNull(c, "c is null");
        float[] bf = ownPanels(b);
        int k = b.rows();
        if (bf == null || k1 < 0 || k1 > k) { // the default checks k1
            MatrixKernels.super.multAddConcat(n, a1, k1, a2, b, c);
            return;
        }
        int m = b.cols();
        if (n <= 0 || k <= 0 || m <= 0) {
            return;
        }
        Float32Gemm.gemmConcat(n, k, m, a1, k1, a2, bf, c, Float32Scratch.get());
    }

    @Override
    public void multTransAAdd(int n, int k, int m, double[] a, int aOff, double[] b, int bOff, double[] c, int cOff) {
        if (n <= 0 || k <= 0 || m <= 0) {
            return;
        }
        if (k <= DOUBLE_ROWS) {
            VectorKernels.INSTANCE.multTransAAdd(n, k, m, a, aOff, b, bOff, c, cOff);
            return;
        }
        Float32Scratch s = Float32Scratch.get();
        float[] bf = s.operand(n * Float32Packing.paddedWidth(m));
        Float32Packing.toPanels(b, bOff, n, m, bf);
        Float32Gemm.gemm(k, n, m, a, aOff, 1, k, bf, c, cOff, s);
    }

    /**
     * Sums rows of {@code B} in single precision: {@code B} is first rounded to a {@code float} copy (its rows up to
     * the largest index used), then summed as {@link #sparseMultAdd(int, int[], int[], PreparedMatrix, double[], int)}
     * does. Used for the input-weight gradient of sparse inputs, where {@code B} is the gradient on the gates.
     */
    @Override
    public void sparseMultAdd(int n, int m, int[] start, int[] idx, double[] b, int bOff, double[] c, int cOff) {
        if (n <= 0 || m <= 0 || start[n] <= start[0]) {
            return;
        }
        int rows = 0;
        for (int q = start[0]; q < start[n]; q++) {
            rows = Math.max(rows, idx[q] + 1);
        }
        Float32Scratch s = Float32Scratch.get();
        float[] bf = s.operand(rows * Float32Packing.paddedWidth(m));
        Float32Packing.toPanels(b, bOff, rows, m, bf);
        rowSums(n, m, start, idx, bf, rows * TILE, c, cOff, s.tile);
    }

    /**
     * Sums rows of the prepared matrix's {@code float} copy (half the bytes of the {@code double} one: these sums
     * are bound by reading the rows).
     */
    @Override
    public void sparseMultAdd(int n, int[] start, int[] idx, PreparedMatrix b, double[] c, int cOff) {
        float[] bf = ownPanels(b);
        int m = b.cols();
        if (bf == null) {
            sparseMultAdd(n, m, start, idx, b.values(), 0, c, cOff);
            return;
        }
        if (n <= 0 || m <= 0) {
            return;
        }
        rowSums(n, m, start, idx, bf, b.rows() * TILE, c, cOff, Float32Scratch.get().tile);
    }

    /**
     * {@code C[r,:] += sum of the rows idx[start[r] .. start[r+1]) of the float matrix bf} (column panels of
     * {@code panel} floats each): per row of {@code C} and per panel, the rows are added in {@code float} registers and
     * the sum is added to the {@code double} output. The parameters are those of {@link MatrixKernels#sparseMultAdd}
     * plus the panel size and the tile buffer.
     */
    private static void rowSums(int n, int m, int[] start, int[] idx, float[] bf, int panel, double[] c, int cOff,
                                float[] tile) {
        for (int r = 0; r < n; r++) {
            int q0 = start[r];
            int q1 = start[r + 1];
            if (q1 <= q0) {
                continue;
            }
            int co = cOff + r * m;
            for (int j = 0, po = 0; j < m; j += TILE, po += panel) {
                FloatVector x0 = FloatVector.zero(S);
                FloatVector x1 = FloatVector.zero(S);
                for (int q = q0; q < q1; q++) {
                    int bo = po + idx[q] * TILE;
                    x0 = x0.add(FloatVector.fromArray(S, bf, bo));
                    x1 = x1.add(FloatVector.fromArray(S, bf, bo + V));
                }
                x0.intoArray(tile, 0);
                x1.intoArray(tile, V);
                Float32Packing.addBack(tile, TILE, 1, Math.min(TILE, m - j), c, co + j, m);
            }
        }
    }

    @Override
    public void lstmCell(int n, int hidden, double[] gates, double[] cPrev, double[] c, double[] tanhC, double[] h) {
        Float32Scratch s = Float32Scratch.get();
        Float32LstmCell.forward(n, hidden, gates, cPrev, c, tanhC, h, s.preActivations(n * 4 * hidden), s.cellRow(hidden));
    }

    /**
     * The pre-activations stay in {@code float} from the product to the cell: each panel's sums are added to the bias
     * in {@code double} and rounded straight into a {@code float} scratch matrix ({@link Float32Gemm#gemmConcatBias}),
     * which the cell reads ({@link Float32LstmCell#forwardRounded}); the {@code double} gates are written once, with
     * the activations. The same bits as the default's three steps (which set the {@code double} gates to the bias, add
     * the product and round them for the activations), without its passes over the gates. Stacked weights not in this
     * implementation's layout run the default.
     */
    @Override
    public void lstmForward(int n, double[] bias, double[] hPrev, double[] x, PreparedMatrix stacked, double[] gates,
                            double[] cPrev, double[] c, double[] tanhC, double[] h) {
        int hidden = LstmForwardShape.hidden(bias, x, stacked, gates, c, tanhC, h);
        float[] bf = ownPanels(stacked);
        if (bf == null) {
            MatrixKernels.super.lstmForward(n, bias, hPrev, x, stacked, gates, cPrev, c, tanhC, h);
            return;
        }
        if (n <= 0) { // no rows: nothing to compute (the product would otherwise take the one-row path)
            return;
        }
        int g4 = 4 * hidden;
        Float32Scratch s = Float32Scratch.get();
        float[] pre = s.preActivations(n * g4);
        Float32Gemm.gemmConcatBias(n, stacked.rows(), g4, hPrev, hidden, x, bf, bias, pre, s); // hPrev null: A1 = 0
        Float32LstmCell.forwardRounded(n, hidden, pre, gates, cPrev, c, tanhC, h, s.cellRow(hidden));
    }

    @Override
    public void lstmCellBackward(int n, int hidden, int[] rows, double[] gates, double[] cPrev, double[] tanhC,
                                 double[] dh, double[] dc, double[] dGates) {
        VectorLstmCell.backward(n, hidden, rows, gates, cPrev, tanhC, dh, dc, dGates);
    }

    @Override
    public double precision() {
        return 0x1p-24;
    }

    @Override
    public String name() {
        return "float32";
    }

    /** {@link VectorBlocks#rowsTimesBlock}, in {@code double}. */
    @Override
    public void rowsTimesBlockAdd(int n, int k, int m, int[] aStart, double[] a, double[] b, int bOff, int bStride,
                                  int[] cStart, double[] c) {
        VectorBlocks.rowsTimesBlock(n, k, m, aStart, a, b, bOff, bStride, cStart, c);
    }
}
