package org.rankcoding.rc;

import org.rankcoding.nn.Linear;
import org.rankcoding.nn.OutputHead;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.nn.compute.LstmStep;

/**
 * The prefix term of a training pass's loss ({@link RankCodingLoss#prefixWeight()}): at every step a row
 * back-propagates through, {@code gamma / n} times the cross-entropy of the step's output, {@code n} being the number
 * of such steps of the row. The backward pass calls it once per step, before the step's top layer runs: it recomputes
 * the step's readout from the tape (the top hidden state is {@code o * tanh(c)}, both recorded), adds the readout's
 * parameter gradients and adds the loss gradient on the hidden state to the step's incoming gradient. Allocates nothing
 * per step; not thread-safe.
 */
final class PrefixLoss {

    private final OutputHead head;
    private final Linear readout;
    private final int hidden;
    private final GradientAccumulators gradients;
    private final double[] h;
    private final double[] z;
    private final double[] p;
    private final double[] dz;
    private final double[] dh;
    private BatchInputs batch;
    private double weight;
    private double scale;
    private int horizon;
    private double sum;

    PrefixLoss(RankCodingNetwork network, GradientAccumulators gradients) {
        this.head = network.head();
        this.readout = network.readout();
        this.hidden = network.config().hiddenSize();
        this.gradients = gradients;
        this.h = new double[hidden];
        this.z = new double[head.outputs()];
        this.p = new double[head.outputs()];
        this.dz = new double[head.outputs()];
        this.dh = new double[hidden];
    }

    /**
     * Starts a pass over {@code batch} with {@code loss}'s prefix weight, each row's loss weighted by {@code scale},
     * each row back-propagating through at most {@code horizon} steps.
     */
    void begin(BatchInputs batch, RankCodingLoss loss, double scale, int horizon) {
        this.batch = batch;
        this.weight = loss.prefixWeight();
        this.scale = scale;
        this.horizon = horizon;
        this.sum = 0;
    }

    /** Whether the current pass has a prefix term. */
    boolean active() {
        return weight > 0;
    }

    /**
     * Adds the prefix term of one step for the {@code nb} rows {@code rows} (batch rows), whose records are at
     * {@code forwardIdx} in the top layer's tape step {@code top}: the loss gradient on each row's top hidden state is
     * added to row {@code jb} of {@code dhTop} ({@code H} values at {@code jb * H}).
     */
    void addStep(LstmStep top, RowOutcomes outcomes, int[] rows, int[] forwardIdx, int nb, double[] dhTop) {
        double[] gates = top.gates();
        double[] tanhC = top.tanhC();
        double[] gW = gradients.readoutWeight();
        double[] gb = gradients.readoutBias();
        for (int jb = 0; jb < nb; jb++) {
            int r = rows[jb];
            int o = forwardIdx[jb] * 4 * hidden + 3 * hidden;
            int c = forwardIdx[jb] * hidden;
            for (int j = 0; j < hidden; j++) {
                h[j] = gates[o + j] * tanhC[c + j];
            }
            readout.forward(1, h, z);
            head.probabilities(z, 0, p, 0);
            double share = weight / Math.min(outcomes.decisionStep(r), horizon);
            sum += share * head.lossAndGradient(z, 0, p, 0, batch.label(r), 0.0, scale * share, dz, 0);
            readout.backwardRow(h, 0, dz, 0, gW, gb, dh, 0);
            int off = jb * hidden;
            for (int j = 0; j < hidden; j++) {
                dhTop[off + j] += dh[j];
            }
        }
    }

    /** The sum of the rows' unscaled prefix terms in the current pass. */
    double sum() {
        return sum;
    }
}
