package org.rankcoding.kernel.impl;

import org.rankcoding.kernel.LstmCellScalar;

import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.kernel.ReferenceKernels;

/**
 * A fast pure-Java {@link MatrixKernels}: scalar code shaped so that the C2 JIT compiler turns every innermost
 * loop into SIMD code (SuperWord auto-vectorization), with no dependency beyond {@code java.base}.
 *
 * <p>Both dense products run through one loop nest of i-k-j order: the innermost loop walks a contiguous
 * stretch of {@code m} columns and updates a 4-row block of {@code C} from 4 rows of {@code B} at once
 * ({@code C[r,j] += A(r,q)B[q,j] + A(r,q+1)B[q+1,j] + A(r,q+2)B[q+2,j] + A(r,q+3)B[q+3,j]} for 4 rows
 * {@code r}), so that every load of {@code B} serves 4 rows of {@code C} and every load and store of {@code C}
 * serves 4 steps of the shared dimension. The shared dimension is cut into panels of {@link #KC} rows and the
 * columns into stripes of {@link #NC}, so that the {@code KC x NC} block of {@code B} being reused by all row
 * blocks stays in the L2 cache and the 4-row stripe of {@code C} stays in L1. Nothing is allocated.
 *
 * <p>Plain multiplications and additions are used (no {@link Math#fma}), so results differ from
 * {@link ReferenceKernels} only by the order of the additions, and the class stays fast on hardware
 * without fused multiply-add.
 */
public final class BlockedKernels implements MatrixKernels {

    /** The shared instance; it is stateless. */
    public static final BlockedKernels INSTANCE = new BlockedKernels();

    /** Rows of the shared dimension per panel. */
    static final int KC = 128;
    /** Columns per stripe: a {@code KC x NC} block of {@code B} is 256 KiB. */
    static final int NC = 256;

    private BlockedKernels() {
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
     * {@code B} has {@code m} columns. Only {@code C} is modified; 4 rows of {@code B} are summed per pass over
     * a row of {@code C}. Returns at once if {@code n} or {@code m} is not positive.
     */
    @Override
    public void sparseMultAdd(int n, int m, int[] start, int[] idx, double[] b, int bOff, double[] c, int cOff) {
        if (n <= 0 || m <= 0) {
            return;
        }
        for (int r = 0; r < n; r++) {
            int q1 = start[r + 1];
            int co = cOff + r * m;
            int q = start[r];
            for (; q + 4 <= q1; q += 4) {
                int b0 = bOff + idx[q] * m;
                int b1 = bOff + idx[q + 1] * m;
                int b2 = bOff + idx[q + 2] * m;
                int b3 = bOff + idx[q + 3] * m;
                for (int j = 0; j < m; j++) {
                    c[co + j] += (b[b0 + j] + b[b1 + j]) + (b[b2 + j] + b[b3 + j]);
                }
            }
            for (; q < q1; q++) {
                int b0 = bOff + idx[q] * m;
                for (int j = 0; j < m; j++) {
                    c[co + j] += b[b0 + j];
                }
            }
        }
    }

    @Override
    public String name() {
        return "blocked";
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
            for (int j0 = 0; j0 < m; j0 += NC) {
                int nc = Math.min(NC, m - j0);
                int aq = ao + q0 * qs;
                int bq = bo + q0 * m + j0;
                int r = 0;
                for (; r + 4 <= rows; r += 4) {
                    rows4(kc, nc, a, aq + r * rs, rs, qs, b, bq, m, c, co + r * m + j0);
                }
                for (; r < rows; r++) {
                    row1(kc, nc, a, aq + r * rs, qs, b, bq, m, c, co + r * m + j0);
                }
            }
        }
    }

    /** 4 rows of {@code C} (at {@code c[co]}, row stride {@code ld}) over {@code nc} columns and {@code kc} steps. */
    private static void rows4(int kc, int nc, double[] a, int ao, int rs, int qs, double[] b, int bo, int ld,
                              double[] c, int co) {
        int c0 = co;
        int c1 = c0 + ld;
        int c2 = c1 + ld;
        int c3 = c2 + ld;
        int q = 0;
        for (; q + 4 <= kc; q += 4) {
            int p = ao + q * qs;
            double a00 = a[p];
            double a01 = a[p + qs];
            double a02 = a[p + 2 * qs];
            double a03 = a[p + 3 * qs];
            p += rs;
            double a10 = a[p];
            double a11 = a[p + qs];
            double a12 = a[p + 2 * qs];
            double a13 = a[p + 3 * qs];
            p += rs;
            double a20 = a[p];
            double a21 = a[p + qs];
            double a22 = a[p + 2 * qs];
            double a23 = a[p + 3 * qs];
            p += rs;
            double a30 = a[p];
            double a31 = a[p + qs];
            double a32 = a[p + 2 * qs];
            double a33 = a[p + 3 * qs];
            int b0 = bo + q * ld;
            int b1 = b0 + ld;
            int b2 = b1 + ld;
            int b3 = b2 + ld;
            for (int j = 0; j < nc; j++) {
                double x = b[b0 + j];
                double y = b[b1 + j];
                double z = b[b2 + j];
                double w = b[b3 + j];
                c[c0 + j] += a00 * x + a01 * y + a02 * z + a03 * w;
                c[c1 + j] += a10 * x + a11 * y + a12 * z + a13 * w;
                c[c2 + j] += a20 * x + a21 * y + a22 * z + a23 * w;
                c[c3 + j] += a30 * x + a31 * y + a32 * z + a33 * w;
            }
        }
        for (; q < kc; q++) {
            int p = ao + q * qs;
            double a0 = a[p];
            double a1 = a[p + rs];
            double a2 = a[p + 2 * rs];
            double a3 = a[p + 3 * rs];
            int b0 = bo + q * ld;
            for (int j = 0; j < nc; j++) {
                double x = b[b0 + j];
                c[c0 + j] += a0 * x;
                c[c1 + j] += a1 * x;
                c[c2 + j] += a2 * x;
                c[c3 + j] += a3 * x;
            }
        }
    }

    /** 1 row of {@code C} (at {@code c[co]}) over {@code nc} columns and {@code kc} steps. */
    private static void row1(int kc, int nc, double[] a, int ao, int qs, double[] b, int bo, int ld,
                             double[] c, int co) {
        int q = 0;
        for (; q + 4 <= kc; q += 4) {
            int p = ao + q * qs;
            double a0 = a[p];
            double a1 = a[p + qs];
            double a2 = a[p + 2 * qs];
            double a3 = a[p + 3 * qs];
            int b0 = bo + q * ld;
            int b1 = b0 + ld;
            int b2 = b1 + ld;
            int b3 = b2 + ld;
            for (int j = 0; j < nc; j++) {
                c[co + j] += a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
            }
        }
        for (; q < kc; q++) {
            double a0 = a[ao + q * qs];
            int b0 = bo + q * ld;
            for (int j = 0; j < nc; j++) {
                c[co + j] += a0 * b[b0 + j];
            }
        }
    }

    /**
     * Scalar cell update; {@code tanh} is computed as {@code 2 sigmoid(2x) - 1} with one {@code Math.exp}
     * (an intrinsic on JDK 17 and 25; {@code Math.tanh} is one on JDK 25 on x86-64, not on JDK 17).
     */
    @Override
    public void lstmCell(int n, int hidden, double[] gates, double[] cPrev, double[] c, double[] tanhC, double[] h) {
        for (int r = 0; r < n; r++) {
            int a = r * 4 * hidden;
            for (int j = 0; j < 2 * hidden; j++) {
                gates[a + j] = LstmCellScalar.sigmoid(gates[a + j]);
            }
            for (int j = 2 * hidden; j < 3 * hidden; j++) {
                gates[a + j] = LstmCellScalar.tanh(gates[a + j]);
            }
            for (int j = 3 * hidden; j < 4 * hidden; j++) {
                gates[a + j] = LstmCellScalar.sigmoid(gates[a + j]);
            }
            LstmCellScalar.update(hidden, 0, gates, a, cPrev, c, tanhC, h, r * hidden);
        }
    }

    /** The scalar loop, shared with the reference. */
    @Override
    public void lstmCellBackward(int n, int hidden, int[] rows, double[] gates, double[] cPrev, double[] tanhC, double[] dh,
                                 double[] dc, double[] dGates) {
        ReferenceKernels.INSTANCE.lstmCellBackward(n, hidden, rows, gates, cPrev, tanhC, dh, dc, dGates);
    }

    /** The scalar loop, shared with the reference. */
    @Override
    public void rowsTimesBlockAdd(int n, int k, int m, int[] aStart, double[] a, double[] b, int bOff, int bStride,
                                  int[] cStart, double[] c) {
        ReferenceKernels.INSTANCE.rowsTimesBlockAdd(n, k, m, aStart, a, b, bOff, bStride, cStart, c);
    }
}
