package org.rankcoding.spark;

import org.apache.spark.SparkExecutorInfo;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.train.Trainer;
import org.rankcoding.train.TrainerConfig;
import org.rankcoding.train.TrainingListener;
import org.rankcoding.train.TrainingResult;

import java.util.Arrays;
import java.util.List;

/**
 * The integration run on a real standalone cluster (started by {@code scripts/spark-standalone-check}): trains through
 * the cluster's executors, checks the weights against the single-JVM trainer on the same batches (bit for bit with the
 * double kernels), fits and scores with the estimator, and prints what it saw. Exits with status 1 on a mismatch.
 *
 * <p>Arguments: the master URL, and the number of executors expected.
 */
public final class StandaloneClusterCheck {

    private StandaloneClusterCheck() {
    }

    public static void main(String[] args) throws Exception {
        String master = args[0];
        int executors = Integer.parseInt(args[1]);
        SparkSession spark = SparkSession.builder().master(master).appName("rankcoding-standalone-check")
                .config("spark.ui.enabled", "false").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
            long deadline = System.currentTimeMillis() + 60_000;
            while (executorCount(spark) < executors && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            List<String> seen = Arrays.stream(spark.sparkContext().statusTracker().getExecutorInfos())
                    .map(e -> e.host() + ":" + e.port()).toList();
            System.out.println("cluster " + master + ": executors (driver included) " + seen);
            if (executorCount(spark) < executors) {
                throw new IllegalStateException("only " + executorCount(spark) + " of " + executors + " executors joined");
            }
            List<Object> pids = ExecutorProcesses.executorPids(spark, executors);
            System.out.println("executor JVM process ids: " + pids);

            List<SequenceRow> rows = ToyData.rows(2000, 3, 31);
            NetworkConfig network = new NetworkConfig(3, 32, 1, HeadType.SOFTMAX, 2);
            TrainerConfig config = TrainerConfig.builder().batchSize(64).trainSequences(2000).learningRate(5e-3)
                    .seed(4).threads(executors).build();
            long t0 = System.nanoTime();
            ShardedTrainingResult cluster = new ShardedTrainer(config, executors).withKernels("blocked")
                    .train(network, new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext())
                            .parallelize(rows, 4));
            double clusterSeconds = (System.nanoTime() - t0) / 1e9;
            TrainingResult local = new Trainer(config, Kernels.select("blocked")).train(network,
                    new ShardedBatchSource(rows, executors, 2, config.batchSize(), config.trainSequences(), config.seed()),
                    List.of(), TrainingListener.NONE);
            boolean same = Arrays.equals(FlatParameters.of(local.network().parameters()),
                    FlatParameters.of(cluster.network().parameters()));
            System.out.printf("ShardedTrainer on %d executors: %d batches in %.2f s (%.3f s per batch); example-steps "
                            + "forward %d of %d (%.1f %%), backward %d; weights bit-identical to the single-JVM trainer: %s%n",
                    executors, cluster.batches(), clusterSeconds, clusterSeconds / cluster.batches(),
                    cluster.forwardExampleSteps(), cluster.fullExampleSteps(), 100 * cluster.forwardFraction(),
                    cluster.backwardExampleSteps(), same);

            Dataset<Row> train = ToyData.nested(rows);
            Dataset<Row> test = ToyData.nested(ToyData.rows(1000, 3, 32));
            RankCodingClassificationModel model = new RankCodingClassifier().setHiddenSize(32).setEpochs(5)
                    .setBatchSize(64).setLearningRate(1e-2).setThreshold(0.9).setShards(executors).fit(train);
            Dataset<Row> scored = model.transform(test.repartition(executors));
            double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(scored);
            Row steps = scored.agg(functions.avg("decisionStep"), functions.avg(functions.col("decidedEarly")
                    .cast("double"))).first();
            System.out.printf("RankCodingClassifier on the cluster: test accuracy %.3f, mean decision step %.2f, decided "
                    + "before the end %.1f %%%n", accuracy, steps.getDouble(0), 100 * steps.getDouble(1));
            if (!same || accuracy < 0.8) {
                System.out.println("FAILED: " + (same ? "accuracy below 0.8" : "the cluster's weights differ"));
                System.exit(1);
            }
            System.out.println("OK");
        } finally {
            spark.stop();
        }
    }

    private static int executorCount(SparkSession spark) {
        SparkExecutorInfo[] infos = spark.sparkContext().statusTracker().getExecutorInfos();
        return infos.length - 1; // the driver is listed too
    }
}
