package org.rankcoding.audio.spotter;

/**
 * How a {@link KeywordSpotter} runs a model trained on clips of one window (1 s) over a stream of any length.
 *
 * <p>A streaming session of the network is a clip: it starts with a fresh LSTM state, hears at most one window of
 * frames ({@link KeywordSpotter.Builder#sessionMillis}) and ends at its decision (the first spike) or at the end of
 * the window, undecided; then it starts again on the next frame. A session is never run for longer than the clips
 * the model was trained on, where its state would drift into regions training never visited. Every policy also
 * restarts all sessions after a keyword event, once the refractory period is over, and restarts a session that
 * decided a class that is not a keyword ({@code _silence_}, {@code _unknown_}) at the next frame.
 */
public enum ResetPolicy {

    /**
     * One session at a time, restarted at its decision and after one window without deciding. Cheapest (one LSTM step
     * per frame), but blind at a restart: a word that begins shortly before a session runs out of its window is heard
     * in part by that session and in part by the next one, and neither may hear enough of it to decide.
     */
    RESTART,

    /**
     * Two sessions half a window apart, each living one window: one starts with the stream (and after each event), the
     * other half a window later, and each restarts when its own window ends without a decision (or at a decision of a
     * non-keyword). A word no longer than half a window lies whole inside one session's window however it falls, with
     * up to half a window of lead-in, as in the training clips. Costs two LSTM steps per frame (the front end is shared);
     * when both sessions decide a keyword on the same frame, the more confident one makes the event. The default.
     */
    STAGGERED;

    /** How many sessions run side by side: 1 for {@link #RESTART}, 2 for {@link #STAGGERED}. */
    public int sessions() {
        return this == RESTART ? 1 : 2;
    }
}
