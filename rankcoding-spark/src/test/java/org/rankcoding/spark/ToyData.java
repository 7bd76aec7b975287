package org.rankcoding.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A small noise-versus-signal task for the tests: {@code inputSize} noisy channels over 6 to 12 steps; in class 1 a
 * constant offset appears at a random step. As rows, and as a DataFrame with nested or flat features.
 */
final class ToyData {

    private ToyData() {
    }

    static List<SequenceRow> rows(int n, int inputSize, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<SequenceRow> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int label = rng.nextInt(2);
            int length = 6 + rng.nextInt(7);
            int onset = rng.nextInt(length);
            double[][] steps = new double[length][inputSize];
            for (int t = 0; t < length; t++) {
                for (int j = 0; j < inputSize; j++) {
                    steps[t][j] = 0.5 * (rng.nextDouble() * 2 - 1) + (label == 1 && t >= onset ? 0.8 : 0.0);
                }
            }
            rows.add(new SequenceRow(steps, label));
        }
        return rows;
    }

    static final StructType NESTED = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("features", SequenceColumns.NESTED, false)
            .add("label", DataTypes.DoubleType, false);

    static final StructType FLAT = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("features", SequenceColumns.FLAT, false)
            .add("label", DataTypes.DoubleType, false);

    /** The rows in order ({@code id} is the index), in the default parallelism's partitions. */
    static Dataset<Row> nested(List<SequenceRow> rows) {
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            SequenceRow r = rows.get(i);
            List<List<Double>> steps = new ArrayList<>();
            for (double[] s : r.steps()) {
                steps.add(Arrays.stream(s).boxed().toList());
            }
            out.add(RowFactory.create((long) i, steps, (double) r.label()));
        }
        return SparkTestSession.get().createDataFrame(out, NESTED);
    }

    /** As {@link #nested}, the steps flattened. */
    static Dataset<Row> flat(List<SequenceRow> rows) {
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            SequenceRow r = rows.get(i);
            List<Double> values = new ArrayList<>();
            for (double[] s : r.steps()) {
                for (double v : s) {
                    values.add(v);
                }
            }
            out.add(RowFactory.create((long) i, values, (double) r.label()));
        }
        return SparkTestSession.get().createDataFrame(out, FLAT);
    }
}
