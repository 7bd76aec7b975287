package org.rankcoding.spark;

import org.apache.spark.api.java.JavaRDD;
import org.rankcoding.data.DataChecksum;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * What one pass over a shard tells before training: its rows, the steps' input size, the largest class and a checksum
 * of its content (for checkpoints, which refuse to resume on other data).
 *
 * @param shard     the partition index
 * @param rows      the number of rows
 * @param inputSize the input size of every step (the shard refuses mixed sizes)
 * @param maxLabel  the largest label
 * @param checksum  the {@link DataChecksum} of the rows in order
 */
record ShardStats(int shard, long rows, int inputSize, int maxLabel, String checksum) implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * The statistics of shard {@code shard}'s rows.
     *
     * @throws IllegalArgumentException if two rows have different input sizes
     */
    static ShardStats of(int shard, Iterator<SequenceRow> rows) {
        DataChecksum sum = new DataChecksum();
        long n = 0;
        int inputSize = -1;
        int maxLabel = -1;
        while (rows.hasNext()) {
            SequenceRow r = rows.next();
            if (inputSize < 0) {
                inputSize = r.inputSize();
            } else if (r.inputSize() != inputSize) {
                throw new IllegalArgumentException("shard " + shard + ": row " + n + " has steps of " + r.inputSize()
                        + " values, the shard's first row " + inputSize + "; every sequence needs the same input size");
            }
            maxLabel = Math.max(maxLabel, r.label());
            sum.add(r.label());
            sum.add(r.length());
            for (double[] step : r.steps()) {
                sum.add(step);
            }
            n++;
        }
        return new ShardStats(shard, n, inputSize, maxLabel, sum.hex());
    }

    /** The statistics of every partition of {@code rows}, in partition order (one Spark job). */
    static List<ShardStats> of(JavaRDD<SequenceRow> rows) {
        List<ShardStats> stats = new ArrayList<>(rows.mapPartitionsWithIndex(
                (i, it) -> List.of(of(i, it)).iterator(), true).collect());
        stats.sort(Comparator.comparingInt(ShardStats::shard));
        return stats;
    }

    /** The shards' fingerprint: their sizes and checksums in shard order. */
    static String fingerprint(List<ShardStats> stats) {
        StringBuilder b = new StringBuilder();
        for (ShardStats s : stats) {
            b.append(b.length() == 0 ? "" : ",").append(s.rows()).append(':').append(s.checksum());
        }
        return b.toString();
    }
}
