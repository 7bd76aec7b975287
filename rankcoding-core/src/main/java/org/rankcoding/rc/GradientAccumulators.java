package org.rankcoding.rc;

import org.rankcoding.kernel.impl.Layouts;
import org.rankcoding.nn.ConvFrontEnd;
import org.rankcoding.nn.ConvGradients;
import org.rankcoding.nn.compute.LstmGradients;
import org.rankcoding.nn.ParameterLayout;
import org.rankcoding.nn.Parameters;
import org.rankcoding.nn.RankCodingNetwork;

/**
 * A training pass's gradient accumulators in the compute layout (each LSTM layer's, the readout's, the front end's),
 * and their write-back into a {@link Parameters} of the network's layout. Not thread-safe.
 */
final class GradientAccumulators {

    private final LstmGradients[] layers;
    private final int[] layerInput;
    private final int hidden;
    private final double[] readW;
    private final double[] readB;
    private final ConvFrontEnd frontEnd;
    private final ConvGradients front;

    GradientAccumulators(RankCodingNetwork network) {
        int numLayers = network.layers().size();
        this.hidden = network.config().hiddenSize();
        this.layers = new LstmGradients[numLayers];
        this.layerInput = new int[numLayers];
        for (int l = 0; l < numLayers; l++) {
            layerInput[l] = network.layers().get(l).inputSize();
            layers[l] = new LstmGradients(layerInput[l], hidden);
        }
        int outputs = network.head().outputs();
        this.readW = new double[outputs * hidden];
        this.readB = new double[outputs];
        this.frontEnd = network.hasFrontEnd() ? network.frontEnd() : null;
        this.front = frontEnd == null ? null : frontEnd.newGradients();
    }

    /** Sets every accumulator to zero. */
    void zero() {
        for (LstmGradients g : layers) {
            g.zero();
        }
        java.util.Arrays.fill(readW, 0.0);
        java.util.Arrays.fill(readB, 0.0);
        if (front != null) {
            front.zero();
        }
    }

    /** Layer {@code l}'s accumulators. */
    LstmGradients layer(int l) {
        return layers[l];
    }

    /** The readout weight's gradient, {@code K x H}. */
    double[] readoutWeight() {
        return readW;
    }

    /** The readout bias's gradient, {@code K}. */
    double[] readoutBias() {
        return readB;
    }

    /** The front end's accumulators (only when the network has a front end). */
    ConvGradients frontEnd() {
        return front;
    }

    /**
     * Writes the accumulated gradients into {@code gradients} (overwritten; the caller has checked that it has the
     * layout of the network's parameters).
     */
    void writeTo(Parameters gradients) {
        int g4 = 4 * hidden;
        ParameterLayout layout = gradients.layout();
        for (int l = 0; l < layers.length; l++) {
            LstmGradients g = layers[l];
            ParameterLayout.LstmLayer p = layout.lstm(l);
            Layouts.transpose(g.inputWeightsTransposed(), layerInput[l], g4, gradients.get(p.inputWeights()).data);
            Layouts.transpose(g.recurrentWeightsTransposed(), hidden, g4, gradients.get(p.recurrentWeights()).data);
            System.arraycopy(g.bias(), 0, gradients.get(p.inputBias()).data, 0, g4);
            System.arraycopy(g.bias(), 0, gradients.get(p.recurrentBias()).data, 0, g4);
        }
        System.arraycopy(readW, 0, gradients.get(layout.readout().weights()).data, 0, readW.length);
        System.arraycopy(readB, 0, gradients.get(layout.readout().bias()).data, 0, readB.length);
        if (frontEnd != null) {
            frontEnd.writeGradients(front, gradients);
        }
    }
}
