package org.rankcoding.io;

import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.RankCodingNetwork;

import java.util.ArrayList;
import java.util.List;

/**
 * The tensors a model file holds for a configuration, in file order, with PyTorch's names and shapes: per LSTM
 * layer {@code k} ({@code nn.LSTM}, gate order i, f, g, o) {@code lstm.weight_ih_l{k}} {@code [4H, I]} (or
 * {@code [4H, H]} above the first layer), {@code lstm.weight_hh_l{k}} {@code [4H, H]}, {@code lstm.bias_ih_l{k}}
 * and {@code lstm.bias_hh_l{k}} {@code [4H]}; then the readout ({@code nn.Linear}) {@code readout.weight}
 * {@code [K, H]} and {@code readout.bias} {@code [K]}, with {@code K = 1} for the binary head and the number of
 * classes otherwise. The names are those of the network's {@link org.rankcoding.nn.Parameters}.
 */
final class ModelLayout {

    /** One expected tensor: its name, shape and how the shape follows from the configuration (for messages). */
    record Spec(String name, long[] shape, String rule) {

        long elements() {
            return Shapes.elements(shape);
        }

        String shapeString() {
            return Shapes.toString(shape);
        }
    }

    private ModelLayout() {
    }

    /** Number of tensors of a network with {@code layers} LSTM layers. */
    static long tensorCount(long layers) {
        return 4 * layers + 2;
    }

    /** Number of readout outputs K for a head. */
    static int outputs(HeadType head, int numClasses) {
        return head == HeadType.BINARY_SIGMOID ? 1 : numClasses;
    }

    /** The tensors of {@code config}, in file order. Shapes are computed in {@code long} and cannot overflow. */
    static List<Spec> of(NetworkConfig config) {
        long g4 = 4L * config.hiddenSize();
        long h = config.hiddenSize();
        String lstm = RankCodingNetwork.LSTM_PREFIX;
        String readout = RankCodingNetwork.READOUT_PREFIX;
        List<Spec> specs = new ArrayList<>();
        for (int l = 0; l < config.layers(); l++) {
            if (l == 0) {
                specs.add(new Spec(lstm + "weight_ih_l0", new long[]{g4, config.inputSize()},
                        "4 * hidden_size x input_size"));
            } else {
                specs.add(new Spec(lstm + "weight_ih_l" + l, new long[]{g4, h}, "4 * hidden_size x hidden_size"));
            }
            specs.add(new Spec(lstm + "weight_hh_l" + l, new long[]{g4, h}, "4 * hidden_size x hidden_size"));
            specs.add(new Spec(lstm + "bias_ih_l" + l, new long[]{g4}, "4 * hidden_size"));
            specs.add(new Spec(lstm + "bias_hh_l" + l, new long[]{g4}, "4 * hidden_size"));
        }
        long k = outputs(config.head(), config.numClasses());
        String outputs = config.head() == HeadType.BINARY_SIGMOID ? "1 output for the binary head" : "num_classes";
        specs.add(new Spec(readout + "weight", new long[]{k, h}, outputs + " x hidden_size"));
        specs.add(new Spec(readout + "bias", new long[]{k}, outputs));
        return specs;
    }
}
