package org.rankcoding.nn;

import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.rankcoding.kernel.ReferenceKernels;
import org.rankcoding.rc.RcTestSupport;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link ConvFrontEnd} against {@link ConvReference}, the direct definition (convolution with zero padding, max-pool,
 * ReLU, flatten by channel, pooled row, pooled column), on many small shapes: kernel 1, pool 1, a pool as large as the
 * image's smaller side, non-square images, sides the pool does not divide, a kernel larger than the image, a 1 x 1
 * image; dense real-valued rows with zeros (and an all-zero row) and sparse binary rows (and an empty row). Forward
 * features and pooling choices, the sparse and dense forms of the same binary input, and the weight and bias
 * gradients of backward (by the chain rule written out, cross-checked by finite differences on smooth cases),
 * including the row selection the training pass uses after early exit.
 */
class ConvFrontEndTest {

    private static final double TOL = 1e-12;
    /** The rows of the batches of the forward and backward comparisons. */
    private static final int ROWS = 4;

    /** The hand-picked edge shapes, then random ones. */
    static List<ConvFrontEndConfig> shapes() {
        List<ConvFrontEndConfig> list = new ArrayList<>(List.of(
                ConvFrontEndConfig.conv(3, 1, 1, 4, 4),   // kernel 1, pool 1
                ConvFrontEndConfig.conv(2, 3, 1, 5, 3),   // pool 1, non-square
                ConvFrontEndConfig.conv(2, 3, 4, 4, 4),   // pool = image side: one pooled value per channel
                ConvFrontEndConfig.conv(2, 3, 3, 3, 5),   // pool = smaller side, width not divisible
                ConvFrontEndConfig.conv(3, 5, 2, 5, 7),   // neither side divisible
                ConvFrontEndConfig.conv(1, 5, 1, 2, 3),   // kernel larger than the image
                ConvFrontEndConfig.conv(2, 3, 1, 1, 1),   // 1 x 1 image
                ConvFrontEndConfig.conv(2, 1, 2, 3, 2),   // kernel 1 with pooling
                ConvFrontEndConfig.conv(4, 3, 2, 7, 4),
                ConvFrontEndConfig.conv(2, 7, 3, 7, 8),
                ConvFrontEndConfig.conv(1, 3, 1, 1, 6)));  // a single row
        SplittableRandom rng = new SplittableRandom(2024);
        for (int i = 0; i < 40; i++) {
            int h = 1 + rng.nextInt(8);
            int w = 1 + rng.nextInt(8);
            int k = 1 + 2 * rng.nextInt(3);
            int p = 1 + rng.nextInt(Math.min(h, w));
            list.add(ConvFrontEndConfig.conv(1 + rng.nextInt(4), k, p, h, w));
        }
        return list;
    }

    /** A new training workspace of {@code f} (reference kernels), prepared for {@code f}'s current weights. */
    private static ConvFrontEnd.Workspace preparedWorkspace(ConvFrontEnd f) {
        ConvFrontEnd.Workspace ws = f.newWorkspace(ReferenceKernels.INSTANCE);
        f.prepare(ws);
        return ws;
    }

    /** A front end with weights in [-1, 1] and biases in [-0.5, 0.5]: both sides of the ReLU occur. */
    private static ConvFrontEnd frontEnd(ConvFrontEndConfig c, SplittableRandom rng) {
        ConvFrontEnd f = new ConvFrontEnd(c, rng);
        for (int i = 0; i < f.weight().getNumElements(); i++) {
            f.weight().data[i] = 2 * rng.nextDouble() - 1;
        }
        for (int i = 0; i < c.channels(); i++) {
            f.bias().data[i] = rng.nextDouble() - 0.5;
        }
        return f;
    }

    /** {@code n} dense rows, Gaussian with about a third exact zeros; row 1 all zero. */
    private static double[] denseRows(ConvFrontEndConfig c, int n, SplittableRandom rng) {
        int in = c.inputSize();
        double[] x = new double[n * in];
        for (int i = 0; i < x.length; i++) {
            x[i] = i / in == 1 || rng.nextDouble() < 0.33 ? 0.0 : RcTestSupport.gaussian(rng);
        }
        return x;
    }

    /** {@code n} binary rows, each pixel 1 with probability 0.3; row 1 empty. */
    private static double[] binaryRows(ConvFrontEndConfig c, int n, SplittableRandom rng) {
        int in = c.inputSize();
        double[] x = new double[n * in];
        for (int i = 0; i < x.length; i++) {
            x[i] = i / in != 1 && rng.nextDouble() < 0.3 ? 1.0 : 0.0;
        }
        return x;
    }

    /** CSR lists (starts, then indices) of the non-zero pixels of {@code rows} of the binary matrix {@code x}. */
    private static int[][] csr(double[] x, int in, int[] rows) {
        int[] start = new int[rows.length + 1];
        int[] idx = new int[rows.length * in];
        int q = 0;
        for (int j = 0; j < rows.length; j++) {
            start[j] = q;
            for (int i = 0; i < in; i++) {
                if (x[rows[j] * in + i] != 0) {
                    idx[q++] = i;
                }
            }
        }
        start[rows.length] = q;
        return new int[][]{start, Arrays.copyOf(idx, q)};
    }

    private static int[] identity(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /** Checks one call's features and pooling choices against the reference, row by row. */
    private static void assertLikeReference(ConvFrontEnd f, double[] x, int n, double[] out, int[] argmax, String where,
                                            int[] counts) {
        ConvFrontEndConfig c = f.config();
        int fs = c.outputSize();
        for (int j = 0; j < n; j++) {
            double[][][] pre = ConvReference.convolve(c, f.weight().data, f.bias().data, x, j * c.inputSize());
            double[] want = ConvReference.forward(c, f.weight().data, f.bias().data, x, j * c.inputSize(), null);
            for (int ft = 0; ft < fs; ft++) {
                double got = out[j * fs + ft];
                String at = where + ", row " + j + ", feature " + ft;
                assertEquals(want[ft], got, TOL * Math.max(1, Math.abs(want[ft])), at);
                int pos = argmax[j * fs + ft];
                if (got == 0.0) {
                    assertEquals(-1, pos, at + ": a feature the ReLU zeroes has no pooling winner");
                    counts[0]++;
                    continue;
                }
                counts[1]++;
                // the winner is a position of this feature's pooling window whose pre-activation is the feature
                int plane = c.pooledHeight() * c.pooledWidth();
                int ch = ft / plane;
                int py = ft % plane / c.pooledWidth();
                int px = ft % c.pooledWidth();
                assertTrue(pos >= 0, at + ": positive feature without a winner");
                int y = pos / c.width();
                int xx = pos % c.width();
                assertTrue(y / c.pool() == py && xx / c.pool() == px && y < c.pooledHeight() * c.pool()
                        && xx < c.pooledWidth() * c.pool(), at + ": winner " + pos + " outside the window");
                assertEquals(pre[ch][y][xx], got, TOL * Math.max(1, Math.abs(got)), at + ": winner's pre-activation");
            }
        }
    }

    @Test
    void forwardEqualsTheDirectDefinitionAndSparseEqualsDense() {
        SplittableRandom rng = new SplittableRandom(7);
        int[] counts = new int[2]; // features zeroed by the ReLU, features passed
        int shapes = 0;
        for (ConvFrontEndConfig c : shapes()) {
            ConvFrontEnd f = frontEnd(c, rng);
            ConvFrontEnd.Workspace ws = preparedWorkspace(f);
            int fs = c.outputSize();
            assertEquals(c.channels() * (c.height() / c.pool()) * (c.width() / c.pool()), fs, c.toString());
            assertEquals(c.height() * c.width(), f.inputSize());
            assertEquals(fs, f.outputSize());

            double[] dense = denseRows(c, ROWS, rng);
            double[] out = new double[ROWS * fs];
            int[] argmax = new int[ROWS * fs];
            Arrays.fill(out, Double.NaN); // outputs are overwritten, whatever they held
            Arrays.fill(argmax, 12345);
            fwdDense(f, ROWS, dense, ws, out, argmax);
            assertLikeReference(f, dense, ROWS, out, argmax, c + " dense", counts);

            double[] binary = binaryRows(c, ROWS, rng);
            int[][] sparse = csr(binary, c.inputSize(), identity(ROWS));
            double[] outSparse = new double[ROWS * fs];
            int[] argmaxSparse = new int[ROWS * fs];
            fwdSparse(f, ROWS, sparse[0], sparse[1], ws, outSparse, argmaxSparse);
            assertLikeReference(f, binary, ROWS, outSparse, argmaxSparse, c + " sparse", counts);
            double[] outDense = new double[ROWS * fs];
            int[] argmaxDense = new int[ROWS * fs];
            fwdDense(f, ROWS, binary, ws, outDense, argmaxDense);
            assertArrayEquals(outDense, outSparse, 0.0, c + ": sparse and dense forms of one binary input");
            assertArrayEquals(argmaxDense, argmaxSparse, c + ": pooling choices of the sparse and dense forms");

            // the workspace carries nothing from one call to the next: the dense rows again give the same features
            double[] again = new double[ROWS * fs];
            fwdDense(f, ROWS, dense, ws, again, new int[ROWS * fs]);
            assertArrayEquals(out, again, 0.0, c + ": repeated call");
            shapes++;
        }
        assertEquals(51, shapes);
        assertTrue(counts[0] > 100 && counts[1] > 100, "both sides of the ReLU are exercised: " + Arrays.toString(counts));
    }

    @Test
    void twoStagesEqualTheDirectDefinitionWithPyTorchsWeightOrder() {
        SplittableRandom rng = new SplittableRandom(17);
        List<ConvFrontEndConfig> twoStage = List.of(
                ConvFrontEndConfig.conv(3, 3, 2, 8, 8).withSecondStage(4),
                ConvFrontEndConfig.conv(2, 5, 2, 12, 10).withSecondStage(3),
                ConvFrontEndConfig.conv(4, 3, 1, 5, 6).withSecondStage(2),
                ConvFrontEndConfig.conv(1, 1, 2, 4, 4).withSecondStage(2));
        int passed = 0;
        for (ConvFrontEndConfig c : twoStage) {
            ConvFrontEnd f = frontEnd(c, rng);
            ConvFrontEnd.Workspace ws = preparedWorkspace(f);
            int fs = c.outputSize();
            for (boolean sparse : new boolean[]{false, true}) {
                double[] x = sparse ? binaryRows(c, ROWS, rng) : denseRows(c, ROWS, rng);
                double[] out = new double[ROWS * fs];
                ConvTape tape = f.newTape(ROWS);
                f.forwardDense(ROWS, x, ws, out, tape);
                int[] argmax = tape.argmax2;
                for (int j = 0; j < ROWS; j++) {
                    int[] wantArgmax = new int[fs];
                    double[] want = ConvReference.forwardTwoStages(c, f.weight().data, f.bias().data, f.weight2().data,
                            f.bias2().data, x, j * c.inputSize(), wantArgmax);
                    for (int ft = 0; ft < fs; ft++) {
                        String at = c + (sparse ? " sparse" : " dense") + ", row " + j + ", feature " + ft;
                        assertEquals(want[ft], out[j * fs + ft], TOL * Math.max(1, Math.abs(want[ft])), at);
                        assertEquals(wantArgmax[ft], argmax[j * fs + ft], at + ": pooling winner");
                        if (want[ft] > 0) {
                            passed++;
                        }
                    }
                }
            }
        }
        assertTrue(passed > 100, "features that passed the ReLU: " + passed);
    }

    @Test
    void prepareIsNeededAfterAWeightChangeAndTakesIt() {
        SplittableRandom rng = new SplittableRandom(8);
        ConvFrontEndConfig c = ConvFrontEndConfig.conv(2, 3, 2, 4, 5);
        ConvFrontEnd f = frontEnd(c, rng);
        ConvFrontEnd.Workspace ws = preparedWorkspace(f);
        double[] x = denseRows(c, 2, rng);
        double[] before = new double[2 * c.outputSize()];
        fwdDense(f, 2, x, ws, before, new int[before.length]);
        for (int i = 0; i < f.weight().getNumElements(); i++) {
            f.weight().data[i] = -f.weight().data[i];
        }
        f.prepare(ws);
        double[] after = new double[before.length];
        int[] argmax = new int[before.length];
        fwdDense(f, 2, x, ws, after, argmax);
        assertLikeReference(f, x, 2, after, argmax, "after prepare", new int[2]);
        assertTrue(!Arrays.equals(before, after), "the new weights are used");
    }

    @Test
    void anInferenceWorkspaceComputesTheSameForwardAndRefusesBackward() {
        SplittableRandom rng = new SplittableRandom(12);
        for (ConvFrontEndConfig c : new ConvFrontEndConfig[] {ConvFrontEndConfig.conv(2, 3, 2, 4, 6),
                ConvFrontEndConfig.conv(3, 3, 2, 8, 8).withSecondStage(4)}) {
            ConvFrontEnd f = frontEnd(c, rng);
            double[] x = denseRows(c, 3, rng);
            double[][] outs = new double[2][3 * c.outputSize()];
            ConvFrontEnd.Workspace[] spaces = {f.newWorkspace(ReferenceKernels.INSTANCE), f.newInferenceWorkspace(ReferenceKernels.INSTANCE)};
            for (int k = 0; k < 2; k++) {
                f.prepare(spaces[k]);
                f.forwardDense(3, x, spaces[k], outs[k], f.newTape(3));
            }
            assertArrayEquals(outs[0], outs[1], c.toString());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> f.backwardDense(3, identity(3), x, new double[3 * c.outputSize()], f.newTape(3), spaces[1], f.newGradients()));
            assertTrue(e.getMessage().contains("made for inference"), e.getMessage());
        }
    }

    /** Parameter gradients of backward for rows selected by {@code sel} (gradient row jb is forward row sel[jb]). */
    private static double[][] backward(ConvFrontEnd f, ConvFrontEnd.Workspace ws, boolean sparse, double[] x, int n, int[] sel,
                                       double[] dOut) {
        ConvFrontEndConfig c = f.config();
        int fs = c.outputSize();
        double[] out = new double[n * fs];
        int[] argmax = new int[n * fs];
        int nb = sel.length;
        double[] gW = new double[c.kernel() * c.kernel() * c.channels()];
        double[] gB = new double[c.channels()];
        if (sparse) {
            int[][] all = csr(x, c.inputSize(), identity(n));
            fwdSparse(f, n, all[0], all[1], ws, out, argmax);
            int[][] rows = csr(x, c.inputSize(), sel);
            bwdSparse(f, nb, sel, rows[0], rows[1], dOut, argmax, ws, gW, gB);
        } else {
            fwdDense(f, n, x, ws, out, argmax);
            bwdDense(f, nb, sel, x, dOut, argmax, ws, gW, gB);
        }
        DMatrixRMaj w = new DMatrixRMaj(c.channels(), c.kernel() * c.kernel());
        weightGradientInto(f, gW, w);
        return new double[][]{w.data, gB};
    }

    private static void assertClose(double[] want, double[] got, String where) {
        assertEquals(want.length, got.length, where);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-11 * Math.max(1, Math.abs(want[i])), where + " [" + i + "]");
        }
    }

    @Test
    void backwardGivesTheChainRuleGradientsForAllAndForSelectedRows() {
        SplittableRandom rng = new SplittableRandom(9);
        int nonZero = 0;
        for (ConvFrontEndConfig c : shapes()) {
            ConvFrontEnd f = frontEnd(c, rng);
            ConvFrontEnd.Workspace ws = preparedWorkspace(f);
            int fs = c.outputSize();
            int kk = c.kernel() * c.kernel();
            for (boolean sparse : new boolean[]{false, true}) {
                double[] x = sparse ? binaryRows(c, ROWS, rng) : denseRows(c, ROWS, rng);
                for (int[] sel : new int[][]{identity(ROWS), {3, 1, 0}, {2}}) {
                    double[] dOut = new double[sel.length * fs];
                    for (int i = 0; i < dOut.length; i++) {
                        dOut[i] = RcTestSupport.gaussian(rng);
                    }
                    double[] wantW = new double[c.channels() * kk];
                    double[] wantB = new double[c.channels()];
                    for (int jb = 0; jb < sel.length; jb++) {
                        ConvReference.backward(c, f.weight().data, f.bias().data, x, sel[jb] * c.inputSize(), dOut, jb * fs,
                                wantW, wantB);
                    }
                    String where = c + (sparse ? " sparse" : " dense") + " rows " + Arrays.toString(sel);
                    double[][] got = backward(f, ws, sparse, x, ROWS, sel, dOut);
                    assertClose(wantW, got[0], where + ": weight gradient");
                    assertClose(wantB, got[1], where + ": bias gradient");
                    // the workspace's gradient map is left clean: the same call again gives the same gradients
                    double[][] again = backward(f, ws, sparse, x, ROWS, sel, dOut);
                    assertArrayEquals(got[0], again[0], 0.0, where + ": repeated call");
                    assertArrayEquals(got[1], again[1], 0.0, where + ": repeated call");
                    if (Arrays.stream(got[0]).anyMatch(v -> v != 0)) {
                        nonZero++;
                    }
                }
            }
            // gradients accumulate into what the arrays hold
            double[] x = denseRows(c, ROWS, rng);
            double[] dOut = new double[ROWS * fs];
            Arrays.fill(dOut, 1.0);
            double[] out = new double[ROWS * fs];
            int[] argmax = new int[ROWS * fs];
            fwdDense(f, ROWS, x, ws, out, argmax);
            double[] gW = new double[kk * c.channels()];
            double[] gB = new double[c.channels()];
            bwdDense(f, ROWS, identity(ROWS), x, dOut, argmax, ws, gW, gB);
            double[] gW2 = gW.clone();
            double[] gB2 = gB.clone();
            bwdDense(f, ROWS, identity(ROWS), x, dOut, argmax, ws, gW2, gB2);
            for (int i = 0; i < gW.length; i++) {
                assertEquals(2 * gW[i], gW2[i], 1e-12 * Math.max(1, Math.abs(gW[i])), c + ": accumulation");
            }
            for (int i = 0; i < gB.length; i++) {
                assertEquals(2 * gB[i], gB2[i], 1e-12 * Math.max(1, Math.abs(gB[i])), c + ": accumulation");
            }
        }
        assertTrue(nonZero > 280, "most cases have a non-zero weight gradient: " + nonZero);
    }

    /**
     * Finite differences of {@code sum dOut * features} on dense rows without zeros (no ties in the pooling), for a few
     * shapes: a check of the chain-rule reference itself. Coordinates at a kink (a pooling choice or ReLU sign that
     * changes within the step) are skipped and counted.
     */
    @Test
    void backwardMatchesFiniteDifferencesOnSmoothInputs() {
        SplittableRandom rng = new SplittableRandom(10);
        double eps = 1e-6;
        int checked = 0;
        int skipped = 0;
        List<String> failures = new ArrayList<>();
        for (ConvFrontEndConfig c : shapes().subList(0, 11)) {
            ConvFrontEnd f = frontEnd(c, rng);
            ConvFrontEnd.Workspace ws = f.newWorkspace(ReferenceKernels.INSTANCE);
            int n = 2;
            int fs = c.outputSize();
            double[] x = new double[n * c.inputSize()];
            for (int i = 0; i < x.length; i++) {
                x[i] = RcTestSupport.gaussian(rng);
            }
            double[] dOut = new double[n * fs];
            for (int i = 0; i < dOut.length; i++) {
                dOut[i] = RcTestSupport.gaussian(rng);
            }
            f.prepare(ws);
            double[][] g = backward(f, ws, false, x, n, identity(n), dOut);
            for (DMatrixRMaj m : new DMatrixRMaj[]{f.weight(), f.bias()}) {
                double[] grad = m == f.weight() ? g[0] : g[1];
                for (int i = 0; i < m.getNumElements(); i++) {
                    double old = m.data[i];
                    m.data[i] = old + eps;
                    double lp = objective(f, ws, x, n, dOut);
                    m.data[i] = old - eps;
                    double lm = objective(f, ws, x, n, dOut);
                    m.data[i] = old;
                    double l0 = objective(f, ws, x, n, dOut);
                    double numeric = (lp - lm) / (2 * eps);
                    if (Math.abs((lp - l0) - (l0 - lm)) > 1e-7 * Math.max(1, Math.abs(lp - l0))) {
                        skipped++;
                        continue;
                    }
                    checked++;
                    if (Math.abs(numeric - grad[i]) > 1e-6 * Math.max(1, Math.abs(numeric))) {
                        failures.add(c + (m == f.weight() ? " weight[" : " bias[") + i + "]: analytic " + grad[i]
                                + ", numeric " + numeric);
                    }
                }
            }
        }
        if (!failures.isEmpty()) {
            fail(String.join("\n", failures));
        }
        assertTrue(checked > 150 && skipped <= checked / 10, "checked " + checked + ", skipped " + skipped);
    }

    private static double objective(ConvFrontEnd f, ConvFrontEnd.Workspace ws, double[] x, int n, double[] dOut) {
        f.prepare(ws);
        double[] out = new double[n * f.outputSize()];
        fwdDense(f, n, x, ws, out, new int[out.length]);
        double s = 0;
        for (int i = 0; i < out.length; i++) {
            s += dOut[i] * out[i];
        }
        return s;
    }

    @Test
    void initialisationFollowsPyTorchAndNoneBuildsNothing() {
        ConvFrontEndConfig c = ConvFrontEndConfig.conv(6, 5, 2, 6, 6);
        ConvFrontEnd f = new ConvFrontEnd(c, new SplittableRandom(3));
        assertEquals(6, f.weight().numRows);
        assertEquals(25, f.weight().numCols);
        assertEquals(1, f.bias().numRows);
        assertEquals(6, f.bias().numCols);
        double bound = 1.0 / 5;
        double maxAbs = 0;
        for (DMatrixRMaj m : new DMatrixRMaj[]{f.weight(), f.bias()}) {
            for (int i = 0; i < m.getNumElements(); i++) {
                assertTrue(Math.abs(m.data[i]) <= bound, "uniform in [-1/K, 1/K]: " + m.data[i]);
                maxAbs = Math.max(maxAbs, Math.abs(m.data[i]));
            }
        }
        assertTrue(maxAbs > 0.8 * bound, "the draws fill the range: " + maxAbs);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ConvFrontEnd(ConvFrontEndConfig.NONE, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("NONE"), e.getMessage());
        // a network registers the front end's tensors last, under PyTorch's names
        RankCodingNetwork net = new RankCodingNetwork(new NetworkConfig(36, 4, 2, HeadType.SOFTMAX, 3, c), 5);
        List<String> names = net.parameters().names();
        assertEquals(List.of("frontend.weight", "frontend.bias"), names.subList(names.size() - 2, names.size()));
        assertEquals(6 * 3 * 3, net.layers().get(0).inputSize(), "the first LSTM layer reads the pooled features");
        assertEquals(6 * 3 * 3, net.config().lstmInputSize());
        assertTrue(net.hasFrontEnd());
        assertEquals(c.parameterCount(), net.frontEnd().weight().getNumElements() + net.frontEnd().bias().getNumElements());
        RankCodingNetwork plain = new RankCodingNetwork(new NetworkConfig(36, 4, 1, HeadType.SOFTMAX, 3), 5);
        assertTrue(!plain.hasFrontEnd());
        assertThrows(IllegalStateException.class, plain::frontEnd);
    }

    // ---- the layer's tape and gradient objects, seen as the arrays these tests inspect (single-stage front ends)

    private static void fwdDense(ConvFrontEnd f, int n, double[] x, ConvFrontEnd.Workspace ws, double[] out, int[] argmax) {
        ConvTape tape = f.newTape(n);
        f.forwardDense(n, x, ws, out, tape);
        System.arraycopy(tape.argmax1, 0, argmax, 0, n * f.outputSize());
    }

    private static void fwdSparse(ConvFrontEnd f, int n, int[] start, int[] idx, ConvFrontEnd.Workspace ws, double[] out, int[] argmax) {
        ConvTape tape = f.newTape(n);
        f.forwardSparse(n, start, idx, ws, out, tape);
        System.arraycopy(tape.argmax1, 0, argmax, 0, n * f.outputSize());
    }

    private static ConvTape tape(ConvFrontEnd f, int[] argmax) {
        ConvTape tape = f.newTape(argmax.length / f.outputSize());
        System.arraycopy(argmax, 0, tape.argmax1, 0, argmax.length);
        return tape;
    }

    private static ConvGradients grads(ConvFrontEnd f, double[] gW, double[] gB) {
        ConvGradients g = f.newGradients();
        System.arraycopy(gW, 0, g.weightT, 0, gW.length);
        System.arraycopy(gB, 0, g.bias, 0, gB.length);
        return g;
    }

    private static void bwdDense(ConvFrontEnd f, int nb, int[] sel, double[] x, double[] dOut, int[] argmax, ConvFrontEnd.Workspace ws,
                                 double[] gW, double[] gB) {
        ConvGradients g = grads(f, gW, gB);
        f.backwardDense(nb, sel, x, dOut, tape(f, argmax), ws, g);
        System.arraycopy(g.weightT, 0, gW, 0, gW.length);
        System.arraycopy(g.bias, 0, gB, 0, gB.length);
    }

    private static void bwdSparse(ConvFrontEnd f, int nb, int[] sel, int[] start, int[] idx, double[] dOut, int[] argmax,
                                  ConvFrontEnd.Workspace ws, double[] gW, double[] gB) {
        ConvGradients g = grads(f, gW, gB);
        f.backwardSparse(nb, sel, start, idx, dOut, tape(f, argmax), ws, g);
        System.arraycopy(g.weightT, 0, gW, 0, gW.length);
        System.arraycopy(g.bias, 0, gB, 0, gB.length);
    }

    /** The compute-layout weight gradient ({@code K*K x C}) in the parameter's layout ({@code C x K*K}). */
    private static void weightGradientInto(ConvFrontEnd f, double[] gW, DMatrixRMaj w) {
        int c = f.config().channels();
        int kk = gW.length / c;
        for (int ch = 0; ch < c; ch++) {
            for (int o = 0; o < kk; o++) {
                w.data[ch * kk + o] = gW[o * c + ch];
            }
        }
    }
}
