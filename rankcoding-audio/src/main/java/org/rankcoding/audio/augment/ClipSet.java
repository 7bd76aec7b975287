package org.rankcoding.audio.augment;

import org.rankcoding.audio.SpeechClip;
import org.rankcoding.audio.WavReader;
import org.rankcoding.data.DataChecksum;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Labelled clips of equal length held in memory as 16-bit samples, the raw material of on-the-fly augmentation
 * ({@link AugmentedClipSource}).
 *
 * <p>Memory: 2 bytes per sample, 32,000 bytes per 1 s clip at 16 kHz, 512 MB for 16,000 clips (about what their
 * log-mel features take: 98 x 40 doubles, 31,360 bytes per clip). Samples are stored as {@code round(v 32768)}
 * clamped to {@code [-32768, 32767]} and decoded as {@code s / 32768}: lossless for samples read from 16-bit WAV files
 * ({@link WavReader} gives exactly {@code s / 32768}), a quantisation to 16 bits otherwise.
 *
 * <p>Immutable and thread-safe.
 */
public final class ClipSet {

    private final short[][] samples;
    private final int[] labels;
    private final int numClasses;
    private final int sampleRate;
    private final int length;
    private volatile String checksum;

    private ClipSet(short[][] samples, int[] labels, int numClasses, int sampleRate, int length) {
        this.samples = samples;
        this.labels = labels;
        this.numClasses = numClasses;
        this.sampleRate = sampleRate;
        this.length = length;
    }

    /**
     * Clips from samples in memory.
     *
     * @param clips      at least one clip, all of the same length (at least 1 sample), values in {@code [-1, 1)} (others
     *                   are clamped); copied
     * @param labels     one label per clip, each in {@code [0, numClasses)}; copied
     * @param numClasses number of classes, at least 2
     * @param sampleRate samples per second of every clip, at least 1
     * @throws IllegalArgumentException for no clips, clips of different lengths, a label count or label out of range,
     *                                  a non-finite sample, fewer than two classes or a sample rate below 1
     */
    public static ClipSet of(List<float[]> clips, int[] labels, int numClasses, int sampleRate) {
        Objects.requireNonNull(clips, "clips is null");
        Objects.requireNonNull(labels, "labels is null");
        if (clips.isEmpty()) {
            throw new IllegalArgumentException("no clips given; a training set needs at least one");
        }
        if (labels.length != clips.size()) {
            throw new IllegalArgumentException(labels.length + " labels for " + clips.size() + " clips; give one label per clip");
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses = " + numClasses + ", expected >= 2");
        }
        if (sampleRate < 1) {
            throw new IllegalArgumentException("sampleRate = " + sampleRate + " Hz, expected >= 1");
        }
        int length = Objects.requireNonNull(clips.get(0), "clip 0 is null").length;
        if (length < 1) {
            throw new IllegalArgumentException("clip 0 has no samples; clips need at least one (pad them to a fixed length)");
        }
        short[][] stored = new short[clips.size()][];
        for (int i = 0; i < stored.length; i++) {
            float[] clip = Objects.requireNonNull(clips.get(i), "clip " + i + " is null");
            if (clip.length != length) {
                throw new IllegalArgumentException("clip " + i + " has " + clip.length + " samples, expected " + length
                        + " like clip 0 (pad or cut every clip to one length, e.g. WavReader.readFixedLength)");
            }
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("clip " + i + " has label " + labels[i] + ", expected in [0, "
                        + (numClasses - 1) + "]");
            }
            stored[i] = quantise(clip, i);
        }
        return new ClipSet(stored, labels.clone(), numClasses, sampleRate, length);
    }

    /**
     * Reads clips of a Speech Commands data set, each padded or cut to one second ({@code sampleRate} samples) as
     * {@link WavReader#readFixedLength} does, labelled by {@link SpeechClip#label()}.
     *
     * @param clips      at least one clip
     * @param numClasses number of classes, at least 2 (the data set's word count)
     * @param sampleRate the clips' required sample rate
     * @throws IOException for a clip that cannot be read or is not a 16-bit mono WAV file at {@code sampleRate}
     */
    public static ClipSet read(List<SpeechClip> clips, int numClasses, int sampleRate) throws IOException {
        Objects.requireNonNull(clips, "clips is null");
        if (clips.isEmpty()) {
            throw new IllegalArgumentException("no clips given; a training set needs at least one");
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses = " + numClasses + ", expected >= 2");
        }
        if (sampleRate < 1) {
            throw new IllegalArgumentException("sampleRate = " + sampleRate + " Hz, expected >= 1");
        }
        // each clip is stored as 16 bits as soon as it is read: no list of float copies of the whole split
        short[][] stored = new short[clips.size()][];
        int[] labels = new int[clips.size()];
        Map<Path, float[]> excerptSources = new HashMap<>(); // a noise recording is read once for all its excerpts
        for (int i = 0; i < labels.length; i++) {
            SpeechClip c = Objects.requireNonNull(clips.get(i), "clip " + i + " is null");
            float[] samples;
            if (c.isExcerpt()) {
                float[] source = excerptSources.get(c.file());
                if (source == null) {
                    source = WavReader.read(c.file(), sampleRate).samples();
                    excerptSources.put(c.file(), source);
                }
                samples = c.cut(source, sampleRate);
            } else {
                samples = WavReader.readFixedLength(c.file(), sampleRate, sampleRate);
            }
            stored[i] = quantise(samples, i);
            labels[i] = c.label();
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("clip " + i + " (" + c.relativePath() + ") has label " + labels[i]
                        + ", expected in [0, " + (numClasses - 1) + "]");
            }
        }
        return new ClipSet(stored, labels, numClasses, sampleRate, sampleRate);
    }

    private static short[] quantise(float[] clip, int index) {
        short[] out = new short[clip.length];
        for (int j = 0; j < clip.length; j++) {
            float v = clip[j];
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("clip " + index + " sample " + j + " is " + v + ", expected a finite value");
            }
            out[j] = (short) Math.max(-32768, Math.min(32767, Math.round(v * 32768.0)));
        }
        return out;
    }

    /** Number of clips. */
    public int size() {
        return samples.length;
    }

    /** Samples per clip. */
    public int length() {
        return length;
    }

    /** Samples per second. */
    public int sampleRate() {
        return sampleRate;
    }

    /** Number of classes. */
    public int numClasses() {
        return numClasses;
    }

    /** The label of clip {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    /**
     * Decodes clip {@code i} into {@code out[0 .. length())}; allocates nothing.
     *
     * @throws IndexOutOfBoundsException for a clip index out of range or an array shorter than {@link #length()}
     */
    public void decode(int i, float[] out) {
        short[] s = samples[i];
        if (out.length < s.length) {
            throw new IndexOutOfBoundsException("out has " + out.length + " samples, expected at least " + s.length);
        }
        for (int j = 0; j < s.length; j++) {
            out[j] = s[j] / 32768f;
        }
    }

    /** A {@link DataChecksum} over the sample rate, the labels and every sample, in order; computed once. */
    public String checksum() {
        String c = checksum;
        if (c == null) {
            DataChecksum sum = new DataChecksum().add(sampleRate).add(labels);
            byte[] bytes = new byte[2 * length];
            for (short[] s : samples) {
                for (int j = 0; j < s.length; j++) {
                    bytes[2 * j] = (byte) s[j];
                    bytes[2 * j + 1] = (byte) (s[j] >> 8);
                }
                sum.add(bytes, 0, bytes.length);
            }
            c = sum.hex();
            checksum = c;
        }
        return c;
    }

    @Override
    public String toString() {
        return "ClipSet of " + size() + " clips of " + length + " samples at " + sampleRate + " Hz";
    }
}
