package org.rankcoding.train;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
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

/**
 * The gradient of a batch computed on several threads: the batch's rows are cut into {@code threads}
 * contiguous ranges of near-equal size, each range runs its own {@link RankCodingPass} (rows leave each
 * range independently), and the partial gradients are added in range order. The split and the order of
 * the additions depend only on the batch size and the thread count, so results are bit-identical from run
 * to run for a given thread count (a different thread count changes the rounding).
 *
 * <p>Owns a fixed pool of daemon threads; call {@link #close()} when done. Not thread-safe itself.
 */
final class ParallelGradients implements AutoCloseable {

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
     * {@code stepLimit} steps ({@link Integer#MAX_VALUE} for none).
     *
     * @return the batch's mean loss
     */
    double gradients(SequenceBatch batch, DecisionRule rule, RankCodingLoss loss, int horizon, int stepLimit, Parameters gradients) {
        int b = batch.batchSize();
        int parts = Math.min(passes.length, b);
        double scale = 1.0 / b;
        TrainingSettings settings = new TrainingSettings(rule, loss, horizon, stepLimit);
        java.util.Arrays.fill(losses, 0);
        java.util.Arrays.fill(forward, 0);
        java.util.Arrays.fill(backward, 0);
        Future<?>[] futures = new Future<?>[parts];
        for (int i = 1; i < parts; i++) {
            final int part = i;
            futures[i] = pool.submit(() -> run(part, parts, batch, scale, settings));
        }
        run(0, parts, batch, scale, settings);
        for (int i = 1; i < parts; i++) {
            try {
                futures[i].get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while computing gradients", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException("gradient worker failed", cause);
            }
        }
        gradients.setTo(partial[0]);
        List<DMatrixRMaj> total = gradients.tensors();
        for (int i = 1; i < parts; i++) {
            List<DMatrixRMaj> add = partial[i].tensors();
            for (int t = 0; t < total.size(); t++) {
                CommonOps_DDRM.addEquals(total.get(t), add.get(t));
            }
        }
        double sum = 0;
        for (int i = 0; i < parts; i++) {
            sum += losses[i];
        }
        return sum;
    }

    private void run(int part, int parts, SequenceBatch batch, double scale, TrainingSettings settings) {
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
