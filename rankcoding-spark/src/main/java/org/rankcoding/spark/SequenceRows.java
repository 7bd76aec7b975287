package org.rankcoding.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.rankcoding.data.BatchSource;
import org.rankcoding.data.SequenceBatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Library data on its way into Spark: the rows of a {@link SequenceBatch} (from any {@link BatchSource}: a generator,
 * MNIST, a UCR file) as {@link SequenceRow}s, and rows as a DataFrame with a flattened features column.
 */
public final class SequenceRows {

    private SequenceRows() {
    }

    /** The rows of {@code batch} (dense or sparse), each cut at its own length. */
    public static List<SequenceRow> of(SequenceBatch batch) {
        Objects.requireNonNull(batch, "batch is null");
        SequenceBatch dense = batch.isSparse() ? batch.toDense() : batch;
        double[] in = dense.inputArray();
        int b = dense.batchSize();
        int n = dense.inputSize();
        List<SequenceRow> rows = new ArrayList<>(b);
        for (int r = 0; r < b; r++) {
            double[][] steps = new double[dense.length(r)][n];
            for (int t = 0; t < steps.length; t++) {
                System.arraycopy(in, (t * b + r) * n, steps[t], 0, n);
            }
            rows.add(new SequenceRow(steps, dense.label(r)));
        }
        return rows;
    }

    /**
     * {@code count} rows drawn from {@code source} with {@code rng}, in batches of at most {@code batchRows}.
     *
     * @throws IllegalArgumentException for a count or batch size below 1
     */
    public static List<SequenceRow> draw(BatchSource source, int count, int batchRows, RandomGenerator rng) {
        if (count < 1 || batchRows < 1) {
            throw new IllegalArgumentException("count = " + count + ", batchRows = " + batchRows + ", expected both >= 1");
        }
        List<SequenceRow> rows = new ArrayList<>(count);
        while (rows.size() < count) {
            rows.addAll(of(source.nextBatch(Math.min(batchRows, count - rows.size()), rng)));
        }
        return rows;
    }

    /** The schema of {@link #toDataFrame}: {@code id} (long), {@code features} (array of double), {@code label} (double). */
    public static final StructType FLAT_SCHEMA = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("features", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
            .add("label", DataTypes.DoubleType, false);

    /**
     * {@code rows} as a DataFrame of {@link #FLAT_SCHEMA} (features flattened step after step; train or score it with
     * the input size set), {@code id} being the row's index, in {@code partitions} partitions in row order.
     */
    public static Dataset<Row> toDataFrame(SparkSession spark, List<SequenceRow> rows, int partitions) {
        List<Row> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            SequenceRow r = rows.get(i);
            double[] flat = new double[r.length() * r.inputSize()];
            for (int t = 0; t < r.length(); t++) {
                System.arraycopy(r.steps()[t], 0, flat, t * r.inputSize(), r.inputSize());
            }
            out.add(RowFactory.create((long) i, flat, (double) r.label()));
        }
        return spark.createDataFrame(out, FLAT_SCHEMA).coalesce(partitions);
    }
}
