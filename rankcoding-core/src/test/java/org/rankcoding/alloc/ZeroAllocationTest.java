package org.rankcoding.alloc;

import org.rankcoding.data.SequenceBatch;
import org.rankcoding.infer.RankCodingModel;
import org.rankcoding.infer.StreamingSession;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.nn.ConvFrontEndConfig;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.Parameters;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.DecisionRule;
import org.rankcoding.rc.DecisionRuleSpec;
import org.rankcoding.rc.FirstSpikeDetector;
import org.rankcoding.rc.ThresholdSchedule;
import org.rankcoding.rc.TrainingSettings;
import org.rankcoding.eval.ThresholdSweep;
import org.rankcoding.rc.InferencePass;
import org.rankcoding.rc.LossMode;
import org.rankcoding.rc.RankCodingLoss;
import org.rankcoding.rc.RankCodingPass;
import org.rankcoding.rc.RcTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rankcoding.rc.StepObserver;
import org.rankcoding.testing.Slow;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hot paths allocate nothing per time step once the JIT has compiled them: a training pass
 * ({@link RankCodingPass#gradients}) on a batch of a shape it has seen before, an inference pass
 * ({@link InferencePass#earlyExit}, {@link InferencePass#runToEnd}: nothing at all per call) and
 * {@link StreamingSession#feed}, with and without a convolutional front end.
 *
 * <p>Bytes are counted with {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes} for the current
 * thread (reached by reflection and a method handle: the patched core module does not read {@code jdk.management},
 * and a method handle's call allocates nothing once compiled). Every measurement is the minimum over rounds of many
 * calls, after a warm-up, so that allocations made before C2 has compiled (and scalar-replaced the Vector API
 * objects of) a kernel, or after a deoptimisation, do not count; a measurement stops early once it meets its bound,
 * and otherwise goes on for at least 40 rounds and 15 seconds.
 *
 * <p>A training pass may allocate a small constant amount per call (at the time of writing a few hundred bytes: the
 * parameter names built by string concatenation when the gradients are written out); what must hold is that nothing
 * is allocated per time step or per example-step. Two criteria, both checked:
 * <ul>
 *   <li>per time step: the same rows run for 40 and for 20 steps; the difference of the bytes per pass, divided by
 *       the difference of the time steps, is below 1 byte (one object per step would be at least 16);</li>
 *   <li>per example-step: the bytes per pass divided by the example-steps computed (forward and backward) is below
 *       1 byte (one object per row and step would be at least 16).</li>
 * </ul>
 * {@link #theMeasurementDetectsOneObjectPerStep} shows the criteria fail for a pass followed by one small
 * allocation per time step.
 */
@Slow
class ZeroAllocationTest {

    /**
     * Rounds of a measurement at least, unless one meets the bound first (it stops at the first round that does); past
     * them, rounds go on until {@link #PATIENCE_NANOS} have passed since the measurement began, so that a JVM slowed
     * down by other work on the machine, whose C2 has not yet compiled the hot paths after the warm-up, is measured
     * once it has, and not failed for allocations of code that is still being compiled. An allocating path fails all
     * the same, 15 seconds later.
     */
    private static final int MAX_ROUNDS = 40;
    /** How long a measurement goes on past {@link #MAX_ROUNDS} rounds while no round meets its bound: 15 s. */
    static final long PATIENCE_NANOS = 15_000_000_000L;
    private static final int HIDDEN = 13;
    private static final int INPUT = 3;
    private static final int ROWS = 37;
    private static final int LONG = 40;
    private static final int SHORT = 20;
    /** The front end of the front-end cases: a 3 x 4 image, 3 filters of 3 x 3, pooled 2 x 2 (6 features). */
    private static final ConvFrontEndConfig FRONT = ConvFrontEndConfig.conv(3, 3, 2, 3, 4);

    /** Escapes the allocations of the sensitivity check, so that they cannot be eliminated. */
    static volatile Object sink;

    // ------------------------------------------------------------------ training

    static Stream<Arguments> trainingCases() {
        return Stream.of(
                Arguments.of(LossMode.RANK_CODING, 1, RankCodingPass.UNLIMITED_HORIZON, false),
                Arguments.of(LossMode.END_OF_SEQUENCE, 1, RankCodingPass.UNLIMITED_HORIZON, false),
                Arguments.of(LossMode.RANK_CODING, 2, RankCodingPass.UNLIMITED_HORIZON, false),
                Arguments.of(LossMode.RANK_CODING, 2, 5, false),
                Arguments.of(LossMode.RANK_CODING, 1, RankCodingPass.UNLIMITED_HORIZON, true),
                Arguments.of(LossMode.RANK_CODING, 2, 5, true));
    }

    @ParameterizedTest(name = "{0}, {1} layer(s), horizon {2}, sparse input {3}")
    @MethodSource("trainingCases")
    void trainingPassAllocatesNothingPerStep(LossMode mode, int layers, int horizon, boolean sparse) {
        TrainingWorkload w = new TrainingWorkload(mode, layers, horizon, false, sparse);
        TrainingAllocation a = w.measure(MAX_ROUNDS);
        assertTrue(a.perTimeStep() < 1.0, () -> "steady-state training allocates per time step: " + a);
        assertTrue(a.perExampleStep() < 1.0, () -> "steady-state training allocates per example-step: " + a);
    }

    @ParameterizedTest(name = "dropout between 3 layers, sparse input {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void trainingPassWithDropoutAllocatesNothingPerStep(boolean sparse) {
        TrainingWorkload w = new TrainingWorkload(LossMode.RANK_CODING, 3, RankCodingPass.UNLIMITED_HORIZON, false, sparse);
        org.rankcoding.rc.HiddenDropout d = new org.rankcoding.rc.HiddenDropout(w.pass.network());
        d.draw(ROWS, 0.3, new SplittableRandom(4));
        w.pass.dropout(d);
        TrainingAllocation a = w.measure(MAX_ROUNDS);
        assertTrue(a.perTimeStep() < 1.0, () -> "steady-state training with dropout allocates per time step: " + a);
        assertTrue(a.perExampleStep() < 1.0, () -> "steady-state training with dropout allocates per example-step: " + a);
    }

    static Stream<Arguments> frontEndCases() {
        return Stream.of(
                Arguments.of(LossMode.RANK_CODING, 1, RankCodingPass.UNLIMITED_HORIZON, false, false),
                Arguments.of(LossMode.RANK_CODING, 2, 5, true, false),
                Arguments.of(LossMode.RANK_CODING, 1, RankCodingPass.UNLIMITED_HORIZON, false, true),
                Arguments.of(LossMode.RANK_CODING, 2, 5, true, true));
    }

    /** As {@link #trainingPassAllocatesNothingPerStep}, for a network with a convolutional front end (integrating or not). */
    @ParameterizedTest(name = "front end, {0}, {1} layer(s), horizon {2}, sparse input {3}, integrating {4}")
    @MethodSource("frontEndCases")
    void trainingPassWithAFrontEndAllocatesNothingPerStep(LossMode mode, int layers, int horizon, boolean sparse, boolean integrate) {
        TrainingWorkload w = new TrainingWorkload(mode, layers, horizon, false, sparse, FRONT.withIntegration(integrate));
        TrainingAllocation a = w.measure(MAX_ROUNDS);
        assertTrue(a.perTimeStep() < 1.0, () -> "steady-state training allocates per time step: " + a);
        assertTrue(a.perExampleStep() < 1.0, () -> "steady-state training allocates per example-step: " + a);
    }

    /** A decision rule with a count per row, a per-step schedule and a minimum step: decided early, nothing allocated. */
    static final DecisionRuleSpec RULE = new DecisionRuleSpec(ThresholdSchedule.linear(0.99, 0.9, 10), 2, 3);

    /** As {@link #trainingPassAllocatesNothingPerStep}, deciding by k consecutive steps over a schedule after a minimum. */
    @ParameterizedTest(name = "rule, {1} layer(s), horizon {2}, sparse input {3}")
    @MethodSource("trainingCases")
    void trainingPassWithAComposedRuleAllocatesNothingPerStep(LossMode mode, int layers, int horizon, boolean sparse) {
        TrainingWorkload w = new TrainingWorkload(mode, layers, horizon, false, sparse, ConvFrontEndConfig.NONE, RULE);
        TrainingAllocation a = w.measure(MAX_ROUNDS);
        assertTrue(a.perTimeStep() < 1.0, () -> "steady-state training allocates per time step: " + a);
        assertTrue(a.perExampleStep() < 1.0, () -> "steady-state training allocates per example-step: " + a);
    }

    /** The criteria can fail: a pass followed by one 16-byte object per time step of the pass violates them. */
    @Test
    void theMeasurementDetectsOneObjectPerStep() {
        TrainingWorkload w = new TrainingWorkload(LossMode.RANK_CODING, 1, RankCodingPass.UNLIMITED_HORIZON, true, false);
        TrainingAllocation a = w.measure(3);
        assertFalse(a.perTimeStep() < 1.0, () -> "one object per time step went unnoticed: " + a);
        assertTrue(a.perTimeStep() >= 8.0, () -> "expected at least 8 bytes per time step, measured " + a);
    }

    /**
     * Bytes per pass and per unit of work of one training workload.
     *
     * @param bytesLong      bytes per pass on the 40-step batch
     * @param bytesShort     bytes per pass on the same rows cut to 20 steps
     * @param stepsLong      time steps of a pass on the 40-step batch
     * @param stepsShort     time steps of a pass on the 20-step batch
     * @param exampleSteps   example-steps (forward plus backward) of a pass on the 40-step batch
     */
    record TrainingAllocation(double bytesLong, double bytesShort, int stepsLong, int stepsShort, long exampleSteps) {

        /** Bytes per time step: the difference between the two lengths, in absolute value (noise in either counts). */
        double perTimeStep() {
            return Math.abs(bytesLong - bytesShort) / (stepsLong - stepsShort);
        }

        double perExampleStep() {
            return bytesLong / exampleSteps;
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%.1f bytes per pass over %d steps (%d example-steps), %.1f bytes per pass "
                            + "over %d steps: %.3f bytes per time step, %.3f bytes per example-step",
                    bytesLong, stepsLong, exampleSteps, bytesShort, stepsShort, perTimeStep(), perExampleStep());
        }
    }

    /** Repeated training passes on two batches with the same rows, 40 and 20 steps long. */
    static final class TrainingWorkload {
        private static final int PASSES_PER_ROUND = 40;
        private static final int WARMUP_PASSES = 1000;

        private final RankCodingPass pass;
        private final SequenceBatch longBatch;
        private final SequenceBatch shortBatch;
        private final RankCodingLoss loss;
        private final Parameters grads;
        private final int horizon;
        private final boolean allocatePerStep;
        private final double theta;
        /** The decision rule's shape (threshold crossing: the threshold form of the pass is called). */
        private final DecisionRuleSpec shape;
        private final TrainingSettings settings;

        /** @param sparse feed the inputs as sparse binary events (an input is active where the dense value is positive) */
        TrainingWorkload(LossMode mode, int layers, int horizon, boolean allocatePerStep, boolean sparse) {
            this(mode, layers, horizon, allocatePerStep, sparse, ConvFrontEndConfig.NONE);
        }

        /** @param frontEnd the network's convolutional front end, or NONE */
        TrainingWorkload(LossMode mode, int layers, int horizon, boolean allocatePerStep, boolean sparse,
                         ConvFrontEndConfig frontEnd) {
            this(mode, layers, horizon, allocatePerStep, sparse, frontEnd, DecisionRuleSpec.thresholdCrossing(0.9));
        }

        /** @param shape the decision rule, moved to the workload's threshold */
        TrainingWorkload(LossMode mode, int layers, int horizon, boolean allocatePerStep, boolean sparse,
                         ConvFrontEndConfig frontEnd, DecisionRuleSpec shape) {
            int input = frontEnd.isNone() ? INPUT : frontEnd.inputSize();
            RankCodingNetwork net = frontEnd.isNone()
                    ? RcTestSupport.network(INPUT, HIDDEN, layers, HeadType.BINARY_SIGMOID, 2, 11 + layers, 0.8)
                    : RcTestSupport.network(frontEnd, HIDDEN, layers, HeadType.BINARY_SIGMOID, 2, 11 + layers, 0.8);
            SplittableRandom rng = new SplittableRandom(23);
            int[] lengths = new int[ROWS];
            Arrays.fill(lengths, LONG);
            SequenceBatch dense = RcTestSupport.batch(rng, input, lengths, 2, 1.0, 0.0);
            this.longBatch = sparse ? positiveEvents(dense) : dense;
            this.shortBatch = sparse ? positiveEvents(truncate(dense, SHORT)) : truncate(dense, SHORT);
            this.pass = new RankCodingPass(net, Kernels.best());
            this.loss = new RankCodingLoss(mode, 0.1);
            this.grads = net.parameters().zerosLike();
            this.horizon = horizon;
            this.allocatePerStep = allocatePerStep;
            this.shape = shape;
            this.theta = mode == LossMode.RANK_CODING ? halfExitThreshold() : 0.9;
            this.settings = new TrainingSettings(shape.withThreshold(theta).rule(pass.network().head()), loss, horizon,
                    Integer.MAX_VALUE);
            if (mode == LossMode.RANK_CODING) {
                run(longBatch);
                long full = (long) ROWS * LONG;
                assertTrue(pass.forwardExampleSteps() > full / 5 && pass.forwardExampleSteps() < full * 4 / 5,
                        "rows must leave the batch at different steps for the workload to exercise early exit; forward "
                                + "example-steps " + pass.forwardExampleSteps() + " of " + full);
            }
        }

        /** A threshold at which the pass computes about half of the forward example-steps of the 40-step batch. */
        private double halfExitThreshold() {
            return ZeroAllocationTest.halfExitThreshold(new InferencePass(pass.network(), Kernels.best()), longBatch, shape);
        }

        private void run(SequenceBatch batch) {
            if (shape.isThresholdCrossing()) {
                pass.gradients(batch, theta, loss, horizon, grads);
            } else {
                pass.gradients(batch, 0, batch.batchSize(), 1.0 / batch.batchSize(), settings, grads);
            }
            if (allocatePerStep) {
                for (int t = 0; t < pass.forwardSteps(); t++) {
                    sink = new Object();
                }
            }
        }

        TrainingAllocation measure(int maxRounds) {
            for (int i = 0; i < WARMUP_PASSES / 2; i++) {
                run(longBatch);
                run(shortBatch);
            }
            run(shortBatch);
            int stepsShort = pass.forwardSteps();
            run(longBatch);
            int stepsLong = pass.forwardSteps();
            long exampleSteps = pass.forwardExampleSteps() + pass.backwardExampleSteps();
            long minLong = Long.MAX_VALUE;
            long minShort = Long.MAX_VALUE;
            TrainingAllocation a = null;
            long start = System.nanoTime();
            for (int round = 0; Allocation.patient(round, maxRounds, start); round++) {
                minLong = Math.min(minLong, Allocation.bytes(() -> {
                    for (int i = 0; i < PASSES_PER_ROUND; i++) {
                        run(longBatch);
                    }
                }));
                minShort = Math.min(minShort, Allocation.bytes(() -> {
                    for (int i = 0; i < PASSES_PER_ROUND; i++) {
                        run(shortBatch);
                    }
                }));
                a = new TrainingAllocation((double) minLong / PASSES_PER_ROUND, (double) minShort / PASSES_PER_ROUND,
                        stepsLong, stepsShort, exampleSteps);
                if (a.perTimeStep() < 1.0 && a.perExampleStep() < 1.0) {
                    break;
                }
            }
            return a;
        }

        /** A sparse binary batch with an event wherever {@code b} has a positive input. */
        private static SequenceBatch positiveEvents(SequenceBatch b) {
            int n = b.batchSize();
            int in = b.inputSize();
            int cells = b.maxLength() * n;
            double[] x = b.inputArray();
            int[] start = new int[cells + 1];
            int[] idx = new int[cells * in];
            int q = 0;
            for (int c = 0; c < cells; c++) {
                start[c] = q;
                for (int i = 0; i < in; i++) {
                    if (x[c * in + i] > 0) {
                        idx[q++] = i;
                    }
                }
            }
            start[cells] = q;
            int[] lengths = new int[n];
            int[] labels = new int[n];
            for (int r = 0; r < n; r++) {
                lengths[r] = b.length(r);
                labels[r] = b.label(r);
            }
            return SequenceBatch.sparseBinary(n, b.maxLength(), in, start, Arrays.copyOf(idx, q), lengths, labels, 2, null);
        }

        /** The same rows, cut to their first {@code steps} steps. */
        private static SequenceBatch truncate(SequenceBatch b, int steps) {
            int n = b.batchSize();
            int in = b.inputSize();
            double[] inputs = Arrays.copyOf(b.inputArray(), steps * n * in);
            int[] lengths = new int[n];
            int[] labels = new int[n];
            for (int r = 0; r < n; r++) {
                lengths[r] = steps;
                labels[r] = b.label(r);
            }
            return new SequenceBatch(n, steps, in, inputs, lengths, labels, 2, null);
        }
    }

    // ------------------------------------------------------------------ batch inference

    static Stream<Arguments> inferenceCases() {
        ConvFrontEndConfig none = ConvFrontEndConfig.NONE;
        return Stream.of(
                Arguments.of("early exit", false, none),
                Arguments.of("to the end", false, none),
                Arguments.of("early exit", true, none),
                Arguments.of("early exit", false, FRONT),
                Arguments.of("to the end", true, FRONT),
                Arguments.of("early exit", false, FRONT.withIntegration(true)),
                Arguments.of("early exit", true, FRONT.withIntegration(true)));
    }

    /** The gradient-free pass of RankCodingModel, Evaluator and ThresholdSweep allocates nothing per call in steady state. */
    @ParameterizedTest(name = "{0}, sparse input {1}, front end {2}")
    @MethodSource("inferenceCases")
    void inferencePassAllocatesNothing(String form, boolean sparse, ConvFrontEndConfig frontEnd) {
        int input = frontEnd.isNone() ? INPUT : frontEnd.inputSize();
        RankCodingNetwork net = frontEnd.isNone()
                ? RcTestSupport.network(INPUT, HIDDEN, 2, HeadType.BINARY_SIGMOID, 2, 12, 0.8)
                : RcTestSupport.network(frontEnd, HIDDEN, 2, HeadType.BINARY_SIGMOID, 2, 12, 0.8);
        int[] lengths = new int[ROWS];
        Arrays.fill(lengths, LONG);
        SequenceBatch dense = RcTestSupport.batch(new SplittableRandom(29), input, lengths, 2, 1.0, 0.0);
        SequenceBatch batch = sparse ? TrainingWorkload.positiveEvents(dense) : dense;
        InferencePass pass = new InferencePass(net, Kernels.best());
        DecisionRule rule = new FirstSpikeDetector(net.head(), halfExitThreshold(pass, batch));
        boolean early = form.equals("early exit");
        long computed = early ? pass.earlyExit(batch, rule).forwardExampleSteps() : pass.runToEnd(batch, rule, StepObserver.NONE)
                .forwardExampleSteps();
        long full = (long) ROWS * LONG;
        assertTrue(early ? computed > full / 5 && computed < full * 4 / 5 : computed == full,
                "the workload must exercise early exit (or run every row to its end): " + computed + " of " + full);
        Runnable calls = () -> {
            for (int i = 0; i < 20; i++) {
                sink = early ? pass.earlyExit(batch, rule) : pass.runToEnd(batch, rule, StepObserver.NONE);
            }
        };
        long bytes = Allocation.minBytes(calls, 40, MAX_ROUNDS);
        assertEquals(0, bytes, "bytes allocated by 20 inference passes (" + form + ") in steady state");
    }

    /** As {@link #halfExitThreshold(InferencePass, SequenceBatch)}, for a decision rule moved to the threshold. */
    static double halfExitThreshold(InferencePass pass, SequenceBatch batch, DecisionRuleSpec shape) {
        if (shape.isThresholdCrossing()) {
            return halfExitThreshold(pass, batch);
        }
        double lo = 0.5 + 1e-12;
        double hi = 1 - 1e-12;
        long target = 0;
        for (int r = 0; r < batch.batchSize(); r++) {
            target += batch.length(r);
        }
        target /= 2;
        for (int i = 0; i < 60; i++) {
            double mid = (lo + hi) / 2;
            if (pass.earlyExit(batch, shape.withThreshold(mid).rule(pass.network().head())).forwardExampleSteps() < target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    /** Batch inference and a sweep with the composed rule allocate nothing per call once their trackers have grown. */
    @Test
    void inferenceWithAComposedRuleAllocatesNothing() {
        RankCodingNetwork net = RcTestSupport.network(INPUT, HIDDEN, 2, HeadType.BINARY_SIGMOID, 2, 12, 0.8);
        int[] lengths = new int[ROWS];
        Arrays.fill(lengths, LONG);
        SequenceBatch batch = RcTestSupport.batch(new SplittableRandom(29), INPUT, lengths, 2, 1.0, 0.0);
        InferencePass pass = new InferencePass(net, Kernels.best());
        DecisionRule rule = RULE.withThreshold(halfExitThreshold(pass, batch, RULE)).rule(net.head());
        long computed = pass.earlyExit(batch, rule).forwardExampleSteps();
        long full = (long) ROWS * LONG;
        assertTrue(computed > full / 5 && computed < full * 4 / 5, "the workload must exercise early exit: " + computed);
        Runnable calls = () -> {
            for (int i = 0; i < 20; i++) {
                sink = pass.earlyExit(batch, rule);
                sink = pass.runToEnd(batch, rule, StepObserver.NONE);
            }
        };
        assertEquals(0, Allocation.minBytes(calls, 40, MAX_ROUNDS), "bytes allocated by 40 inference passes with the rule");
        ThresholdSweep sweep = new ThresholdSweep(net, RULE, new double[]{0.6, 0.8, 0.95}, 1.0);
        Runnable sweeps = () -> {
            for (int i = 0; i < 5; i++) {
                sweep.add(batch);
            }
        };
        assertEquals(0, Allocation.minBytes(sweeps, 10, MAX_ROUNDS), "bytes allocated by 5 sweep batches with the rule");
    }

    /** Streaming with the composed rule allocates nothing per feed before its decision. */
    @Test
    void streamingWithAComposedRuleAllocatesNothing() {
        RankCodingNetwork net = RcTestSupport.network(INPUT, HIDDEN, 2, HeadType.BINARY_SIGMOID, 2, 3, 1.0);
        StreamingSession session = new RankCodingModel(net, RULE.withThreshold(1 - 1e-12), Kernels.best(), "test").newSession();
        assertStreamingAllocatesNothing(session, inputs(LONG),
                "bytes allocated by 10,000 StreamingSession.feed calls with a composed rule in steady state");
    }

    /** A threshold at which an early-exit pass computes about half of the forward example-steps of {@code batch}. */
    static double halfExitThreshold(InferencePass pass, SequenceBatch batch) {
        double lo = 0.5 + 1e-12;
        double hi = 1 - 1e-12;
        long target = 0;
        for (int r = 0; r < batch.batchSize(); r++) {
            target += batch.length(r);
        }
        target /= 2;
        for (int i = 0; i < 60; i++) {
            double mid = (lo + hi) / 2;
            if (pass.earlyExit(batch, mid).forwardExampleSteps() < target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    // ------------------------------------------------------------------ streaming

    @Test
    void streamingFeedAllocatesNothingBeforeTheDecision() {
        // weights in [-1, 1], hidden 13: |z| <= 14, so p stays far below this threshold and no Decision is made
        RankCodingNetwork net = RcTestSupport.network(INPUT, HIDDEN, 2, HeadType.BINARY_SIGMOID, 2, 3, 1.0);
        StreamingSession session = new RankCodingModel(net, 1 - 1e-12).newSession();
        double[][] inputs = inputs(LONG);
        assertStreamingAllocatesNothing(session, inputs,
                "bytes allocated by 10,000 StreamingSession.feed calls (and 250 resets) in steady state");
    }

    /**
     * Feeds {@code inputs} (which must be {@link #LONG} steps long) through {@code session} 250 times, resetting before
     * each stream, and asserts that the workload neither decides nor allocates in steady state.
     */
    private static void assertStreamingAllocatesNothing(StreamingSession session, double[][] inputs, String bytesMessage) {
        Runnable streams = () -> {
            for (int s = 0; s < 250; s++) { // 10,000 feeds, a new stream every 40
                session.reset();
                for (double[] x : inputs) {
                    session.feed(x);
                }
            }
        };
        long bytes = Allocation.minBytes(streams, 5, MAX_ROUNDS);
        assertNull(session.decision(), "the workload must not decide (a Decision is the one allocation per stream)");
        assertEquals(LONG, session.steps());
        assertEquals(0, bytes, bytesMessage);
    }

    @ParameterizedTest(name = "integrating {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void streamingFeedWithAFrontEndAllocatesNothing(boolean integrate) {
        RankCodingNetwork net = RcTestSupport.network(FRONT.withIntegration(integrate), HIDDEN, 2, HeadType.BINARY_SIGMOID, 2, 5, 1.0);
        StreamingSession session = new RankCodingModel(net, 1 - 1e-12).newSession();
        SplittableRandom rng = new SplittableRandom(78);
        double[][] inputs = new double[LONG][FRONT.inputSize()];
        for (double[] row : inputs) {
            for (int i = 0; i < row.length; i++) {
                row[i] = rng.nextDouble() < 0.33 ? 0.0 : RcTestSupport.gaussian(rng);
            }
        }
        assertStreamingAllocatesNothing(session, inputs,
                "bytes allocated by 10,000 StreamingSession.feed calls through a front end in steady state");
    }

    @Test
    void streamingFeedAllocatesNothingAfterTheDecision() {
        RankCodingNetwork net = RcTestSupport.network(INPUT, HIDDEN, 1, HeadType.BINARY_SIGMOID, 2, 4, 1.0);
        StreamingSession session = new RankCodingModel(net, 0.5 + 1e-9).newSession();
        double[][] inputs = inputs(LONG);
        assertNotNull(session.feed(inputs[0]), "the workload must decide at its first step");
        Runnable feeds = () -> {
            for (int s = 0; s < 250; s++) { // 10,000 feeds of one long stream that has decided
                for (double[] x : inputs) {
                    session.feed(x);
                }
            }
        };
        long bytes = Allocation.minBytes(feeds, 5, MAX_ROUNDS);
        assertEquals(1, session.decision().step());
        assertEquals(0, bytes, "bytes allocated by 10,000 StreamingSession.feed calls after the decision, in steady state");
    }

    private static double[][] inputs(int steps) {
        SplittableRandom rng = new SplittableRandom(77);
        double[][] x = new double[steps][INPUT];
        for (double[] row : x) {
            for (int i = 0; i < INPUT; i++) {
                row[i] = RcTestSupport.gaussian(rng);
            }
        }
        return x;
    }

    // ------------------------------------------------------------------ counting

    /** The current thread's allocated bytes, via {@code com.sun.management.ThreadMXBean}. */
    static final class Allocation {
        private static final Object BEAN;
        private static final MethodHandle ALLOCATED;
        /** What a measurement of nothing reports (the counter's own cost), subtracted from every measurement. */
        private static final long OVERHEAD;

        static {
            try {
                BEAN = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
                Class<?> type = Class.forName("com.sun.management.ThreadMXBean");
                Boolean supported = (Boolean) type.getMethod("isThreadAllocatedMemorySupported").invoke(BEAN);
                Boolean enabled = (Boolean) type.getMethod("isThreadAllocatedMemoryEnabled").invoke(BEAN);
                if (!supported || !enabled) {
                    throw new IllegalStateException("this JVM does not count allocated bytes per thread");
                }
                ALLOCATED = MethodHandles.publicLookup()
                        .findVirtual(type, "getThreadAllocatedBytes", MethodType.methodType(long.class, long.class))
                        .asType(MethodType.methodType(long.class, Object.class, long.class));
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
            long min = Long.MAX_VALUE;
            for (int i = 0; i < 20_000; i++) {
                long a = now();
                long b = now();
                min = Math.min(min, b - a);
            }
            OVERHEAD = min;
        }

        private Allocation() {
        }

        private static long now() {
            try {
                return (long) ALLOCATED.invokeExact(BEAN, Thread.currentThread().getId());
            } catch (Throwable t) {
                throw new IllegalStateException("reading the allocated bytes failed", t);
            }
        }

        /** Bytes the current thread allocates while running {@code work} once. */
        static long bytes(Runnable work) {
            long before = now();
            work.run();
            return now() - before - OVERHEAD;
        }

        /**
         * The fewest bytes {@code work} allocated in one round, over up to {@code maxRounds} rounds after
         * {@code warmupRounds} unmeasured ones; stops at the first round that allocates nothing.
         */
        static long minBytes(Runnable work, int warmupRounds, int maxRounds) {
            for (int i = 0; i < warmupRounds; i++) {
                work.run();
            }
            long min = Long.MAX_VALUE;
            long start = System.nanoTime();
            for (int round = 0; patient(round, maxRounds, start) && min > 0; round++) {
                min = Math.min(min, bytes(work));
            }
            return min;
        }

        /**
         * Whether a measurement that has not met its bound takes round {@code round}: the first {@code maxRounds}, then
         * more until {@link #PATIENCE_NANOS} have passed since {@code startNanos}.
         */
        static boolean patient(int round, int maxRounds, long startNanos) {
            return round < maxRounds || System.nanoTime() - startNanos < PATIENCE_NANOS;
        }
    }
}
