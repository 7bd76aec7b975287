package org.rankcoding.audio.spotter;

/**
 * Receives the keyword events of a {@link KeywordSpotter}, on the thread that feeds it, in stream order, from inside
 * the {@code feed} call that completed the deciding frame: keep it short (hand the event to another thread for
 * slow work), and do not feed or reset the same spotter from it.
 */
@FunctionalInterface
public interface KeywordListener {

    /** Ignores every event. */
    KeywordListener NONE = event -> { };

    /**
     * A keyword was heard.
     *
     * @param event the word, the stream position of the decision and the confidence
     */
    void onKeyword(KeywordEvent event);
}
