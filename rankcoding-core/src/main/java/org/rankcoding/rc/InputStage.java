package org.rankcoding.rc;

import org.rankcoding.nn.ConvFrontEnd;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.nn.compute.SparseRows;

/**
 * Turns the active rows' inputs at one step into the first LSTM layer's input in the step's slot: dense vectors
 * copied as they are; sparse events gathered per row (read by the first layer itself when there is no front end);
 * or, with a convolutional front end, its features of the step's input, or of the running sum of the inputs so far
 * when the front end integrates. The running sum of a dense input is kept per active row and carried with the row's
 * state when rows leave (one addition per step); a sparse input's sum is its events so far.
 */
final class InputStage {

    private final ConvFrontEnd frontEnd;
    private final ConvFrontEnd.Workspace workspace;
    private final boolean integrate;
    private final int inputSize;
    private final StepTape tape;
    private final ActiveRows rows;
    private boolean sparse;

    /**
     * @param workspace the front end's workspace (forward only for inference), or null when the network has no front end
     */
    InputStage(RankCodingNetwork network, ConvFrontEnd.Workspace workspace, StepTape tape, ActiveRows rows) {
        this.frontEnd = network.hasFrontEnd() ? network.frontEnd() : null;
        this.workspace = workspace;
        this.integrate = frontEnd != null && frontEnd.config().integrate();
        this.inputSize = network.config().inputSize();
        this.tape = tape;
        this.rows = rows;
    }

    /** Copies the front end's current weights into the workspace (no-op without a front end). */
    void prepare() {
        if (frontEnd != null) {
            frontEnd.prepare(workspace);
        }
    }

    /** The front end's workspace (the one its backward pass must use too), or null without a front end. */
    ConvFrontEnd.Workspace frontWorkspace() {
        return workspace;
    }

    /** Starts a pass over {@code in}. */
    void begin(StepInputs in) {
        this.sparse = in.isSparse();
    }

    /** Whether the inputs of the current pass are sparse events. */
    boolean sparse() {
        return sparse;
    }

    /** Whether the first LSTM layer reads the sparse events itself (sparse input and no front end). */
    boolean sparseFirstLayer() {
        return sparse && frontEnd == null;
    }

    /** Loads the inputs of slot {@code s}'s active rows at 0-based step {@code t}. */
    void load(StepInputs in, int t, int s) {
        int n = rows.count(s);
        double[] x = tape.step(0, s).x();
        if (sparse) {
            if (integrate) {
                rows.gatherEventsSoFar(in, t, s);
            } else {
                rows.gatherEvents(in, t, s);
            }
            if (frontEnd != null) {
                SparseRows ev = rows.events(s);
                frontEnd.forwardSparse(n, ev.start(), ev.indices(), workspace, x, tape.front(s));
            }
            return;
        }
        double[] dense = frontEnd == null ? x : tape.raw(s);
        loadDense(in, t, s, dense);
        if (frontEnd != null) {
            frontEnd.forwardDense(n, dense, workspace, x, tape.front(s));
        }
    }

    /** Writes the dense inputs (or, integrating, adds them to the carried running sums) of slot {@code s}'s rows. */
    private void loadDense(StepInputs in, int t, int s, double[] dst) {
        int n = rows.count(s);
        int[] active = rows.rows(s);
        double[] src = in.dense();
        int size = inputSize;
        boolean add = integrate && t > 0;
        for (int j = 0; j < n; j++) {
            int o = in.denseOffset(t, active[j]);
            if (add) {
                int d = j * size;
                for (int i = 0; i < size; i++) {
                    dst[d + i] += src[o + i];
                }
            } else {
                System.arraycopy(src, o, dst, j * size, size);
            }
        }
    }

    /** Row {@code from} of slot {@code s} stays as row {@code to} of slot {@code next}: carries its running input sum. */
    void carry(int s, int next, int from, int to) {
        if (integrate && !sparse) {
            tape.carryRaw(s, next, from, to);
        }
    }
}
