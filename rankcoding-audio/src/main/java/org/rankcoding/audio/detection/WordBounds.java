package org.rankcoding.audio.detection;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where the spoken word lies in each clip of a clip data set: the file {@code DIR/word_bounds.csv} that the generators
 * write beside the word folders, so that "decided before the word ends" is measured rather than estimated.
 *
 * <h2>Format</h2>
 * <pre>
 *   file,start_sample,end_sample
 *   yes/0a7c2a8d_nohash_0.wav,3120,9870
 *   ...
 * </pre>
 * UTF-8 text, the header first, then one row per clip: {@code file} is the clip's path relative to {@code DIR} with
 * {@code /} separators (as in the split lists); {@code start_sample} and {@code end_sample} are the first sample of
 * the word and one past its last, in samples of the 16 kHz clip, with {@code 0 <= start < end <= 16000}. Fields are
 * separated by commas (spaces around them are ignored) and not quoted. A file appears once. Lines end with
 * {@code \n} or {@code \r\n}.
 *
 * <h2>Errors</h2>
 * Every defect is a {@link LabelFormatException} whose message names the file, the line and the field: a wrong or
 * missing header, a row without exactly three fields, a path that is absolute, has empty, {@code .} or {@code ..}
 * segments or backslashes, a number that is not made of digits, a bound outside the clip or an end not after the
 * start, a file listed twice (both lines named), a line over 4,096 bytes, more than 10 million rows, bytes that are
 * not UTF-8 or control characters. A missing file is the usual {@link java.nio.file.NoSuchFileException}. Memory is
 * bounded by the rows: no size read from the file is used to allocate.
 *
 * <p>Immutable and thread-safe.
 */
public final class WordBounds {

    /** The file's name in a data set's root. */
    public static final String FILE_NAME = "word_bounds.csv";

    /** The header line. */
    public static final String HEADER = "file,start_sample,end_sample";

    /** The length of a clip in samples (1 s at 16 kHz): the largest end allowed. */
    public static final int CLIP_SAMPLES = 16_000;

    /**
     * The word's place in one clip.
     *
     * @param start the word's first sample, {@code >= 0}
     * @param end   one past its last sample, {@code > start}
     */
    public record Span(int start, int end) {

        /**
         * Validates the bounds.
         *
         * @throws IllegalArgumentException for a negative start or an end not after the start
         */
        public Span {
            if (start < 0 || end <= start) {
                throw new IllegalArgumentException("span [" + start + ", " + end + "), expected 0 <= start < end");
            }
        }

        /** The word's length in samples. */
        public int length() {
            return end - start;
        }
    }

    private final Path file;
    private final Map<String, Span> spans;

    private WordBounds(Path file, Map<String, Span> spans) {
        this.file = file;
        this.spans = Collections.unmodifiableMap(spans);
    }

    /**
     * Reads {@code dir/word_bounds.csv}.
     *
     * @param dir a clip data set's root
     * @return the bounds of every clip it lists
     * @throws java.nio.file.NoSuchFileException when there is no such file
     * @throws LabelFormatException              for any defect of its contents (see the class comment)
     * @throws IOException                       when it cannot be read
     */
    public static WordBounds read(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir is null: give the data set's root, which holds " + FILE_NAME);
        return readFile(dir.resolve(FILE_NAME));
    }

    /**
     * Reads a word-bounds file of any name.
     *
     * @param csv the file
     * @return the bounds of every clip it lists
     * @throws LabelFormatException for any defect of its contents (see the class comment)
     * @throws IOException          when it cannot be read
     */
    public static WordBounds readFile(Path csv) throws IOException {
        Objects.requireNonNull(csv, "csv is null: give the path of a " + FILE_NAME + " file");
        Map<String, Span> spans = new LinkedHashMap<>();
        Map<String, Integer> lines = new HashMap<>();
        try (LabelFileReader r = LabelFileReader.open(csv, HEADER)) {
            for (String[] f = r.nextRow(); f != null; f = r.nextRow()) {
                String path = checkPath(r, f[0]);
                int start = (int) r.sample("start_sample", f[1], CLIP_SAMPLES - 1, "the last sample of a clip of " + CLIP_SAMPLES);
                int end = (int) r.sample("end_sample", f[2], CLIP_SAMPLES, "the clip's length");
                if (end <= start) {
                    throw r.error(r.lineNumber(), "field end_sample: " + end + ", expected more than start_sample " + start
                            + " (the end is exclusive; a word has at least one sample)");
                }
                Integer before = lines.putIfAbsent(path, r.lineNumber());
                if (before != null) {
                    throw r.error(r.lineNumber(), "field file: '" + path + "' is also on line " + before + "; a clip has one row");
                }
                spans.put(path, new Span(start, end));
            }
        }
        return new WordBounds(csv, spans);
    }

    private static String checkPath(LabelFileReader r, String path) throws LabelFormatException {
        boolean ok = !path.isEmpty() && !path.startsWith("/") && path.indexOf('\\') < 0;
        if (ok) {
            for (String segment : path.split("/", -1)) {
                ok &= !segment.isEmpty() && !segment.equals(".") && !segment.equals("..");
            }
        }
        if (!ok) {
            throw r.error(r.lineNumber(), "field file: '" + path + "', expected a path relative to the data set's root with '/'"
                    + " separators, like 'yes/0a7c2a8d_nohash_0.wav'");
        }
        return path;
    }

    /** The file read. */
    public Path file() {
        return file;
    }

    /** Number of clips listed. */
    public int size() {
        return spans.size();
    }

    /** The clips listed (relative paths), in file order; unmodifiable. */
    public Set<String> files() {
        return spans.keySet();
    }

    /**
     * The word's place in one clip.
     *
     * @param relativePath the clip's path relative to the root, as {@link org.rankcoding.audio.SpeechClip#relativePath()}
     * @return its span, or empty when the file does not list the clip
     */
    public Optional<Span> get(String relativePath) {
        return Optional.ofNullable(spans.get(relativePath));
    }
}
