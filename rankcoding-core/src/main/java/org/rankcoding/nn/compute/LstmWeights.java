package org.rankcoding.nn.compute;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.kernel.PreparedMatrix;
import org.rankcoding.nn.Lstm;

/**
 * A snapshot of one {@link Lstm} layer's parameters in the compute layout its step methods use, prepared for
 * one {@link MatrixKernels} implementation: {@code weight_ih^T} ({@code I x 4H}) and {@code weight_hh^T}
 * ({@code H x 4H}) as the right operands of the forward products, {@code weight_ih} and {@code weight_hh} as
 * those of the backward products, and {@code bias_ih + bias_hh}.
 *
 * <p>Where the input is no wider than the hidden state ({@code I <= H}) the snapshot also holds the stacked weights
 * {@code [weight_hh^T ; weight_ih^T]} ({@code (H + I) x 4H}), so that a step that continues its sequence computes
 * its recurrent and input terms as one product of {@code [h_prev | x]} ({@link MatrixKernels#multAddConcat}): one
 * pass over the gates instead of two, which pays where the input product is small. (In that order, the double
 * kernels, which run the two products one after the other, add the terms in the same order as before the fused
 * product existed.) A wider input (a convolutional front end's features) keeps the two products.
 *
 * <p>Take the snapshot with {@link #LstmWeights(Lstm, MatrixKernels)} and refresh it with {@link #refresh}
 * whenever the parameters may have changed (a trainer does it once per batch, before the forward pass; an inference
 * pass at every call). A refresh first compares the layer's two weight matrices with the snapshot's copies
 * ({@link PreparedMatrix#matches}) and copies nothing but the bias sum when they are equal: a frozen model's
 * inference pays a comparison per batch instead of the transposes and the {@code float} rounding (about a tenth of
 * its time at hidden 256). Refreshing allocates nothing. A snapshot is read-only during the steps and may be shared
 * by threads.
 */
public final class LstmWeights {

    private final int inputSize;
    private final int hiddenSize;
    final PreparedMatrix wihT;
    final PreparedMatrix whhT;
    final PreparedMatrix wih;
    final PreparedMatrix whh;
    /** {@code [weight_hh^T ; weight_ih^T]}, or {@code null} when the input is wider than the hidden state. */
    final PreparedMatrix stackedT;
    final double[] bias;
    /** {@link #bias} seen as an EJML matrix ({@code 1 x 4H}). */
    private final DMatrixRMaj biasView;

    /** Prepares a snapshot of {@code layer}'s current parameters for {@code kernels}. */
    public LstmWeights(Lstm layer, MatrixKernels kernels) {
        this.inputSize = layer.inputSize();
        this.hiddenSize = layer.hiddenSize();
        int g4 = 4 * hiddenSize;
        this.wihT = kernels.prepare(inputSize, g4);
        this.whhT = kernels.prepare(hiddenSize, g4);
        this.wih = kernels.prepare(g4, inputSize);
        this.whh = kernels.prepare(g4, hiddenSize);
        boolean stack = inputSize <= hiddenSize;
        this.stackedT = stack ? kernels.prepare(inputSize + hiddenSize, g4) : null;
        this.bias = new double[g4];
        this.biasView = DMatrixRMaj.wrap(1, g4, bias);
        refresh(layer);
    }

    /**
     * Copies {@code layer}'s current parameters into this snapshot.
     *
     * @throws IllegalArgumentException if the layer's sizes differ from those the snapshot was made for
     */
    public void refresh(Lstm layer) {
        if (layer.inputSize() != inputSize || layer.hiddenSize() != hiddenSize) {
            throw new IllegalArgumentException("LSTM layer " + layer.inputSize() + " -> " + layer.hiddenSize()
                    + " does not fit a weight snapshot made for " + inputSize + " -> " + hiddenSize);
        }
        CommonOps_DDRM.add(layer.biasIh(), layer.biasHh(), biasView);
        if (wih.matches(layer.weightIh()) && whh.matches(layer.weightHh())) {
            return; // the weights have not changed since the last refresh: every form here holds them already
        }
        wih.set(layer.weightIh());
        whh.set(layer.weightHh());
        wihT.setTransposed(layer.weightIh());
        whhT.setTransposed(layer.weightHh());
        if (stackedT != null) {
            stackedT.setStacked(whhT, wihT);
        }
    }

    /** Input size I of the layer. */
    public int inputSize() {
        return inputSize;
    }

    /** Hidden size H of the layer. */
    public int hiddenSize() {
        return hiddenSize;
    }

    /** {@code weight_ih^T}, {@code I x 4H}: the right operand of the input product (for sparse inputs, its rows). */
    public PreparedMatrix inputWeightsTransposed() {
        return wihT;
    }
}
