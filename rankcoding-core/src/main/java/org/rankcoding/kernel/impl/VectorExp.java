package org.rankcoding.kernel.impl;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The exponential of the vectorised LSTM cell ({@link VectorLstmCell}): {@code exp(x)} per lane of
 * {@link DoubleVector#SPECIES_PREFERRED}, built from exactly rounded operations so that compiled and interpreted code
 * give the same bits.
 */
final class VectorExp {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    private VectorExp() {
    }

    private static final double LOG2E = 1.4426950408889634;
    /** ln 2 split in a high part with trailing zero bits and the rest (Cody and Waite's reduction, as in fdlibm). */
    private static final double NEG_LN2_HI = -6.93147180369123816490e-01;
    private static final double NEG_LN2_LO = -1.90821492927058770002e-10;
    /** {@code 1.5 * 2^52}: adding it rounds a double of magnitude below {@code 2^51} to an integer in the low bits. */
    private static final double ROUND = 0x1.8p52;
    private static final long ROUND_BITS = Double.doubleToRawLongBits(ROUND);
    /*
     * Taylor coefficients 1/13!, 1/12!, ..., 1/1!, 1/0! of exp(r) for Horner's scheme, each the correctly rounded
     * reciprocal of an exact factorial (every factorial up to 18! is exact in a double). Named constants rather than
     * an array so that the scheme below is straight-line code.
     */
    private static final double C13 = 1.0 / 6227020800.0;
    private static final double C12 = 1.0 / 479001600.0;
    private static final double C11 = 1.0 / 39916800.0;
    private static final double C10 = 1.0 / 3628800.0;
    private static final double C9 = 1.0 / 362880.0;
    private static final double C8 = 1.0 / 40320.0;
    private static final double C7 = 1.0 / 5040.0;
    private static final double C6 = 1.0 / 720.0;
    private static final double C5 = 1.0 / 120.0;
    private static final double C4 = 1.0 / 24.0;
    private static final double C3 = 1.0 / 6.0;
    private static final double C2 = 1.0 / 2.0;
    private static final double C1 = 1.0;
    private static final double C0 = 1.0;

    /**
     * {@code dst[dOff + j] = exp(scale * src[sOff + j])} for {@code j} below {@code len} rounded down to a multiple of
     * the vector length (the callers finish the tail in scalar code); {@code dst} may be {@code src}. {@code scale}
     * is meant to be a power of two (-1, -2), so that the scaling is exact.
     *
     * <p>The exponential is built from exactly rounded operations only (multiply-add, add, integer add and shift,
     * reinterpretation), so that it gives the same bits whether the JIT has compiled it or not.
     * {@code VectorOperators.EXP} is not used because its compiled form (a vector math library) and its interpreted
     * form (a scalar loop) round differently, which made results depend on JIT warm-up. The argument is clamped to
     * {@code [-708, 709]} (finite, normal results; the callers only need {@code 1 / (1 + exp(x))}-type expressions, for
     * which this is exact to double precision). With {@code k = round(x / ln 2)} and {@code r = x - k ln 2}
     * ({@code |r| <= 0.347}, reduced in two parts), the result is {@code 2^k} (built in the exponent bits) times the
     * degree-13 Taylor polynomial of {@code exp(r)}; the relative error is within a few units in the last place
     * (tested against {@link StrictMath#exp}).
     *
     * <p>Arrays in, arrays out: no vector crosses a call, so whether or not the JIT inlines this method into its
     * caller, nothing is allocated (a vector passed to or returned from a call that is not inlined is boxed on the
     * heap, and whether a callee is inlined depends on the order in which the JIT compiled the methods).
     */
    static void scaledExp(double[] src, int sOff, double scale, double[] dst, int dOff, int len) {
        int upper = S.loopBound(len);
        for (int j = 0; j < upper; j += S.length()) {
            DoubleVector xc = DoubleVector.fromArray(S, src, sOff + j).mul(scale).max(-708.0).min(709.0);
            DoubleVector v = xc.fma(LOG2E, ROUND);
            DoubleVector k = v.sub(ROUND);
            DoubleVector r = k.fma(DoubleVector.broadcast(S, NEG_LN2_HI), xc);
            r = k.fma(DoubleVector.broadcast(S, NEG_LN2_LO), r);
            DoubleVector p = DoubleVector.broadcast(S, C13);
            p = p.fma(r, DoubleVector.broadcast(S, C12));
            p = p.fma(r, DoubleVector.broadcast(S, C11));
            p = p.fma(r, DoubleVector.broadcast(S, C10));
            p = p.fma(r, DoubleVector.broadcast(S, C9));
            p = p.fma(r, DoubleVector.broadcast(S, C8));
            p = p.fma(r, DoubleVector.broadcast(S, C7));
            p = p.fma(r, DoubleVector.broadcast(S, C6));
            p = p.fma(r, DoubleVector.broadcast(S, C5));
            p = p.fma(r, DoubleVector.broadcast(S, C4));
            p = p.fma(r, DoubleVector.broadcast(S, C3));
            p = p.fma(r, DoubleVector.broadcast(S, C2));
            p = p.fma(r, DoubleVector.broadcast(S, C1));
            p = p.fma(r, DoubleVector.broadcast(S, C0));
            LongVector bits = v.reinterpretAsLongs().sub(ROUND_BITS - 1023).lanewise(VectorOperators.LSHL, 52);
            p.mul(bits.reinterpretAsDoubles()).intoArray(dst, dOff + j);
        }
    }
}
