package org.rankcoding.train;

import org.rankcoding.data.BatchSource;
import org.rankcoding.data.ResumableSource;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.eval.Evaluation;
import org.rankcoding.eval.Evaluator;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.Parameters;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.DecisionRule;
import org.rankcoding.rc.HiddenDropout;
import org.rankcoding.rc.RankCodingLoss;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/**
 * Trains a {@link RankCodingNetwork} with rank coding (or the end-of-sequence baseline) and Adam.
 *
 * <p>A trainer is reusable configuration: every call to {@link #train} creates the initial weights from
 * {@code config.seed()}, a fresh Adam state and a fresh batch generator seeded from the same seed, so two
 * calls with the same seed, settings and source give bit-identical weights.
 *
 * <p>Checkpoints: with a {@link CheckpointPolicy}, {@link #train(NetworkConfig, BatchSource, List, TrainingListener,
 * CheckpointPolicy) train} writes {@link TrainingCheckpoint}s as it goes, and {@link #resume} continues a run from one
 * of them, ending bit-identical to the run that was never interrupted, as two runs with the same seed, settings and
 * thread count are.
 *
 * <p>Memory: before the network and the training buffers are allocated, and again at each batch longer than those
 * before, the run's {@link MemoryEstimate} is checked against the heap ({@code Runtime.getRuntime().maxMemory()}, or
 * the limit of {@link #withHeapLimit}); a run that cannot fit is refused with an {@link IllegalArgumentException} giving
 * the estimate, the heap, the largest terms and what to do.
 *
 * <h2>Regularisation and early stopping</h2>
 * {@link TrainerConfig#weightDecay()} (AdamW), {@link TrainerConfig#dropout()} (between stacked layers) and
 * {@link TrainerConfig#inputDropout()} act on training batches only; their masks come from the trainer's seeded
 * generator, after the batch's own draws, so runs stay bit-identical for a seed, and at their defaults (0) nothing is
 * drawn and training is exactly what it was without them. With {@link TrainerConfig#patience()} {@code P > 0} (which
 * needs validation data), training stops after {@code P} validations in a row without an improvement of
 * {@link TrainerConfig#stoppingMetric()} (a checkpoint is written there when checkpoints are on), and the network
 * returned holds the weights of the best validation, whether the run stopped early or trained its whole budget; the
 * result's {@link TrainingResult#lastValidation()} is then that validation's. Checkpoints keep the best weights, and the
 * patience count follows from the validation history they keep, so a resumed run stops where the uninterrupted run
 * would have, with the same weights; resuming the checkpoint of a stopped run returns at once, with the best weights.
 *
 * <h2>Weight averaging</h2>
 * With {@link TrainerConfig#averageDecay()} {@code d > 0} the trainer keeps an exponential moving average of the
 * weights over the updates (about the last {@code 1 / (1 - d)} of them); Adam steps the live weights, while every
 * validation, early stopping's choice and the network returned use the average. Checkpoints keep the average, so a
 * resumed run is bit-identical to the uninterrupted one here too. At the default (0) nothing is kept or computed.
 */
public final class Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    /** Mixed into the seed for the data generator so data and weights use independent streams. */
    private static final long DATA_STREAM = 0x9E3779B97F4A7C15L;

    private final TrainerConfig config;
    private final MatrixKernels kernels;
    private final long heapBytes;

    /** A trainer using the fastest kernels of this JVM. */
    public Trainer(TrainerConfig config) {
        this(config, Kernels.best());
    }

    /** A trainer computing with the given kernels. */
    public Trainer(TrainerConfig config, MatrixKernels kernels) {
        this(config, kernels, Runtime.getRuntime().maxMemory());
    }

    private Trainer(TrainerConfig config, MatrixKernels kernels, long heapBytes) {
        Objects.requireNonNull(config, "config is null");
        Objects.requireNonNull(kernels, "kernels is null");
        this.config = config;
        this.kernels = kernels;
        this.heapBytes = heapBytes;
    }

    /**
     * This trainer, with runs refused when their {@link MemoryEstimate} exceeds {@code heapBytes} instead of the JVM's
     * maximum heap (for a heap shared with other work, or for tests).
     *
     * @throws IllegalArgumentException if {@code heapBytes < 1}
     */
    public Trainer withHeapLimit(long heapBytes) {
        if (heapBytes < 1) {
            throw new IllegalArgumentException("heap limit = " + heapBytes + " bytes, expected >= 1");
        }
        return new Trainer(config, kernels, heapBytes);
    }

    /** The heap a run may use, in bytes: {@code Runtime.getRuntime().maxMemory()} unless {@link #withHeapLimit} set it. */
    public long heapLimit() {
        return heapBytes;
    }

    /** The configuration. */
    public TrainerConfig config() {
        return config;
    }

    /**
     * Creates a network of shape {@code networkConfig} from the seed and trains it.
     *
     * @param source     training batches; its input size and class count must match {@code networkConfig}
     * @param validation validation batches evaluated every {@code validateEverySequences} and at the end, or
     *                   an empty list for none
     * @param listener   progress receiver ({@link TrainingListener#NONE} for none)
     * @throws IllegalArgumentException if the source does not match the network, or if training it cannot fit the heap
     * @throws IllegalStateException    if training diverges (non-finite loss or weights), naming the batch
     */
    public TrainingResult train(NetworkConfig networkConfig, BatchSource source, List<SequenceBatch> validation,
                                TrainingListener listener) {
        Objects.requireNonNull(networkConfig, "networkConfig is null");
        Objects.requireNonNull(source, "source is null");
        Objects.requireNonNull(validation, "validation is null");
        Objects.requireNonNull(listener, "listener is null");
        requireMatch(networkConfig, source);
        new MemoryBudget(heapBytes, networkConfig, config).requireBeforeStart();
        RankCodingNetwork network = new RankCodingNetwork(networkConfig, config.seed());
        return continueTraining(network, source, validation, listener);
    }

    /**
     * As {@link #train(NetworkConfig, BatchSource, List, TrainingListener)}, writing {@link TrainingCheckpoint}s as
     * {@code checkpoints} says (and after the last batch), from which {@link #resume} continues the run bit for bit.
     * A checkpoint is written after the batch's listener calls and validation; a run that diverges stops before
     * writing anything of the diverged state, so the checkpoints already written stay intact.
     *
     * @param checkpoints where and how often; its directory (created if missing) must hold no checkpoints yet
     * @throws IllegalArgumentException if the source does not match the network, or if training it cannot fit the heap
     * @throws IllegalStateException    if training diverges (non-finite loss or weights), naming the batch, or if the
     *                                  directory already holds checkpoints of a run
     * @throws IOException              if a checkpoint cannot be written; training stops, and the checkpoints written
     *                                  before stay intact
     */
    public TrainingResult train(NetworkConfig networkConfig, BatchSource source, List<SequenceBatch> validation,
                                TrainingListener listener, CheckpointPolicy checkpoints) throws IOException {
        Objects.requireNonNull(networkConfig, "networkConfig is null");
        Objects.requireNonNull(source, "source is null");
        Objects.requireNonNull(validation, "validation is null");
        Objects.requireNonNull(listener, "listener is null");
        Objects.requireNonNull(checkpoints, "checkpoints is null");
        requireMatch(networkConfig, source);
        new MemoryBudget(heapBytes, networkConfig, config).requireBeforeStart();
        new CheckpointDirectory(checkpoints.directory()).prepareForNewRun();
        RankCodingNetwork network = new RankCodingNetwork(networkConfig, config.seed());
        source.reset();
        return run(new TrainingState(network, config, new SplitMix64(config.seed() ^ DATA_STREAM)), source, validation,
                listener, checkpoints);
    }

    /**
     * Continues the run saved in {@code checkpoint}: the weights, Adam's moments and step count, the data generator,
     * the source's position (for a {@link ResumableSource}), the counters, the learning-rate schedule's position and
     * the validation history are restored, the listener gets {@link TrainingListener#onResume}, and training goes on
     * to the budget. With the same source and validation data, the result is bit-identical to the run that was never
     * interrupted (the thread count is part of the configuration that must match). A checkpoint of a finished run
     * returns at once, with its weights.
     *
     * <p>Before anything else, the run's settings are compared with the checkpoint's as {@link TrainingCheckpoint#requireCompatible}
     * does: this trainer's configuration, {@code networkConfig}, the run information of {@code checkpoints} and the
     * data's {@link BatchSource#fingerprint() fingerprint}; every difference is listed in one refusal. When the data
     * cannot be compared (a checkpoint without a fingerprint, see {@link TrainingCheckpoint#uncomparedData}), a warning
     * says so and the run goes on.
     *
     * @param checkpoint    a checkpoint of a run with exactly this trainer's configuration
     * @param networkConfig the network's shape, as for {@link #train}; it must be the checkpoint's (pass
     *                      {@link TrainingCheckpoint#networkConfig()} to continue whatever network the checkpoint holds)
     * @param source        the training data of the run (same data; {@link BatchSource#reset() reset}, then restored to
     *                      the checkpoint's position if it is a {@link ResumableSource})
     * @param validation    the run's validation batches, or an empty list
     * @param listener      progress receiver
     * @param checkpoints   where to write further checkpoints (typically the policy the run started with; its run
     *                      information must equal the checkpoint's), or {@code null} for none
     * @throws IllegalArgumentException if the checkpoint's configuration, network, run information, data or source
     *                                  position does not fit this trainer, {@code networkConfig}, the source or
     *                                  {@code checkpoints}, listing the differences; for a null argument; or if training
     *                                  cannot fit the heap
     * @throws IllegalStateException    if training diverges
     * @throws IOException              if a checkpoint cannot be written
     */
    public TrainingResult resume(TrainingCheckpoint checkpoint, NetworkConfig networkConfig, BatchSource source,
                                 List<SequenceBatch> validation, TrainingListener listener, CheckpointPolicy checkpoints)
            throws IOException {
        Objects.requireNonNull(networkConfig, "networkConfig is null");
        Objects.requireNonNull(source, "source is null");
        Objects.requireNonNull(validation, "validation is null");
        Objects.requireNonNull(listener, "listener is null");
        if (checkpoint == null) {
            throw new IllegalArgumentException("checkpoint is null: resume needs the checkpoint to continue from "
                    + "(every argument but the checkpoint policy is required)");
        }
        CheckpointCompatibility.require(checkpoint, config, networkConfig,
                checkpoints == null ? checkpoint.runInfo() : checkpoints.runInfo(), source);
        requireMatch(networkConfig, source);
        new MemoryBudget(heapBytes, networkConfig, config).requireBeforeStart();
        checkpoint.uncomparedData(source).ifPresent(why -> LOG.warn("{}", why));
        if (checkpoints != null) {
            new CheckpointDirectory(checkpoints.directory()).prepare();
        }
        TrainingState state = TrainingState.restore(checkpoint, source);
        LOG.info("resuming {} at batch {} ({} of {} sequences)", checkpoint.file(), state.batches, state.sequences,
                config.trainSequences());
        listener.onResume(checkpoint.progress(), checkpoint.validations(), checkpoint.listenerState());
        return run(state, source, validation, listener, checkpoints);
    }

    private static void requireMatch(NetworkConfig networkConfig, BatchSource source) {
        if (source.inputSize() != networkConfig.inputSize()) {
            throw new IllegalArgumentException("the source's input size is " + source.inputSize() + " but the network's is "
                    + networkConfig.inputSize());
        }
        if (source.numClasses() != networkConfig.numClasses()) {
            throw new IllegalArgumentException("the source has " + source.numClasses() + " classes but the network has "
                    + networkConfig.numClasses());
        }
    }

    /**
     * Trains an existing network in place for the configured budget, with a fresh optimizer, a batch
     * generator seeded from {@code config.seed()} and the source {@link BatchSource#reset() reset}.
     *
     * @throws IllegalArgumentException if training the network cannot fit the heap
     * @see #train
     */
    public TrainingResult continueTraining(RankCodingNetwork network, BatchSource source, List<SequenceBatch> validation,
                                           TrainingListener listener) {
        Objects.requireNonNull(network, "network is null");
        Objects.requireNonNull(source, "source is null");
        Objects.requireNonNull(validation, "validation is null");
        Objects.requireNonNull(listener, "listener is null");
        new MemoryBudget(heapBytes, network.config(), config).requireBeforeStart();
        source.reset();
        try {
            return run(new TrainingState(network, config, new SplitMix64(config.seed() ^ DATA_STREAM)), source, validation,
                    listener, null);
        } catch (IOException e) {
            throw new UncheckedIOException("no checkpoints are written here, so no I/O can fail", e);
        }
    }

    private TrainingResult run(TrainingState s, BatchSource source, List<SequenceBatch> validation, TrainingListener listener,
                               CheckpointPolicy checkpoints) throws IOException {
        RankCodingNetwork network = s.network;
        MemoryBudget memory = new MemoryBudget(heapBytes, network.config(), config);
        HiddenDropout dropout = regularisation(network, validation);
        Parameters params = network.parameters();
        Parameters grads = params.zerosLike();
        RankCodingLoss loss = new RankCodingLoss(config.lossMode(), config.beta(), config.prefixLossWeight());
        DecisionRule rule = config.decisionRule().rule(network.head());
        LOG.debug("training {} with {} on kernels {}", network, config, kernels.name());
        try (ParallelGradients pass = new ParallelGradients(network, kernels, config.threads(), dropout)) {
            while (s.sequences < config.trainSequences() && !s.stopping.stopped()) {
                int want = (int) Math.min(config.batchSize(), config.trainSequences() - s.sequences);
                SequenceBatch batch = nextBatch(source, want, s, dropout);
                memory.admit(batch, config.stepLimit(s.sequences));
                long start = System.nanoTime();
                double batchLoss = pass.gradients(batch, rule, loss, config.horizon(),
                        config.stepLimit(s.sequences), grads);
                s.optimizer.apply(params, grads, batchLoss, s.sequences, pass);
                s.batches++;
                s.average.update(params, s.batches);
                s.nanos += System.nanoTime() - start;
                long before = s.sequences;
                s.sequences += batch.batchSize();
                s.forward += pass.forwardExampleSteps();
                s.backward += pass.backwardExampleSteps();
                double decisionSum = 0;
                for (int r = 0; r < batch.batchSize(); r++) {
                    decisionSum += pass.decisionStep(r, batch.batchSize());
                }
                s.lastLoss = batchLoss;
                s.lastDecisionStep = decisionSum / batch.batchSize();
                TrainingProgress progress = s.progress(config.trainSequences());
                listener.onBatch(progress);
                boolean end = s.sequences >= config.trainSequences();
                if (!validation.isEmpty() && (s.sequences >= s.nextValidation || end)) {
                    validate(s, validation, progress, listener);
                }
                end |= s.stopping.stopped();
                if (checkpoints != null && (end || checkpoints.due(s.batches, before, s.sequences))) {
                    writeCheckpoint(s, source, listener, checkpoints, progress);
                }
            }
        }
        return result(s);
    }

    /**
     * Checks that early stopping has validation data, warns when dropout has no layers to act between, and returns the
     * dropout masks of the run (drawn per batch).
     *
     * @throws IllegalArgumentException for a patience without validation batches
     */
    private HiddenDropout regularisation(RankCodingNetwork network, List<SequenceBatch> validation) {
        if (config.patience() > 0 && validation.isEmpty()) {
            throw new IllegalArgumentException("patience = " + config.patience() + " stops early on validation, but no "
                    + "validation batches were given; pass validation data (for example a split of the training set, "
                    + "StratifiedSplit) or set patience to 0");
        }
        if (config.dropout() > 0 && network.layers().size() < 2) {
            LOG.warn("dropout = {} has no effect: it acts between stacked LSTM layers and the network has one", config.dropout());
        }
        return new HiddenDropout(network);
    }

    /** The source's next batch of at most {@code rows} rows, with input dropout applied, and the batch's dropout masks drawn. */
    private SequenceBatch nextBatch(BatchSource source, int rows, TrainingState s, HiddenDropout dropout) {
        SequenceBatch batch = source.nextBatch(rows, s.rng);
        if (config.inputDropout() > 0) {
            batch = InputDropout.apply(batch, config.inputDropout(), s.rng);
        }
        if (config.dropout() > 0) {
            dropout.draw(batch.batchSize(), config.dropout(), s.rng);
        }
        return batch;
    }

    /**
     * The result of the run of {@code s}; its network holds the weight average when averaging is on, and with early
     * stopping the best validation's weights (of the average, when averaging is on).
     */
    private TrainingResult result(TrainingState s) {
        Evaluation shown = s.lastValidation();
        s.average.finish(s.network.parameters());
        if (s.stopping.active() && s.stopping.bestWeights().isPresent()) {
            s.network.parameters().setTo(s.stopping.bestWeights().get());
            shown = s.validations.get(s.stopping.bestIndex()).evaluation();
            LOG.info("early stopping: {} with the weights of validation {} of {} ({} = {})",
                    s.stopping.stopped() ? "stopped after " + s.sequences + " sequences" : "trained the whole budget",
                    s.stopping.bestIndex() + 1, s.validations.size(), config.stoppingMetric(), s.stopping.bestScore());
        }
        return new TrainingResult(s.network, config, s.sequences, s.batches, s.forward, s.backward, s.nanos / 1e9, shown,
                s.stopping.stopped());
    }

    /**
     * Validates the network of {@code s} (its weight average when averaging is on) after the batch that made
     * {@code progress}, and records the result.
     */
    private void validate(TrainingState s, List<SequenceBatch> validation, TrainingProgress progress,
                          TrainingListener listener) {
        Parameters weights = s.network.parameters();
        s.average.useAverage(weights);
        Evaluation last = Evaluator.evaluate(s.network, validation, config.decisionRule(), config.timingWindow(),
                config.threads());
        while (s.nextValidation <= s.sequences) {
            s.nextValidation += config.validateEverySequences();
        }
        s.validations.add(new ValidationRecord(progress, last));
        LOG.info("after {} sequences: {} (example-steps forward {}, backward {})", s.sequences, last, s.forward, s.backward);
        listener.onValidation(progress, last);
        boolean stop = s.stopping.observe(last, weights);
        s.average.useLive(weights);
        if (stop) {
            LOG.info("early stopping after {} sequences: {} validations without an improvement of {} (best {})", s.sequences,
                    s.stopping.sinceBest(), config.stoppingMetric(), s.stopping.bestScore());
        }
    }

    /** Writes the checkpoint of {@code s} into the policy's directory and tells the listener. */
    private void writeCheckpoint(TrainingState s, BatchSource source, TrainingListener listener, CheckpointPolicy checkpoints,
                                 TrainingProgress progress) throws IOException {
        CheckpointDirectory store = new CheckpointDirectory(checkpoints.directory());
        TrainingCheckpoint checkpoint = s.snapshot(store.fileFor(s.batches), config, checkpoints.runInfo(), source,
                listener.checkpointState());
        listener.onCheckpoint(progress, store.write(checkpoint, checkpoints.keep()));
    }
}
