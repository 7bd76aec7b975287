package org.rankcoding.infer;

import org.rankcoding.nn.Lstm;
import org.rankcoding.nn.OutputHead;

import java.util.Arrays;
import java.util.List;

/**
 * Early-exit inference on one stream: feed one time step at a time and get the decision the moment the
 * first spike happens.
 *
 * <p>Call order: {@link #feed} once per step; it returns {@link #UNDECIDED} (no allocation) until the step
 * whose output crosses the threshold, which returns the {@link Decision}. Later steps may still be fed (to
 * compare with a decision at the end of the sequence); they keep returning that first decision, while
 * {@link #currentPrediction()} and {@link #currentProbabilities} follow the latest step. {@link #finish()}
 * forces a decision at the last step fed for a stream that ends without a spike. {@link #reset()} starts a new
 * stream. A session is confined to one thread; steady-state {@code feed} calls allocate nothing.
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
    private int steps;
    private long startNanos;
    private Decision decision;

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
    }

    /**
     * Feeds the next step's input.
     *
     * @param input the step's input vector, length {@code inputSize}, finite values (read, not kept)
     * @return the decision if the stream has decided (at this step or before), else {@link #UNDECIDED}
     * @throws IllegalArgumentException for a wrong length or a non-finite value
     */
    public Decision feed(double[] input) {
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
     * The decision, forcing one at the last step fed if the stream has not spiked.
     *
     * @throws IllegalStateException if no step was fed
     */
    public Decision finish() {
        if (steps == 0) {
            throw new IllegalStateException("no step was fed; feed at least one step before finishing");
        }
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

    /** Copies the probabilities of the latest step into {@code out} (length = head outputs). */
    public void currentProbabilities(double[] out) {
        System.arraycopy(p, 0, out, 0, p.length);
    }

    /** Forgets the stream: the next {@link #feed} is step 1 of a new stream. */
    public void reset() {
        steps = 0;
        decision = null;
        for (int l = 0; l < layers.length; l++) {
            Arrays.fill(h[l], 0.0);
            Arrays.fill(c[l], 0.0);
        }
        Arrays.fill(p, 0.0);
    }
}
