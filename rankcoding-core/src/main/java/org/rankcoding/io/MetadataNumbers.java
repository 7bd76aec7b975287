package org.rankcoding.io;

import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Reads the numbers of one file's metadata (the {@code __metadata__} strings of a model file, checkpoint or
 * {@link TensorFile}). Numbers are read in the decimal form the library writes ({@link Integer#toString(int)},
 * {@link Double#toString(double)}); anything else is refused with a {@link ModelFileException} whose message names
 * the file, the key, the value as found and what was expected, for example
 * {@code "m.safetensors: metadata 'kws.feature_std' value 3 is 'abc', expected a decimal number such as '0.95' ..."}.
 * Every reader of metadata numbers goes through this class, so no such message is ever a bare
 * {@code For input string: "abc"}.
 */
public final class MetadataNumbers {

    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]{0,18})");
    private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    /** Longest text read as a number; longer text is refused without parsing. */
    private static final int MAX_LENGTH = 100;
    /** Longest value shown in a message. */
    private static final int SHOWN = 60;
    private static final String DECIMAL_KIND = "a decimal number such as '0.95' (finite: no NaN or Infinity)";

    private final Path file;

    /**
     * Numbers of the metadata of {@code file}.
     *
     * @param file the file the metadata was read from (its path starts every message)
     */
    public MetadataNumbers(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    /**
     * Entry {@code key}, whose text is {@code text}, as an integer in {@code [min, max]} written in decimal digits.
     *
     * @throws ModelFileException for missing text, another form, or a value outside the range
     */
    public long integer(String key, String text, long min, long max) throws ModelFileException {
        Objects.requireNonNull(key, "key is null");
        Objects.requireNonNull(text, "text is null");
        if (text != null && text.length() <= MAX_LENGTH && INTEGER.matcher(text).matches()) {
            try {
                long v = Long.parseLong(text);
                if (v >= min && v <= max) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // beyond 64 bits: refused below
            }
        }
        throw refuse(key, text, integerKind(min, max));
    }

    /**
     * Entry {@code key} as a positive {@code int}: {@link #integer} in {@code [1, 2^31 - 1]}.
     *
     * @throws ModelFileException for missing text, another form, or a value outside the range
     */
    public int positiveInt(String key, String text) throws ModelFileException {
        Objects.requireNonNull(key, "key is null");
        Objects.requireNonNull(text, "text is null");
        return (int) integer(key, text, 1, Integer.MAX_VALUE);
    }

    /**
     * Entry {@code key} as a finite decimal number ({@code 0.95}, {@code -1.0E-4}; no {@code NaN}, infinities,
     * hexadecimal or type suffixes).
     *
     * @throws ModelFileException for missing text or another form
     */
    public double decimal(String key, String text) throws ModelFileException {
        Objects.requireNonNull(key, "key is null");
        Objects.requireNonNull(text, "text is null");
        if (text != null && text.length() <= MAX_LENGTH && DECIMAL.matcher(text).matches()) {
            double v = Double.parseDouble(text);
            if (Double.isFinite(v)) {
                return v;
            }
        }
        throw refuse(key, text, DECIMAL_KIND);
    }

    /**
     * Entry {@code key} as any double in the form {@link Double#toString(double)} writes: a {@link #decimal}, or
     * {@code NaN}, {@code Infinity}, {@code -Infinity}.
     *
     * @throws ModelFileException for missing text or another form
     */
    public double number(String key, String text) throws ModelFileException {
        Objects.requireNonNull(key, "key is null");
        Objects.requireNonNull(text, "text is null");
        if ("NaN".equals(text)) {
            return Double.NaN;
        } else if ("Infinity".equals(text)) {
            return Double.POSITIVE_INFINITY;
        } else if ("-Infinity".equals(text)) {
            return Double.NEGATIVE_INFINITY;
        }
        if (text != null && text.length() <= MAX_LENGTH && DECIMAL.matcher(text).matches()) {
            return Double.parseDouble(text);
        }
        throw refuse(key, text, "a number (decimal digits, NaN, Infinity or -Infinity)");
    }

    /**
     * Entry {@code key} as comma-separated {@link #decimal} numbers; a bad one is named by its position
     * ({@code value 3}).
     *
     * @throws ModelFileException for missing text or a value of another form
     */
    public double[] decimals(String key, String text) throws ModelFileException {
        Objects.requireNonNull(key, "key is null");
        Objects.requireNonNull(text, "text is null");
        if (text.isEmpty()) {
            throw refuse(key, text, "comma-separated decimal numbers");
        }
        String[] items = text.split(",", -1);
        double[] out = new double[items.length];
        for (int i = 0; i < items.length; i++) {
            String item = items[i];
            if (item.length() > MAX_LENGTH || !DECIMAL.matcher(item).matches() || !Double.isFinite(Double.parseDouble(item))) {
                throw new ModelFileException(file, "metadata '" + key + "' value " + i + " (of " + items.length + ") is "
                        + quoted(item) + ", expected " + DECIMAL_KIND);
            }
            out[i] = Double.parseDouble(item);
        }
        return out;
    }

    /**
     * The refusal of entry {@code key}: {@code "FILE: metadata 'KEY' is 'TEXT', expected EXPECTED"} (or
     * {@code is missing}), for the checks a caller makes after reading a number (a range, a relation to another key).
     */
    public ModelFileException refuse(String key, String text, String expected) {
        Objects.requireNonNull(key, "key is null");
        Objects.requireNonNull(text, "text is null");
        Objects.requireNonNull(expected, "expected is null");
        return new ModelFileException(file, "metadata '" + key + "' is " + quoted(text) + ", expected " + expected);
    }

    private static String integerKind(long min, long max) {
        if (min == Long.MIN_VALUE && max == Long.MAX_VALUE) {
            return "a 64-bit integer written in decimal digits";
        }
        if (min == Integer.MIN_VALUE && max == Integer.MAX_VALUE) {
            return "a 32-bit integer written in decimal digits";
        }
        if (min == 1 && max == Integer.MAX_VALUE) {
            return "a positive integer below 2^31 written in decimal digits";
        }
        return "an integer in [" + min + ", " + max + "] written in decimal digits";
    }

    private static String quoted(String s) {
        if (s == null) {
            return "missing";
        }
        return "'" + (s.length() > SHOWN ? s.substring(0, SHOWN) + "..." : s) + "'";
    }
}
