package org.rankcoding.audio.detection;

/**
 * The false alarms of a keyword spotter on long recordings, by what was being said when each happened (the rules of
 * {@link DetectionScorer}; a word's span is {@code [start, end + tolerance)}):
 *
 * <ul>
 *   <li>{@code repeats}: in the span of a keyword the event names, already detected by an earlier event;</li>
 *   <li>{@code wrongKeywords}: in the span of a keyword, naming another word;</li>
 *   <li>{@code otherWords}: in the span of a spoken word that is not a keyword (and of no keyword);</li>
 *   <li>{@code noSpeech}: in the span of no spoken word (background noise or silence).</li>
 * </ul>
 * Knowing which one dominates says what to train against: more non-keyword speech for {@code _unknown_}, more noise for
 * {@code _silence_}, or a longer refractory period for repeats.
 *
 * @param repeats       second events on a keyword already detected, {@code >= 0}
 * @param wrongKeywords events naming another word during a keyword, {@code >= 0}
 * @param otherWords    events during non-keyword speech, {@code >= 0}
 * @param noSpeech      events where nothing was said, {@code >= 0}
 */
public record FalseAlarms(int repeats, int wrongKeywords, int otherWords, int noSpeech) {

    /** No false alarm. */
    public static final FalseAlarms NONE = new FalseAlarms(0, 0, 0, 0);

    /** @throws IllegalArgumentException for a negative count */
    public FalseAlarms {
        if (repeats < 0 || wrongKeywords < 0 || otherWords < 0 || noSpeech < 0) {
            throw new IllegalArgumentException("false alarms: repeats = " + repeats + ", wrongKeywords = " + wrongKeywords
                    + ", otherWords = " + otherWords + ", noSpeech = " + noSpeech + ", expected counts >= 0");
        }
    }

    /** All false alarms. */
    public int total() {
        return repeats + wrongKeywords + otherWords + noSpeech;
    }

    /** These counts and {@code other}'s added up. */
    public FalseAlarms plus(FalseAlarms other) {
        return new FalseAlarms(repeats + other.repeats, wrongKeywords + other.wrongKeywords, otherWords + other.otherWords,
                noSpeech + other.noSpeech);
    }
}
