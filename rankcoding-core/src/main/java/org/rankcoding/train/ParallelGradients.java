package org.rankcoding.train;

import org.ejml.data.DMatrixRMaj;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.nn.Parameters;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.DecisionRule;
import org.rankcoding.rc.HiddenDropout;
import org.rankcoding.rc.RankCodingLoss;
import org.rankcoding.rc.RankCodingPass;
import org.rankcoding.rc.TrainingSettings;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * The gradient of a batch computed on several threads: the batch's rows are cut into {@code threads}
 * contiguous ranges of near-equal size, each range runs its own {@link RankCodingPass} (rows leave each
 * range independently), and the partial gradients are added in range order. The split and the order of
 * the additions depend only on the batch size and the thread count, so results are bit-identical from run
 * to run for a given thread count (a different thread count changes the rounding). As a {@link PartRunner} it runs
 * the element-wise work after each batch (the sum of the partial gradients here, Adam and the divergence check in
 * {@link OptimizerStep}) on the same threads, each on its chunk of every tensor.
 *
 * <p>Owns a fixed pool of daemon threads; call {@link #close()} when done. Not thread-safe itself.
 */
final class ParallelGradients implements PartRunner, AutoCloseable {

    private final RankCodingNetwork network;
    private final RankCodingPass[] passes;
    private final Parameters[] partial;
    private final ExecutorService pool;
    private final double[] losses;
    private final long[] forward;
    private final long[] backward;

    /** With {@code dropout} between stacked layers: every pass uses its masks as they are when the pass runs. */
    ParallelGradients(RankCodingNetwork network, MatrixKernels kernels, int threads, HiddenDropout dropout) {
        this.network = network;
        this.passes = new RankCodingPass[threads];
        this.partial = new Parameters[threads];
        for (int i = 0; i < threads; i++) {
            passes[i] = new RankCodingPass(network, kernels);
            passes[i].dropout(dropout);
            partial[i] = network.parameters().zerosLike();
        }
        this.losses = new double[threads];
        this.forward = new long[threads];
        this.backward = new long[threads];
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "rankcoding-gradients");
            t.setDaemon(true);
            return t;
        });
    }

    /** Decision steps of the last batch, by row. */
    int decisionStep(int row, int batchSize) {
        return passes[rangeOf(row, batchSize)].decisionStep(row);
    }

    private int rangeOf(int row, int batchSize) {
        int used = Math.min(passes.length, batchSize);
        for (int i = used - 1; i > 0; i--) {
            if (row >= from(i, used, batchSize)) {
                return i;
            }
        }
        return 0;
    }

    private static int from(int i, int parts, int batchSize) {
        return (int) ((long) i * batchSize / parts);
    }

    long forwardExampleSteps() {
        long s = 0;
        for (long f : forward) {
            s += f;
        }
        return s;
    }

    long backwardExampleSteps() {
        long s = 0;
        for (long b : backward) {
            s += b;
        }
        return s;
    }

    /**
     * Writes the gradient of the batch's mean loss into {@code gradients} (overwritten), every row cut after
     * {@code stepLimit} steps ({@link Integer#MAX_VALUE} for none). The partial gradients of the ranges are added in
     * range order, each tensor's chunks ({@link Parameters#partStart}) on the threads at once.
     *
     * @return the batch's mean loss
     */
    double gradients(SequenceBatch batch, DecisionRule rule, RankCodingLoss loss, int horizon, int stepLimit, Parameters gradients) {
        int b = batch.batchSize();
        int used = Math.min(passes.length, b);
        double scale = 1.0 / b;
        TrainingSettings settings = new TrainingSettings(rule, loss, horizon, stepLimit);
        java.util.Arrays.fill(losses, 0);
        java.util.Arrays.fill(forward, 0);
        java.util.Arrays.fill(backward, 0);
        run(used, part -> gradientsOf(part, used, batch, scale, settings));
        run(passes.length, part -> sum(used, part, gradients));
        double sum = 0;
        for (int i = 0; i < used; i++) {
            sum += losses[i];
        }
        return sum;
    }

    /** Chunk {@code part} of every tensor of {@code gradients}: the sum of the first {@code used} partial gradients, in order. */
    private void sum(int used, int part, Parameters gradients) {
        List<DMatrixRMaj> total = gradients.tensors();
        for (int t = 0; t < total.size(); t++) {
            double[] out = total.get(t).data;
            int n = total.get(t).getNumElements();
            int from = Parameters.partStart(n, part, passes.length);
            int to = Parameters.partStart(n, part + 1, passes.length);
            System.arraycopy(partial[0].tensors().get(t).data, from, out, from, to - from);
            for (int i = 1; i < used; i++) {
                double[] add = partial[i].tensors().get(t).data;
                for (int j = from; j < to; j++) {
                    out[j] += add[j];
                }
            }
        }
    }

    @Override
    public int parts() {
        return passes.length;
    }

    @Override
    public void run(IntConsumer task) {
        run(passes.length, task);
    }

    /** Runs {@code task} for parts {@code 1 .. parts-1} on the pool and part 0 here; returns when all have run. */
    private void run(int parts, IntConsumer task) {
        Future<?>[] futures = new Future<?>[parts];
        for (int i = 1; i < parts; i++) {
            final int part = i;
            futures[i] = pool.submit(() -> task.accept(part));
        }
        RuntimeException failure = null;
        try {
            task.accept(0);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (int i = 1; i < parts; i++) {
            try {
                futures[i].get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a training thread", e);
            } catch (ExecutionException e) {
                if (failure == null) {
                    Throwable cause = e.getCause();
                    failure = cause instanceof RuntimeException re ? re : new IllegalStateException("training thread failed", cause);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void gradientsOf(int part, int parts, SequenceBatch batch, double scale, TrainingSettings settings) {
        int b = batch.batchSize();
        RankCodingPass pass = passes[part];
        losses[part] = pass.gradients(batch, from(part, parts, b), from(part + 1, parts, b), scale, settings, partial[part]);
        forward[part] = pass.forwardExampleSteps();
        backward[part] = pass.backwardExampleSteps();
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
