package org.rankcoding.kernel;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A prepared matrix filled from an EJML matrix, as it is or transposed, holds exactly what it holds when filled from
 * the array (the products with it give the same bits), and refuses a source of the wrong shape.
 */
class PreparedMatrixTest {

    private static DMatrixRMaj random(SplittableRandom rng, int rows, int cols) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.getNumElements(); i++) {
            m.set(i, rng.nextDouble() * 2 - 1);
        }
        return m;
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "blocked", "vector", "float32"})
    void fillingFromEjmlEqualsFillingFromTheArray(String name) {
        MatrixKernels k = Kernels.select(name);
        SplittableRandom rng = new SplittableRandom(21);
        for (int[] shape : new int[][]{{1, 1}, {3, 5}, {13, 40}, {125, 500}, {40, 13}, {9, 33}, {64, 256}, {257, 1024}}) {
            int rows = shape[0];
            int cols = shape[1];
            DMatrixRMaj b = random(rng, rows, cols);
            DMatrixRMaj bT = new DMatrixRMaj(cols, rows);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    bT.set(c, r, b.get(r, c));
                }
            }
            PreparedMatrix fromArray = k.prepare(rows, cols);
            fromArray.set(b.data, 0);
            PreparedMatrix fromMatrix = k.prepare(rows, cols);
            fromMatrix.set(b);
            PreparedMatrix fromTranspose = k.prepare(rows, cols);
            fromTranspose.setTransposed(bT);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    assertEquals(b.get(r, c), fromMatrix.get(r, c), 0.0, name + " set, " + r + "," + c);
                    assertEquals(b.get(r, c), fromTranspose.get(r, c), 0.0, name + " setTransposed, " + r + "," + c);
                }
            }
            if (fromArray.floats() != null) {
                assertArrayEquals(fromArray.floats(), fromMatrix.floats(), 0f, name + " set: float copy");
                assertArrayEquals(fromArray.floats(), fromTranspose.floats(), 0f, name + " setTransposed: float copy");
            }
            int n = 7;
            double[] a = random(rng, n, rows).data;
            double[] want = new double[n * cols];
            k.multAdd(n, a, 0, fromArray, want, 0);
            for (PreparedMatrix p : new PreparedMatrix[]{fromMatrix, fromTranspose}) {
                double[] got = new double[n * cols];
                k.multAdd(n, a, 0, p, got, 0);
                assertArrayEquals(want, got, 0.0, name + " " + rows + " x " + cols + ": products with the prepared forms");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "blocked", "vector", "float32"})
    void stackingTwoPreparedMatricesEqualsFillingFromTheJoinedArray(String name) {
        MatrixKernels k = Kernels.select(name);
        SplittableRandom rng = new SplittableRandom(22);
        for (int[] shape : new int[][]{{125, 1, 500}, {3, 5, 40}, {0, 2, 7}, {13, 13, 33}, {0, 0, 5}, {256, 1, 1024}}) {
            int r1 = shape[0];
            int r2 = shape[1];
            int cols = shape[2];
            DMatrixRMaj top = random(rng, r1, cols);
            DMatrixRMaj bottom = random(rng, r2, cols);
            PreparedMatrix t = k.prepare(r1, cols);
            t.set(top);
            PreparedMatrix b = k.prepare(r2, cols);
            b.set(bottom);
            double[] joined = new double[(r1 + r2) * cols];
            System.arraycopy(top.data, 0, joined, 0, r1 * cols);
            System.arraycopy(bottom.data, 0, joined, r1 * cols, r2 * cols);
            PreparedMatrix fromArray = k.prepare(r1 + r2, cols);
            fromArray.set(joined, 0);
            PreparedMatrix stacked = k.prepare(r1 + r2, cols);
            stacked.setStacked(t, b);
            assertArrayEquals(fromArray.values(), stacked.values(), 0.0, name + ": the double copies");
            if (fromArray.floats() != null) {
                assertArrayEquals(fromArray.floats(), stacked.floats(), 0f, name + ": the float copies");
            }
            int n = 9;
            double[] a = random(rng, n, r1 + r2).data;
            double[] want = new double[n * cols];
            k.multAdd(n, a, 0, fromArray, want, 0);
            double[] got = new double[n * cols];
            k.multAdd(n, a, 0, stacked, got, 0);
            assertArrayEquals(want, got, 0.0, name + " " + r1 + " + " + r2 + " x " + cols + ": products");
        }
        PreparedMatrix p = k.prepare(4, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> p.setStacked(k.prepare(2, 3), k.prepare(1, 3)));
        assertTrue(e.getMessage().contains("2 x 3 on 1 x 3") && e.getMessage().contains("4 x 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> p.setStacked(k.prepare(2, 3), k.prepare(2, 2)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "float32"})
    void matchesTellsWhetherTheCopyHoldsExactlyTheSource(String name) {
        MatrixKernels k = Kernels.select(name);
        DMatrixRMaj b = random(new SplittableRandom(23), 9, 17);
        PreparedMatrix p = k.prepare(9, 17);
        assertFalse(p.matches(b), "a fresh (zero) matrix does not match random values");
        p.set(b);
        assertTrue(p.matches(b));
        DMatrixRMaj bT = new DMatrixRMaj(17, 9);
        org.ejml.dense.row.CommonOps_DDRM.transpose(b, bT);
        PreparedMatrix q = k.prepare(9, 17);
        q.setTransposed(bT);
        assertTrue(q.matches(b), "filled from the transpose, it holds the matrix itself");
        DMatrixRMaj changed = b.copy();
        changed.set(8, 16, Math.nextUp(b.get(8, 16)));
        assertFalse(p.matches(changed), "one ulp in the last element");
        DMatrixRMaj zeros = new DMatrixRMaj(9, 17);
        PreparedMatrix z = k.prepare(9, 17);
        assertTrue(z.matches(zeros));
        zeros.set(0, 0, -0.0);
        assertFalse(z.matches(zeros), "-0.0 is not the 0.0 held");
        assertFalse(p.matches(new DMatrixRMaj(17, 9)), "another shape");
        DMatrixRMaj reshaped = new DMatrixRMaj(17, 9);
        System.arraycopy(b.data, 0, reshaped.data, 0, 9 * 17);
        assertFalse(p.matches(reshaped), "the same values in another shape");
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "float32"})
    void aSourceOfTheWrongShapeIsRefused(String name) {
        PreparedMatrix p = Kernels.select(name).prepare(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.set(new DMatrixRMaj(3, 2)));
        assertTrue(e.getMessage().contains("3 x 2") && e.getMessage().contains("2 x 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> p.setTransposed(new DMatrixRMaj(2, 3)));
        assertTrue(e.getMessage().contains("2 x 3") && e.getMessage().contains("3 x 2")
                && e.getMessage().contains("transpose"), e.getMessage());
    }
}
