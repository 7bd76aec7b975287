package org.rankcoding.datasets.ucr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads classification data sets in the {@code .ts} format of the UCR/UEA time-series archive (as written by sktime
 * and aeon), univariate and multivariate, of equal or variable length, with missing values.
 *
 * <h2>Format</h2>
 * <pre>
 *   # comment lines (anywhere; blank lines are skipped too)
 *   &#64;problemName GunPoint
 *   &#64;timeStamps false
 *   &#64;missing false                  (optional; true allows '?' for a missing value)
 *   &#64;univariate true                (optional; false for several dimensions)
 *   &#64;dimensions 6                   (optional, also &#64;dimension; the number of dimensions)
 *   &#64;equalLength true               (optional)
 *   &#64;seriesLength 150               (optional; the length of every series)
 *   &#64;classLabel true 1 2            (required: the class labels, separated by spaces)
 *   &#64;data
 *   -0.64,-0.65,...,-0.63:1            (one series per line: values by ',', dimensions by ':', the label last)
 * </pre>
 * Header keywords and {@code true}/{@code false} are case-insensitive. Values are decimal numbers (sign, digits,
 * point, exponent; no {@code NaN} or {@code Infinity}), spaces around them are ignored, {@code ?} is a missing value.
 * Files are UTF-8 (a byte-order mark is skipped), lines end with {@code \n} or {@code \r\n}.
 *
 * <h2>Labels</h2>
 * Class label {@code k} (0-based) is the {@code k}-th label of the {@code @classLabel} line, whatever the labels'
 * spelling ({@code "1" "2"}, {@code "Standing" "Running" ...}), so the mapping is the same for the training and the
 * test file of a data set and does not depend on which labels occur first.
 *
 * <h2>Validation</h2>
 * The header is checked as it is read (each keyword once, values of the right type, no contradiction such as
 * {@code @univariate true} with {@code @dimensions 6}), then every series against it: its number of dimensions
 * (the declared one, else that of the first series), all dimensions of a series of one length, that length against
 * {@code @seriesLength} or, with {@code @equalLength true}, the first series' length, its label among the declared
 * ones, {@code ?} only where {@code @missing} is not false. Not supported, and refused with a message saying so:
 * {@code @timeStamps true}, {@code @classLabel false} (unlabelled files) and {@code @targetLabel} (regression).
 *
 * <p>Every defect is a {@link TsFormatException} with a one-line message naming the file, the line and the field,
 * e.g. {@code "GunPoint_TRAIN.ts line 57, dimension 1, value 23: 'abc' is not a number"}. The file is read as a
 * stream, one bounded line at a time; every size is checked against {@link TsLimits} as it grows (the line length,
 * the number of series, the length of a series, the number of dimensions, the total number of values; and at most
 * {@value #MAX_CLASSES} class labels), so a damaged
 * or hostile file cannot make the reader allocate more than the limits allow. A missing or unreadable file is the
 * usual {@code java.nio.file} exception, a bad argument an {@link IllegalArgumentException}.
 *
 * <p>Stateless and thread-safe; every call opens and closes its file.
 */
public final class TsReader {

    /** The most class labels a {@code @classLabel} line may declare (and values any header line may hold). */
    public static final int MAX_CLASSES = 100_000;

    /** The longest part of a bad value or label quoted in a message. */
    private static final int SHOW_CHARS = 40;

    private TsReader() {
    }

    /**
     * Reads a {@code .ts} file with the {@link TsLimits#DEFAULT default limits}.
     *
     * @param file the file, e.g. {@code GunPoint/GunPoint_TRAIN.ts}
     * @return its series, labels and class names
     * @throws TsFormatException for any defect of the contents (see the class comment)
     * @throws IOException       when the file cannot be read
     */
    public static TimeSeriesSet read(Path file) throws IOException {
        return read(file, TsLimits.DEFAULT);
    }

    /**
     * Reads a {@code .ts} file within the given limits.
     *
     * @param file   the file, e.g. {@code GunPoint/GunPoint_TRAIN.ts}
     * @param limits the bounds on line length and sizes
     * @return its series, labels and class names
     * @throws TsFormatException        for any defect of the contents (see the class comment)
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException for a null argument
     */
    public static TimeSeriesSet read(Path file, TsLimits limits) throws IOException {
        if (file == null || limits == null) {
            throw new IllegalArgumentException("file and limits must not be null; give the path of a .ts file and TsLimits.DEFAULT");
        }
        if (Files.isDirectory(file)) {
            throw new IOException(file + ": is a directory, expected a .ts file");
        }
        try (TsLineReader in = TsLineReader.open(file, limits.maxLineChars())) {
            TsHeader header = TsHeader.read(in, limits);
            return new Rows(in, header, limits).read(problemName(file, header));
        }
    }

    private static String problemName(Path file, TsHeader header) {
        if (header.problemName != null) {
            return header.problemName;
        }
        String name = file.getFileName().toString().replaceFirst("(?i)\\.ts$", "");
        return name.replaceFirst("(?i)_(TRAIN|TEST)$", "");
    }

    /** {@code text}, cut to {@value #SHOW_CHARS} characters, for quoting in a message. */
    static String show(String text) {
        String s = text.length() <= SHOW_CHARS ? text : text.substring(0, SHOW_CHARS) + "... (" + text.length() + " characters)";
        return s.replace("'", "\\'");
    }

    /** The data lines after {@code @data}, read one series at a time. */
    private static final class Rows {
        private final TsLineReader in;
        private final TsHeader header;
        private final TsLimits limits;
        private final List<double[][]> series = new ArrayList<>();
        private int[] labels = new int[64];
        /** Values of the dimension being parsed; grows up to the series-length limit. */
        private double[] buffer = new double[256];
        private long totalValues;
        /** The dimension count and length fixed by the header or by the first series; 0 while open. */
        private int dimensions;
        private int length;
        private int firstLine;

        Rows(TsLineReader in, TsHeader header, TsLimits limits) {
            this.in = in;
            this.header = header;
            this.limits = limits;
            this.dimensions = header.declaredDimensions();
            this.length = header.seriesLength;
        }

        TimeSeriesSet read(String problemName) throws IOException {
            int dataLine = in.lineNumber();
            String line;
            while ((line = in.next()) != null) {
                String text = line.strip();
                if (text.isEmpty() || text.startsWith("#")) {
                    continue;
                }
                if (series.size() == limits.maxSeries()) {
                    throw in.error("more than " + limits.maxSeries() + " series, the limit (TsLimits.maxSeries); a damaged"
                            + " file, or pass larger TsLimits for a genuinely larger data set");
                }
                if (series.isEmpty()) {
                    firstLine = in.lineNumber();
                }
                row(text);
            }
            if (series.isEmpty()) {
                throw new TsFormatException(in.file(), dataLine, "@data is not followed by any series; expected one series per"
                        + " line after it, e.g. 0.1,0.2,0.3:" + header.classNames.get(0));
            }
            return new TimeSeriesSet(problemName, header.classNames, series, Arrays.copyOf(labels, series.size()));
        }

        /** Parses one series: dimensions separated by ':', the label last. */
        private void row(String text) throws TsFormatException {
            int labelColon = text.lastIndexOf(':');
            if (labelColon < 0) {
                throw in.error("no ':' in the line; expected the values of each dimension separated by ',', the dimensions"
                        + " separated by ':', then ':' and the class label (e.g. 0.1,0.2:" + header.classNames.get(0) + ")");
            }
            int label = label(text.substring(labelColon + 1).strip());
            List<double[]> channels = new ArrayList<>();
            int start = 0;
            while (start <= labelColon) {
                int colon = text.indexOf(':', start);
                int d = channels.size() + 1;
                if (dimensions > 0 && d > dimensions) {
                    throw in.error("more than " + dimensions + " dimension" + (dimensions == 1 ? "" : "s") + " before the"
                            + " class label, expected " + dimensions + " (" + dimensionsSource() + ")");
                }
                if (d > limits.maxDimensions()) {
                    throw in.error("more than " + limits.maxDimensions() + " dimensions, the limit (TsLimits.maxDimensions)");
                }
                channels.add(dimension(text, start, colon, d));
                start = colon + 1;
            }
            checkShape(channels);
            if (series.size() == labels.length) {
                labels = Arrays.copyOf(labels, 2 * labels.length);
            }
            labels[series.size()] = label;
            series.add(channels.toArray(new double[0][]));
        }

        private int label(String name) throws TsFormatException {
            Integer k = header.classIndex.get(name);
            if (k == null) {
                String declared = String.join(", ", header.classNames);
                throw in.error(", class label: '" + show(name) + "' is not declared by @classLabel on line "
                        + header.classLabelLine() + " (declared: " + show(declared) + ")");
            }
            return k;
        }

        private void checkShape(List<double[]> channels) throws TsFormatException {
            if (dimensions > 0 && channels.size() != dimensions) {
                throw in.error(channels.size() + " dimension" + (channels.size() == 1 ? "" : "s") + " before the class label,"
                        + " expected " + dimensions + " (" + dimensionsSource() + ")");
            }
            dimensions = channels.size();
            int n = channels.get(0).length;
            for (int d = 1; d < channels.size(); d++) {
                if (channels.get(d).length != n) {
                    throw in.error(", dimension " + (d + 1) + ": " + channels.get(d).length + " values, but dimension 1 has " + n
                            + "; all dimensions of one series have the same length");
                }
            }
            if (length > 0 && n != length) {
                throw in.error(", dimension 1: " + n + " values, expected " + length + " (" + lengthSource() + ")");
            }
            if (header.requiresEqualLength()) {
                length = n;
            }
        }

        private String dimensionsSource() {
            return header.declaredDimensions() > 0 ? header.dimensionsSource() : "like the first series, line " + firstLine;
        }

        private String lengthSource() {
            return header.seriesLength > 0 ? header.seriesLengthSource()
                    : "@equalLength true, and the first series, line " + firstLine + ", has " + length;
        }

        /** Parses the values of dimension {@code d} (1-based) in {@code text[start, end)}. */
        private double[] dimension(String text, int start, int end, int d) throws TsFormatException {
            int count = 0;
            int from = start;
            while (true) {
                int to = from;
                while (to < end && text.charAt(to) != ',') {
                    to++;
                }
                if (count == limits.maxSeriesLength()) {
                    throw in.error(", dimension " + d + ": more than " + limits.maxSeriesLength() + " values, the limit"
                            + " (TsLimits.maxSeriesLength)");
                }
                if (++totalValues > limits.maxTotalValues()) {
                    throw in.error(", dimension " + d + ": more than " + limits.maxTotalValues() + " values in the file, the"
                            + " limit (TsLimits.maxTotalValues)");
                }
                if (count == buffer.length) {
                    buffer = Arrays.copyOf(buffer, (int) Math.min(limits.maxSeriesLength(), 2L * buffer.length));
                }
                buffer[count] = value(text.substring(from, to).strip(), d, count + 1);
                count++;
                if (to == end) {
                    return Arrays.copyOf(buffer, count);
                }
                from = to + 1;
            }
        }

        private double value(String token, int d, int index) throws TsFormatException {
            String field = ", dimension " + d + ", value " + index + ": ";
            if (token.equals("?")) {
                if (Boolean.FALSE.equals(header.missing)) {
                    throw in.error(field + "'?' (a missing value), but the header says @missing false");
                }
                return Double.NaN;
            }
            if (token.isEmpty()) {
                throw in.error(field + "empty, expected a number (or ? for a missing value)");
            }
            if (!decimal(token)) {
                throw in.error(field + "'" + show(token) + "' is not a number");
            }
            double v = Double.parseDouble(token);
            if (Double.isInfinite(v)) {
                throw in.error(field + "'" + show(token) + "' is beyond the range of a double (about 1.8e308)");
            }
            return v;
        }
    }

    /** A decimal number: optional sign, digits with an optional point (at least one digit), optional exponent. */
    static boolean decimal(String s) {
        int i = 0;
        int n = s.length();
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exponent = 0;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                exponent++;
            }
            if (exponent == 0) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
