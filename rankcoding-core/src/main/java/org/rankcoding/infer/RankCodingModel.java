package org.rankcoding.infer;

import org.rankcoding.kernel.Kernels;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.nn.Lstm;
import org.rankcoding.nn.LstmWeights;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.FirstSpikeDetector;

import java.util.List;

/**
 * A trained network frozen for inference, with its spike threshold: immutable and safe to share between
 * any number of threads. Each stream gets its own cheap {@link StreamingSession} from {@link #newSession()}.
 *
 * <p>The constructor copies the network's weights (later training of the network does not affect the model)
 * and precomputes their compute layout once.
 */
public final class RankCodingModel {

    private final RankCodingNetwork network;
    private final FirstSpikeDetector detector;
    private final MatrixKernels kernels;
    private final LstmWeights[] weights;

    /**
     * Freezes a copy of {@code network} with spike threshold {@code theta}, computing with the fastest kernels.
     *
     * @throws IllegalArgumentException if theta is outside (0.5, 1)
     */
    public RankCodingModel(RankCodingNetwork network, double theta) {
        this(network, theta, Kernels.best());
    }

    /** As {@link #RankCodingModel(RankCodingNetwork, double)}, computing with the given kernels. */
    public RankCodingModel(RankCodingNetwork network, double theta, MatrixKernels kernels) {
        NetworkConfig config = network.config();
        RankCodingNetwork copy = new RankCodingNetwork(config, network.seed());
        copy.parameters().setTo(network.parameters());
        this.network = copy;
        this.detector = new FirstSpikeDetector(copy.head(), theta);
        this.kernels = kernels;
        List<Lstm> layers = copy.layers();
        this.weights = new LstmWeights[layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            weights[l] = new LstmWeights(layers.get(l), kernels);
        }
    }

    /** A new session for one stream; sessions are cheap and reusable via {@link StreamingSession#reset()}. */
    public StreamingSession newSession() {
        return new StreamingSession(this);
    }

    /** The network's configuration. */
    public NetworkConfig config() {
        return network.config();
    }

    /** The spike threshold. */
    public double threshold() {
        return detector.theta();
    }

    /** The frozen network (do not modify its parameters: the model's compute copy would not follow). */
    RankCodingNetwork network() {
        return network;
    }

    FirstSpikeDetector detector() {
        return detector;
    }

    MatrixKernels kernels() {
        return kernels;
    }

    LstmWeights weights(int layer) {
        return weights[layer];
    }
}
