package org.rankcoding.io;

import org.ejml.data.DMatrixRMaj;
import org.rankcoding.infer.RankCodingModel;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.ConvFrontEndConfig;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.ParameterLayout;
import org.rankcoding.nn.Parameters;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.FirstSpikeDetector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Saves and loads {@link RankCodingNetwork}s as <a href="https://huggingface.co/docs/safetensors">safetensors</a>
 * files whose tensors carry PyTorch's names and layouts, so that a model moves between this library and
 * PyTorch's {@code nn.LSTM} + {@code nn.Linear} without conversion ({@code scripts/torch_interop.py} does the
 * PyTorch side). The format is described in {@code docs/models.md}.
 *
 * <h2>The file</h2>
 * An 8-byte little-endian unsigned header length {@code N}, {@code N} bytes of UTF-8 JSON (padded with spaces so
 * that the data starts at a multiple of 8), then the tensors' raw little-endian bytes, contiguous, in the order
 * below. Tensors (names of the network's {@link Parameters}; prefixes {@value RankCodingNetwork#LSTM_PREFIX} and
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
 * stored as {@code F32} by default (as PyTorch) or {@code F64} ({@link SaveOptions#withDtype}); both are read.
 * The {@code __metadata__} holds the configuration and provenance as strings: {@value #KEY_FORMAT} (always
 * {@value #FORMAT}), {@value #KEY_FORMAT_VERSION}, {@value #KEY_LIBRARY_VERSION}, {@value #KEY_CREATED_BY},
 * {@value #KEY_CREATED_AT}, {@value #KEY_HEAD} (a {@link HeadType} name), {@value #KEY_NUM_CLASSES},
 * {@value #KEY_THRESHOLD}, {@value #KEY_INPUT_SIZE}, {@value #KEY_HIDDEN_SIZE}, {@value #KEY_LAYERS},
 * {@value #KEY_FRONT_END} (the {@link org.rankcoding.nn.ConvFrontEndConfig} text form; written only for a network with a
 * front end, absent means none)
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
    /** The format version written, and the highest one read. */
    public static final int FORMAT_VERSION = 1;
    /** The largest JSON header read, in bytes (16 MiB; a model's header is a few KB plus any extra metadata). */
    public static final long MAX_HEADER_BYTES = 16L << 20;
    /** The most tensors a header may list (a network has {@code 4 * layers + 2}). */
    public static final int MAX_TENSORS = 4096;
    /** The most {@code __metadata__} entries a header may have. */
    public static final int MAX_METADATA_ENTRIES = 4096;
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

    /** The keys the library writes itself; {@link SaveOptions#metadata()} must not use them. */
    public static final Set<String> RESERVED_KEYS = Set.of(KEY_FORMAT, KEY_FORMAT_VERSION, KEY_LIBRARY_VERSION,
            KEY_CREATED_BY, KEY_CREATED_AT, KEY_HEAD, KEY_NUM_CLASSES, KEY_THRESHOLD, KEY_INPUT_SIZE, KEY_HIDDEN_SIZE,
            KEY_LAYERS, KEY_SEED, KEY_FRONT_END);

    private static final Logger LOG = LoggerFactory.getLogger(ModelFiles.class);
    private static final int CHUNK = 1 << 16;
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    private static final Pattern POSITIVE_INT = Pattern.compile("[1-9][0-9]{0,9}");
    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]{0,18})");
    private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    private static final String LIBRARY_VERSION = readLibraryVersion();

    private ModelFiles() {
    }

    /** The version of this library, as written to {@value #KEY_LIBRARY_VERSION} ({@code "unknown"} if not packaged). */
    public static String libraryVersion() {
        return LIBRARY_VERSION;
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
        if (network == null || file == null || options == null) {
            throw new IllegalArgumentException("network, file and options must not be null, got network = " + network
                    + ", file = " + file + ", options = " + options);
        }
        FirstSpikeDetector.requireThreshold(theta);
        if (file.getFileName() == null) {
            throw new IllegalArgumentException("file '" + file + "' has no file name");
        }
        NetworkConfig config = network.config();
        List<ParameterLayout.Spec> specs = ParameterLayout.of(config).specs();
        Parameters params = network.parameters();
        TensorDType dtype = options.dtype();
        for (ParameterLayout.Spec spec : specs) {
            DMatrixRMaj m = params.get(spec.name());
            if (m.getNumElements() != spec.elements()) {
                throw new IllegalArgumentException("parameter '" + spec.name() + "' has " + m.getNumElements()
                        + " values, expected " + spec.elements() + " (shape " + spec.shapeString() + ")");
            }
            for (int i = 0; i < m.getNumElements(); i++) {
                double v = m.data[i];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("parameter '" + spec.name() + "' holds " + v + " at index " + i
                            + "; a network with non-finite weights cannot be saved");
                }
                if (dtype == TensorDType.F32 && Float.isInfinite((float) v)) {
                    throw new IllegalArgumentException("parameter '" + spec.name() + "' holds " + v + " at index " + i
                            + ", beyond float's range; save it with SaveOptions.DEFAULT.withDtype(TensorDType.F64)");
                }
            }
        }
        byte[] header = header(config, theta, network.seed(), options, specs);
        AtomicFiles.write(file, ch -> {
            ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            buf.putLong(header.length);
            AtomicFiles.flush(ch, buf);
            AtomicFiles.writeFully(ch, ByteBuffer.wrap(header));
            for (ParameterLayout.Spec spec : specs) {
                DMatrixRMaj m = params.get(spec.name());
                for (int i = 0; i < m.getNumElements(); i++) {
                    if (buf.remaining() < 8) {
                        AtomicFiles.flush(ch, buf);
                    }
                    if (dtype == TensorDType.F32) {
                        buf.putFloat((float) m.data[i]);
                    } else {
                        buf.putDouble(m.data[i]);
                    }
                }
            }
            AtomicFiles.flush(ch, buf);
        });
        LOG.debug("Saved {} (threshold {}, {}) to {}", network, theta, dtype, file);
    }

    /** The JSON header, padded with spaces so that {@code 8 + length} is a multiple of 8. */
    private static byte[] header(NetworkConfig config, double theta, long seed, SaveOptions options,
                                 List<ParameterLayout.Spec> specs) throws IOException {
        LinkedHashMap<String, String> meta = new LinkedHashMap<>();
        meta.put(KEY_FORMAT, FORMAT);
        meta.put(KEY_FORMAT_VERSION, Integer.toString(FORMAT_VERSION));
        meta.put(KEY_LIBRARY_VERSION, LIBRARY_VERSION);
        meta.put(KEY_CREATED_BY, CREATED_BY);
        meta.put(KEY_CREATED_AT, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        meta.put(KEY_HEAD, config.head().name());
        meta.put(KEY_NUM_CLASSES, Integer.toString(config.numClasses()));
        meta.put(KEY_THRESHOLD, Double.toString(theta));
        meta.put(KEY_INPUT_SIZE, Integer.toString(config.inputSize()));
        meta.put(KEY_HIDDEN_SIZE, Integer.toString(config.hiddenSize()));
        meta.put(KEY_LAYERS, Integer.toString(config.layers()));
        if (!config.frontEnd().isNone()) {
            // only with a front end: files of networks without one stay as they were before front ends existed
            meta.put(KEY_FRONT_END, config.frontEnd().toString());
        }
        meta.put(KEY_SEED, Long.toString(seed));
        meta.putAll(options.metadata());
        List<SafetensorsHeader.Layout> layout = new ArrayList<>(specs.size());
        for (ParameterLayout.Spec spec : specs) {
            layout.add(new SafetensorsHeader.Layout(spec.name(), options.dtype().safetensorsName(), spec.shape()));
        }
        return SafetensorsHeader.encode(meta, layout);
    }

    // ------------------------------------------------------------------ load

    /**
     * Loads a model file (see the class comment for what is checked).
     *
     * @return the network (a new one, owned by the caller), its threshold, stored dtype and metadata
     * @throws ModelFileException if the file is not a valid model file
     * @throws IOException        if it cannot be read
     */
    public static LoadedModel load(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            SafetensorsHeader header = SafetensorsHeader.read(file, ch, MAX_HEADER_BYTES, MAX_TENSORS, MAX_METADATA_ENTRIES);
            Map<String, String> meta = header.metadata();
            if (meta == null) {
                throw new ModelFileException(file, "the header has no '" + SafetensorsHeader.METADATA_KEY + "' object; a "
                        + "rankcoding model file has one with " + KEY_FORMAT + " = " + FORMAT + " and the network's "
                        + "configuration (written by ModelFiles.save or scripts/torch_interop.py)");
            }
            String format = meta.get(KEY_FORMAT);
            if (!FORMAT.equals(format)) {
                throw new ModelFileException(file, "metadata '" + KEY_FORMAT + "' is " + quoted(format) + ", expected '"
                        + FORMAT + "' (is this a rankcoding model file?)");
            }
            int version = positiveInt(file, meta, KEY_FORMAT_VERSION);
            if (version > FORMAT_VERSION) {
                throw new ModelFileException(file, "metadata '" + KEY_FORMAT_VERSION + "' is " + version + ": the file was "
                        + "written by a newer library; this one reads format versions up to " + FORMAT_VERSION);
            }
            NetworkConfig config = config(file, meta);
            double theta = threshold(file, meta);
            long seed = seed(file, meta);
            List<ParameterLayout.Spec> specs = expectedTensors(file, header, config);
            TensorDType stored = TensorDType.F32;
            Map<String, SafetensorsHeader.Entry> byName = new LinkedHashMap<>();
            for (SafetensorsHeader.Entry e : header.entries()) {
                byName.put(e.name(), e);
            }
            RankCodingNetwork network = new RankCodingNetwork(config, seed);
            ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            for (ParameterLayout.Spec spec : specs) {
                SafetensorsHeader.Entry e = byName.get(spec.name());
                TensorDType dtype = TensorDType.valueOf(e.dtype());
                if (dtype == TensorDType.F64) {
                    stored = TensorDType.F64;
                }
                readTensor(file, ch, header.dataStart() + e.begin(), dtype, spec, network.parameters().get(spec.name()), buf);
            }
            LOG.debug("Loaded {} (threshold {}) from {}", network, theta, file);
            return new LoadedModel(file, network, theta, stored, meta);
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
        return load(file).model();
    }

    /** Matches the header's tensors against those {@code config} implies; returns the expected ones in file order. */
    private static List<ParameterLayout.Spec> expectedTensors(Path file, SafetensorsHeader header, NetworkConfig config)
            throws ModelFileException {
        long count = ParameterLayout.tensorCount(config.layers(), config.frontEnd());
        if (count > MAX_TENSORS) {
            throw new ModelFileException(file, "metadata '" + KEY_LAYERS + "' is " + config.layers() + ", which implies "
                    + count + " tensors, more than the " + MAX_TENSORS + " this library reads");
        }
        List<ParameterLayout.Spec> specs = ParameterLayout.of(config).specs();
        Map<String, SafetensorsHeader.Entry> byName = new LinkedHashMap<>();
        for (SafetensorsHeader.Entry e : header.entries()) {
            byName.put(e.name(), e);
        }
        String configText = "from the metadata: " + KEY_HEAD + " = " + config.head() + ", " + KEY_NUM_CLASSES + " = "
                + config.numClasses() + ", " + KEY_INPUT_SIZE + " = " + config.inputSize() + ", " + KEY_HIDDEN_SIZE + " = "
                + config.hiddenSize() + ", " + KEY_LAYERS + " = " + config.layers() + ", " + KEY_FRONT_END + " = "
                + config.frontEnd();
        List<String> missing = new ArrayList<>();
        for (ParameterLayout.Spec spec : specs) {
            if (byName.remove(spec.name()) == null) {
                missing.add(spec.name());
            }
        }
        if (!missing.isEmpty()) {
            throw new ModelFileException(file, "missing tensor" + (missing.size() == 1 ? " " : "s ") + first(missing)
                    + " (" + configText + ")");
        }
        if (!byName.isEmpty()) {
            throw new ModelFileException(file, "unexpected tensor" + (byName.size() == 1 ? " " : "s ")
                    + first(new ArrayList<>(byName.keySet())) + ": the network " + configText + " has exactly "
                    + specs.size() + " tensors (extra tensors are rejected)");
        }
        for (SafetensorsHeader.Entry e : header.entries()) {
            byName.put(e.name(), e);
        }
        for (ParameterLayout.Spec spec : specs) {
            SafetensorsHeader.Entry e = byName.get(spec.name());
            if (!Arrays.equals(e.shape(), spec.shape())) {
                throw new ModelFileException(file, "tensor '" + spec.name() + "' has shape " + e.shapeString() + ", expected "
                        + spec.shapeString() + " (" + spec.rule() + ", " + configText + ")");
            }
            if (!e.dtype().equals("F32") && !e.dtype().equals("F64")) {
                throw new ModelFileException(file, "tensor '" + spec.name() + "' has dtype " + e.dtype()
                        + ", expected F32 or F64 (in PyTorch, convert with .float() or .double() before saving)");
            }
            if (spec.elements() > MAX_ARRAY) {
                throw new ModelFileException(file, "tensor '" + spec.name() + "' has " + spec.elements()
                        + " elements, more than a Java array holds (" + MAX_ARRAY + ")");
            }
        }
        return specs;
    }

    /** Reads one tensor's values into {@code target}, checking each is finite. */
    private static void readTensor(Path file, FileChannel ch, long position, TensorDType dtype, ParameterLayout.Spec spec,
                                   DMatrixRMaj target, ByteBuffer buf) throws IOException {
        int count = (int) spec.elements();
        int size = dtype.bytes();
        int perChunk = buf.capacity() / size;
        double[] data = target.data;
        long pos = position;
        int i = 0;
        while (i < count) {
            int n = Math.min(perChunk, count - i);
            buf.clear();
            buf.limit(n * size);
            SafetensorsHeader.readFully(file, ch, buf, pos, "tensor '" + spec.name() + "'");
            pos += (long) n * size;
            buf.flip();
            for (int j = 0; j < n; j++, i++) {
                double v = size == 4 ? buf.getFloat() : buf.getDouble();
                if (!Double.isFinite(v)) {
                    throw new ModelFileException(file, "tensor '" + spec.name() + "' holds " + v + " at " + index(spec, i)
                            + "; expected finite weights");
                }
                data[i] = v;
            }
        }
    }

    private static String index(ParameterLayout.Spec spec, int i) {
        long[] shape = spec.shape();
        if (shape.length == 2) {
            return "[" + (i / shape[1]) + ", " + (i % shape[1]) + "]";
        }
        return "[" + i + "]";
    }

    private static NetworkConfig config(Path file, Map<String, String> meta) throws ModelFileException {
        String headName = require(file, meta, KEY_HEAD);
        HeadType head;
        try {
            head = HeadType.valueOf(headName);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, "metadata '" + KEY_HEAD + "' is " + quoted(headName) + ", expected one of "
                    + Arrays.toString(HeadType.values()));
        }
        int classes = positiveInt(file, meta, KEY_NUM_CLASSES);
        int input = positiveInt(file, meta, KEY_INPUT_SIZE);
        int hidden = positiveInt(file, meta, KEY_HIDDEN_SIZE);
        int layers = positiveInt(file, meta, KEY_LAYERS);
        String front = meta.get(KEY_FRONT_END);
        ConvFrontEndConfig frontEnd;
        try {
            frontEnd = front == null ? ConvFrontEndConfig.NONE : ConvFrontEndConfig.parse(front);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, "metadata '" + KEY_FRONT_END + "' is " + quoted(front) + ": " + e.getMessage(), e);
        }
        try {
            return new NetworkConfig(input, hidden, layers, head, classes, frontEnd);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, "the metadata describes an invalid network: " + e.getMessage(), e);
        }
    }

    private static double threshold(Path file, Map<String, String> meta) throws ModelFileException {
        String text = require(file, meta, KEY_THRESHOLD);
        if (!DECIMAL.matcher(text).matches() || text.length() > 100) {
            throw new ModelFileException(file, "metadata '" + KEY_THRESHOLD + "' is " + quoted(text)
                    + ", expected a decimal number in (0.5, 1) such as '0.95'");
        }
        double theta = Double.parseDouble(text);
        if (!(theta > 0.5 && theta < 1.0)) {
            throw new ModelFileException(file, "metadata '" + KEY_THRESHOLD + "' is " + text
                    + ", expected a value strictly inside (0.5, 1)");
        }
        return theta;
    }

    private static long seed(Path file, Map<String, String> meta) throws ModelFileException {
        String text = meta.get(KEY_SEED);
        if (text == null) {
            return 0;
        }
        if (INTEGER.matcher(text).matches()) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                // falls through to the error below
            }
        }
        throw new ModelFileException(file, "metadata '" + KEY_SEED + "' is " + quoted(text) + ", expected a 64-bit integer");
    }

    private static int positiveInt(Path file, Map<String, String> meta, String key) throws ModelFileException {
        String text = require(file, meta, key);
        if (POSITIVE_INT.matcher(text).matches()) {
            long v = Long.parseLong(text);
            if (v <= Integer.MAX_VALUE) {
                return (int) v;
            }
        }
        throw new ModelFileException(file, "metadata '" + key + "' is " + quoted(text) + ", expected a positive integer "
                + "below 2^31 written in decimal digits");
    }

    private static String require(Path file, Map<String, String> meta, String key) throws ModelFileException {
        String v = meta.get(key);
        if (v == null) {
            throw new ModelFileException(file, "metadata '" + key + "' is missing; a model file's metadata needs "
                    + List.of(KEY_FORMAT, KEY_FORMAT_VERSION, KEY_HEAD, KEY_NUM_CLASSES, KEY_THRESHOLD, KEY_INPUT_SIZE,
                    KEY_HIDDEN_SIZE, KEY_LAYERS));
        }
        return v;
    }

    private static String quoted(String s) {
        if (s == null) {
            return "missing";
        }
        String shown = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return "'" + shown + "'";
    }

    private static String first(List<String> names) {
        int shown = Math.min(names.size(), 10);
        String list = String.join(", ", names.subList(0, shown));
        return "[" + list + (names.size() > shown ? ", ... (" + names.size() + " in all)" : "") + "]";
    }

    private static String readLibraryVersion() {
        try (InputStream in = ModelFiles.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank() && !v.contains("${")) {
                    return v.trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not read the library version: {}", e.toString());
        }
        return "unknown";
    }
}
