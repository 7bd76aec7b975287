package org.rankcoding.nn;

import org.rankcoding.kernel.Kernels;
import org.rankcoding.kernel.MatrixKernels;

import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Measures where the second stage computed from events ({@link EventConvStage}) stops being faster than the dense
 * one ({@link PatchConvStage}), for the temporal-MNIST front end (16 + 32 filters of 5 x 5, pool 2, 28 x 28): rows
 * of 256 with a given number of random active pixels, forward and backward, best of 12 repetitions, microseconds per
 * row for each path, against the mean number of touched positions of the 196. The result sets
 * {@link ConvFrontEnd#EVENT_FRACTION}. Not a test: run it as a main (docs/benchmarks.md has the command).
 */
public final class SecondStageCrossover {

    private SecondStageCrossover() {
    }

    public static void main(String[] args) {
        ConvFrontEndConfig c = ConvFrontEndConfig.conv(16, 5, 2, 28, 28).withSecondStage(32);
        MatrixKernels kernels = Kernels.best();
        System.out.println("kernels " + kernels.name() + "; microseconds per row, forward + backward, best of 12");
        System.out.println("layout pixels touched/196 events dense events/dense");
        for (int side : new int[]{20, 28}) { // pixels in the central 20 x 20 (digit-like), or anywhere
            for (int pixels : new int[]{1, 4, 8, 16, 24, 32, 40, 48, 64, 100, 200}) {
                if (pixels > side * side / 2) {
                    continue;
                }
                run(c, kernels, side, pixels);
            }
        }
    }

    private static void run(ConvFrontEndConfig c, MatrixKernels kernels, int side, int pixels) {
        int n = 256;
        SplittableRandom rng = new SplittableRandom(pixels * 31L + side);
        int[] start = new int[n + 1];
        int[] idx = new int[n * pixels];
        TouchedPositions touched = new TouchedPositions(c);
        ActivePixels active = new ActivePixels(c.inputSize());
        double meanTouched = 0;
        int border = (28 - side) / 2;
        for (int j = 0; j < n; j++) {
            start[j] = j * pixels;
            TreeSet<Integer> set = new TreeSet<>();
            while (set.size() < pixels) {
                set.add((border + rng.nextInt(side)) * 28 + border + rng.nextInt(side));
            }
            int q = j * pixels;
            for (int v : set) {
                idx[q++] = v;
            }
            active.setBinary(idx, j * pixels, (j + 1) * pixels);
            touched.set(active, c.width());
            meanTouched += touched.count() / (double) n;
        }
        start[n] = n * pixels;
        double[] micros = new double[2];
        for (int path = 0; path < 2; path++) {
            ConvFrontEnd f = new ConvFrontEnd(c, new SplittableRandom(1), path == 0 ? 1.0 : -1.0);
            ConvFrontEnd.Workspace ws = f.newWorkspace(kernels);
            f.prepare(ws);
            ConvTape tape = f.newTape(n);
            ConvGradients g = f.newGradients();
            double[] out = new double[n * f.outputSize()];
            double[] dOut = new double[n * f.outputSize()];
            for (int i = 0; i < dOut.length; i++) {
                dOut[i] = rng.nextDouble() - 0.5;
            }
            int[] sel = new int[n];
            for (int i = 0; i < n; i++) {
                sel[i] = i;
            }
            long best = Long.MAX_VALUE;
            for (int rep = 0; rep < 12; rep++) {
                long t0 = System.nanoTime();
                f.forwardSparse(n, start, idx, ws, out, tape);
                f.backwardSparse(n, sel, start, idx, dOut, tape, ws, g);
                best = Math.min(best, System.nanoTime() - t0);
            }
            micros[path] = best / 1e3 / n;
        }
        System.out.printf("%s %d %.1f %.1f %.1f %.2f%n", side == 28 ? "anywhere" : "central", pixels, meanTouched,
                micros[0], micros[1], micros[0] / micros[1]);
    }
}
