package org.rankcoding.kernel.impl;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The dense product of {@link VectorKernels} in {@code double}: {@code C[r,j] += sum_q A(r,q) B[q,j]} through
 * register-blocked micro-kernels on {@link DoubleVector#SPECIES_PREFERRED}.
 *
 * <p>The main tile keeps a 4-row by 3-vector block of {@code C} (12 vector accumulators) in registers while it walks
 * the shared dimension, loading 3 vectors of a row of {@code B} and broadcasting 4 scalars of {@code A} per step. The
 * shared dimension is cut into panels of {@link #KC} so that the {@code KC x 3V} slice of {@code B} in use stays in
 * the L1 cache while every row block of {@code C} passes over it. Column tails use 2- and 1-vector tiles here and
 * the partial tiles of {@link DoubleGemmEdges}; row tails use 1-row tiles. The tiles take their operands as arrays,
 * offsets and strides (up to 10 parameters): that is their signature, kept flat so that the JIT inlines them and
 * scalar-replaces their vectors. Nothing is allocated.
 */
final class DoubleGemm {

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    /** Lanes of the preferred species. */
    private static final int V = S.length();
    /** Rows of the shared dimension per panel: keeps a {@code KC x 3V} slice of {@code B} in L1. */
    static final int KC = 128;

    private DoubleGemm() {
    }

    /**
     * The common product {@code C[r,j] += sum_q A(r,q) B[q,j]} with {@code A(r,q) = a[ao + r*rs + q*qs]}, {@code B}
     * row-major with {@code m} columns and {@code C} row-major {@code rows x m}. {@code multAdd} is
     * {@code rs = k, qs = 1}; {@code multTransAAdd} is {@code rs = 1, qs = k}. Each operand is an array, an offset
     * and its strides (11 parameters): the one flat form both products share, with no per-call object.
     */
    static void gemm(int rows, int inner, int m, double[] a, int ao, int rs, int qs,
                             double[] b, int bo, double[] c, int co) {
        for (int q0 = 0; q0 < inner; q0 += KC) {
            int kc = Math.min(KC, inner - q0);
            int aq = ao + q0 * qs;
            int bq = bo + q0 * m;
            int j = 0;
            for (; j + 3 * V <= m; j += 3 * V) {
                int r = 0;
                for (; r + 4 <= rows; r += 4) {
                    tile4x3(kc, a, aq + r * rs, rs, qs, b, bq + j, m, c, co + r * m + j);
                }
                for (; r < rows; r++) {
                    tile1x3(kc, a, aq + r * rs, qs, b, bq + j, m, c, co + r * m + j);
                }
            }
            if (j + 2 * V <= m) {
                int r = 0;
                for (; r + 4 <= rows; r += 4) {
                    tile4x2(kc, a, aq + r * rs, rs, qs, b, bq + j, m, c, co + r * m + j);
                }
                for (; r < rows; r++) {
                    tile1x2(kc, a, aq + r * rs, qs, b, bq + j, m, c, co + r * m + j);
                }
                j += 2 * V;
            }
            if (j + V <= m) {
                int r = 0;
                for (; r + 4 <= rows; r += 4) {
                    tile4x1(kc, a, aq + r * rs, rs, qs, b, bq + j, m, c, co + r * m + j);
                }
                for (; r < rows; r++) {
                    tile1x1(kc, a, aq + r * rs, qs, b, bq + j, m, c, co + r * m + j);
                }
                j += V;
            }
            if (j < m) {
                int rem = m - j;
                int safe = DoubleGemmEdges.fullLoads(kc, b.length, bq + j, m);
                int r = 0;
                for (; r + 4 <= rows; r += 4) {
                    DoubleGemmEdges.tile4xPart(rem, safe, kc, a, aq + r * rs, rs, qs, b, bq + j, m, c, co + r * m + j);
                }
                for (; r < rows; r++) {
                    DoubleGemmEdges.tile1xPart(rem, safe, kc, a, aq + r * rs, qs, b, bq + j, m, c, co + r * m + j);
                }
            }
        }
    }

    // ---- micro-kernels: C tile (at c[co], row stride ld) += A panel (kc steps of qs) x B panel (row stride ld) ----

    private static void tile4x3(int kc, double[] a, int ao, int rs, int qs, double[] b, int bo, int ld,
                                double[] c, int co) {
        int o0 = co;
        int o1 = o0 + ld;
        int o2 = o1 + ld;
        int o3 = o2 + ld;
        DoubleVector x00 = DoubleVector.fromArray(S, c, o0);
        DoubleVector x01 = DoubleVector.fromArray(S, c, o0 + V);
        DoubleVector x02 = DoubleVector.fromArray(S, c, o0 + 2 * V);
        DoubleVector x10 = DoubleVector.fromArray(S, c, o1);
        DoubleVector x11 = DoubleVector.fromArray(S, c, o1 + V);
        DoubleVector x12 = DoubleVector.fromArray(S, c, o1 + 2 * V);
        DoubleVector x20 = DoubleVector.fromArray(S, c, o2);
        DoubleVector x21 = DoubleVector.fromArray(S, c, o2 + V);
        DoubleVector x22 = DoubleVector.fromArray(S, c, o2 + 2 * V);
        DoubleVector x30 = DoubleVector.fromArray(S, c, o3);
        DoubleVector x31 = DoubleVector.fromArray(S, c, o3 + V);
        DoubleVector x32 = DoubleVector.fromArray(S, c, o3 + 2 * V);
        int a0 = ao;
        int a1 = a0 + rs;
        int a2 = a1 + rs;
        int a3 = a2 + rs;
        for (int q = 0; q < kc; q++) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bo);
            DoubleVector b1 = DoubleVector.fromArray(S, b, bo + V);
            DoubleVector b2 = DoubleVector.fromArray(S, b, bo + 2 * V);
            DoubleVector av = DoubleVector.broadcast(S, a[a0]);
            x00 = av.fma(b0, x00);
            x01 = av.fma(b1, x01);
            x02 = av.fma(b2, x02);
            av = DoubleVector.broadcast(S, a[a1]);
            x10 = av.fma(b0, x10);
            x11 = av.fma(b1, x11);
            x12 = av.fma(b2, x12);
            av = DoubleVector.broadcast(S, a[a2]);
            x20 = av.fma(b0, x20);
            x21 = av.fma(b1, x21);
            x22 = av.fma(b2, x22);
            av = DoubleVector.broadcast(S, a[a3]);
            x30 = av.fma(b0, x30);
            x31 = av.fma(b1, x31);
            x32 = av.fma(b2, x32);
            a0 += qs;
            a1 += qs;
            a2 += qs;
            a3 += qs;
            bo += ld;
        }
        x00.intoArray(c, o0);
        x01.intoArray(c, o0 + V);
        x02.intoArray(c, o0 + 2 * V);
        x10.intoArray(c, o1);
        x11.intoArray(c, o1 + V);
        x12.intoArray(c, o1 + 2 * V);
        x20.intoArray(c, o2);
        x21.intoArray(c, o2 + V);
        x22.intoArray(c, o2 + 2 * V);
        x30.intoArray(c, o3);
        x31.intoArray(c, o3 + V);
        x32.intoArray(c, o3 + 2 * V);
    }

    private static void tile1x3(int kc, double[] a, int ao, int qs, double[] b, int bo, int ld,
                                double[] c, int co) {
        DoubleVector x0 = DoubleVector.fromArray(S, c, co);
        DoubleVector x1 = DoubleVector.fromArray(S, c, co + V);
        DoubleVector x2 = DoubleVector.fromArray(S, c, co + 2 * V);
        int a0 = ao;
        for (int q = 0; q < kc; q++) {
            DoubleVector av = DoubleVector.broadcast(S, a[a0]);
            x0 = av.fma(DoubleVector.fromArray(S, b, bo), x0);
            x1 = av.fma(DoubleVector.fromArray(S, b, bo + V), x1);
            x2 = av.fma(DoubleVector.fromArray(S, b, bo + 2 * V), x2);
            a0 += qs;
            bo += ld;
        }
        x0.intoArray(c, co);
        x1.intoArray(c, co + V);
        x2.intoArray(c, co + 2 * V);
    }

    private static void tile4x2(int kc, double[] a, int ao, int rs, int qs, double[] b, int bo, int ld,
                                double[] c, int co) {
        int o0 = co;
        int o1 = o0 + ld;
        int o2 = o1 + ld;
        int o3 = o2 + ld;
        DoubleVector x00 = DoubleVector.fromArray(S, c, o0);
        DoubleVector x01 = DoubleVector.fromArray(S, c, o0 + V);
        DoubleVector x10 = DoubleVector.fromArray(S, c, o1);
        DoubleVector x11 = DoubleVector.fromArray(S, c, o1 + V);
        DoubleVector x20 = DoubleVector.fromArray(S, c, o2);
        DoubleVector x21 = DoubleVector.fromArray(S, c, o2 + V);
        DoubleVector x30 = DoubleVector.fromArray(S, c, o3);
        DoubleVector x31 = DoubleVector.fromArray(S, c, o3 + V);
        int a0 = ao;
        int a1 = a0 + rs;
        int a2 = a1 + rs;
        int a3 = a2 + rs;
        for (int q = 0; q < kc; q++) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bo);
            DoubleVector b1 = DoubleVector.fromArray(S, b, bo + V);
            DoubleVector av = DoubleVector.broadcast(S, a[a0]);
            x00 = av.fma(b0, x00);
            x01 = av.fma(b1, x01);
            av = DoubleVector.broadcast(S, a[a1]);
            x10 = av.fma(b0, x10);
            x11 = av.fma(b1, x11);
            av = DoubleVector.broadcast(S, a[a2]);
            x20 = av.fma(b0, x20);
            x21 = av.fma(b1, x21);
            av = DoubleVector.broadcast(S, a[a3]);
            x30 = av.fma(b0, x30);
            x31 = av.fma(b1, x31);
            a0 += qs;
            a1 += qs;
            a2 += qs;
            a3 += qs;
            bo += ld;
        }
        x00.intoArray(c, o0);
        x01.intoArray(c, o0 + V);
        x10.intoArray(c, o1);
        x11.intoArray(c, o1 + V);
        x20.intoArray(c, o2);
        x21.intoArray(c, o2 + V);
        x30.intoArray(c, o3);
        x31.intoArray(c, o3 + V);
    }

    private static void tile1x2(int kc, double[] a, int ao, int qs, double[] b, int bo, int ld,
                                double[] c, int co) {
        DoubleVector x0 = DoubleVector.fromArray(S, c, co);
        DoubleVector x1 = DoubleVector.fromArray(S, c, co + V);
        int a0 = ao;
        for (int q = 0; q < kc; q++) {
            DoubleVector av = DoubleVector.broadcast(S, a[a0]);
            x0 = av.fma(DoubleVector.fromArray(S, b, bo), x0);
            x1 = av.fma(DoubleVector.fromArray(S, b, bo + V), x1);
            a0 += qs;
            bo += ld;
        }
        x0.intoArray(c, co);
        x1.intoArray(c, co + V);
    }

    private static void tile4x1(int kc, double[] a, int ao, int rs, int qs, double[] b, int bo, int ld,
                                double[] c, int co) {
        int o0 = co;
        int o1 = o0 + ld;
        int o2 = o1 + ld;
        int o3 = o2 + ld;
        DoubleVector x0 = DoubleVector.fromArray(S, c, o0);
        DoubleVector x1 = DoubleVector.fromArray(S, c, o1);
        DoubleVector x2 = DoubleVector.fromArray(S, c, o2);
        DoubleVector x3 = DoubleVector.fromArray(S, c, o3);
        int a0 = ao;
        int a1 = a0 + rs;
        int a2 = a1 + rs;
        int a3 = a2 + rs;
        for (int q = 0; q < kc; q++) {
            DoubleVector b0 = DoubleVector.fromArray(S, b, bo);
            x0 = DoubleVector.broadcast(S, a[a0]).fma(b0, x0);
            x1 = DoubleVector.broadcast(S, a[a1]).fma(b0, x1);
            x2 = DoubleVector.broadcast(S, a[a2]).fma(b0, x2);
            x3 = DoubleVector.broadcast(S, a[a3]).fma(b0, x3);
            a0 += qs;
            a1 += qs;
            a2 += qs;
            a3 += qs;
            bo += ld;
        }
        x0.intoArray(c, o0);
        x1.intoArray(c, o1);
        x2.intoArray(c, o2);
        x3.intoArray(c, o3);
    }

    private static void tile1x1(int kc, double[] a, int ao, int qs, double[] b, int bo, int ld,
                                double[] c, int co) {
        DoubleVector x0 = DoubleVector.fromArray(S, c, co);
        int a0 = ao;
        for (int q = 0; q < kc; q++) {
            x0 = DoubleVector.broadcast(S, a[a0]).fma(DoubleVector.fromArray(S, b, bo), x0);
            a0 += qs;
            bo += ld;
        }
        x0.intoArray(c, co);
    }
}
