package org.rankcoding.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A training set cut into {@code k} folds stratified by class, for cross-fitting: model {@code f} trains on every fold
 * but {@code f} ({@link #split(int)}), and each sequence is evaluated by the one model that never saw it. On a small
 * data set (a few dozen series) this uses every sequence both for training and for choosing what is chosen on held-out
 * data (an operating point, a threshold), where a single validation split holds out a few series for good.
 *
 * <h2>Which sequence goes where</h2>
 * The sequences of each class are shuffled (Fisher-Yates by {@code new SplittableRandom(seed)}, classes in ascending
 * order, one generator for all, as {@link StratifiedSplit} does) and dealt to the folds in turn, the deal continuing
 * from one class to the next: fold sizes differ by at most one, every class of at least {@code k} sequences is in every
 * fold, and a class of fewer is in as many folds as it has sequences. Each fold keeps the sequences in their original
 * order. The folds depend only on the labels, their order, {@code k} and the seed.
 *
 * @param folds the {@code k} folds, each non-empty, together every sequence once
 */
public record StratifiedFolds(List<List<LabeledSequence>> folds) {

    /** Copies the lists. */
    public StratifiedFolds {
        Objects.requireNonNull(folds, "folds is null");
        folds = folds.stream().map(List::copyOf).toList();
    }

    /**
     * Cuts {@code sequences} into {@code k} folds (see the class comment).
     *
     * @param k    the number of folds, from 2 to the number of sequences
     * @param seed the seed of the deal
     * @throws IllegalArgumentException for no sequences, a {@code k} out of range or a negative label
     */
    public static StratifiedFolds of(List<LabeledSequence> sequences, int k, long seed) {
        if (sequences == null || sequences.isEmpty()) {
            throw new IllegalArgumentException("no sequences to cut into folds; give the training set");
        }
        if (k < 2 || k > sequences.size()) {
            throw new IllegalArgumentException("folds = " + k + ", expected in [2, " + sequences.size() + "] for "
                    + sequences.size() + " sequences (every fold needs one; typical: 5 or 10)");
        }
        int[] foldOf = new int[sequences.size()];
        SplittableRandom rng = new SplittableRandom(seed);
        int next = 0;
        for (List<Integer> members : StratifiedSplit.byClass(sequences)) {
            for (int i : StratifiedSplit.shuffled(members, rng)) {
                foldOf[i] = next;
                next = (next + 1) % k;
            }
        }
        List<List<LabeledSequence>> out = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            out.add(new ArrayList<>());
        }
        for (int i = 0; i < sequences.size(); i++) {
            out.get(foldOf[i]).add(sequences.get(i));
        }
        return new StratifiedFolds(out);
    }

    /** The number of folds. */
    public int count() {
        return folds.size();
    }

    /**
     * Fold {@code f} as the validation part and every other fold, in fold order, as the training part.
     *
     * @throws IndexOutOfBoundsException for {@code f} outside {@code [0, count())}
     */
    public StratifiedSplit split(int f) {
        Objects.checkIndex(f, folds.size());
        List<LabeledSequence> train = new ArrayList<>();
        for (int g = 0; g < folds.size(); g++) {
            if (g != f) {
                train.addAll(folds.get(g));
            }
        }
        return new StratifiedSplit(train, folds.get(f));
    }
}
