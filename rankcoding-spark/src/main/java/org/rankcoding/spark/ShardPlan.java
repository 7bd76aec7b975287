package org.rankcoding.spark;

import org.rankcoding.data.LabeledSequence;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Which rows make each batch of a data-parallel run: the data set is cut into shards (one Spark partition each), and
 * every batch takes a fixed share of its rows from every shard, in shard order. A batch of {@code b} rows over {@code S}
 * shards takes from shard {@code i < min(S, b)} the rows {@code [i * b / P, (i + 1) * b / P)} of the batch
 * ({@code P = min(S, b)}; the other shards give none), which is exactly how the {@link org.rankcoding.train.Trainer}
 * cuts a batch among {@code S} threads, so a run over shards equals the single-JVM run with {@code threads = S} on the
 * same batches. Each shard walks through its own rows in a seeded order, a new permutation per pass over the shard
 * (seeded by the run's seed, the shard and the pass), starting a new pass when its rows run out.
 *
 * <p>Everything follows from the batch number: a task that computes a shard's share of batch {@code k} needs no state
 * from earlier batches, so a retried task and a resumed run compute the same rows.
 */
public final class ShardPlan implements Serializable {

    private static final long serialVersionUID = 1L;

    private final long[] shardSizes;
    private final int batchSize;
    private final long trainSequences;
    private final long seed;

    /**
     * @param shardSizes     the number of rows in each shard, each {@code >= 1}
     * @param batchSize      rows per batch, {@code >= 1}
     * @param trainSequences the run's budget in sequences; the last batch holds what remains
     * @param seed           the seed of the shards' orders
     * @throws IllegalArgumentException for an empty shard or no shards, or a batch size or budget below 1
     */
    public ShardPlan(long[] shardSizes, int batchSize, long trainSequences, long seed) {
        if (shardSizes.length == 0) {
            throw new IllegalArgumentException("no shards; the data set needs at least one row");
        }
        for (int i = 0; i < shardSizes.length; i++) {
            if (shardSizes[i] < 1) {
                throw new IllegalArgumentException("shard " + i + " has " + shardSizes[i] + " rows; every shard needs at "
                        + "least one (use fewer shards than rows)");
            }
        }
        if (batchSize < 1 || trainSequences < 1) {
            throw new IllegalArgumentException("batchSize = " + batchSize + ", trainSequences = " + trainSequences
                    + ", expected both >= 1");
        }
        this.shardSizes = shardSizes.clone();
        this.batchSize = batchSize;
        this.trainSequences = trainSequences;
        this.seed = seed;
    }

    /** The number of shards. */
    public int shards() {
        return shardSizes.length;
    }

    /** The rows of shard {@code shard}. */
    public long shardSize(int shard) {
        return shardSizes[shard];
    }

    /** The number of batches of the run. */
    public long batches() {
        return (trainSequences + batchSize - 1) / batchSize;
    }

    /** The sequences trained on before batch {@code batch} (0-based). */
    public long sequencesBefore(long batch) {
        return Math.min(trainSequences, batch * batchSize);
    }

    /** The rows of batch {@code batch} (0-based): the batch size, or what remains of the budget for the last one. */
    public int rows(long batch) {
        return (int) Math.min(batchSize, trainSequences - sequencesBefore(batch));
    }

    /** The number of rows shard {@code shard} gives to a batch of {@code rows} rows. */
    public int share(int shard, int rows) {
        int parts = Math.min(shardSizes.length, rows);
        return shard >= parts ? 0 : from(shard + 1, parts, rows) - from(shard, parts, rows);
    }

    private static int from(int i, int parts, int rows) {
        return (int) ((long) i * rows / parts);
    }

    /**
     * The rows (indices into the shard, in its stored order) that shard {@code shard} gives to batch {@code batch}, in
     * batch order.
     */
    public int[] picks(int shard, long batch) {
        int n = share(shard, rows(batch));
        // every batch before this one is full (only the last batch can be smaller)
        long consumed = (long) share(shard, batchSize) * batch;
        long size = shardSizes[shard];
        int[] picks = new int[n];
        long epoch = -1;
        int[] order = null;
        for (int j = 0; j < n; j++) {
            long position = consumed + j;
            if (position / size != epoch) {
                epoch = position / size;
                order = order(shard, epoch);
            }
            picks[j] = order[(int) (position % size)];
        }
        return picks;
    }

    /**
     * The sequences that shard {@code shard}, holding {@code shardRows} in its stored order, gives to batch
     * {@code batch}, in batch order ({@link #picks}).
     *
     * @throws IllegalStateException if the shard does not hold the plan's number of rows (its data changed)
     */
    public List<LabeledSequence> sequences(List<SequenceRow> shardRows, int shard, long batch) {
        if (shardRows.size() != shardSizes[shard]) {
            throw new IllegalStateException("shard " + shard + " holds " + shardRows.size() + " rows, the plan says "
                    + shardSizes[shard] + "; the data changed between batches (is its source deterministic?)");
        }
        int[] picks = picks(shard, batch);
        List<LabeledSequence> out = new ArrayList<>(picks.length);
        for (int p : picks) {
            out.add(shardRows.get(p).toLabeledSequence());
        }
        return out;
    }

    /** The seeded order of shard {@code shard}'s rows in its pass {@code epoch} (Fisher-Yates). */
    int[] order(int shard, long epoch) {
        int size = Math.toIntExact(shardSizes[shard]);
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + shard * 0xC2B2AE3D27D4EB4FL + epoch);
        for (int i = size - 1; i > 0; i--) {
            int k = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[k];
            order[k] = t;
        }
        return order;
    }

    /** The shards' sizes, the batch size and the budget, for messages and checkpoints. */
    @Override
    public String toString() {
        return "ShardPlan{shards=" + Arrays.toString(shardSizes) + ", batchSize=" + batchSize + ", trainSequences="
                + trainSequences + ", seed=" + seed + "}";
    }
}
