package org.rankcoding.kernel.impl;

import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.kernel.ReferenceKernels;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link MatrixKernels} on the incubating Vector API ({@code jdk.incubator.vector}): explicit SIMD with fused
 * multiply-add on {@link DoubleVector#SPECIES_PREFERRED} (4 doubles with AVX2, 8 with AVX-512).
 *
 * <p>Both dense products run through one register-blocked micro-kernel ({@link DoubleGemm}, with
 * {@link DoubleGemmEdges} for a last partial column block); the LSTM cell runs in {@link VectorLstmCell} with the
 * exponential of {@link VectorExp}; the sparse row sums are here. Nothing is allocated (the vectors are
 * scalar-replaced by the C2 JIT compiler).
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
        DoubleGemm.gemm(n, k, m, a, aOff, k, 1, b, bOff, c, cOff);
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
        DoubleGemm.gemm(k, n, m, a, aOff, 1, k, b, bOff, c, cOff);
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
     * Vectorised cell update ({@link VectorLstmCell}): the exponentials use {@link VectorExp#exp};
     * {@code tanh(x) = 2 / (1 + exp(-2x)) - 1}. Tails shorter than a vector run the same formulas in scalar code.
     */
    @Override
    public void lstmCell(int n, int hidden, double[] gates, double[] cPrev, double[] c, double[] tanhC, double[] h) {
        VectorLstmCell.forward(n, hidden, gates, cPrev, c, tanhC, h);
    }

    /** Vectorised backward cell ({@link VectorLstmCell}). */
    @Override
    public void lstmCellBackward(int n, int hidden, int[] rows, double[] gates, double[] cPrev, double[] tanhC, double[] dh,
                                 double[] dc, double[] dGates) {
        VectorLstmCell.backward(n, hidden, rows, gates, cPrev, tanhC, dh, dc, dGates);
    }

    /** {@link VectorBlocks#rowsTimesBlock}, in {@code double}. */
    @Override
    public void rowsTimesBlockAdd(int n, int k, int m, int[] aStart, double[] a, double[] b, int bOff, int bStride,
                                  int[] cStart, double[] c) {
        VectorBlocks.rowsTimesBlock(n, k, m, aStart, a, b, bOff, bStride, cStart, c);
    }
}
