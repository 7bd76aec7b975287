package org.rankcoding.rc;

import org.rankcoding.nn.compute.LstmSteps;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.nn.Linear;
import org.rankcoding.nn.Lstm;
import org.rankcoding.nn.compute.LstmStep;
import org.rankcoding.nn.OutputHead;
import org.rankcoding.nn.RankCodingNetwork;

/**
 * The forward pass, step by step, shared by training, batch inference and streaming: at each step, the active rows'
 * inputs ({@link InputStage}), the LSTM layers, the readout and the head on the compacted block of active rows; then,
 * for each row, the {@link DecisionRule} and the row's end decide whether it leaves (its outcome recorded in
 * {@link RowOutcomes}, and handed to a {@link DecisionListener}) or stays (its state carried to the next slot).
 *
 * <p>Rows leave at their decision ({@link Exit#AT_DECISION}: at their first spike or their end) or run to their end
 * ({@link Exit#AT_END}: the first spike is still recorded). The pass ends when no row is left. Allocates nothing per
 * step; not thread-safe.
 */
final class ForwardDriver {

    /** When rows leave the computation. */
    enum Exit {
        /** At the first spike, or at the row's end if it never spikes (early exit). */
        AT_DECISION,
        /** At the row's end (the first spike is recorded, the row keeps running). */
        AT_END
    }

    /**
     * Told about each row when it decides: the loss of a training pass is taken there, and an inference pass checks
     * that the probabilities are finite ({@link NonFiniteOutputException}).
     */
    interface DecisionListener {
        /** Does nothing. */
        DecisionListener NONE = (j, row, z, p) -> { };

        /**
         * Row {@code row}, at position {@code j} of the step's block, decided: its readout is {@code z[j * K ..]} and its
         * probabilities {@code p[j * K ..]} ({@code K = head.outputs()}); the tape's top state holds its hidden state.
         */
        void decided(int j, int row, double[] z, double[] p);
    }

    private final MatrixKernels kernels;
    private final Lstm[] layers;
    private final Linear readout;
    private final OutputHead head;
    private final int outputs;
    private final NetworkWeights weights;
    private final StepTape tape;
    private final ActiveRows rows;
    private final InputStage input;
    private final RowOutcomes outcomes;
    private double[] z = new double[0];
    private double[] p = new double[0];
    private int[] decidedNow = new int[0];
    /** The answer of a row that ended undecided ({@link DecisionRule.Tracker#undecidedAnswer}). */
    private final double[] answer;
    // the current pass
    private StepInputs inputs;
    private int stepLimit;
    private Exit exit = Exit.AT_DECISION;
    private DecisionRule.Tracker tracker;
    private StepObserver observer = StepObserver.NONE;
    private DecisionListener listener = DecisionListener.NONE;
    private HiddenDropout dropout = HiddenDropout.NONE;

    ForwardDriver(RankCodingNetwork network, MatrixKernels kernels, NetworkWeights weights, StepTape tape, ActiveRows rows,
                  InputStage input) {
        this.kernels = kernels;
        this.layers = network.layers().toArray(new Lstm[0]);
        this.readout = network.readout();
        this.head = network.head();
        this.outputs = head.outputs();
        this.weights = weights;
        this.tape = tape;
        this.rows = rows;
        this.input = input;
        this.outcomes = new RowOutcomes(outputs);
        this.answer = new double[outputs];
    }

    /** What the passes found, per row. */
    RowOutcomes outcomes() {
        return outcomes;
    }

    /** Sets when rows leave, the rule that decides, who sees every step and who is told of each decision. */
    void configure(Exit exit, DecisionRule.Tracker tracker, StepObserver observer, DecisionListener listener) {
        this.exit = exit;
        this.tracker = tracker;
        this.observer = observer;
        this.listener = listener;
    }

    /** Sets the dropout between layers of the following passes ({@link HiddenDropout#NONE} for none). */
    void dropout(HiddenDropout d) {
        this.dropout = d;
    }

    /**
     * Starts a pass over rows {@code [from, to)} of {@code in}, each row running at most {@code stepLimit} steps.
     *
     * @param rowCapacity the number of rows indexed (the batch size)
     * @return the number of steps the longest row runs
     */
    int start(StepInputs in, int rowCapacity, int from, int to, int stepLimit) {
        int steps = 0;
        for (int r = from; r < to; r++) {
            steps = Math.max(steps, Math.min(in.length(r), stepLimit));
        }
        tape.ensure(rowCapacity, steps);
        rows.ensure(rowCapacity, tape.slots(steps));
        outcomes.ensureRows(rowCapacity);
        if (z.length < rowCapacity * outputs) {
            z = new double[rowCapacity * outputs];
            p = new double[rowCapacity * outputs];
            decidedNow = new int[rowCapacity];
        }
        dropout.requireRows(rowCapacity);
        if (dropout.active()) {
            tape.separateLowerOutputs();
        } else {
            tape.sharedLowerOutputs();
        }
        this.inputs = in;
        this.stepLimit = stepLimit;
        tracker.begin(rowCapacity);
        outcomes.begin(from, to);
        input.begin(in);
        rows.start(tape.slot(0), from, to);
        return steps;
    }

    /** Runs the started pass to its end: {@code steps} steps at most, fewer when every row has left. */
    void run(int steps) {
        for (int t = 0; t < steps; t++) {
            if (step(t) == 0) {
                return;
            }
        }
    }

    /**
     * Computes 0-based step {@code t} of the started pass for its active rows.
     *
     * @return the number of rows still active after the step
     */
    int step(int t) {
        int s = tape.slot(t);
        int n = rows.count(s);
        outcomes.countStep(n);
        input.load(inputs, t, s);
        for (int l = 0; l < layers.length; l++) {
            LstmStep st = tape.step(l, s);
            if (t == 0) {
                st.startFromZeroState();
            } else {
                st.continueFromPreviousState();
            }
            if (l == 0 && input.sparseFirstLayer()) {
                LstmSteps.forwardSparse(kernels, n, rows.events(s), st, weights.layer(0), tape.cell(0), tape.output(0, s));
            } else {
                LstmSteps.forward(kernels, n, st, weights.layer(l), tape.cell(l), tape.output(l, s));
            }
            if (l < layers.length - 1 && dropout.active()) {
                dropout.forward(l, tape.output(l, s), tape.step(l + 1, s).x(), n, rows.rows(s));
            }
        }
        readout.forward(n, tape.top(), z);
        return decideRows(t, s, n);
    }

    /** Asks each active row whether it leaves at 1-based step {@code t + 1}; compacts the rows that stay into the next slot. */
    private int decideRows(int t, int s, int n) {
        int[] active = rows.rows(s);
        int next = tape.slot(t + 1);
        rows.beginCompaction(next);
        int decided = 0;
        for (int j = 0; j < n; j++) {
            int r = active[j];
            int off = j * outputs;
            head.probabilities(z, off, p, off);
            observer.step(t + 1, r, p, off);
            if (decides(t + 1, j, r)) {
                decidedNow[decided++] = r;
            } else {
                int to = rows.keep(r);
                tape.carryState(s, next, j, to);
                input.carry(s, next, j, to);
            }
        }
        long now = System.nanoTime();
        for (int i = 0; i < decided; i++) {
            outcomes.stamp(decidedNow[i], now);
        }
        return rows.endCompaction();
    }

    /**
     * Records row {@code r}'s spike, last step and decision at {@code step}; returns whether it leaves. A row that ends
     * without a spike is answered by the rule's {@link DecisionRule.Tracker#undecidedAnswer}; the listener still sees
     * its last step's readout and probabilities (a training pass takes its loss there).
     */
    private boolean decides(int step, int j, int r) {
        int off = j * outputs;
        boolean spiked = outcomes.firstSpike(r) == SpikeTimes.NO_SPIKE && tracker.decides(r, step, p, off);
        int prediction = head.predict(p, off);
        if (spiked) {
            outcomes.spiked(r, step, prediction);
        }
        boolean last = step == Math.min(inputs.length(r), stepLimit);
        if (last) {
            outcomes.lastStep(r, prediction);
        }
        if (last || (spiked && exit == Exit.AT_DECISION)) {
            if (outcomes.firstSpike(r) == SpikeTimes.NO_SPIKE) {
                tracker.undecidedAnswer(r, p, off, answer);
                outcomes.decided(r, step, head.predict(answer, 0), answer, 0);
            } else {
                outcomes.decided(r, step, prediction, p, off);
            }
            listener.decided(j, r, z, p);
            return true;
        }
        return false;
    }

    /** The head's probabilities of the step just computed, row {@code j} of the block at {@code j * head.outputs()}. */
    double[] probabilities() {
        return p;
    }
}
