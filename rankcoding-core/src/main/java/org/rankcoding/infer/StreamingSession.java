package org.rankcoding.infer;

import org.rankcoding.nn.OutputHead;
import org.rankcoding.rc.NonFiniteOutputException;
import org.rankcoding.rc.StreamStepper;

import java.util.Objects;

/**
 * Early-exit inference on one stream: feed one time step at a time and get the decision the moment the
 * first spike happens.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #feed} once per step; it returns {@link #UNDECIDED} ({@code null}, no allocation) until the step
 *       at which the model's decision rule fires (threshold crossing: its output crosses the threshold), and that very call returns the {@link Decision} (its step is the
 *       number of steps fed so far, {@link Decision#spiked()} is true, and its time is measured from the start of
 *       the first {@code feed} to the end of this one's computation).</li>
 *   <li>Later steps may still be fed, to run the stream to its end for a comparison with an end-of-sequence
 *       decision: they keep returning that first decision, while {@link #currentPrediction()} and
 *       {@link #currentProbabilities} follow the latest step.</li>
 *   <li>{@link #finish()} ends the stream: it returns the decision, forcing one at the last step fed
 *       ({@link Decision#spiked()} false) if the stream did not spike. A finished stream takes no more steps.</li>
 *   <li>{@link #reset()} starts a new stream, at any point.</li>
 * </ul>
 * This is the decision {@link RankCodingModel#classify} makes for each row of a batch: both run the same forward
 * step and decision rule ({@link StreamStepper} is the one-row form of the batch inference). A session is confined
 * to one thread (create one per stream or per thread; they are cheap: a few arrays of the hidden size per layer, plus,
 * when the model has a front end, a copy of its filters, an image-sized map per channel and, if it integrates, the
 * running input sum; no copy of the LSTM weights); steady-state {@code feed} calls allocate nothing.
 */
public final class StreamingSession {

    /** Returned by {@link #feed} while no decision has been made. */
    public static final Decision UNDECIDED = null;

    private final OutputHead head;
    private final int inputSize;
    private final StreamStepper stepper;
    private final String source;
    private long startNanos;
    private Decision decision;
    private boolean finished;

    StreamingSession(RankCodingModel model) {
        this.head = model.network().head();
        this.inputSize = model.config().inputSize();
        this.stepper = new StreamStepper(model.network(), model.kernels(), model.weights(), model.rule());
        this.source = model.source();
    }

    /**
     * Feeds the next step's input.
     *
     * @param input the step's input vector, length {@code inputSize}, finite values (read, not kept)
     * @return the decision if the stream has decided (at this step or before), else {@link #UNDECIDED}
     * @throws IllegalArgumentException for a wrong length or a non-finite value
     * @throws IllegalStateException    if the stream was {@linkplain #finish() finished} (and not reset since)
     * @throws NonFiniteOutputException if the step's probabilities are not finite (naming the step and the model's
     *                                  {@linkplain RankCodingModel#source() source})
     */
    public Decision feed(double[] input) {
        Objects.requireNonNull(input, "input is null");
        if (finished) {
            throw new IllegalStateException("the stream was finished at step " + stepper.steps() + "; call reset() to start a new one");
        }
        if (input.length != inputSize) {
            throw new IllegalArgumentException("input has " + input.length + " values, the model expects " + inputSize);
        }
        for (int i = 0; i < inputSize; i++) {
            if (!Double.isFinite(input[i])) {
                throw new IllegalArgumentException("input " + i + " at step " + (stepper.steps() + 1) + " is " + input[i] + ", expected a finite value");
            }
        }
        if (stepper.steps() == 0) {
            startNanos = System.nanoTime();
        }
        boolean spiked = step(input);
        if (spiked && decision == null) {
            double[] p = stepper.probabilities();
            decision = new Decision(head.predict(p, 0), stepper.steps(), true, p, System.nanoTime() - startNanos);
        }
        return decision;
    }

    private boolean step(double[] input) {
        try {
            return stepper.feed(input);
        } catch (NonFiniteOutputException e) {
            throw e.from(source);
        }
    }

    /**
     * Ends the stream and returns its decision: the first spike's, or one forced at the last step fed if the stream
     * has not spiked ({@code spiked} false, the time from the first feed to this call, and the answer of the model's
     * rule for an undecided sequence, {@link org.rankcoding.rc.UndecidedAnswer}: by default the prediction and
     * probabilities of the last step). Calling it again returns the same decision; {@link #feed} then throws
     * until {@link #reset()}.
     *
     * @throws IllegalStateException if no step was fed
     */
    public Decision finish() {
        if (stepper.steps() == 0) {
            throw new IllegalStateException("no step was fed; feed at least one step before finishing");
        }
        finished = true;
        if (decision == null) {
            double[] p = new double[head.outputs()];
            stepper.undecidedAnswer(p);
            decision = new Decision(head.predict(p, 0), stepper.steps(), false, p, System.nanoTime() - startNanos);
        }
        return decision;
    }

    /** The decision so far, or {@link #UNDECIDED}. */
    public Decision decision() {
        return decision;
    }

    /** Number of steps fed since the last reset. */
    public int steps() {
        return stepper.steps();
    }

    /** The prediction at the latest step fed (-1 before the first step). */
    public int currentPrediction() {
        return stepper.steps() == 0 ? -1 : head.predict(stepper.probabilities(), 0);
    }

    /**
     * Copies the head's probabilities at the latest step fed into {@code out[0 .. outputs)} (one value for the binary
     * head, one per class otherwise; zeros before the first step).
     *
     * @throws IllegalArgumentException if {@code out} is shorter than the head's outputs
     */
    public void currentProbabilities(double[] out) {
        Objects.requireNonNull(out, "out is null");
        double[] p = stepper.probabilities();
        if (out.length < p.length) {
            throw new IllegalArgumentException("out has " + out.length + " values, the head has " + p.length + " outputs");
        }
        System.arraycopy(p, 0, out, 0, p.length);
    }

    /** Forgets the stream (decided, finished or not): the next {@link #feed} is step 1 of a new stream. */
    public void reset() {
        stepper.reset();
        decision = null;
        finished = false;
    }
}
