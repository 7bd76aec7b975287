package org.rankcoding.spark;

import org.rankcoding.data.BatchSource;
import org.rankcoding.data.InMemorySequences;
import org.rankcoding.data.LabeledSequence;
import org.rankcoding.data.SequenceBatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The batches of a {@link ShardedTrainer} run, on one machine: the rows in input order cut into shards as the trainer
 * cuts them (row {@code n} to shard {@code n mod shards}), every batch made of the shards' shares in shard order
 * ({@link ShardPlan}). The single-JVM {@link org.rankcoding.train.Trainer} with {@code threads = shards} on this source
 * computes what the cluster computes, batch for batch: for checking a cluster run, or for trying a sharded
 * configuration on a sample without a cluster. The generator passed to {@link #nextBatch} is not used.
 */
public final class ShardedBatchSource implements BatchSource {

    private final List<List<SequenceRow>> shards;
    private final ShardPlan plan;
    private final int inputSize;
    private final int numClasses;
    private long batch;

    /**
     * @param rows           the data set in input order
     * @param shards         the number of shards, at most the number of rows
     * @param numClasses     the number of classes
     * @param batchSize      rows per batch
     * @param trainSequences the run's budget
     * @param seed           the run's seed ({@link org.rankcoding.train.TrainerConfig#seed()})
     * @throws IllegalArgumentException for more shards than rows or an inconsistent data set
     */
    public ShardedBatchSource(List<SequenceRow> rows, int shards, int numClasses, int batchSize, long trainSequences,
                              long seed) {
        Objects.requireNonNull(rows, "rows is null");
        if (shards < 1 || shards > rows.size()) {
            throw new IllegalArgumentException("shards = " + shards + ", expected 1 to the number of rows (" + rows.size()
                    + ")");
        }
        this.shards = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            this.shards.add(new ArrayList<>());
        }
        for (int n = 0; n < rows.size(); n++) {
            this.shards.get(n % shards).add(rows.get(n));
        }
        long[] sizes = new long[shards];
        for (int s = 0; s < shards; s++) {
            sizes[s] = this.shards.get(s).size();
        }
        this.plan = new ShardPlan(sizes, batchSize, trainSequences, seed);
        this.inputSize = rows.get(0).inputSize();
        this.numClasses = numClasses;
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public void reset() {
        batch = 0;
    }

    /**
     * The next batch of the plan.
     *
     * @throws IllegalArgumentException if {@code maxRows} is not the plan's size of this batch (the trainer's batch
     *                                  size and budget must be the plan's)
     */
    @Override
    public SequenceBatch nextBatch(int maxRows, RandomGenerator rng) {
        if (maxRows != plan.rows(batch)) {
            throw new IllegalArgumentException("batch " + batch + " of the plan has " + plan.rows(batch) + " rows, "
                    + maxRows + " were asked for; give the trainer the plan's batch size and budget");
        }
        List<LabeledSequence> rows = new ArrayList<>(maxRows);
        for (int s = 0; s < shards.size(); s++) {
            rows.addAll(plan.sequences(shards.get(s), s, batch));
        }
        batch++;
        return InMemorySequences.toBatch(rows, numClasses);
    }
}
