package org.rankcoding.train;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how often a training run writes {@link TrainingCheckpoint}s: into {@code directory}, after every
 * {@code everyBatches} batches and/or whenever the sequences trained cross a multiple of {@code everySequences}, and
 * always after the last batch. Only the newest {@code keep} checkpoints stay; older ones are deleted after a newer one
 * has been written completely, so the last good checkpoint is never removed before its successor exists. Immutable;
 * start from {@link #everyBatches} or {@link #everySequences} and derive with the {@code with...} methods.
 *
 * <p>A directory belongs to one run at a time: {@link Trainer#train(org.rankcoding.nn.NetworkConfig,
 * org.rankcoding.data.BatchSource, java.util.List, TrainingListener, CheckpointPolicy)} refuses a directory that
 * already holds checkpoints (resume them with {@link Trainer#resume} instead, or use an empty directory).
 *
 * @param directory      where the checkpoint files go (created if missing)
 * @param everyBatches   write after every this many batches, {@code >= 0} (0: not by batches)
 * @param everySequences write whenever the sequences trained cross a multiple of this, {@code >= 0} (0: not by
 *                       sequences)
 * @param keep           how many of the newest checkpoints to keep, {@code >= 1}; default {@value #DEFAULT_KEEP}
 * @param runInfo        what identifies the run besides the trainer's and network's configuration (for example the
 *                       task and the data set's options), stored in every checkpoint; {@link Trainer#resume} refuses a
 *                       checkpoint whose run information differs. Copied; keys and values non-null, keys non-empty
 */
public record CheckpointPolicy(Path directory, long everyBatches, long everySequences, int keep, Map<String, String> runInfo) {

    /** The number of checkpoints kept unless {@link #withKeep} says otherwise. */
    public static final int DEFAULT_KEEP = 2;

    /**
     * Validates and copies the fields.
     *
     * @throws IllegalArgumentException for a null directory, a negative interval, {@code keep < 1} or a bad run-info
     *                                  entry
     */
    public CheckpointPolicy {
        if (directory == null) {
            throw new IllegalArgumentException("directory is null; give the directory the checkpoints go to");
        }
        if (everyBatches < 0) {
            throw new IllegalArgumentException("everyBatches = " + everyBatches + ", expected >= 0 (0: not by batches)");
        }
        if (everySequences < 0) {
            throw new IllegalArgumentException("everySequences = " + everySequences + ", expected >= 0 (0: not by sequences)");
        }
        if (keep < 1) {
            throw new IllegalArgumentException("keep = " + keep + ", expected >= 1 (the newest checkpoints to keep)");
        }
        if (runInfo == null) {
            throw new IllegalArgumentException("runInfo is null; pass Map.of() for none");
        }
        LinkedHashMap<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : runInfo.entrySet()) {
            if (e.getKey() == null || e.getKey().isEmpty() || e.getValue() == null) {
                throw new IllegalArgumentException("run-info entry " + e.getKey() + " = " + e.getValue()
                        + " is not allowed; keys must be non-empty and values non-null");
            }
            copy.put(e.getKey(), e.getValue());
        }
        runInfo = Collections.unmodifiableMap(copy);
    }

    /** Checkpoints into {@code directory} after every {@code batches} batches and at the end, keeping the newest two. */
    public static CheckpointPolicy everyBatches(Path directory, long batches) {
        return new CheckpointPolicy(directory, batches, 0, DEFAULT_KEEP, Map.of());
    }

    /**
     * Checkpoints into {@code directory} whenever the sequences trained cross a multiple of {@code sequences}, and at
     * the end, keeping the newest two.
     */
    public static CheckpointPolicy everySequences(Path directory, long sequences) {
        return new CheckpointPolicy(directory, 0, sequences, DEFAULT_KEEP, Map.of());
    }

    /** This policy keeping the newest {@code keep} checkpoints. */
    public CheckpointPolicy withKeep(int keep) {
        return new CheckpointPolicy(directory, everyBatches, everySequences, keep, runInfo);
    }

    /** This policy with {@code everySequences} as the sequence interval (0: not by sequences). */
    public CheckpointPolicy withEverySequences(long everySequences) {
        return new CheckpointPolicy(directory, everyBatches, everySequences, keep, runInfo);
    }

    /** This policy with {@code runInfo} as the run information (replacing the previous one). */
    public CheckpointPolicy withRunInfo(Map<String, String> runInfo) {
        Objects.requireNonNull(runInfo, "runInfo is null");
        return new CheckpointPolicy(directory, everyBatches, everySequences, keep, runInfo);
    }

    /**
     * Whether a checkpoint is due after batch number {@code batches}, which took the sequences trained from
     * {@code sequencesBefore} to {@code sequencesAfter} (the trainer also writes one at the end of the run).
     */
    boolean due(long batches, long sequencesBefore, long sequencesAfter) {
        return (everyBatches > 0 && batches % everyBatches == 0)
                || (everySequences > 0 && sequencesAfter / everySequences > sequencesBefore / everySequences);
    }
}
