package org.rankcoding.train;

import org.rankcoding.data.BatchSource;
import org.rankcoding.data.InMemorySequences;
import org.rankcoding.data.LabeledSequence;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.rc.RcTestSupport;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A small noise-vs-signal task for the training tests: class 1 has inputs {@code +mean + sigma N(0,1)},
 * class 0 {@code -mean + sigma N(0,1)}, one input per step.
 */
final class NoiseSignalTask {

    private NoiseSignalTask() {
    }

    /** {@code n} balanced sequences of lengths drawn uniformly in {@code [minLength, maxLength]}. */
    static List<LabeledSequence> sequences(long seed, int n, int minLength, int maxLength, double mean, double sigma) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<LabeledSequence> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int label = i % 2;
            int len = minLength + rng.nextInt(maxLength - minLength + 1);
            double[][] steps = new double[len][1];
            for (int t = 0; t < len; t++) {
                steps[t][0] = (label == 1 ? mean : -mean) + sigma * RcTestSupport.gaussian(rng);
            }
            out.add(new LabeledSequence(steps, label));
        }
        return out;
    }

    static InMemorySequences dataset(long seed, int n, int minLength, int maxLength, double mean, double sigma) {
        return new InMemorySequences(sequences(seed, n, minLength, maxLength, mean, sigma), 2);
    }

    /** A stateless generator of fresh sequences of length {@code length}: all randomness comes from the trainer. */
    static BatchSource generator(int length, double mean, double sigma) {
        return new BatchSource() {
            @Override
            public int inputSize() {
                return 1;
            }

            @Override
            public int numClasses() {
                return 2;
            }

            @Override
            public SequenceBatch nextBatch(int maxRows, RandomGenerator rng) {
                double[] in = new double[length * maxRows];
                int[] lengths = new int[maxRows];
                int[] labels = new int[maxRows];
                for (int r = 0; r < maxRows; r++) {
                    lengths[r] = length;
                    labels[r] = rng.nextInt(2);
                    for (int t = 0; t < length; t++) {
                        double u = rng.nextDouble();
                        double v = rng.nextDouble();
                        double g = Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
                        in[t * maxRows + r] = (labels[r] == 1 ? mean : -mean) + sigma * g;
                    }
                }
                return new SequenceBatch(maxRows, length, 1, in, lengths, labels, 2, null);
            }
        };
    }
}
