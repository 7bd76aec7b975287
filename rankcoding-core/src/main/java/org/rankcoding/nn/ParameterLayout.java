package org.rankcoding.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one definition of a network's parameter tensors (names, shapes and order), derived from a
 * {@link NetworkConfig}. The network's {@link Parameters}, model files, checkpoints and the gradient write-back of
 * training all follow it; code addresses a tensor by {@link ParameterHandle}, never by position.
 *
 * <p>The order and PyTorch's names and shapes: per LSTM layer {@code k} ({@code nn.LSTM}, gate order i, f, g, o)
 * {@code lstm.weight_ih_l{k}} {@code [4H, I]} ({@code [4H, H]} above the first layer, and {@code I} the front end's
 * feature count when there is one), {@code lstm.weight_hh_l{k}} {@code [4H, H]}, {@code lstm.bias_ih_l{k}} and
 * {@code lstm.bias_hh_l{k}} {@code [4H]}; then the readout ({@code nn.Linear}) {@code readout.weight} {@code [K, H]}
 * and {@code readout.bias} {@code [K]} ({@code K = 1} for the binary head, the number of classes otherwise); with a
 * convolutional front end, last, {@code frontend.weight} {@code [C, 1, K, K]} and {@code frontend.bias} {@code [C]}
 * ({@code nn.Conv2d(1, C, K)}), with a second stage {@code frontend.weight2} {@code [C2, C, K, K]} and
 * {@code frontend.bias2} {@code [C2]}. In memory a tensor is a matrix of {@link Spec#rows()} by {@link Spec#cols()}:
 * the first dimension by the product of the others, and {@code 1 x n} for a bias.
 *
 * <p>Two layouts are equal when they have the same names and shapes in the same order; a handle of one addresses the
 * same tensor in the other. Immutable and thread-safe.
 */
public final class ParameterLayout {

    /** Prefix of the LSTM tensors' names (the attribute {@code lstm} of a PyTorch module). */
    public static final String LSTM_PREFIX = "lstm.";
    /** Prefix of the readout tensors' names. */
    public static final String READOUT_PREFIX = "readout.";
    /** Prefix of the convolutional front end's tensors' names. */
    public static final String FRONT_END_PREFIX = "frontend.";

    /**
     * One tensor: its name, its shape as stored in a model file (PyTorch's, computed in {@code long} so that it cannot
     * overflow for any configuration) and how that shape follows from the configuration (for messages).
     */
    public record Spec(String name, long[] shape, String rule) {

        /** Copies the shape. */
        public Spec {
            Objects.requireNonNull(name, "name is null");
            Objects.requireNonNull(shape, "shape is null");
            Objects.requireNonNull(rule, "rule is null");
            shape = shape.clone();
        }

        /** The shape (a copy). */
        @Override
        public long[] shape() {
            return shape.clone();
        }

        /** Rows of the matrix holding the tensor: the first dimension, or 1 for a one-dimensional tensor. */
        public long rows() {
            return shape.length == 1 ? 1 : shape[0];
        }

        /** Columns of the matrix holding the tensor: the product of the dimensions after the first (or the only one). */
        public long cols() {
            return elements() / Math.max(1, rows());
        }

        /** The number of values. */
        public long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        /** The shape as {@code [a, b]}. */
        public String shapeString() {
            return Arrays.toString(shape);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Spec s && s.name.equals(name) && Arrays.equals(s.shape, shape);
        }

        @Override
        public int hashCode() {
            return 31 * name.hashCode() + Arrays.hashCode(shape);
        }

        @Override
        public String toString() {
            return name + " " + shapeString();
        }
    }

    /** The four tensors of one LSTM layer. */
    public record LstmLayer(ParameterHandle inputWeights, ParameterHandle recurrentWeights, ParameterHandle inputBias,
                            ParameterHandle recurrentBias) {

        /** Refuses a null component, naming it. */
        public LstmLayer {
            Objects.requireNonNull(inputWeights, "inputWeights is null");
            Objects.requireNonNull(recurrentWeights, "recurrentWeights is null");
            Objects.requireNonNull(inputBias, "inputBias is null");
            Objects.requireNonNull(recurrentBias, "recurrentBias is null");
        }

    }

    /** The readout's weight and bias. */
    public record Readout(ParameterHandle weights, ParameterHandle bias) {

        /** Refuses a null component, naming it. */
        public Readout {
            Objects.requireNonNull(weights, "weights is null");
            Objects.requireNonNull(bias, "bias is null");
        }

    }

    /** One convolutional stage of the front end: its filters and bias. */
    public record ConvStage(ParameterHandle weights, ParameterHandle bias) {

        /** Refuses a null component, naming it. */
        public ConvStage {
            Objects.requireNonNull(weights, "weights is null");
            Objects.requireNonNull(bias, "bias is null");
        }

    }

    private final NetworkConfig config;
    private final List<Spec> specs;
    private final List<ParameterHandle> handles;
    private final List<String> names;
    private final Map<String, ParameterHandle> byName;
    private final List<LstmLayer> lstm;
    private final Readout readout;
    private final List<ConvStage> frontEnd;

    private ParameterLayout(NetworkConfig config, List<Spec> specs) {
        this.config = config;
        this.specs = List.copyOf(specs);
        List<ParameterHandle> hs = new ArrayList<>(specs.size());
        List<String> ns = new ArrayList<>(specs.size());
        Map<String, ParameterHandle> map = new HashMap<>();
        for (Spec s : specs) {
            ParameterHandle h = new ParameterHandle(this, hs.size(), s.name());
            if (map.put(s.name(), h) != null) {
                throw new IllegalStateException("parameter name '" + s.name() + "' is used twice in the layout");
            }
            hs.add(h);
            ns.add(s.name());
        }
        this.handles = Collections.unmodifiableList(hs);
        this.names = Collections.unmodifiableList(ns);
        this.byName = map;
        List<LstmLayer> layers = new ArrayList<>(config.layers());
        for (int l = 0; l < config.layers(); l++) {
            layers.add(new LstmLayer(hs.get(4 * l), hs.get(4 * l + 1), hs.get(4 * l + 2), hs.get(4 * l + 3)));
        }
        this.lstm = Collections.unmodifiableList(layers);
        int r = 4 * config.layers();
        this.readout = new Readout(hs.get(r), hs.get(r + 1));
        List<ConvStage> stages = new ArrayList<>();
        for (int i = r + 2; i < hs.size(); i += 2) {
            stages.add(new ConvStage(hs.get(i), hs.get(i + 1)));
        }
        this.frontEnd = Collections.unmodifiableList(stages);
    }

    /**
     * The layout of a network of shape {@code config}. Callers that read the configuration from an untrusted source
     * check {@link #tensorCount} first: the layout holds one entry per tensor.
     */
    public static ParameterLayout of(NetworkConfig config) {
        Objects.requireNonNull(config, "config is null");
        return new ParameterLayout(config, LayoutSpecs.of(config));
    }

    /** Number of tensors of a network with {@code layers} LSTM layers, with or without a front end (no layout built). */
    public static long tensorCount(long layers, ConvFrontEndConfig frontEnd) {
        Objects.requireNonNull(frontEnd, "frontEnd is null");
        return 4 * layers + 2 + 2L * LayoutSpecs.frontEndStages(frontEnd);
    }

    /** The configuration the layout was derived from. */
    public NetworkConfig config() {
        return config;
    }

    /** Number of tensors. */
    public int size() {
        return specs.size();
    }

    /** The tensors in order (unmodifiable). */
    public List<Spec> specs() {
        return specs;
    }

    /** The names in order (unmodifiable). */
    public List<String> names() {
        return names;
    }

    /** The handles in order (unmodifiable). */
    public List<ParameterHandle> handles() {
        return handles;
    }

    /** The tensor {@code handle} addresses. */
    public Spec spec(ParameterHandle handle) {
        Objects.requireNonNull(handle, "handle is null");
        return specs.get(check(handle).index());
    }

    /** Whether a tensor is named {@code name}. */
    public boolean contains(String name) {
        Objects.requireNonNull(name, "name is null");
        return byName.containsKey(name);
    }

    /**
     * The handle of the tensor named {@code name}.
     *
     * @throws IllegalArgumentException if there is none
     */
    public ParameterHandle handle(String name) {
        Objects.requireNonNull(name, "name is null");
        ParameterHandle h = byName.get(name);
        if (h == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "'; known: " + names);
        }
        return h;
    }

    /**
     * The tensors of LSTM layer {@code layer} (0 for the bottom one).
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= layer < config().layers()}
     */
    public LstmLayer lstm(int layer) {
        if (layer < 0 || layer >= lstm.size()) {
            throw new IndexOutOfBoundsException("LSTM layer " + layer + ", expected 0 .. " + (lstm.size() - 1));
        }
        return lstm.get(layer);
    }

    /** The readout's tensors. */
    public Readout readout() {
        return readout;
    }

    /** Number of convolutional front-end stages: 0 without a front end, 1 or 2 with one. */
    public int frontEndStages() {
        return frontEnd.size();
    }

    /**
     * The tensors of front-end stage {@code stage} (0 for the first).
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= stage < frontEndStages()}
     */
    public ConvStage frontEndStage(int stage) {
        if (stage < 0 || stage >= frontEnd.size()) {
            throw new IndexOutOfBoundsException("front-end stage " + stage + ", but this layout has " + frontEnd.size()
                    + " (front end: " + config.frontEnd() + ")");
        }
        return frontEnd.get(stage);
    }

    /**
     * {@code handle} if it addresses a tensor of this layout (it belongs to it or to an equal one).
     *
     * @throws IllegalArgumentException otherwise
     */
    ParameterHandle check(ParameterHandle handle) {
        if (handle.layout() != this && !handle.layout().equals(this)) {
            throw new IllegalArgumentException("parameter handle " + handle + " belongs to another layout ("
                    + handle.layout().names() + "), not to this one (" + names + ")");
        }
        return handle;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterLayout other && other.specs.equals(specs);
    }

    @Override
    public int hashCode() {
        return specs.hashCode();
    }

    @Override
    public String toString() {
        return "ParameterLayout" + specs;
    }
}
