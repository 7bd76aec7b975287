package org.rankcoding.train;

import org.rankcoding.io.MetadataNumbers;
import org.rankcoding.io.ModelFileException;
import org.rankcoding.io.TensorFile;
import org.rankcoding.nn.ConvFrontEndConfig;
import org.rankcoding.rc.DecisionRuleSpec;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The named {@code key = value} entries of a checkpoint's metadata, read with their types and checked: numbers in
 * Java's exact decimal form ({@link Double#toString(double)} reads back exactly), enums by name, a front end in its
 * text form, and whole records as one entry per component ({@code prefix + componentName}). Every problem is a
 * {@link ModelFileException} naming the file and the key.
 */
final class MetadataFields {

    /** Components added after the first checkpoint format, with the value that reproduces older checkpoints' runs. */
    private static final Map<String, Object> LATER_COMPONENTS = Map.of(
            "network.frontEnd", ConvFrontEndConfig.NONE,
            "config.warmupSequencesPerStep", 0L,
            "config.weightDecay", 0.0,
            "config.patience", 0,
            "config.stoppingMetric", StoppingMetric.ACCURACY,
            "config.dropout", 0.0,
            "config.inputDropout", 0.0,
            "config.prefixLossWeight", 0.0,
            "config.averageDecay", 0.0);
    /** The decision rule's key, and the key of the threshold that stood for it before rules other than threshold crossing. */
    private static final String DECISION_RULE = "config.decisionRule";
    private static final String OLD_THRESHOLD = "config.threshold";

    private final Path file;
    private final Map<String, String> entries;
    private final TensorFile source;
    private final MetadataNumbers numbers;

    /** The metadata of {@code tf}. */
    MetadataFields(TensorFile tf) {
        this.file = tf.file();
        this.entries = tf.metadata();
        this.source = tf;
        this.numbers = new MetadataNumbers(tf.file());
    }

    /** Writes every component of {@code r} as {@code prefix + name}: numbers exactly, enums by name, a front end as text. */
    static void putRecord(Map<String, String> meta, String prefix, Record r) {
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            Object v = component(c, r);
            meta.put(prefix + c.getName(), v instanceof Enum<?> e ? e.name() : String.valueOf(v));
        }
    }

    /** The file the metadata was read from. */
    Path file() {
        return file;
    }

    /** Whether there is an entry {@code key}. */
    boolean has(String key) {
        return entries.containsKey(key);
    }

    /** The text of entry {@code key}. */
    String text(String key) throws ModelFileException {
        return source.require(key);
    }

    /** Entry {@code key} as a long. */
    long longValue(String key) throws ModelFileException {
        return (Long) parse(key, text(key), long.class);
    }

    /** Entry {@code key} as a long at least {@code min}. */
    long longAtLeast(String key, long min) throws ModelFileException {
        long v = longValue(key);
        if (v < min) {
            throw new ModelFileException(file, "metadata '" + key + "' is " + v + ", expected >= " + min);
        }
        return v;
    }

    /** Entry {@code key} as a double (NaN and infinities included). */
    double doubleValue(String key) throws ModelFileException {
        return (Double) parse(key, text(key), double.class);
    }

    /** The entries whose keys start with {@code prefix}, with the prefix removed, in file order. */
    Map<String, String> prefixed(String prefix) {
        LinkedHashMap<String, String> out = new LinkedHashMap<>();
        entries.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    /** The record of {@code type} written by {@link #putRecord} under {@code prefix}, validated by its constructor. */
    <R extends Record> R record(String prefix, Class<R> type) throws ModelFileException {
        RecordComponent[] cs = type.getRecordComponents();
        Object[] args = new Object[cs.length];
        Class<?>[] types = new Class<?>[cs.length];
        for (int i = 0; i < cs.length; i++) {
            types[i] = cs[i].getType();
            String key = prefix + cs[i].getName();
            if (!entries.containsKey(key) && LATER_COMPONENTS.containsKey(key)) {
                args[i] = LATER_COMPONENTS.get(key); // a checkpoint written before this component existed
                continue;
            }
            if (key.equals(DECISION_RULE) && !entries.containsKey(key) && entries.containsKey(OLD_THRESHOLD)) {
                // a checkpoint written before decision rules: threshold crossing at its threshold
                args[i] = parse(OLD_THRESHOLD, text(OLD_THRESHOLD), ThresholdCrossing.class);
                continue;
            }
            args[i] = parse(key, text(key), types[i]);
        }
        try {
            return type.getDeclaredConstructor(types).newInstance(args);
        } catch (InvocationTargetException e) {
            throw new ModelFileException(file, "the metadata '" + prefix + "*' describes an invalid " + type.getSimpleName()
                    + ": " + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build a " + type.getName(), e);
        }
    }

    private Object parse(String key, String text, Class<?> type) throws ModelFileException {
        try {
            if (type == double.class) {
                return numbers.number(key, text);
            } else if (type == long.class) {
                return numbers.integer(key, text, Long.MIN_VALUE, Long.MAX_VALUE);
            } else if (type == int.class) {
                return (int) numbers.integer(key, text, Integer.MIN_VALUE, Integer.MAX_VALUE);
            } else if (type == ConvFrontEndConfig.class) {
                return ConvFrontEndConfig.parse(text);
            } else if (type == DecisionRuleSpec.class) {
                return DecisionRuleSpec.parse(text);
            } else if (type == ThresholdCrossing.class) {
                return DecisionRuleSpec.thresholdCrossing(Double.parseDouble(text));
            } else if (type.isEnum()) {
                return enumConstant(key, text, type);
            }
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, "metadata '" + key + "': " + e.getMessage(), e);
        }
        throw new IllegalStateException("no reader for components of type " + type.getName());
    }

    private Object enumConstant(String key, String text, Class<?> type) throws ModelFileException {
        for (Object constant : type.getEnumConstants()) {
            if (((Enum<?>) constant).name().equals(text)) {
                return constant;
            }
        }
        throw new ModelFileException(file, "metadata '" + key + "' is '" + text + "', expected one of "
                + Arrays.toString(type.getEnumConstants()));
    }

    /** Marks a threshold read as the threshold-crossing rule (checkpoints written before decision rules). */
    private static final class ThresholdCrossing {
    }

    /** The value of component {@code c} of {@code r}. */
    static Object component(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c, e);
        }
    }
}
