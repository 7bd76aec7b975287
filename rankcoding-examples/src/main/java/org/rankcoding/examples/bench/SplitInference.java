package org.rankcoding.examples.bench;

import org.rankcoding.data.SequenceBatch;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.InferencePass;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Batch inference with each batch's rows split over several threads: a batch is cut beforehand
 * ({@link #split}) into {@code threads} contiguous row ranges of near-equal size, and each range runs on its own
 * {@link InferencePass} and thread (so rows leave each range independently, as in the trainer's multi-threaded
 * gradient). The calling thread computes the first range and waits for the
 * others before the next batch.
 *
 * <p>Owns a pool of {@code threads - 1} daemon threads; call {@link #close()} when done. Not thread-safe.
 */
final class SplitInference implements AutoCloseable {

    /** How each part of a batch is run: early exit or to the end (see {@link #run}). */
    @FunctionalInterface
    interface Part {
        /**
         * Runs {@code part} on {@code pass}.
         *
         * @return the example-steps computed
         */
        long run(InferencePass pass, SequenceBatch part);
    }

    private final InferencePass[] passes;
    private final ExecutorService pool;
    private final List<Future<Long>> futures = new ArrayList<>();

    SplitInference(RankCodingNetwork network, MatrixKernels kernels, int threads) {
        this.passes = new InferencePass[threads];
        for (int i = 0; i < threads; i++) {
            passes[i] = new InferencePass(network, kernels);
        }
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "rankcoding-bench-infer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Number of threads (and of parts per batch). */
    int threads() {
        return passes.length;
    }

    /**
     * Cuts {@code batch} into {@code parts} contiguous row ranges of near-equal size (fewer if the batch has
     * fewer rows), each a new batch owning copies of its rows.
     */
    static SequenceBatch[] split(SequenceBatch batch, int parts, int numClasses) {
        int b = batch.batchSize();
        int used = Math.min(parts, b);
        SequenceBatch[] out = new SequenceBatch[used];
        for (int i = 0; i < used; i++) {
            out[i] = rows(batch, (int) ((long) i * b / used), (int) ((long) (i + 1) * b / used), numClasses);
        }
        return out;
    }

    /** A copy of rows {@code [from, to)} of {@code batch} as a new batch. */
    static SequenceBatch rows(SequenceBatch batch, int from, int to, int numClasses) {
        int n = to - from;
        int steps = batch.maxLength();
        int in = batch.inputSize();
        double[] inputs = new double[steps * n * in];
        int[] lengths = new int[n];
        int[] labels = new int[n];
        double[] src = batch.inputArray();
        for (int r = 0; r < n; r++) {
            lengths[r] = batch.length(from + r);
            labels[r] = batch.label(from + r);
            for (int t = 0; t < steps; t++) {
                System.arraycopy(src, batch.inputOffset(t, from + r), inputs, (t * n + r) * in, in);
            }
        }
        return new SequenceBatch(n, steps, in, inputs, lengths, labels, numClasses, null);
    }

    /**
     * Runs every batch's parts (as made by {@link #split} with this instance's thread count), each part as {@code how}
     * says, for example {@code (pass, part) -> pass.earlyExit(part, theta).forwardExampleSteps()}.
     *
     * @return example-steps computed forward
     */
    long run(List<SequenceBatch[]> batches, Part how) {
        long steps = 0;
        for (SequenceBatch[] parts : batches) {
            futures.clear();
            for (int i = 1; i < parts.length; i++) {
                InferencePass pass = passes[i];
                SequenceBatch part = parts[i];
                futures.add(pool.submit(() -> how.run(pass, part)));
            }
            steps += how.run(passes[0], parts[0]);
            for (Future<Long> f : futures) {
                try {
                    steps += f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted during inference", e);
                } catch (ExecutionException e) {
                    throw new IllegalStateException("inference worker failed: " + e.getCause(), e.getCause());
                }
            }
        }
        return steps;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
