package org.rankcoding.train;

import org.ejml.data.DMatrixRMaj;
import org.rankcoding.data.BatchSource;
import org.rankcoding.data.ResumableSource;
import org.rankcoding.eval.Evaluation;
import org.rankcoding.eval.TimingMetrics;
import org.rankcoding.io.ModelFileException;
import org.rankcoding.io.ModelFiles;
import org.rankcoding.io.TensorFile;
import org.rankcoding.nn.ConvFrontEndConfig;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.Parameters;
import org.rankcoding.nn.RankCodingNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A saved training run, from which {@link Trainer#resume} continues bit-identically to the run that was never
 * interrupted. Written by a trainer given a {@link CheckpointPolicy}; read with {@link #load} or {@link #latest}.
 *
 * <h2>What it holds</h2>
 * The weights, Adam's first and second moments and step count, the state of the trainer's data generator, the
 * source's position (for a {@link ResumableSource}: its epoch order and the place in it), the counters (batches,
 * sequences, example-steps, training time; the sequence count fixes the learning-rate schedule's position), the next
 * validation point, every validation made so far (progress and full {@link Evaluation}), the trainer's and the
 * network's configuration, the run information of the {@link CheckpointPolicy} and the listener's
 * {@link TrainingListener#checkpointState() state}.
 *
 * <h2>The file</h2>
 * {@code checkpoint-BBBBBBBBBBBB.safetensors} (the batch count, 12 digits) in the policy's directory: a
 * {@link TensorFile}, that is a safetensors file with a SHA-256 checksum over all its bytes, written atomically
 * (temporary file in the same directory, forced to the device, atomic rename, directory forced). Tensors, all
 * {@code F64} except where noted: {@code weights.NAME}, {@code adam.m.NAME}, {@code adam.v.NAME} for every parameter
 * (PyTorch's names, shapes {@code [rows, cols]}); {@code source.position} ({@code I64}, only for a resumable
 * source); {@code validations.i64} ({@code I64 [n, 13]}), {@code validations.f64} ({@code [n, 14]}),
 * {@code validations.histograms} ({@code I64}) and {@code validations.per_class}, the validation history. Metadata:
 * {@code format} = {@value #FORMAT}, {@code format_version}, {@code library_version}, {@code created_at},
 * {@code config.*} (every {@link TrainerConfig} component by name), {@code network.*} (every {@link NetworkConfig}
 * component, and {@code network.seed}), {@code progress.*}, {@code adam.steps}, {@code rng.state},
 * {@code rng.gamma}, {@code source.class}, {@code run.*} and {@code listener.*}. Doubles are written with
 * {@link Double#toString(double)}, which reads back exactly.
 *
 * <p>Loading is strict: a truncated, corrupt or foreign file, a missing or extra entry, a non-finite weight or moment
 * is a {@link ModelFileException} whose message starts with the file's path.
 */
public final class TrainingCheckpoint {

    /** The value of the {@code format} metadata of every checkpoint. */
    public static final String FORMAT = "rankcoding-checkpoint";
    /** The format version written, and the highest one read. */
    public static final int FORMAT_VERSION = 1;

    private static final Logger LOG = LoggerFactory.getLogger(TrainingCheckpoint.class);
    private static final Pattern FILE_NAME = Pattern.compile("checkpoint-(\\d{12})\\.safetensors");

    private static final String KEY_FORMAT = "format";
    private static final String KEY_FORMAT_VERSION = "format_version";
    private static final String CONFIG = "config.";
    private static final String NETWORK = "network.";
    private static final String KEY_NETWORK_SEED = "network.seed";
    private static final String KEY_BATCHES = "progress.batches";
    private static final String KEY_SEQUENCES = "progress.sequences";
    private static final String KEY_FORWARD = "progress.forward_example_steps";
    private static final String KEY_BACKWARD = "progress.backward_example_steps";
    private static final String KEY_NANOS = "progress.train_nanos";
    private static final String KEY_NEXT_VALIDATION = "progress.next_validation";
    private static final String KEY_LOSS = "progress.batch_loss";
    private static final String KEY_DECISION_STEP = "progress.mean_decision_step";
    private static final String KEY_ADAM_STEPS = "adam.steps";
    private static final String KEY_RNG_STATE = "rng.state";
    private static final String KEY_RNG_GAMMA = "rng.gamma";
    private static final String KEY_SOURCE = "source.class";
    private static final String RUN = "run.";
    private static final String LISTENER = "listener.";
    private static final String WEIGHTS = "weights.";
    private static final String ADAM_M = "adam.m.";
    private static final String ADAM_V = "adam.v.";
    private static final String SOURCE_POSITION = "source.position";
    private static final String VALIDATIONS_I64 = "validations.i64";
    private static final String VALIDATIONS_F64 = "validations.f64";
    private static final String VALIDATIONS_HISTOGRAMS = "validations.histograms";
    private static final String VALIDATIONS_PER_CLASS = "validations.per_class";
    /** Columns of {@value #VALIDATIONS_I64}. */
    private static final int I64_COLUMNS = 13;
    /** Columns of {@value #VALIDATIONS_F64}. */
    private static final int F64_COLUMNS = 14;

    private final Path file;
    private final TrainerConfig config;
    private final NetworkConfig networkConfig;
    private final long networkSeed;
    private final TrainingProgress progress;
    private final List<ValidationRecord> validations;
    private final Map<String, String> runInfo;
    private final Map<String, String> listenerState;
    private final String sourceClass;
    private final Parameters weights;
    private final Parameters firstMoments;
    private final Parameters secondMoments;
    private final long adamSteps;
    private final long rngState;
    private final long rngGamma;
    private final long[] sourcePosition;
    private final long nanos;
    private final long nextValidation;

    private TrainingCheckpoint(Path file, TrainerConfig config, NetworkConfig networkConfig, long networkSeed,
                               TrainingProgress progress, List<ValidationRecord> validations, Map<String, String> runInfo,
                               Map<String, String> listenerState, String sourceClass, Parameters weights,
                               Parameters firstMoments, Parameters secondMoments, long adamSteps, long rngState, long rngGamma,
                               long[] sourcePosition, long nanos, long nextValidation) {
        this.file = file;
        this.config = config;
        this.networkConfig = networkConfig;
        this.networkSeed = networkSeed;
        this.progress = progress;
        this.validations = List.copyOf(validations);
        this.runInfo = Collections.unmodifiableMap(runInfo);
        this.listenerState = Collections.unmodifiableMap(listenerState);
        this.sourceClass = sourceClass;
        this.weights = weights;
        this.firstMoments = firstMoments;
        this.secondMoments = secondMoments;
        this.adamSteps = adamSteps;
        this.rngState = rngState;
        this.rngGamma = rngGamma;
        this.sourcePosition = sourcePosition;
        this.nanos = nanos;
        this.nextValidation = nextValidation;
    }

    /** The file it was read from. */
    public Path file() {
        return file;
    }

    /** The configuration of the run; {@link Trainer#resume} needs a trainer with exactly this one. */
    public TrainerConfig config() {
        return config;
    }

    /** The network's shape. */
    public NetworkConfig networkConfig() {
        return networkConfig;
    }

    /** The progress after the last batch before the checkpoint (counters, that batch's loss, training time). */
    public TrainingProgress progress() {
        return progress;
    }

    /** Whether the run had trained its whole budget. */
    public boolean complete() {
        return progress.sequences() >= config.trainSequences();
    }

    /** The validations before the checkpoint, oldest first (unmodifiable). */
    public List<ValidationRecord> validations() {
        return validations;
    }

    /** The run information of the policy that wrote it (unmodifiable). */
    public Map<String, String> runInfo() {
        return runInfo;
    }

    /** What the listener's {@link TrainingListener#checkpointState()} returned (unmodifiable). */
    public Map<String, String> listenerState() {
        return listenerState;
    }

    /** A new network holding the checkpoint's weights (owned by the caller). */
    public RankCodingNetwork network() {
        RankCodingNetwork network = new RankCodingNetwork(networkConfig, networkSeed);
        network.parameters().setTo(weights);
        return network;
    }

    // ------------------------------------------------------------------ files

    /** The file of the checkpoint after batch {@code batches} in {@code directory}. */
    public static Path fileFor(Path directory, long batches) {
        return directory.resolve(String.format(Locale.ROOT, "checkpoint-%012d.safetensors", batches));
    }

    /**
     * The checkpoint files in {@code directory}, oldest (fewest batches) first; empty if the directory does not exist.
     *
     * @throws IOException if the directory cannot be listed
     */
    public static List<Path> list(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> entries = Files.list(directory)) {
            entries.filter(p -> FILE_NAME.matcher(p.getFileName().toString()).matches()).forEach(files::add);
        }
        files.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        return files;
    }

    /**
     * Loads the newest checkpoint of {@code directory}, if there is one.
     *
     * @return empty if the directory does not exist or holds no checkpoint file
     * @throws ModelFileException if the newest checkpoint is not valid (the message names it and any older ones)
     * @throws IOException        if the directory or the file cannot be read
     */
    public static Optional<TrainingCheckpoint> latest(Path directory) throws IOException {
        List<Path> files = list(directory);
        if (files.isEmpty()) {
            return Optional.empty();
        }
        Path newest = files.get(files.size() - 1);
        try {
            return Optional.of(load(newest));
        } catch (ModelFileException e) {
            String prefix = newest + ": ";
            String detail = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
            throw new ModelFileException(newest, detail
                    + (files.size() > 1 ? "; older checkpoints in the directory: " + files.subList(0, files.size() - 1)
                    .stream().map(p -> p.getFileName().toString()).toList() + " (delete the invalid one to resume from the "
                    + "one before it)" : ""), e);
        }
    }

    /**
     * Reads and checks a checkpoint file (see the class comment).
     *
     * @throws ModelFileException if it is not a valid checkpoint, naming the file and the problem
     * @throws IOException        if it cannot be read
     */
    public static TrainingCheckpoint load(Path file) throws IOException {
        TensorFile tf = TensorFile.read(file);
        String format = tf.metadata().get(KEY_FORMAT);
        if (!FORMAT.equals(format)) {
            throw new ModelFileException(file, "metadata '" + KEY_FORMAT + "' is " + (format == null ? "missing" : "'" + format + "'")
                    + ", expected '" + FORMAT + "' (is this a training checkpoint? model files are read by ModelFiles.load)");
        }
        long version = longValue(tf, KEY_FORMAT_VERSION, 1);
        if (version > FORMAT_VERSION) {
            throw new ModelFileException(file, "metadata '" + KEY_FORMAT_VERSION + "' is " + version + ": written by a newer "
                    + "library; this one reads checkpoint versions up to " + FORMAT_VERSION);
        }
        Set<String> unread = new LinkedHashSet<>(tf.tensors().keySet());
        TrainerConfig config = readRecord(tf, CONFIG, TrainerConfig.class);
        NetworkConfig net = readRecord(tf, NETWORK, NetworkConfig.class);
        long networkSeed = parseLong(tf, KEY_NETWORK_SEED);
        long batches = longValue(tf, KEY_BATCHES, 1);
        long sequences = longValue(tf, KEY_SEQUENCES, 1);
        if (sequences > config.trainSequences()) {
            throw new ModelFileException(file, "metadata '" + KEY_SEQUENCES + "' is " + sequences + ", more than the budget "
                    + "config.trainSequences = " + config.trainSequences());
        }
        long forward = longValue(tf, KEY_FORWARD, 0);
        long backward = longValue(tf, KEY_BACKWARD, 0);
        long nanos = longValue(tf, KEY_NANOS, 0);
        long nextValidation = longValue(tf, KEY_NEXT_VALIDATION, 1);
        TrainingProgress progress = new TrainingProgress(batches, sequences, config.trainSequences(),
                parseDouble(tf, KEY_LOSS), parseDouble(tf, KEY_DECISION_STEP), forward, backward, nanos / 1e9);
        long adamSteps = longValue(tf, KEY_ADAM_STEPS, 0);
        long rngState = parseLong(tf, KEY_RNG_STATE);
        long rngGamma = parseLong(tf, KEY_RNG_GAMMA);
        if ((rngGamma & 1) == 0) {
            throw new ModelFileException(file, "metadata '" + KEY_RNG_GAMMA + "' is " + rngGamma + ", expected an odd number");
        }
        Parameters layout = new RankCodingNetwork(net, networkSeed).parameters();
        Parameters weights = readParameters(tf, WEIGHTS, layout, unread);
        Parameters m = readParameters(tf, ADAM_M, layout, unread);
        Parameters v = readParameters(tf, ADAM_V, layout, unread);
        long[] position = null;
        if (tf.tensors().containsKey(SOURCE_POSITION)) {
            position = tf.longs(SOURCE_POSITION);
            unread.remove(SOURCE_POSITION);
        }
        List<ValidationRecord> validations = readValidations(tf, unread);
        if (!unread.isEmpty()) {
            throw new ModelFileException(file, "unexpected tensors " + unread + " (a checkpoint of this network has exactly "
                    + "weights.*, adam.m.*, adam.v.*, validations.* and, for a resumable source, " + SOURCE_POSITION + ")");
        }
        return new TrainingCheckpoint(file, config, net, networkSeed, progress, validations, prefixed(tf.metadata(), RUN),
                prefixed(tf.metadata(), LISTENER), tf.require(KEY_SOURCE), weights, m, v, adamSteps, rngState, rngGamma,
                position, nanos, nextValidation);
    }

    // ------------------------------------------------------------------ resuming

    /**
     * Checks, without changing anything, that a trainer with {@code trainerConfig} can {@link Trainer#resume resume}
     * this checkpoint with {@code source} and a policy with run information {@code policyRunInfo}: the same
     * configuration, a source of the same input size and classes that keeps a position exactly when the checkpoint
     * holds one, and the same run information ({@code null}: not checked). {@link Trainer#resume} checks this itself.
     *
     * @throws IllegalArgumentException naming the file and listing every difference, and what to do
     */
    public void requireCompatible(TrainerConfig trainerConfig, BatchSource source, Map<String, String> policyRunInfo) {
        String diff = differences(config, trainerConfig);
        if (policyRunInfo != null && !policyRunInfo.equals(runInfo)) {
            diff += (diff.isEmpty() ? "" : "; ") + differences(runInfo, policyRunInfo);
        }
        if (!diff.isEmpty()) {
            throw new IllegalArgumentException(file + " was written by a run with other settings: " + diff
                    + "; resume with the run's settings, or start a new run in another directory");
        }
        if (source.inputSize() != networkConfig.inputSize() || source.numClasses() != networkConfig.numClasses()) {
            throw new IllegalArgumentException(file + " holds a network of input size " + networkConfig.inputSize() + " and "
                    + networkConfig.numClasses() + " classes, but the source has input size " + source.inputSize() + " and "
                    + source.numClasses() + " classes; is it the same data?");
        }
        if (sourcePosition != null && !(source instanceof ResumableSource)) {
            throw new IllegalArgumentException(file + " holds the position of a " + sourceClass + ", but the source given ("
                    + source.getClass().getName() + ") is not a ResumableSource; resume with the run's source");
        }
        if (sourcePosition == null && source instanceof ResumableSource) {
            throw new IllegalArgumentException(file + " holds no source position (it was written with a " + sourceClass
                    + ", which keeps none), but the source given (" + source.getClass().getName() + ") keeps one; resume "
                    + "with the run's source");
        }
    }

    /** The state to continue from: restores the source's position too (after {@link BatchSource#reset()}). */
    TrainingState restore(BatchSource source) {
        RankCodingNetwork network = network();
        TrainingState s = new TrainingState(network, config, new SplitMix64(rngState, rngGamma));
        s.adam.restore(firstMoments, secondMoments, adamSteps);
        s.sequences = progress.sequences();
        s.batches = progress.batches();
        s.forward = progress.forwardExampleSteps();
        s.backward = progress.backwardExampleSteps();
        s.nanos = nanos;
        s.nextValidation = nextValidation;
        s.lastLoss = progress.batchLoss();
        s.lastDecisionStep = progress.meanDecisionStep();
        s.validations.addAll(validations);
        source.reset();
        if (sourcePosition != null) {
            try {
                ((ResumableSource) source).restorePosition(sourcePosition.clone());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": the source cannot continue from the saved position: " + e.getMessage(), e);
            }
        }
        return s;
    }

    // ------------------------------------------------------------------ writing

    /**
     * Makes {@code directory} ready for checkpoints: creates it if missing and deletes temporary files that a killed
     * writer left behind. With {@code fresh}, refuses a directory that already holds checkpoints.
     *
     * @throws IllegalStateException if {@code fresh} and the directory holds checkpoints
     * @throws IOException           if the directory cannot be created or listed
     */
    static void prepareDirectory(Path directory, boolean fresh) throws IOException {
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new IOException("the checkpoint directory " + directory + " exists but is not a directory");
        }
        Files.createDirectories(directory);
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path p : entries.toList()) {
                String target = TensorFile.temporaryTarget(p.getFileName().toString());
                if (target != null && FILE_NAME.matcher(target).matches()) {
                    LOG.info("deleting {}, a partial checkpoint left by an interrupted write", p);
                    Files.deleteIfExists(p);
                }
            }
        }
        List<Path> existing = list(directory);
        if (fresh && !existing.isEmpty()) {
            throw new IllegalStateException("the checkpoint directory " + directory + " already holds " + existing.size()
                    + " checkpoint" + (existing.size() == 1 ? "" : "s") + " of a run (latest: "
                    + existing.get(existing.size() - 1).getFileName() + "); resume that run (Trainer.resume, or --resume), "
                    + "or give an empty directory");
        }
    }

    /**
     * Writes the checkpoint of state {@code s} into the policy's directory and deletes the checkpoints beyond the
     * policy's {@code keep}.
     *
     * @return the file written
     * @throws IllegalStateException if the state holds a non-finite weight or moment (nothing is written)
     * @throws IOException           if writing fails (the checkpoints written before are intact)
     */
    static Path write(CheckpointPolicy policy, TrainerConfig config, TrainingState s, BatchSource source,
                      Map<String, String> listenerState) throws IOException {
        Path file = fileFor(policy.directory(), s.batches);
        Parameters params = s.network.parameters();
        requireFinite(s, params, "parameter");
        requireFinite(s, s.adam.firstMoments(), "Adam's first moment of");
        requireFinite(s, s.adam.secondMoments(), "Adam's second moment of");
        LinkedHashMap<String, String> meta = new LinkedHashMap<>();
        meta.put(KEY_FORMAT, FORMAT);
        meta.put(KEY_FORMAT_VERSION, Integer.toString(FORMAT_VERSION));
        meta.put("library_version", ModelFiles.libraryVersion());
        meta.put("created_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        putRecord(meta, CONFIG, config);
        putRecord(meta, NETWORK, s.network.config());
        meta.put(KEY_NETWORK_SEED, Long.toString(s.network.seed()));
        meta.put(KEY_BATCHES, Long.toString(s.batches));
        meta.put(KEY_SEQUENCES, Long.toString(s.sequences));
        meta.put(KEY_FORWARD, Long.toString(s.forward));
        meta.put(KEY_BACKWARD, Long.toString(s.backward));
        meta.put(KEY_NANOS, Long.toString(s.nanos));
        meta.put(KEY_NEXT_VALIDATION, Long.toString(s.nextValidation));
        meta.put(KEY_LOSS, Double.toString(s.lastLoss));
        meta.put(KEY_DECISION_STEP, Double.toString(s.lastDecisionStep));
        meta.put(KEY_ADAM_STEPS, Long.toString(s.adam.steps()));
        meta.put(KEY_RNG_STATE, Long.toString(s.rng.state()));
        meta.put(KEY_RNG_GAMMA, Long.toString(s.rng.gamma()));
        meta.put(KEY_SOURCE, source.getClass().getName());
        policy.runInfo().forEach((k, v) -> meta.put(RUN + k, v));
        listenerState.forEach((k, v) -> {
            if (k == null || v == null) {
                throw new IllegalArgumentException("the listener's checkpoint state has the entry " + k + " = " + v
                        + "; keys and values must be non-null");
            }
            meta.put(LISTENER + k, v);
        });
        List<TensorFile.Tensor> tensors = new ArrayList<>();
        addParameters(tensors, WEIGHTS, params);
        addParameters(tensors, ADAM_M, s.adam.firstMoments());
        addParameters(tensors, ADAM_V, s.adam.secondMoments());
        if (source instanceof ResumableSource r) {
            tensors.add(TensorFile.Tensor.ofLongs(SOURCE_POSITION, r.savePosition()));
        }
        addValidations(tensors, s.validations);
        try {
            TensorFile.write(file, meta, tensors);
        } catch (IOException e) {
            List<Path> before = list(policy.directory());
            throw new IOException("could not write the checkpoint " + file + " after batch " + s.batches + ": " + e
                    + " (is the directory writable, and is there space left on its device?); training stopped. "
                    + (before.isEmpty() ? "No earlier checkpoint exists." : "The earlier checkpoints are intact, latest: "
                    + before.get(before.size() - 1)), e);
        }
        List<Path> all = list(policy.directory());
        for (int i = 0; i < all.size() - policy.keep(); i++) {
            try {
                Files.deleteIfExists(all.get(i));
            } catch (IOException e) {
                LOG.warn("could not delete the old checkpoint {}: {}", all.get(i), e.toString());
            }
        }
        LOG.debug("wrote checkpoint {} ({} batches, {} sequences)", file, s.batches, s.sequences);
        return file;
    }

    private static void requireFinite(TrainingState s, Parameters p, String what) {
        String bad = p.firstNonFinite();
        if (bad != null) {
            throw new IllegalStateException("training diverged at batch " + s.batches + ": " + what + " '" + bad + "' holds a "
                    + "non-finite value; no checkpoint of this state was written, the earlier ones are intact");
        }
    }

    private static void addParameters(List<TensorFile.Tensor> tensors, String prefix, Parameters p) {
        for (String name : p.names()) {
            DMatrixRMaj m = p.get(name);
            tensors.add(TensorFile.Tensor.of(prefix + name, m.data.length == m.getNumElements() ? m.data
                    : Arrays.copyOf(m.data, m.getNumElements()), m.numRows, m.numCols));
        }
    }

    private static Parameters readParameters(TensorFile tf, String prefix, Parameters layout, Set<String> unread)
            throws ModelFileException {
        Parameters p = layout.zerosLike();
        for (String name : p.names()) {
            DMatrixRMaj m = p.get(name);
            double[] values = tf.doubles(prefix + name, m.numRows, m.numCols);
            for (int i = 0; i < values.length; i++) {
                if (!Double.isFinite(values[i])) {
                    throw new ModelFileException(tf.file(), "tensor '" + prefix + name + "' holds " + values[i] + " at index "
                            + i + "; a checkpoint holds finite values only");
                }
            }
            System.arraycopy(values, 0, m.data, 0, values.length);
            unread.remove(prefix + name);
        }
        return p;
    }

    // ------------------------------------------------------------------ validation history

    private static void addValidations(List<TensorFile.Tensor> tensors, List<ValidationRecord> validations) {
        int n = validations.size();
        long[] ints = new long[n * I64_COLUMNS];
        double[] reals = new double[n * F64_COLUMNS];
        List<long[]> histograms = new ArrayList<>();
        List<double[]> perClass = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TrainingProgress p = validations.get(i).progress();
            Evaluation e = validations.get(i).evaluation();
            TimingMetrics t = e.timing();
            long[] decided = e.decisionHistogram();
            double[] classes = e.perClassMeanDecisionStep();
            System.arraycopy(new long[]{p.batches(), p.sequences(), p.totalSequences(), p.forwardExampleSteps(),
                    p.backwardExampleSteps(), e.examples(), e.earlyExitExampleSteps(), e.fullExampleSteps(), decided.length,
                    classes.length, t == null ? 0 : 1, t == null ? 0 : t.prematureSpikes(), t == null ? 0 : t.positives()},
                    0, ints, i * I64_COLUMNS, I64_COLUMNS);
            System.arraycopy(new double[]{p.batchLoss(), p.meanDecisionStep(), p.seconds(), e.threshold(),
                    e.accuracyFirstSpike(), e.accuracyLastStep(), e.meanDecisionStep(), e.medianDecisionStep(),
                    e.noSpikeFraction(), e.earliness(), e.harmonicMean(), t == null ? 0 : t.meanLag(),
                    t == null ? 0 : t.prematureFraction(), t == null ? 0 : t.timingLoss()}, 0, reals, i * F64_COLUMNS, F64_COLUMNS);
            histograms.add(decided);
            histograms.add(e.correctHistogram());
            perClass.add(classes);
        }
        tensors.add(TensorFile.Tensor.ofLongs(VALIDATIONS_I64, ints, n, I64_COLUMNS));
        tensors.add(TensorFile.Tensor.of(VALIDATIONS_F64, reals, n, F64_COLUMNS));
        tensors.add(TensorFile.Tensor.ofLongs(VALIDATIONS_HISTOGRAMS,
                histograms.stream().flatMapToLong(java.util.Arrays::stream).toArray()));
        tensors.add(TensorFile.Tensor.of(VALIDATIONS_PER_CLASS, perClass.stream().flatMapToDouble(java.util.Arrays::stream).toArray()));
    }

    private static List<ValidationRecord> readValidations(TensorFile tf, Set<String> unread) throws ModelFileException {
        TensorFile.Tensor table = tf.tensors().get(VALIDATIONS_I64);
        long n = table == null || table.shape().length != 2 ? -1 : table.shape()[0];
        if (n < 0) {
            throw new ModelFileException(tf.file(), "tensor '" + VALIDATIONS_I64 + "' is missing or not a matrix");
        }
        long[] ints = tf.longs(VALIDATIONS_I64, n, I64_COLUMNS);
        double[] reals = tf.doubles(VALIDATIONS_F64, n, F64_COLUMNS);
        long[] histograms = tf.longs(VALIDATIONS_HISTOGRAMS);
        double[] perClass = tf.doubles(VALIDATIONS_PER_CLASS);
        unread.removeAll(List.of(VALIDATIONS_I64, VALIDATIONS_F64, VALIDATIONS_HISTOGRAMS, VALIDATIONS_PER_CLASS));
        List<ValidationRecord> out = new ArrayList<>();
        int h = 0;
        int c = 0;
        for (int i = 0; i < n; i++) {
            int a = i * I64_COLUMNS;
            int b = i * F64_COLUMNS;
            long steps = ints[a + 8];
            long classes = ints[a + 9];
            if (steps < 0 || classes < 0 || h + 2 * steps > histograms.length || c + classes > perClass.length) {
                throw new ModelFileException(tf.file(), "validation " + i + " needs " + steps + " histogram entries and "
                        + classes + " classes, more than '" + VALIDATIONS_HISTOGRAMS + "' and '" + VALIDATIONS_PER_CLASS + "' hold");
            }
            long[] decided = Arrays.copyOfRange(histograms, h, h + (int) steps);
            long[] correct = Arrays.copyOfRange(histograms, h + (int) steps, h + 2 * (int) steps);
            double[] byClass = Arrays.copyOfRange(perClass, c, c + (int) classes);
            h += 2 * (int) steps;
            c += (int) classes;
            TimingMetrics timing = ints[a + 10] == 0 ? null
                    : new TimingMetrics(reals[b + 11], ints[a + 11], reals[b + 12], reals[b + 13], ints[a + 12]);
            try {
                Evaluation e = new Evaluation(ints[a + 5], reals[b + 3], reals[b + 4], reals[b + 5], reals[b + 6], reals[b + 7],
                        decided, correct, byClass, reals[b + 8], reals[b + 9], reals[b + 10], ints[a + 6], ints[a + 7], timing);
                TrainingProgress p = new TrainingProgress(ints[a], ints[a + 1], ints[a + 2], reals[b], reals[b + 1], ints[a + 3],
                        ints[a + 4], reals[b + 2]);
                out.add(new ValidationRecord(p, e));
            } catch (IllegalArgumentException e) {
                throw new ModelFileException(tf.file(), "validation " + i + " is invalid: " + e.getMessage(), e);
            }
        }
        if (h != histograms.length || c != perClass.length) {
            throw new ModelFileException(tf.file(), "'" + VALIDATIONS_HISTOGRAMS + "' and '" + VALIDATIONS_PER_CLASS + "' hold "
                    + (histograms.length - h) + " and " + (perClass.length - c) + " values beyond the validations' needs");
        }
        return out;
    }

    // ------------------------------------------------------------------ metadata

    /** Writes every component of {@code r} as {@code prefix + name}: numbers in Java's exact decimal form, enums by name, a front end in its text form. */
    private static void putRecord(Map<String, String> meta, String prefix, Record r) {
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            Object v = component(c, r);
            meta.put(prefix + c.getName(), v instanceof Enum<?> e ? e.name() : String.valueOf(v));
        }
    }

    /** Reads a record written by {@link #putRecord}, validated by its constructor. */
    /** Components added after the first checkpoint format, with the value that reproduces older checkpoints' runs. */
    private static final Map<String, Object> LATER_COMPONENTS = Map.of(
            NETWORK + "frontEnd", ConvFrontEndConfig.NONE,
            CONFIG + "warmupSequencesPerStep", 0L);

    private static <R extends Record> R readRecord(TensorFile tf, String prefix, Class<R> type) throws ModelFileException {
        RecordComponent[] cs = type.getRecordComponents();
        Object[] args = new Object[cs.length];
        Class<?>[] types = new Class<?>[cs.length];
        for (int i = 0; i < cs.length; i++) {
            types[i] = cs[i].getType();
            String key = prefix + cs[i].getName();
            if (!tf.metadata().containsKey(key) && LATER_COMPONENTS.containsKey(key)) {
                args[i] = LATER_COMPONENTS.get(key); // a checkpoint written before this component existed
                continue;
            }
            args[i] = parse(tf, key, tf.require(key), types[i]);
        }
        try {
            return type.getDeclaredConstructor(types).newInstance(args);
        } catch (InvocationTargetException e) {
            throw new ModelFileException(tf.file(), "the metadata '" + prefix + "*' describes an invalid " + type.getSimpleName()
                    + ": " + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build a " + type.getName(), e);
        }
    }

    private static Object parse(TensorFile tf, String key, String text, Class<?> type) throws ModelFileException {
        try {
            if (type == double.class) {
                return Double.parseDouble(text);
            } else if (type == long.class) {
                return Long.parseLong(text);
            } else if (type == int.class) {
                return Integer.parseInt(text);
            } else if (type == ConvFrontEndConfig.class) {
                try {
                    return ConvFrontEndConfig.parse(text);
                } catch (IllegalArgumentException e) {
                    throw new ModelFileException(tf.file(), "metadata '" + key + "': " + e.getMessage(), e);
                }
            } else if (type.isEnum()) {
                for (Object constant : type.getEnumConstants()) {
                    if (((Enum<?>) constant).name().equals(text)) {
                        return constant;
                    }
                }
                throw new ModelFileException(tf.file(), "metadata '" + key + "' is '" + text + "', expected one of "
                        + Arrays.toString(type.getEnumConstants()));
            }
        } catch (NumberFormatException e) {
            throw new ModelFileException(tf.file(), "metadata '" + key + "' is '" + text + "', expected a " + type.getName());
        }
        throw new IllegalStateException("no reader for components of type " + type.getName());
    }

    private static Object component(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c, e);
        }
    }

    /** The components in which {@code saved} and {@code given} differ, as "name = saved in the checkpoint, given here". */
    private static String differences(Record saved, Record given) {
        List<String> diffs = new ArrayList<>();
        for (RecordComponent c : saved.getClass().getRecordComponents()) {
            Object a = component(c, saved);
            Object b = component(c, given);
            if (!a.equals(b)) {
                diffs.add(c.getName() + " = " + a + " in the checkpoint, " + b + " here");
            }
        }
        return String.join("; ", diffs);
    }

    private static String differences(Map<String, String> saved, Map<String, String> given) {
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
        return String.join("; ", diffs);
    }

    private static Map<String, String> prefixed(Map<String, String> meta, String prefix) {
        LinkedHashMap<String, String> out = new LinkedHashMap<>();
        meta.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    private static long parseLong(TensorFile tf, String key) throws ModelFileException {
        return (Long) parse(tf, key, tf.require(key), long.class);
    }

    private static double parseDouble(TensorFile tf, String key) throws ModelFileException {
        return (Double) parse(tf, key, tf.require(key), double.class);
    }

    /** A long at least {@code min}. */
    private static long longValue(TensorFile tf, String key, long min) throws ModelFileException {
        long v = parseLong(tf, key);
        if (v < min) {
            throw new ModelFileException(tf.file(), "metadata '" + key + "' is " + v + ", expected >= " + min);
        }
        return v;
    }

    @Override
    public String toString() {
        return "TrainingCheckpoint[" + file + ": batch " + progress.batches() + ", " + progress.sequences() + " of "
                + config.trainSequences() + " sequences]";
    }
}
