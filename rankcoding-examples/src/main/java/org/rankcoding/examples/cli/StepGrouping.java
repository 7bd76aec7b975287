package org.rankcoding.examples.cli;

import org.rankcoding.data.InMemorySequences;
import org.rankcoding.data.LabeledSequence;

import java.util.ArrayList;
import java.util.List;

/**
 * Feeds a network {@code w} consecutive time steps of a series as one input step: step {@code j} of the result holds
 * the values of steps {@code j w .. j w + w - 1} of every channel ({@code channels x w} inputs, channel-major), the last
 * group of a series whose length is not a multiple of {@code w} filled with its last value (a value already seen, so
 * the grouping looks no further ahead than the group's end). A decision after {@code j} groups has seen
 * {@code min(j w, length)} values of the series; earliness counted in groups, {@code j / ceil(length / w)}, is at most
 * that fraction of the series and falls short of it by at most {@code (ceil(length / w) w - length) / length}: exact
 * when {@code w} divides the length (ArrowHead, 251 steps in groups of 9: at most 0.004). Long series become short
 * sequences that an LSTM learns more easily and faster.
 */
final class StepGrouping {

    private StepGrouping() {
    }

    /**
     * The sequences of {@code data} grouped by {@code w} steps; {@code data} itself for {@code w = 1}.
     *
     * @param w steps per input step, {@code >= 1}
     */
    static InMemorySequences group(InMemorySequences data, int w) {
        if (w < 1) {
            throw new IllegalArgumentException("steps per input = " + w + ", expected >= 1");
        }
        if (w == 1) {
            return data;
        }
        List<LabeledSequence> out = new ArrayList<>(data.size());
        for (LabeledSequence s : data.sequences()) {
            out.add(new LabeledSequence(group(s.steps(), w), s.label()));
        }
        return new InMemorySequences(out, data.numClasses());
    }

    private static double[][] group(double[][] steps, int w) {
        int length = steps.length;
        int channels = steps[0].length;
        int groups = (length + w - 1) / w;
        double[][] out = new double[groups][channels * w];
        for (int j = 0; j < groups; j++) {
            for (int k = 0; k < w; k++) {
                double[] step = steps[Math.min(j * w + k, length - 1)];
                for (int c = 0; c < channels; c++) {
                    out[j][c * w + k] = step[c];
                }
            }
        }
        return out;
    }
}
