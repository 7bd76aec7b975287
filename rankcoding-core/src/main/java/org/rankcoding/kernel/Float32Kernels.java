package org.rankcoding.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
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
 * {@code double} output. Everything else stays in {@code double}: the output and everything accumulated across
 * calls (the weight gradients summed over time steps, the master weights the optimizer updates), and the LSTM
 * cell's element-wise arithmetic ({@link #lstmCell} and {@link #lstmCellBackward} are those of
 * {@link VectorKernels}). The sparse row sums ({@link #sparseMultAdd}) add {@code float} rows per call. The relative error of one product element is about {@code (k + 2) * 6e-8}
 * of the sum of the absolute values of its terms for a shared dimension {@code k}.
 *
 * <h2>Micro-kernel</h2>
 * A 4-row by 2-vector tile of {@code C} ({@code 2 V} columns, {@code V} = lanes of
 * {@link FloatVector#SPECIES_PREFERRED}: 16 with AVX-512, 8 with AVX2) is held in 8 vector registers while
 * the shared dimension is walked once: per step, 2 vector loads of a row of {@code B}, 4 broadcasts of
 * {@code A}, 8 fused multiply-adds. The {@code float} copy of {@code B} has its rows padded with zeros to a
 * multiple of {@code 2 V}, so there is no column tail; only the add-back into {@code C} stops at the last
 * real column. Rows left over after the 4-row tiles (all rows, for batch-1 streaming) use a 1-row kernel
 * 8 vectors wide that reads {@code B} in long contiguous runs with 8 independent accumulators (twice the
 * speed of a 2-vector strip at one row). {@code A} is packed into a contiguous {@code float} copy first.
 * Per-call scratch (the {@code float} copy of an unprepared
 * {@code B}, one tile) lives in a per-thread buffer that grows to the largest size seen and is then reused:
 * steady-state calls allocate nothing.
 *
 * <p>This class must only be loaded when the JVM runs with {@code --add-modules jdk.incubator.vector};
 * {@link Kernels#best()} checks that and loads it reflectively. It uses only the preferred species (see
 * {@link VectorKernels} on why mixing vector shapes must be avoided).
 */
public final class Float32Kernels implements MatrixKernels {

    /** The shared instance; its only state is per-thread scratch. */
    public static final Float32Kernels INSTANCE = new Float32Kernels();

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Lanes of the preferred species. */
    private static final int V = S.length();
    /** The {@code double} species of the same shape (half the lanes): for widening the tile into {@code C}. */
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int HALF = D.length();
    /** Whether a {@code float} vector holds exactly two {@code double} vectors' lanes (true on x86 AVX2 and AVX-512). */
    private static final boolean SAME_SHAPE = 2 * HALF == V;
    /** Columns of a tile of {@code C}, and the multiple the rows of a prepared {@code float} copy are padded to. */
    static final int TILE = 2 * V;
    /** Rows of the main tile. */
    private static final int MR = 4;
    /** Columns of the single-row kernel {@link #row8}. */
    private static final int ROW_TILE = 8 * V;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * Per-thread buffers: the {@code float} copy of an unprepared right operand, the packed {@code float} copy of
     * the left operand, and one tile.
     */
    private static final class Scratch {
        float[] operand = new float[0];
        float[] left = new float[0];
        final float[] tile = new float[Math.max(MR * TILE, ROW_TILE)];

        float[] operand(int size) {
            if (operand.length < size) {
                operand = new float[size];
            }
            return operand;
        }

        float[] left(int size) {
            if (left.length < size) {
                left = new float[size];
            }
            return left;
        }
    }

    private final MatrixKernels elementwise = VectorKernels.INSTANCE;

    private Float32Kernels() {
    }

    /** The number of {@code float} lanes of the vectors in use (for logs). */
    public static int lanes() {
        return V;
    }

    /** Row stride of the padded {@code float} copy of a matrix with {@code cols} columns. */
    static int paddedWidth(int cols) {
        return (cols + TILE - 1) / TILE * TILE;
    }

    @Override
    public PreparedMatrix prepare(int rows, int cols) {
        return new PreparedMatrix(rows, cols, paddedWidth(Math.max(cols, 1)));
    }

    @Override
    public void multAdd(int n, int k, int m, double[] a, int aOff, double[] b, int bOff, double[] c, int cOff) {
        if (n <= 0 || k <= 0 || m <= 0) {
            return;
        }
        Scratch s = SCRATCH.get();
        int ld = paddedWidth(m);
        float[] bf = s.operand(k * ld);
        toFloats(b, bOff, k, m, bf, ld);
        gemm(n, k, m, a, aOff, k, 1, bf, ld, c, cOff, s);
    }

    @Override
    public void multAdd(int n, double[] a, int aOff, PreparedMatrix b, double[] c, int cOff) {
        float[] bf = b.floats();
        if (bf == null) {
            multAdd(n, b.rows(), b.cols(), a, aOff, b.values(), 0, c, cOff);
            return;
        }
        int k = b.rows();
        int m = b.cols();
        if (n <= 0 || k <= 0 || m <= 0) {
            return;
        }
        gemm(n, k, m, a, aOff, k, 1, bf, b.floatStride(), c, cOff, SCRATCH.get());
    }

    @Override
    public void multTransAAdd(int n, int k, int m, double[] a, int aOff, double[] b, int bOff, double[] c, int cOff) {
        if (n <= 0 || k <= 0 || m <= 0) {
            return;
        }
        Scratch s = SCRATCH.get();
        int ld = paddedWidth(m);
        float[] bf = s.operand(n * ld);
        toFloats(b, bOff, n, m, bf, ld);
        gemm(k, n, m, a, aOff, 1, k, bf, ld, c, cOff, s);
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
        Scratch s = SCRATCH.get();
        int ld = paddedWidth(m);
        float[] bf = s.operand(rows * ld);
        toFloats(b, bOff, rows, m, bf, ld);
        rowSums(n, m, start, idx, bf, ld, c, cOff, s.tile);
    }

    /**
     * Sums rows of the prepared matrix's {@code float} copy (half the bytes of the {@code double} one: these sums
     * are bound by reading the rows).
     */
    @Override
    public void sparseMultAdd(int n, int[] start, int[] idx, PreparedMatrix b, double[] c, int cOff) {
        float[] bf = b.floats();
        int m = b.cols();
        if (bf == null) {
            sparseMultAdd(n, m, start, idx, b.values(), 0, c, cOff);
            return;
        }
        if (n <= 0 || m <= 0) {
            return;
        }
        rowSums(n, m, start, idx, bf, b.floatStride(), c, cOff, SCRATCH.get().tile);
    }

    /**
     * {@code C[r,:] += sum of the rows idx[start[r] .. start[r+1]) of the float matrix bf} (row stride {@code ld}):
     * per row of {@code C} and per {@link #TILE}-column block, the rows are added in {@code float} registers and the
     * sum is added to the {@code double} output.
     */
    private static void rowSums(int n, int m, int[] start, int[] idx, float[] bf, int ld, double[] c, int cOff,
                                float[] tile) {
        for (int r = 0; r < n; r++) {
            int q0 = start[r];
            int q1 = start[r + 1];
            if (q1 <= q0) {
                continue;
            }
            int co = cOff + r * m;
            for (int j = 0; j < m; j += TILE) {
                FloatVector x0 = FloatVector.zero(S);
                FloatVector x1 = FloatVector.zero(S);
                for (int q = q0; q < q1; q++) {
                    int bo = idx[q] * ld + j;
                    x0 = x0.add(FloatVector.fromArray(S, bf, bo));
                    x1 = x1.add(FloatVector.fromArray(S, bf, bo + V));
                }
                x0.intoArray(tile, 0);
                x1.intoArray(tile, V);
                addBack(tile, TILE, 1, Math.min(TILE, m - j), c, co + j, m);
            }
        }
    }

    @Override
    public void lstmCell(int n, int hidden, double[] gates, double[] cPrev, double[] c, double[] tanhC, double[] h) {
        elementwise.lstmCell(n, hidden, gates, cPrev, c, tanhC, h);
    }

    @Override
    public void lstmCellBackward(int n, int hidden, int[] rows, double[] gates, double[] cPrev, double[] tanhC,
                                 double[] dh, double[] dc, double[] dGates) {
        elementwise.lstmCellBackward(n, hidden, rows, gates, cPrev, tanhC, dh, dc, dGates);
    }

    @Override
    public double precision() {
        return 0x1p-24;
    }

    @Override
    public String name() {
        return "float32";
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
     * {@code C[r,j] += sum_q A(r,q) B[q,j]} with {@code A(r,q) = a[ao + r*rs + q*qs]} ({@code double}), {@code B}
     * the padded {@code float} matrix {@code b} with row stride {@code ld}, and {@code C} row-major
     * {@code rows x m}. {@code A} is first packed into a contiguous row-major {@code float} copy (a fixed unit
     * stride lets the JIT drop the bounds checks of the broadcasts; variable strides halve the speed).
     */
    private static void gemm(int rows, int inner, int m, double[] a, int ao, int rs, int qs, float[] b, int ld,
                             double[] c, int co, Scratch s) {
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
                    addBack(tile, TILE, MR, w, c, co + r * m + j, m);
                }
            }
        }
        for (int r = full; r < rows; r++) {
            int j = 0;
            for (; j + ROW_TILE <= ld; j += ROW_TILE) {
                row8(inner, af, r * inner, b, j, ld, tile);
                addBack(tile, ROW_TILE, 1, Math.min(ROW_TILE, m - j), c, co + r * m + j, m);
            }
            for (; j < m; j += TILE) {
                tile1(inner, af, r * inner, b, j, ld, tile);
                addBack(tile, TILE, 1, Math.min(TILE, m - j), c, co + r * m + j, m);
            }
        }
    }

    /**
     * {@code c[co + i*ldc + jj] += tile[i*stride + jj]} for the first {@code rows} rows and {@code w} columns:
     * whole vectors with widening conversions, the rest with a scalar loop.
     */
    private static void addBack(float[] tile, int stride, int rows, int w, double[] c, int co, int ldc) {
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
