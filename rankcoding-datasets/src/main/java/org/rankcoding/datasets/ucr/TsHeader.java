package org.rankcoding.datasets.ucr;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The header of a {@code .ts} file, read line by line up to {@code @data}: each keyword at most once, each value
 * checked against its type, the {@link TsLimits} and the other keywords. Keywords are case-insensitive.
 */
final class TsHeader {

    /** Keywords of the format, lower case, in the order they usually appear. */
    private static final List<String> KEYWORDS = List.of("@problemname", "@timestamps", "@missing", "@univariate",
            "@dimensions", "@dimension", "@equallength", "@serieslength", "@classlabel", "@targetlabel", "@data");

    private final TsLineReader in;
    private final TsLimits limits;
    /** Line of each keyword seen, by lower-case keyword ({@code @dimension} is stored as {@code @dimensions}). */
    private final Map<String, Integer> seen = new HashMap<>();

    String problemName;
    /** Missing values allowed: TRUE, FALSE, or null when not declared (then allowed). */
    Boolean missing;
    Boolean univariate;
    /** Declared dimension count, or 0 when not declared. */
    int dimensions;
    Boolean equalLength;
    /** Declared series length, or 0 when not declared. */
    int seriesLength;
    final List<String> classNames = new ArrayList<>();
    final Map<String, Integer> classIndex = new HashMap<>();

    private TsHeader(TsLineReader in, TsLimits limits) {
        this.in = in;
        this.limits = limits;
    }

    /**
     * Reads the header up to and including the {@code @data} line.
     *
     * @throws TsFormatException for any defect of the header, or an end of file before {@code @data}
     */
    static TsHeader read(TsLineReader in, TsLimits limits) throws IOException {
        TsHeader h = new TsHeader(in, limits);
        String line;
        while ((line = in.next()) != null) {
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            if (!text.startsWith("@")) {
                throw in.error("expected a header line starting with @ (or a # comment) before @data, found '"
                        + TsReader.show(text) + "'; is the @data line missing?");
            }
            if (h.keyword(text)) {
                h.requireComplete();
                return h;
            }
        }
        if (in.empty()) {
            throw in.error("the file is empty (0 bytes); expected a .ts file: header lines such as @problemName and"
                    + " @classLabel, then @data and one series per line");
        }
        throw new TsFormatException(in.file(), in.lineNumber() + 1, "end of file without a @data line; expected the header"
                + " (@problemName, @classLabel, ...) to end with @data, followed by one series per line");
    }

    /** Handles one header line; returns whether it was {@code @data}. */
    private boolean keyword(String text) throws TsFormatException {
        int separators = 0;
        for (int i = 1; i < text.length(); i++) {
            boolean blank = text.charAt(i) == ' ' || text.charAt(i) == '\t';
            separators += blank && text.charAt(i - 1) != ' ' && text.charAt(i - 1) != '\t' ? 1 : 0;
        }
        if (separators > TsReader.MAX_CLASSES + 1) {
            throw in.error("more than " + TsReader.MAX_CLASSES + " values on one header line, the limit of class labels"
                    + " (TsReader.MAX_CLASSES); a damaged header?");
        }
        String[] tokens = text.split("[ \t]+");
        String key = tokens[0].toLowerCase(Locale.ROOT);
        if (!KEYWORDS.contains(key)) {
            throw in.error("unknown header keyword '" + TsReader.show(tokens[0]) + "', expected one of @problemName,"
                    + " @timeStamps, @missing, @univariate, @dimensions, @equalLength, @seriesLength, @classLabel, @data");
        }
        String canonical = key.equals("@dimension") ? "@dimensions" : key;
        Integer before = seen.put(canonical, in.lineNumber());
        if (before != null) {
            throw in.error(tokens[0] + " is given a second time (first on line " + before + "); each header keyword"
                    + " appears at most once");
        }
        switch (canonical) {
            case "@data" -> {
                expectValues(tokens, 0, 0, "nothing after it");
                return true;
            }
            case "@problemname" -> {
                expectValues(tokens, 1, 1, "one name without spaces");
                problemName = tokens[1];
            }
            case "@timestamps" -> {
                if (bool(tokens)) {
                    throw in.error("@timeStamps true: series with time stamps are not supported by this reader;"
                            + " convert the file to plain values (@timeStamps false)");
                }
            }
            case "@missing" -> missing = bool(tokens);
            case "@univariate" -> univariate = bool(tokens);
            case "@dimensions" -> dimensions = size(tokens, limits.maxDimensions(), "TsLimits.maxDimensions");
            case "@equallength" -> equalLength = bool(tokens);
            case "@serieslength" -> seriesLength = size(tokens, limits.maxSeriesLength(), "TsLimits.maxSeriesLength");
            case "@classlabel" -> classLabels(tokens);
            default -> throw in.error("@targetLabel: regression files (a numeric target per series) are not supported;"
                    + " this reader reads classification files with @classLabel true");
        }
        checkConsistency(tokens[0]);
        return false;
    }

    private void classLabels(String[] tokens) throws TsFormatException {
        if (tokens.length < 2) {
            throw in.error(tokens[0] + ": expected true followed by the class labels, e.g. @classLabel true 1 2; found nothing");
        }
        if (!bool(new String[] {tokens[0], tokens[1]})) {
            throw in.error("@classLabel false: unlabelled files are not supported; this reader reads classification files,"
                    + " declared as @classLabel true followed by the class labels");
        }
        if (tokens.length < 4) {
            throw in.error("@classLabel true declares " + (tokens.length - 2) + " class label" + (tokens.length == 3 ? "" : "s")
                    + ", expected at least 2 (for example @classLabel true 1 2)");
        }
        for (int k = 2; k < tokens.length; k++) {
            Integer first = classIndex.putIfAbsent(tokens[k], classNames.size());
            if (first != null) {
                throw in.error("@classLabel, label " + (k - 1) + ": '" + TsReader.show(tokens[k]) + "' is declared twice"
                        + " (also label " + (first + 1) + "); each class label once");
            }
            classNames.add(tokens[k]);
        }
    }

    private void checkConsistency(String keyword) throws TsFormatException {
        if (Boolean.TRUE.equals(univariate) && dimensions > 1) {
            throw in.error(keyword + ": @univariate true but @dimensions " + dimensions + "; a univariate file has 1 dimension");
        }
        if (Boolean.FALSE.equals(equalLength) && seriesLength > 0) {
            throw in.error(keyword + ": @equalLength false but @seriesLength " + seriesLength + "; declare one length only"
                    + " for series of equal length");
        }
    }

    private void requireComplete() throws TsFormatException {
        if (classNames.isEmpty()) {
            throw in.error("@data before @classLabel; expected the class labels to be declared in the header, e.g."
                    + " @classLabel true 1 2");
        }
    }

    /** The number of dimensions the header fixes, or 0 when the data decide. */
    int declaredDimensions() {
        return Boolean.TRUE.equals(univariate) ? 1 : dimensions;
    }

    /** Where the dimension count was declared, for messages. */
    String dimensionsSource() {
        return dimensions > 0 ? "@dimensions " + dimensions + " on line " + seen.get("@dimensions")
                : "@univariate true on line " + seen.get("@univariate");
    }

    /** Where the series length was declared, for messages. */
    String seriesLengthSource() {
        return "@seriesLength " + seriesLength + " on line " + seen.get("@serieslength");
    }

    /** Where the class labels were declared, for messages. */
    int classLabelLine() {
        return seen.get("@classlabel");
    }

    /** Whether all series must have one length. */
    boolean requiresEqualLength() {
        return Boolean.TRUE.equals(equalLength) || seriesLength > 0;
    }

    private void expectValues(String[] tokens, int min, int max, String what) throws TsFormatException {
        int n = tokens.length - 1;
        if (n < min || n > max) {
            throw in.error(tokens[0] + ": expected " + what + ", found " + n + " value" + (n == 1 ? "" : "s"));
        }
    }

    private boolean bool(String[] tokens) throws TsFormatException {
        expectValues(tokens, 1, 1, "true or false");
        String v = tokens[1].toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw in.error(tokens[0] + ": '" + TsReader.show(tokens[1]) + "' is not true or false");
        }
        return v.equals("true");
    }

    private int size(String[] tokens, int limit, String limitName) throws TsFormatException {
        expectValues(tokens, 1, 1, "one whole number");
        String v = tokens[1];
        if (!v.matches("\\+?[0-9]{1,30}")) {
            throw in.error(tokens[0] + ": '" + TsReader.show(v) + "' is not a whole number >= 1");
        }
        String digits = v.replaceFirst("^\\+?0*", "");
        if (digits.isEmpty()) {
            throw in.error(tokens[0] + ": 0, expected a whole number >= 1");
        }
        if (digits.length() > 10 || Long.parseLong(digits) > limit) {
            throw in.error(tokens[0] + ": " + digits + " is more than the limit of " + limit + " (" + limitName
                    + "); a damaged header, or pass larger TsLimits for genuinely larger data");
        }
        return Integer.parseInt(digits);
    }
}
