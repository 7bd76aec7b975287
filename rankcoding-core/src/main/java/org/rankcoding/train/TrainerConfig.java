package org.rankcoding.train;

import org.rankcoding.rc.FirstSpikeDetector;
import org.rankcoding.rc.LossMode;
import org.rankcoding.rc.RankCodingPass;


/**
 * Everything a training run needs besides the data: immutable, validated once in the constructor,
 * defaults written in exactly one place ({@link #builder()}).
 *
 * @param lossMode              {@link LossMode#RANK_CODING} (default) or the end-of-sequence baseline
 * @param threshold             spike threshold theta in (0.5, 1); default 0.95
 * @param beta                  entropy-reward weight, finite and {@code >= 0}; default 0
 * @param learningRate          Adam learning rate {@code > 0}; default 3e-4
 * @param adamBeta1             Adam's first-moment decay in [0, 1); default 0.9
 * @param adamBeta2             Adam's second-moment decay in [0, 1); default 0.999
 * @param adamEpsilon           Adam's epsilon {@code > 0}; default 1e-8
 * @param batchSize             rows per batch {@code >= 1}; default 128
 * @param trainSequences        training budget in sequences {@code >= 1}; default 100,000
 * @param clipNorm              global gradient-norm clip {@code > 0}, or 0 for none (default)
 * @param horizon               maximum back-propagation length from the decision step {@code >= 1}, or
 *                              {@link RankCodingPass#UNLIMITED_HORIZON} (default)
 * @param seed                  seed of the initial weights and of the batch order; default 1
 * @param validateEverySequences validation interval in sequences {@code >= 1}; default 50,000
 * @param threads               threads computing each batch's gradient {@code >= 1}; default 2. Results are
 *                              bit-identical for a given seed, settings and thread count; another thread
 *                              count changes the rounding of the gradient sums
 * @param timingWindow          normaliser of the timing-aware loss in validation results, for data with
 *                              optimal decision steps ({@code > 0}; 20 for sequence-of-five); default 1
 * @param schedule              how the learning rate changes over the budget; default
 *                              {@link LearningRateSchedule#CONSTANT}
 * @param warmupSequencesPerStep a curriculum over the sequence length, or 0 for none (default): when {@code N > 0},
 *                              every training sequence is cut after {@link #stepLimit(long) 1 + s / N} steps,
 *                              {@code s} being the sequences trained before its batch, so training starts with the
 *                              first step alone (a row that has not spiked by its cut takes its loss there) and the
 *                              sequences grow by one step every {@code N} sequences until they are whole. Early-deciding
 *                              models (temporal MNIST) then learn their first steps' classifier at a fraction of the
 *                              cost of running every undecided row to the end. Evaluation never cuts sequences.
 */
public record TrainerConfig(LossMode lossMode, double threshold, double beta, double learningRate, double adamBeta1,
                            double adamBeta2, double adamEpsilon, int batchSize, long trainSequences, double clipNorm,
                            int horizon, long seed, long validateEverySequences, int threads,
                            double timingWindow, LearningRateSchedule schedule, long warmupSequencesPerStep) {

    /** Validates every field. */
    public TrainerConfig {
        if (lossMode == null) {
            throw new IllegalArgumentException("lossMode is null; choose RANK_CODING or END_OF_SEQUENCE");
        }
        FirstSpikeDetector.requireThreshold(threshold);
        if (!(beta >= 0) || !Double.isFinite(beta)) {
            throw new IllegalArgumentException("beta = " + beta + ", expected a finite value >= 0");
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate = " + learningRate + ", expected a finite value > 0 (typical: 1e-4 .. 1e-2)");
        }
        if (!(adamBeta1 >= 0 && adamBeta1 < 1)) {
            throw new IllegalArgumentException("adamBeta1 = " + adamBeta1 + ", expected in [0, 1) (typical: 0.9)");
        }
        if (!(adamBeta2 >= 0 && adamBeta2 < 1)) {
            throw new IllegalArgumentException("adamBeta2 = " + adamBeta2 + ", expected in [0, 1) (typical: 0.999)");
        }
        if (!(adamEpsilon > 0) || !Double.isFinite(adamEpsilon)) {
            throw new IllegalArgumentException("adamEpsilon = " + adamEpsilon + ", expected a finite value > 0 (typical: 1e-8)");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize = " + batchSize + ", expected >= 1");
        }
        if (trainSequences < 1) {
            throw new IllegalArgumentException("trainSequences = " + trainSequences + ", expected >= 1");
        }
        if (!(clipNorm >= 0) || !Double.isFinite(clipNorm)) {
            throw new IllegalArgumentException("clipNorm = " + clipNorm + ", expected a finite value > 0, or 0 for no clipping");
        }
        if (horizon < 1) {
            throw new IllegalArgumentException("horizon = " + horizon + ", expected >= 1 (or RankCodingPass.UNLIMITED_HORIZON)");
        }
        if (validateEverySequences < 1) {
            throw new IllegalArgumentException("validateEverySequences = " + validateEverySequences + ", expected >= 1");
        }
        if (threads < 1 || threads > 1024) {
            throw new IllegalArgumentException("threads = " + threads + ", expected in [1, 1024] (typically the number of cores)");
        }
        if (!(timingWindow > 0) || !Double.isFinite(timingWindow)) {
            throw new IllegalArgumentException("timingWindow = " + timingWindow + ", expected a finite value > 0");
        }
        if (schedule == null) {
            throw new IllegalArgumentException("schedule is null; choose one of " + java.util.Arrays.toString(LearningRateSchedule.values()));
        }
        if (warmupSequencesPerStep < 0) {
            throw new IllegalArgumentException("warmupSequencesPerStep = " + warmupSequencesPerStep
                    + ", expected >= 0 (0 for no length curriculum)");
        }
    }

    /**
     * The most steps a training sequence may run after {@code sequencesDone} sequences:
     * {@code 1 + sequencesDone / warmupSequencesPerStep}, or {@link Integer#MAX_VALUE} without a curriculum (or once
     * the limit is beyond any sequence).
     */
    public int stepLimit(long sequencesDone) {
        if (warmupSequencesPerStep == 0) {
            return Integer.MAX_VALUE;
        }
        long limit = 1 + Math.max(0, sequencesDone) / warmupSequencesPerStep;
        return limit >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) limit;
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder().lossMode(lossMode).threshold(threshold).beta(beta).learningRate(learningRate)
                .adamBeta1(adamBeta1).adamBeta2(adamBeta2).adamEpsilon(adamEpsilon).batchSize(batchSize)
                .trainSequences(trainSequences).clipNorm(clipNorm).horizon(horizon).seed(seed)
                .validateEverySequences(validateEverySequences).threads(threads).timingWindow(timingWindow).schedule(schedule)
                .warmupSequencesPerStep(warmupSequencesPerStep);
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private LossMode lossMode = LossMode.RANK_CODING;
        private double threshold = 0.95;
        private double beta = 0.0;
        private double learningRate = 3e-4;
        private double adamBeta1 = 0.9;
        private double adamBeta2 = 0.999;
        private double adamEpsilon = 1e-8;
        private int batchSize = 128;
        private long trainSequences = 100_000;
        private double clipNorm = 0.0;
        private int horizon = RankCodingPass.UNLIMITED_HORIZON;
        private long seed = 1;
        private long validateEverySequences = 50_000;
        private int threads = 2;
        private double timingWindow = 1.0;
        private LearningRateSchedule schedule = LearningRateSchedule.CONSTANT;
        private long warmupSequencesPerStep = 0;

        private Builder() {
        }

        /** @see TrainerConfig#lossMode() */
        public Builder lossMode(LossMode lossMode) {
            if (lossMode == null) {
                throw new IllegalArgumentException("lossMode is null; expected one of " + java.util.Arrays.toString(LossMode.values()));
            }
            this.lossMode = lossMode;
            return this;
        }
        /** @see TrainerConfig#threshold() */
        public Builder threshold(double v) { this.threshold = v; return this; }
        /** @see TrainerConfig#beta() */
        public Builder beta(double v) { this.beta = v; return this; }
        /** @see TrainerConfig#learningRate() */
        public Builder learningRate(double v) { this.learningRate = v; return this; }
        /** @see TrainerConfig#adamBeta1() */
        public Builder adamBeta1(double v) { this.adamBeta1 = v; return this; }
        /** @see TrainerConfig#adamBeta2() */
        public Builder adamBeta2(double v) { this.adamBeta2 = v; return this; }
        /** @see TrainerConfig#adamEpsilon() */
        public Builder adamEpsilon(double v) { this.adamEpsilon = v; return this; }
        /** @see TrainerConfig#batchSize() */
        public Builder batchSize(int v) { this.batchSize = v; return this; }
        /** @see TrainerConfig#trainSequences() */
        public Builder trainSequences(long v) { this.trainSequences = v; return this; }
        /** @see TrainerConfig#clipNorm() */
        public Builder clipNorm(double v) { this.clipNorm = v; return this; }
        /** @see TrainerConfig#horizon() */
        public Builder horizon(int v) { this.horizon = v; return this; }
        /** @see TrainerConfig#seed() */
        public Builder seed(long v) { this.seed = v; return this; }
        /** @see TrainerConfig#validateEverySequences() */
        public Builder validateEverySequences(long v) { this.validateEverySequences = v; return this; }
        /** @see TrainerConfig#threads() */
        public Builder threads(int v) { this.threads = v; return this; }
        /** @see TrainerConfig#timingWindow() */
        public Builder timingWindow(double v) { this.timingWindow = v; return this; }
        /** @see TrainerConfig#schedule() */
        public Builder schedule(LearningRateSchedule schedule) {
            if (schedule == null) {
                throw new IllegalArgumentException("schedule is null; expected one of "
                        + java.util.Arrays.toString(LearningRateSchedule.values()));
            }
            this.schedule = schedule;
            return this;
        }
        /** @see TrainerConfig#warmupSequencesPerStep() */
        public Builder warmupSequencesPerStep(long v) { this.warmupSequencesPerStep = v; return this; }

        /** Validates and builds. */
        public TrainerConfig build() {
            return new TrainerConfig(lossMode, threshold, beta, learningRate, adamBeta1, adamBeta2, adamEpsilon, batchSize,
                    trainSequences, clipNorm, horizon, seed, validateEverySequences, threads, timingWindow,
                    schedule, warmupSequencesPerStep);
        }
    }
}
