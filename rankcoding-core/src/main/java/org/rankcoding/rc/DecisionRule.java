package org.rankcoding.rc;

import java.util.Objects;

/**
 * When an example decides: the rule that turns the head's output probabilities, step after step, into the
 * example's decision step. Training ({@link RankCodingPass}), batch inference ({@link InferencePass}) and streaming
 * ({@link StreamStepper}) all ask a rule the same way, so a new rule plugs into all three at once.
 *
 * <p>A rule is immutable and may be shared between threads; what it remembers about each example lives in a
 * {@link Tracker}, one per workspace. For each example of a batch (or the one example of a stream) the caller:
 * <ol>
 *   <li>calls {@link Tracker#begin(int)} at the start of the batch or stream, which forgets every example;</li>
 *   <li>asks {@link Tracker#decides} at the example's steps 1, 2, 3, ... in order, until it answers {@code true}
 *       (the example's first spike) or the example ends; it is not asked again after a {@code true}.</li>
 * </ol>
 * The prediction at the decision is the head's prediction at that step. A row that reaches its end without a
 * {@code true} is answered with {@link Tracker#undecidedAnswer}: by default its last step's probabilities,
 * with {@link MeanProbabilityAnswer} their mean over its steps ({@link UndecidedAnswer}). The library's rules are threshold crossing
 * ({@link FirstSpikeDetector}), k consecutive agreeing steps over a per-step threshold ({@link ConsecutiveAgreement},
 * a count per row in its tracker, the step's threshold read from a {@link ThresholdSchedule}) and a minimum number of
 * steps around either ({@link MinimumSteps}); {@link DecisionRuleSpec} names a combination and builds it for a head.
 * A rule wrapped by {@link MinimumSteps} is asked again after a {@code true} and answers whether its condition holds at
 * that step.
 */
public interface DecisionRule {

    /** A tracker with room for no rows yet (it grows in {@link Tracker#begin}); stateless rules may return a shared one. */
    Tracker newTracker();

    /**
     * The per-example state of a rule in one workspace (confined to one thread). Rows are the rows of the batch (0
     * for a stream); they keep their index while other rows leave the computation.
     */
    interface Tracker {

        /**
         * Starts a batch of {@code rows} rows (or a stream, {@code rows == 1}): forgets everything and makes room.
         * May allocate when {@code rows} exceeds every earlier call's; allocates nothing otherwise.
         */
        void begin(int rows);

        /**
         * Whether row {@code row} decides at 1-based step {@code step}, given the head's probabilities at that step
         * ({@code head.outputs()} values from {@code off}; read only, valid during the call). Allocates nothing.
         */
        boolean decides(int row, int step, double[] p, int off);

        /**
         * The probabilities row {@code row} is answered with when it reaches its end without deciding, just after
         * {@link #decides} answered {@code false} at its last step with {@code p[off ..]}: writes {@code out.length}
         * values ({@code head.outputs()}) into {@code out}. By default the last step's own probabilities
         * ({@link UndecidedAnswer#LAST_STEP}). Allocates nothing.
         */
        default void undecidedAnswer(int row, double[] p, int off, double[] out) {
            Objects.requireNonNull(p, "p is null");
            Objects.requireNonNull(out, "out is null");
            System.arraycopy(p, off, out, 0, out.length);
        }
    }
}
