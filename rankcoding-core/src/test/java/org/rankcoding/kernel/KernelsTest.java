package org.rankcoding.kernel;

import org.rankcoding.kernel.impl.BlockedKernels;
import org.rankcoding.kernel.impl.VectorKernels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rankcoding.testing.Slow;

/**
 * Tests the optimized {@link MatrixKernels} against {@link ReferenceKernels}, and the selection in {@link Kernels}.
 */
class KernelsTest {

    /**
     * Sizes for n, k and m: 1, primes, sizes around the vector lengths (2, 4, 8 lanes and tiles of 3 vectors) and
     * around the blocking of the shared dimension (128) and of the columns (256), up to 300.
     */
    private static final int[] DIMS = {1, 2, 3, 4, 5, 7, 8, 9, 11, 12, 13, 15, 16, 17, 23, 24, 25, 31, 32, 33, 41, 47,
        48, 49, 63, 64, 65, 97, 125, 127, 128, 129, 131, 191, 255, 256, 257, 300};

    /** Relative tolerance, against the sum of the absolute values of the terms of each output element. */
    private static final double REL_TOL = 1e-12;

    private String savedProperty;

    @BeforeEach
    void saveProperty() {
        savedProperty = System.getProperty(Kernels.PROPERTY);
        System.clearProperty(Kernels.PROPERTY);
    }

    @AfterEach
    void restoreProperty() {
        if (savedProperty == null) {
            System.clearProperty(Kernels.PROPERTY);
        } else {
            System.setProperty(Kernels.PROPERTY, savedProperty);
        }
    }

    // ------------------------------------------------------------------ dense products

    @ParameterizedTest
    @ValueSource(strings = {"blocked", "vector", "float32"})
    void multAddMatchesReferenceOnSmallShapes(String impl) {
        MatrixKernels k = Kernels.select(impl);
        Random rnd = new Random(1);
        for (int n = 1; n <= 9; n++) {
            for (int kk = 1; kk <= 9; kk++) {
                for (int m = 1; m <= 19; m++) {
                    checkProduct(k, false, n, kk, m, rnd);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"blocked", "vector", "float32"})
    void multTransAAddMatchesReferenceOnSmallShapes(String impl) {
        MatrixKernels k = Kernels.select(impl);
        Random rnd = new Random(2);
        for (int n = 1; n <= 9; n++) {
            for (int kk = 1; kk <= 9; kk++) {
                for (int m = 1; m <= 19; m++) {
                    checkProduct(k, true, n, kk, m, rnd);
                }
            }
        }
    }

    @Slow
    @ParameterizedTest
    @ValueSource(strings = {"blocked", "vector", "float32"})
    void multAddMatchesReferenceOnOddAndBlockSizedShapes(String impl) {
        MatrixKernels k = Kernels.select(impl);
        Random rnd = new Random(3);
        for (int[] s : shapes(rnd, 160)) {
            checkProduct(k, false, s[0], s[1], s[2], rnd);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"blocked", "vector", "float32"})
    void multTransAAddMatchesReferenceOnOddAndBlockSizedShapes(String impl) {
        MatrixKernels k = Kernels.select(impl);
        Random rnd = new Random(4);
        for (int[] s : shapes(rnd, 160)) {
            checkProduct(k, true, s[0], s[1], s[2], rnd);
        }
    }

    @Slow
    @ParameterizedTest
    @ValueSource(strings = {"blocked", "vector", "float32"})
    void lstmShapesMatchReference(String impl) {
        MatrixKernels k = Kernels.select(impl);
        Random rnd = new Random(5);
        checkProduct(k, false, 128, 126, 500, rnd); // forward gates
        checkProduct(k, false, 128, 500, 125, rnd); // backward dX
        checkProduct(k, true, 128, 126, 500, rnd); // weight gradient
        checkProduct(k, false, 1, 300, 500, rnd); // batch of one
        checkProduct(k, true, 1, 300, 256, rnd);
        checkProduct(k, false, 37, 257, 256, rnd);
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "blocked", "vector", "float32"})
    void preparedOperandsGiveTheSameProductAsPlainOnes(String impl) {
        MatrixKernels k = Kernels.select(impl);
        MatrixKernels other = impl.equals("float32") ? ReferenceKernels.INSTANCE : Kernels.select("float32");
        Random rnd = new Random(9);
        int[][] shapes = {{1, 1, 1}, {3, 5, 7}, {128, 126, 500}, {1, 125, 500}, {5, 33, 31}, {4, 2, 64}, {7, 500, 125}, {6, 1, 33},
                {13, 40, 70}, {12, 64, 33}, {16, 9, 130}, {29, 17, 257}};
        for (int[] sh : shapes) {
            int n = sh[0];
            int kk = sh[1];
            int m = sh[2];
            double[] a = random(rnd, n * kk);
            double[] b = random(rnd, 3 + kk * m);
            double[] c = random(rnd, n * m);
            double[] expected = c.clone();
            double[] scale = new double[c.length];
            ReferenceKernels.INSTANCE.multAdd(n, kk, m, a, 0, b, 3, expected, 0);
            ReferenceKernels.INSTANCE.multAdd(n, kk, m, abs(a), 0, abs(b), 3, scale, 0);
            PreparedMatrix own = k.prepare(kk, m);
            own.set(b, 3);
            PreparedMatrix foreign = other.prepare(kk, m);
            foreign.set(b, 3);
            for (PreparedMatrix p : new PreparedMatrix[]{own, foreign}) {
                double[] out = c.clone();
                k.multAdd(n, a, 0, p, out, 0);
                for (int i = 0; i < out.length; i++) {
                    double tol = relativeTolerance(k, kk) * (scale[i] + Math.abs(expected[i]) + 1);
                    if (!(Math.abs(out[i] - expected[i]) <= tol)) {
                        fail(impl + " prepared (" + (p == own ? "own" : "foreign") + ") " + n + "x" + kk + "x" + m
                                + ": element " + i + " is " + out[i] + ", expected " + expected[i]);
                    }
                }
            }
            double before = own.get(kk - 1, m - 1);
            b[3 + kk * m - 1] += 1;
            assertEquals(before, own.get(kk - 1, m - 1), "a prepared matrix is a snapshot");
        }
        PreparedMatrix p = k.prepare(2, 3);
        assertThrows(IndexOutOfBoundsException.class, () -> p.set(new double[6], 1));
        assertThrows(IndexOutOfBoundsException.class, () -> p.get(2, 0));
    }

    @Test
    void float32RowsGetTheSameBitsInEveryMultiRowTile() {
        MatrixKernels k = Kernels.select("float32");
        Random rnd = new Random(11);
        int kk = 77;
        int m = 70;
        double[] a = random(rnd, 12 * kk);
        PreparedMatrix b = k.prepare(kk, m);
        b.set(random(rnd, kk * m), 0);
        double[] all = new double[12 * m];
        k.multAdd(12, a, 0, b, all, 0); // rows 0-7 in the main tile and 8-11 in a 4-row tile with 512-bit vectors, two 5-row tiles and a padded 4-row tile with 256-bit
        for (int r0 = 0; r0 < 12; r0 += 4) {
            double[] four = new double[4 * m];
            k.multAdd(4, a, r0 * kk, b, four, 0);
            for (int i = 0; i < four.length; i++) {
                assertEquals(four[i], all[r0 * m + i], 0.0, "rows " + r0 + "-" + (r0 + 3) + ", element " + i);
            }
        }
    }

    /**
     * Up to 8 output rows, a float32 product with an unprepared right operand runs in double: the same bits as the
     * double vector kernels (rounding B to float would cost more than such a product); with 9 rows it runs in float.
     */
    @Test
    void float32SmallUnpreparedProductsRunInDouble() {
        MatrixKernels f = Kernels.select("float32");
        MatrixKernels d = Kernels.select("vector");
        Random rnd = new Random(13);
        int n = 37;
        int m = 70;
        double[] b = random(rnd, n * m);
        for (int k = 1; k <= 9; k++) {
            double[] a = random(rnd, n * k);
            double[] cf = new double[k * m];
            double[] cd = new double[k * m];
            f.multTransAAdd(n, k, m, a, 0, b, 0, cf, 0);
            d.multTransAAdd(n, k, m, a, 0, b, 0, cd, 0);
            double[] at = random(rnd, k * n);
            double[] rf = new double[k * m];
            double[] rd = new double[k * m];
            f.multAdd(k, n, m, at, 0, b, 0, rf, 0);
            d.multAdd(k, n, m, at, 0, b, 0, rd, 0);
            if (k <= 8) {
                assertArrayEquals(cd, cf, k + " output rows of A^T B");
                assertArrayEquals(rd, rf, k + " output rows of A B");
            } else {
                assertNotEquals(Arrays.toString(cd), Arrays.toString(cf), "9 output rows run in float");
            }
        }
    }

    /**
     * With two or more rows, a row's result does not depend on the product it is part of: the same bits in a product
     * of 2 to 21 rows (full tiles, a padded last tile), at any position, over a shared dimension longer than one block
     * of the kernel (600 > 256), for a plain, a transposed (with more than 8 output rows; fewer run in double) and a
     * concatenated left operand.
     */
    @Test
    void float32RowsGetTheSameBitsWhateverTheRowCount() {
        MatrixKernels k = Kernels.select("float32");
        Random rnd = new Random(12);
        int kk = 600;
        int m = 70;
        int rows = 21;
        double[] a = random(rnd, rows * kk);
        PreparedMatrix b = k.prepare(kk, m);
        b.set(random(rnd, kk * m), 0);
        double[] reference = new double[2 * m];
        k.multAdd(2, a, 0, b, reference, 0); // rows 0 and 1 alone: a padded 4-row tile
        for (int n = 2; n <= rows; n++) {
            double[] c = new double[n * m];
            k.multAdd(n, a, 0, b, c, 0);
            for (int i = 0; i < 2 * m; i++) {
                assertEquals(reference[i], c[i], 0.0, n + " rows, element " + i);
            }
            // the last two of these n rows, moved to the front of a 2-row product: the same bits as in the n-row one
            double[] two = new double[2 * m];
            k.multAdd(2, a, (n - 2) * kk, b, two, 0);
            for (int i = 0; i < 2 * m; i++) {
                assertEquals(two[i], c[(n - 2) * m + i], 0.0, "rows " + (n - 2) + "-" + (n - 1) + " of " + n + ", element " + i);
            }
            // the same product as A^T B with A stored transposed, and as [A1 | A2] B
            double[] at = new double[kk * n];
            for (int r = 0; r < n; r++) {
                for (int q = 0; q < kk; q++) {
                    at[q * n + r] = a[r * kk + q];
                }
            }
            double[] ct = new double[n * m];
            k.multTransAAdd(kk, n, m, at, 0, b.values(), 0, ct, 0);
            int k1 = 250;
            double[] a1 = new double[n * k1];
            double[] a2 = new double[n * (kk - k1)];
            for (int r = 0; r < n; r++) {
                System.arraycopy(a, r * kk, a1, r * k1, k1);
                System.arraycopy(a, r * kk + k1, a2, r * (kk - k1), kk - k1);
            }
            double[] cc = new double[n * m];
            k.multAddConcat(n, a1, k1, a2, b, cc);
            for (int i = 0; i < n * m; i++) {
                if (n > 8) { // up to 8 output rows, a product with an unprepared B runs in double (Float32Kernels.DOUBLE_ROWS)
                    assertEquals(c[i], ct[i], 0.0, "transposed A, " + n + " rows, element " + i);
                }
                assertEquals(c[i], cc[i], 0.0, "[A1 | A2], " + n + " rows, element " + i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "blocked", "vector", "float32"})
    void concatenatedOperandsGiveTheProductOfTheJoinedMatrix(String impl) {
        MatrixKernels k = Kernels.select(impl);
        Random rnd = new Random(10);
        int[][] shapes = {{1, 126, 500}, {128, 126, 500}, {13, 41, 70}, {8, 3, 33}, {5, 2, 1}};
        for (int[] sh : shapes) {
            int n = sh[0];
            int kk = sh[1];
            int m = sh[2];
            double[] b = random(rnd, kk * m);
            PreparedMatrix own = k.prepare(kk, m);
            own.set(b, 0);
            for (int k1 : new int[]{0, 1, kk / 2, kk - 1, kk}) {
                double[] a1 = random(rnd, n * k1);
                double[] a2 = random(rnd, n * (kk - k1));
                double[] joined = new double[n * kk];
                for (int r = 0; r < n; r++) {
                    System.arraycopy(a1, r * k1, joined, r * kk, k1);
                    System.arraycopy(a2, r * (kk - k1), joined, r * kk + k1, kk - k1);
                }
                double[] c = random(rnd, n * m);
                double[] expected = c.clone();
                double[] scale = new double[c.length];
                ReferenceKernels.INSTANCE.multAdd(n, kk, m, joined, 0, b, 0, expected, 0);
                ReferenceKernels.INSTANCE.multAdd(n, kk, m, abs(joined), 0, abs(b), 0, scale, 0);
                double[] out = c.clone();
                k.multAddConcat(n, a1, k1, a2, own, out);
                for (int i = 0; i < out.length; i++) {
                    double tol = relativeTolerance(k, kk) * (scale[i] + Math.abs(expected[i]) + 1);
                    if (!(Math.abs(out[i] - expected[i]) <= tol)) {
                        fail(impl + " [A1 | A2] B, " + n + "x" + kk + "x" + m + ", k1 = " + k1 + ": element " + i
                                + " is " + out[i] + ", expected " + expected[i]);
                    }
                }
            }
        }
        PreparedMatrix p = k.prepare(3, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> k.multAddConcat(1, new double[4], 4, new double[0], p, new double[2]));
        assertTrue(e.getMessage().contains("4 columns") && e.getMessage().contains("0 to 3"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"blocked", "vector", "float32"})
    void zeroSizesLeaveOutputUntouched(String impl) {
        MatrixKernels k = Kernels.select(impl);
        double[] a = {1, 2, 3, 4};
        double[] b = {5, 6, 7, 8};
        double[] c = {9, 10, 11, 12};
        double[] before = c.clone();
        int[][] sizes = {{0, 2, 2}, {2, 0, 2}, {2, 2, 0}, {0, 0, 0}};
        for (int[] s : sizes) {
            k.multAdd(s[0], s[1], s[2], a, 0, b, 0, c, 0);
            k.multTransAAdd(s[0], s[1], s[2], a, 0, b, 0, c, 0);
            k.multAdd(s[0], s[1], s[2], new double[0], 0, new double[0], 0, new double[0], 0);
            k.multTransAAdd(s[0], s[1], s[2], new double[0], 0, new double[0], 0, new double[0], 0);
        }
        k.sparseMultAdd(0, 2, new int[] {0}, new int[0], b, 0, c, 0);
        k.sparseMultAdd(2, 0, new int[] {0, 1, 2}, new int[] {0, 1}, b, 0, c, 0);
        assertArrayEquals(before, c);
    }

    // ------------------------------------------------------------------ sparse product

    @ParameterizedTest
    @ValueSource(strings = {"blocked", "vector", "float32"})
    void sparseMultAddMatchesReference(String impl) {
        MatrixKernels k = Kernels.select(impl);
        Random rnd = new Random(6);
        int[] ms = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 125, 127, 128, 129, 300, 500};
        for (int m : ms) {
            for (int trial = 0; trial < 4; trial++) {
                int n = 1 + rnd.nextInt(12);
                int rowsOfB = 1 + rnd.nextInt(40);
                int[] start = new int[n + 1];
                List<Integer> idx = new ArrayList<>();
                for (int r = 0; r < n; r++) {
                    // Every third row of the first trial is empty; otherwise 0 to 9 active indices.
                    int count = (trial == 0 && r % 3 == 0) ? 0 : rnd.nextInt(10);
                    for (int q = 0; q < count; q++) {
                        idx.add(rnd.nextInt(rowsOfB));
                    }
                    start[r + 1] = idx.size();
                }
                int[] ids = idx.stream().mapToInt(Integer::intValue).toArray();
                int bOff = rnd.nextInt(9);
                int cOff = rnd.nextInt(9);
                double[] b = random(rnd, bOff + rowsOfB * m + rnd.nextInt(3));
                double[] c = random(rnd, cOff + n * m + 5);
                double[] bBefore = b.clone();
                double[] expected = c.clone();
                double[] cPrepared = c.clone();
                ReferenceKernels.INSTANCE.sparseMultAdd(n, m, start, ids, b, bOff, expected, cOff);
                k.sparseMultAdd(n, m, start, ids, b, bOff, c, cOff);
                assertArrayEquals(bBefore, b, "B modified");
                // the same with B prepared by this implementation (float32 sums its float copy)
                PreparedMatrix prepared = k.prepare(rowsOfB, m);
                prepared.set(b, bOff);
                k.sparseMultAdd(n, start, ids, prepared, cPrepared, cOff);
                for (int i = 0; i < c.length; i++) {
                    boolean inside = i >= cOff && i < cOff + n * m;
                    double tol = inside ? relativeTolerance(k, 10) * (10 + 2 * Math.abs(expected[i])) + REL_TOL : 0;
                    if (!(Math.abs(cPrepared[i] - expected[i]) <= tol)) {
                        fail(impl + " prepared sparseMultAdd n=" + n + " m=" + m + " trial=" + trial + ": element " + i
                                + " is " + cPrepared[i] + ", expected " + expected[i]);
                    }
                }
                for (int i = 0; i < c.length; i++) {
                    boolean inside = i >= cOff && i < cOff + n * m;
                    double tol = inside ? relativeTolerance(k, 10) * (1 + 2 * Math.abs(expected[i]) + 10) : 0;
                    if (!(Math.abs(c[i] - expected[i]) <= tol)) {
                        fail(impl + " sparseMultAdd n=" + n + " m=" + m + " trial=" + trial + ": element " + i
                                + " is " + c[i] + ", expected " + expected[i]);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"blocked", "vector", "float32"})
    void sparseMultAddWithOnlyEmptyRowsChangesNothing(String impl) {
        MatrixKernels k = Kernels.select(impl);
        double[] b = {1, 2, 3, 4, 5, 6};
        double[] c = {7, 8, 9, 10, 11, 12};
        double[] before = c.clone();
        k.sparseMultAdd(3, 2, new int[] {0, 0, 0, 0}, new int[0], b, 0, c, 0);
        assertArrayEquals(before, c);
    }

    // ------------------------------------------------------------------ picked rows times a strided block

    @Test
    void rowsTimesBlockOfTheReferenceFollowsItsDefinition() {
        // B = [[1, 2, 3], [4, 5, 6]] as columns 1..3 of a 2 x 5 matrix (stride 5), at offset 1 of b
        double[] b = {9, 0, 1, 2, 3, 0, 0, 4, 5, 6, 0};
        double[] c = {10, 20, 30, 40};
        // rows [2, -1] and [1, 1] of a; their products [-2, -1, 0] and [5, 7, 9] to overlapping rows at c[1], c[0]
        ReferenceKernels.INSTANCE.rowsTimesBlockAdd(2, 2, 3, new int[] {1, 3}, new double[] {0, 2, -1, 1, 1}, b, 2, 5,
                new int[] {1, 0}, c);
        assertArrayEquals(new double[] {15, 25, 38, 40}, c);
    }

    @ParameterizedTest
    @ValueSource(strings = {"blocked", "vector", "float32"})
    void rowsTimesBlockMatchesReference(String impl) {
        MatrixKernels kern = Kernels.select(impl);
        Random rnd = new Random(11);
        int[] ks = {1, 2, 3, 4, 5, 7, 8, 16, 17, 32};
        int[] ms = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 64, 96, 160, 161, 257};
        for (int k : ks) {
            for (int m : ms) {
                int stride = m + rnd.nextInt(6);
                int bOff = rnd.nextInt(5);
                int cOff = rnd.nextInt(5);
                double[] b = random(rnd, bOff + (k - 1) * stride + m + 3);
                double[] bBefore = b.clone();
                String at = impl + " k=" + k + " m=" + m + " stride=" + stride;

                // n rows of A picked at random starts, to output rows at random (often overlapping) starts
                int rows = rnd.nextInt(12);
                double[] aPicked = random(rnd, 3 * k + 2);
                double[] aPickedBefore = aPicked.clone();
                int[] aStarts = new int[rows + 2];
                int[] cStarts = new int[rows + 2];
                for (int r = 0; r < rows; r++) {
                    aStarts[r] = rnd.nextInt(2 * k + 3);
                    cStarts[r] = cOff + rnd.nextInt(m + 2);
                }
                double[] out = random(rnd, cOff + 2 * m + 6);
                double[] outExpected = out.clone();
                ReferenceKernels.INSTANCE.rowsTimesBlockAdd(rows, k, m, aStarts, aPicked, b, bOff, stride, cStarts,
                        outExpected);
                kern.rowsTimesBlockAdd(rows, k, m, aStarts, aPicked, b, bOff, stride, cStarts, out);
                // an element gets the sums of up to `rows` overlapping rows of k terms each
                assertClose(outExpected, out, rows * (k + 1) + 1, cOff, cOff + 2 * m + 2, at + " rows=" + rows);

                assertArrayEquals(aPickedBefore, aPicked, at + ": A modified");
                assertArrayEquals(bBefore, b, at + ": B modified");
            }
        }
    }

    /**
     * Elements {@code [from, to)} within {@code REL_TOL * terms} of the reference (inputs are in [-1, 1], so
     * {@code terms} bounds the absolute sum of an element's terms); every element outside bit-identical.
     */
    private static void assertClose(double[] expected, double[] actual, int terms, int from, int to, String what) {
        for (int i = 0; i < expected.length; i++) {
            double tol = i >= from && i < to ? REL_TOL * terms : 0;
            if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
                fail(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]);
            }
        }
    }

    // ------------------------------------------------------------------ selection

    // ------------------------------------------------------------------ LSTM cell

    @ParameterizedTest
    @ValueSource(strings = {"blocked", "vector", "float32"})
    void lstmCellMatchesReference(String impl) {
        MatrixKernels k = Kernels.select(impl);
        Random rnd = new Random(7);
        for (int hidden : new int[]{1, 2, 3, 7, 8, 9, 16, 17, 125}) {
            for (int n : new int[]{1, 3, 5}) {
                for (boolean withPrev : new boolean[]{false, true}) {
                    double[] pre = new double[n * 4 * hidden];
                    for (int i = 0; i < pre.length; i++) {
                        // mostly moderate values, some saturating ones
                        pre[i] = rnd.nextInt(10) == 0 ? (rnd.nextDouble() - 0.5) * 80 : rnd.nextGaussian() * 2;
                    }
                    double[] cPrev = withPrev ? new double[n * hidden] : null;
                    if (withPrev) {
                        for (int i = 0; i < cPrev.length; i++) {
                            cPrev[i] = rnd.nextGaussian() * 3;
                        }
                    }
                    double[] gRef = pre.clone();
                    double[] gOut = pre.clone();
                    double[][] ref = {new double[n * hidden], new double[n * hidden], new double[n * hidden]};
                    double[][] out = {new double[n * hidden], new double[n * hidden], new double[n * hidden]};
                    ReferenceKernels.INSTANCE.lstmCell(n, hidden, gRef, cPrev, ref[0], ref[1], ref[2]);
                    k.lstmCell(n, hidden, gOut, cPrev, out[0], out[1], out[2]);
                    String where = impl + " hidden=" + hidden + " n=" + n + " prev=" + withPrev;
                    if (k.precision() > 1e-12) {
                        assertCellWithinFloatActivations(hidden, cPrev, gRef, gOut, ref, out, where);
                        continue;
                    }
                    assertArrayEquals(gRef, gOut, 1e-14, "gates " + where);
                    for (int a = 0; a < 3; a++) {
                        assertArrayEquals(ref[a], out[a], 1e-13, "output " + a + " " + where);
                    }
                }
            }
        }
    }

    /**
     * {@link MatrixKernels#lstmForward} gives every output the bits of its three documented steps (the gates set to the
     * bias, {@code multAddConcat}, {@code lstmCell}) run on the same kernels, whatever the implementation keeps between
     * them (float32 keeps the pre-activations in {@code float}): one row and many, tails of every length, with and
     * without a previous state (without: the input rows of the stacked weights, prepared on their own).
     */
    @ParameterizedTest
    @ValueSource(strings = {"reference", "blocked", "vector", "float32"})
    void lstmForwardGivesTheBitsOfItsThreeSteps(String impl) {
        MatrixKernels k = Kernels.select(impl);
        Random rnd = new Random(11);
        for (int hidden : new int[]{1, 3, 8, 13, 17, 125}) {
            for (int input : new int[]{1, 7}) {
                int g4 = 4 * hidden;
                PreparedMatrix stacked = k.prepare(hidden + input, g4);
                stacked.set(random(rnd, (hidden + input) * g4), 0);
                double[] bias = random(rnd, g4);
                PreparedMatrix inputRows = k.prepare(input, g4);
                inputRows.set(java.util.Arrays.copyOfRange(stacked.values(), hidden * g4, (hidden + input) * g4), 0);
                for (int n : new int[]{1, 2, 5, 6, 13, 40}) {
                    for (boolean withPrev : new boolean[]{false, true}) {
                        double[] hPrev = withPrev ? random(rnd, n * hidden) : null;
                        double[] x = random(rnd, n * input);
                        double[] cPrev = withPrev ? random(rnd, n * hidden) : null;
                        double[] gates = new double[n * g4];
                        for (int r = 0; r < n; r++) {
                            System.arraycopy(bias, 0, gates, r * g4, g4);
                        }
                        double[][] want = {gates, new double[n * hidden], new double[n * hidden], new double[n * hidden]};
                        if (withPrev) {
                            k.multAddConcat(n, hPrev, hidden, x, stacked, gates);
                        } else { // a first step: the input rows alone
                            k.multAdd(n, x, 0, inputRows, gates, 0);
                        }
                        k.lstmCell(n, hidden, gates, cPrev, want[1], want[2], want[3]);
                        double[][] got = {new double[n * g4], new double[n * hidden], new double[n * hidden],
                                new double[n * hidden]};
                        k.lstmForward(n, bias, hPrev, x, stacked, got[0], cPrev, got[1], got[2], got[3]);
                        String[] names = {"gates", "c", "tanh(c)", "h"};
                        for (int a = 0; a < 4; a++) {
                            for (int i = 0; i < want[a].length; i++) {
                                if (Double.doubleToRawLongBits(want[a][i]) != Double.doubleToRawLongBits(got[a][i])) {
                                    fail(impl + " hidden " + hidden + ", input " + input + ", " + n + " rows, previous state "
                                            + withPrev + ": " + names[a] + "[" + i + "] is " + got[a][i] + ", its three steps give "
                                            + want[a][i]);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "float32"})
    void lstmForwardRejectsStackedWeightsAndBiasOfTheWrongShape(String impl) {
        MatrixKernels k = Kernels.select(impl);
        double[] v = new double[64];
        IllegalArgumentException cols = assertThrows(IllegalArgumentException.class,
                () -> k.lstmForward(2, v, v, v, k.prepare(5, 6), v, v, v, v, v));
        assertTrue(cols.getMessage().contains("6 columns"), cols.getMessage());
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                () -> k.lstmForward(2, v, v, v, k.prepare(2, 12), v, v, v, v, v));
        assertTrue(rows.getMessage().contains("2 rows") && rows.getMessage().contains("at least 3"), rows.getMessage());
        IllegalArgumentException bias = assertThrows(IllegalArgumentException.class,
                () -> k.lstmForward(2, new double[11], v, v, k.prepare(5, 12), v, v, v, v, v));
        assertTrue(bias.getMessage().contains("11 values") && bias.getMessage().contains("expected 12"), bias.getMessage());
    }

    /** Largest error of an activation computed in {@code float} (Float32Kernels): four units of 2^-24. */
    private static final double FLOAT_ACTIVATION_TOL = 4 * 0x1p-24;

    /**
     * The cell of kernels whose activations run in {@code float}: every activation within
     * {@link #FLOAT_ACTIVATION_TOL} of the reference's, and the state, {@code tanh(c)} and {@code h} within what those
     * errors allow ({@code c = f c_prev + i g} moves by at most the tolerance times {@code |c_prev| + |g| + |i|}).
     */
    private static void assertCellWithinFloatActivations(int hidden, double[] cPrev, double[] gRef, double[] gOut,
                                                         double[][] ref, double[][] out, String where) {
        double worst = 0;
        for (int i = 0; i < gRef.length; i++) {
            worst = Math.max(worst, Math.abs(gRef[i] - gOut[i]));
        }
        assertTrue(worst <= FLOAT_ACTIVATION_TOL, "gates " + where + ": largest error " + worst);
        for (int i = 0; i < ref[0].length; i++) {
            double cp = cPrev == null ? 0 : Math.abs(cPrev[i]);
            double cTol = FLOAT_ACTIVATION_TOL * (cp + 2) + 1e-15;
            assertEquals(ref[0][i], out[0][i], cTol, "c " + where + " at " + i);
            assertEquals(ref[1][i], out[1][i], cTol + FLOAT_ACTIVATION_TOL, "tanh(c) " + where + " at " + i);
            assertEquals(ref[2][i], out[2][i], cTol + 2 * FLOAT_ACTIVATION_TOL, "h " + where + " at " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"blocked", "vector", "float32"})
    void lstmCellBackwardMatchesReference(String impl) {
        MatrixKernels k = Kernels.select(impl);
        Random rnd = new Random(11);
        for (int hidden : new int[]{1, 2, 7, 8, 9, 17, 125}) {
            for (int n : new int[]{1, 4}) {
                for (boolean mapped : new boolean[]{false, true}) {
                    for (boolean withPrev : new boolean[]{false, true}) {
                        int fwdRows = n + 3;
                        double[] gates = new double[fwdRows * 4 * hidden];
                        for (int i = 0; i < gates.length; i++) {
                            gates[i] = (i / hidden) % 4 == 2 ? Math.tanh(rnd.nextGaussian()) : 1 / (1 + Math.exp(-rnd.nextGaussian()));
                        }
                        double[] tanhC = new double[fwdRows * hidden];
                        double[] cPrev = withPrev ? new double[fwdRows * hidden] : null;
                        for (int i = 0; i < tanhC.length; i++) {
                            tanhC[i] = Math.tanh(rnd.nextGaussian());
                            if (withPrev) {
                                cPrev[i] = rnd.nextGaussian();
                            }
                        }
                        int[] rows = mapped ? new int[n] : null;
                        if (mapped) {
                            for (int j = 0; j < n; j++) {
                                rows[j] = j + 2; // a strict sub-block of the forward rows
                            }
                        }
                        double[] dh = new double[n * hidden];
                        double[] dc = new double[n * hidden];
                        for (int i = 0; i < dh.length; i++) {
                            dh[i] = rnd.nextGaussian();
                            dc[i] = rnd.nextGaussian();
                        }
                        double[] dcRef = dc.clone();
                        double[] dGRef = new double[n * 4 * hidden];
                        double[] dGOut = new double[n * 4 * hidden];
                        ReferenceKernels.INSTANCE.lstmCellBackward(n, hidden, rows, gates, cPrev, tanhC, dh, dcRef, dGRef);
                        k.lstmCellBackward(n, hidden, rows, gates, cPrev, tanhC, dh, dc, dGOut);
                        String where = impl + " hidden=" + hidden + " n=" + n + " mapped=" + mapped + " prev=" + withPrev;
                        assertArrayEquals(dGRef, dGOut, 1e-13, "dGates " + where);
                        assertArrayEquals(dcRef, dc, 1e-13, "dc " + where);
                    }
                }
            }
        }
    }

    @Test
    void vectorKernelsAreAvailableUnderSurefire() {
        assertTrue(ModuleLayer.boot().findModule(Kernels.VECTOR_MODULE).isPresent(),
                "the test JVM must run with --add-modules jdk.incubator.vector (surefire argLine)");
        assertTrue(Kernels.vectorAvailable(), "VectorKernels did not load");
        assertEquals("float32", Kernels.select(null).name());
        assertEquals("float32", Kernels.best().name());
        assertEquals("vector", Kernels.select("vector").name());
        assertEquals("float32", Kernels.select("float32").name());
    }

    @Test
    void propertyForcesTheImplementation() {
        System.setProperty(Kernels.PROPERTY, "reference");
        assertSame(ReferenceKernels.INSTANCE, Kernels.best());
        System.setProperty(Kernels.PROPERTY, "blocked");
        assertSame(BlockedKernels.INSTANCE, Kernels.best());
        System.setProperty(Kernels.PROPERTY, " Vector ");
        assertEquals("vector", Kernels.best().name());
        System.setProperty(Kernels.PROPERTY, "FLOAT32");
        assertEquals("float32", Kernels.best().name());
        System.setProperty(Kernels.PROPERTY, "");
        assertEquals("float32", Kernels.best().name());
        System.clearProperty(Kernels.PROPERTY);
        assertEquals("float32", Kernels.best().name());
    }

    @Test
    void badPropertyValueIsRejectedWithItsNameAndTheAllowedValues() {
        System.setProperty(Kernels.PROPERTY, "fastest");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Kernels::best);
        String msg = e.getMessage();
        assertTrue(msg.contains("'fastest'"), msg);
        assertTrue(msg.contains(Kernels.PROPERTY), msg);
        assertTrue(msg.contains("reference") && msg.contains("blocked") && msg.contains("vector") && msg.contains("float32"), msg);
        // A later valid value works again.
        System.setProperty(Kernels.PROPERTY, "blocked");
        assertSame(BlockedKernels.INSTANCE, Kernels.best());
        assertThrows(IllegalArgumentException.class, () -> Kernels.select("gpu"));
    }

    @Test
    void namesAreDistinct() {
        assertEquals("reference", Kernels.select("reference").name());
        assertEquals("blocked", Kernels.select("blocked").name());
        assertEquals("vector", Kernels.select("vector").name());
    }

    // ------------------------------------------------------------------ helpers

    /** Random (n, k, m) triples from {@link #DIMS}, plus every size paired with small and large partners. */
    private static List<int[]> shapes(Random rnd, int count) {
        List<int[]> out = new ArrayList<>();
        for (int d : DIMS) {
            out.add(new int[] {d, 3, 9});
            out.add(new int[] {5, d, 17});
            out.add(new int[] {7, 11, d});
        }
        out.add(new int[] {129, 257, 300});
        out.add(new int[] {300, 300, 300});
        for (int i = 0; i < count; i++) {
            out.add(new int[] {pick(rnd), pick(rnd), pick(rnd)});
        }
        return out;
    }

    private static int pick(Random rnd) {
        return DIMS[rnd.nextInt(DIMS.length)];
    }

    /**
     * Runs one dense product with random non-zero offsets, a non-zero C and guard cells around it, and compares
     * with the reference elementwise, relative to the sum of the absolute values of each element's terms.
     */
    private static void checkProduct(MatrixKernels k, boolean transA, int n, int kk, int m, Random rnd) {
        int aOff = 1 + rnd.nextInt(7);
        int bOff = 1 + rnd.nextInt(7);
        int cOff = 1 + rnd.nextInt(7);
        int bRows = transA ? n : kk;
        int cRows = transA ? kk : n;
        // Half of the time B ends exactly at the end of its array (tail loads must not run past it).
        int bSlack = rnd.nextBoolean() ? 0 : 1 + rnd.nextInt(9);
        double[] a = random(rnd, aOff + n * kk + rnd.nextInt(3));
        double[] b = random(rnd, bOff + bRows * m + bSlack);
        double[] c = random(rnd, cOff + cRows * m + 4);
        double[] aBefore = a.clone();
        double[] bBefore = b.clone();

        double[] expected = c.clone();
        double[] scale = new double[c.length];
        double[] absA = abs(a);
        double[] absB = abs(b);
        if (transA) {
            ReferenceKernels.INSTANCE.multTransAAdd(n, kk, m, a, aOff, b, bOff, expected, cOff);
            ReferenceKernels.INSTANCE.multTransAAdd(n, kk, m, absA, aOff, absB, bOff, scale, cOff);
            k.multTransAAdd(n, kk, m, a, aOff, b, bOff, c, cOff);
        } else {
            ReferenceKernels.INSTANCE.multAdd(n, kk, m, a, aOff, b, bOff, expected, cOff);
            ReferenceKernels.INSTANCE.multAdd(n, kk, m, absA, aOff, absB, bOff, scale, cOff);
            k.multAdd(n, kk, m, a, aOff, b, bOff, c, cOff);
        }
        assertArrayEquals(aBefore, a, "A modified");
        assertArrayEquals(bBefore, b, "B modified");
        String what = k.name() + (transA ? " multTransAAdd" : " multAdd") + " n=" + n + " k=" + kk + " m=" + m;
        for (int i = 0; i < c.length; i++) {
            boolean inside = i >= cOff && i < cOff + cRows * m;
            double tol = inside ? relativeTolerance(k, transA ? n : kk) * (scale[i] + Math.abs(expected[i]) + 1) : 0;
            if (!(Math.abs(c[i] - expected[i]) <= tol)) {
                fail(what + ": element " + i + (inside ? "" : " (outside C)") + " is " + c[i] + ", expected "
                        + expected[i]);
            }
        }
    }

    /**
     * Relative tolerance against the sum of the absolute values of an element's terms: {@link #REL_TOL} for kernels
     * computing in double; for single precision, the rounding of both operands and of {@code inner} float
     * additions ({@code (inner + 2)} unit roundoffs, a bound that holds for any summation order).
     */
    private static double relativeTolerance(MatrixKernels k, int inner) {
        return k.precision() > 1e-12 ? (inner + 2) * k.precision() : REL_TOL;
    }

    private static double[] random(Random rnd, int len) {
        double[] x = new double[len];
        for (int i = 0; i < len; i++) {
            x[i] = 2 * rnd.nextDouble() - 1;
        }
        return x;
    }

    private static double[] abs(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.abs(x[i]);
        }
        return y;
    }
}
