package org.rankcoding.audio.spotter;

import org.rankcoding.audio.FeatureNormalizer;
import org.rankcoding.audio.LogMelConfig;
import org.rankcoding.audio.FrontEndConfig;
import org.rankcoding.audio.FrontEndStream;

import java.util.Objects;

/**
 * The front end of a stream, in one place: samples in, in pieces of any length, model inputs out, one vector per
 * completed frame. It holds the last window of samples in a ring buffer and, every hop once a window is full, computes
 * the window's frame with a {@link FrontEndStream}: mel energies, compressed (log or PCEN) and normalised (training-set
 * statistics, or causally with them as the prior).
 *
 * <p>The frames are exactly, bit for bit, those {@link FrontEndStream#computeSteps} gives offline on the same samples,
 * however the stream is split into {@link #push} calls: frame {@code t} covers stream samples
 * {@code [t hop, t hop + window)} and is delivered by the call that brings its last sample. Samples of a window not yet
 * complete wait for the next call. The stateful stages (PCEN's smoother, the causal normalisation's running statistics)
 * run over the whole stream since construction or the last {@link #reset()}, not per spotter session.
 *
 * <p>Allocates nothing after construction; not thread-safe (one per stream).
 */
public final class StreamingFeatures {

    /** Receives each completed frame's model inputs. */
    @FunctionalInterface
    public interface FrameSink {

        /**
         * One frame's standardised features.
         *
         * @param features  the model inputs; the array is reused for the next frame: read it, do not keep it
         * @param endSample the stream position one past the frame's last sample
         */
        void frame(double[] features, long endSample);
    }

    private final FrontEndStream frontEnd;
    private final int window;
    private final int hop;
    /** The last {@code window} samples, oldest at {@code ringStart} once full. */
    private final float[] ring;
    /** The window in time order, for {@link LogMelSpectrogram#computeFrame}. */
    private final float[] linear;
    private final double[] features;
    private int ringStart;
    private int ringFill;
    private long samples;
    private long frames;
    private int untilFrame;

    /**
     * A front end computing {@code config}'s frames with the training set's statistics {@code normalizer}.
     *
     * @throws IllegalArgumentException when the normalizer has another number of features than the front end has bands
     */
    public StreamingFeatures(FrontEndConfig config, FeatureNormalizer normalizer) {
        Objects.requireNonNull(config, "config is null: give the model's front end");
        Objects.requireNonNull(normalizer, "normalizer is null: give the model's feature statistics");
        if (normalizer.size() != config.mel().melBands()) {
            throw new IllegalArgumentException("the normalizer has " + normalizer.size() + " features but the front end computes "
                    + config.mel().melBands() + " mel bands; give the statistics the model was trained with");
        }
        this.frontEnd = new FrontEndStream(config, normalizer);
        LogMelConfig mel = config.mel();
        this.window = mel.windowLength();
        this.hop = mel.hopLength();
        this.ring = new float[window];
        this.linear = new float[window];
        this.features = new double[mel.melBands()];
        reset();
    }

    /**
     * The front end {@code model} was trained with: its front end and feature statistics. The one place where a
     * model's description of its inputs becomes a front end.
     */
    public static StreamingFeatures forModel(KeywordModel model) {
        Objects.requireNonNull(model, "model is null: load one with KeywordModel.load(file)");
        return new StreamingFeatures(model.frontEnd(), model.normalizer());
    }

    /** The front end's log-mel settings (rate, window, hop, bands). */
    public LogMelConfig config() {
        return frontEnd.config().mel();
    }

    /** Values per frame: the model's input size. */
    public int inputSize() {
        return features.length;
    }

    /** Samples pushed since construction or the last {@link #reset()}. */
    public long samples() {
        return samples;
    }

    /** Frames delivered since construction or the last {@link #reset()}. */
    public long frames() {
        return frames;
    }

    /**
     * Takes {@code samples[offset, offset + length)} as the next samples of the stream and delivers every frame they
     * complete to {@code sink}, in order; allocates nothing.
     *
     * @param samples the audio at the configured rate (not modified, not kept)
     * @param offset  first sample to take
     * @param length  number of samples, 0 or more
     * @param sink    receives the completed frames
     * @throws IllegalArgumentException when the range lies outside {@code samples} or holds a NaN or infinite sample
     *                                  (naming its index); nothing of the call is taken then
     */
    public void push(float[] samples, int offset, int length, FrameSink sink) {
        Objects.requireNonNull(samples, "samples is null");
        Objects.requireNonNull(sink, "sink is null");
        if (offset < 0 || length < 0 || offset > samples.length - length) {
            throw new IllegalArgumentException("samples [" + offset + ", " + offset + " + " + length + ") outside an array of "
                    + samples.length);
        }
        for (int i = offset; i < offset + length; i++) {
            if (!Float.isFinite(samples[i])) {
                throw new IllegalArgumentException("sample " + i + " is " + samples[i] + ", expected a finite value (audio in [-1, 1]); "
                        + "nothing of this call was taken: fix the samples and feed them again");
            }
        }
        int done = 0;
        while (done < length) {
            int n = Math.min(length - done, untilFrame);
            append(samples, offset + done, n);
            done += n;
            untilFrame -= n;
            if (untilFrame == 0) {
                computeFrame();
                untilFrame = hop;
                sink.frame(features, this.samples);
            }
        }
    }

    /** Forgets the stream: the next sample pushed is stream position 0. */
    public void reset() {
        ringStart = 0;
        ringFill = 0;
        samples = 0;
        frames = 0;
        untilFrame = window;
        frontEnd.reset();
    }

    /** Appends {@code n} samples to the ring, dropping the oldest beyond one window. */
    private void append(float[] src, int from, int n) {
        samples += n;
        if (n >= window) {
            System.arraycopy(src, from + n - window, ring, 0, window);
            ringStart = 0;
            ringFill = window;
            return;
        }
        // the slot after the newest sample: ringStart + ringFill while filling, ringStart (the oldest) once full
        int write = (ringStart + ringFill) % window;
        int first = Math.min(n, window - write);
        System.arraycopy(src, from, ring, write, first);
        System.arraycopy(src, from + first, ring, 0, n - first);
        int overflow = ringFill + n - window;
        if (overflow > 0) {
            ringStart = (ringStart + overflow) % window;
            ringFill = window;
        } else {
            ringFill += n;
        }
    }

    /** The current window's frame into {@link #features}. */
    private void computeFrame() {
        int tail = window - ringStart;
        System.arraycopy(ring, ringStart, linear, 0, tail);
        System.arraycopy(ring, 0, linear, tail, ringStart);
        frontEnd.nextFrame(linear, 0, features, 0);
        frames++;
    }
}
