package org.rankcoding.train;

import org.rankcoding.nn.Parameters;

import java.util.Optional;

/**
 * The exponential moving average of the weights over the updates of a run ({@link TrainerConfig#averageDecay()},
 * Polyak averaging): after update {@code t} (1, 2, ...), {@code average = d * average + (1 - d) * weights} with
 * {@code d = min(decay, (1 + t) / (10 + t))}, starting from the initial weights. The warm-up of {@code d} (as in
 * TensorFlow's {@code ExponentialMovingAverage} with {@code num_updates}) keeps the first updates from being averaged
 * with the random initial weights for as long as the decay alone would.
 *
 * <p>Training always steps the live weights; the average is what validation, early stopping's best weights and the
 * trained network use ({@link #useAverage} before, {@link #useLive} after). Checkpoints save it, so a resumed run
 * continues the same average. Inactive (does nothing, keeps nothing) when the decay is 0. Owned by one run; the
 * buffers are allocated once, nothing per update.
 */
final class WeightAverage {

    /** The update count below which the warm-up caps the decay: {@code (1 + t) / (10 + t)}. */
    private static final double WARMUP = 10;

    private final double decay;
    private final Parameters average;
    private final Parameters live;

    /** The average of a run of {@code config} over {@code weights}, starting at their current values. */
    WeightAverage(TrainerConfig config, Parameters weights) {
        this.decay = config.averageDecay();
        this.average = decay > 0 ? weights.copy() : null;
        this.live = decay > 0 ? weights.zerosLike() : null;
    }

    /** Whether averaging is on. */
    boolean active() {
        return decay > 0;
    }

    /** The decay applied at update {@code t >= 1}: the configured decay, capped by the warm-up. */
    double decayAt(long t) {
        return Math.min(decay, (1.0 + t) / (WARMUP + t));
    }

    /** Folds the weights after update {@code t} (1 for the first update of the run) into the average. */
    void update(Parameters weights, long t) {
        if (!active()) {
            return;
        }
        double d = decayAt(t);
        double w = 1 - d;
        for (int i = 0; i < average.tensors().size(); i++) {
            double[] a = average.tensors().get(i).data;
            double[] x = weights.tensors().get(i).data;
            int n = average.tensors().get(i).getNumElements();
            for (int k = 0; k < n; k++) {
                a[k] = d * a[k] + w * x[k];
            }
        }
    }

    /** Keeps the live {@code weights} aside and puts the average in their place (no effect when inactive). */
    void useAverage(Parameters weights) {
        if (active()) {
            live.setTo(weights);
            weights.setTo(average);
        }
    }

    /** Puts back the live weights kept by the last {@link #useAverage} (no effect when inactive). */
    void useLive(Parameters weights) {
        if (active()) {
            weights.setTo(live);
        }
    }

    /** Replaces {@code weights} by the average for good, at the end of a run (no effect when inactive). */
    void finish(Parameters weights) {
        if (active()) {
            weights.setTo(average);
        }
    }

    /** The average itself (copy it to keep it, as a checkpoint does), or empty when inactive. */
    Optional<Parameters> current() {
        return Optional.ofNullable(average);
    }

    /**
     * Continues from the average saved in a checkpoint.
     *
     * @throws IllegalArgumentException if averaging is on and none was saved, or off and one was
     */
    void restore(Optional<Parameters> saved) {
        if (active() && saved.isEmpty()) {
            throw new IllegalArgumentException("the run averages its weights (averageDecay = " + decay + ") but the "
                    + "checkpoint holds no average (no average.* tensors); was it written by a run without averaging?");
        }
        if (!active() && saved.isPresent()) {
            throw new IllegalArgumentException("the checkpoint holds averaged weights (average.* tensors) but the run's "
                    + "averageDecay is 0");
        }
        if (saved.isPresent()) {
            average.setTo(saved.get());
        }
    }
}
