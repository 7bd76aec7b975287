package org.rankcoding.io;

import org.rankcoding.nn.ConvFrontEndConfig;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.OutputHead;
import org.rankcoding.rc.DecisionRuleSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.rankcoding.io.ModelFiles.CREATED_BY;
import static org.rankcoding.io.ModelFiles.FORMAT;
import static org.rankcoding.io.ModelFiles.DECISION_RULE_FORMAT_VERSION;
import static org.rankcoding.io.ModelFiles.FORMAT_VERSION;
import static org.rankcoding.io.ModelFiles.THRESHOLD_FORMAT_VERSION;
import static org.rankcoding.io.ModelFiles.KEY_CREATED_AT;
import static org.rankcoding.io.ModelFiles.KEY_CREATED_BY;
import static org.rankcoding.io.ModelFiles.KEY_DECISION_RULE;
import static org.rankcoding.io.ModelFiles.KEY_FORMAT;
import static org.rankcoding.io.ModelFiles.KEY_FORMAT_VERSION;
import static org.rankcoding.io.ModelFiles.KEY_FRONT_END;
import static org.rankcoding.io.ModelFiles.KEY_HEAD;
import static org.rankcoding.io.ModelFiles.KEY_HIDDEN_SIZE;
import static org.rankcoding.io.ModelFiles.KEY_INPUT_SIZE;
import static org.rankcoding.io.ModelFiles.KEY_LAYERS;
import static org.rankcoding.io.ModelFiles.KEY_LIBRARY_VERSION;
import static org.rankcoding.io.ModelFiles.KEY_NUM_CLASSES;
import static org.rankcoding.io.ModelFiles.KEY_SEED;
import static org.rankcoding.io.ModelFiles.KEY_THRESHOLD;

/**
 * The metadata codec of model files: the {@code __metadata__} strings written for a network, and, when loading,
 * the format check, the configuration, threshold and seed read back, each value checked strictly (see
 * {@link ModelFiles} for the keys).
 */
final class ModelMetadata {

    private static final Logger LOG = LoggerFactory.getLogger(ModelMetadata.class);
    /** The version of this library, or {@code "unknown"} when it is not packaged. */
    static final String LIBRARY_VERSION = readLibraryVersion();

    private ModelMetadata() {
    }

    /** The metadata of a model file: the library's entries in a fixed order, then {@code options.metadata()}. */
    static Map<String, String> encode(NetworkConfig config, DecisionRuleSpec rule, long seed, SaveOptions options) {
        boolean crossing = rule.isThresholdCrossing();
        LinkedHashMap<String, String> meta = new LinkedHashMap<>();
        meta.put(KEY_FORMAT, FORMAT);
        int version = config.frontEnd().channels2() > 0 ? FORMAT_VERSION
                : crossing ? THRESHOLD_FORMAT_VERSION : DECISION_RULE_FORMAT_VERSION;
        meta.put(KEY_FORMAT_VERSION, Integer.toString(version));
        meta.put(KEY_LIBRARY_VERSION, LIBRARY_VERSION);
        meta.put(KEY_CREATED_BY, CREATED_BY);
        meta.put(KEY_CREATED_AT, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        meta.put(KEY_HEAD, config.head().name());
        meta.put(KEY_NUM_CLASSES, Integer.toString(config.numClasses()));
        meta.put(KEY_THRESHOLD, Double.toString(rule.startThreshold()));
        meta.put(KEY_INPUT_SIZE, Integer.toString(config.inputSize()));
        meta.put(KEY_HIDDEN_SIZE, Integer.toString(config.hiddenSize()));
        meta.put(KEY_LAYERS, Integer.toString(config.layers()));
        if (!config.frontEnd().isNone()) {
            // only with a front end: files of networks without one stay as they were before front ends existed
            meta.put(KEY_FRONT_END, config.frontEnd().toString());
        }
        if (!crossing) {
            // only for another rule: files of threshold-crossing models stay as they were before decision rules existed
            meta.put(KEY_DECISION_RULE, rule.toString());
        }
        meta.put(KEY_SEED, Long.toString(seed));
        meta.putAll(options.metadata());
        return meta;
    }

    /**
     * The format version of a model file's metadata ({@code null} if the header has none), after checking that it
     * is a rankcoding model file of a version this library reads.
     */
    static int formatVersion(Path file, Map<String, String> meta) throws ModelFileException {
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
            String writer = meta.get(KEY_LIBRARY_VERSION);
            throw new ModelFileException(file, "metadata '" + KEY_FORMAT_VERSION + "' is " + version + ": the file was "
                    + "written by a newer library" + (writer == null ? "" : " (" + KEY_LIBRARY_VERSION + " " + quoted(writer)
                    + ")") + "; this one reads format versions up to " + FORMAT_VERSION + ": load it with a newer rankcoding "
                    + "release, one that reads format version " + version);
        }
        return version;
    }

    /** The network's configuration. */
    static NetworkConfig config(Path file, Map<String, String> meta) throws ModelFileException {
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

    /** The configuration as the metadata gave it, for messages. */
    static String describe(NetworkConfig config) {
        return "from the metadata: " + KEY_HEAD + " = " + config.head() + ", " + KEY_NUM_CLASSES + " = "
                + config.numClasses() + ", " + KEY_INPUT_SIZE + " = " + config.inputSize() + ", " + KEY_HIDDEN_SIZE + " = "
                + config.hiddenSize() + ", " + KEY_LAYERS + " = " + config.layers() + ", " + KEY_FRONT_END + " = "
                + config.frontEnd();
    }

    /** The spike threshold, strictly inside (0.5, 1). */
    static double threshold(Path file, Map<String, String> meta) throws ModelFileException {
        String text = require(file, meta, KEY_THRESHOLD);
        MetadataNumbers numbers = new MetadataNumbers(file);
        double theta = numbers.decimal(KEY_THRESHOLD, text);
        if (!(theta > 0.5 && theta < 1.0)) {
            throw numbers.refuse(KEY_THRESHOLD, text, "a value strictly inside (0.5, 1)");
        }
        return theta;
    }

    /**
     * The decision rule: threshold crossing at {@code theta} when the file has no {@value ModelFiles#KEY_DECISION_RULE}
     * (every file written before decision rules), else the rule written, whose threshold at step 1 must be {@code theta}.
     */
    static DecisionRuleSpec decisionRule(Path file, Map<String, String> meta, double theta, NetworkConfig config)
            throws ModelFileException {
        String text = meta.get(KEY_DECISION_RULE);
        if (text == null) {
            return DecisionRuleSpec.thresholdCrossing(theta);
        }
        DecisionRuleSpec rule;
        try {
            rule = DecisionRuleSpec.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, "metadata '" + KEY_DECISION_RULE + "' is " + quoted(text) + ": " + e.getMessage(), e);
        }
        if (Double.compare(rule.startThreshold(), theta) != 0) {
            throw new ModelFileException(file, "metadata '" + KEY_DECISION_RULE + "' starts at threshold " + rule.startThreshold()
                    + " but '" + KEY_THRESHOLD + "' is " + theta + "; they must be equal (save the model again)");
        }
        try {
            rule.rule(OutputHead.of(config.head(), config.numClasses())); // abstaining classes must be the head's
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, "metadata '" + KEY_DECISION_RULE + "' is " + quoted(text) + ": " + e.getMessage(), e);
        }
        return rule;
    }

    /** The seed of the initial weights, 0 when absent. */
    static long seed(Path file, Map<String, String> meta) throws ModelFileException {
        String text = meta.get(KEY_SEED);
        if (text == null) {
            return 0;
        }
        return new MetadataNumbers(file).integer(KEY_SEED, text, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    private static int positiveInt(Path file, Map<String, String> meta, String key) throws ModelFileException {
        return new MetadataNumbers(file).positiveInt(key, require(file, meta, key));
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
