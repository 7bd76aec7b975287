package org.rankcoding.nn;

import java.util.SplittableRandom;

/**
 * Times {@link PoolRelu#forward} for the temporal-MNIST front end's two poolings (first stage: 16 channels of
 * 28 x 28, position-major; second stage: 32 channels of 14 x 14, channel-major), on one map repeated and on 256
 * distinct random maps: with one map the branch predictor learns the winners, with distinct maps it cannot, as in
 * training. Microseconds per row, best of 10 passes over 256 rows. Not a test: run it as a main (docs/benchmarks.md
 * has the command).
 */
public final class PoolingTiming {

    private PoolingTiming() {
    }

    public static void main(String[] args) {
        PoolRelu second = PoolRelu.channelMajor(32, 14, 2, 7, 7);
        PoolRelu first = PoolRelu.positionMajor(16, 28, 2, 14, 14);
        for (int distinct : new int[]{1, 256}) {
            double[][] maps2 = maps(distinct, 196 * 32);
            double[][] maps1 = maps(distinct, 784 * 16);
            System.out.printf("%d distinct map(s): second stage %.2f us per row, first stage %.2f us per row%n",
                    distinct, time(second, maps2), time(first, maps1));
        }
    }

    private static double[][] maps(int distinct, int size) {
        SplittableRandom rng = new SplittableRandom(size);
        double[][] m = new double[distinct][size];
        for (double[] map : m) {
            for (int i = 0; i < size; i++) {
                map[i] = rng.nextDouble() - 0.5;
            }
        }
        return m;
    }

    private static double time(PoolRelu pooling, double[][] maps) {
        int rows = 256;
        double[] out = new double[rows * pooling.size()];
        int[] argmax = new int[out.length];
        long best = Long.MAX_VALUE;
        for (int rep = 0; rep < 10; rep++) {
            long t0 = System.nanoTime();
            for (int j = 0; j < rows; j++) {
                pooling.forward(maps[j % maps.length], out, argmax, j * pooling.size());
            }
            best = Math.min(best, System.nanoTime() - t0);
        }
        return best / 1e3 / rows;
    }
}
