package org.rankcoding.train;

import org.rankcoding.data.BatchSource;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.eval.Evaluation;
import org.rankcoding.eval.Evaluator;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.rc.FirstSpikeDetector;
import org.rankcoding.rc.LossMode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Trains a grid of rank-coding models over the entropy reward beta and the threshold theta, every model with the
 * same seed, budget and other settings (those of a base configuration), and evaluates each on the same test set at
 * its own threshold: which (beta, theta) buys which accuracy at which mean decision step.
 *
 * <p>Models are trained one after another (each training and each test evaluation uses the base configuration's
 * threads), in the order beta-major: {@code (beta[0], theta[0]), (beta[0], theta[1]), ...}. Each model gets a fresh
 * batch source from the supplier, so every model sees the same training data in the same order for the same seed.
 *
 * <p>The grid reports every point's test evaluation and chooses none of them: it picks no "best" (beta, theta) on the
 * test set. A caller that must choose one chooses it on validation data.
 *
 * <p>Each model decides by the base configuration's {@link TrainerConfig#decisionRule() decision rule} moved to its
 * threshold ({@link org.rankcoding.rc.DecisionRuleSpec#withThreshold(double)}: consecutive and minimum steps kept, a
 * per-step schedule moved to start there), in training and in the test.
 */
public final class TrainingGrid {

    private TrainingGrid() {
    }

    /**
     * One trained model of the grid.
     *
     * @param beta      its entropy reward
     * @param threshold its threshold (at step 1 of its decision rule; for training and for the test)
     * @param training  the training result (network, work counters, time)
     * @param test      its evaluation on the test set at {@code threshold}
     */
    public record Point(double beta, double threshold, TrainingResult training, Evaluation test) {

        /** Refuses a null component, naming it. */
        public Point {
            Objects.requireNonNull(training, "training is null");
            Objects.requireNonNull(test, "test is null");
        }

    }

    /** Follows a grid run. Default methods do nothing. */
    public interface Listener {

        /**
         * Called before model {@code index} (0-based) of {@code total} is trained.
         *
         * @return the listener for that model's training ({@link TrainingListener#NONE} for none)
         */
        default TrainingListener starting(int index, int total, TrainerConfig config) {
            return TrainingListener.NONE;
        }

        /** Called when model {@code index} is trained and tested. */
        default void finished(int index, int total, Point point) {
        }
    }

    /**
     * Trains and tests the grid.
     *
     * @param base       every setting but the loss mode (always rank coding), beta and theta
     * @param network    the network shape
     * @param betas      entropy rewards, each finite and {@code >= 0}, at least one, no duplicates
     * @param thresholds thresholds, each in (0.5, 1), at least one, no duplicates
     * @param sources    a fresh training source per call, the same data for the same seed
     * @param validation validation batches during training (may be empty)
     * @param test       test batches, at least one
     * @param listener   progress, or {@code null}
     * @return one point per (beta, theta), beta-major
     * @throws IllegalArgumentException for an empty or duplicated grid axis, a value out of range, or no test batch
     * @throws IllegalStateException    if a training diverges (naming the model's beta and theta)
     */
    public static List<Point> run(TrainerConfig base, NetworkConfig network, double[] betas, double[] thresholds,
                                  Supplier<? extends BatchSource> sources, List<SequenceBatch> validation, List<SequenceBatch> test,
                                  Listener listener) {
        Objects.requireNonNull(base, "base is null");
        Objects.requireNonNull(network, "network is null");
        Objects.requireNonNull(thresholds, "thresholds is null");
        Objects.requireNonNull(sources, "sources is null");
        Objects.requireNonNull(validation, "validation is null");
        Objects.requireNonNull(test, "test is null");
        List<TrainerConfig> configs = configs(base, betas, thresholds);
        if (test.isEmpty()) {
            throw new IllegalArgumentException("no test batches, expected at least one");
        }
        Listener l = listener == null ? new Listener() {
        } : listener;
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            TrainerConfig c = configs.get(i);
            TrainingResult result;
            try {
                BatchSource source = sources.get();
                source.reset();
                result = new Trainer(c).train(network, source, validation, l.starting(i, configs.size(), c));
            } catch (IllegalStateException e) {
                throw new IllegalStateException("grid model beta = " + c.beta() + ", theta = " + c.threshold() + ": " + e.getMessage(), e);
            }
            Evaluation e = Evaluator.evaluate(result.network(), test, c.decisionRule(), c.timingWindow(), c.threads());
            Point p = new Point(c.beta(), c.threshold(), result, e);
            points.add(p);
            l.finished(i, configs.size(), p);
        }
        return points;
    }

    /**
     * Validates a grid without training anything: what {@link #run} would refuse.
     *
     * @throws IllegalArgumentException for an empty or duplicated axis or a value out of range
     */
    public static void validate(TrainerConfig base, double[] betas, double[] thresholds) {
        Objects.requireNonNull(base, "base is null");
        Objects.requireNonNull(thresholds, "thresholds is null");
        configs(base, betas, thresholds);
    }

    /** The grid's configurations, beta-major; validates the axes. */
    private static List<TrainerConfig> configs(TrainerConfig base, double[] betas, double[] thresholds) {
        checkAxis("betas", betas);
        checkAxis("thresholds", thresholds);
        for (double t : thresholds) {
            FirstSpikeDetector.requireThreshold(t);
        }
        List<TrainerConfig> configs = new ArrayList<>();
        for (double b : betas) {
            for (double t : thresholds) {
                configs.add(base.toBuilder().lossMode(LossMode.RANK_CODING).beta(b).threshold(t).build()); // validates beta
            }
        }
        return configs;
    }

    private static void checkAxis(String name, double[] values) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("no " + name + " given, expected at least one value");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException(name + ": " + sorted[i] + " is given twice in " + Arrays.toString(values));
            }
        }
    }
}
