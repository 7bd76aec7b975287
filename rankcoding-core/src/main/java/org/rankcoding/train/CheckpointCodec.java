package org.rankcoding.train;

import org.ejml.data.DMatrixRMaj;
import org.rankcoding.io.ModelFileException;
import org.rankcoding.io.ModelFiles;
import org.rankcoding.io.TensorFile;
import org.rankcoding.nn.ConvFrontEndConfig;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.ParameterHandle;
import org.rankcoding.nn.Parameters;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.kernel.impl.ConvWeightOrder;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link TrainingCheckpoint} as a file, and back.
 *
 * <h2>The file</h2>
 * A {@link TensorFile}: a safetensors file with a SHA-256 checksum over all its bytes, written atomically. Tensors,
 * all {@code F64} except where noted: {@code weights.NAME}, {@code adam.m.NAME}, {@code adam.v.NAME} for every
 * parameter (PyTorch's names, shapes {@code [rows, cols]}), {@code best.NAME} for every parameter (only for a run with
 * early stopping that has validated: the weights of its best validation), {@code average.NAME} for every parameter (only
 * for a run with {@link TrainerConfig#averageDecay() weight averaging}: the moving average) and {@code source.position} ({@code I64}, only for a
 * resumable source). Metadata, every entry named: {@code format} = {@value #FORMAT}, {@code format_version} =
 * {@value #FORMAT_VERSION}, {@code library_version}, {@code created_at}, {@code config.*} (every {@link TrainerConfig}
 * component by name), {@code network.*} (every {@link NetworkConfig} component, and {@code network.seed}),
 * {@code progress.*} (batches, sequences, forward and backward example-steps, training nanoseconds, next validation,
 * last batch loss, its mean decision step), {@code adam.steps}, {@code rng.state}, {@code rng.gamma},
 * {@code source.class}, {@code source.fingerprint} (the {@link org.rankcoding.data.BatchSource#fingerprint() fingerprint}
 * of the training data, only for a source that gives one), {@code run.*}, {@code listener.*} and {@code validations},
 * the validation history as JSON with named fields ({@link ValidationHistoryJson}). Doubles are written with {@link Double#toString(double)}, which reads
 * back exactly.
 *
 * <h2>Versions</h2>
 * Version 1 kept the validation history in positional tables; such files still load
 * ({@link LegacyValidationTables}). {@code source.fingerprint} came later within version 2: a checkpoint without it
 * loads, and a resumed run says that its data could not be compared. Up to version 2 the tensors of a second
 * convolution stage ({@code frontend.weight2}) were in the order {@code [C2, K, K, C]}; they are converted to
 * PyTorch's order on reading. {@code average.*} and {@code config.averageDecay} came later within version 3: a checkpoint
 * without them is a run without averaging. A version above {@value #FORMAT_VERSION} is refused with a message naming it.
 *
 * <p>Reading is strict: a truncated, corrupt or foreign file, a missing or extra entry, a non-finite weight or moment
 * is a {@link ModelFileException} whose message starts with the file's path.
 */
public final class CheckpointCodec {

    /** The value of the {@code format} metadata of every checkpoint. */
    public static final String FORMAT = "rankcoding-checkpoint";
    /** The format version written, and the highest one read. */
    public static final int FORMAT_VERSION = 3;
    /**
     * The last format version whose {@code frontend.weight2} tensors (weights, moments, best weights) are in the order
     * {@code [C2, K, K, C]}; they are converted to PyTorch's {@code [C2, C, K, K]} on reading.
     */
    public static final int PATCH_ORDER_VERSION = 2;
    /** The first format version, whose validation history is positional tables (read, no longer written). */
    public static final int POSITIONAL_HISTORY_VERSION = 1;

    private static final String KEY_FORMAT = "format";
    private static final String KEY_FORMAT_VERSION = "format_version";
    private static final String KEY_LIBRARY_VERSION = "library_version";
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
    private static final String KEY_FINGERPRINT = "source.fingerprint";
    private static final String KEY_VALIDATIONS = "validations";
    private static final String RUN = "run.";
    private static final String LISTENER = "listener.";
    private static final String WEIGHTS = "weights.";
    private static final String ADAM_M = "adam.m.";
    private static final String ADAM_V = "adam.v.";
    private static final String BEST = "best.";
    private static final String AVERAGE = "average.";
    private static final String SOURCE_POSITION = "source.position";

    private CheckpointCodec() {
    }

    // ------------------------------------------------------------------ writing

    /**
     * Writes {@code c} to {@code file}, atomically (an existing file is replaced).
     *
     * @throws IOException if writing fails (the target is then unchanged)
     */
    static void write(Path file, TrainingCheckpoint c) throws IOException {
        TensorFile.write(file, metadata(c), tensors(c));
    }

    private static Map<String, String> metadata(TrainingCheckpoint c) {
        LinkedHashMap<String, String> meta = new LinkedHashMap<>();
        meta.put(KEY_FORMAT, FORMAT);
        meta.put(KEY_FORMAT_VERSION, Integer.toString(FORMAT_VERSION));
        meta.put(KEY_LIBRARY_VERSION, ModelFiles.libraryVersion());
        meta.put("created_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        MetadataFields.putRecord(meta, CONFIG, c.config());
        MetadataFields.putRecord(meta, NETWORK, c.networkConfig());
        meta.put(KEY_NETWORK_SEED, Long.toString(c.settings().networkSeed()));
        TrainingProgress p = c.progress();
        meta.put(KEY_BATCHES, Long.toString(p.batches()));
        meta.put(KEY_SEQUENCES, Long.toString(p.sequences()));
        meta.put(KEY_FORWARD, Long.toString(p.forwardExampleSteps()));
        meta.put(KEY_BACKWARD, Long.toString(p.backwardExampleSteps()));
        meta.put(KEY_NANOS, Long.toString(c.counters().trainNanos()));
        meta.put(KEY_NEXT_VALIDATION, Long.toString(c.counters().nextValidation()));
        meta.put(KEY_LOSS, Double.toString(p.batchLoss()));
        meta.put(KEY_DECISION_STEP, Double.toString(p.meanDecisionStep()));
        meta.put(KEY_ADAM_STEPS, Long.toString(c.learned().adamSteps()));
        meta.put(KEY_RNG_STATE, Long.toString(c.data().rngState()));
        meta.put(KEY_RNG_GAMMA, Long.toString(c.data().rngGamma()));
        meta.put(KEY_SOURCE, c.data().sourceClass());
        c.dataFingerprint().ifPresent(f -> meta.put(KEY_FINGERPRINT, f));
        c.runInfo().forEach((k, v) -> meta.put(RUN + k, v));
        c.listenerState().forEach((k, v) -> meta.put(LISTENER + k, v));
        meta.put(KEY_VALIDATIONS, ValidationHistoryJson.write(c.validations()));
        return meta;
    }

    private static List<TensorFile.Tensor> tensors(TrainingCheckpoint c) {
        List<TensorFile.Tensor> tensors = new ArrayList<>();
        addParameters(tensors, WEIGHTS, c.learned().weights());
        addParameters(tensors, ADAM_M, c.learned().firstMoments());
        addParameters(tensors, ADAM_V, c.learned().secondMoments());
        c.learned().bestWeights().ifPresent(best -> addParameters(tensors, BEST, best));
        c.learned().averageWeights().ifPresent(average -> addParameters(tensors, AVERAGE, average));
        c.data().sourcePosition().ifPresent(position -> tensors.add(TensorFile.Tensor.ofLongs(SOURCE_POSITION, position)));
        return tensors;
    }

    private static void addParameters(List<TensorFile.Tensor> tensors, String prefix, Parameters p) {
        for (String name : p.names()) {
            DMatrixRMaj m = p.get(name);
            tensors.add(TensorFile.Tensor.of(prefix + name, m.data.length == m.getNumElements() ? m.data
                    : Arrays.copyOf(m.data, m.getNumElements()), m.numRows, m.numCols));
        }
    }

    // ------------------------------------------------------------------ reading

    /**
     * Reads and checks a checkpoint file of any version up to {@value #FORMAT_VERSION} (see the class comment).
     *
     * @throws ModelFileException if it is not a valid checkpoint, naming the file and the problem
     * @throws IOException        if it cannot be read
     */
    public static TrainingCheckpoint read(Path file) throws IOException {
        Objects.requireNonNull(file, "file is null");
        TensorFile tf = TensorFile.read(file);
        MetadataFields meta = new MetadataFields(tf);
        long version = requireFormat(meta);
        Set<String> unread = new LinkedHashSet<>(tf.tensors().keySet());
        TrainingCheckpoint.Settings settings = new TrainingCheckpoint.Settings(meta.record(CONFIG, TrainerConfig.class),
                meta.record(NETWORK, NetworkConfig.class), meta.longValue(KEY_NETWORK_SEED), meta.prefixed(RUN),
                meta.has(KEY_FINGERPRINT) ? Optional.of(meta.text(KEY_FINGERPRINT)) : Optional.empty());
        TrainingCheckpoint.Counters counters = counters(meta, settings.trainer());
        TrainingCheckpoint.Learned learned = learned(tf, meta, settings, unread, version <= PATCH_ORDER_VERSION);
        TrainingCheckpoint.DataState data = data(tf, meta, unread);
        List<ValidationRecord> validations = version == POSITIONAL_HISTORY_VERSION
                ? LegacyValidationTables.read(tf, unread)
                : ValidationHistoryJson.read(file, KEY_VALIDATIONS, meta.text(KEY_VALIDATIONS));
        if (!unread.isEmpty()) {
            throw new ModelFileException(file, "unexpected tensors " + unread + " (a checkpoint of format version " + version
                    + " of this network has exactly weights.*, adam.m.*, adam.v.*, with early stopping best.*, with weight averaging average.*"
                    + (version == POSITIONAL_HISTORY_VERSION ? ", validations.*" : "")
                    + " and, for a resumable source, " + SOURCE_POSITION + ")");
        }
        return new TrainingCheckpoint(file, settings, counters, learned, data, validations, meta.prefixed(LISTENER));
    }

    /** Checks the format and returns the version, refusing one written by a newer library. */
    private static long requireFormat(MetadataFields meta) throws ModelFileException {
        String format = meta.has(KEY_FORMAT) ? meta.text(KEY_FORMAT) : null;
        if (!FORMAT.equals(format)) {
            throw new ModelFileException(meta.file(), "metadata '" + KEY_FORMAT + "' is "
                    + (format == null ? "missing" : "'" + format + "'") + ", expected '" + FORMAT
                    + "' (is this a training checkpoint? model files are read by ModelFiles.load)");
        }
        long version = meta.longAtLeast(KEY_FORMAT_VERSION, POSITIONAL_HISTORY_VERSION);
        if (version > FORMAT_VERSION) {
            String writer = meta.has(KEY_LIBRARY_VERSION) ? " (library version " + meta.text(KEY_LIBRARY_VERSION) + ")" : "";
            throw new ModelFileException(meta.file(), "checkpoint format version " + version + ": written by a newer "
                    + "library" + writer + "; this one (" + ModelFiles.libraryVersion() + ") reads checkpoint format "
                    + "versions " + POSITIONAL_HISTORY_VERSION + " to " + FORMAT_VERSION + ". Resume with the library "
                    + "version that wrote it or a newer one, or start a new run in another directory");
        }
        return version;
    }

    private static TrainingCheckpoint.Counters counters(MetadataFields meta, TrainerConfig config) throws ModelFileException {
        long batches = meta.longAtLeast(KEY_BATCHES, 1);
        long sequences = meta.longAtLeast(KEY_SEQUENCES, 1);
        if (sequences > config.trainSequences()) {
            throw new ModelFileException(meta.file(), "metadata '" + KEY_SEQUENCES + "' is " + sequences + ", more than the "
                    + "budget config.trainSequences = " + config.trainSequences());
        }
        long forward = meta.longAtLeast(KEY_FORWARD, 0);
        long backward = meta.longAtLeast(KEY_BACKWARD, 0);
        long nanos = meta.longAtLeast(KEY_NANOS, 0);
        long nextValidation = meta.longAtLeast(KEY_NEXT_VALIDATION, 1);
        TrainingProgress progress = new TrainingProgress(batches, sequences, config.trainSequences(),
                meta.doubleValue(KEY_LOSS), meta.doubleValue(KEY_DECISION_STEP), forward, backward, nanos / 1e9);
        return new TrainingCheckpoint.Counters(progress, nanos, nextValidation);
    }

    private static TrainingCheckpoint.Learned learned(TensorFile tf, MetadataFields meta, TrainingCheckpoint.Settings settings,
                                                      Set<String> unread, boolean patchOrder) throws ModelFileException {
        long adamSteps = meta.longAtLeast(KEY_ADAM_STEPS, 0);
        Parameters layout = new RankCodingNetwork(settings.network(), settings.networkSeed()).parameters();
        boolean hasBest = tf.tensors().keySet().stream().anyMatch(k -> k.startsWith(BEST));
        Optional<Parameters> best = hasBest ? Optional.of(readParameters(tf, BEST, layout, unread)) : Optional.empty();
        boolean hasAverage = tf.tensors().keySet().stream().anyMatch(k -> k.startsWith(AVERAGE));
        Optional<Parameters> average = hasAverage ? Optional.of(readParameters(tf, AVERAGE, layout, unread)) : Optional.empty();
        TrainingCheckpoint.Learned learned = new TrainingCheckpoint.Learned(readParameters(tf, WEIGHTS, layout, unread),
                readParameters(tf, ADAM_M, layout, unread), readParameters(tf, ADAM_V, layout, unread), adamSteps, best,
                average);
        ConvFrontEndConfig front = settings.network().frontEnd();
        if (patchOrder && front.channels2() > 0) {
            ParameterHandle name = layout.layout().frontEndStage(1).weights();
            List<Parameters> all = new ArrayList<>(List.of(learned.weights(), learned.firstMoments(),
                    learned.secondMoments()));
            best.ifPresent(all::add);
            average.ifPresent(all::add);
            for (Parameters p : all) {
                ConvWeightOrder.patchToPyTorchInPlace(p.get(name), front.channels(), front.kernel() * front.kernel());
            }
        }
        return learned;
    }

    private static TrainingCheckpoint.DataState data(TensorFile tf, MetadataFields meta, Set<String> unread)
            throws ModelFileException {
        long rngState = meta.longValue(KEY_RNG_STATE);
        long rngGamma = meta.longValue(KEY_RNG_GAMMA);
        if ((rngGamma & 1) == 0) {
            throw new ModelFileException(tf.file(), "metadata '" + KEY_RNG_GAMMA + "' is " + rngGamma + ", expected an odd number");
        }
        Optional<long[]> position = Optional.empty();
        if (tf.tensors().containsKey(SOURCE_POSITION)) {
            position = Optional.of(tf.longs(SOURCE_POSITION));
            unread.remove(SOURCE_POSITION);
        }
        return new TrainingCheckpoint.DataState(rngState, rngGamma, meta.text(KEY_SOURCE), position);
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
}
