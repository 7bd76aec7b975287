package org.rankcoding.rc;

import org.rankcoding.nn.compute.LstmSteps;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.nn.ConvFrontEnd;
import org.rankcoding.nn.Lstm;
import org.rankcoding.nn.compute.LstmBackwardStep;
import org.rankcoding.nn.compute.LstmStep;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.nn.compute.SparseRows;
import org.rankcoding.nn.compute.WeightGradientBatch;

import java.util.Arrays;

/**
 * Back-propagation through time over a full {@link StepTape}, each row starting at its own decision step (where its
 * loss gradient enters the top layer) and going back at most {@code horizon} steps. Because the active sets only
 * shrink, the block of step {@code t} holds exactly the rows whose backward pass visits step {@code t}, so the backward
 * pass runs on the forward's compacted blocks in reverse, or on a selection of their rows when a horizon cuts some
 * rows short. Gradients are added into {@link GradientAccumulators}. Allocates nothing per step; not thread-safe.
 */
final class BackwardDriver {

    private final MatrixKernels kernels;
    private final Lstm[] layers;
    private final int top;
    private final int hidden;
    private final int firstInput;
    private final boolean firstLayerInputGradient;
    private final NetworkWeights weights;
    private final StepTape tape;
    private final ActiveRows rows;
    private final InputStage input;
    private final GradientAccumulators gradients;
    private final ConvFrontEnd frontEnd;
    private final ConvFrontEnd.Workspace frontWorkspace;
    private final SparseRows byInput = new SparseRows(0);
    private LstmBackwardStep[] steps;
    /**
     * Each layer's deferred weight-gradient products (read through {@link #deferred(int)}); the first layer's (index 0)
     * for dense input, with {@code sparseFirst} for sparse events, each made when first needed.
     */
    private final WeightGradientBatch[] deferred;
    private WeightGradientBatch sparseFirst;
    private int capRows = -1;
    /** The rows of the current backward step (batch rows), their positions in the forward block, and those of the step after. */
    private int[] backRows;
    private int[] forwardIdx;
    private int[] prevRows;
    /** Position of each batch row in the previous (later) backward step's block, or -1. */
    private int[] posPrev;
    private long exampleSteps;
    private HiddenDropout dropout = HiddenDropout.NONE;

    BackwardDriver(RankCodingNetwork network, MatrixKernels kernels, NetworkWeights weights, StepTape tape, ActiveRows rows,
                   InputStage input, GradientAccumulators gradients) {
        this.kernels = kernels;
        this.layers = network.layers().toArray(new Lstm[0]);
        this.top = layers.length - 1;
        this.hidden = network.config().hiddenSize();
        this.firstInput = layers[0].inputSize();
        this.frontEnd = network.hasFrontEnd() ? network.frontEnd() : null;
        this.firstLayerInputGradient = frontEnd != null;
        this.weights = weights;
        this.tape = tape;
        this.rows = rows;
        this.input = input;
        this.gradients = gradients;
        this.frontWorkspace = input.frontWorkspace();
        this.steps = new LstmBackwardStep[layers.length];
        this.deferred = new WeightGradientBatch[layers.length];
    }

    /** Sets the dropout between layers of the following passes (the forward pass's). */
    void dropout(HiddenDropout d) {
        this.dropout = d;
    }

    /** Example-steps computed by the last {@link #run}. */
    long exampleSteps() {
        return exampleSteps;
    }

    private void ensure(int n) {
        if (n <= capRows) {
            return;
        }
        capRows = Math.max(n, capRows + capRows / 2);
        for (int l = 0; l <= top; l++) {
            int in = layers[l].inputSize();
            steps[l] = l > 0 || firstLayerInputGradient
                    ? LstmBackwardStep.withInputGradient(capRows, in, hidden)
                    : LstmBackwardStep.withoutInputGradient(capRows, in, hidden);
            deferred[l] = l == 0 ? null : WeightGradientBatch.forDenseInput(deferredRows(), in, hidden);
        }
        sparseFirst = null;
        backRows = new int[capRows];
        forwardIdx = new int[capRows];
        prevRows = new int[capRows];
        posPrev = new int[capRows];
    }

    /**
     * Back-propagates rows {@code [from, to)} of a batch of {@code batchSize} rows after the forward pass whose outcomes
     * are {@code outcomes}, with the loss gradients {@code loss} and the prefix term {@code prefix} (when active).
     */
    void run(RowOutcomes outcomes, DecisionLoss loss, PrefixLoss prefix, int batchSize, int from, int to, int horizon) {
        ensure(batchSize);
        exampleSteps = 0;
        for (int l = 0; l <= top; l++) {
            deferred(l).clear();
        }
        Arrays.fill(posPrev, from, to, -1);
        int nPrev = 0;
        for (int t = outcomes.forwardSteps() - 1; t >= 0; t--) {
            int s = tape.slot(t);
            int nb = selectRows(outcomes, s, t, horizon);
            seed(outcomes, loss, t, nb);
            if (prefix.active() && nb > 0) {
                prefix.addStep(tape.step(top, s), outcomes, backRows, forwardIdx, nb, steps[top].dh());
            }
            for (int jb = 0; jb < nPrev; jb++) {
                posPrev[prevRows[jb]] = -1;
            }
            for (int jb = 0; jb < nb; jb++) {
                posPrev[backRows[jb]] = jb;
                prevRows[jb] = backRows[jb];
            }
            nPrev = nb;
            if (nb > 0) {
                exampleSteps += nb;
                stepLayers(s, nb);
            }
        }
        for (int l = 0; l <= top; l++) {
            deferred(l).flush(kernels, gradients.layer(l));
        }
    }

    /** Rows a deferred batch holds: {@link WeightGradientBatch#ROWS}, or the row capacity if larger. */
    private int deferredRows() {
        return Math.max(capRows, WeightGradientBatch.ROWS);
    }

    /**
     * Layer {@code l}'s deferred weight-gradient products for the current pass's kind of input; the first layer's are
     * made on first use for each kind.
     */
    private WeightGradientBatch deferred(int l) {
        if (l > 0) {
            return deferred[l];
        }
        if (input.sparseFirstLayer()) {
            if (sparseFirst == null) {
                sparseFirst = WeightGradientBatch.forSparseInput(deferredRows(), firstInput, hidden);
            }
            return sparseFirst;
        }
        if (deferred[0] == null) {
            deferred[0] = WeightGradientBatch.forDenseInput(deferredRows(), firstInput, hidden);
        }
        return deferred[0];
    }

    /** Selects the rows of slot {@code s} (step {@code t}) whose backward pass visits the step; returns their number. */
    private int selectRows(RowOutcomes outcomes, int s, int t, int horizon) {
        int n = rows.count(s);
        int[] active = rows.rows(s);
        int nb = 0;
        for (int j = 0; j < n; j++) {
            int r = active[j];
            if ((long) outcomes.decisionStep(r) - 1 - t < horizon) {
                backRows[nb] = r;
                forwardIdx[nb] = j;
                nb++;
            }
        }
        return nb;
    }

    /** Seeds each layer's incoming gradients: carried from the step after, the loss where a row decided, else zero. */
    private void seed(RowOutcomes outcomes, DecisionLoss loss, int t, int nb) {
        double[] dhLoss = loss.hiddenGradients();
        for (int l = 0; l <= top; l++) {
            LstmBackwardStep b = steps[l];
            for (int jb = 0; jb < nb; jb++) {
                int r = backRows[jb];
                int pp = posPrev[r];
                if (pp >= 0) {
                    b.seedCarried(jb, pp);
                } else if (l == top && outcomes.decisionStep(r) - 1 == t) {
                    b.seedHidden(jb, dhLoss, r * hidden);
                } else {
                    b.seedZero(jb);
                }
            }
        }
    }

    /** The backward step of every layer, top to bottom, on the {@code nb} selected rows of slot {@code s}. */
    private void stepLayers(int s, int nb) {
        for (int l = top; l >= 0; l--) {
            LstmBackwardStep b = steps[l];
            if (everyRow(s, nb)) {
                b.selectAll(nb);
            } else {
                b.select(nb, forwardIdx);
            }
            if (l < top) {
                if (dropout.active()) {
                    dropout.backward(l, steps[l + 1].dx(), nb, backRows);
                }
                b.addToHidden(steps[l + 1].dx());
            }
            LstmStep forward = tape.step(l, s);
            WeightGradientBatch d = deferred(l);
            if (!d.fits(nb, forward.hasPreviousState())) {
                d.flush(kernels, gradients.layer(l));
            }
            if (l == 0 && input.sparseFirstLayer()) {
                b.gatherRecurrentInput(forward);
                events(s, nb).transposeInto(nb, firstInput, byInput);
                LstmSteps.backwardSparse(kernels, forward, b, byInput, weights.layer(0), gradients.layer(0), d);
            } else {
                b.gatherInputs(forward);
                LstmSteps.backward(kernels, forward, b, weights.layer(l), gradients.layer(l), d);
                if (l == 0 && frontEnd != null) {
                    backwardFrontEnd(s, nb, b.dx());
                }
            }
            b.carryToPreviousStep();
        }
    }

    /** The sparse events of the selected rows of slot {@code s}, in gradient-row order. */
    private SparseRows events(int s, int nb) {
        return everyRow(s, nb) ? rows.events(s) : rows.selectEvents(s, forwardIdx, nb);
    }

    /** Whether the {@code nb} selected rows are all the rows of slot {@code s} (then in the forward block's order). */
    private boolean everyRow(int s, int nb) {
        return nb == rows.count(s);
    }

    /** Accumulates the front end's gradients from the first layer's input gradient {@code dx} of slot {@code s}. */
    private void backwardFrontEnd(int s, int nb, double[] dx) {
        // forwardIdx holds each gradient row's position in the forward block (0, 1, ... when every row is selected)
        if (input.sparse()) {
            SparseRows ev = events(s, nb);
            frontEnd.backwardSparse(nb, forwardIdx, ev.start(), ev.indices(), dx, tape.front(s), frontWorkspace,
                    gradients.frontEnd());
        } else {
            frontEnd.backwardDense(nb, forwardIdx, tape.raw(s), dx, tape.front(s), frontWorkspace, gradients.frontEnd());
        }
    }
}
