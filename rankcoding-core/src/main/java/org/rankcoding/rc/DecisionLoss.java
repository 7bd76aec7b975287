package org.rankcoding.rc;

import org.rankcoding.nn.Linear;
import org.rankcoding.nn.OutputHead;
import org.rankcoding.nn.RankCodingNetwork;

/**
 * The loss of a training pass, taken where each row decides: the row's loss and its gradient at the readout, turned
 * into the gradient on the row's top hidden state there (where the backward pass of the row starts) and into the
 * readout's parameter gradients. Not thread-safe.
 */
final class DecisionLoss implements ForwardDriver.DecisionListener {

    private final OutputHead head;
    private final Linear readout;
    private final int hidden;
    private final StepTape tape;
    private final GradientAccumulators gradients;
    private final double[] dz;
    private double[] dhLoss = new double[0];
    private BatchInputs batch;
    private RankCodingLoss loss;
    private double scale;
    private double sum;

    DecisionLoss(RankCodingNetwork network, StepTape tape, GradientAccumulators gradients) {
        this.head = network.head();
        this.readout = network.readout();
        this.hidden = network.config().hiddenSize();
        this.tape = tape;
        this.gradients = gradients;
        this.dz = new double[head.outputs()];
    }

    /** Starts a pass over {@code batch} with {@code loss}, each row's loss weighted by {@code scale}. */
    void begin(BatchInputs batch, RankCodingLoss loss, double scale) {
        int need = batch.batch().batchSize() * hidden;
        if (dhLoss.length < need) {
            dhLoss = new double[Math.max(need, dhLoss.length + dhLoss.length / 2)];
        }
        this.batch = batch;
        this.loss = loss;
        this.scale = scale;
        this.sum = 0;
    }

    @Override
    public void decided(int j, int row, double[] z, double[] p) {
        int off = j * head.outputs();
        sum += loss.lossAndGradient(head, z, p, off, batch.label(row), scale, dz);
        readout.backwardRow(tape.top(), j * hidden, dz, 0, gradients.readoutWeight(), gradients.readoutBias(), dhLoss,
                row * hidden);
    }

    /** The sum of the rows' unscaled losses in the current pass. */
    double sum() {
        return sum;
    }

    /** The loss gradient on row {@code row}'s top hidden state at its decision step, {@code H} values from {@code row * H}. */
    double[] hiddenGradients() {
        return dhLoss;
    }
}
