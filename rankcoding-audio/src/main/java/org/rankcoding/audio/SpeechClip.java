package org.rankcoding.audio;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One clip of a Speech Commands data set, before decoding: a whole file, or a one-second excerpt of a longer
 * recording (the {@code _silence_} items of the 12-class task, cut from {@code _background_noise_/}).
 *
 * <p>What the clip sounds like is the same rule for both: the {@code length} samples of {@link #file()} starting at
 * sample {@link #offset()} (zeros past the file's end), multiplied by {@link #gain()}, see {@link #cut}. A whole clip
 * has offset 0 and gain 1, so it is the file padded with zeros or cut at the end, as the Speech Commands tools do.
 *
 * @param relativePath the path of the file relative to the data set's root with {@code /} separators, as in the split
 *                     lists (e.g. {@code yes/0a7c2a8d_nohash_0.wav}); excerpts of one recording share it and differ
 *                     by their offset
 * @param file         the file itself
 * @param word         what is said: the word folder the clip is in (for an {@code _unknown_} item the word it
 *                     really is, e.g. {@code zero}), or {@link SpeechCommands#SILENCE_LABEL} for a background excerpt
 * @param label        the class: the index of the class name in {@link SpeechCommands#words()}
 * @param split        the split the clip belongs to
 * @param offset       the first sample of the file that the clip uses, {@code >= 0} (0 for a whole clip)
 * @param gain         the factor the samples are multiplied by, finite and {@code >= 0} (1 for a whole clip)
 */
public record SpeechClip(String relativePath, Path file, String word, int label, DataSplit split, int offset, double gain) {

    /**
     * Validates the components.
     *
     * @throws IllegalArgumentException for a negative label or offset, or a gain that is negative or not finite
     * @throws NullPointerException     for a null path, file, word or split
     */
    public SpeechClip {
        Objects.requireNonNull(relativePath, "relativePath is null: give the file's path relative to the root");
        Objects.requireNonNull(file, "file is null: give the clip's file");
        Objects.requireNonNull(word, "word is null: give the word folder");
        Objects.requireNonNull(split, "split is null: give the clip's split");
        if (label < 0) {
            throw new IllegalArgumentException("label = " + label + ", expected a class index >= 0");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset = " + offset + " samples, expected >= 0");
        }
        if (!(gain >= 0 && gain < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("gain = " + gain + ", expected a finite factor >= 0");
        }
    }

    /**
     * A whole clip: the file from its first sample, at its own level (offset 0, gain 1).
     *
     * @see #SpeechClip(String, Path, String, int, DataSplit, int, double)
     */
    public SpeechClip(String relativePath, Path file, String word, int label, DataSplit split) {
        this(relativePath, file, word, label, split, 0, 1.0);
    }

    /** Whether the clip is an excerpt of a longer recording, i.e. not the whole file at its own level. */
    public boolean isExcerpt() {
        return offset != 0 || gain != 1.0;
    }

    /**
     * The clip's samples, cut from the samples of its file: {@code fileSamples[offset ..< offset + length]}, zeros
     * where that runs past the end of the file, each multiplied by {@link #gain()}.
     *
     * @param fileSamples every sample of {@link #file()} (not modified)
     * @param length      the clip's length in samples, {@code >= 0} (16,000 for 1 s at 16 kHz)
     * @return a new array of {@code length} samples, owned by the caller
     * @throws IllegalArgumentException for a negative length
     */
    public float[] cut(float[] fileSamples, int length) {
        Objects.requireNonNull(fileSamples, "fileSamples is null: give the samples of the clip's file");
        if (length < 0) {
            throw new IllegalArgumentException("length = " + length + " samples, expected >= 0");
        }
        float[] out = new float[length];
        int n = (int) Math.max(0, Math.min(length, (long) fileSamples.length - offset));
        if (n > 0) {
            System.arraycopy(fileSamples, offset, out, 0, n);
        }
        if (gain != 1.0) {
            for (int i = 0; i < n; i++) {
                out[i] = (float) (out[i] * gain);
            }
        }
        return out;
    }

    /**
     * The speaker id: the file name up to {@code _nohash_} (e.g. {@code 0a7c2a8d}), or the whole file name without
     * {@code .wav} when it has no {@code _nohash_} (a background recording's name for an excerpt). The real data set
     * and the generated one split by speaker.
     */
    public String speaker() {
        String name = file.getFileName().toString();
        int cut = name.indexOf("_nohash_");
        return cut >= 0 ? name.substring(0, cut) : name.endsWith(".wav") ? name.substring(0, name.length() - 4) : name;
    }
}
