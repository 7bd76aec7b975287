package org.rankcoding.infer;

import org.rankcoding.nn.ConvFrontEnd;
import org.rankcoding.nn.Lstm;
import org.rankcoding.nn.OutputHead;

import java.util.Arrays;
import java.util.List;

/**
 * Early-exit inference on one stream: feed one time step at a time and get the decision the moment the
 * first spike happens.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #feed} once per step; it returns {@link #UNDECIDED} ({@code null}, no allocation) until the step
 *       whose output crosses the threshold, and that very call returns the {@link Decision} (its step is the
 *       number of steps fed so far, {@link Decision#spiked()} is true, and its time is measured from the start of
 *       the first {@code feed} to the end of this one's computation).</li>
 *   <li>Later steps may still be fed, to run the stream to its end for a comparison with an end-of-sequence
 *       decision: they keep returning that first decision, while {@link #currentPrediction()} and
 *       {@link #currentProbabilities} follow the latest step.</li>
 *   <li>{@link #finish()} ends the stream: it returns the decision, forcing one at the last step fed
 *       ({@link Decision#spiked()} false) if the stream did not spike. A finished stream takes no more steps.</li>
 *   <li>{@link #reset()} starts a new stream, at any point.</li>
 * </ul>
 * This is the decision {@link RankCodingModel#classify} makes for each row of a batch. A session is confined to one
 * thread (create one per stream or per thread; they are cheap: a few arrays of the hidden size per layer, plus,
 * when the model has a front end, a copy of its filters, an image-sized map per channel and, if it integrates, the running
 * input sum; no copy of the LSTM
 * weights); steady-state {@code feed} calls allocate nothing.
 */
public final class StreamingSession {

    /** Returned by {@link #feed} while no decision has been made. */
    public static final Decision UNDECIDED = null;

    private final RankCodingModel model;
    private final Lstm[] layers;
    private final OutputHead head;
    private final int hidden;
    private final int inputSize;
    private final double[][] h;
    private final double[][] c;
    private final double[][] hNext;
    private final double[][] cNext;
    private final double[] gates;
    private final double[] tanhC;
    private final double[] z;
    private final double[] p;
    /** The model's convolutional front end and this session's buffers for it, or nulls without one. */
    private final ConvFrontEnd frontEnd;
    private final ConvFrontEnd.Workspace frontWs;
    private final double[] features;
    private final ConvFrontEnd.Tape frontTape;
    /** The running sum of the inputs fed, for an integrating front end; else null. */
    private final double[] inputSum;
    private int steps;
    private long startNanos;
    private Decision decision;
    private boolean finished;

    StreamingSession(RankCodingModel model) {
        this.model = model;
        List<Lstm> list = model.network().layers();
        this.layers = list.toArray(new Lstm[0]);
        this.head = model.network().head();
        this.hidden = model.config().hiddenSize();
        this.inputSize = model.config().inputSize();
        this.h = new double[layers.length][hidden];
        this.c = new double[layers.length][hidden];
        this.hNext = new double[layers.length][hidden];
        this.cNext = new double[layers.length][hidden];
        this.gates = new double[4 * hidden];
        this.tanhC = new double[hidden];
        this.z = new double[head.outputs()];
        this.p = new double[head.outputs()];
        this.frontEnd = model.network().hasFrontEnd() ? model.network().frontEnd() : null;
        this.frontWs = frontEnd == null ? null : frontEnd.newInferenceWorkspace(model.kernels());
        this.features = frontEnd == null ? null : new double[frontEnd.outputSize()];
        this.frontTape = frontEnd == null ? null : frontEnd.newTape(1);
        this.inputSum = frontEnd != null && frontEnd.config().integrate() ? new double[inputSize] : null;
        if (frontEnd != null) {
            frontEnd.prepare(frontWs);
        }
    }

    /**
     * Feeds the next step's input.
     *
     * @param input the step's input vector, length {@code inputSize}, finite values (read, not kept)
     * @return the decision if the stream has decided (at this step or before), else {@link #UNDECIDED}
     * @throws IllegalArgumentException for a wrong length or a non-finite value
     * @throws IllegalStateException    if the stream was {@linkplain #finish() finished} (and not reset since)
     */
    public Decision feed(double[] input) {
        if (finished) {
            throw new IllegalStateException("the stream was finished at step " + steps + "; call reset() to start a new one");
        }
        if (input.length != inputSize) {
            throw new IllegalArgumentException("input has " + input.length + " values, the model expects " + inputSize);
        }
        for (int i = 0; i < inputSize; i++) {
            if (!Double.isFinite(input[i])) {
                throw new IllegalArgumentException("input " + i + " at step " + (steps + 1) + " is " + input[i] + ", expected a finite value");
            }
        }
        if (steps == 0) {
            startNanos = System.nanoTime();
        }
        double[] x = input;
        if (frontEnd != null) {
            if (inputSum != null) {
                for (int i = 0; i < inputSize; i++) {
                    inputSum[i] = (steps == 0 ? 0.0 : inputSum[i]) + input[i];
                }
            }
            frontEnd.forwardDense(1, inputSum != null ? inputSum : input, frontWs, features, frontTape);
            x = features;
        }
        for (int l = 0; l < layers.length; l++) {
            layers[l].forwardStep(model.kernels(), 1, x, model.weights(l),
                    steps == 0 ? null : h[l], steps == 0 ? null : c[l], gates, tanhC, cNext[l], hNext[l]);
            x = hNext[l];
        }
        for (int l = 0; l < layers.length; l++) {
            double[] t = h[l];
            h[l] = hNext[l];
            hNext[l] = t;
            t = c[l];
            c[l] = cNext[l];
            cNext[l] = t;
        }
        steps++;
        model.network().readout().forward(1, h[layers.length - 1], z);
        head.probabilities(z, 0, p, 0);
        if (decision == null && model.detector().spikes(p, 0)) {
            decision = new Decision(head.predict(p, 0), steps, true, p, System.nanoTime() - startNanos);
        }
        return decision;
    }

    /**
     * Ends the stream and returns its decision: the first spike's, or one forced at the last step fed (with the
     * prediction and probabilities of that step, {@code spiked} false, and the time from the first feed to this
     * call) if the stream has not spiked. Calling it again returns the same decision; {@link #feed} then throws
     * until {@link #reset()}.
     *
     * @throws IllegalStateException if no step was fed
     */
    public Decision finish() {
        if (steps == 0) {
            throw new IllegalStateException("no step was fed; feed at least one step before finishing");
        }
        finished = true;
        if (decision == null) {
            decision = new Decision(head.predict(p, 0), steps, false, p, System.nanoTime() - startNanos);
        }
        return decision;
    }

    /** The decision so far, or {@link #UNDECIDED}. */
    public Decision decision() {
        return decision;
    }

    /** Number of steps fed since the last reset. */
    public int steps() {
        return steps;
    }

    /** The prediction at the latest step fed (-1 before the first step). */
    public int currentPrediction() {
        return steps == 0 ? -1 : head.predict(p, 0);
    }

    /**
     * Copies the head's probabilities at the latest step fed into {@code out[0 .. outputs)} (one value for the binary
     * head, one per class otherwise; zeros before the first step).
     *
     * @throws IllegalArgumentException if {@code out} is shorter than the head's outputs
     */
    public void currentProbabilities(double[] out) {
        if (out.length < p.length) {
            throw new IllegalArgumentException("out has " + out.length + " values, the head has " + p.length + " outputs");
        }
        System.arraycopy(p, 0, out, 0, p.length);
    }

    /** Forgets the stream (decided, finished or not): the next {@link #feed} is step 1 of a new stream. */
    public void reset() {
        steps = 0;
        decision = null;
        finished = false;
        for (int l = 0; l < layers.length; l++) {
            Arrays.fill(h[l], 0.0);
            Arrays.fill(c[l], 0.0);
        }
        Arrays.fill(p, 0.0);
    }
}
