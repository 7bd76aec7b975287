package org.rankcoding.nn;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link PoolRelu} against a direct scan of each window (the first maximum in window order wins, a NaN never wins, the
 * ReLU zeroes a non-positive maximum and leaves no winner), on maps full of ties and NaNs, for the 2 x 2 windows'
 * pairwise comparison and the general scan (pool 1 and 3), in both output layouts; then the routing of gradients back.
 */
class PoolReluTest {

    private static final double[] VALUES = {-1.0, 0.0, 0.5, 0.5, 2.0, Double.NaN, -0.0};

    @Test
    void poolingPicksTheFirstMaximumOfEachWindowWithTiesAndNaNs() {
        SplittableRandom rng = new SplittableRandom(3);
        int ties = 0;
        for (int pool : new int[]{1, 2, 3}) {
            for (int trial = 0; trial < 40; trial++) {
                int chans = 1 + rng.nextInt(5);
                int ph = 1 + rng.nextInt(4);
                int pw = 1 + rng.nextInt(4);
                int height = ph * pool + rng.nextInt(2); // a row or column the pooling leaves out
                int width = pw * pool + rng.nextInt(2);
                double[] map = new double[height * width * chans];
                for (int i = 0; i < map.length; i++) {
                    map[i] = VALUES[rng.nextInt(VALUES.length)];
                }
                for (PoolRelu pr : new PoolRelu[]{PoolRelu.channelMajor(chans, width, pool, ph, pw),
                        PoolRelu.positionMajor(chans, width, pool, ph, pw)}) {
                    double[] out = new double[pr.size()];
                    int[] argmax = new int[pr.size()];
                    pr.forward(map, out, argmax, 0);
                    for (int c = 0; c < chans; c++) {
                        for (int p = 0; p < ph * pw; p++) {
                            double best = Double.NEGATIVE_INFINITY;
                            int at = -1;
                            int equal = 0;
                            for (int dy = 0; dy < pool; dy++) {
                                for (int dx = 0; dx < pool; dx++) {
                                    int pos = (p / pw * pool + dy) * width + p % pw * pool + dx;
                                    double a = map[pos * chans + c];
                                    if (a > best) {
                                        best = a;
                                        at = pos;
                                    }
                                }
                            }
                            for (int dy = 0; dy < pool; dy++) {
                                for (int dx = 0; dx < pool; dx++) {
                                    int pos = (p / pw * pool + dy) * width + p % pw * pool + dx;
                                    equal += map[pos * chans + c] == best && best > 0 ? 1 : 0;
                                }
                            }
                            ties += equal > 1 ? 1 : 0;
                            int f = pr.index(c, p);
                            String where = "pool " + pool + " channel " + c + " position " + p;
                            assertEquals(best > 0 ? best : 0.0, out[f], 0.0, where);
                            assertEquals(best > 0 ? at : -1, argmax[f], where);
                        }
                    }
                    // routing puts each gradient on its winner and sums the channel's into the bias gradient
                    double[] dOut = new double[pr.size()];
                    for (int i = 0; i < dOut.length; i++) {
                        dOut[i] = i + 1;
                    }
                    double[] dMap = new double[map.length];
                    double[] bias = new double[chans];
                    pr.route(dOut, 0, argmax, 0, dMap, bias);
                    double[] wantBias = new double[chans];
                    for (int c = 0; c < chans; c++) {
                        for (int p = 0; p < ph * pw; p++) {
                            int f = pr.index(c, p);
                            if (argmax[f] >= 0) {
                                assertEquals(dOut[f], dMap[argmax[f] * chans + c], 0.0);
                                wantBias[c] += dOut[f];
                            }
                        }
                    }
                    for (int c = 0; c < chans; c++) {
                        assertEquals(wantBias[c], bias[c], 0.0);
                    }
                    pr.clear(argmax, 0, dMap);
                    for (double v : dMap) {
                        assertEquals(0.0, v, 0.0, "clear leaves the map zero");
                    }
                }
            }
        }
        assertTrue(ties > 50, "windows whose maximum is tied: " + ties);
    }
}
