package org.rankcoding.kernel.impl;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The last column block of {@link DoubleGemm}'s product when fewer than {@code V} columns remain ({@code V} = lanes of
 * {@link DoubleVector#SPECIES_PREFERRED}): full vectors are loaded while they stay inside the array and only their
 * valid lanes are added to {@code C}; the final rows, whose full loads would leave the array, run in scalar code.
 * Parameters as in {@link DoubleGemm}'s tiles, plus the column count {@code rem} and the count of safe loads.
 */
final class DoubleGemmEdges {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int V = S.length();

    private DoubleGemmEdges() {
    }

    /**
     * How many leading rows {@code q < kc} of a panel at {@code b[bo + q*ld]} can be read with a full vector load
     * without running past the end of an array of length {@code len}.
     */
    static int fullLoads(int kc, int len, int bo, int ld) {
        long room = (long) len - V - bo;
        if (room < 0) {
            return 0;
        }
        return (int) Math.min(kc, room / ld + 1);
    }

    /**
     * A 4-row tile of {@code rem < V} columns. Full vectors of {@code B} are loaded for the first {@code safe} steps
     * (their lanes past {@code rem} read the following elements of the array and are discarded); the valid lanes
     * are added to {@code C} one by one, and the last {@code kc - safe} steps, whose full loads would leave the
     * array, are done in scalar code. Only the preferred species is used: mixing species makes the JIT's type
     * profiles of the Vector API bimorphic and defeats its intrinsics (JDK 17).
     */
    static void tile4xPart(int rem, int safe, int kc, double[] a, int ao, int rs, int qs, double[] b,
                                   int bo, int ld, double[] c, int co) {
        DoubleVector x0 = DoubleVector.zero(S);
        DoubleVector x1 = x0;
        DoubleVector x2 = x0;
        DoubleVector x3 = x0;
        int a0 = ao;
        int a1 = a0 + rs;
        int a2 = a1 + rs;
        int a3 = a2 + rs;
        int bi = bo;
        for (int q = 0; q < safe; q++) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bi);
            x0 = DoubleVector.broadcast(S, a[a0]).fma(b0, x0);
            x1 = DoubleVector.broadcast(S, a[a1]).fma(b0, x1);
            x2 = DoubleVector.broadcast(S, a[a2]).fma(b0, x2);
            x3 = DoubleVector.broadcast(S, a[a3]).fma(b0, x3);
            a0 += qs;
            a1 += qs;
            a2 += qs;
            a3 += qs;
            bi += ld;
        }
        if (safe > 0) {
            for (int l = 0; l < rem; l++) {
                c[co + l] += x0.lane(l);
                c[co + ld + l] += x1.lane(l);
                c[co + 2 * ld + l] += x2.lane(l);
                c[co + 3 * ld + l] += x3.lane(l);
            }
        }
        for (int q = safe; q < kc; q++) {
            for (int r = 0; r < 4; r++) {
                double av = a[ao + r * rs + q * qs];
                int o = co + r * ld;
                int p = bo + q * ld;
                for (int l = 0; l < rem; l++) {
                    c[o + l] += av * b[p + l];
                }
            }
        }
    }

    /** The 1-row version of {@link #tile4xPart}. */
    static void tile1xPart(int rem, int safe, int kc, double[] a, int ao, int qs, double[] b, int bo,
                                   int ld, double[] c, int co) {
        DoubleVector x0 = DoubleVector.zero(S);
        int a0 = ao;
        int bi = bo;
        for (int q = 0; q < safe; q++) {
            x0 = DoubleVector.broadcast(S, a[a0]).fma(DoubleVector.fromArray(S, b, bi), x0);
            a0 += qs;
            bi += ld;
        }
        if (safe > 0) {
            for (int l = 0; l < rem; l++) {
                c[co + l] += x0.lane(l);
            }
        }
        for (int q = safe; q < kc; q++) {
            double av = a[ao + q * qs];
            int p = bo + q * ld;
            for (int l = 0; l < rem; l++) {
                c[co + l] += av * b[p + l];
            }
        }
    }
}
