package org.rankcoding.rc;

import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.nn.Lstm;
import org.rankcoding.nn.compute.LstmWeights;
import org.rankcoding.nn.RankCodingNetwork;

import java.util.List;
import java.util.Objects;

/**
 * A snapshot of a network's LSTM weights in the compute layout of one {@link MatrixKernels} implementation (one
 * {@link LstmWeights} per layer). A pass that follows a network being trained refreshes its snapshot at each call; a
 * frozen model prepares one once and shares it, read-only, between all its streams.
 */
public final class NetworkWeights {

    private final Lstm[] layers;
    private final LstmWeights[] weights;

    /** Prepares a snapshot of {@code network}'s current LSTM weights for {@code kernels}. */
    public NetworkWeights(RankCodingNetwork network, MatrixKernels kernels) {
        Objects.requireNonNull(network, "network is null");
        Objects.requireNonNull(kernels, "kernels is null");
        List<Lstm> list = network.layers();
        this.layers = list.toArray(new Lstm[0]);
        this.weights = new LstmWeights[layers.length];
        for (int l = 0; l < layers.length; l++) {
            weights[l] = new LstmWeights(layers[l], kernels);
        }
    }

    /** Copies the network's current parameters into the snapshot (allocates nothing). */
    public void refresh() {
        for (int l = 0; l < layers.length; l++) {
            weights[l].refresh(layers[l]);
        }
    }

    /** Layer {@code l}'s weights. */
    LstmWeights layer(int l) {
        return weights[l];
    }
}
