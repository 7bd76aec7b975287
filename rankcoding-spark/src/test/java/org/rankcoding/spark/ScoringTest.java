package org.rankcoding.spark;

import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.rankcoding.data.InMemorySequences;
import org.rankcoding.data.LabeledSequence;
import org.rankcoding.infer.BatchDecisions;
import org.rankcoding.infer.Decision;
import org.rankcoding.io.ModelFiles;
import org.rankcoding.io.SaveOptions;
import org.rankcoding.io.TensorDType;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.DecisionRuleSpec;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Early-exit scoring in Spark equals the library's own classify, row for row (label, decision step, spike). */
class ScoringTest {

    /** An untrained but decisive network: random weights scaled up so that rows decide at different steps. */
    static RankCodingClassificationModel model(HeadType head, int classes, double threshold) {
        RankCodingNetwork net = new RankCodingNetwork(new NetworkConfig(3, 8, 2, head, classes), 7);
        for (var t : net.parameters().tensors()) {
            for (int i = 0; i < t.getNumElements(); i++) {
                t.data[i] *= 4;
            }
        }
        return new RankCodingClassificationModel("test-model", ModelFiles.toBytes(net,
                DecisionRuleSpec.thresholdCrossing(threshold), SaveOptions.DEFAULT.withDtype(TensorDType.F64)));
    }

    /** The library's decisions for {@code rows} (one batch). */
    static BatchDecisions local(RankCodingClassificationModel m, List<SequenceRow> rows) {
        List<LabeledSequence> seqs = new ArrayList<>();
        for (SequenceRow r : rows) {
            seqs.add(new LabeledSequence(r.steps(), 0));
        }
        return m.model().classify(InMemorySequences.toBatch(seqs, m.model().config().numClasses()));
    }

    static void assertSameAsLocal(RankCodingClassificationModel m, List<SequenceRow> rows, Dataset<Row> scored) {
        BatchDecisions expected = local(m, rows);
        List<Row> out = scored.orderBy("id").collectAsList();
        assertEquals(rows.size(), out.size());
        int early = 0;
        for (int i = 0; i < out.size(); i++) {
            Row r = out.get(i);
            Decision d = expected.get(i);
            assertEquals(i, r.getLong(r.fieldIndex("id")));
            assertEquals(d.label(), r.getDouble(r.fieldIndex(m.getPredictionCol())), "row " + i);
            assertEquals(d.step(), r.getInt(r.fieldIndex(m.getDecisionStepCol())), "row " + i);
            boolean decidedEarly = r.getBoolean(r.fieldIndex(m.getDecidedEarlyCol()));
            assertEquals(d.step() < rows.get(i).length(), decidedEarly, "row " + i);
            early += decidedEarly ? 1 : 0;
            Vector p = (Vector) r.get(r.fieldIndex(m.getProbabilityCol()));
            // the same label, step and spike as classify; probabilities to float rounding (rows are computed in blocks
            // whose composition differs between one local batch and Spark's groups of batchRows, as Decision says)
            assertArrayEquals(ScoringFunction.classProbabilities(d, m.model()), p.toArray(), 1e-6, "row " + i);
        }
        assertTrue(early > 0 && early < rows.size(), "the test needs rows that decide early and rows that do not: " + early);
    }

    @Test
    void nestedAndFlatColumnsScoreLikeClassify() {
        List<SequenceRow> rows = ToyData.rows(300, 3, 1);
        RankCodingClassificationModel m = model(HeadType.SOFTMAX, 3, 0.75).setBatchRows(37);
        assertSameAsLocal(m, rows, m.transform(ToyData.nested(rows)));
        assertSameAsLocal(m, rows, m.transform(ToyData.flat(rows)));
    }

    @Test
    void binaryHeadGivesOneProbabilityPerClass() {
        List<SequenceRow> rows = ToyData.rows(120, 3, 2);
        RankCodingClassificationModel m = model(HeadType.BINARY_SIGMOID, 2, 0.72);
        Dataset<Row> scored = m.transform(ToyData.nested(rows));
        assertSameAsLocal(m, rows, scored);
        Vector p = (Vector) scored.first().get(scored.schema().fieldIndex("probability"));
        assertEquals(2, p.size());
        assertEquals(1.0, p.apply(0) + p.apply(1), 1e-12);
    }

    @Test
    void sparkEvaluatorsReadTheOutput() {
        List<SequenceRow> rows = ToyData.rows(200, 3, 3);
        RankCodingClassificationModel m = model(HeadType.SOFTMAX, 2, 0.7);
        Dataset<Row> scored = m.transform(ToyData.nested(rows));
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(scored);
        BatchDecisions local = local(m, rows);
        int right = 0;
        for (int i = 0; i < rows.size(); i++) {
            right += local.get(i).label() == rows.get(i).label() ? 1 : 0;
        }
        assertEquals((double) right / rows.size(), accuracy, 1e-12);
        double early = scored.agg(functions.avg(functions.col("decidedEarly").cast("double"))).first().getDouble(0);
        assertTrue(early > 0, "some rows decide early");
    }

    @Test
    void badSchemasAreRefusedWithTheColumnAndType() {
        List<SequenceRow> rows = ToyData.rows(10, 3, 4);
        RankCodingClassificationModel m = model(HeadType.SOFTMAX, 2, 0.7);
        Dataset<Row> df = ToyData.nested(rows);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> m.setFeaturesCol("x").transform(df));
        assertTrue(missing.getMessage().contains("features column 'x' is not in the input"), missing.getMessage());
        m.setFeaturesCol("features");
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> m.transform(df.withColumn("features", functions.lit("text"))));
        assertTrue(type.getMessage().contains("is string, expected array<array<double>>"), type.getMessage());
        IllegalArgumentException exists = assertThrows(IllegalArgumentException.class,
                () -> m.setPredictionCol("label").transform(df));
        assertTrue(exists.getMessage().contains("prediction column 'label' already exists"), exists.getMessage());
        m.setPredictionCol("prediction");
        Dataset<Row> wrongSize = ToyData.nested(ToyData.rows(5, 4, 5));
        Exception size = assertThrows(Exception.class, () -> m.transform(wrongSize).collect());
        assertTrue(rootMessage(size).contains("expected 3 (the model's input size)"), rootMessage(size));
    }

    static String rootMessage(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c.getMessage()).append(" | ");
        }
        return b.toString();
    }
}
