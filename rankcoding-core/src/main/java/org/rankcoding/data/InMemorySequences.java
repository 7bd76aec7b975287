package org.rankcoding.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * A finite data set of labelled sequences in memory, possibly of different lengths.
 *
 * <p>As a {@link BatchSource} it serves shuffled epochs: each epoch visits every sequence once in an
 * order drawn from the trainer's generator; the last batch of an epoch may be smaller. For evaluation,
 * {@link #batches(int)} cuts the data in its own order.
 *
 * <p>Not thread-safe (it keeps the position in the current epoch). As a {@link ResumableSource} it saves that
 * position in training checkpoints, so that a resumed run continues the epoch where it stopped.
 */
public final class InMemorySequences implements EpochSource {

    private final List<LabeledSequence> sequences;
    private final int inputSize;
    private final int numClasses;
    private final EpochOrder epochs;
    /** The {@link #fingerprint()}, computed at its first call. */
    private String fingerprint;

    /**
     * @param sequences  at least one sequence, all with the same input size (copied as a list, not deeply)
     * @param numClasses number of classes, at least 2; every label must be in {@code [0, numClasses)}
     * @throws IllegalArgumentException for an empty list, mixed input sizes, a label out of range or a non-finite value,
     *                                  naming the sequence by its index in {@code sequences} (and the step and input)
     */
    public InMemorySequences(List<LabeledSequence> sequences, int numClasses) {
        if (sequences == null || sequences.isEmpty()) {
            throw new IllegalArgumentException("no sequences given; a data set needs at least one");
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses = " + numClasses + ", expected >= 2");
        }
        this.sequences = List.copyOf(sequences);
        this.inputSize = this.sequences.get(0).inputSize();
        this.numClasses = numClasses;
        for (int i = 0; i < this.sequences.size(); i++) {
            LabeledSequence s = this.sequences.get(i);
            if (s.inputSize() != inputSize) {
                throw new IllegalArgumentException("sequence " + i + " has input size " + s.inputSize() + ", expected " + inputSize
                        + " like sequence 0");
            }
            if (s.label() < 0 || s.label() >= numClasses) {
                throw new IllegalArgumentException("sequence " + i + " has label " + s.label() + ", expected in [0, " + (numClasses - 1) + "]");
            }
            s.requireFinite("sequence " + i + " (of " + this.sequences.size() + ")");
        }
        this.epochs = new EpochOrder(this.sequences.size());
    }

    /** The sequences, in their order (unmodifiable; the arrays are shared, not copied). */
    public List<LabeledSequence> sequences() {
        return sequences;
    }

    /** Number of sequences. */
    public int size() {
        return sequences.size();
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public SequenceBatch nextBatch(int maxRows, RandomGenerator rng) {
        Objects.requireNonNull(rng, "rng is null");
        int rows = epochs.take(maxRows, rng);
        List<LabeledSequence> picked = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            picked.add(sequences.get(epochs.order()[epochs.start() + i]));
        }
        return toBatch(picked, numClasses);
    }

    @Override
    public EpochOrder epochOrder() {
        return epochs;
    }

    /**
     * {@code "N sequences of input size I in C classes (checksum X)"}, the checksum over every sequence's label, optimal
     * step and values, in order; computed once, at the first call (the sequences must not change afterwards).
     */
    @Override
    public Optional<String> fingerprint() {
        if (fingerprint == null) {
            DataChecksum sum = new DataChecksum();
            for (LabeledSequence s : sequences) {
                sum.add(s.label()).add(s.optimalStep()).add(s.length());
                for (double[] step : s.steps()) {
                    sum.add(step);
                }
            }
            fingerprint = String.format(Locale.ROOT, "%d sequences of input size %d in %d classes (checksum %s)", size(),
                    inputSize, numClasses, sum.hex());
        }
        return Optional.of(fingerprint);
    }

    /** What messages call this source: its class and size. */
    @Override
    public String toString() {
        return "InMemorySequences of " + size() + " sequences";
    }

    /**
     * Cuts the data set, in its own order, into batches of at most {@code batchSize} rows.
     *
     * @return new batches owned by the caller
     */
    public List<SequenceBatch> batches(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize = " + batchSize + ", expected >= 1");
        }
        List<SequenceBatch> out = new ArrayList<>();
        for (int from = 0; from < sequences.size(); from += batchSize) {
            out.add(toBatch(sequences.subList(from, Math.min(sequences.size(), from + batchSize)), numClasses));
        }
        return out;
    }

    /**
     * Packs sequences (possibly of different lengths) into one batch; padding steps are zero.
     *
     * @throws IllegalArgumentException for an empty list or mixed input sizes
     */
    public static SequenceBatch toBatch(List<LabeledSequence> rows, int numClasses) {
        Objects.requireNonNull(rows, "rows is null");
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("cannot build an empty batch; give at least one sequence");
        }
        int n = rows.size();
        int inputSize = rows.get(0).inputSize();
        int maxLength = 0;
        boolean anyOptimal = false;
        for (LabeledSequence s : rows) {
            if (s.inputSize() != inputSize) {
                throw new IllegalArgumentException("mixed input sizes in one batch: " + inputSize + " and " + s.inputSize());
            }
            maxLength = Math.max(maxLength, s.length());
            anyOptimal |= s.optimalStep() != SequenceBatch.NO_OPTIMAL_STEP;
        }
        double[] inputs = new double[maxLength * n * inputSize];
        int[] lengths = new int[n];
        int[] labels = new int[n];
        int[] optimal = anyOptimal ? new int[n] : null;
        for (int r = 0; r < n; r++) {
            LabeledSequence s = rows.get(r);
            lengths[r] = s.length();
            labels[r] = s.label();
            if (optimal != null) {
                optimal[r] = s.optimalStep();
            }
            for (int t = 0; t < s.length(); t++) {
                System.arraycopy(s.steps()[t], 0, inputs, (t * n + r) * inputSize, inputSize);
            }
        }
        return new SequenceBatch(n, maxLength, inputSize, inputs, lengths, labels, numClasses, optimal);
    }
}
