package org.rankcoding.nn;

import java.util.ArrayList;
import java.util.List;

/** Builds the {@link ParameterLayout.Spec}s of a configuration, in order (the naming and shape rules in one place). */
final class LayoutSpecs {

    private LayoutSpecs() {
    }

    /** Number of convolutional stages of {@code frontEnd}: 0 for none, 1 or 2. */
    static int frontEndStages(ConvFrontEndConfig frontEnd) {
        return frontEnd.isNone() ? 0 : frontEnd.channels2() > 0 ? 2 : 1;
    }

    /** The tensors of {@code config}, in order. Shapes are computed in {@code long} and cannot overflow. */
    static List<ParameterLayout.Spec> of(NetworkConfig config) {
        List<ParameterLayout.Spec> specs = new ArrayList<>();
        for (int l = 0; l < config.layers(); l++) {
            addLstm(specs, config, l);
        }
        long k = config.readoutSize();
        long h = config.hiddenSize();
        String outputs = config.head() == HeadType.BINARY_SIGMOID ? "1 output for the binary head" : "num_classes";
        String readout = ParameterLayout.READOUT_PREFIX;
        specs.add(new ParameterLayout.Spec(readout + "weight", new long[]{k, h}, outputs + " x hidden_size"));
        specs.add(new ParameterLayout.Spec(readout + "bias", new long[]{k}, outputs));
        addFrontEnd(specs, config.frontEnd());
        return specs;
    }

    private static void addLstm(List<ParameterLayout.Spec> specs, NetworkConfig config, int l) {
        long g4 = 4L * config.hiddenSize();
        long h = config.hiddenSize();
        String lstm = ParameterLayout.LSTM_PREFIX;
        if (l == 0) {
            specs.add(new ParameterLayout.Spec(lstm + "weight_ih_l0", new long[]{g4, config.lstmInputSize()},
                    config.frontEnd().isNone() ? "4 * hidden_size x input_size"
                            : "4 * hidden_size x front end features (channels * pooled height * pooled width)"));
        } else {
            specs.add(new ParameterLayout.Spec(lstm + "weight_ih_l" + l, new long[]{g4, h}, "4 * hidden_size x hidden_size"));
        }
        specs.add(new ParameterLayout.Spec(lstm + "weight_hh_l" + l, new long[]{g4, h}, "4 * hidden_size x hidden_size"));
        specs.add(new ParameterLayout.Spec(lstm + "bias_ih_l" + l, new long[]{g4}, "4 * hidden_size"));
        specs.add(new ParameterLayout.Spec(lstm + "bias_hh_l" + l, new long[]{g4}, "4 * hidden_size"));
    }

    private static void addFrontEnd(List<ParameterLayout.Spec> specs, ConvFrontEndConfig f) {
        String front = ParameterLayout.FRONT_END_PREFIX;
        if (frontEndStages(f) >= 1) {
            specs.add(new ParameterLayout.Spec(front + "weight", new long[]{f.channels(), 1, f.kernel(), f.kernel()},
                    "channels x 1 x kernel x kernel"));
            specs.add(new ParameterLayout.Spec(front + "bias", new long[]{f.channels()}, "channels"));
        }
        if (frontEndStages(f) == 2) {
            specs.add(new ParameterLayout.Spec(front + "weight2", new long[]{f.channels2(), f.channels(), f.kernel(), f.kernel()},
                    "channels2 x channels x kernel x kernel"));
            specs.add(new ParameterLayout.Spec(front + "bias2", new long[]{f.channels2()}, "channels2"));
        }
    }
}
