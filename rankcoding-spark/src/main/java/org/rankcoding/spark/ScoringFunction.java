package org.rankcoding.spark;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.rankcoding.data.InMemorySequences;
import org.rankcoding.data.LabeledSequence;
import org.rankcoding.infer.BatchDecisions;
import org.rankcoding.infer.Decision;
import org.rankcoding.infer.RankCodingModel;
import org.rankcoding.nn.HeadType;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The executor side of scoring: reads a partition's rows {@code batchRows} at a time, classifies each group with early
 * exit on the JVM's shared model ({@link ExecutorModels}), and gives every row back with four columns added:
 * prediction, probability vector, decision step, and whether the row decided before its last step.
 */
final class ScoringFunction implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final Broadcast<byte[]> file;
    private final String kernels;
    private final SequenceColumns columns;
    private final int featuresIndex;
    private final int batchRows;

    ScoringFunction(String key, Broadcast<byte[]> file, String kernels, SequenceColumns columns, int featuresIndex,
                    int batchRows) {
        this.key = key;
        this.file = file;
        this.kernels = kernels;
        this.columns = columns;
        this.featuresIndex = featuresIndex;
        this.batchRows = batchRows;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) throws Exception {
        RankCodingModel model = ExecutorModels.get(key, file, kernels);
        return new Iterator<>() {
            private final List<Row> pending = new ArrayList<>(batchRows);
            private final List<LabeledSequence> sequences = new ArrayList<>(batchRows);
            private final List<Row> out = new ArrayList<>(batchRows);
            private int next;

            @Override
            public boolean hasNext() {
                if (next < out.size()) {
                    return true;
                }
                fill();
                return next < out.size();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return out.get(next++);
            }

            private void fill() {
                pending.clear();
                sequences.clear();
                out.clear();
                next = 0;
                int inputSize = model.config().inputSize();
                while (pending.size() < batchRows && input.hasNext()) {
                    Row r = input.next();
                    pending.add(r);
                    sequences.add(new LabeledSequence(columns.steps(r, featuresIndex, inputSize), 0));
                }
                if (pending.isEmpty()) {
                    return;
                }
                BatchDecisions decisions = model.classify(InMemorySequences.toBatch(sequences,
                        model.config().numClasses()));
                for (int i = 0; i < pending.size(); i++) {
                    out.add(withDecision(pending.get(i), decisions.get(i), sequences.get(i).length(), model));
                }
            }
        };
    }

    /** {@code row} with the decision's four columns appended. */
    static Row withDecision(Row row, Decision d, int length, RankCodingModel model) {
        Object[] values = new Object[row.length() + 4];
        for (int i = 0; i < row.length(); i++) {
            values[i] = row.get(i);
        }
        values[row.length()] = (double) d.label();
        values[row.length() + 1] = Vectors.dense(classProbabilities(d, model));
        values[row.length() + 2] = d.step();
        values[row.length() + 3] = d.step() < length;
        return RowFactory.create(values);
    }

    /** One probability per class: the binary head's single {@code P(class 1)} becomes {@code [1 - p, p]}. */
    static double[] classProbabilities(Decision d, RankCodingModel model) {
        double[] p = d.probabilities();
        if (model.config().head() == HeadType.BINARY_SIGMOID && p.length == 1) {
            return new double[]{1 - p[0], p[0]};
        }
        return p;
    }
}
