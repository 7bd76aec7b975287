package org.rankcoding.train;

import org.rankcoding.nn.Parameters;

import java.util.Objects;

/**
 * The update a training run applies after each batch's gradient, the same wherever the gradient was computed (the
 * {@link Trainer}'s threads, or the executors of a cluster summed on a driver): the batch loss is checked to be finite,
 * the gradient is clipped to {@link TrainerConfig#clipNorm()} (when set), Adam (with the configuration's moments,
 * epsilon and decoupled weight decay) moves the weights with the learning rate of the configuration's
 * {@linkplain TrainerConfig#schedule() schedule} at the run's progress, and the new weights are checked to be finite.
 *
 * <p>Holds Adam's moments; one instance per training run. Not thread-safe.
 */
public final class OptimizerStep {

    private final TrainerConfig config;
    private final Adam adam;

    /**
     * A fresh optimizer (no steps yet) for {@code params}.
     *
     * @param config the run's settings (learning rate, schedule, clipping, Adam's constants, weight decay)
     * @param params the weights to optimise (for the moments' layout; not modified here)
     */
    public OptimizerStep(TrainerConfig config, Parameters params) {
        this.config = Objects.requireNonNull(config, "config is null");
        Objects.requireNonNull(params, "params is null");
        this.adam = new Adam(params, config.learningRate(), config.adamBeta1(), config.adamBeta2(), config.adamEpsilon(),
                config.weightDecay());
    }

    /**
     * Applies one update: clips {@code gradients} in place (when clipping is set) and moves {@code params} in place.
     *
     * @param params          the weights, updated
     * @param gradients       the gradient of the batch's mean loss, clipped in place
     * @param batchLoss       the batch's mean loss (checked only)
     * @param sequencesBefore the sequences trained on before this batch (the schedule's progress)
     * @throws IllegalStateException if the loss or a new weight is not finite (the run diverged), naming the batch
     */
    public void apply(Parameters params, Parameters gradients, double batchLoss, long sequencesBefore) {
        Objects.requireNonNull(params, "params is null");
        Objects.requireNonNull(gradients, "gradients is null");
        apply(params, gradients, batchLoss, sequencesBefore, PartRunner.SERIAL);
    }

    /**
     * As {@link #apply(Parameters, Parameters, double, long)}, with Adam and the divergence check cut into
     * {@code runner}'s parts and run at once (element-wise: the same bits for any number of parts; the clipping norm is
     * one sum in one order, on the calling thread).
     */
    void apply(Parameters params, Parameters gradients, double batchLoss, long sequencesBefore, PartRunner runner) {
        long batch = adam.steps() + 1;
        if (!Double.isFinite(batchLoss)) {
            throw new IllegalStateException("training diverged at batch " + batch + " (after " + sequencesBefore
                    + " sequences): the loss is " + batchLoss + "; lower the learning rate or enable gradient clipping");
        }
        if (config.clipNorm() > 0) {
            double norm = gradients.norm();
            if (norm > config.clipNorm()) {
                gradients.scale(config.clipNorm() / norm);
            }
        }
        adam.update(params, gradients, learningRate(sequencesBefore), runner);
        String bad = firstNonFinite(params, runner);
        if (bad != null) {
            throw new IllegalStateException("training diverged at batch " + batch + ": parameter '" + bad
                    + "' holds a non-finite value; lower the learning rate or enable gradient clipping");
        }
    }

    /** The first tensor of {@code params} (in layout order) holding a non-finite value, the parts checked at once; or null. */
    private static String firstNonFinite(Parameters params, PartRunner runner) {
        int parts = runner.parts();
        String[] bad = new String[parts];
        runner.run(part -> bad[part] = params.firstNonFinite(part, parts));
        String first = null;
        for (String name : bad) {
            if (name != null && (first == null || params.names().indexOf(name) < params.names().indexOf(first))) {
                first = name;
            }
        }
        return first;
    }

    /** The learning rate of the schedule after {@code sequences} of the run's {@link TrainerConfig#trainSequences()}. */
    public double learningRate(long sequences) {
        return config.learningRate() * config.schedule().factor((double) sequences / config.trainSequences());
    }

    /** The number of updates applied (or restored) so far. */
    public long steps() {
        return adam.steps();
    }

    /** A copy of Adam's first-moment estimates, for a checkpoint. */
    public Parameters firstMoments() {
        return adam.firstMoments().copy();
    }

    /** A copy of Adam's second-moment estimates, for a checkpoint. */
    public Parameters secondMoments() {
        return adam.secondMoments().copy();
    }

    /**
     * Continues from a checkpoint: copies the moments and sets the number of updates applied so far.
     *
     * @throws IllegalArgumentException if a layout differs or {@code steps < 0}
     */
    public void restore(Parameters firstMoments, Parameters secondMoments, long steps) {
        Objects.requireNonNull(firstMoments, "firstMoments is null");
        Objects.requireNonNull(secondMoments, "secondMoments is null");
        adam.restore(firstMoments, secondMoments, steps);
    }

    /** The optimizer itself, for the trainer's checkpoints. */
    Adam adam() {
        return adam;
    }
}
