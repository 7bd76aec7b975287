package org.rankcoding.io;

import org.rankcoding.nn.ConvFrontEndConfig;
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
 * classes otherwise; with a convolutional front end, last, {@code frontend.weight} {@code [C, 1, K, K]} and
 * {@code frontend.bias} {@code [C]} ({@code nn.Conv2d(1, C, K)}), with a second stage {@code frontend.weight2}
 * {@code [C2, C, K, K]} and {@code frontend.bias2} {@code [C2]}, and the first layer's {@code I} is the front end's
 * feature count. The names are those of the network's {@link org.rankcoding.nn.Parameters}.
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

    /** Number of tensors of a network with {@code layers} LSTM layers, with or without a front end. */
    static long tensorCount(long layers, ConvFrontEndConfig frontEnd) {
        return 4 * layers + 2 + (frontEnd.isNone() ? 0 : frontEnd.channels2() > 0 ? 4 : 2);
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
                specs.add(new Spec(lstm + "weight_ih_l0", new long[]{g4, config.lstmInputSize()},
                        config.frontEnd().isNone() ? "4 * hidden_size x input_size"
                                : "4 * hidden_size x front end features (channels * pooled height * pooled width)"));
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
        ConvFrontEndConfig f = config.frontEnd();
        if (!f.isNone()) {
            String front = RankCodingNetwork.FRONT_END_PREFIX;
            specs.add(new Spec(front + "weight", new long[]{f.channels(), 1, f.kernel(), f.kernel()},
                    "channels x 1 x kernel x kernel"));
            specs.add(new Spec(front + "bias", new long[]{f.channels()}, "channels"));
            if (f.channels2() > 0) {
                specs.add(new Spec(front + "weight2", new long[]{f.channels2(), f.channels(), f.kernel(), f.kernel()},
                        "channels2 x channels x kernel x kernel"));
                specs.add(new Spec(front + "bias2", new long[]{f.channels2()}, "channels2"));
            }
        }
        return specs;
    }
}
