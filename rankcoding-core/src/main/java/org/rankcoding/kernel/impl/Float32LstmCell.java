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
 * {@code (-2, 2, -1)} for {@code tanh}. Sixteen {@code double} inputs are rounded to one {@code float} vector (two
 * narrowing conversions of the same shape, as {@link Float32Packing#roundRow} does), {@code exp} is Cody and Waite's
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
    /** The scratch values {@link #logistic(double[], int, int, float, float, float, double[], int, double[])} needs. */
    static final int WINDOW = V;

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
     * The cell forward ({@link MatrixKernels#lstmCell}), activations in {@code float} (see the class comment);
     * {@code window} is scratch of at least {@link #WINDOW} values.
     */
    static void forward(int n, int hidden, double[] gates, double[] cPrev, double[] c, double[] tanhC, double[] h,
                        double[] window) {
        for (int r = 0; r < n; r++) {
            int a = r * 4 * hidden;
            int s = r * hidden;
            logistic(gates, a, 2 * hidden, -1f, 1f, 0f, gates, a, window);
            logistic(gates, a + 2 * hidden, hidden, -2f, 2f, -1f, gates, a + 2 * hidden, window);
            logistic(gates, a + 3 * hidden, hidden, -1f, 1f, 0f, gates, a + 3 * hidden, window);
            VectorLstmCell.cellState(hidden, gates, a, cPrev, c, s);
            logistic(c, s, hidden, -2f, 2f, -1f, tanhC, s, window);
            VectorLstmCell.output(hidden, gates, a, tanhC, h, s);
        }
    }

    /**
     * {@code dst[dOff + j] = a / (1 + exp(s * src[sOff + j])) + b} for {@code j < len}, in {@code float} (see the class
     * comment); {@code dst} may be {@code src}. {@code s} is meant to be -1 or -2 (exact scaling).
     *
     * <p>Whole vectors only, once {@code len} reaches a vector: when {@code len} is not a multiple of the vector
     * length, the vector that ends at {@code len} is computed first, from the inputs as they are, into
     * {@code window} (at least {@link #WINDOW} values), and its last values are copied to {@code dst} after the
     * others (computed in place, they would be overwritten before being read). A row's tail then costs one vector,
     * not a scalar loop (at hidden 125, a tenth of the elements). Shorter inputs run the scalar code.
     */
    static void logistic(double[] src, int sOff, int len, float s, float a, float b, double[] dst, int dOff,
                         double[] window) {
        if (!SAME_SHAPE || len < V) {
            for (int j = 0; j < len; j++) {
                dst[dOff + j] = logistic((float) src[sOff + j], s, a, b);
            }
            return;
        }
        int upper = len - len % V;
        FloatVector num = FloatVector.broadcast(F, a);
        for (int w = upper == len ? 0 : -V; w < upper; w += V) {
            int at = sOff + (w < 0 ? len - V : w);
            double[] out = w < 0 ? window : dst;
            int o = w < 0 ? 0 : dOff + w;
            FloatVector lo = (FloatVector) DoubleVector.fromArray(D, src, at).convert(VectorOperators.D2F, 0);
            FloatVector hi = (FloatVector) DoubleVector.fromArray(D, src, at + HALF).convert(VectorOperators.D2F, -1);
            FloatVector y = lo.add(hi).mul(s).max(MIN_ARG).min(MAX_ARG);
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
            ((DoubleVector) q.convert(VectorOperators.F2D, 0)).intoArray(out, o);
            ((DoubleVector) q.convert(VectorOperators.F2D, 1)).intoArray(out, o + HALF);
        }
        int rest = len - upper;
        System.arraycopy(window, V - rest, dst, dOff + upper, rest);
    }

    /**
     * One element of {@link #logistic(double[], int, int, float, float, float, double[], int, double[])}: the same
     * operations.
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
