package org.rankcoding.examples.cli;

import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.rankcoding.data.BatchSource;
import org.rankcoding.data.InMemorySequences;
import org.rankcoding.data.LabeledSequence;
import org.rankcoding.datasets.latency.BatchForm;
import org.rankcoding.examples.mnist.MnistDigits;
import org.rankcoding.examples.report.JsonOutput;
import org.rankcoding.examples.toy.NoiseVsSignalSource;
import org.rankcoding.infer.BatchDecisions;
import org.rankcoding.spark.RankCodingClassificationModel;
import org.rankcoding.spark.RankCodingClassifier;
import org.rankcoding.spark.SequenceRow;
import org.rankcoding.spark.SequenceRows;
import org.rankcoding.spark.ShardedTrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code spark}: rank coding on Apache Spark (local mode by default): the training sequences of a task become a
 * DataFrame, the data-parallel {@link RankCodingClassifier} trains on it over {@code --shards} shards, the fitted
 * {@link RankCodingClassificationModel} scores the test DataFrame with early exit, Spark's evaluator measures the
 * accuracy, and the decisions are compared with the library's own batch inference on the same model.
 */
@Command(name = SparkCommand.NAME, mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Rank coding on Apache Spark: trains with the data-parallel RankCodingClassifier and scores with "
                + "early exit through the Spark ML model (local mode unless --master says otherwise), on noise-vs-signal "
                + "or temporal MNIST; compares the decisions with the library's own batch inference."})
public final class SparkCommand implements Callable<Integer> {

    /** The subcommand's name. */
    public static final String NAME = "spark";

    @Spec
    CommandSpec spec;

    @Option(names = "--task", defaultValue = "noise-vs-signal", paramLabel = "TASK",
            description = "noise-vs-signal or temporal-mnist (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--data", defaultValue = "data/mnist", paramLabel = "DIR",
            description = "The MNIST files for temporal-mnist (default: ${DEFAULT-VALUE}; scripts/fetch-mnist).")
    Path data;

    @Option(names = "--master", defaultValue = "local[2]", paramLabel = "URL",
            description = "Spark's master URL (default: ${DEFAULT-VALUE}).")
    String master;

    @Range(min = 1, max = 10_000_000)
    @Option(names = "--train", paramLabel = "N",
            description = "Training sequences (default: 20000 for noise-vs-signal, 2000 for temporal-mnist).")
    Integer train;

    @Range(min = 1, max = 10_000_000)
    @Option(names = "--test", paramLabel = "N",
            description = "Test sequences (default: 5000 for noise-vs-signal, 1000 for temporal-mnist).")
    Integer test;

    @Range(min = 1, max = 4096)
    @Option(names = "--shards", defaultValue = "2", paramLabel = "S",
            description = "Data-parallel shards (default: ${DEFAULT-VALUE}).")
    int shards;

    @Range(min = 1, max = 4096)
    @Option(names = "--hidden", defaultValue = "64", paramLabel = "H", description = "LSTM units (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Range(min = 0, max = 10_000, above = true)
    @Option(names = "--epochs", defaultValue = "5", paramLabel = "E", description = "Passes over the training data (default: ${DEFAULT-VALUE}).")
    double epochs;

    @Range(min = 1, max = 1_000_000)
    @Option(names = "--batch", defaultValue = "128", paramLabel = "B", description = "Rows per batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Range(min = 0, max = 10, above = true)
    @Option(names = "--lr", defaultValue = "0.003", paramLabel = "LR", description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Range(min = 0.5, max = 1, above = true, below = true)
    @Option(names = "--threshold", defaultValue = "0.95", paramLabel = "THETA",
            description = "Spike threshold (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "SEED", description = "Seed of the data and the weights (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the results as JSON to FILE.")
    Path json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean mnist = switch (task.toLowerCase(Locale.ROOT)) {
            case "noise-vs-signal" -> false;
            case "temporal-mnist" -> true;
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--task = '" + task
                    + "', expected noise-vs-signal or temporal-mnist");
        };
        int trainRows = train != null ? train : mnist ? 2000 : 20_000;
        int testRows = test != null ? test : mnist ? 1000 : 5000;
        List<SequenceRow> trainData;
        List<SequenceRow> testData;
        int classes;
        try {
            SplittableRandom rng = new SplittableRandom(seed);
            if (mnist) {
                MnistDigits.Splits d = MnistDigits.load(MnistDigits.MNIST_FILES, data, trainRows, 0, testRows,
                        new MnistDigits.Coding(MnistDigits.DEFAULT_BINS, BatchForm.DENSE, "pulse", 0, 0, 4));
                trainData = SequenceRows.draw(d.train().source(), trainRows, 256, rng);
                testData = SequenceRows.draw(d.test().source(), testRows, 256, rng);
                classes = MnistDigits.CLASSES;
            } else {
                BatchSource source = new NoiseVsSignalSource();
                trainData = SequenceRows.draw(source, trainRows, 1024, rng);
                testData = SequenceRows.draw(source, testRows, 1024, rng);
                classes = 2;
            }
        } catch (IOException | IllegalArgumentException e) {
            err.println(NAME + ": cannot load the " + task + " data: " + CliErrors.describe(e));
            err.flush();
            return 1;
        }
        SparkSession spark = SparkSession.builder().master(master).appName("rankcoding " + task)
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            return run(spark, out, trainData, testData, classes, mnist);
        } catch (IOException e) {
            err.println(NAME + ": " + CliErrors.describe(e));
            err.flush();
            return 1;
        } finally {
            spark.stop();
        }
    }

    private int run(SparkSession spark, PrintWriter out, List<SequenceRow> trainData, List<SequenceRow> testData,
                    int classes, boolean mnist) throws IOException {
        int inputSize = trainData.get(0).inputSize();
        out.printf(Locale.ROOT, "spark %s on %s: %,d training and %,d test sequences of %d values per step, %d shards%n",
                task, master, trainData.size(), testData.size(), inputSize, shards);
        out.flush();
        Dataset<Row> trainDf = SequenceRows.toDataFrame(spark, trainData, shards);
        Dataset<Row> testDf = SequenceRows.toDataFrame(spark, testData, shards);
        RankCodingClassifier classifier = new RankCodingClassifier().setInputSize(inputSize).setNumClasses(classes)
                .setHiddenSize(hidden).setHead(mnist ? "per_class_sigmoid" : "binary_sigmoid").setThreshold(threshold)
                .setEpochs(epochs).setBatchSize(batch).setLearningRate(learningRate).setShards(shards).setSeed(seed);
        long t0 = System.nanoTime();
        RankCodingClassificationModel model = classifier.fit(trainDf);
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        ShardedTrainingResult run = model.trainingResult().orElseThrow();

        long t1 = System.nanoTime();
        Dataset<Row> scored = model.transform(testDf).cache();
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(scored);
        double scoreSeconds = (System.nanoTime() - t1) / 1e9;
        Row means = scored.agg(functions.avg("decisionStep"), functions.avg(functions.col("decidedEarly").cast("double")))
                .first();
        List<Row> decided = scored.orderBy("id").select("prediction", "decisionStep").collectAsList();

        List<LabeledSequence> local = new ArrayList<>(testData.size());
        for (SequenceRow r : testData) {
            local.add(r.toLabeledSequence());
        }
        int same = 0;
        int k = 0;
        for (var b : new InMemorySequences(local, classes).batches(256)) {
            BatchDecisions d = model.model().classify(b);
            for (int r = 0; r < d.size(); r++, k++) {
                Row s = decided.get(k);
                same += d.get(r).label() == (int) s.getDouble(0) && d.get(r).step() == s.getInt(1) ? 1 : 0;
            }
        }
        int length = testData.get(0).length();
        ResultTable t = new ResultTable("measure", "value");
        t.row("test accuracy at the decision (Spark evaluator)", ResultTable.fixed(accuracy, 4));
        t.row("mean decision step", ResultTable.fixed(means.getDouble(0), 2) + " of " + length);
        t.row("test rows decided before their end", ResultTable.fixed(100 * means.getDouble(1), 1) + " %");
        t.row("decisions equal to the library's classify", same + " of " + testData.size());
        t.row("training: batches, seconds", run.batches() + ", " + ResultTable.fixed(trainSeconds, 1));
        t.row("training example-steps forward / running to the end", String.format(Locale.ROOT, "%,d / %,d (%.1f %%)",
                run.forwardExampleSteps(), run.fullExampleSteps(), 100 * run.forwardFraction()));
        t.row("training example-steps back-propagated", String.format(Locale.ROOT, "%,d", run.backwardExampleSteps()));
        t.row("scoring seconds (transform and evaluate)", ResultTable.fixed(scoreSeconds, 2));
        t.print(out);
        out.flush();
        if (json != null) {
            Map<String, Object> top = new LinkedHashMap<>();
            top.put("task", task);
            top.put("master", master);
            top.put("train_sequences", trainData.size());
            top.put("test_sequences", testData.size());
            top.put("shards", shards);
            top.put("hidden", hidden);
            top.put("epochs", epochs);
            top.put("threshold", threshold);
            top.put("seed", seed);
            top.put("accuracy", accuracy);
            top.put("mean_decision_step", means.getDouble(0));
            top.put("decided_early_fraction", means.getDouble(1));
            top.put("same_as_library", same);
            top.put("train_batches", run.batches());
            top.put("train_seconds", trainSeconds);
            top.put("forward_example_steps", run.forwardExampleSteps());
            top.put("backward_example_steps", run.backwardExampleSteps());
            top.put("full_example_steps", run.fullExampleSteps());
            JsonOutput.write(json, top);
            out.println("wrote " + json);
            out.flush();
        }
        return same == testData.size() ? 0 : 1;
    }
}
