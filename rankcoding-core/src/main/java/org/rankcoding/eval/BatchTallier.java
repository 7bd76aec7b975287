package org.rankcoding.eval;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import org.rankcoding.data.SequenceBatch;

/**
 * The batch loop shared by {@link Evaluator} and {@link ThresholdSweep}: runs batches with the owner's workers (one per
 * thread, made when first needed) and adds their rows to the owner's tallies, one batch at a time on the calling thread
 * ({@link #add}) or several batches on up to {@link #threads()} threads ({@link #addAll}, through
 * {@link ParallelBatches}, with the same result bit for bit).
 */
final class BatchTallier {

    private final int threads;
    private final Supplier<? extends ParallelBatches.Worker> factory;
    private final ParallelBatches.Worker[] workers;
    /** The decisions of {@link #add}'s batch (reused). */
    private final RowDecisions decisions;
    private final EvaluationTally[] tallies;

    /**
     * @param threads in [1, {@value ParallelBatches#MAX_THREADS}]
     * @param factory makes one thread's worker (the first one at once)
     * @param tallies one per decision rule the workers record
     * @throws IllegalArgumentException for a thread count out of range
     */
    BatchTallier(int threads, Supplier<? extends ParallelBatches.Worker> factory, EvaluationTally[] tallies) {
        this.threads = ParallelBatches.requireThreads(threads);
        this.factory = factory;
        this.tallies = tallies;
        this.decisions = new RowDecisions(tallies.length, 0);
        this.workers = new ParallelBatches.Worker[threads];
        this.workers[0] = factory.get();
    }

    int threads() {
        return threads;
    }

    /** Runs one batch on the calling thread and adds its rows (nothing of it when it fails). */
    void add(SequenceBatch batch) {
        Objects.requireNonNull(batch, "batch is null");
        workers[0].run(batch, decisions);
        decisions.tally(batch, tallies);
    }

    /** Runs the batches on up to {@link #threads()} threads and adds their rows in list order. */
    void addAll(List<SequenceBatch> batches) {
        Objects.requireNonNull(batches, "batches is null");
        if (threads == 1 || batches.size() <= 1) {
            for (SequenceBatch b : batches) {
                add(b);
            }
            return;
        }
        ParallelBatches.run(batches, threads, this::worker, tallies);
    }

    private ParallelBatches.Worker worker(int i) {
        if (workers[i] == null) {
            workers[i] = factory.get();
        }
        return workers[i];
    }
}
