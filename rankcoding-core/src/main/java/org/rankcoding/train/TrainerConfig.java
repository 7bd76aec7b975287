package org.rankcoding.train;

import java.util.Objects;

import org.rankcoding.rc.DecisionRuleSpec;
import org.rankcoding.rc.LossMode;
import org.rankcoding.rc.RankCodingLoss;
import org.rankcoding.rc.RankCodingPass;


/**
 * Everything a training run needs besides the data: immutable, validated once in the constructor,
 * defaults written in exactly one place ({@link #builder()}).
 *
 * @param lossMode              {@link LossMode#RANK_CODING} (default) or the end-of-sequence baseline
 * @param decisionRule          when a row decides, in training and in validation: threshold, consecutive steps, minimum
 *                              steps; default threshold crossing at 0.95 ({@link #threshold()} is its threshold at
 *                              step 1)
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
 *                              count changes the rounding of the gradient sums. Validations run their batches on
 *                              as many threads, with results that do not depend on the count
 *                              ({@link org.rankcoding.eval.Evaluator})
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
 * @param weightDecay           decoupled weight decay (AdamW, Loshchilov and Hutter), finite and {@code >= 0}; default 0
 *                              (none, plain Adam bit for bit). Every update first multiplies every parameter by
 *                              {@code 1 - lr * weightDecay}, {@code lr} being the scheduled learning rate, as PyTorch's
 *                              {@code AdamW} does (biases included)
 * @param patience              early stopping: stop after this many validations in a row without an improvement of
 *                              {@code stoppingMetric}, and give back the weights of the best validation; {@code >= 0},
 *                              default 0 (none: train the whole budget, keep the last weights). Needs validation data;
 *                              see {@link Trainer}
 * @param stoppingMetric        what early stopping watches (higher is better); default {@link StoppingMetric#ACCURACY}
 * @param dropout               inverted dropout on the hidden state passed from each stacked LSTM layer to the next (not
 *                              on the recurrent connection, not on the top layer's output), in [0, 1); default 0 (none;
 *                              no effect with one layer). One mask per row per sequence (the same units are dropped at
 *                              every step of a sequence), drawn from the trainer's generator for every batch; kept units
 *                              are scaled by {@code 1 / (1 - dropout)}. Training only: validation, evaluation and
 *                              inference never drop
 * @param inputDropout          inverted dropout on the network's input values, in [0, 1); default 0 (none). Each value of
 *                              each row at each step is dropped independently (a mask per row per step) and kept values
 *                              are scaled by {@code 1 / (1 - inputDropout)}, drawn from the trainer's generator. Training
 *                              only. A sparse binary batch is made dense for it (kept events become
 *                              {@code 1 / (1 - inputDropout)})
 * @param prefixLossWeight      the prefix-loss weight {@code gamma} of {@link org.rankcoding.rc.RankCodingLoss}: the
 *                              mean cross-entropy over every step a row back-propagates through is added to its loss
 *                              with this weight, so that the outputs before the decision learn the class too; finite
 *                              and {@code >= 0}; default 0 (none: the paper's loss)
 * @param averageDecay          the decay of an exponential moving average of the weights over the updates (Polyak
 *                              averaging), in [0, 1); default 0 (none: the last weights, bit for bit as without it).
 *                              With {@code d > 0} training steps the weights as usual while the trainer keeps
 *                              {@code average = d' * average + (1 - d') * weights} after every update, {@code d' =
 *                              min(d, (1 + t) / (10 + t))} at update {@code t}; validation, early stopping and the
 *                              network returned use the average. It spans about {@code 1 / (1 - d)} updates: typical
 *                              0.99 .. 0.999, about an epoch's worth of batches
 */
public record TrainerConfig(LossMode lossMode, DecisionRuleSpec decisionRule, double beta, double learningRate, double adamBeta1,
                            double adamBeta2, double adamEpsilon, int batchSize, long trainSequences, double clipNorm,
                            int horizon, long seed, long validateEverySequences, int threads,
                            double timingWindow, LearningRateSchedule schedule, long warmupSequencesPerStep,
                            double weightDecay, int patience, StoppingMetric stoppingMetric, double dropout,
                            double inputDropout, double prefixLossWeight, double averageDecay) {

    /** Validates every field. */
    public TrainerConfig {
        if (lossMode == null) {
            throw new IllegalArgumentException("lossMode is null; choose RANK_CODING or END_OF_SEQUENCE");
        }
        if (decisionRule == null) {
            throw new IllegalArgumentException("decisionRule is null; use DecisionRuleSpec.thresholdCrossing(0.95) for the default");
        }
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
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay = " + weightDecay
                    + ", expected a finite value >= 0 (0 for none; typical: 1e-4 .. 1e-1)");
        }
        if (patience < 0) {
            throw new IllegalArgumentException("patience = " + patience
                    + ", expected >= 0 (validations without improvement before stopping; 0 for no early stopping)");
        }
        if (stoppingMetric == null) {
            throw new IllegalArgumentException("stoppingMetric is null; choose one of "
                    + java.util.Arrays.toString(StoppingMetric.values()));
        }
        requireDropout("dropout", dropout);
        requireDropout("inputDropout", inputDropout);
        RankCodingLoss.requirePrefixWeight("prefixLossWeight", prefixLossWeight);
        if (!(averageDecay >= 0 && averageDecay < 1)) {
            throw new IllegalArgumentException("averageDecay = " + averageDecay + ", expected in [0, 1) (0 for no weight "
                    + "averaging; typical: 0.99 .. 0.999, averaging over about 1 / (1 - decay) updates)");
        }
    }

    private static void requireDropout(String name, double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException(name + " = " + p + ", expected a drop probability in [0, 1) (0 for none; "
                    + "typical: 0.1 .. 0.5)");
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

    /** The spike threshold: the decision rule's threshold at step 1 (its only one for a constant threshold). */
    public double threshold() {
        return decisionRule.startThreshold();
    }

    /** A builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder().lossMode(lossMode).decisionRule(decisionRule).beta(beta).learningRate(learningRate)
                .adamBeta1(adamBeta1).adamBeta2(adamBeta2).adamEpsilon(adamEpsilon).batchSize(batchSize)
                .trainSequences(trainSequences).clipNorm(clipNorm).horizon(horizon).seed(seed)
                .validateEverySequences(validateEverySequences).threads(threads).timingWindow(timingWindow).schedule(schedule)
                .warmupSequencesPerStep(warmupSequencesPerStep).weightDecay(weightDecay).patience(patience)
                .stoppingMetric(stoppingMetric).dropout(dropout).inputDropout(inputDropout)
                .prefixLossWeight(prefixLossWeight).averageDecay(averageDecay);
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private LossMode lossMode = LossMode.RANK_CODING;
        private double threshold = 0.95;
        private DecisionRuleSpec decisionRule = DecisionRuleSpec.thresholdCrossing(0.95);
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
        private double weightDecay = 0.0;
        private int patience = 0;
        private StoppingMetric stoppingMetric = StoppingMetric.ACCURACY;
        private double dropout = 0.0;
        private double inputDropout = 0.0;
        private double prefixLossWeight = 0.0;
        private double averageDecay = 0.0;

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
        /**
         * The threshold at step 1; the decision rule's schedule is moved to start there at {@link #build()}
         * ({@link DecisionRuleSpec#withThreshold(double)}; for a constant threshold, the threshold).
         */
        public Builder threshold(double v) { this.threshold = v; return this; }
        /** The decision rule, its threshold included (replaces an earlier {@link #threshold(double)}). */
        public Builder decisionRule(DecisionRuleSpec decisionRule) {
            if (decisionRule == null) {
                throw new IllegalArgumentException("decisionRule is null; DecisionRuleSpec.thresholdCrossing(0.95) is the default");
            }
            this.decisionRule = decisionRule;
            this.threshold = decisionRule.startThreshold();
            return this;
        }
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
        /** @see TrainerConfig#weightDecay() */
        public Builder weightDecay(double v) { this.weightDecay = v; return this; }
        /** @see TrainerConfig#patience() */
        public Builder patience(int v) { this.patience = v; return this; }
        /** @see TrainerConfig#stoppingMetric() */
        public Builder stoppingMetric(StoppingMetric stoppingMetric) {
            if (stoppingMetric == null) {
                throw new IllegalArgumentException("stoppingMetric is null; expected one of " + java.util.Arrays.toString(StoppingMetric.values()));
            }
            this.stoppingMetric = stoppingMetric;
            return this;
        }
        /** @see TrainerConfig#dropout() */
        public Builder dropout(double v) { this.dropout = v; return this; }
        /** @see TrainerConfig#inputDropout() */
        public Builder inputDropout(double v) { this.inputDropout = v; return this; }
        /** @see TrainerConfig#prefixLossWeight() */
        public Builder prefixLossWeight(double v) { this.prefixLossWeight = v; return this; }
        /** @see TrainerConfig#averageDecay() */
        public Builder averageDecay(double v) { this.averageDecay = v; return this; }

        /** Validates and builds. */
        public TrainerConfig build() {
            DecisionRuleSpec rule = decisionRule == null || Double.compare(threshold, decisionRule.startThreshold()) == 0
                    ? decisionRule : decisionRule.withThreshold(threshold);
            return new TrainerConfig(lossMode, rule, beta, learningRate, adamBeta1, adamBeta2, adamEpsilon, batchSize,
                    trainSequences, clipNorm, horizon, seed, validateEverySequences, threads, timingWindow,
                    schedule, warmupSequencesPerStep, weightDecay, patience, stoppingMetric, dropout, inputDropout,
                    prefixLossWeight, averageDecay);
        }
    }
}
