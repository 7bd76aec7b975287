package org.rankcoding.io;

import org.rankcoding.infer.RankCodingModel;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.ConvFrontEndConfig;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.kernel.impl.ConvWeightOrder;
import org.rankcoding.rc.DecisionRuleSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Saves and loads {@link RankCodingNetwork}s as <a href="https://huggingface.co/docs/safetensors">safetensors</a>
 * files whose tensors carry PyTorch's names and layouts, so that a model moves between this library and
 * PyTorch's {@code nn.LSTM} + {@code nn.Linear} without conversion ({@code scripts/torch_interop.py} does the
 * PyTorch side). The format is described in {@code docs/models.md}.
 *
 * <h2>The file</h2>
 * An 8-byte little-endian unsigned header length {@code N}, {@code N} bytes of UTF-8 JSON (padded with spaces so
 * that the data starts at a multiple of 8), then the tensors' raw little-endian bytes, contiguous, in the order
 * below. Tensors (names of the network's {@link org.rankcoding.nn.Parameters}; prefixes {@value RankCodingNetwork#LSTM_PREFIX} and
 * {@value RankCodingNetwork#READOUT_PREFIX}, as the attributes {@code lstm} and {@code readout} of a PyTorch
 * module):
 * <pre>
 *   lstm.weight_ih_l{k}   [4H, I] for k = 0, [4H, H] above     nn.LSTM, gate order i, f, g, o
 *   lstm.weight_hh_l{k}   [4H, H]
 *   lstm.bias_ih_l{k}     [4H]
 *   lstm.bias_hh_l{k}     [4H]
 *   readout.weight        [K, H]    nn.Linear; K = 1 for the binary head, else the number of classes
 *   readout.bias          [K]
 * </pre>
 * (the {@link org.rankcoding.nn.ParameterLayout} of the configuration, front-end tensors last when there is one),
 * stored as {@code F32} by default (as PyTorch) or {@code F64} ({@link SaveOptions#withDtype}); both are read.
 * The {@code __metadata__} holds the configuration and provenance as strings: {@value #KEY_FORMAT} (always
 * {@value #FORMAT}), {@value #KEY_FORMAT_VERSION}, {@value #KEY_LIBRARY_VERSION}, {@value #KEY_CREATED_BY},
 * {@value #KEY_CREATED_AT}, {@value #KEY_HEAD} (a {@link HeadType} name), {@value #KEY_NUM_CLASSES},
 * {@value #KEY_THRESHOLD}, {@value #KEY_INPUT_SIZE}, {@value #KEY_HIDDEN_SIZE}, {@value #KEY_LAYERS},
 * {@value #KEY_FRONT_END} (the {@link org.rankcoding.nn.ConvFrontEndConfig} text form; written only for a network with a
 * front end, absent means none), {@value #KEY_DECISION_RULE} (the {@link DecisionRuleSpec} text form; written only for
 * a rule other than threshold crossing, absent means threshold crossing at {@value #KEY_THRESHOLD}; its threshold at
 * step 1 is {@value #KEY_THRESHOLD})
 * and {@value #KEY_SEED} (optional), then any extra entries of {@link SaveOptions#metadata()}.
 *
 * <h2>Loading is strict</h2>
 * {@link #load(Path)} accepts a file only if all of this holds, and otherwise throws a
 * {@link ModelFileException} naming the file, what was expected and what was found: the header length is at most
 * the file size minus 8 and at most {@link #MAX_HEADER_BYTES} (checked before anything is allocated); the header
 * is valid UTF-8 and a JSON object (parsed by jackson-core's streaming parser) without duplicate keys; every
 * dtype is a safetensors dtype, every shape's byte count (computed without overflow) equals its offset span, and
 * the tensors tile the data buffer exactly (no overlap, no gap, no trailing bytes); the metadata has every key
 * above with a valid value and a {@value #KEY_FORMAT_VERSION} this library reads; the file has exactly the
 * tensors the configuration implies, each with exactly its shape and dtype {@code F32} or {@code F64} (extra
 * tensors are rejected, not ignored: they mean the file describes another network); every weight is finite.
 * Memory allocated while loading is bounded by a small multiple of the file's size. Problems of the file system
 * (missing file, no permission) are the plain {@link IOException}s of {@code java.nio.file}.
 *
 * <h2>Saving is atomic</h2>
 * {@link #save} writes a temporary file {@code .NAME.RANDOM.tmp} in the target's directory, forces it to the
 * storage device, renames it over the target in one atomic step and then forces the directory: a crash leaves
 * either the old file or the complete new one under the target name, never a partial one (at worst a stray
 * temporary file).
 *
 * <p>All methods are static and thread-safe; concurrent saves to the same path leave one of the complete files.
 */
public final class ModelFiles {

    /** The value of {@value #KEY_FORMAT} in every model file. */
    public static final String FORMAT = "rankcoding-lstm";
    /**
     * The highest format version read, and the one written for a model whose front end has a second convolution
     * stage: from this version on its {@code frontend.weight2} is in PyTorch's order ({@code [C2, C, K, K]}, input
     * channel before kernel offset). Files of earlier versions with a second stage hold it in the order
     * {@code [C2, K, K, C]} of the library that wrote them; {@link #load} converts them (so that older readers, which
     * would misread a new file, refuse it).
     */
    public static final int FORMAT_VERSION = 3;
    /**
     * The format version written for a model with a {@value #KEY_DECISION_RULE} and no second convolution stage (so
     * that older readers refuse it instead of deciding by its threshold alone).
     */
    public static final int DECISION_RULE_FORMAT_VERSION = 2;
    /** The format version written for a model deciding by threshold crossing (read by every release). */
    public static final int THRESHOLD_FORMAT_VERSION = 1;
    /** The largest JSON header read, in bytes (16 MiB; a model's header is a few KB plus any extra metadata). */
    public static final long MAX_HEADER_BYTES = 16L << 20;
    /** The most tensors a header may list (a network has {@code 4 * layers + 2}). */
    public static final int MAX_TENSORS = 4096;
    /** The most {@code __metadata__} entries a header may have. */
    public static final int MAX_METADATA_ENTRIES = 4096;
    /** The most bytes {@link #read(InputStream, String)} reads: the largest Java array. */
    public static final int MAX_STREAM_BYTES = Integer.MAX_VALUE - 8;
    /** The value of {@value #KEY_CREATED_BY} in files this library writes. */
    public static final String CREATED_BY = "rankcoding";

    /** Metadata key: the file kind, always {@value #FORMAT}. */
    public static final String KEY_FORMAT = "format";
    /** Metadata key: the format version, a positive integer ({@value #FORMAT_VERSION} for this library). */
    public static final String KEY_FORMAT_VERSION = "format_version";
    /** Metadata key: the version of the library that wrote the file (optional when reading). */
    public static final String KEY_LIBRARY_VERSION = "library_version";
    /** Metadata key: who wrote the file, {@value #CREATED_BY} or for example {@code "pytorch export"} (optional when reading). */
    public static final String KEY_CREATED_BY = "created_by";
    /** Metadata key: when the file was written, ISO-8601 UTC (optional when reading). */
    public static final String KEY_CREATED_AT = "created_at";
    /** Metadata key: the output head, a {@link HeadType} name. */
    public static final String KEY_HEAD = "head";
    /** Metadata key: the number of classes (2 for the binary head). */
    public static final String KEY_NUM_CLASSES = "num_classes";
    /** Metadata key: the spike threshold theta, a decimal number in (0.5, 1). */
    public static final String KEY_THRESHOLD = "threshold";
    /** Metadata key: the size I of each step's input. */
    public static final String KEY_INPUT_SIZE = "input_size";
    /** Metadata key: the LSTM hidden size H. */
    public static final String KEY_HIDDEN_SIZE = "hidden_size";
    /** Metadata key: the number of stacked LSTM layers. */
    public static final String KEY_LAYERS = "layers";
    /** Metadata key: the seed the network's initial weights were drawn from (optional; 0 when absent). */
    public static final String KEY_SEED = "seed";
    /** Metadata key of the convolutional front end ({@link org.rankcoding.nn.ConvFrontEndConfig#toString()}). */
    public static final String KEY_FRONT_END = "front_end";

    /** Metadata key of the decision rule ({@link DecisionRuleSpec#toString()}), when it is not threshold crossing. */
    public static final String KEY_DECISION_RULE = "decision_rule";

    /** The keys the library writes itself; {@link SaveOptions#metadata()} must not use them. */
    public static final Set<String> RESERVED_KEYS = Set.of(KEY_FORMAT, KEY_FORMAT_VERSION, KEY_LIBRARY_VERSION,
            KEY_CREATED_BY, KEY_CREATED_AT, KEY_HEAD, KEY_NUM_CLASSES, KEY_THRESHOLD, KEY_INPUT_SIZE, KEY_HIDDEN_SIZE,
            KEY_LAYERS, KEY_SEED, KEY_FRONT_END, KEY_DECISION_RULE);

    private static final Logger LOG = LoggerFactory.getLogger(ModelFiles.class);

    private ModelFiles() {
    }

    /** The version of this library, as written to {@value #KEY_LIBRARY_VERSION} ({@code "unknown"} if not packaged). */
    public static String libraryVersion() {
        return ModelMetadata.LIBRARY_VERSION;
    }

    // ------------------------------------------------------------------ save

    /**
     * Saves {@code network} with spike threshold {@code theta} to {@code file} as float32 tensors, atomically
     * (see the class comment). An existing file is replaced.
     *
     * @throws IllegalArgumentException if theta is outside (0.5, 1) or a weight is not finite or too large for F32
     * @throws IOException              if writing fails (the target is then unchanged)
     */
    public static void save(RankCodingNetwork network, double theta, Path file) throws IOException {
        Objects.requireNonNull(file, "file is null");
        save(network, theta, file, SaveOptions.DEFAULT);
    }

    /**
     * Saves {@code network} with spike threshold {@code theta} to {@code file} with the given options, atomically
     * (see the class comment). An existing file is replaced. The network is only read.
     *
     * @throws IllegalArgumentException if an argument is null, theta is outside (0.5, 1), or a weight is not finite
     *                                  (or, for F32, outside float's range)
     * @throws IOException              if writing fails (the target is then unchanged)
     */
    public static void save(RankCodingNetwork network, double theta, Path file, SaveOptions options) throws IOException {
        save(network, DecisionRuleSpec.thresholdCrossing(theta), file, options);
    }

    /**
     * Saves {@code network} with its decision rule {@code rule} to {@code file} with the given options, atomically (see
     * the class comment): {@value #KEY_THRESHOLD} is the rule's threshold at step 1, {@value #KEY_DECISION_RULE} the
     * rule when it is not threshold crossing. An existing file is replaced. The network is only read.
     *
     * @throws IllegalArgumentException if an argument is null or a weight is not finite (or, for F32, outside float's
     *                                  range)
     * @throws IOException              if writing fails (the target is then unchanged)
     */
    public static void save(RankCodingNetwork network, DecisionRuleSpec rule, Path file, SaveOptions options)
            throws IOException {
        requireArgument(network, "network");
        requireArgument(rule, "rule");
        requireArgument(file, "file");
        requireArgument(options, "options");
        if (file.getFileName() == null) {
            throw new IllegalArgumentException("file '" + file + "' has no file name");
        }
        AtomicFiles.write(file, ch -> write(network, rule, options, ch));
        LOG.debug("Saved {} (decision rule {}, {}) to {}", network, rule, options.dtype(), file);
    }

    /**
     * The bytes of the model file that {@link #save(RankCodingNetwork, DecisionRuleSpec, Path, SaveOptions)} writes,
     * in memory: for storage that is not a local file system (an object store, a database column, a Spark broadcast).
     * {@link SaveOptions#withDtype} {@code F64} keeps every weight exactly.
     *
     * @throws IllegalArgumentException if an argument is null, a weight is not finite (or, for F32, outside float's
     *                                  range), or the file would not fit in a Java array (about 2 GiB)
     */
    public static byte[] toBytes(RankCodingNetwork network, DecisionRuleSpec rule, SaveOptions options) {
        requireArgument(network, "network");
        requireArgument(rule, "rule");
        requireArgument(options, "options");
        try (ByteArrayChannel ch = ByteArrayChannel.writing()) {
            write(network, rule, options, ch);
            return ch.toByteArray();
        } catch (IOException e) {
            throw new IllegalArgumentException("the model file of " + network + " does not fit in memory: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the model file of {@code network} to {@code out} (the bytes of {@link #toBytes}); the stream is not closed.
     *
     * @throws IllegalArgumentException as {@link #toBytes}
     * @throws IOException              if writing to the stream fails
     */
    public static void write(RankCodingNetwork network, DecisionRuleSpec rule, SaveOptions options, OutputStream out)
            throws IOException {
        requireArgument(out, "out");
        out.write(toBytes(network, rule, options));
    }

    /** Writes the whole model file from the start of {@code ch}. */
    private static void write(RankCodingNetwork network, DecisionRuleSpec rule, SaveOptions options, SeekableByteChannel ch)
            throws IOException {
        List<SafetensorsWriter.Payload> payloads = ModelTensors.payloads(network.parameters(), options.dtype());
        List<HeaderEncoder.Layout> layout = new ArrayList<>(payloads.size());
        for (SafetensorsWriter.Payload p : payloads) {
            layout.add(p.layout());
        }
        byte[] header = HeaderEncoder.encode(ModelMetadata.encode(network.config(), rule, network.seed(), options), layout);
        SafetensorsWriter.write(ch, header, payloads, SafetensorsWriter.NONE);
    }

    // ------------------------------------------------------------------ load

    /**
     * Loads a model file (see the class comment for what is checked).
     *
     * @return the network (a new one, owned by the caller), its threshold, stored dtype and metadata
     * @throws ModelFileException if the file is not a valid model file; once the file is known to be a rankcoding
     *                            model file, the message also names its format version and what to do
     * @throws IOException        if it cannot be read
     */
    public static LoadedModel load(Path file) throws IOException {
        Objects.requireNonNull(file, "file is null");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(file, ch);
        }
    }

    /**
     * Loads a model file held in memory (the bytes of {@link #toBytes}, or of a file read from any storage), with the
     * checks of {@link #load(Path)}.
     *
     * @param bytes  the whole file; not modified
     * @param source what the bytes are (a path or URI), for messages and {@link LoadedModel#file()}
     * @throws ModelFileException if the bytes are not a valid model file
     */
    public static LoadedModel fromBytes(byte[] bytes, String source) throws ModelFileException {
        Objects.requireNonNull(bytes, "bytes is null");
        Objects.requireNonNull(source, "source is null");
        try (ByteArrayChannel ch = ByteArrayChannel.reading(bytes)) {
            return read(Path.of(source), ch);
        } catch (ModelFileException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("reading bytes in memory cannot fail with an I/O error", e);
        }
    }

    /**
     * Loads a model file from {@code in}, read to its end (at most {@link #MAX_STREAM_BYTES} bytes), with the checks of
     * {@link #load(Path)}; the stream is not closed.
     *
     * @param source what the stream is (a path or URI), for messages and {@link LoadedModel#file()}
     * @throws ModelFileException if the stream holds more than {@link #MAX_STREAM_BYTES} bytes or not a valid model file
     * @throws IOException        if reading the stream fails
     */
    public static LoadedModel read(InputStream in, String source) throws IOException {
        Objects.requireNonNull(in, "in is null");
        Objects.requireNonNull(source, "source is null");
        byte[] bytes = in.readNBytes(MAX_STREAM_BYTES);
        if (bytes.length == MAX_STREAM_BYTES && in.read() >= 0) {
            throw new ModelFileException(Path.of(source), "the stream holds more than " + MAX_STREAM_BYTES + " bytes, the "
                    + "most a model file read from a stream may have; save such a network to a file and load(Path) it");
        }
        return fromBytes(bytes, source);
    }

    /** Reads and checks the model file in {@code ch}, named {@code file} in messages. */
    private static LoadedModel read(Path file, SeekableByteChannel ch) throws IOException {
        SafetensorsReader reader = SafetensorsReader.open(file, ch);
        Map<String, String> meta = reader.header().metadata();
        int version = ModelMetadata.formatVersion(file, meta);
        try {
            NetworkConfig config = ModelMetadata.config(file, meta);
            double theta = ModelMetadata.threshold(file, meta);
            DecisionRuleSpec rule = ModelMetadata.decisionRule(file, meta, theta, config);
            long seed = ModelMetadata.seed(file, meta);
            ModelTensors.expected(file, reader.header(), config);
            RankCodingNetwork network = new RankCodingNetwork(config, seed);
            TensorDType stored = ModelTensors.read(reader, network.parameters());
            if (version < FORMAT_VERSION && config.frontEnd().channels2() > 0) {
                ConvFrontEndConfig f = config.frontEnd();
                ConvWeightOrder.patchToPyTorchInPlace(network.frontEnd().weight2(), f.channels(),
                        f.kernel() * f.kernel());
                LOG.info("{}: format version {} holds frontend.weight2 as [C2, K, K, C]; converted to PyTorch's "
                        + "[C2, C, K, K] (save it again to write format version {})", file, version, FORMAT_VERSION);
            }
            LOG.debug("Loaded {} (decision rule {}) from {}", network, rule, file);
            return new LoadedModel(file, network, rule, stored, meta);
        } catch (ModelFileException e) {
            throw e.withNote("a " + FORMAT + " file of format version " + version + ", which this library reads, "
                    + "but whose content is invalid: save the network again with ModelFiles.save, or export it with "
                    + "scripts/torch_interop.py");
        }
    }

    /**
     * Loads a model file into an immutable early-exit inference model with its stored threshold and the fastest
     * kernels: {@code load(file).model()}.
     *
     * @throws ModelFileException if the file is not a valid model file
     * @throws IOException        if it cannot be read
     */
    public static RankCodingModel loadModel(Path file) throws IOException {
        Objects.requireNonNull(file, "file is null");
        return load(file).model();
    }

    /** A null argument of {@link #save} is an {@link IllegalArgumentException} naming it (as save always refused nulls). */
    private static void requireArgument(Object value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is null; save needs a network, a decision rule, a file and options");
        }
    }
}
