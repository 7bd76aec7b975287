package org.rankcoding.kernel.impl;

import org.rankcoding.kernel.MatrixKernels;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The forward LSTM cell of {@link Float32Kernels}: the gate activations and {@code tanh(c)} in {@code float}, the
 * state update {@code c = f c_prev + i g} and the output {@code h = o tanh(c)} in {@code double} (those of
 * {@link VectorLstmCell}). Signature and formulas are those of {@link MatrixKernels#lstmCell}.
 *
 * <h2>Why {@code float}</h2>
 * In {@code double} the cell's activations cost as much as a third of a hidden-256 model's inference (the
 * division of {@code 1 / (1 + exp(-x))} alone: eight lanes per instruction, a long latency each), while the gates
 * come out of products accumulated in {@code float}, good to about {@code 6e-8} relative: computing their
 * activations to double precision keeps digits that are not there. In {@code float} a vector holds sixteen lanes
 * and its division is several times cheaper. The activations here are within about {@code 1.2e-7} of the exact ones
 * ({@code sigmoid} and {@code tanh} alike, absolute), about what the product already left in the gates.
 *
 * <h2>How</h2>
 * Each activation is {@code a / (1 + exp(s x)) + b}: {@code (s, a, b) = (-1, 1, 0)} for the logistic function,
 * {@code (-2, 2, -1)} for {@code tanh}. The pre-activations (and then each row's cell state) are first rounded to
 * {@code float} scratch in one pass ({@link Float32Packing#roundRow}), or come rounded from the product
 * ({@link Float32Kernels#lstmForward}); the activations read whole {@code float} vectors from it. {@code exp} is Cody and Waite's
 * reduction ({@code k = round(y / ln 2)}, {@code ln 2} in two parts) times the degree-7 Taylor polynomial of
 * {@code exp(r)} for {@code |r| <= 0.35} (truncation error below {@code 6e-9} relative) and {@code 2^k} built in the
 * exponent bits, with {@code y = s x} clamped to {@code [-87, 88]} (normal {@code float} results); the quotient is
 * widened back into two {@code double} vectors. A row's tail is one more vector, overlapping the last whole one;
 * inputs shorter than a vector run the same operations in scalar code ({@link Math#fma(float, float, float)} for
 * each fused multiply-add). Every operation is exactly rounded and lane-wise, so an element gets the same bits
 * wherever it sits and whether the code runs compiled or interpreted.
 *
 * <p>Each method takes and returns arrays only: no vector crosses a call, so nothing is allocated whether or not the
 * JIT inlines it (see {@link VectorExp#scaledExp}). Only the preferred species are used (see {@link VectorKernels}).
 * The rounding is a pass of its own: with the two narrowing conversions inside the activations' loop instead,
 * the cell of 64 rows took 1.04x-1.18x as long on a Zen 3 core under JDK 17 (medians of four alternated
 * {@code LstmCellBenchmark} runs, hidden 512 to 125), to the same bits.
 * The backward cell stays in {@code double} ({@link VectorLstmCell#backward}): it has no transcendental function,
 * and the gradient checks that run on these kernels compare it with finite differences of this forward.
 */
final class Float32LstmCell {

    private static final VectorSpecies<Float> F = Float32Packing.S;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int V = F.length();
    private static final int HALF = D.length();
    /** Whether a {@code float} vector holds exactly two {@code double} vectors' lanes (true on x86 AVX2 and AVX-512). */
    private static final boolean SAME_SHAPE = 2 * HALF == V;

    private static final float LOG2E = 1.44269504f;
    /** ln 2 in a high part exact in 9 bits ({@code 355 / 512}) and the rest, negated (Cody and Waite; as Cephes' expf). */
    private static final float NEG_LN2_HI = -0.693359375f;
    private static final float NEG_LN2_LO = 2.12194440e-4f;
    /** {@code 1.5 * 2^23}: adding it rounds a float of magnitude below {@code 2^22} to an integer in the low bits. */
    private static final float ROUND = 0x1.8p23f;
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
    private static final float MIN_ARG = -87f;
    private static final float MAX_ARG = 88f;
    /* Taylor coefficients 1/7!, ..., 1/0!, each the correctly rounded float of an exact reciprocal. */
    private static final float C7 = 1f / 5040f;
    private static final float C6 = 1f / 720f;
    private static final float C5 = 1f / 120f;
    private static final float C4 = 1f / 24f;
    private static final float C3 = 1f / 6f;
    private static final float C2 = 0.5f;
    private static final float C1 = 1f;
    private static final float C0 = 1f;

    private Float32LstmCell() {
    }

    /**
     * The cell forward ({@link MatrixKernels#lstmCell}), activations in {@code float} (see the class comment): the
     * pre-activations rounded to {@code float} into {@code pre} (scratch of at least {@code n * 4 * hidden} values),
     * then {@link #forwardRounded}; {@code cRow} is scratch of at least {@code hidden} values.
     */
    static void forward(int n, int hidden, double[] gates, double[] cPrev, double[] c, double[] tanhC, double[] h,
                        float[] pre, float[] cRow) {
        Float32Packing.roundRow(gates, 0, pre, 0, n * 4 * hidden);
        forwardRounded(n, hidden, pre, gates, cPrev, c, tanhC, h, cRow);
    }

    /**
     * The cell forward from pre-activations already rounded to {@code float}: {@code pre} holds {@code n x 4H} of them
     * (read), and the activations are written to {@code gates} ({@code n x 4H}), the rest as
     * {@link MatrixKernels#lstmCell}. Each row's new cell state is rounded into {@code cRow} (at least {@code hidden}
     * values) for {@code tanh(c)}.
     */
    static void forwardRounded(int n, int hidden, float[] pre, double[] gates, double[] cPrev, double[] c,
                               double[] tanhC, double[] h, float[] cRow) {
        for (int r = 0; r < n; r++) {
            int a = r * 4 * hidden;
            int s = r * hidden;
            logistic(pre, a, 2 * hidden, -1f, 1f, 0f, gates, a);
            logistic(pre, a + 2 * hidden, hidden, -2f, 2f, -1f, gates, a + 2 * hidden);
            logistic(pre, a + 3 * hidden, hidden, -1f, 1f, 0f, gates, a + 3 * hidden);
            VectorLstmCell.cellState(hidden, gates, a, cPrev, c, s);
            Float32Packing.roundRow(c, s, cRow, 0, hidden);
            logistic(cRow, 0, hidden, -2f, 2f, -1f, tanhC, s);
            VectorLstmCell.output(hidden, gates, a, tanhC, h, s);
        }
    }

    /**
     * {@code dst[dOff + j] = a / (1 + exp(s * src[sOff + j])) + b} for {@code j < len}, in {@code float} (see the class
     * comment), widened to {@code double}. {@code s} is meant to be -1 or -2 (exact scaling).
     *
     * <p>Whole vectors only, once {@code len} reaches a vector: when {@code len} is not a multiple of the vector
     * length, the last vector is the one that ends at {@code len}, overlapping the whole vector before it (whose
     * shared elements it computes again, to the same bits). A row's tail then costs one vector, not a scalar loop (at
     * hidden 125, a tenth of the elements). Shorter inputs run the scalar code.
     */
    static void logistic(float[] src, int sOff, int len, float s, float a, float b, double[] dst, int dOff) {
        if (!SAME_SHAPE || len < V) {
            for (int j = 0; j < len; j++) {
                dst[dOff + j] = logistic(src[sOff + j], s, a, b);
            }
            return;
        }
        FloatVector num = FloatVector.broadcast(F, a);
        for (int w = 0; w < len; w += V) {
            int at = Math.min(w, len - V);
            FloatVector y = FloatVector.fromArray(F, src, sOff + at).mul(s).max(MIN_ARG).min(MAX_ARG);
            FloatVector v = y.fma(LOG2E, ROUND);
            FloatVector k = v.sub(ROUND);
            FloatVector r = k.fma(FloatVector.broadcast(F, NEG_LN2_HI), y);
            r = k.fma(FloatVector.broadcast(F, NEG_LN2_LO), r);
            FloatVector p = FloatVector.broadcast(F, C7);
            p = p.fma(r, FloatVector.broadcast(F, C6));
            p = p.fma(r, FloatVector.broadcast(F, C5));
            p = p.fma(r, FloatVector.broadcast(F, C4));
            p = p.fma(r, FloatVector.broadcast(F, C3));
            p = p.fma(r, FloatVector.broadcast(F, C2));
            p = p.fma(r, FloatVector.broadcast(F, C1));
            p = p.fma(r, FloatVector.broadcast(F, C0));
            IntVector bits = v.reinterpretAsInts().sub(ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23);
            FloatVector q = num.div(p.mul(bits.reinterpretAsFloats()).add(1f)).add(b);
            ((DoubleVector) q.convert(VectorOperators.F2D, 0)).intoArray(dst, dOff + at);
            ((DoubleVector) q.convert(VectorOperators.F2D, 1)).intoArray(dst, dOff + at + HALF);
        }
    }

    /**
     * One element of {@link #logistic(float[], int, int, float, float, float, double[], int)}: the same operations.
     */
    static float logistic(float x, float s, float a, float b) {
        float y = Math.min(Math.max(x * s, MIN_ARG), MAX_ARG);
        float v = Math.fma(y, LOG2E, ROUND);
        float k = v - ROUND;
        float r = Math.fma(k, NEG_LN2_HI, y);
        r = Math.fma(k, NEG_LN2_LO, r);
        float p = C7;
        p = Math.fma(p, r, C6);
        p = Math.fma(p, r, C5);
        p = Math.fma(p, r, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, C2);
        p = Math.fma(p, r, C1);
        p = Math.fma(p, r, C0);
        float e = p * Float.intBitsToFloat((Float.floatToRawIntBits(v) - (ROUND_BITS - 127)) << 23);
        return a / (e + 1f) + b;
    }
}
