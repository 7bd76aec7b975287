package org.rankcoding.audio.spotter;

import org.rankcoding.infer.RankCodingModel;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.rc.DecisionRuleSpec;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.TargetDataLine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Continuous keyword spotting: feed the samples of a stream in pieces of any length, get a {@link KeywordEvent} each
 * time a keyword is heard, through a {@link KeywordListener} and as the return value of the {@code feed} call that
 * completed the deciding frame.
 *
 * <pre>{@code
 * KeywordSpotter spotter = KeywordSpotter.builder(KeywordModel.load(Path.of("kws.safetensors")))
 *         .refractoryMillis(1000)
 *         .resetPolicy(ResetPolicy.STAGGERED)
 *         .listener(e -> System.out.printf("%.2f s: %s (p = %.2f)%n", e.seconds(), e.word(), e.confidence()))
 *         .build();
 * spotter.feed(samples, 0, samples.length);     // floats in [-1, 1) at the model's rate, any number of calls
 * }</pre>
 *
 * <h2>Inside</h2>
 * {@link StreamingFeatures} turns the samples into standardised log-mel frames as each window completes (exactly the
 * frames the model was trained on, however the stream is split); {@link SessionSchedule} feeds each frame to the
 * streaming sessions of the network the {@link ResetPolicy} runs, each living at most one window
 * ({@link Builder#sessionMillis}, 1 s by default: the training clips' length). A session that decides (its decision
 * rule fires: by default its output crosses the threshold) a keyword class makes an event, whose time is the end of
 * the deciding frame; then nothing is heard for the refractory period ({@link Builder#refractoryMillis}) and every
 * session starts again. A session that decides a class that is not a keyword ({@code _silence_}, {@code _unknown_}, or
 * any class left out of {@link Builder#keywords}) starts again at the next frame, without an event; a model whose
 * decision rule lets those classes abstain ({@link org.rankcoding.rc.AbstainingClasses}, as {@code keyword-spotting
 * --task commands12} trains it) never decides them, and its sessions listen on.
 *
 * <h2>Determinism, cost and threads</h2>
 * The events depend only on the samples, not on how they are split into calls, nor on the sample type fed
 * ({@code short} and 16-bit bytes are turned into floats {@code v / 32768} as {@code WavReader} does). After the first
 * frames nothing is allocated per frame or per call (an event, its returned list and a decision are allocated when
 * they happen). A spotter is <b>not thread-safe</b>: feed it from one thread (the listener runs on that thread, inside
 * {@code feed}); the {@link KeywordModel}'s network is shared read-only, so several spotters of one model may run on
 * several threads.
 */
public final class KeywordSpotter {

    /** The classes that are not keywords by default: {@code _silence_} and {@code _unknown_} (Speech Commands' names). */
    public static final Set<String> NON_KEYWORDS = Set.of("_silence_", "_unknown_");
    /** Refractory period by default, in ms: a word is over one second after its decision. */
    public static final int DEFAULT_REFRACTORY_MILLIS = 1000;
    /** Longest refractory period and session window accepted, in ms. */
    public static final int MAX_MILLIS = 60_000;
    /** Session window by default, in ms: the length of the Speech Commands clips the models are trained on. */
    public static final int DEFAULT_SESSION_MILLIS = 1000;

    private static final int CHUNK = 1024;

    private final KeywordModel model;
    private final DecisionRuleSpec rule;
    private final ResetPolicy policy;
    private final int refractoryMillis;
    private final int sessionFrames;
    private final Set<String> keywords;
    private final KeywordListener listener;
    private final StreamingFeatures features;
    private final SessionSchedule schedule;
    private final StreamingFeatures.FrameSink sink = this::frame;
    private final float[] scratch = new float[CHUNK];
    private List<KeywordEvent> collected;
    private int pendingByte = -1;

    private KeywordSpotter(Builder b, Set<String> keywords, int sessionFrames) {
        this.model = b.model;
        this.rule = b.rule;
        this.policy = b.policy;
        this.refractoryMillis = b.refractoryMillis;
        this.sessionFrames = sessionFrames;
        this.keywords = keywords;
        this.listener = b.listener;
        this.features = StreamingFeatures.forModel(model);
        boolean[] isKeyword = new boolean[model.words().size()];
        for (int i = 0; i < isKeyword.length; i++) {
            isKeyword[i] = keywords.contains(model.words().get(i));
        }
        int rate = model.frontEnd().mel().sampleRate();
        RankCodingModel network = new RankCodingModel(model.model().network(), rule, b.kernels, model.model().source());
        this.schedule = new SessionSchedule(network, policy, sessionFrames, (long) refractoryMillis * rate / 1000, isKeyword,
                model.words(), rate);
    }

    /** A builder of spotters running {@code model}, with the defaults listed on each of its methods. */
    public static Builder builder(KeywordModel model) {
        return new Builder(model);
    }

    /**
     * Feeds {@code samples[offset, offset + length)}, the next samples of the stream (floats in [-1, 1) at the model's
     * sample rate), and delivers the events they complete to the listener.
     *
     * @return the events of this call in stream order (an empty immutable list, not allocated, when there is none)
     * @throws IllegalArgumentException when the range lies outside the array
     * @throws org.rankcoding.rc.NonFiniteOutputException when the network's output is not a probability (broken
     *                                  weights or feature statistics; {@link #reset()} before feeding on)
     */
    public List<KeywordEvent> feed(float[] samples, int offset, int length) {
        features.push(samples, offset, length, sink);
        return drain();
    }

    /** {@link #feed(float[], int, int)} of a whole array. */
    public List<KeywordEvent> feed(float[] samples) {
        return feed(samples, 0, samples.length);
    }

    /**
     * Feeds 16-bit samples {@code pcm[offset, offset + length)}, each {@code v} heard as {@code v / 32768}.
     *
     * @return the events of this call, as {@link #feed(float[], int, int)}
     * @throws IllegalArgumentException when the range lies outside the array
     */
    public List<KeywordEvent> feed(short[] pcm, int offset, int length) {
        Objects.requireNonNull(pcm, "pcm is null");
        checkRange(pcm.length, offset, length);
        for (int done = 0; done < length; ) {
            int n = Math.min(CHUNK, length - done);
            for (int i = 0; i < n; i++) {
                scratch[i] = pcm[offset + done + i] / 32768f;
            }
            features.push(scratch, 0, n, sink);
            done += n;
        }
        return drain();
    }

    /**
     * Feeds {@code bytes[offset, offset + length)} of 16-bit little-endian signed PCM (the bytes of a WAV file's data
     * or of a {@link TargetDataLine}); a call may end in the middle of a sample, whose second byte then comes first in
     * the next call.
     *
     * @return the events of this call, as {@link #feed(float[], int, int)}
     * @throws IllegalArgumentException when the range lies outside the array
     */
    public List<KeywordEvent> feedPcm16(byte[] bytes, int offset, int length) {
        Objects.requireNonNull(bytes, "bytes is null");
        checkRange(bytes.length, offset, length);
        int p = offset;
        int end = offset + length;
        if (pendingByte >= 0 && p < end) {
            scratch[0] = (short) (pendingByte | (bytes[p++] << 8)) / 32768f;
            pendingByte = -1;
            features.push(scratch, 0, 1, sink);
        }
        while (end - p >= 2) {
            int n = Math.min(CHUNK, (end - p) / 2);
            for (int i = 0; i < n; i++, p += 2) {
                scratch[i] = (short) ((bytes[p] & 0xFF) | (bytes[p + 1] << 8)) / 32768f;
            }
            features.push(scratch, 0, n, sink);
        }
        if (p < end) {
            pendingByte = bytes[p] & 0xFF;
        }
        return drain();
    }

    /**
     * The events of a whole recording, read lazily as the stream is consumed: starts a new stream ({@link #reset()})
     * and feeds {@code in} block by block until its end. For files; the caller closes {@code in}.
     *
     * @param in 16-bit signed little-endian mono PCM at the model's sample rate (convert other formats with
     *           {@code AudioSystem.getAudioInputStream(format, in)})
     * @return the events in stream order; an {@link IOException} while reading is thrown as an
     *         {@link UncheckedIOException}
     * @throws IllegalArgumentException for another format, naming it and the one expected
     */
    public Stream<KeywordEvent> events(AudioInputStream in) {
        Objects.requireNonNull(in, "in is null");
        requireFormat(in.getFormat());
        reset();
        Iterator<KeywordEvent> it = new Iterator<>() {
            private final byte[] block = new byte[4 * CHUNK];
            private final ArrayDeque<KeywordEvent> pending = new ArrayDeque<>();
            private boolean ended;

            @Override
            public boolean hasNext() {
                while (pending.isEmpty() && !ended) {
                    int n;
                    try {
                        n = in.read(block);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    if (n < 0) {
                        ended = true;
                    } else {
                        pending.addAll(feedPcm16(block, 0, n));
                    }
                }
                return !pending.isEmpty();
            }

            @Override
            public KeywordEvent next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the recording has no more keyword events");
                }
                return pending.poll();
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /**
     * Listens to a live input until it stops: starts {@code line} if it is not running, reads it block by block (one
     * hop, 10 ms, at a time) on the calling thread and gives each event to the builder's listener and to
     * {@code events}. Blocks: run it on a thread of its own, and end it from another thread with {@code line.stop()}
     * or {@code line.close()}, or by interrupting it. The stream goes on from where the spotter is (call
     * {@link #reset()} first for a new one).
     *
     * @param line   an open line of 16-bit signed little-endian mono PCM at the model's sample rate
     * @param events receives the events (besides the builder's listener)
     * @throws IllegalArgumentException for another format, naming it and the one expected
     */
    public void listen(TargetDataLine line, KeywordListener events) {
        Objects.requireNonNull(line, "line is null");
        Objects.requireNonNull(events, "events is null; give KeywordListener.NONE to use the builder's listener only");
        requireFormat(line.getFormat());
        byte[] block = new byte[2 * model.frontEnd().mel().hopLength()];
        if (!line.isActive()) {
            line.start();
        }
        while (line.isOpen() && !Thread.currentThread().isInterrupted()) {
            int n = line.read(block, 0, block.length);
            if (n > 0) {
                feedPcm16(block, 0, n).forEach(events::onKeyword);
            } else if (!line.isActive()) {
                return;
            }
        }
    }

    /**
     * Ends the stream: the samples of a window not yet complete are dropped (no frame covers them), the spotter starts
     * a new stream at position 0 ({@link #reset()}) and the result says what the longest-running session predicted at
     * the last frame.
     *
     * @return that session's prediction and probability at the end of the stream, for a report on a recording
     *         without events; not an event (the listener does not get it), and empty when no session was running
     *         undecided (no complete frame, or the stream ended in a refractory period or right after a restart)
     */
    public Optional<KeywordEvent> flush() {
        Optional<KeywordEvent> guess = schedule.bestGuess();
        reset();
        return guess;
    }

    /** Forgets the stream (samples, frames, sessions, refractory period): the next sample fed is position 0. */
    public void reset() {
        features.reset();
        schedule.reset();
        pendingByte = -1;
        collected = null;
    }

    /**
     * Samples fed since the stream started (construction, {@link #reset()} or {@link #flush()}); a half sample waiting
     * in {@link #feedPcm16} is not counted.
     */
    public long position() {
        return features.samples();
    }

    /** The model. */
    public KeywordModel model() {
        return model;
    }

    /** The decision rule the sessions decide by. */
    public DecisionRuleSpec decisionRule() {
        return rule;
    }

    /** The reset policy. */
    public ResetPolicy resetPolicy() {
        return policy;
    }

    /** The refractory period after each event, in ms. */
    public int refractoryMillis() {
        return refractoryMillis;
    }

    /** The frames a session hears at most before it starts again undecided. */
    public int sessionFrames() {
        return sessionFrames;
    }

    /** The words that make events (unmodifiable, in class order). */
    public Set<String> keywords() {
        return keywords;
    }

    private void frame(double[] input, long endSample) {
        KeywordEvent e = schedule.frame(input, endSample);
        if (e != null) {
            if (collected == null) {
                collected = new ArrayList<>(2);
            }
            collected.add(e);
            listener.onKeyword(e);
        }
    }

    private List<KeywordEvent> drain() {
        List<KeywordEvent> out = collected == null ? List.of() : collected;
        collected = null;
        return out;
    }

    private static void checkRange(int size, int offset, int length) {
        if (offset < 0 || length < 0 || offset > size - length) {
            throw new IllegalArgumentException("[" + offset + ", " + offset + " + " + length + ") outside an array of " + size);
        }
    }

    /** Refuses any format but 16-bit signed little-endian mono PCM at the model's rate. */
    private void requireFormat(AudioFormat f) {
        int rate = model.frontEnd().mel().sampleRate();
        boolean ok = AudioFormat.Encoding.PCM_SIGNED.equals(f.getEncoding()) && f.getSampleSizeInBits() == 16 && f.getChannels() == 1
                && !f.isBigEndian() && f.getSampleRate() == rate;
        if (!ok) {
            throw new IllegalArgumentException("audio format " + f + ", expected 16-bit signed little-endian mono PCM at " + rate
                    + " Hz, the model's rate; convert with AudioSystem.getAudioInputStream(format, stream)");
        }
    }

    /** Settings of a {@link KeywordSpotter}; each has a default, so {@code builder(model).build()} works. */
    public static final class Builder {

        private final KeywordModel model;
        private DecisionRuleSpec rule;
        private int refractoryMillis = DEFAULT_REFRACTORY_MILLIS;
        private int sessionMillis = DEFAULT_SESSION_MILLIS;
        private ResetPolicy policy = ResetPolicy.STAGGERED;
        private Set<String> keywords;
        private KeywordListener listener = KeywordListener.NONE;
        private MatrixKernels kernels = Kernels.best();

        private Builder(KeywordModel model) {
            this.model = Objects.requireNonNull(model, "model is null: load one with KeywordModel.load(file)");
            this.rule = model.model().decisionRule();
        }

        /**
         * The spike threshold (default: the model file's): the decision rule with its threshold moved to start at
         * {@code theta} (a per-step schedule keeps its shape).
         *
         * @throws IllegalArgumentException for a threshold outside (0.5, 1)
         */
        public Builder threshold(double theta) {
            this.rule = rule.withThreshold(theta);
            return this;
        }

        /** The whole decision rule (default: the model file's). */
        public Builder decisionRule(DecisionRuleSpec rule) {
            this.rule = Objects.requireNonNull(rule, "rule is null: give the decision rule, or leave the model file's");
            return this;
        }

        /**
         * The refractory period after each event, in ms of audio (default {@value KeywordSpotter#DEFAULT_REFRACTORY_MILLIS}): frames
         * ending within it are heard by no session, so no event follows sooner, and all sessions start again after it.
         *
         * @throws IllegalArgumentException outside [0, {@value KeywordSpotter#MAX_MILLIS}]
         */
        public Builder refractoryMillis(int millis) {
            if (millis < 0 || millis > MAX_MILLIS) {
                throw new IllegalArgumentException("refractoryMillis = " + millis + ", expected a period in ms in [0, " + MAX_MILLIS
                        + "] (0: sessions start again at the frame after an event)");
            }
            this.refractoryMillis = millis;
            return this;
        }

        /**
         * The longest a session hears before it starts again undecided, in ms of audio (default
         * {@value KeywordSpotter#DEFAULT_SESSION_MILLIS}: the training clips' length, 98 frames of the default front end).
         *
         * @throws IllegalArgumentException outside [the front end's window, {@value KeywordSpotter#MAX_MILLIS}]
         */
        public Builder sessionMillis(int millis) {
            int windowMillis = (int) Math.ceil(1000.0 * model.frontEnd().mel().windowLength() / model.frontEnd().mel().sampleRate());
            if (millis < windowMillis || millis > MAX_MILLIS) {
                throw new IllegalArgumentException("sessionMillis = " + millis + ", expected a window in ms in [" + windowMillis + ", "
                        + MAX_MILLIS + "] (at least one frame of the model's front end; the training clips' length is usual)");
            }
            this.sessionMillis = millis;
            return this;
        }

        /** The reset policy (default {@link ResetPolicy#STAGGERED}). */
        public Builder resetPolicy(ResetPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy is null: give ResetPolicy.STAGGERED or RESTART");
            return this;
        }

        /**
         * The words that make events (default: every word of the model except {@link #NON_KEYWORDS}); a session deciding
         * another class starts again without an event.
         *
         * @throws IllegalArgumentException for an empty set or a word the model does not have, naming it and the model's words
         */
        public Builder keywords(Collection<String> words) {
            Objects.requireNonNull(words, "words is null: give the keywords, or leave the default");
            if (words.isEmpty()) {
                throw new IllegalArgumentException("no keywords: give at least one of the model's words " + model.words());
            }
            for (String w : words) {
                if (!model.words().contains(w)) {
                    throw new IllegalArgumentException("keyword '" + w + "' is not a word of the model; its words are " + model.words());
                }
            }
            this.keywords = Set.copyOf(words);
            return this;
        }

        /** Receives every event (default {@link KeywordListener#NONE}: use the lists {@code feed} returns). */
        public Builder listener(KeywordListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener is null: give KeywordListener.NONE for none");
            return this;
        }

        /** The matrix kernels of the network (default {@link Kernels#best()}). */
        public Builder kernels(MatrixKernels kernels) {
            this.kernels = Objects.requireNonNull(kernels, "kernels is null: give Kernels.best()");
            return this;
        }

        /**
         * The spotter.
         *
         * @throws IllegalArgumentException when every word of the model is a non-keyword by default (give {@link #keywords})
         */
        public KeywordSpotter build() {
            Set<String> chosen = new LinkedHashSet<>();
            for (String w : model.words()) {
                if (keywords != null ? keywords.contains(w) : !NON_KEYWORDS.contains(w)) {
                    chosen.add(w);
                }
            }
            if (chosen.isEmpty()) {
                throw new IllegalArgumentException("the model's words " + model.words() + " hold no keyword: give keywords(...)");
            }
            int rate = model.frontEnd().mel().sampleRate();
            int frames = model.frontEnd().mel().frames((int) ((long) sessionMillis * rate / 1000));
            return new KeywordSpotter(this, java.util.Collections.unmodifiableSet(chosen), frames);
        }
    }
}
