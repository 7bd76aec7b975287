package org.rankcoding.train;

import org.rankcoding.data.BatchSource;
import org.rankcoding.data.ResumableSource;
import org.rankcoding.eval.Evaluation;
import org.rankcoding.io.ModelFileException;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.Parameters;
import org.rankcoding.nn.RankCodingNetwork;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A saved training run, from which {@link Trainer#resume} continues bit-identically to the run that was never
 * interrupted. Written by a trainer given a {@link CheckpointPolicy} into a {@link CheckpointDirectory}; read with
 * {@link #load} or {@link #latest}. Immutable; the file format is described by {@link CheckpointCodec} (and in the
 * guide).
 *
 * <h2>What it holds</h2>
 * The weights, Adam's first and second moments and step count, the state of the trainer's data generator, the
 * source's position (for a {@link ResumableSource}: its epoch order and the place in it), the counters (batches,
 * sequences, example-steps, training time; the sequence count fixes the learning-rate schedule's position), the next
 * validation point, every validation made so far (progress and full {@link Evaluation}), with early stopping
 * ({@link TrainerConfig#patience()}) the weights of the best validation so far, the trainer's and the
 * network's configuration, the {@link BatchSource#fingerprint() fingerprint} of the training data (for a source that
 * gives one), the run information of the {@link CheckpointPolicy} and the listener's
 * {@link TrainingListener#checkpointState() state}.
 */
public final class TrainingCheckpoint {

    /**
     * What identifies the run: the trainer's and the network's configuration, the seed the network was built with,
     * the policy's run information and the {@link BatchSource#fingerprint() fingerprint} of the training data (empty
     * for a source that gives none, and in checkpoints written before checkpoints held one).
     */
    record Settings(TrainerConfig trainer, NetworkConfig network, long networkSeed, Map<String, String> runInfo,
                    Optional<String> dataFingerprint) {
        Settings {
            runInfo = Collections.unmodifiableMap(new LinkedHashMap<>(runInfo));
        }
    }

    /**
     * How far the run got: the progress after the last batch, the exact training time and the sequence count at or
     * after which the next validation runs.
     */
    record Counters(TrainingProgress progress, long trainNanos, long nextValidation) {
    }

    /**
     * The weights, Adam's state (moments and step count), for a run with early stopping that has validated, the
     * weights of its best validation, and for a run that averages its weights, the average; each a layout of the
     * network's parameters.
     */
    record Learned(Parameters weights, Parameters firstMoments, Parameters secondMoments, long adamSteps,
                   Optional<Parameters> bestWeights, Optional<Parameters> averageWeights) {
    }

    /**
     * Where the data stood: the trainer's generator ({@link SplitMix64} state and gamma), the class of the source and
     * the position of a {@link ResumableSource} (empty for a source that keeps none).
     */
    record DataState(long rngState, long rngGamma, String sourceClass, Optional<long[]> sourcePosition) {
    }

    private final Path file;
    private final Settings settings;
    private final Counters counters;
    private final Learned learned;
    private final DataState data;
    private final List<ValidationRecord> validations;
    private final Map<String, String> listenerState;

    /** A checkpoint of the parts given; {@code file} is where it was read from or is to be written to. */
    TrainingCheckpoint(Path file, Settings settings, Counters counters, Learned learned, DataState data,
                       List<ValidationRecord> validations, Map<String, String> listenerState) {
        this.file = file;
        this.settings = settings;
        this.counters = counters;
        this.learned = learned;
        this.data = data;
        this.validations = List.copyOf(validations);
        this.listenerState = Collections.unmodifiableMap(new LinkedHashMap<>(listenerState));
    }

    // ------------------------------------------------------------------ shortcuts to the directory and the codec

    /**
     * Reads and checks a checkpoint file; the same as {@link CheckpointCodec#read}.
     *
     * @throws ModelFileException if it is not a valid checkpoint, naming the file and the problem
     * @throws IOException        if it cannot be read
     */
    public static TrainingCheckpoint load(Path file) throws IOException {
        Objects.requireNonNull(file, "file is null");
        return CheckpointCodec.read(file);
    }

    /**
     * The newest checkpoint of {@code directory}, if there is one; the same as
     * {@code new CheckpointDirectory(directory).latest()}.
     *
     * @throws ModelFileException if the newest checkpoint is not valid (the message names it and any older ones)
     * @throws IOException        if the directory or the file cannot be read
     */
    public static Optional<TrainingCheckpoint> latest(Path directory) throws IOException {
        return new CheckpointDirectory(directory).latest();
    }

    /**
     * The checkpoint files in {@code directory}, oldest first; the same as {@code new CheckpointDirectory(directory).list()}.
     *
     * @throws IOException if the directory cannot be listed
     */
    public static List<Path> list(Path directory) throws IOException {
        return new CheckpointDirectory(directory).list();
    }

    /** The file of the checkpoint after batch {@code batches} in {@code directory}; see {@link CheckpointDirectory#fileFor}. */
    public static Path fileFor(Path directory, long batches) {
        return new CheckpointDirectory(directory).fileFor(batches);
    }

    // ------------------------------------------------------------------ the value

    /** The file it was read from (or, for a checkpoint being written, is written to). */
    public Path file() {
        return file;
    }

    /** The configuration of the run; {@link Trainer#resume} needs a trainer with exactly this one. */
    public TrainerConfig config() {
        return settings.trainer();
    }

    /** The network's shape; {@link Trainer#resume} needs exactly this one. */
    public NetworkConfig networkConfig() {
        return settings.network();
    }

    /**
     * The {@link BatchSource#fingerprint() fingerprint} of the run's training data; empty if its source gave none or the
     * checkpoint was written before checkpoints held one.
     */
    public Optional<String> dataFingerprint() {
        return settings.dataFingerprint();
    }

    /** The progress after the last batch before the checkpoint (counters, that batch's loss, training time). */
    public TrainingProgress progress() {
        return counters.progress();
    }

    /** Whether the run had trained its whole budget. */
    public boolean complete() {
        return counters.progress().sequences() >= settings.trainer().trainSequences();
    }

    /**
     * Whether the run had stopped early ({@link TrainerConfig#patience()}): its last {@code patience} validations brought
     * no improvement. {@link Trainer#resume} then returns at once, with the best validation's weights.
     */
    public boolean stoppedEarly() {
        return EarlyStopping.stoppedAfter(settings.trainer(), validations);
    }

    /** The validations before the checkpoint, oldest first (unmodifiable). */
    public List<ValidationRecord> validations() {
        return validations;
    }

    /** The run information of the policy that wrote it (unmodifiable). */
    public Map<String, String> runInfo() {
        return settings.runInfo();
    }

    /** What the listener's {@link TrainingListener#checkpointState()} returned (unmodifiable). */
    public Map<String, String> listenerState() {
        return listenerState;
    }

    /** A new network holding the checkpoint's weights (owned by the caller). */
    public RankCodingNetwork network() {
        RankCodingNetwork network = new RankCodingNetwork(settings.network(), settings.networkSeed());
        network.parameters().setTo(learned.weights());
        return network;
    }

    /**
     * Checks, without changing anything, that a trainer with {@code trainerConfig} can {@link Trainer#resume resume}
     * this checkpoint as a network of {@code networkConfig} with {@code source} and a policy with run information
     * {@code policyRunInfo}: the same configuration, the same network (hidden size, layers, head, classes, input size,
     * front end), the same run information, the same data (when the checkpoint and the source both have a
     * {@link BatchSource#fingerprint() fingerprint}; see {@link #uncomparedData}), and a source of the same input size and
     * classes that keeps a position exactly when the checkpoint holds one. {@link Trainer#resume} checks this itself;
     * see {@link CheckpointCompatibility}.
     *
     * @param policyRunInfo the run information of the policy the resumed run writes with (pass {@link #runInfo()}
     *                      for a run that writes no further checkpoints)
     * @throws IllegalArgumentException naming the file and listing every difference (name, value in the checkpoint,
     *                                  value given), and what to do
     * @throws NullPointerException     for a null argument, naming it
     */
    public void requireCompatible(TrainerConfig trainerConfig, NetworkConfig networkConfig, BatchSource source,
                                  Map<String, String> policyRunInfo) {
        Objects.requireNonNull(trainerConfig, "trainerConfig is null");
        Objects.requireNonNull(networkConfig, "networkConfig is null");
        Objects.requireNonNull(source, "source is null");
        Objects.requireNonNull(policyRunInfo, "policyRunInfo is null");
        CheckpointCompatibility.require(this, trainerConfig, networkConfig, policyRunInfo, source);
    }

    /**
     * Why the training data of {@code source} cannot be compared with this checkpoint's: one of them has a
     * {@link BatchSource#fingerprint() fingerprint} and the other none (a checkpoint written before checkpoints held
     * one, or another kind of source). Empty when both have one (they are compared, and {@link #requireCompatible}
     * refuses a difference) or neither has (a generator of fresh sequences). {@link Trainer#resume} logs it as a
     * warning; a resumed run goes on regardless.
     *
     * @throws IllegalArgumentException for a null source
     */
    public Optional<String> uncomparedData(BatchSource source) {
        if (source == null) {
            throw new IllegalArgumentException("uncomparedData(null): give the source of the resumed run");
        }
        return CheckpointCompatibility.uncomparedData(this, source);
    }

    Settings settings() {
        return settings;
    }

    Counters counters() {
        return counters;
    }

    Learned learned() {
        return learned;
    }

    DataState data() {
        return data;
    }

    @Override
    public String toString() {
        return "TrainingCheckpoint[" + file + ": batch " + progress().batches() + ", " + progress().sequences() + " of "
                + config().trainSequences() + " sequences]";
    }
}
