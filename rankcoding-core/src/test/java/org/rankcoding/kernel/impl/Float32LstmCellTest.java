package org.rankcoding.kernel.impl;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The float32 kernels' activations ({@link Float32LstmCell}): within four units of 2^-24 of the exact logistic
 * function and {@code tanh} over the whole range, saturating cleanly, and every element, wherever it sits (whole
 * vectors, the overlapping last vector, inputs shorter than a vector), equal bit for bit to the scalar code on the
 * input rounded to {@code float}; nothing outside the range is touched; the whole cell likewise.
 */
class Float32LstmCellTest {

    private static final double TOL = 4 * 0x1p-24;

    private static double[] inputs() {
        SplittableRandom rng = new SplittableRandom(17);
        double[] x = new double[16 * 4000 + 11]; // a tail shorter than a vector too
        for (int i = 0; i < x.length; i++) {
            x[i] = switch (i % 4) {
                case 0 -> (rng.nextDouble() * 2 - 1) * 100;
                case 1 -> (rng.nextDouble() * 2 - 1) * 8;
                case 2 -> (rng.nextDouble() * 2 - 1) * 1e-3;
                default -> rng.nextGaussian();
            };
        }
        x[0] = 0;
        x[1] = 1e300;
        x[2] = -1e300;
        x[3] = 87.5;
        x[4] = -87.5;
        return x;
    }

    /** The inputs rounded to {@code float}, as the cell rounds a row before its activations. */
    private static float[] rounded(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    @Test
    void sigmoidAndTanhAreWithinFourUnitsOf2ToTheMinus24() {
        double[] x = inputs();
        float[] xf = rounded(x);
        double[] sig = new double[x.length];
        double[] tanh = new double[x.length];
        Float32LstmCell.logistic(xf, 0, x.length, -1f, 1f, 0f, sig, 0);
        Float32LstmCell.logistic(xf, 0, x.length, -2f, 2f, -1f, tanh, 0);
        for (int i = 0; i < x.length; i++) {
            double s = 1 / (1 + StrictMath.exp(-x[i]));
            double t = StrictMath.tanh(x[i]);
            if (!(Math.abs(sig[i] - s) <= TOL) || !(Math.abs(tanh[i] - t) <= TOL)) {
                fail("x = " + x[i] + ": sigmoid " + sig[i] + " (exact " + s + "), tanh " + tanh[i] + " (exact " + t + ")");
            }
        }
        assertEquals(0.5, sig[0], 0.0, "sigmoid(0)");
        assertEquals(0.0, tanh[0], 0.0, "tanh(0)");
        assertEquals(1.0, sig[1], 0.0, "sigmoid(1e300)");
        assertEquals(1.0, tanh[1], 0.0, "tanh(1e300)");
        assertTrue(sig[2] >= 0 && sig[2] < 1e-37, "sigmoid(-1e300) = " + sig[2]);
        assertEquals(-1.0, tanh[2], 0.0, "tanh(-1e300)");
    }

    @Test
    void everyLaneEqualsTheScalarCode() {
        float[] x = rounded(inputs());
        for (float[] p : new float[][]{{-1f, 1f, 0f}, {-2f, 2f, -1f}}) {
            double[] out = new double[x.length];
            Float32LstmCell.logistic(x, 0, x.length, p[0], p[1], p[2], out, 0);
            for (int i = 0; i < x.length; i++) {
                double scalar = Float32LstmCell.logistic(x[i], p[0], p[1], p[2]);
                if (Double.doubleToRawLongBits(out[i]) != Double.doubleToRawLongBits(scalar)) {
                    fail("x = " + x[i] + " (element " + i + "), scale " + p[0] + ": vector " + out[i] + ", scalar " + scalar);
                }
            }
        }
    }

    @Test
    void everyLengthAndOffsetEqualsTheScalarCodeAndTouchesNothingElse() {
        float[] x = rounded(inputs());
        for (int len = 0; len <= 50; len++) {
            for (int off : new int[]{0, 3}) {
                double[] out = new double[x.length];
                java.util.Arrays.fill(out, -7.0);
                Float32LstmCell.logistic(x, off, len, -2f, 2f, -1f, out, off + 5);
                for (int i = 0; i < out.length; i++) {
                    boolean inside = i >= off + 5 && i < off + 5 + len;
                    double want = inside ? Float32LstmCell.logistic(x[i - 5], -2f, 2f, -1f) : -7.0;
                    assertEquals(want, out[i], 0.0, "length " + len + ", offset " + off + ", element " + i);
                }
            }
        }
    }

    /**
     * The whole forward cell, row after row: every gate activation and every {@code tanh(c)} equal bit for bit to the
     * scalar code on the rounded input (the pre-activation, and the cell's own new state), at sizes with and without
     * a tail and below a vector.
     */
    @Test
    void theCellRoundsEachRowAndActivatesItBitForBit() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int hidden : new int[]{1, 7, 16, 17, 125}) {
            int n = 3;
            double[] pre = new double[n * 4 * hidden];
            double[] cPrev = new double[n * hidden];
            for (int i = 0; i < pre.length; i++) {
                pre[i] = rng.nextGaussian() * 3;
            }
            for (int i = 0; i < cPrev.length; i++) {
                cPrev[i] = rng.nextGaussian();
            }
            double[] gates = pre.clone();
            double[] c = new double[n * hidden];
            double[] tanhC = new double[n * hidden];
            double[] h = new double[n * hidden];
            Float32LstmCell.forward(n, hidden, gates, cPrev, c, tanhC, h, new float[n * 4 * hidden], new float[hidden]);
            for (int i = 0; i < pre.length; i++) {
                boolean g = i % (4 * hidden) / hidden == 2;
                double want = g ? Float32LstmCell.logistic((float) pre[i], -2f, 2f, -1f)
                        : Float32LstmCell.logistic((float) pre[i], -1f, 1f, 0f);
                assertEquals(want, gates[i], 0.0, "hidden " + hidden + ", gate element " + i);
            }
            for (int i = 0; i < c.length; i++) {
                assertEquals(Float32LstmCell.logistic((float) c[i], -2f, 2f, -1f), tanhC[i], 0.0,
                        "hidden " + hidden + ", tanh(c) element " + i);
                assertEquals(gates[i / hidden * 4 * hidden + 3 * hidden + i % hidden] * tanhC[i], h[i], 0.0,
                        "hidden " + hidden + ", h element " + i);
            }
        }
    }
}
