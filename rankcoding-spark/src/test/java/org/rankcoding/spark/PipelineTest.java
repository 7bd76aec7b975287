package org.rankcoding.spark;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.io.LoadedModel;
import org.rankcoding.io.ModelFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The estimator in a Spark ML Pipeline: fit, evaluate, save, load. */
class PipelineTest {

    @TempDir
    Path dir;

    static RankCodingClassifier classifier() {
        return new RankCodingClassifier().setHiddenSize(16).setEpochs(8).setBatchSize(32).setLearningRate(1e-2)
                .setThreshold(0.9).setShards(2).setSeed(5);
    }

    @Test
    void fitsEvaluatesSavesAndLoadsInAPipeline() throws Exception {
        List<SequenceRow> train = ToyData.rows(400, 3, 21);
        List<SequenceRow> test = ToyData.rows(200, 3, 22);
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[]{classifier()});
        PipelineModel fitted = pipeline.fit(ToyData.nested(train));
        RankCodingClassificationModel model = (RankCodingClassificationModel) fitted.stages()[0];
        ShardedTrainingResult run = model.trainingResult().orElseThrow();
        assertEquals(100, run.batches(), "8 epochs of 400 rows in batches of 32");
        assertTrue(run.forwardExampleSteps() < run.fullExampleSteps(), "early exit saves forward work: " + run);

        Dataset<Row> scored = fitted.transform(ToyData.nested(test));
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(scored);
        assertTrue(accuracy > 0.8, "the toy task is learnt: accuracy " + accuracy);
        double meanStep = scored.agg(functions.avg("decisionStep")).first().getDouble(0);
        double meanLength = test.stream().mapToInt(SequenceRow::length).average().orElseThrow();
        assertTrue(meanStep < meanLength, "decisions come before the end on average: " + meanStep + " vs " + meanLength);

        String path = dir.resolve("pipeline").toString();
        fitted.write().overwrite().save(path);
        Path file = Path.of(path, "stages").toFile().listFiles()[0].toPath().resolve(RankCodingClassificationModel.MODEL_FILE);
        assertTrue(Files.isRegularFile(file), "the stage folder holds the library's model file: " + file);
        LoadedModel direct = ModelFiles.load(file);
        assertEquals(model.model().config(), direct.config());

        PipelineModel loaded = PipelineModel.load(path);
        List<Row> before = scored.orderBy("id").select("prediction", "decisionStep", "decidedEarly").collectAsList();
        List<Row> after = loaded.transform(ToyData.nested(test)).orderBy("id")
                .select("prediction", "decisionStep", "decidedEarly").collectAsList();
        assertEquals(before, after);
        RankCodingClassificationModel reloaded = (RankCodingClassificationModel) loaded.stages()[0];
        assertArrayEquals(model.modelFile(), reloaded.modelFile());
        assertEquals(model.getBatchRows(), reloaded.getBatchRows());
    }

    @Test
    void theClassifiersSettingsSurviveSaveAndLoad() throws Exception {
        SparkTestSession.get();
        RankCodingClassifier c = classifier().setPrefixLossWeight(1.0).setLossMode("end_of_sequence");
        String path = dir.resolve("classifier").toString();
        c.write().overwrite().save(path);
        RankCodingClassifier back = RankCodingClassifier.load(path);
        assertEquals(c.uid(), back.uid());
        assertEquals(16, back.getHiddenSize());
        assertEquals(1.0, back.getPrefixLossWeight());
        assertEquals("end_of_sequence", back.getLossMode());
        assertEquals(c.trainerConfig(100), back.trainerConfig(100));
    }

    @Test
    void flatFeaturesTrainWithAnInputSize() {
        List<SequenceRow> train = ToyData.rows(120, 3, 23);
        RankCodingClassificationModel m = classifier().setEpochs(1).setInputSize(3).fit(ToyData.flat(train));
        assertEquals(3, m.model().config().inputSize());
        assertEquals(120, m.trainingResult().orElseThrow().sequences());
    }

    @Test
    void badColumnsAndSettingsAreRefusedWithAMessage() {
        Dataset<Row> df = ToyData.nested(ToyData.rows(50, 3, 24));
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> classifier().fit(df.withColumn("label", functions.lit("yes"))));
        assertTrue(label.getMessage().contains("label column 'label' is string, expected a numeric type"),
                label.getMessage());
        IllegalArgumentException flat = assertThrows(IllegalArgumentException.class,
                () -> classifier().fit(ToyData.flat(ToyData.rows(20, 3, 25))));
        assertTrue(flat.getMessage().contains("set inputSize"), flat.getMessage());
        IllegalArgumentException mode = assertThrows(IllegalArgumentException.class,
                () -> classifier().setLossMode("fast").fit(df));
        assertTrue(mode.getMessage().contains("lossMode = 'fast', expected one of rank_coding, end_of_sequence"),
                mode.getMessage());
        assertThrows(IllegalArgumentException.class, () -> classifier().setThreshold(1.5));
        Exception negative = assertThrows(Exception.class,
                () -> classifier().fit(df.withColumn("label", functions.lit(-1.0))));
        assertTrue(ScoringTest.rootMessage(negative).contains("expected a class: an integer"),
                ScoringTest.rootMessage(negative));
    }
}
