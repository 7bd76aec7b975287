package org.rankcoding.data;

import java.util.Objects;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A validation split taken from a training set, stratified by class: each class gives the same fraction of its
 * sequences to the validation part, so that both parts keep the class proportions of the whole (small data sets of a
 * few dozen series would otherwise easily leave a class out of validation).
 *
 * <h2>How many, and which</h2>
 * A class of {@code n} sequences gives {@code round(fraction * n)} of them to validation, but at least one and at most
 * {@code n - 1} when {@code n >= 2} (so every class of two or more sequences is in both parts), and none when
 * {@code n = 1} (a lone sequence stays in training). Which ones: a Fisher-Yates shuffle of the class's sequences by
 * {@code new SplittableRandom(seed)} (classes in ascending order, one generator for all), taking the first ones. The
 * split depends only on the labels, their order, the fraction and the seed: the same for the same arguments on every
 * machine. Both parts keep the sequences in their original order.
 *
 * @param train      the sequences left for training, in their original order
 * @param validation the sequences taken for validation, in their original order
 */
public record StratifiedSplit(List<LabeledSequence> train, List<LabeledSequence> validation) {

    /** Copies the lists. */
    public StratifiedSplit {
        Objects.requireNonNull(train, "train is null");
        Objects.requireNonNull(validation, "validation is null");
        train = List.copyOf(train);
        validation = List.copyOf(validation);
    }

    /**
     * Splits {@code sequences} (see the class comment).
     *
     * @param fraction the share of each class taken for validation, in (0, 1)
     * @param seed     the seed of the choice
     * @throws IllegalArgumentException for a fraction outside (0, 1), no sequences, a negative label, or a data set in
     *                                  which no class has two sequences (nothing could be taken without emptying a class)
     */
    public static StratifiedSplit of(List<LabeledSequence> sequences, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation fraction = " + fraction + ", expected in (0, 1) (typical: 0.1 .. 0.3)");
        }
        if (sequences == null || sequences.isEmpty()) {
            throw new IllegalArgumentException("no sequences to split; give the training set");
        }
        List<List<Integer>> byClass = byClass(sequences);
        boolean[] toValidation = new boolean[sequences.size()];
        SplittableRandom rng = new SplittableRandom(seed);
        int taken = 0;
        for (List<Integer> members : byClass) {
            int n = members.size();
            int k = n < 2 ? 0 : (int) Math.max(1, Math.min(n - 1, Math.round(fraction * n)));
            int[] idx = shuffled(members, rng);
            for (int i = 0; i < k; i++) {
                toValidation[idx[i]] = true;
            }
            taken += k;
        }
        if (taken == 0) {
            throw new IllegalArgumentException("cannot split " + sequences.size() + " sequences: no class has two of them, so "
                    + "a validation part would take a class's only sequence; give more data or a separate validation set");
        }
        List<LabeledSequence> train = new ArrayList<>();
        List<LabeledSequence> validation = new ArrayList<>();
        for (int i = 0; i < sequences.size(); i++) {
            (toValidation[i] ? validation : train).add(sequences.get(i));
        }
        return new StratifiedSplit(train, validation);
    }

    /**
     * Splits an in-memory data set; {@link #trainSet(int)} and {@link #validationSet(int)} give the parts as data sets
     * (pass {@code data.numClasses()}).
     *
     * @see #of(List, double, long)
     */
    public static StratifiedSplit of(InMemorySequences data, double fraction, long seed) {
        return of(Objects.requireNonNull(data, "data is null").sequences(), fraction, seed);
    }

    /** The indices of {@code members} in the order of a Fisher-Yates shuffle by {@code rng}. */
    static int[] shuffled(List<Integer> members, SplittableRandom rng) {
        int[] idx = members.stream().mapToInt(Integer::intValue).toArray();
        for (int i = idx.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return idx;
    }

    /** The indices of the sequences of each label, in order; index = label. */
    static List<List<Integer>> byClass(List<LabeledSequence> sequences) {
        List<List<Integer>> out = new ArrayList<>();
        for (int i = 0; i < sequences.size(); i++) {
            int label = sequences.get(i).label();
            if (label < 0) {
                throw new IllegalArgumentException("sequence " + i + " has label " + label + ", expected >= 0");
            }
            while (out.size() <= label) {
                out.add(new ArrayList<>());
            }
            out.get(label).add(i);
        }
        return out;
    }

    /** The training part as a data set of {@code numClasses} classes. */
    public InMemorySequences trainSet(int numClasses) {
        return new InMemorySequences(train, numClasses);
    }

    /** The validation part as a data set of {@code numClasses} classes. */
    public InMemorySequences validationSet(int numClasses) {
        return new InMemorySequences(validation, numClasses);
    }
}
