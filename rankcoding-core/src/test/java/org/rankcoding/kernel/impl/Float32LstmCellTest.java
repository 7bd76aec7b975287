package org.rankcoding.kernel.impl;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The float32 kernels' activations ({@link Float32LstmCell}): within four units of 2^-24 of the exact logistic
 * function and {@code tanh} over the whole range, saturating cleanly, and every element, wherever it sits (whole
 * vectors, the overlapping last vector, inputs shorter than a vector, in place or not), equal bit for bit to the
 * scalar code; nothing outside the range is touched.
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

    @Test
    void sigmoidAndTanhAreWithinFourUnitsOf2ToTheMinus24() {
        double[] x = inputs();
        double[] sig = new double[x.length];
        double[] tanh = new double[x.length];
        Float32LstmCell.logistic(x, 0, x.length, -1f, 1f, 0f, sig, 0, new double[Float32LstmCell.WINDOW]);
        Float32LstmCell.logistic(x, 0, x.length, -2f, 2f, -1f, tanh, 0, new double[Float32LstmCell.WINDOW]);
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
        double[] x = inputs();
        for (float[] p : new float[][]{{-1f, 1f, 0f}, {-2f, 2f, -1f}}) {
            double[] out = new double[x.length];
            Float32LstmCell.logistic(x, 0, x.length, p[0], p[1], p[2], out, 0, new double[Float32LstmCell.WINDOW]);
            for (int i = 0; i < x.length; i++) {
                double scalar = Float32LstmCell.logistic((float) x[i], p[0], p[1], p[2]);
                if (Double.doubleToRawLongBits(out[i]) != Double.doubleToRawLongBits(scalar)) {
                    fail("x = " + x[i] + " (element " + i + "), scale " + p[0] + ": vector " + out[i] + ", scalar " + scalar);
                }
            }
        }
    }

    @Test
    void everyLengthAndOffsetInPlaceEqualsTheScalarCode() {
        double[] x = inputs();
        for (int len = 0; len <= 50; len++) {
            for (int off : new int[]{0, 3}) {
                double[] buf = x.clone();
                Float32LstmCell.logistic(buf, off, len, -2f, 2f, -1f, buf, off, new double[Float32LstmCell.WINDOW]);
                for (int i = 0; i < x.length; i++) {
                    double want = i >= off && i < off + len ? Float32LstmCell.logistic((float) x[i], -2f, 2f, -1f) : x[i];
                    assertEquals(want, buf[i], 0.0, "length " + len + ", offset " + off + ", element " + i);
                }
            }
        }
    }

    @Test
    void inPlaceEqualsOutOfPlace() {
        double[] x = inputs();
        double[] out = new double[x.length];
        Float32LstmCell.logistic(x, 0, x.length, -1f, 1f, 0f, out, 0, new double[Float32LstmCell.WINDOW]);
        double[] in = x.clone();
        Float32LstmCell.logistic(in, 0, in.length, -1f, 1f, 0f, in, 0, new double[Float32LstmCell.WINDOW]);
        for (int i = 0; i < x.length; i++) {
            assertEquals(out[i], in[i], 0.0, "element " + i);
        }
    }
}
