package org.rankcoding.data;

import java.util.Objects;

import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * A training source whose batches are those of another source, augmented: each row (series) is window-sliced,
 * window-warped, scaled and jittered as an {@link Augmentation} says, with every random number drawn from the generator the trainer passes
 * to {@link #nextBatch} (after the wrapped source's own draws), so training stays bit-identical for a seed and a resumed
 * run draws exactly what the uninterrupted one did. Use it for training only; validate and evaluate on the plain data.
 *
 * <h2>Per row, in this order</h2>
 * Only the steps below the row's own length are touched (padding stays zero), and the length is kept but for the crop.
 * <ol>
 *   <li><b>Crop of the start</b>, when {@code crop > 0} and the row has two steps or more: a uniform number of steps
 *   ({@code nextInt}) of at most {@code crop * length} (and at most {@code length - 1}) is dropped from the row's
 *   beginning; the rest moves to the first step, the row gets that much shorter (its optimal decision step, where it
 *   has one, moves as far back, to step 1 at the earliest), and the steps below run on the shorter row.</li>
 *   <li><b>Window slicing</b> (Le Guennec et al. 2016), when {@code slice < 1} and the row has two steps or more: a
 *   window of {@code w = round(slice * length)} steps (at least 2) starting at a uniform position ({@code nextInt}) is
 *   resampled linearly to the row's length, every channel alike.</li>
 *   <li><b>Window warping</b> (Le Guennec et al. 2016), when {@code warpWindow > 0} and the row has two steps or more:
 *   a window of {@code w} steps starting at a uniform position ({@code nextInt}) is resampled linearly to
 *   {@code round(w * f)} steps, {@code f} being the warp factor or its inverse with equal probability
 *   ({@code nextBoolean}); the series, now longer or shorter, is resampled linearly back to its length. Every
 *   channel is warped alike.</li>
 *   <li><b>Scaling</b>, when {@code scaling > 0}: each channel is multiplied by {@code 1 + scaling * nextGaussian()}.</li>
 *   <li><b>Jitter</b>, when {@code jitter > 0}: {@code jitter * nextGaussian()} is added to every value, step by step,
 *   channel by channel.</li>
 * </ol>
 * A sparse binary batch is made dense first. With {@link Augmentation#NONE} the batches are the wrapped source's.
 *
 * <p>Position and data: it keeps no position of its own; it saves and restores the wrapped source's (an empty position
 * for a source that keeps none), and its {@link #fingerprint()} is the wrapped source's with the augmentation added, so
 * a checkpoint cannot be resumed with another augmentation. Not thread-safe.
 */
public final class AugmentedSource implements ResumableSource {

    private final BatchSource source;
    private final Augmentation augmentation;

    /**
     * @param source       the source of the series to augment
     * @param augmentation what to do to each series
     * @throws IllegalArgumentException for a null argument
     */
    public AugmentedSource(BatchSource source, Augmentation augmentation) {
        if (source == null || augmentation == null) {
            throw new IllegalArgumentException((source == null ? "source" : "augmentation") + " is null: both are required "
                    + "(Augmentation.NONE for no augmentation)");
        }
        this.source = source;
        this.augmentation = augmentation;
    }

    /** The augmentation applied. */
    public Augmentation augmentation() {
        return augmentation;
    }

    @Override
    public int inputSize() {
        return source.inputSize();
    }

    @Override
    public int numClasses() {
        return source.numClasses();
    }

    @Override
    public SequenceBatch nextBatch(int maxRows, RandomGenerator rng) {
        Objects.requireNonNull(rng, "rng is null");
        SequenceBatch batch = source.nextBatch(maxRows, rng);
        if (augmentation.isNone()) {
            return batch;
        }
        SequenceBatch dense = batch.toDense();
        double[] out = dense.inputArray().clone();
        SeriesAugmenter augmenter = new SeriesAugmenter(augmentation, dense.inputSize());
        int rows = dense.batchSize();
        int[] lengths = new int[rows];
        for (int r = 0; r < rows; r++) {
            lengths[r] = augmenter.crop(dense, out, r, rng);
            augmenter.augmentRow(dense, out, r, lengths[r], rng);
        }
        return augmentation.crop() == 0 ? dense.withDenseInputs(out) : cropped(dense, out, lengths);
    }

    /** The batch of {@code dense}'s labels with inputs {@code out} and rows of {@code lengths} (each at most its own). */
    private SequenceBatch cropped(SequenceBatch dense, double[] out, int[] lengths) {
        int rows = dense.batchSize();
        int[] labels = new int[rows];
        int[] optimal = dense.hasOptimalSteps() ? new int[rows] : null;
        for (int r = 0; r < rows; r++) {
            labels[r] = dense.label(r);
            if (optimal != null) {
                int step = dense.optimalStep(r);
                optimal[r] = step == SequenceBatch.NO_OPTIMAL_STEP ? step : Math.max(1, step - (dense.length(r) - lengths[r]));
            }
        }
        return new SequenceBatch(rows, dense.maxLength(), dense.inputSize(), out, lengths, labels, Integer.MAX_VALUE, optimal);
    }

    @Override
    public void reset() {
        source.reset();
    }

    /** The wrapped source's position, or an empty array when it keeps none. */
    @Override
    public long[] savePosition() {
        return source instanceof ResumableSource r ? r.savePosition() : new long[0];
    }

    @Override
    public void restorePosition(long[] position) {
        Objects.requireNonNull(position, "position is null");
        if (source instanceof ResumableSource r) {
            r.restorePosition(position);
        } else if (position.length != 0) {
            throw new IllegalArgumentException(this + " keeps no position (its source " + source + " keeps none), but the "
                    + "saved position has " + position.length + " numbers; resume with the run's source");
        }
    }

    /** The wrapped source's fingerprint with {@code ", augmented (<augmentation>)"}; empty when it gives none. */
    @Override
    public Optional<String> fingerprint() {
        return source.fingerprint().map(f -> f + ", augmented (" + augmentation + ")");
    }

    @Override
    public String toString() {
        return "AugmentedSource[" + source + ", " + augmentation + "]";
    }
}
