package org.rankcoding.nn;

import org.rankcoding.kernel.Kernels;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.kernel.ReferenceKernels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The second stage computed from a row's events ({@link EventConvStage}) against the dense second stage
 * ({@link PatchConvStage}, itself checked against the direct definition and by finite differences in
 * {@link ConvFrontEndTest} and {@link FrontEndGradientCheckTest}): two front ends with the same weights, one forced to
 * the event path for every row, one to the dense path, must give the same features, pooling choices and parameter
 * gradients, over shapes with borders, uneven pooling and kernels larger than the map, and rows from empty to full.
 */
class EventConvStageTest {

    private static final double TOL = 1e-12;

    static List<ConvFrontEndConfig> shapes() {
        List<ConvFrontEndConfig> list = new ArrayList<>(List.of(
                ConvFrontEndConfig.conv(4, 5, 2, 16, 16).withSecondStage(6),  // MNIST-like, small
                ConvFrontEndConfig.conv(3, 3, 2, 8, 8).withSecondStage(4),
                ConvFrontEndConfig.conv(2, 5, 2, 6, 9).withSecondStage(3),    // kernel wider than the pooled map
                ConvFrontEndConfig.conv(2, 3, 3, 20, 14).withSecondStage(2),  // pool 3, neither side divisible
                ConvFrontEndConfig.conv(3, 1, 1, 4, 5).withSecondStage(5),    // kernel 1
                ConvFrontEndConfig.conv(1, 3, 1, 1, 6).withSecondStage(2)));  // a single row
        SplittableRandom rng = new SplittableRandom(31);
        for (int i = 0; i < 12; i++) {
            int h = 4 + rng.nextInt(12);
            int w = 4 + rng.nextInt(12);
            int k = 1 + 2 * rng.nextInt(3);
            int p = 1 + rng.nextInt(2);
            list.add(ConvFrontEndConfig.conv(1 + rng.nextInt(4), k, p, h, w).withSecondStage(1 + rng.nextInt(5)));
        }
        return list;
    }

    /** Two front ends with equal random weights (biases of both signs), one always from events, one always dense. */
    private static ConvFrontEnd[] pair(ConvFrontEndConfig c, long seed) {
        ConvFrontEnd events = new ConvFrontEnd(c, new SplittableRandom(seed), 1.0);
        ConvFrontEnd dense = new ConvFrontEnd(c, new SplittableRandom(seed), -1.0);
        SplittableRandom rng = new SplittableRandom(seed + 1);
        for (ConvFrontEnd f : new ConvFrontEnd[]{events, dense}) {
            SplittableRandom r = new SplittableRandom(seed + 1);
            for (double[] a : new double[][]{f.weight().data, f.bias().data, f.weight2().data, f.bias2().data}) {
                for (int i = 0; i < a.length; i++) {
                    a[i] = r.nextDouble() - 0.5;
                }
            }
        }
        rng.nextInt();
        return new ConvFrontEnd[]{events, dense};
    }

    /** Rows of binary pixels with densities from none to all (row {@code j} has density {@code j / (n - 1)}). */
    private static double[] rows(ConvFrontEndConfig c, int n, SplittableRandom rng, boolean counts) {
        int in = c.inputSize();
        double[] x = new double[n * in];
        for (int j = 0; j < n; j++) {
            double density = n == 1 ? 0.1 : (double) j / (n - 1) * (j % 2 == 0 ? 1.0 : 0.15);
            for (int i = 0; i < in; i++) {
                if (rng.nextDouble() < density) {
                    x[j * in + i] = counts ? 1 + rng.nextInt(3) : 1.0;
                }
            }
        }
        return x;
    }

    @Test
    void eventsAndDenseGiveTheSameFeaturesAndGradients() {
        SplittableRandom rng = new SplittableRandom(5);
        int rowsCompared = 0;
        int touchedRows = 0;
        int cases = 0;
        int nonZeroCases = 0; // cases whose weight2 gradient is not all zero (the ReLUs may close a tiny map)
        for (ConvFrontEndConfig c : shapes()) {
            // double kernels to 1e-12; the default (float32 products where the Vector API is present) to 1e-4
            for (MatrixKernels kernels : new MatrixKernels[]{ReferenceKernels.INSTANCE, Kernels.select("blocked"),
                    Kernels.best()}) {
                double tol = kernels.precision() < 1e-10 ? TOL : 1e-4;
                ConvFrontEnd[] fs = pair(c, rng.nextLong());
                int n = 6;
                double[] x = rows(c, n, rng, rng.nextBoolean());
                int fsz = c.outputSize();
                double[][] out = new double[2][n * fsz];
                ConvTape[] tapes = new ConvTape[2];
                double[][][] grads = new double[2][][];
                int[] sel = {5, 0, 3, 2, 1};
                double[] dOut = new double[sel.length * fsz];
                for (int i = 0; i < dOut.length; i++) {
                    dOut[i] = rng.nextDouble() - 0.5;
                }
                for (int k = 0; k < 2; k++) {
                    ConvFrontEnd f = fs[k];
                    ConvFrontEnd.Workspace ws = f.newWorkspace(kernels);
                    f.prepare(ws);
                    tapes[k] = f.newTape(n);
                    f.forwardDense(n, x, ws, out[k], tapes[k]);
                    ConvGradients g = f.newGradients();
                    f.backwardDense(sel.length, sel, x, dOut, tapes[k], ws, g);
                    // twice: the workspace's accumulators are folded and cleared by each call
                    f.backwardDense(sel.length, sel, x, dOut, tapes[k], ws, g);
                    grads[k] = gradients(f, g);
                }
                String where = c + " " + kernels.name();
                for (int i = 0; i < out[0].length; i++) {
                    assertEquals(out[1][i], out[0][i], tol * Math.max(1, Math.abs(out[1][i])), where + " feature " + i);
                }
                if (tol == TOL) { // float rounding may flip a near tie
                    assertArrayEquals(tapes[1].argmax2, tapes[0].argmax2, where + ": pooling choices");
                }
                assertArrayEquals(tapes[1].argmax1, tapes[0].argmax1, where + ": first-stage pooling choices");
                String[] names = {"weight", "bias", "weight2", "bias2"};
                for (int t = 0; t < names.length; t++) {
                    for (int i = 0; i < grads[1][t].length; i++) {
                        assertEquals(grads[1][t][i], grads[0][t][i], tol * Math.max(1, Math.abs(grads[1][t][i])),
                                where + ": gradient of " + names[t] + "[" + i + "]");
                    }
                }
                if (Arrays.stream(grads[1][2]).anyMatch(v -> v != 0)) {
                    nonZeroCases++;
                }
                cases++;
                rowsCompared += n;
                TouchedPositions touched = new TouchedPositions(c);
                ActivePixels px = new ActivePixels(c.inputSize());
                for (int j = 0; j < n; j++) {
                    px.setDense(x, j * c.inputSize(), c.inputSize());
                    touched.set(px, c.width());
                    if (touched.count() > 0 && touched.count() < touched.plane()) {
                        touchedRows++;
                    }
                }
            }
        }
        assertTrue(nonZeroCases > cases * 3 / 4, "cases with a weight2 gradient: " + nonZeroCases + " of " + cases);
        assertTrue(touchedRows > rowsCompared / 4, "rows with some but not all positions touched: " + touchedRows
                + " of " + rowsCompared);
    }

    @Test
    void touchedPositionsAreTheWindowsWithinTheKernelsReach() {
        ConvFrontEndConfig c = ConvFrontEndConfig.conv(2, 5, 2, 28, 28).withSecondStage(3);
        TouchedPositions touched = new TouchedPositions(c);
        ActivePixels px = new ActivePixels(c.inputSize());
        px.setBinary(new int[]{0}, 0, 1); // top-left pixel: a1 rows and columns 0..2, windows 0..1
        touched.set(px, 28);
        assertEquals(4, touched.count());
        assertArrayEquals(new int[]{0, 1, 14, 15}, Arrays.copyOf(touched.positions(), 4));
        px.setBinary(new int[]{14 * 28 + 13}, 0, 1); // (14, 13): rows 12..16 -> 6..8, columns 11..15 -> 5..7
        touched.set(px, 28);
        assertEquals(9, touched.count());
        assertEquals(6 * 14 + 5, touched.positions()[0]);
        assertEquals(8 * 14 + 7, touched.positions()[8]);
        px.setBinary(new int[0], 0, 0);
        touched.set(px, 28);
        assertEquals(0, touched.count());
    }

    /** The gradients of {@code f} in the parameters' layout: weight, bias, weight2, bias2. */
    private static double[][] gradients(ConvFrontEnd f, ConvGradients g) {
        NetworkConfig net = new NetworkConfig(f.inputSize(), 2, 1, HeadType.SOFTMAX, 2).withFrontEnd(f.config());
        Parameters p = new RankCodingNetwork(net, 1).parameters().zerosLike();
        f.writeGradients(g, p);
        ParameterLayout layout = p.layout();
        return new double[][]{p.get(layout.frontEndStage(0).weights()).data.clone(),
                p.get(layout.frontEndStage(0).bias()).data.clone(),
                p.get(layout.frontEndStage(1).weights()).data.clone(),
                p.get(layout.frontEndStage(1).bias()).data.clone()};
    }
}
