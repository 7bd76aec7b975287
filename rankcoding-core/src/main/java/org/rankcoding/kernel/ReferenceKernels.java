package org.rankcoding.kernel;

import java.util.Objects;


/**
 * The slow, obviously correct implementation of {@link MatrixKernels}: the textbook triple loops.
 * Used as the oracle in tests of the optimized kernels and as a fallback.
 *
 * <p>The cell's {@code tanh} is {@link StrictMath#tanh}, whose result is specified to the bit, so that the reference
 * results are the same on JDK 17 and JDK 25: {@code Math.tanh} may differ from it by a few ulps where the JVM
 * replaces it with an intrinsic (JDK 25 on x86-64 does; JDK 17 computes {@code StrictMath.tanh}).
 */
public final class ReferenceKernels implements MatrixKernels {

    /** The shared instance; it is stateless. */
    public static final ReferenceKernels INSTANCE = new ReferenceKernels();

    private ReferenceKernels() {
    }

    @Override
    public void multAdd(int n, int k, int m, double[] a, int aOff, double[] b, int bOff, double[] c, int cOff) {
        Objects.requireNonNull(a, "a is null");
        Objects.requireNonNull(b, "b is null");
        Objects.requireNonNull(c, "c is null");
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += a[aOff + i * k + p] * b[bOff + p * m + j];
                }
                c[cOff + i * m + j] += sum;
            }
        }
    }

    @Override
    public void multTransAAdd(int n, int k, int m, double[] a, int aOff, double[] b, int bOff, double[] c, int cOff) {
        Objects.requireNonNull(a, "a is null");
        Objects.requireNonNull(b, "b is null");
        Objects.requireNonNull(c, "c is null");
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < m; j++) {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += a[aOff + i * k + p] * b[bOff + i * m + j];
                }
                c[cOff + p * m + j] += sum;
            }
        }
    }

    @Override
    public void sparseMultAdd(int n, int m, int[] start, int[] idx, double[] b, int bOff, double[] c, int cOff) {
        Objects.requireNonNull(start, "start is null");
        Objects.requireNonNull(idx, "idx is null");
        Objects.requireNonNull(b, "b is null");
        Objects.requireNonNull(c, "c is null");
        for (int r = 0; r < n; r++) {
            for (int q = start[r]; q < start[r + 1]; q++) {
                int row = idx[q];
                for (int j = 0; j < m; j++) {
                    c[cOff + r * m + j] += b[bOff + row * m + j];
                }
            }
        }
    }

    @Override
    public void rowsTimesBlockAdd(int n, int k, int m, int[] aStart, double[] a, double[] b, int bOff, int bStride,
                                  int[] cStart, double[] c) {
        Objects.requireNonNull(aStart, "aStart is null");
        Objects.requireNonNull(a, "a is null");
        Objects.requireNonNull(b, "b is null");
        Objects.requireNonNull(cStart, "cStart is null");
        Objects.requireNonNull(c, "c is null");
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < m; j++) {
                double sum = 0;
                for (int t = 0; t < k; t++) {
                    sum += a[aStart[r] + t] * b[bOff + t * bStride + j];
                }
                c[cStart[r] + j] += sum;
            }
        }
    }

    @Override
    public void lstmCell(int n, int hidden, double[] gates, double[] cPrev, double[] c, double[] tanhC, double[] h) {
        Objects.requireNonNull(gates, "gates is null");
        Objects.requireNonNull(c, "c is null");
        Objects.requireNonNull(tanhC, "tanhC is null");
        Objects.requireNonNull(h, "h is null");
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < hidden; j++) {
                int a = r * 4 * hidden + j;
                double ig = 1.0 / (1.0 + Math.exp(-gates[a]));
                double fg = 1.0 / (1.0 + Math.exp(-gates[a + hidden]));
                double gg = StrictMath.tanh(gates[a + 2 * hidden]);
                double og = 1.0 / (1.0 + Math.exp(-gates[a + 3 * hidden]));
                gates[a] = ig;
                gates[a + hidden] = fg;
                gates[a + 2 * hidden] = gg;
                gates[a + 3 * hidden] = og;
                int s = r * hidden + j;
                c[s] = fg * (cPrev == null ? 0.0 : cPrev[s]) + ig * gg;
                tanhC[s] = StrictMath.tanh(c[s]);
                h[s] = og * tanhC[s];
            }
        }
    }

    @Override
    public void lstmCellBackward(int n, int hidden, int[] rows, double[] gates, double[] cPrev, double[] tanhC, double[] dh,
                                 double[] dc, double[] dGates) {
        Objects.requireNonNull(gates, "gates is null");
        Objects.requireNonNull(tanhC, "tanhC is null");
        Objects.requireNonNull(dh, "dh is null");
        Objects.requireNonNull(dc, "dc is null");
        Objects.requireNonNull(dGates, "dGates is null");
        for (int r = 0; r < n; r++) {
            int fr = rows == null ? r : rows[r];
            LstmCellScalar.backward(hidden, 0, gates, fr * 4 * hidden, cPrev, tanhC, fr * hidden, dh, dc, r * hidden, dGates,
                    r * 4 * hidden);
        }
    }

    @Override
    public String name() {
        return "reference";
    }
}
