package org.rankcoding.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link MatrixKernels} on the incubating Vector API ({@code jdk.incubator.vector}): explicit SIMD with fused
 * multiply-add on {@link DoubleVector#SPECIES_PREFERRED} (4 doubles with AVX2, 8 with AVX-512).
 *
 * <p>Both dense products run through one register-blocked micro-kernel that keeps a 4-row by 3-vector tile of
 * {@code C} (12 vector accumulators) in registers while it walks the shared dimension, loading 3 vectors of a
 * row of {@code B} and broadcasting 4 scalars of {@code A} per step. The shared dimension is cut into panels
 * of {@link #KC} so that the {@code KC x 3V} slice of {@code B} in use stays in the L1 cache while every row
 * block of {@code C} passes over it. Column tails are handled with 2- and 1-vector tiles and a last partial tile
 * that loads full vectors and keeps only the valid lanes (with a scalar loop for the final rows whose full loads
 * would leave the array); row tails with 1-row tiles. Nothing is allocated (the vectors are scalar-replaced by
 * the C2 JIT compiler).
 *
 * <p>Only {@link DoubleVector#SPECIES_PREFERRED} is used. On JDK 17, code that uses several {@code DoubleVector}
 * shapes in one JVM makes the JIT's type profiles inside the Vector API polymorphic, after which some operations
 * are no longer intrinsified and run many times slower; other code sharing the JVM should also stick to the
 * preferred species.
 *
 * <p>This class must only be loaded when the JVM runs with {@code --add-modules jdk.incubator.vector};
 * {@link Kernels#best()} checks that and loads it reflectively. Results differ from
 * {@link ReferenceKernels} only by the order of the additions and by the single rounding of the fused
 * multiply-add.
 */
public final class VectorKernels implements MatrixKernels {

    /** The shared instance; it is stateless. */
    public static final VectorKernels INSTANCE = new VectorKernels();

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    /** Lanes of the preferred species. */
    private static final int V = S.length();
    /** Rows of the shared dimension per panel: keeps a {@code KC x 3V} slice of {@code B} in L1. */
    static final int KC = 128;

    private VectorKernels() {
    }

    /** The number of {@code double} lanes of the vectors in use (for logs). */
    public static int lanes() {
        return V;
    }

    /**
     * {@code C += A B}: {@code C} is {@code n x m}, {@code A} is {@code n x k}, {@code B} is {@code k x m}. Only
     * {@code C} is modified. Returns at once if {@code n}, {@code k} or {@code m} is not positive.
     */
    @Override
    public void multAdd(int n, int k, int m, double[] a, int aOff, double[] b, int bOff, double[] c, int cOff) {
        if (n <= 0 || k <= 0 || m <= 0) {
            return;
        }
        gemm(n, k, m, a, aOff, k, 1, b, bOff, c, cOff);
    }

    /**
     * {@code C += A^T B}: {@code A} is {@code n x k}, {@code B} is {@code n x m}, {@code C} is {@code k x m}.
     * Only {@code C} is modified. Returns at once if {@code n}, {@code k} or {@code m} is not positive.
     */
    @Override
    public void multTransAAdd(int n, int k, int m, double[] a, int aOff, double[] b, int bOff, double[] c, int cOff) {
        if (n <= 0 || k <= 0 || m <= 0) {
            return;
        }
        gemm(k, n, m, a, aOff, 1, k, b, bOff, c, cOff);
    }

    /**
     * {@code C[r,:] += sum over j in idx[start[r] .. start[r+1]) of B[j,:]}; {@code C} is {@code n x m},
     * {@code B} has {@code m} columns. Only {@code C} is modified. Returns at once if {@code n} or {@code m} is
     * not positive.
     */
    @Override
    public void sparseMultAdd(int n, int m, int[] start, int[] idx, double[] b, int bOff, double[] c, int cOff) {
        if (n <= 0 || m <= 0) {
            return;
        }
        for (int r = 0; r < n; r++) {
            int q0 = start[r];
            int q1 = start[r + 1];
            if (q1 <= q0) {
                continue;
            }
            int co = cOff + r * m;
            int j = 0;
            for (; j + 4 * V <= m; j += 4 * V) {
                int o = co + j;
                DoubleVector x0 = DoubleVector.fromArray(S, c, o);
                DoubleVector x1 = DoubleVector.fromArray(S, c, o + V);
                DoubleVector x2 = DoubleVector.fromArray(S, c, o + 2 * V);
                DoubleVector x3 = DoubleVector.fromArray(S, c, o + 3 * V);
                for (int q = q0; q < q1; q++) {
                    int bo = bOff + idx[q] * m + j;
                    x0 = x0.add(DoubleVector.fromArray(S, b, bo));
                    x1 = x1.add(DoubleVector.fromArray(S, b, bo + V));
                    x2 = x2.add(DoubleVector.fromArray(S, b, bo + 2 * V));
                    x3 = x3.add(DoubleVector.fromArray(S, b, bo + 3 * V));
                }
                x0.intoArray(c, o);
                x1.intoArray(c, o + V);
                x2.intoArray(c, o + 2 * V);
                x3.intoArray(c, o + 3 * V);
            }
            for (; j + V <= m; j += V) {
                int o = co + j;
                DoubleVector x0 = DoubleVector.fromArray(S, c, o);
                for (int q = q0; q < q1; q++) {
                    x0 = x0.add(DoubleVector.fromArray(S, b, bOff + idx[q] * m + j));
                }
                x0.intoArray(c, o);
            }
            for (; j < m; j++) {
                double s = c[co + j];
                for (int q = q0; q < q1; q++) {
                    s += b[bOff + idx[q] * m + j];
                }
                c[co + j] = s;
            }
        }
    }

    @Override
    public String name() {
        return "vector";
    }

    /**
     * The common product {@code C[r,j] += sum_q A(r,q) B[q,j]} with {@code A(r,q) = a[ao + r*rs + q*qs]}, {@code B}
     * row-major with {@code m} columns and {@code C} row-major {@code rows x m}. {@code multAdd} is
     * {@code rs = k, qs = 1}; {@code multTransAAdd} is {@code rs = 1, qs = k}.
     */
    private static void gemm(int rows, int inner, int m, double[] a, int ao, int rs, int qs,
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
                int safe = fullLoads(kc, b.length, bq + j, m);
                int r = 0;
                for (; r + 4 <= rows; r += 4) {
                    tile4xPart(rem, safe, kc, a, aq + r * rs, rs, qs, b, bq + j, m, c, co + r * m + j);
                }
                for (; r < rows; r++) {
                    tile1xPart(rem, safe, kc, a, aq + r * rs, qs, b, bq + j, m, c, co + r * m + j);
                }
            }
        }
    }

    // ---- micro-kernels: C tile (at c[co], row stride ldc = ldb) += A panel (kc steps of qs) x B panel ----

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

    /**
     * How many leading rows {@code q < kc} of a panel at {@code b[bo + q*ld]} can be read with a full vector load
     * without running past the end of an array of length {@code len}.
     */
    private static int fullLoads(int kc, int len, int bo, int ld) {
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
    private static void tile4xPart(int rem, int safe, int kc, double[] a, int ao, int rs, int qs, double[] b,
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
    private static void tile1xPart(int rem, int safe, int kc, double[] a, int ao, int qs, double[] b, int bo,
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

    /**
     * Vectorized cell update: the exponentials use {@link #exp}; {@code tanh(x) = 2 / (1 + exp(-2x)) - 1}. Tails
     * shorter than a vector run the same formulas in scalar code.
     */
    @Override
    public void lstmCell(int n, int hidden, double[] gates, double[] cPrev, double[] c, double[] tanhC, double[] h) {
        for (int r = 0; r < n; r++) {
            int a = r * 4 * hidden;
            sigmoidInPlace(gates, a, 2 * hidden);
            tanhInPlace(gates, a + 2 * hidden, hidden);
            sigmoidInPlace(gates, a + 3 * hidden, hidden);
            updateState(hidden, gates, a, cPrev, c, tanhC, h, r * hidden);
        }
    }

    /**
     * The state update of one row from its gate activations at {@code gates[a]}: {@code c = f c_prev + i g},
     * {@code tanh(c)}, {@code h = o tanh(c)} at offset {@code s}. A method of its own (like the two activation
     * loops) so that each compiled unit stays small enough for the JIT to inline {@link #exp} into it; a vector
     * passed to a call that is not inlined is allocated on the heap.
     */
    private static void updateState(int hidden, double[] gates, int a, double[] cPrev, double[] c, double[] tanhC,
                                    double[] h, int s) {
        int j = 0;
        int upper = S.loopBound(hidden);
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        DoubleVector two = DoubleVector.broadcast(S, 2.0);
        for (; j < upper; j += V) {
            DoubleVector ig = DoubleVector.fromArray(S, gates, a + j);
            DoubleVector fg = DoubleVector.fromArray(S, gates, a + hidden + j);
            DoubleVector gg = DoubleVector.fromArray(S, gates, a + 2 * hidden + j);
            DoubleVector og = DoubleVector.fromArray(S, gates, a + 3 * hidden + j);
            DoubleVector cn = ig.mul(gg);
            if (cPrev != null) {
                cn = fg.fma(DoubleVector.fromArray(S, cPrev, s + j), cn);
            }
            DoubleVector tc = two.div(one.add(exp(cn.mul(-2.0)))).sub(one);
            cn.intoArray(c, s + j);
            tc.intoArray(tanhC, s + j);
            og.mul(tc).intoArray(h, s + j);
        }
        LstmCellScalar.update(hidden, j, gates, a, cPrev, c, tanhC, h, s);
    }

    private static final double LOG2E = 1.4426950408889634;
    /** ln 2 split in a high part with trailing zero bits and the rest (Cody and Waite's reduction, as in fdlibm). */
    private static final double NEG_LN2_HI = -6.93147180369123816490e-01;
    private static final double NEG_LN2_LO = -1.90821492927058770002e-10;
    /** {@code 1.5 * 2^52}: adding it rounds a double of magnitude below {@code 2^51} to an integer in the low bits. */
    private static final double ROUND = 0x1.8p52;
    private static final long ROUND_BITS = Double.doubleToRawLongBits(ROUND);
    /** Taylor coefficients {@code 1/13!, 1/12!, ..., 1/1!, 1/0!} of {@code exp(r)} for Horner's scheme. */
    private static final double[] EXP_COEFFS = expCoefficients();

    private static double[] expCoefficients() {
        double[] c = new double[14];
        double f = 1;
        for (int i = 1; i <= 13; i++) {
            f *= i;
            c[13 - i] = 1 / f;
        }
        c[13] = 1;
        return c;
    }

    /**
     * {@code exp(x)} per lane, from exactly rounded operations only (multiply-add, add, integer add and shift,
     * reinterpretation), so that it gives the same bits whether the JIT has compiled it or not.
     * {@code VectorOperators.EXP} is not used because its compiled form (a vector math library) and its
     * interpreted form (a scalar loop) round differently, which made results depend on JIT warm-up.
     *
     * <p>{@code x} is clamped to {@code [-708, 709]} (finite, normal results; the callers only need
     * {@code 1 / (1 + exp(x))}-type expressions, for which this is exact to double precision). With
     * {@code k = round(x / ln 2)} and {@code r = x - k ln 2} ({@code |r| <= 0.347}, reduced in two parts), the
     * result is {@code 2^k} (built in the exponent bits) times the degree-13 Taylor polynomial of {@code exp(r)};
     * the relative error is within a few units in the last place (tested against {@link StrictMath#exp}).
     */
    static DoubleVector exp(DoubleVector x) {
        DoubleVector xc = x.max(-708.0).min(709.0);
        DoubleVector v = xc.fma(LOG2E, ROUND);
        DoubleVector k = v.sub(ROUND);
        DoubleVector r = k.fma(DoubleVector.broadcast(S, NEG_LN2_HI), xc);
        r = k.fma(DoubleVector.broadcast(S, NEG_LN2_LO), r);
        DoubleVector p = DoubleVector.broadcast(S, EXP_COEFFS[0]);
        for (int i = 1; i < EXP_COEFFS.length; i++) {
            p = p.fma(r, DoubleVector.broadcast(S, EXP_COEFFS[i]));
        }
        LongVector bits = v.reinterpretAsLongs().sub(ROUND_BITS - 1023).lanewise(VectorOperators.LSHL, 52);
        return p.mul(bits.reinterpretAsDoubles());
    }

    private static void sigmoidInPlace(double[] x, int off, int len) {
        int j = 0;
        int upper = S.loopBound(len);
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        for (; j < upper; j += V) {
            DoubleVector v = DoubleVector.fromArray(S, x, off + j);
            one.div(one.add(exp(v.neg()))).intoArray(x, off + j);
        }
        for (; j < len; j++) {
            x[off + j] = LstmCellScalar.sigmoid(x[off + j]);
        }
    }

    private static void tanhInPlace(double[] x, int off, int len) {
        int j = 0;
        int upper = S.loopBound(len);
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        DoubleVector two = DoubleVector.broadcast(S, 2.0);
        for (; j < upper; j += V) {
            DoubleVector v = DoubleVector.fromArray(S, x, off + j);
            two.div(one.add(exp(v.mul(-2.0)))).sub(one).intoArray(x, off + j);
        }
        for (; j < len; j++) {
            x[off + j] = LstmCellScalar.tanh(x[off + j]);
        }
    }

    @Override
    public void lstmCellBackward(int n, int hidden, int[] rows, double[] gates, double[] cPrev, double[] tanhC, double[] dh,
                                 double[] dc, double[] dGates) {
        int upper = S.loopBound(hidden);
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        for (int r = 0; r < n; r++) {
            int fr = rows == null ? r : rows[r];
            int ga = fr * 4 * hidden;
            int fh = fr * hidden;
            int ba = r * 4 * hidden;
            int bh = r * hidden;
            int j = 0;
            for (; j < upper; j += V) {
                DoubleVector ig = DoubleVector.fromArray(S, gates, ga + j);
                DoubleVector fg = DoubleVector.fromArray(S, gates, ga + hidden + j);
                DoubleVector gg = DoubleVector.fromArray(S, gates, ga + 2 * hidden + j);
                DoubleVector og = DoubleVector.fromArray(S, gates, ga + 3 * hidden + j);
                DoubleVector tc = DoubleVector.fromArray(S, tanhC, fh + j);
                DoubleVector dhv = DoubleVector.fromArray(S, dh, bh + j);
                DoubleVector dct = dhv.mul(og).mul(one.sub(tc.mul(tc))).add(DoubleVector.fromArray(S, dc, bh + j));
                DoubleVector cp = cPrev == null ? DoubleVector.zero(S) : DoubleVector.fromArray(S, cPrev, fh + j);
                dct.mul(gg).mul(ig.mul(one.sub(ig))).intoArray(dGates, ba + j);
                dct.mul(cp).mul(fg.mul(one.sub(fg))).intoArray(dGates, ba + hidden + j);
                dct.mul(ig).mul(one.sub(gg.mul(gg))).intoArray(dGates, ba + 2 * hidden + j);
                dhv.mul(tc).mul(og.mul(one.sub(og))).intoArray(dGates, ba + 3 * hidden + j);
                dct.mul(fg).intoArray(dc, bh + j);
            }
            LstmCellScalar.backward(hidden, j, gates, ga, cPrev, tanhC, fh, dh, dc, bh, dGates, ba);
        }
    }
}
