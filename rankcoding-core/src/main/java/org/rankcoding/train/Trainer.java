package org.rankcoding.train;

import org.rankcoding.data.BatchSource;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.eval.Evaluation;
import org.rankcoding.eval.Evaluator;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.Parameters;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.RankCodingLoss;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains a {@link RankCodingNetwork} with rank coding (or the end-of-sequence baseline) and Adam.
 *
 * <p>A trainer is reusable configuration: every call to {@link #train} creates the initial weights from
 * {@code config.seed()}, a fresh Adam state and a fresh batch generator seeded from the same seed, so two
 * calls with the same seed, settings and source give bit-identical weights.
 */
public final class Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    /** Mixed into the seed for the data generator so data and weights use independent streams. */
    private static final long DATA_STREAM = 0x9E3779B97F4A7C15L;

    private final TrainerConfig config;
    private final MatrixKernels kernels;

    /** A trainer using the fastest kernels of this JVM. */
    public Trainer(TrainerConfig config) {
        this(config, Kernels.best());
    }

    /** A trainer computing with the given kernels. */
    public Trainer(TrainerConfig config, MatrixKernels kernels) {
        this.config = config;
        this.kernels = kernels;
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
     * @throws IllegalArgumentException if the source does not match the network
     * @throws IllegalStateException    if training diverges (non-finite loss or weights), naming the batch
     */
    public TrainingResult train(NetworkConfig networkConfig, BatchSource source, List<SequenceBatch> validation,
                                TrainingListener listener) {
        if (source.inputSize() != networkConfig.inputSize()) {
            throw new IllegalArgumentException("the source's input size is " + source.inputSize() + " but the network's is "
                    + networkConfig.inputSize());
        }
        if (source.numClasses() != networkConfig.numClasses()) {
            throw new IllegalArgumentException("the source has " + source.numClasses() + " classes but the network has "
                    + networkConfig.numClasses());
        }
        RankCodingNetwork network = new RankCodingNetwork(networkConfig, config.seed());
        return continueTraining(network, source, validation, listener);
    }

    /**
     * Trains an existing network in place for the configured budget, with a fresh optimizer, a batch
     * generator seeded from {@code config.seed()} and the source {@link BatchSource#reset() reset}.
     *
     * @see #train
     */
    public TrainingResult continueTraining(RankCodingNetwork network, BatchSource source, List<SequenceBatch> validation,
                                           TrainingListener listener) {
        try (ParallelGradients pass = new ParallelGradients(network, kernels, config.threads())) {
            return run(network, source, validation, listener, pass);
        }
    }

    private TrainingResult run(RankCodingNetwork network, BatchSource source, List<SequenceBatch> validation,
                               TrainingListener listener, ParallelGradients pass) {
        SplittableRandom dataRng = new SplittableRandom(config.seed() ^ DATA_STREAM);
        source.reset();
        Parameters params = network.parameters();
        Parameters grads = params.zerosLike();
        Adam adam = new Adam(params, config.learningRate(), config.adamBeta1(), config.adamBeta2(), config.adamEpsilon());
        RankCodingLoss loss = new RankCodingLoss(config.lossMode(), config.beta());
        long sequences = 0;
        long batches = 0;
        long forward = 0;
        long backward = 0;
        long nanos = 0;
        long nextValidation = config.validateEverySequences();
        Evaluation last = null;
        LOG.debug("training {} with {} on kernels {}", network, config, kernels.name());
        while (sequences < config.trainSequences()) {
            int want = (int) Math.min(config.batchSize(), config.trainSequences() - sequences);
            SequenceBatch batch = source.nextBatch(want, dataRng);
            long start = System.nanoTime();
            double batchLoss = pass.gradients(batch, config.threshold(), loss, config.horizon(), grads);
            if (!Double.isFinite(batchLoss)) {
                throw new IllegalStateException("training diverged at batch " + (batches + 1) + " (after " + sequences
                        + " sequences): the loss is " + batchLoss + "; lower the learning rate or enable gradient clipping");
            }
            if (config.clipNorm() > 0) {
                double norm = grads.norm();
                if (norm > config.clipNorm()) {
                    grads.scale(config.clipNorm() / norm);
                }
            }
            double done = (double) sequences / config.trainSequences();
            adam.update(params, grads, config.learningRate() * config.schedule().factor(done));
            String bad = params.firstNonFinite();
            if (bad != null) {
                throw new IllegalStateException("training diverged at batch " + (batches + 1) + ": parameter '" + bad
                        + "' holds a non-finite value; lower the learning rate or enable gradient clipping");
            }
            nanos += System.nanoTime() - start;
            sequences += batch.batchSize();
            batches++;
            forward += pass.forwardExampleSteps();
            backward += pass.backwardExampleSteps();
            double decisionSum = 0;
            for (int r = 0; r < batch.batchSize(); r++) {
                decisionSum += pass.decisionStep(r, batch.batchSize());
            }
            TrainingProgress progress = new TrainingProgress(batches, sequences, config.trainSequences(), batchLoss,
                    decisionSum / batch.batchSize(), forward, backward, nanos / 1e9);
            listener.onBatch(progress);
            boolean end = sequences >= config.trainSequences();
            if (!validation.isEmpty() && (sequences >= nextValidation || end)) {
                last = Evaluator.evaluate(network, validation, config.threshold(), config.timingWindow());
                while (nextValidation <= sequences) {
                    nextValidation += config.validateEverySequences();
                }
                LOG.info("after {} sequences: {} (example-steps forward {}, backward {})", sequences, last, forward, backward);
                listener.onValidation(progress, last);
            }
        }
        return new TrainingResult(network, config, sequences, batches, forward, backward, nanos / 1e9, last);
    }
}
