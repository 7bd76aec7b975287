package org.rankcoding.audio.detection;

import org.rankcoding.audio.spotter.KeywordEvent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Scores the {@link KeywordEvent}s a spotter emitted on a long recording against the recording's
 * {@link StreamLabels}: which spoken keywords it detected, which events were false alarms, and how late.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>A <b>keyword label</b> is a labelled word that is one of the {@link #keywords()}; other labelled words are
 *       there to be ignored.</li>
 *   <li>An event <b>detects</b> a keyword label when the event's word equals the label's word and the event's sample
 *       lies in {@code [start, end + tolerance)}: from the word's first sample to {@link #toleranceSeconds()} after it
 *       ends (a spotter may need to hear a little past the word). Each label is detected at most once, by the first
 *       event (in stream order) that matches it; an event that could match several labels detects the earliest
 *       undetected one.</li>
 *   <li>Every other event is a <b>false alarm</b>: a wrong word, a keyword where none was said, a second event on a
 *       word already detected, or an event of any class that is not a keyword. Pass only the events the spotter
 *       reports as keywords. Each false alarm is counted by what was being said ({@link FalseAlarms}): a repeat of a
 *       detected keyword, another keyword, a non-keyword word, or nothing.</li>
 *   <li>Latencies are measured per detection from the detecting event: event time - word onset, and event time - word
 *       end (see {@link StreamScore}).</li>
 * </ul>
 * The default tolerance is {@value #DEFAULT_TOLERANCE_SECONDS} s, rounded to whole samples at the labels' rate.
 *
 * <p>Immutable and thread-safe. Scoring sorts a copy of the events by sample (stable) and costs
 * {@code O((events + labels) log labels)}.
 */
public final class DetectionScorer {

    /** The default tolerance after a word's end, in seconds. */
    public static final double DEFAULT_TOLERANCE_SECONDS = 0.5;

    /** The largest tolerance accepted, in seconds. */
    public static final double MAX_TOLERANCE_SECONDS = 60;

    private static final int REPEAT = 0;
    private static final int WRONG_KEYWORD = 1;
    private static final int OTHER_WORD = 2;
    private static final int NO_SPEECH = 3;

    private final Set<String> keywords;
    private final double toleranceSeconds;

    /**
     * @param keywords         the keyword words, at least one, none empty
     * @param toleranceSeconds how long after a word's end an event still detects it, in [0, 60] s
     * @throws IllegalArgumentException for no keywords, an empty one, or a tolerance out of range
     */
    public DetectionScorer(Set<String> keywords, double toleranceSeconds) {
        Objects.requireNonNull(keywords, "keywords is null: give the keyword words, e.g. SpeechCommands.COMMAND_WORDS");
        if (keywords.isEmpty() || keywords.stream().anyMatch(w -> w == null || w.isEmpty())) {
            throw new IllegalArgumentException("keywords = " + keywords + ", expected at least one non-empty word");
        }
        if (!(toleranceSeconds >= 0 && toleranceSeconds <= MAX_TOLERANCE_SECONDS)) {
            throw new IllegalArgumentException("toleranceSeconds = " + toleranceSeconds + ", expected in [0, " + MAX_TOLERANCE_SECONDS
                    + "] seconds after the word's end (default " + DEFAULT_TOLERANCE_SECONDS + ")");
        }
        this.keywords = Set.copyOf(keywords);
        this.toleranceSeconds = toleranceSeconds;
    }

    /** A scorer with the {@linkplain #DEFAULT_TOLERANCE_SECONDS default tolerance}. */
    public DetectionScorer(Set<String> keywords) {
        this(keywords, DEFAULT_TOLERANCE_SECONDS);
    }

    /** The keyword words. */
    public Set<String> keywords() {
        return keywords;
    }

    /** How long after a word's end an event still detects it, in seconds. */
    public double toleranceSeconds() {
        return toleranceSeconds;
    }

    /**
     * Scores one recording.
     *
     * @param events the events emitted on it, positions counted from its first sample (any order)
     * @param labels its labels
     * @return the detections, false alarms (by {@linkplain FalseAlarms cause}), hours and latencies
     * @throws IllegalArgumentException for an event at another sample rate than the labels', or after the end of the
     *                                  recording
     */
    public StreamScore score(List<KeywordEvent> events, StreamLabels labels) {
        Objects.requireNonNull(events, "events is null: give the events (possibly none)");
        Objects.requireNonNull(labels, "labels is null: give the recording's labels");
        int rate = labels.sampleRate();
        List<KeywordEvent> sorted = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            KeywordEvent e = Objects.requireNonNull(events.get(i), "events[" + i + "] is null");
            if (e.sampleRate() != rate) {
                throw new IllegalArgumentException("events[" + i + "] " + e + " is at " + e.sampleRate() + " Hz, but the recording is at "
                        + rate + " Hz");
            }
            if (e.sample() > labels.recordingSamples()) {
                throw new IllegalArgumentException("events[" + i + "] " + e + " is after the recording's end at sample "
                        + labels.recordingSamples() + "; events and labels of different recordings?");
            }
            sorted.add(e);
        }
        sorted.sort(Comparator.comparingLong(KeywordEvent::sample));
        List<LabeledWord> targets = labels.words(keywords);
        int n = targets.size();
        long tolerance = Math.round(toleranceSeconds * rate);
        long[] ends = extendedEnds(targets, tolerance);
        boolean[] detected = new boolean[n];
        double[] onset = new double[n];
        double[] end = new double[n];
        int detections = 0;
        List<LabeledWord> spoken = labels.words();
        long[] spokenEnds = extendedEnds(spoken, tolerance);
        int[] causes = new int[4];
        for (KeywordEvent e : sorted) {
            int hit = match(e, targets, ends, detected);
            if (hit < 0) {
                causes[cause(e, spoken, spokenEnds)]++;
            } else {
                detected[hit] = true;
                LabeledWord w = targets.get(hit);
                onset[detections] = (e.sample() - w.start()) / (double) rate;
                end[detections] = (e.sample() - w.end()) / (double) rate;
                detections++;
            }
        }
        return new StreamScore(n, new FalseAlarms(causes[REPEAT], causes[WRONG_KEYWORD], causes[OTHER_WORD], causes[NO_SPEECH]),
                labels.recordingSamples() / (double) rate, java.util.Arrays.copyOf(onset, detections),
                java.util.Arrays.copyOf(end, detections));
    }

    /**
     * What was being said when a false alarm {@code e} happened (an index of {@link FalseAlarms}' counts): a keyword of
     * the event's word (a repeat), another keyword, a non-keyword word, or nothing. A span is
     * {@code [start, end + tolerance)}; where spans of several words hold the event, a keyword counts before another
     * word and the event's own word before another keyword.
     */
    private int cause(KeywordEvent e, List<LabeledWord> words, long[] ends) {
        long s = e.sample();
        int found = NO_SPEECH;
        for (int i = firstEndAfter(ends, s); i < words.size() && words.get(i).start() <= s; i++) {
            LabeledWord w = words.get(i);
            int c = !keywords.contains(w.word()) ? OTHER_WORD : w.word().equals(e.word()) ? REPEAT : WRONG_KEYWORD;
            found = Math.min(found, c);
        }
        return found;
    }

    /**
     * The earliest undetected label the event detects, or -1. Labels are in time order and do not overlap, so their
     * extended ends are increasing: the candidates are those after the last extended end at or before the sample and
     * starting at or before it.
     */
    private static int match(KeywordEvent e, List<LabeledWord> targets, long[] ends, boolean[] detected) {
        long s = e.sample();
        for (int i = firstEndAfter(ends, s); i < targets.size() && targets.get(i).start() <= s; i++) {
            if (!detected[i] && targets.get(i).word().equals(e.word())) {
                return i;
            }
        }
        return -1;
    }

    /** Each word's end + {@code tolerance}: increasing, as the words are in time order and do not overlap. */
    private static long[] extendedEnds(List<LabeledWord> words, long tolerance) {
        long[] out = new long[words.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = words.get(i).end() + tolerance;
        }
        return out;
    }

    /** The first index whose (increasing) extended end is after sample {@code s}; {@code ends.length} if none. */
    private static int firstEndAfter(long[] ends, long s) {
        int lo = 0;
        int hi = ends.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ends[mid] <= s) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
