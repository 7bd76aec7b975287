package org.rankcoding.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A stack of LSTM layers, a linear readout and an output head: the model that rank coding trains.
 *
 * <p>Parameter names, shapes and order are those of the {@link ParameterLayout} of the configuration (PyTorch's names:
 * {@code lstm.weight_ih_l0}, ..., {@code readout.weight}, {@code readout.bias}, then {@code frontend.weight},
 * {@code frontend.bias} when the network has a {@linkplain ConvFrontEnd convolutional front end}). Weights are drawn from a {@link SplittableRandom} seeded with
 * {@code seed}, in the order layer 0 .. L-1, readout, front end, so a seed fixes the initial model. The network holds only
 * parameters; the computation lives in {@link org.rankcoding.rc.RankCodingPass}. Weights are modified in
 * place by optimizers, so a network being trained must not be used by other threads at the same time.
 */
public final class RankCodingNetwork {

    /** Prefix of the LSTM tensors' names ({@link ParameterLayout#LSTM_PREFIX}). */
    public static final String LSTM_PREFIX = ParameterLayout.LSTM_PREFIX;
    /** Prefix of the readout tensors' names ({@link ParameterLayout#READOUT_PREFIX}). */
    public static final String READOUT_PREFIX = ParameterLayout.READOUT_PREFIX;
    /** Prefix of the convolutional front end's tensors' names ({@link ParameterLayout#FRONT_END_PREFIX}). */
    public static final String FRONT_END_PREFIX = ParameterLayout.FRONT_END_PREFIX;

    private final NetworkConfig config;
    private final List<Lstm> layers;
    private final Linear readout;
    private final ConvFrontEnd frontEnd;
    private final OutputHead head;
    private final Parameters parameters;
    private final long seed;

    /** Creates a network with PyTorch's default initialisation drawn from {@code seed}. */
    public RankCodingNetwork(NetworkConfig config, long seed) {
        Objects.requireNonNull(config, "config is null");
        this.config = config;
        this.seed = seed;
        SplittableRandom rng = new SplittableRandom(seed);
        List<Lstm> list = new ArrayList<>();
        for (int l = 0; l < config.layers(); l++) {
            list.add(new Lstm(l == 0 ? config.lstmInputSize() : config.hiddenSize(), config.hiddenSize(), rng));
        }
        this.layers = Collections.unmodifiableList(list);
        this.head = OutputHead.of(config.head(), config.numClasses());
        this.readout = new Linear(config.hiddenSize(), config.readoutSize(), rng);
        this.frontEnd = config.frontEnd().isNone() ? null : new ConvFrontEnd(config.frontEnd(), rng);
        ParameterLayout layout = ParameterLayout.of(config);
        Parameters.Builder builder = Parameters.builder(layout);
        for (int l = 0; l < layers.size(); l++) {
            layers.get(l).register(builder, layout.lstm(l));
        }
        readout.register(builder, layout.readout());
        if (frontEnd != null) {
            frontEnd.register(builder, layout);
        }
        this.parameters = builder.build();
    }

    /** Whether the network has a convolutional front end ({@link NetworkConfig#frontEnd()} is not NONE). */
    public boolean hasFrontEnd() {
        return frontEnd != null;
    }

    /**
     * The convolutional front end.
     *
     * @throws IllegalStateException if the network has none (see {@link #hasFrontEnd()})
     */
    public ConvFrontEnd frontEnd() {
        if (frontEnd == null) {
            throw new IllegalStateException("this network has no front end (NetworkConfig.frontEnd is NONE)");
        }
        return frontEnd;
    }

    /** The configuration. */
    public NetworkConfig config() {
        return config;
    }

    /** The seed the initial weights were drawn from. */
    public long seed() {
        return seed;
    }

    /** The LSTM layers, bottom first. */
    public List<Lstm> layers() {
        return layers;
    }

    /** The readout. */
    public Linear readout() {
        return readout;
    }

    /** The output head. */
    public OutputHead head() {
        return head;
    }

    /** The parameter layout: names, shapes and order of {@link #parameters()}, with handles to address them. */
    public ParameterLayout layout() {
        return parameters.layout();
    }

    /** All weights under PyTorch names (live views: modifying them modifies the network). */
    public Parameters parameters() {
        return parameters;
    }

    @Override
    public String toString() {
        return "RankCodingNetwork[" + config + ", parameters=" + parameters.count() + "]";
    }
}
