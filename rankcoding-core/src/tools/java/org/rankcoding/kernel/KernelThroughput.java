package org.rankcoding.kernel;

import org.rankcoding.kernel.impl.BlockedKernels;
import org.rankcoding.kernel.impl.VectorKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A rough single-thread throughput measurement of every available {@link MatrixKernels} at the LSTM's shapes
 * (not a unit test). Prints GFLOP/s (2 n k m flops per product) after a warm-up.
 *
 * <p>A program of the tools source set ({@code src/tools/java}), never run by the build. Run it from the repository
 * root with {@code scripts/core-tool kernel-throughput [seconds-per-case]}.
 */
public final class KernelThroughput {

    private KernelThroughput() {
    }

    /** Runs the measurement; the optional argument is the measured time per case in seconds (default 1). */
    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        List<MatrixKernels> impls = new ArrayList<>();
        impls.add(ReferenceKernels.INSTANCE);
        impls.add(BlockedKernels.INSTANCE);
        if (Kernels.vectorAvailable()) {
            impls.add(Kernels.select("vector"));
        } else {
            System.out.println("vector kernels unavailable (run with --add-modules jdk.incubator.vector)");
        }
        System.out.println("best() = " + Kernels.best().name()
                + (Kernels.vectorAvailable() ? ", vector lanes = " + VectorKernels.lanes() : ""));
        System.out.printf(Locale.ROOT, "%-10s %-14s %5s %5s %5s %10s%n", "impl", "op", "n", "k", "m", "GFLOP/s");
        for (MatrixKernels impl : impls) {
            double t = impl == ReferenceKernels.INSTANCE ? Math.min(seconds, 0.5) : seconds;
            report(impl, "multAdd", 128, 126, 500, t);
            report(impl, "multTransAAdd", 128, 126, 500, t);
            report(impl, "multAdd", 128, 500, 125, t);
        }
    }

    private static void report(MatrixKernels impl, String op, int n, int k, int m, double seconds) {
        Random rnd = new Random(42);
        boolean trans = op.equals("multTransAAdd");
        double[] a = fill(rnd, n * k + 3);
        double[] b = fill(rnd, (trans ? n : k) * m + 5);
        double[] c = new double[(trans ? k : n) * m + 7];
        Runnable call = trans
                ? () -> impl.multTransAAdd(n, k, m, a, 3, b, 5, c, 7)
                : () -> impl.multAdd(n, k, m, a, 3, b, 5, c, 7);
        // Warm-up: enough calls for C2 to compile the kernels, at least 0.3 s.
        long warmEnd = System.nanoTime() + 300_000_000L;
        int warm = 0;
        while (warm < 200 || System.nanoTime() < warmEnd) {
            call.run();
            warm++;
        }
        double best = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            int reps = 20;
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                call.run();
            }
            double sec = (System.nanoTime() - t0) / 1e9;
            best = Math.max(best, 2.0 * n * k * m * reps / sec / 1e9);
        }
        System.out.printf(Locale.ROOT, "%-10s %-14s %5d %5d %5d %10.2f%n", impl.name(), op, n, k, m, best);
    }

    private static double[] fill(Random rnd, int len) {
        double[] x = new double[len];
        for (int i = 0; i < len; i++) {
            x[i] = rnd.nextDouble() - 0.5;
        }
        return x;
    }
}
