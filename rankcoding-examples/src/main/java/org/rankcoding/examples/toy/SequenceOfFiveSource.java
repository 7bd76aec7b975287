package org.rankcoding.examples.toy;

import org.rankcoding.data.SequenceBatch;

import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * The "sequence of five" toy task (continuous sequence spotting): {@code length} random bits, label 1 iff
 * the sequence contains {@code runLength} equal consecutive bits ({@code 00000} or {@code 11111} in the
 * reference task).
 *
 * <p>Each bit is 1 with probability {@code bitProbability}, independently; the input of a step is the
 * bit as 0.0 or 1.0 (input size 1). The optimal decision step of a positive sequence is the 1-based step
 * at which its first qualifying run completes (the earliest step at which the label is certain); negatives
 * have {@link SequenceBatch#NO_OPTIMAL_STEP}. The reference task ({@link #SequenceOfFiveSource()}) has
 * {@code length = 25}, {@code runLength = 5} and {@code bitProbability = 0.5} (about 55% positives).
 *
 * <p>Immutable and thread-safe (all state is in the generator the caller passes).
 */
public final class SequenceOfFiveSource extends ScalarBinarySource {

    /** Reference sequence length T. */
    public static final int DEFAULT_LENGTH = 25;
    /** Reference run length. */
    public static final int DEFAULT_RUN_LENGTH = 5;
    /** Reference probability of a 1 bit. */
    public static final double DEFAULT_BIT_PROBABILITY = 0.5;

    private final int runLength;
    private final double bitProbability;

    /** The reference task: 25 fair bits, runs of 5. */
    public SequenceOfFiveSource() {
        this(DEFAULT_LENGTH, DEFAULT_RUN_LENGTH, DEFAULT_BIT_PROBABILITY);
    }

    /**
     * @param length         sequence length T, in {@code [2, 1_000_000]}
     * @param runLength      length of the run to spot, in {@code [1, length - 1]} (so that the timing window
     *                       {@code length - runLength} is at least 1)
     * @param bitProbability probability of a 1 bit, in {@code [0, 1]}
     * @throws IllegalArgumentException naming the offending value and its allowed range
     */
    public SequenceOfFiveSource(int length, int runLength, double bitProbability) {
        super(length, true);
        if (length < 2 || length > 1_000_000) {
            throw new IllegalArgumentException("length = " + length + ", expected in [2, 1000000] steps (the reference task uses 25)");
        }
        if (runLength < 1 || runLength > length - 1) {
            throw new IllegalArgumentException("runLength = " + runLength + ", expected in [1, length - 1 = " + (length - 1)
                    + "] (the reference task uses 5)");
        }
        if (!(bitProbability >= 0 && bitProbability <= 1)) {
            throw new IllegalArgumentException("bitProbability = " + bitProbability + ", expected in [0, 1] (the reference task uses 0.5)");
        }
        this.runLength = runLength;
        this.bitProbability = bitProbability;
    }

    /** Length of the run to spot. */
    public int runLength() {
        return runLength;
    }

    /** Probability of a 1 bit. */
    public double bitProbability() {
        return bitProbability;
    }

    /**
     * The normaliser of the timing-aware loss, {@code length - runLength} (20 for the reference task): the
     * latest a positive can be decided after the earliest possible optimal step. Pass it to
     * {@link org.rankcoding.eval.Evaluator}.
     */
    public int timingWindow() {
        return length() - runLength;
    }

    @Override
    int fillRow(RandomGenerator rng, double[] inputs, int r, int rows, int[] optimal) {
        int run = 0;
        int previous = -1;
        int completed = SequenceBatch.NO_OPTIMAL_STEP;
        for (int t = 0; t < length(); t++) {
            int bit = rng.nextDouble() < bitProbability ? 1 : 0;
            inputs[t * rows + r] = bit;
            run = bit == previous ? run + 1 : 1;
            previous = bit;
            if (run >= runLength && completed == SequenceBatch.NO_OPTIMAL_STEP) {
                completed = t + 1;
            }
        }
        optimal[r] = completed;
        return completed == SequenceBatch.NO_OPTIMAL_STEP ? 0 : 1;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "SequenceOfFiveSource[T=%d, runLength=%d, p(1)=%s]", length(), runLength, bitProbability);
    }
}
