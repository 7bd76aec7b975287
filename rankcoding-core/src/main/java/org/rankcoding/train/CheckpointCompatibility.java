package org.rankcoding.train;

import org.rankcoding.data.BatchSource;
import org.rankcoding.data.ResumableSource;
import org.rankcoding.nn.NetworkConfig;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether a run may resume a {@link TrainingCheckpoint}: the resumed run's {@link TrainerConfig} and run information
 * must equal the checkpoint's, and its source must fit the checkpoint's network and source position. A refusal lists
 * every difference as {@code option = value in the checkpoint, value here} and says what to do.
 */
final class CheckpointCompatibility {

    private CheckpointCompatibility() {
    }

    /**
     * Checks the configuration, the run information and the source (see the class comment).
     *
     * @throws IllegalArgumentException naming the checkpoint's file and listing every difference
     */
    static void require(TrainingCheckpoint c, TrainerConfig config, Map<String, String> runInfo, BatchSource source) {
        List<String> diffs = differences(c.config(), config);
        diffs.addAll(differences(c.runInfo(), runInfo));
        requireNone(c, diffs);
        requireFittingSource(c, source);
    }

    /**
     * Checks the configuration and the source, not the run information (for a resumed run that writes no further
     * checkpoints).
     *
     * @throws IllegalArgumentException naming the checkpoint's file and listing every difference
     */
    static void require(TrainingCheckpoint c, TrainerConfig config, BatchSource source) {
        requireNone(c, differences(c.config(), config));
        requireFittingSource(c, source);
    }

    private static void requireNone(TrainingCheckpoint c, List<String> diffs) {
        if (!diffs.isEmpty()) {
            throw new IllegalArgumentException(c.file() + " was written by a run with other settings: "
                    + String.join("; ", diffs) + "; resume with the run's settings, or start a new run in another directory");
        }
    }

    private static void requireFittingSource(TrainingCheckpoint c, BatchSource source) {
        NetworkConfig net = c.networkConfig();
        String sourceClass = c.data().sourceClass();
        if (source.inputSize() != net.inputSize() || source.numClasses() != net.numClasses()) {
            throw new IllegalArgumentException(c.file() + " holds a network of input size " + net.inputSize() + " and "
                    + net.numClasses() + " classes, but the source has input size " + source.inputSize() + " and "
                    + source.numClasses() + " classes; is it the same data?");
        }
        boolean saved = c.data().sourcePosition().isPresent();
        if (saved && !(source instanceof ResumableSource)) {
            throw new IllegalArgumentException(c.file() + " holds the position of a " + sourceClass + ", but the source given ("
                    + source.getClass().getName() + ") is not a ResumableSource; resume with the run's source");
        }
        if (!saved && source instanceof ResumableSource) {
            throw new IllegalArgumentException(c.file() + " holds no source position (it was written with a " + sourceClass
                    + ", which keeps none), but the source given (" + source.getClass().getName() + ") keeps one; resume "
                    + "with the run's source");
        }
    }

    /** The components in which {@code saved} and {@code given} differ, as "name = saved in the checkpoint, given here". */
    static List<String> differences(TrainerConfig saved, TrainerConfig given) {
        List<String> diffs = new ArrayList<>();
        for (RecordComponent c : TrainerConfig.class.getRecordComponents()) {
            Object a = MetadataFields.component(c, saved);
            Object b = MetadataFields.component(c, given);
            if (!a.equals(b)) {
                diffs.add(c.getName() + " = " + a + " in the checkpoint, " + b + " here");
            }
        }
        return diffs;
    }

    /** The keys in which {@code saved} and {@code given} differ, as "key = saved in the checkpoint, given here". */
    static List<String> differences(Map<String, String> saved, Map<String, String> given) {
        Set<String> keys = new LinkedHashSet<>(saved.keySet());
        keys.addAll(given.keySet());
        List<String> diffs = new ArrayList<>();
        for (String k : keys) {
            String a = saved.get(k);
            String b = given.get(k);
            if (a == null ? b != null : !a.equals(b)) {
                diffs.add(k + " = " + (a == null ? "(none)" : a) + " in the checkpoint, " + (b == null ? "(none)" : b) + " here");
            }
        }
        return diffs;
    }
}
