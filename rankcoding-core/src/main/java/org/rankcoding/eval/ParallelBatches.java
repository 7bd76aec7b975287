package org.rankcoding.eval;

import org.rankcoding.data.SequenceBatch;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The batches of an evaluation run on several threads, with results identical to one thread's: each thread takes the
 * next batch not yet taken and records its rows' decisions ({@link RowDecisions}) with a {@link Worker} of its own (its
 * own inference workspace; the network's weights are only read); once every batch is done, the decisions are tallied
 * on the calling thread in batch order, row by row, exactly as {@link Evaluator#add} and {@link ThresholdSweep#add}
 * tally them. Which thread ran a batch, and when, changes nothing: a batch's decisions depend only on the batch and the
 * network, and the order of the sums does not depend on the threads.
 *
 * <p>A run owns a fixed pool of {@code min(threads, batches) - 1} daemon threads for its duration (the calling thread
 * is the first worker), shut down before it returns.
 */
final class ParallelBatches {

    /** The most threads an evaluation takes (as a trainer). */
    static final int MAX_THREADS = 1024;

    /** One thread's inference workspace: confined to one thread during a run. */
    interface Worker {

        /**
         * Runs {@code batch} and records each row's decisions into {@code into}, after {@link RowDecisions#begin} with
         * the batch's rows.
         *
         * @throws NullPointerException if the batch is null
         */
        void run(SequenceBatch batch, RowDecisions into);
    }

    private ParallelBatches() {
    }

    /**
     * Checks a thread count.
     *
     * @return {@code threads}
     * @throws IllegalArgumentException for a count outside [1, {@value #MAX_THREADS}]
     */
    static int requireThreads(int threads) {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads = " + threads + ", expected in [1, " + MAX_THREADS
                    + "] (typically the number of cores)");
        }
        return threads;
    }

    /**
     * Runs {@code batches} on up to {@code threads} threads and adds their rows to {@code tallies} (one per rule) in
     * batch order. As one thread adding the batches one by one: if a batch fails, the batches before it are added, none
     * after, and the exception of the first failing batch is thrown.
     *
     * @param threads at least 1 (with one thread or one batch, the calling thread runs every batch)
     * @param workers the {@code i}-th worker for {@code i} below {@code min(threads, batches)}, asked on the calling
     *                thread before any batch starts
     * @param tallies one per decision rule the workers record
     */
    static void run(List<SequenceBatch> batches, int threads, IntFunction<? extends Worker> workers, EvaluationTally[] tallies) {
        int n = batches.size();
        int used = Math.min(threads, n);
        RowDecisions[] decisions = new RowDecisions[n];
        RuntimeException[] failures = new RuntimeException[n];
        AtomicInteger next = new AtomicInteger();
        // batches from the first failing one on are not started; every batch before it is done when the run ends
        AtomicInteger limit = new AtomicInteger(n);
        Worker[] w = new Worker[Math.max(1, used)];
        for (int i = 0; i < w.length; i++) {
            w[i] = workers.apply(i);
        }
        if (used <= 1) {
            drain(batches, tallies.length, w[0], decisions, failures, next, limit);
            tally(batches, decisions, failures, limit.get(), tallies);
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(used - 1, r -> {
            Thread t = new Thread(r, "rankcoding-eval");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<?>[] futures = new Future<?>[used];
            for (int i = 1; i < used; i++) {
                Worker worker = w[i];
                futures[i] = pool.submit(() -> drain(batches, tallies.length, worker, decisions, failures, next, limit));
            }
            drain(batches, tallies.length, w[0], decisions, failures, next, limit);
            for (int i = 1; i < used; i++) {
                try {
                    futures[i].get();
                } catch (InterruptedException e) {
                    limit.set(0);
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while evaluating batches", e);
                } catch (ExecutionException e) {
                    // drain catches every RuntimeException; what is left is an Error
                    Throwable cause = e.getCause();
                    if (cause instanceof Error error) {
                        throw error;
                    }
                    throw new IllegalStateException("evaluation worker failed", cause);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        tally(batches, decisions, failures, limit.get(), tallies);
    }

    /** Tallies the first {@code done} batches in order, then throws the failure of batch {@code done}, if any. */
    private static void tally(List<SequenceBatch> batches, RowDecisions[] decisions, RuntimeException[] failures, int done,
                              EvaluationTally[] tallies) {
        for (int i = 0; i < done; i++) {
            decisions[i].tally(batches.get(i), tallies);
            decisions[i] = null;
        }
        if (done < batches.size()) {
            throw failures[done];
        }
    }

    /** Runs the batches not taken yet with {@code worker}, each into new decisions, until none is left before the limit. */
    private static void drain(List<SequenceBatch> batches, int rules, Worker worker, RowDecisions[] decisions,
                              RuntimeException[] failures, AtomicInteger next, AtomicInteger limit) {
        for (int i = next.getAndIncrement(); i < limit.get(); i = next.getAndIncrement()) {
            SequenceBatch batch = batches.get(i);
            try {
                RowDecisions d = new RowDecisions(rules, batch == null ? 0 : batch.batchSize());
                worker.run(batch, d);
                decisions[i] = d;
            } catch (RuntimeException e) {
                failures[i] = e;
                limit.accumulateAndGet(i, Math::min);
            }
        }
    }
}
