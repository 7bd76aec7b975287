package org.rankcoding.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.rankcoding.data.InMemorySequences;
import org.rankcoding.data.LabeledSequence;
import org.rankcoding.io.ModelFiles;
import org.rankcoding.io.SaveOptions;
import org.rankcoding.io.TensorDType;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.DecisionRuleSpec;
import org.rankcoding.train.Trainer;
import org.rankcoding.train.TrainerConfig;
import org.rankcoding.train.TrainingListener;

import java.util.ArrayList;
import java.util.List;

/**
 * Local-mode figures for docs/spark.md: scoring throughput through the Spark Model against the library's own batch
 * inference, and the time of a data-parallel training batch against the plain trainer on the same batches, at two
 * model sizes; then the cost model's projection. Run with the test classpath (see docs/spark.md).
 */
public final class SparkBenchmark {

    private SparkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        List<SequenceRow> data = ToyData.rows(rows, 8, 1);
        for (int hidden : new int[]{64, 256}) {
            scoring(data, hidden);
            training(data, hidden);
        }
        double job = emptyJobSeconds();
        System.out.printf("empty Spark job (local[2]): %.4f s%n", job);
    }

    static void scoring(List<SequenceRow> data, int hidden) {
        RankCodingNetwork net = new RankCodingNetwork(new NetworkConfig(8, hidden, 1, HeadType.SOFTMAX, 2), 3);
        RankCodingClassificationModel m = new RankCodingClassificationModel("bench", ModelFiles.toBytes(net,
                DecisionRuleSpec.thresholdCrossing(0.51), SaveOptions.DEFAULT.withDtype(TensorDType.F64)));
        List<LabeledSequence> seqs = new ArrayList<>();
        for (SequenceRow r : data) {
            seqs.add(r.toLabeledSequence());
        }
        var batches = new InMemorySequences(seqs, 2).batches(256);
        Dataset<Row> df = ToyData.nested(data).repartition(2).cache();
        df.count();
        double local = Double.MAX_VALUE;
        double spark = Double.MAX_VALUE;
        for (int rep = 0; rep < 3; rep++) {
            long t0 = System.nanoTime();
            batches.parallelStream().forEach(b -> m.model().classify(b));
            local = Math.min(local, (System.nanoTime() - t0) / 1e9);
            long t1 = System.nanoTime();
            m.transform(df).count();
            spark = Math.min(spark, (System.nanoTime() - t1) / 1e9);
        }
        System.out.printf("scoring hidden %d, %d rows: library (2 threads) %.3f s = %.0f rows/s; Spark Model %.3f s = %.0f "
                + "rows/s; Spark / library time %.2f%n", hidden, data.size(), local, data.size() / local, spark,
                data.size() / spark, spark / local);
        df.unpersist();
    }

    static void training(List<SequenceRow> data, int hidden) throws Exception {
        NetworkConfig network = new NetworkConfig(8, hidden, 1, HeadType.SOFTMAX, 2);
        int batches = 20;
        TrainerConfig config = TrainerConfig.builder().batchSize(128).trainSequences(128L * batches).threads(2)
                .learningRate(3e-3).decisionRule(DecisionRuleSpec.thresholdCrossing(0.9)).build();
        List<SequenceRow> sample = data.subList(0, 4096);
        JavaRDD<SequenceRow> rdd = SparkTestSession.context().parallelize(sample, 2);
        double spark = Double.MAX_VALUE;
        double plain = Double.MAX_VALUE;
        for (int rep = 0; rep < 2; rep++) {
            ShardedTrainingResult r = new ShardedTrainer(config, 2).train(network, rdd);
            spark = Math.min(spark, r.seconds() / r.batches());
            var source = new ShardedBatchSource(sample, 2, 2, config.batchSize(), config.trainSequences(), config.seed());
            var t = new Trainer(config).train(network, source, List.of(), TrainingListener.NONE);
            plain = Math.min(plain, t.seconds() / t.batches());
        }
        long params = new RankCodingNetwork(network, 1).parameters().count();
        System.out.printf("training hidden %d (%d parameters), batch 128, 2 shards: Spark %.4f s/batch, plain trainer "
                + "(2 threads) %.4f s/batch, ratio %.1f%n", hidden, params, spark, plain, spark / plain);
    }

    static double emptyJobSeconds() {
        JavaRDD<Integer> rdd = SparkTestSession.context().parallelize(List.of(1, 2), 2).cache();
        rdd.count();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 20; i++) {
            long t = System.nanoTime();
            rdd.map(x -> x + 1).collect();
            best = Math.min(best, (System.nanoTime() - t) / 1e9);
        }
        return best;
    }
}
