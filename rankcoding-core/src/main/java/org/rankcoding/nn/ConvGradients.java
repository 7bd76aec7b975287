package org.rankcoding.nn;

import org.rankcoding.kernel.impl.ConvWeightOrder;
import org.rankcoding.kernel.impl.Layouts;

import java.util.Arrays;

/**
 * Gradient accumulators of a {@link ConvFrontEnd} in the compute layout, filled by its backward methods and written
 * into the parameters' layout by {@link ConvFrontEnd#writeGradients}. One per thread; not thread-safe.
 */
public final class ConvGradients {

    private final int channels;
    private final int channels2;
    private final int kk;
    /** First-stage filters, {@code K*K x C}. */
    final double[] weightT;
    final double[] bias;
    /** Second-stage filters in patch order, {@code K*K*C x C2} (empty for one stage). */
    final double[] weight2T;
    final double[] bias2;
    /** {@code weight2T} transposed ({@code C2 x K*K*C}, patch order) on its way into the parameters' order. */
    private final double[] weight2Patch;

    ConvGradients(ConvFrontEndConfig c) {
        this.channels = c.channels();
        this.channels2 = c.channels2();
        this.kk = c.kernel() * c.kernel();
        int patch = kk * channels;
        this.weightT = new double[patch];
        this.bias = new double[channels];
        this.weight2T = new double[patch * channels2];
        this.bias2 = new double[channels2];
        this.weight2Patch = new double[channels2 * patch];
    }

    /** Sets every accumulator to zero. */
    public void zero() {
        Arrays.fill(weightT, 0.0);
        Arrays.fill(bias, 0.0);
        Arrays.fill(weight2T, 0.0);
        Arrays.fill(bias2, 0.0);
    }

    /** Writes the accumulators into {@code out}'s front-end tensors in the parameters' layout (overwritten). */
    void writeTo(Parameters out) {
        ParameterLayout layout = out.layout();
        Layouts.transpose(weightT, kk, channels, out.get(layout.frontEndStage(0).weights()).data);
        System.arraycopy(bias, 0, out.get(layout.frontEndStage(0).bias()).data, 0, channels);
        if (channels2 > 0) {
            Layouts.transpose(weight2T, kk * channels, channels2, weight2Patch);
            ConvWeightOrder.toPyTorchOrder(weight2Patch, channels2, channels, kk,
                    out.get(layout.frontEndStage(1).weights()).data);
            System.arraycopy(bias2, 0, out.get(layout.frontEndStage(1).bias()).data, 0, channels2);
        }
    }
}
