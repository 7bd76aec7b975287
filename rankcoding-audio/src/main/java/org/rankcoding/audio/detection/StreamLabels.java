package org.rankcoding.audio.detection;

import org.rankcoding.audio.AudioClip;
import org.rankcoding.audio.WavReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The truth about a long recording {@code DIR/NAME.wav}: every word spoken in it and where, from
 * {@code DIR/NAME.labels.csv}, together with the recording's length and sample rate (which the false alarms per hour
 * need).
 *
 * <h2>Format</h2>
 * <pre>
 *   word,start_sample,end_sample
 *   yes,16800,24100
 *   seven,52000,61300
 *   ...
 * </pre>
 * UTF-8 text, the header first, then one row per spoken word, keywords and any other word alike, each labelled with
 * the word itself: its first sample and one past its last, counted from the start of the recording at its sample
 * rate. Rows are in time order and words do not overlap: each starts at or after the end of the one before. A
 * recording without speech has a file with the header only. Fields are separated by commas (spaces around them are
 * ignored) and not quoted.
 *
 * <h2>Errors</h2>
 * Every defect is a {@link LabelFormatException} naming the file, the line and the field: a wrong or missing header,
 * a row without exactly three fields, an empty word, a number that is not made of digits, an end not after its
 * start or beyond the recording's end, a row starting before the previous one ends, a line over 4,096 bytes, more
 * than 10 million rows, bytes that are not UTF-8 or control characters. Memory is bounded by the rows.
 *
 * <p>Immutable and thread-safe.
 */
public final class StreamLabels {

    /** What follows a recording's name in the name of its labels file. */
    public static final String SUFFIX = ".labels.csv";

    /** The header line. */
    public static final String HEADER = "word,start_sample,end_sample";

    private final List<LabeledWord> words;
    private final long recordingSamples;
    private final int sampleRate;

    private StreamLabels(List<LabeledWord> words, long recordingSamples, int sampleRate) {
        this.words = List.copyOf(words);
        this.recordingSamples = recordingSamples;
        this.sampleRate = sampleRate;
    }

    /**
     * Labels held in memory, checked by the file's rules.
     *
     * @param words            the spoken words in time order, not overlapping
     * @param recordingSamples the recording's length in samples; every word ends at or before it
     * @param sampleRate       the recording's sample rate in Hz, {@code > 0}
     * @return the labels
     * @throws IllegalArgumentException for words out of order, overlapping or past the end, a negative length or a
     *                                  sample rate {@code <= 0}
     */
    public static StreamLabels of(List<LabeledWord> words, long recordingSamples, int sampleRate) {
        checkRecording(recordingSamples, sampleRate);
        Objects.requireNonNull(words, "words is null: give the spoken words (possibly none)");
        long previousEnd = 0;
        for (int i = 0; i < words.size(); i++) {
            LabeledWord w = Objects.requireNonNull(words.get(i), "words[" + i + "] is null");
            if (w.start() < previousEnd) {
                throw new IllegalArgumentException("words[" + i + "] " + w + " starts before the previous word ends at "
                        + previousEnd + "; words are in time order and do not overlap");
            }
            if (w.end() > recordingSamples) {
                throw new IllegalArgumentException("words[" + i + "] " + w + " ends after the recording's " + recordingSamples + " samples");
            }
            previousEnd = w.end();
        }
        return new StreamLabels(words, recordingSamples, sampleRate);
    }

    /**
     * The labels of a recording {@code DIR/NAME.wav}: reads the recording (for its length and rate, with
     * {@link WavReader}) and {@code DIR/NAME.labels.csv}.
     *
     * @param wav the recording
     * @return its labels
     * @throws java.nio.file.NoSuchFileException when the recording or its labels file is missing
     * @throws LabelFormatException              for any defect of the labels file
     * @throws IOException                       for a bad WAV file or a read error
     */
    public static StreamLabels forRecording(Path wav) throws IOException {
        AudioClip clip = WavReader.read(Objects.requireNonNull(wav, "wav is null: give the recording"));
        return read(labelsFile(wav), clip.length(), clip.sampleRate());
    }

    /**
     * The labels file of a recording: {@code NAME.labels.csv} beside {@code NAME.wav}.
     *
     * @param wav the recording, whose name ends with {@code .wav}
     * @return the path of its labels file
     * @throws IllegalArgumentException when the name does not end with {@code .wav}
     */
    public static Path labelsFile(Path wav) {
        String name = Objects.requireNonNull(wav, "wav is null: give the recording").getFileName().toString();
        if (!name.endsWith(".wav") || name.length() == 4) {
            throw new IllegalArgumentException(wav + ": expected a recording named NAME.wav, whose labels are NAME" + SUFFIX);
        }
        return wav.resolveSibling(name.substring(0, name.length() - 4) + SUFFIX);
    }

    /**
     * Reads a labels file.
     *
     * @param csv              the file
     * @param recordingSamples the recording's length in samples; no word may end after it
     * @param sampleRate       the recording's sample rate in Hz, {@code > 0}
     * @return the labels
     * @throws LabelFormatException     for any defect of its contents (see the class comment)
     * @throws IOException              when it cannot be read
     * @throws IllegalArgumentException for a negative length or a sample rate {@code <= 0}
     */
    public static StreamLabels read(Path csv, long recordingSamples, int sampleRate) throws IOException {
        Objects.requireNonNull(csv, "csv is null: give the path of a NAME" + SUFFIX + " file");
        checkRecording(recordingSamples, sampleRate);
        long max = Math.min(recordingSamples, LabelFileReader.MAX_SAMPLE);
        List<LabeledWord> words = new ArrayList<>();
        long previousEnd = 0;
        try (LabelFileReader r = LabelFileReader.open(csv, HEADER)) {
            for (String[] f = r.nextRow(); f != null; f = r.nextRow()) {
                if (f[0].isEmpty()) {
                    throw r.error(r.lineNumber(), "field word: empty, expected the word said");
                }
                long start = r.sample("start_sample", f[1], max - 1, "the recording's last sample; it has " + recordingSamples + " samples");
                long end = r.sample("end_sample", f[2], max, "the recording's length");
                if (end <= start) {
                    throw r.error(r.lineNumber(), "field end_sample: " + end + ", expected more than start_sample " + start
                            + " (the end is exclusive; a word has at least one sample)");
                }
                if (start < previousEnd) {
                    throw r.error(r.lineNumber(), "field start_sample: " + start + ", but the word on the line before ends at "
                            + previousEnd + "; rows are in time order and words do not overlap");
                }
                words.add(new LabeledWord(f[0], start, end));
                previousEnd = end;
            }
        }
        return new StreamLabels(words, recordingSamples, sampleRate);
    }

    private static void checkRecording(long recordingSamples, int sampleRate) {
        if (recordingSamples < 0) {
            throw new IllegalArgumentException("recordingSamples = " + recordingSamples + ", expected a length >= 0");
        }
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sampleRate = " + sampleRate + ", expected a rate in Hz > 0");
        }
    }

    /** Every spoken word, in time order (unmodifiable; empty for a recording without speech). */
    public List<LabeledWord> words() {
        return words;
    }

    /** The spoken words that are among {@code keywords}, in time order (a new unmodifiable list). */
    public List<LabeledWord> words(Set<String> keywords) {
        Objects.requireNonNull(keywords, "keywords is null: give the keyword words");
        return words.stream().filter(w -> keywords.contains(w.word())).toList();
    }

    /** The recording's length in samples. */
    public long recordingSamples() {
        return recordingSamples;
    }

    /** The recording's sample rate in Hz. */
    public int sampleRate() {
        return sampleRate;
    }

    /** The recording's length in hours. */
    public double hours() {
        return recordingSamples / (double) sampleRate / 3600.0;
    }
}
