package org.rankcoding.spark;

import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.rankcoding.io.ModelFiles;
import org.rankcoding.io.SaveOptions;
import org.rankcoding.io.TensorDType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.Parameters;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.train.OptimizerStep;
import org.rankcoding.train.TrainerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Synchronous data-parallel training on Spark, the plain API under {@link RankCodingClassifier}: the data set is cut
 * into shards (Spark partitions, cached on the executors), and for every batch the driver broadcasts the weights, every
 * shard computes the gradient of its share of the batch ({@link ShardPlan}) with early exit, the driver collects the
 * gradients and adds them in shard order, and one {@link OptimizerStep} (the trainer's own update: clipping, Adam, the
 * learning-rate schedule) moves the weights. For a fixed partitioning the run is deterministic, and it equals the
 * single-JVM {@link org.rankcoding.train.Trainer} with {@code threads = shards} on the same batches
 * ({@link ShardedBatchSource}): the same rows, the same cut of each batch, the same order of the additions.
 *
 * <p>Shards: row {@code n} of the input (in its partitions' order, {@code zipWithIndex}) goes to shard
 * {@code n mod shards}, in input order within the shard, so the partitioning does not depend on the cluster. Every batch
 * is one Spark job; see docs/spark.md for when that pays.
 *
 * <p>Checkpoints ({@link #withCheckpoints}) are written on the driver; a run started on a directory that holds a
 * checkpoint of the same settings and data continues from it, bit for bit.
 *
 * <p>Not supported here (refused with a message): dropout, input dropout, early stopping, weight averaging, augmentation (a data set
 * augmented beforehand works).
 */
public final class ShardedTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(ShardedTrainer.class);

    /** Told after every batch, on the driver. */
    @FunctionalInterface
    public interface BatchListener {
        /**
         * @param batches          batches done
         * @param loss             the batch's mean loss
         * @param meanDecisionStep the batch's mean decision step
         */
        void onBatch(long batches, double loss, double meanDecisionStep);
    }

    private final TrainerConfig config;
    private final int shards;
    private final String kernels;
    private final Path checkpointDirectory;
    private final int checkpointEvery;
    private final BatchListener listener;

    /**
     * @param config the run's settings; {@link TrainerConfig#threads()} is not used (the shards are the parallelism)
     * @param shards the number of shards, {@code >= 1}
     * @throws IllegalArgumentException for fewer than one shard or a setting distributed training does not support
     */
    public ShardedTrainer(TrainerConfig config, int shards) {
        this(config, shards, "", null, 0, (b, l, d) -> {
        });
    }

    private ShardedTrainer(TrainerConfig config, int shards, String kernels, Path checkpointDirectory, int checkpointEvery,
                           BatchListener listener) {
        this.config = Objects.requireNonNull(config, "config is null");
        if (shards < 1) {
            throw new IllegalArgumentException("shards = " + shards + ", expected >= 1");
        }
        requireSupported(config);
        this.shards = shards;
        this.kernels = kernels;
        this.checkpointDirectory = checkpointDirectory;
        this.checkpointEvery = checkpointEvery;
        this.listener = listener;
    }

    private static void requireSupported(TrainerConfig c) {
        if (c.dropout() > 0 || c.inputDropout() > 0) {
            throw new IllegalArgumentException("dropout = " + c.dropout() + ", inputDropout = " + c.inputDropout()
                    + ": distributed training does not draw dropout masks; set both to 0");
        }
        if (c.patience() > 0) {
            throw new IllegalArgumentException("patience = " + c.patience() + ": distributed training has no validation "
                    + "data and so no early stopping; set patience to 0 and choose the budget on a validation run");
        }
        if (c.averageDecay() > 0) {
            throw new IllegalArgumentException("averageDecay = " + c.averageDecay() + ": distributed training does not "
                    + "average the weights; set averageDecay to 0 (or train on one machine with Trainer)");
        }
    }

    /**
     * The same trainer computing with the kernels named {@code name} in every executor ({@code reference},
     * {@code blocked}, {@code vector}, {@code float32}; blank for the fastest each executor has, which logs a warning
     * where the Vector API module is missing).
     */
    public ShardedTrainer withKernels(String name) {
        return new ShardedTrainer(config, shards, Objects.requireNonNull(name, "name is null"), checkpointDirectory,
                checkpointEvery, listener);
    }

    /**
     * The same trainer writing a checkpoint to {@code directory} (on the driver) every {@code everyBatches} batches and
     * after the last, keeping the newest two; a run whose directory holds a checkpoint continues from it.
     *
     * @throws IllegalArgumentException for {@code everyBatches < 1}
     */
    public ShardedTrainer withCheckpoints(Path directory, int everyBatches) {
        Objects.requireNonNull(directory, "directory is null");
        if (everyBatches < 1) {
            throw new IllegalArgumentException("everyBatches = " + everyBatches + ", expected >= 1");
        }
        return new ShardedTrainer(config, shards, kernels, directory, everyBatches, listener);
    }

    /** The same trainer telling {@code l} after every batch. */
    public ShardedTrainer withListener(BatchListener l) {
        return new ShardedTrainer(config, shards, kernels, checkpointDirectory, checkpointEvery,
                Objects.requireNonNull(l, "listener is null"));
    }

    /** The number of shards. */
    public int shards() {
        return shards;
    }

    /**
     * Cuts {@code data} into the trainer's shards: row {@code n} (input order) to shard {@code n mod shards}, kept in
     * input order within each shard. Not cached.
     */
    public JavaRDD<SequenceRow> shard(JavaRDD<SequenceRow> data) {
        int s = shards;
        return data.zipWithIndex()
                .mapToPair(t -> new Tuple2<>((int) (t._2() % s), new Tuple2<>(t._2(), t._1())))
                .partitionBy(new HashPartitioner(s))
                .mapPartitions(it -> {
                    List<Tuple2<Long, SequenceRow>> rows = new ArrayList<>();
                    it.forEachRemaining(t -> rows.add(t._2()));
                    rows.sort(Comparator.comparing(Tuple2::_1));
                    return rows.stream().map(Tuple2::_2).iterator();
                }, true);
    }

    /**
     * Trains a network of shape {@code network} (initial weights from the configuration's seed, as the single-JVM
     * trainer) on {@code data}.
     *
     * @throws IllegalArgumentException if the data does not fit the network (input size, classes), a shard would be
     *                                  empty, or the checkpoint directory holds another run's checkpoint
     * @throws IllegalStateException    if training diverges, naming the batch
     * @throws IOException              if a checkpoint cannot be written or read
     */
    public ShardedTrainingResult train(NetworkConfig network, JavaRDD<SequenceRow> data) throws IOException {
        Objects.requireNonNull(network, "network is null");
        Objects.requireNonNull(data, "data is null");
        JavaRDD<SequenceRow> sharded = shard(data).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<ShardStats> stats = ShardStats.of(sharded);
            long[] sizes = requireFits(network, stats);
            ShardPlan plan = new ShardPlan(sizes, config.batchSize(), config.trainSequences(), config.seed());
            return run(network, sharded, plan, ShardStats.fingerprint(stats));
        } finally {
            sharded.unpersist(false);
        }
    }

    private long[] requireFits(NetworkConfig network, List<ShardStats> stats) {
        long[] sizes = new long[stats.size()];
        long total = 0;
        for (ShardStats s : stats) {
            sizes[s.shard()] = s.rows();
            total += s.rows();
        }
        for (ShardStats s : stats) {
            if (s.rows() == 0) {
                throw new IllegalArgumentException("shard " + s.shard() + " of " + shards + " is empty: the data set has "
                        + total + " rows; use at most " + total + " shards");
            }
            if (s.inputSize() != network.inputSize()) {
                throw new IllegalArgumentException("the data's steps have " + s.inputSize() + " values (shard "
                        + s.shard() + "), the network's input size is " + network.inputSize());
            }
            if (s.maxLabel() >= network.numClasses()) {
                throw new IllegalArgumentException("label " + s.maxLabel() + " in shard " + s.shard() + " is not a class "
                        + "of the network, which has " + network.numClasses() + " classes");
            }
        }
        return sizes;
    }

    private ShardedTrainingResult run(NetworkConfig networkConfig, JavaRDD<SequenceRow> sharded, ShardPlan plan,
                                      String fingerprint) throws IOException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(sharded.context());
        RankCodingNetwork network = new RankCodingNetwork(networkConfig, config.seed());
        OptimizerStep optimizer = new OptimizerStep(config, network.parameters());
        String run = "network " + networkConfig + "; " + config + "; " + plan + "; data " + fingerprint;
        ShardedCheckpoint.Counters c = new ShardedCheckpoint.Counters(0, 0, 0, 0, 0, 0);
        Optional<Path> resumeFrom = checkpointDirectory == null ? Optional.empty()
                : ShardedCheckpoint.latest(checkpointDirectory);
        if (resumeFrom.isPresent()) {
            c = ShardedCheckpoint.restore(resumeFrom.get(), network, optimizer, run);
            LOG.info("resuming from {} after {} batches", resumeFrom.get(), c.batches());
        }
        long resumedFrom = c.batches();
        TrainingSpec spec = TrainingSpec.of(UUID.randomUUID().toString(), config, networkConfig.numClasses(), kernels);
        Broadcast<byte[]> modelFile = jsc.broadcast(ModelFiles.toBytes(network, config.decisionRule(),
                SaveOptions.DEFAULT.withDtype(TensorDType.F64)));
        Parameters params = network.parameters();
        Parameters grads = params.zerosLike();
        double lastLoss = Double.NaN;
        double lastDecision = Double.NaN;
        try {
            for (long batch = c.batches(); batch < plan.batches(); batch++) {
                long start = System.nanoTime();
                long before = plan.sequencesBefore(batch);
                Broadcast<double[]> weights = jsc.broadcast(FlatParameters.of(params));
                List<ShardGradient> parts = new ArrayList<>(sharded.mapPartitionsWithIndex(new ShardGradientTask(plan,
                        spec, modelFile, weights, batch, config.stepLimit(before)), true).collect());
                weights.destroy();
                parts.sort(Comparator.comparingInt(ShardGradient::shard));
                double loss = 0;
                long decisions = 0;
                long forward = 0;
                long backward = 0;
                long full = 0;
                for (int i = 0; i < parts.size(); i++) {
                    ShardGradient g = parts.get(i);
                    if (i == 0) {
                        FlatParameters.copyInto(g.gradient(), grads);
                    } else {
                        FlatParameters.addInto(g.gradient(), grads);
                    }
                    loss += g.loss();
                    decisions += g.decisionStepSum();
                    forward += g.forwardSteps();
                    backward += g.backwardSteps();
                    full += g.fullSteps();
                }
                optimizer.apply(params, grads, loss, before);
                int rows = plan.rows(batch);
                c = new ShardedCheckpoint.Counters(batch + 1, before + rows, c.forward() + forward,
                        c.backward() + backward, c.fullSteps() + full, c.nanos() + System.nanoTime() - start);
                lastLoss = loss;
                lastDecision = (double) decisions / rows;
                boolean last = batch + 1 == plan.batches();
                if (checkpointDirectory != null && (last || (batch + 1) % checkpointEvery == 0)) {
                    ShardedCheckpoint.write(checkpointDirectory, network, optimizer, c, run, 2);
                }
                listener.onBatch(batch + 1, loss, lastDecision);
                if (LOG.isDebugEnabled()) {
                    LOG.debug("batch {} of {}: loss {}, mean decision step {}", batch + 1, plan.batches(), loss,
                            lastDecision);
                }
            }
        } finally {
            modelFile.destroy();
        }
        LOG.info("trained {} batches on {} shards: {} sequences, example-steps forward {} of {} ({} %), backward {}",
                c.batches(), plan.shards(), c.sequences(), c.forward(), c.fullSteps(),
                String.format("%.1f", c.fullSteps() == 0 ? 0.0 : 100.0 * c.forward() / c.fullSteps()), c.backward());
        return new ShardedTrainingResult(network, c.batches(), c.sequences(), c.forward(), c.backward(), c.fullSteps(),
                c.nanos() / 1e9, lastLoss, lastDecision, resumedFrom);
    }
}
