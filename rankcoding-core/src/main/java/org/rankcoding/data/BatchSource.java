package org.rankcoding.data;

import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Where training and evaluation batches come from: a generator of fresh sequences, an in-memory data
 * set, a file reader. Implement it to bring your own data.
 *
 * <p>Call order: {@link #inputSize()} and {@link #numClasses()} any time; {@link #reset()} at the start of
 * a training run; {@link #nextBatch} repeatedly.
 * All randomness must come from the generator passed in, so that a trainer seeded the same way sees the
 * same batches.
 *
 * <p>Checkpoints: a training checkpoint saves the trainer's generator, so a source whose batches depend only on
 * it (a generator of fresh sequences) resumes exactly. A source that keeps a position of its own between calls
 * (an epoch order, a file offset) must also implement {@link ResumableSource}, which saves and restores that
 * position; otherwise a resumed run restarts it from {@link #reset()}. A source over a fixed data set should also give
 * a {@link #fingerprint()}, which checkpoints save and a resumed run compares, so that resuming on other data is refused.
 */
public interface BatchSource {

    /** Size of each step's input vector. */
    int inputSize();

    /** Number of classes of the labels (2 for binary tasks). */
    int numClasses();

    /**
     * Returns the next batch of at most {@code maxRows} rows (fewer only at the end of a finite source's epoch).
     *
     * @param maxRows number of rows wanted, at least 1
     * @param rng     the only source of randomness to use
     * @return a new batch owned by the caller
     */
    SequenceBatch nextBatch(int maxRows, RandomGenerator rng);

    /**
     * Returns the source to its initial state, so that a new training run sees the same batches as the
     * last one (a trainer calls it at the start of every run). Stateless generators need not override it.
     */
    default void reset() {
    }

    /**
     * A short text that identifies the data this source serves, for checkpoints: the same for two sources over the same
     * data, different (with overwhelming probability) for different data; typically the number of sequences, the input
     * size, the classes and a {@link DataChecksum} of the data. A checkpoint saves it and a resumed run compares it with
     * its source's, refusing a difference. Empty (the default) for a source that cannot describe its data, such as a
     * generator of fresh sequences, whose data follow from the trainer's generator and the generator's own settings.
     *
     * <p>Cheap to call repeatedly (a source computes it once); it contains no {@code ';'}.
     */
    default Optional<String> fingerprint() {
        return Optional.empty();
    }
}
