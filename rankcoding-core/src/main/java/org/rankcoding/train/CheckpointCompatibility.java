package org.rankcoding.train;

import org.rankcoding.data.BatchSource;
import org.rankcoding.data.ResumableSource;
import org.rankcoding.nn.NetworkConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a run may resume a {@link TrainingCheckpoint}. The settings of the checkpoint's run and of the resumed run
 * are compared as named fields: every {@link TrainerConfig} component, every {@link NetworkConfig} component (the
 * network's shape, its front end included), every entry of the run information and, when both the checkpoint and the
 * source have one, the {@link BatchSource#fingerprint() fingerprint} of the data. A refusal lists every difference as
 * {@code name = value in the checkpoint, value here} and says what to do. Then the source must fit the checkpoint's
 * network and source position.
 */
final class CheckpointCompatibility {

    private static final String CONFIG = "config.";
    private static final String NETWORK = "network.";
    private static final String RUN = "run.";
    /** The fingerprint's field; its name in messages is {@code data}. */
    private static final String DATA = "source.data";

    private CheckpointCompatibility() {
    }

    /**
     * Checks the settings and the source (see the class comment).
     *
     * @param runInfo the run information of the resumed run's checkpoint policy (the checkpoint's own for a run that
     *                writes no further checkpoints)
     * @throws IllegalArgumentException naming the checkpoint's file and listing every difference
     */
    static void require(TrainingCheckpoint c, TrainerConfig config, NetworkConfig network, Map<String, String> runInfo,
                        BatchSource source) {
        TrainingCheckpoint.Settings saved = c.settings();
        Optional<String> savedData = saved.dataFingerprint();
        Optional<String> givenData = fingerprintOf(source);
        boolean comparable = savedData.isPresent() && givenData.isPresent();
        List<String> diffs = differences(
                namedFields(saved.trainer(), saved.network(), saved.runInfo(), comparable ? savedData : Optional.empty()),
                namedFields(config, network, runInfo, comparable ? givenData : Optional.empty()));
        if (!diffs.isEmpty()) {
            throw new IllegalArgumentException(c.file() + ": cannot resume, the run that wrote it had other settings: "
                    + String.join("; ", diffs) + "; resume with that run's settings and data, or start a new run in another "
                    + "directory");
        }
        requireFittingSource(c, source);
    }

    /**
     * Why the data of {@code source} cannot be compared with the checkpoint's: one of them has a fingerprint, the other
     * none (a checkpoint written before checkpoints held one, or another kind of source); empty when both have one (they
     * are compared) or neither has (a generator of fresh sequences, whose settings are the run's).
     */
    static Optional<String> uncomparedData(TrainingCheckpoint c, BatchSource source) {
        Optional<String> saved = c.settings().dataFingerprint();
        Optional<String> given = fingerprintOf(source);
        if (saved.isPresent() == given.isPresent()) {
            return Optional.empty();
        }
        return Optional.of(saved.isEmpty()
                ? c.file() + " holds no fingerprint of its training data (it was written by an older library or with a source "
                + "that gives none), so the data could not be compared with the source's (" + given.get() + "); make sure "
                + "it is the run's data"
                : c.file() + " holds a fingerprint of its training data (" + saved.get() + ") but the source given ("
                + source.getClass().getName() + ") gives none, so the data could not be compared; make sure it is the run's data");
    }

    /**
     * The source's {@link BatchSource#fingerprint() fingerprint}.
     *
     * @throws IllegalArgumentException if the source returns null instead of an empty optional
     */
    static Optional<String> fingerprintOf(BatchSource source) {
        Optional<String> f = source.fingerprint();
        if (f == null) {
            throw new IllegalArgumentException(source.getClass().getName() + ".fingerprint() returned null; a source without "
                    + "a fingerprint returns Optional.empty()");
        }
        return f;
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

    /**
     * The settings of a run as named fields, in order: {@code config.NAME} and {@code network.NAME} for every component
     * (written as checkpoints write them: numbers exactly, enums by name, a front end as text), {@code run.KEY} for every
     * entry of the run information and, if given, the data's fingerprint.
     */
    static Map<String, String> namedFields(TrainerConfig config, NetworkConfig network, Map<String, String> runInfo,
                                           Optional<String> data) {
        Map<String, String> fields = new LinkedHashMap<>();
        MetadataFields.putRecord(fields, CONFIG, config);
        MetadataFields.putRecord(fields, NETWORK, network);
        runInfo.forEach((k, v) -> fields.put(RUN + k, v));
        data.ifPresent(d -> fields.put(DATA, d));
        return fields;
    }

    /**
     * The fields in which {@code saved} and {@code given} differ, as "name = saved in the checkpoint, given here", the
     * name without its group ({@code learningRate}, {@code hiddenSize}, a run information key, {@code data}).
     */
    static List<String> differences(Map<String, String> saved, Map<String, String> given) {
        Set<String> keys = new LinkedHashSet<>(saved.keySet());
        keys.addAll(given.keySet());
        List<String> diffs = new ArrayList<>();
        for (String k : keys) {
            String a = saved.get(k);
            String b = given.get(k);
            if (a == null ? b != null : !a.equals(b)) {
                diffs.add(k.substring(k.indexOf('.') + 1) + " = " + (a == null ? "(none)" : a) + " in the checkpoint, "
                        + (b == null ? "(none)" : b) + " here");
            }
        }
        return diffs;
    }
}
