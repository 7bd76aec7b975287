package org.rankcoding.audio.spotter;

import org.rankcoding.infer.Decision;
import org.rankcoding.infer.RankCodingModel;
import org.rankcoding.infer.StreamingSession;
import org.rankcoding.nn.HeadType;

import java.util.List;
import java.util.Optional;

/**
 * Which streaming sessions hear each frame, and when they start again: the {@link ResetPolicy}, the session window,
 * the keyword classes and the refractory period of a {@link KeywordSpotter}, frame by frame.
 *
 * <p>Slot {@code i} of the policy's {@link ResetPolicy#sessions()} starts {@code i} half-windows after the schedule
 * (re)starts; a running session restarts (fresh state, from the next frame on) when it has heard {@code sessionFrames}
 * frames without deciding or when it decides a class that is not a keyword. A keyword decision is an event: then no
 * session hears the frames that end within the refractory period after it, and the schedule restarts on the first
 * frame after. Allocates nothing per frame (a {@link Decision} per decision, an event per event).
 */
final class SessionSchedule {

    private final StreamingSession[] sessions;
    private final int[] age;
    private final boolean[] running;
    private final boolean[] expired;
    private final int sessionFrames;
    private final int stagger;
    private final long refractorySamples;
    private final boolean[] keyword;
    private final List<String> words;
    private final int sampleRate;
    private final double[] probabilities;
    private final boolean binary;
    /** Frames ending at or before this stream position fall in the refractory period and are not heard. */
    private long quietUntil;
    private boolean restartPending;
    private long sinceRestart;
    private long lastEnd;

    SessionSchedule(RankCodingModel model, ResetPolicy policy, int sessionFrames, long refractorySamples, boolean[] keyword,
                    List<String> words, int sampleRate) {
        this.sessions = new StreamingSession[policy.sessions()];
        for (int i = 0; i < sessions.length; i++) {
            sessions[i] = model.newSession();
        }
        this.age = new int[sessions.length];
        this.running = new boolean[sessions.length];
        this.expired = new boolean[sessions.length];
        this.sessionFrames = sessionFrames;
        this.stagger = Math.max(1, sessionFrames / 2);
        this.refractorySamples = refractorySamples;
        this.keyword = keyword.clone();
        this.words = words;
        this.sampleRate = sampleRate;
        this.binary = model.config().head() == HeadType.BINARY_SIGMOID;
        this.probabilities = new double[model.config().numClasses()];
        reset();
    }

    /**
     * Feeds one frame to the sessions that hear it.
     *
     * @param input     the frame's model inputs
     * @param endSample the stream position one past the frame's last sample
     * @return the keyword event decided on this frame, or {@code null}
     */
    KeywordEvent frame(double[] input, long endSample) {
        lastEnd = endSample;
        if (endSample <= quietUntil) {
            return null;
        }
        if (restartPending) {
            restartAll();
        }
        int best = -1;
        double bestConfidence = -1;
        for (int i = 0; i < sessions.length; i++) {
            if (!running[i]) {
                if (sinceRestart != (long) i * stagger) {
                    continue;
                }
                running[i] = true;
            } else if (expired[i]) {
                restart(i);
            }
            Decision d = sessions[i].feed(input);
            age[i]++;
            if (d != StreamingSession.UNDECIDED && keyword[d.label()]) {
                double c = confidence(sessions[i], d.label());
                if (c > bestConfidence) {
                    best = i;
                    bestConfidence = c;
                }
            }
            // a session that decided a non-keyword, or heard its whole window, starts again at the next frame (kept
            // until then, for bestGuess)
            expired[i] = d != StreamingSession.UNDECIDED || age[i] >= sessionFrames;
        }
        sinceRestart++;
        if (best < 0) {
            return null;
        }
        int label = sessions[best].decision().label();
        quietUntil = endSample + refractorySamples;
        restartPending = true;
        return new KeywordEvent(words.get(label), label, endSample, sampleRate, bestConfidence);
    }

    /**
     * The prediction, at the latest frame, of the session that has heard the most frames since its start: empty when
     * no session has heard a frame (at the start of a stream) or after an event (in its refractory period, before the
     * sessions start again).
     */
    Optional<KeywordEvent> bestGuess() {
        if (restartPending) {
            return Optional.empty();
        }
        int longest = -1;
        for (int i = 0; i < sessions.length; i++) {
            if (running[i] && sessions[i].steps() > 0 && (longest < 0 || sessions[i].steps() > sessions[longest].steps())) {
                longest = i;
            }
        }
        if (longest < 0) {
            return Optional.empty();
        }
        int label = sessions[longest].currentPrediction();
        return Optional.of(new KeywordEvent(words.get(label), label, lastEnd, sampleRate, confidence(sessions[longest], label)));
    }

    /** Back to the start of a stream: no session running, no refractory period. */
    void reset() {
        quietUntil = -1;
        lastEnd = 0;
        restartAll();
    }

    private void restartAll() {
        for (int i = 0; i < sessions.length; i++) {
            sessions[i].reset();
            age[i] = 0;
            running[i] = false;
            expired[i] = false;
        }
        sinceRestart = 0;
        restartPending = false;
    }

    private void restart(int i) {
        sessions[i].reset();
        age[i] = 0;
        expired[i] = false;
    }

    /** The probability of {@code label} at the session's latest step (for a one-output head, of class 1 or its complement). */
    private double confidence(StreamingSession session, int label) {
        session.currentProbabilities(probabilities);
        double p = !binary ? probabilities[label] : label == 1 ? probabilities[0] : 1 - probabilities[0];
        return Math.min(1, Math.max(0, p));
    }
}
