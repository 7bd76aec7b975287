package org.rankcoding.audio.augment;

import org.rankcoding.audio.AudioClip;
import org.rankcoding.data.DataChecksum;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Applies a {@link WaveformAugmentation} to one clip's samples at a time, in place, with every random number drawn
 * from the generator passed in (the trainer's), so that training is bit-identical for a seed.
 *
 * <h2>Per clip, in this order</h2>
 * A clip's numbers are drawn in this order, all before the first step is applied (no draw depends on the samples,
 * so the draws of many clips can be taken on one thread and the clips computed on others, as
 * {@link AugmentedClipSource} does); a step that is off (its field 0) draws nothing, so
 * {@link WaveformAugmentation#NONE} leaves the clip bit-identical and the generator untouched. The clip always keeps its
 * length {@code n}.
 * <ol>
 *   <li><b>Speed</b> ({@code speed > 0}): {@code f = 1 - speed + 2 speed nextDouble()}; the clip is resampled
 *   ({@link Resampler}: windowed sinc) to play {@code f} times faster, tempo and pitch together, anchored at its centre:
 *   {@code out[i] = x(c + (i - c) f)} with {@code c = (n - 1) / 2}; what falls outside the clip is zero (a faster clip
 *   gets silent edges, a slower one loses its edges).</li>
 *   <li><b>Pitch</b> ({@code pitchSemitones > 0}): {@code s = pitchSemitones (2 nextDouble() - 1)}, {@code r = 2^(s/12)};
 *   the clip is time-stretched to {@code m = round(n r)} samples keeping its pitch ({@link TimeStretcher}: WSOLA), then
 *   resampled back to {@code n} samples, reading {@code m / n} input samples per output sample: every frequency is
 *   multiplied by {@code m / n} (that is {@code r} within {@code 1 / (2 n)}) and the timing is kept.</li>
 *   <li><b>Time shift</b> ({@code shiftMs > 0}): {@code k = nextInt(2 K + 1) - K} samples, {@code K =
 *   round(shiftMs R / 1000)} at {@code R} samples per second; {@code out[i] = x[i - k]}, zero outside (positive
 *   {@code k} delays the clip).</li>
 *   <li><b>Reverberation</b> ({@code reverbProbability > 0}): applied when {@code nextDouble() < reverbProbability};
 *   then {@code RT60 = rt60MinSeconds + (rt60MaxSeconds - rt60MinSeconds) nextDouble()} and the impulse response's
 *   tail ({@link Reverberator}: {@code ceil(RT60 R) - 1} values of {@code nextGaussian()}); the wet clip is scaled to
 *   the dry clip's RMS.</li>
 *   <li><b>Band limitation</b> ({@code bandLimitProbability > 0}): applied when {@code nextDouble() <
 *   bandLimitProbability}; then the bandwidth {@code b = minBandwidthHz + (R / 2 - minBandwidthHz) nextDouble()} Hz.
 *   The clip is resampled ({@link Resampler}) to {@code m = round(n 2 b / (0.95 R))} samples, whose anti-aliasing
 *   filter passes the band below {@code b}, and back to {@code n} samples: what a recording at a lower sample rate, or
 *   a narrow channel, keeps of the voice. Nothing happens when {@code m >= n}. The noise of the next step stays
 *   full-band.</li>
 *   <li><b>Background noise</b> ({@code noiseProbability > 0}): added when {@code nextDouble() < noiseProbability};
 *   then the recording {@code nextInt(recordings)}, the start {@code nextInt(max(1, L - n + 1))} in it ({@code L} its
 *   length; a recording shorter than the clip is repeated) and the SNR {@code lo + (hi - lo) nextDouble()} dB; the
 *   stretch is scaled so that the clip's RMS (as it is at this point, over all its samples) over the stretch's RMS is
 *   the SNR, and added. A silent clip or a silent stretch gets nothing (the numbers are still drawn).</li>
 *   <li><b>Gain</b> ({@code gainDb > 0}): {@code g = gainDb (2 nextDouble() - 1)} dB; every sample is multiplied by
 *   {@code 10^(g / 20)}. Samples are not clipped to {@code [-1, 1]}.</li>
 * </ol>
 *
 * <h2>Cost and threads</h2>
 * The scratch buffers (resampling, WSOLA, FFT plans and buffers of the convolution) are owned by the instance and
 * grown to the largest clip seen: after the first clips of a size, {@link #apply} allocates nothing. An instance is
 * therefore <b>not thread-safe</b>: one per thread.
 */
public final class WaveformAugmenter {

    private final WaveformAugmentation augmentation;
    private final int sampleRate;
    private final List<float[]> noises;
    private final String noiseDescription;
    private final int shiftLimit;
    private final Resampler resampler;
    private final TimeStretcher stretcher;
    private final Reverberator reverberator;
    private float[] scratch = new float[0];
    /** The draws of the last {@link #apply(float[], RandomGenerator)}. */
    private final WaveformDraws last = new WaveformDraws();

    /**
     * An augmenter without noise recordings, for an augmentation that adds no noise.
     *
     * @param augmentation what to do to each clip; its {@code noiseProbability} must be 0
     * @param sampleRate   samples per second of the clips, in {@code [1000, 384000]}
     * @throws IllegalArgumentException for an augmentation that adds noise, or a sample rate out of range
     */
    public WaveformAugmenter(WaveformAugmentation augmentation, int sampleRate) {
        this(augmentation, sampleRate, List.of());
    }

    /**
     * @param augmentation what to do to each clip
     * @param sampleRate   samples per second of the clips, in {@code [1000, 384000]}
     * @param noises       background-noise recordings at {@code sampleRate}, each at least one sample long (their
     *                     arrays are shared, not copied, and must not be modified); required (non-empty) when the
     *                     augmentation adds noise
     * @throws IllegalArgumentException for a sample rate out of range, noise recordings of another rate or empty, or
     *                                  no recordings for an augmentation that adds noise
     */
    public WaveformAugmenter(WaveformAugmentation augmentation, int sampleRate, List<AudioClip> noises) {
        this(checked(augmentation, sampleRate, noises), sampleRate, noiseArrays(noises), describe(noises));
    }

    /** The augmentation, after the checks of the public constructor. */
    private static WaveformAugmentation checked(WaveformAugmentation augmentation, int sampleRate, List<AudioClip> noises) {
        Objects.requireNonNull(augmentation, "augmentation is null; use WaveformAugmentation.NONE for no augmentation");
        Objects.requireNonNull(noises, "noises is null; give an empty list when no noise is added");
        if (sampleRate < 1000 || sampleRate > 384_000) {
            throw new IllegalArgumentException("sampleRate = " + sampleRate + " Hz, expected in [1000, 384000] (typical: 16000)");
        }
        if (augmentation.usesNoise() && noises.isEmpty()) {
            throw new IllegalArgumentException("noiseProbability = " + augmentation.noiseProbability() + " but no noise "
                    + "recordings were given; give some (for Speech Commands, the files of _background_noise_) or set "
                    + "noiseProbability to 0");
        }
        for (int i = 0; i < noises.size(); i++) {
            AudioClip clip = Objects.requireNonNull(noises.get(i), "noise recording " + i + " is null");
            if (clip.sampleRate() != sampleRate || clip.length() == 0) {
                throw new IllegalArgumentException("noise recording " + i + " has " + clip.length() + " samples at "
                        + clip.sampleRate() + " Hz, expected at least one sample at " + sampleRate + " Hz (resample it)");
            }
        }
        return augmentation;
    }

    private static List<float[]> noiseArrays(List<AudioClip> noises) {
        List<float[]> arrays = new ArrayList<>(noises.size());
        for (AudioClip clip : noises) {
            arrays.add(clip.samples());
        }
        return List.copyOf(arrays);
    }

    /** {@code "N noise recordings (checksum X)"} over every recording's length and samples, or "no noise recordings". */
    private static String describe(List<AudioClip> noises) {
        if (noises.isEmpty()) {
            return "no noise recordings";
        }
        DataChecksum sum = new DataChecksum();
        for (AudioClip clip : noises) {
            sum.add(clip.length());
            for (float v : clip.samples()) {
                sum.add(Float.floatToIntBits(v));
            }
        }
        return String.format(Locale.ROOT, "%d noise recordings (checksum %s)", noises.size(), sum.hex());
    }

    /** The checked parts: the noise arrays (shared) and their description. */
    private WaveformAugmenter(WaveformAugmentation augmentation, int sampleRate, List<float[]> noises, String noiseDescription) {
        this.augmentation = augmentation;
        this.sampleRate = sampleRate;
        this.noises = noises;
        this.noiseDescription = noiseDescription;
        this.shiftLimit = (int) Math.round(augmentation.shiftMs() * sampleRate / 1000);
        if (augmentation.bandLimitProbability() > 0 && augmentation.minBandwidthHz() >= sampleRate / 2.0) {
            throw new IllegalArgumentException("minBandwidthHz = " + augmentation.minBandwidthHz() + " Hz, expected below half "
                    + "the sample rate (" + sampleRate / 2.0 + " Hz): a bandwidth at or above it limits nothing");
        }
        double bandStep = augmentation.bandLimitProbability() > 0
                ? Resampler.CUTOFF * sampleRate / (2 * augmentation.minBandwidthHz()) + 0.01 : 1;
        this.resampler = new Resampler(Math.max(Math.max(1 + augmentation.speed(), bandStep),
                1.001 * Math.pow(2, augmentation.pitchSemitones() / 12)));
        this.stretcher = new TimeStretcher(sampleRate);
        this.reverberator = new Reverberator(sampleRate, augmentation.rt60MaxSeconds());
    }

    /** The augmentation applied. */
    public WaveformAugmentation augmentation() {
        return augmentation;
    }

    /** Samples per second of the clips. */
    public int sampleRate() {
        return sampleRate;
    }

    /** {@code "N noise recordings (checksum X)"} or {@code "no noise recordings"}: for fingerprints. */
    public String noiseDescription() {
        return noiseDescription;
    }

    /** An augmenter of the same augmentation and noise recordings (shared) with scratch buffers of its own: for another thread. */
    WaveformAugmenter copy() {
        return new WaveformAugmenter(augmentation, sampleRate, noises, noiseDescription);
    }

    /**
     * Augments one clip in place (see the class comment for the steps and the order of the draws).
     *
     * @param samples the clip at {@link #sampleRate()}; modified, its length kept
     * @param rng     the only source of randomness
     */
    public void apply(float[] samples, RandomGenerator rng) {
        Objects.requireNonNull(samples, "samples is null");
        Objects.requireNonNull(rng, "rng is null");
        draw(samples.length, rng, last);
        apply(samples, last);
    }

    /**
     * Draws the numbers of one clip of {@code n} samples into {@code d}, in the order of the class comment, without
     * touching any clip: what {@link #apply(float[], RandomGenerator)} draws. The draws depend only on the generator,
     * the augmentation, {@code n} and the noise recordings' lengths, never on a clip's samples.
     */
    void draw(int n, RandomGenerator rng, WaveformDraws d) {
        WaveformAugmentation a = augmentation;
        d.clear();
        if (a.speed() > 0) {
            d.speedFactor = 1 - a.speed() + 2 * a.speed() * rng.nextDouble();
        }
        if (a.pitchSemitones() > 0) {
            d.pitchSemitones = a.pitchSemitones() * (2 * rng.nextDouble() - 1);
        }
        if (shiftLimit > 0) {
            d.shift = rng.nextInt(2 * shiftLimit + 1) - shiftLimit;
        }
        if (a.reverbProbability() > 0 && rng.nextDouble() < a.reverbProbability()) {
            d.reverberate = true;
            d.rt60 = a.rt60MinSeconds() + (a.rt60MaxSeconds() - a.rt60MinSeconds()) * rng.nextDouble();
            int length = reverberator.tailLength(d.rt60);
            Reverberator.drawTail(length, rng, d.tail(length));
        }
        if (a.bandLimitProbability() > 0 && rng.nextDouble() < a.bandLimitProbability()) {
            d.limitBand = true;
            d.bandwidthHz = a.minBandwidthHz() + (sampleRate / 2.0 - a.minBandwidthHz()) * rng.nextDouble();
        }
        if (a.noiseProbability() > 0 && rng.nextDouble() < a.noiseProbability()) {
            d.addNoise = true;
            d.noiseRecording = rng.nextInt(noises.size());
            int length = noises.get(d.noiseRecording).length;
            d.noiseStart = rng.nextInt(Math.max(1, length - n + 1));
            d.snrDb = a.noiseSnrLowDb() + (a.noiseSnrHighDb() - a.noiseSnrLowDb()) * rng.nextDouble();
        }
        if (a.gainDb() > 0) {
            d.gainDb = a.gainDb() * (2 * rng.nextDouble() - 1);
        }
    }

    /** Augments one clip in place with numbers drawn before by {@link #draw} for its length. */
    void apply(float[] samples, WaveformDraws d) {
        WaveformAugmentation a = augmentation;
        if (a.speed() > 0) {
            changeSpeed(samples, d.speedFactor);
        }
        if (a.pitchSemitones() > 0) {
            shiftPitch(samples, d.pitchSemitones);
        }
        if (shiftLimit > 0) {
            shift(samples, d.shift);
        }
        if (d.reverberate) {
            reverberator.apply(samples, d.rt60, d.tail);
        }
        if (d.limitBand) {
            limitBand(samples, d.bandwidthHz);
        }
        if (d.addNoise) {
            addNoise(samples, noises.get(d.noiseRecording), d.noiseStart, d.snrDb);
        }
        if (a.gainDb() > 0) {
            gain(samples, d.gainDb);
        }
    }

    // ------------------------------------------------------------------ the steps, each deterministic

    /** Plays the clip {@code factor} times faster, anchored at its centre (step 1). */
    void changeSpeed(float[] samples, double factor) {
        int n = samples.length;
        double centre = (n - 1) / 2.0;
        resampler.resample(samples, n, centre - centre * factor, factor, samples, n);
    }

    /** Shifts the pitch by {@code semitones}, keeping the duration (step 2). */
    void shiftPitch(float[] samples, double semitones) {
        int n = samples.length;
        int m = (int) Math.round(n * Math.pow(2, semitones / 12));
        // buffers for the longest stretch this augmentation can draw, so that they grow once
        int capacity = Math.max(m, (int) Math.ceil(n * Math.pow(2, augmentation.pitchSemitones() / 12)) + 1);
        float[] stretched = scratch(capacity);
        resampler.reserve(capacity);
        stretcher.stretch(samples, n, stretched, m, capacity);
        resampler.resample(stretched, m, 0, n == 0 ? 1 : (double) m / n, samples, n);
    }

    /** Delays the clip by {@code k} samples (advances it for {@code k < 0}), zero-filled (step 3). */
    static void shift(float[] samples, int k) {
        int n = samples.length;
        if (k >= n || -k >= n) {
            java.util.Arrays.fill(samples, 0f);
        } else if (k > 0) {
            System.arraycopy(samples, 0, samples, k, n - k);
            java.util.Arrays.fill(samples, 0, k, 0f);
        } else if (k < 0) {
            System.arraycopy(samples, -k, samples, 0, n + k);
            java.util.Arrays.fill(samples, n + k, n, 0f);
        }
    }

    /** Keeps the frequencies below {@code bandwidthHz}: down to a lower rate and back (step 5). */
    void limitBand(float[] samples, double bandwidthHz) {
        int n = samples.length;
        int m = (int) Math.round(n * 2 * bandwidthHz / (Resampler.CUTOFF * sampleRate));
        if (m >= n || m < 1) {
            return;
        }
        float[] low = scratch(n);
        resampler.reserve(n);
        resampler.resample(samples, n, 0, (double) n / m, low, m);
        resampler.resample(low, m, 0, (double) m / n, samples, n);
    }

    /** Adds {@code noise} from {@code start} on (repeated when too short) at {@code snrDb} against the clip's RMS (step 6). */
    static void addNoise(float[] samples, float[] noise, int start, double snrDb) {
        int n = samples.length;
        double clip = Reverberator.rms(samples);
        double sum = 0;
        for (int i = 0, j = start; i < n; i++, j = j + 1 == noise.length ? 0 : j + 1) {
            sum += (double) noise[j] * noise[j];
        }
        double stretch = n == 0 ? 0 : Math.sqrt(sum / n);
        if (clip == 0 || stretch == 0) {
            return;
        }
        double scale = clip / (stretch * Math.pow(10, snrDb / 20));
        for (int i = 0, j = start; i < n; i++, j = j + 1 == noise.length ? 0 : j + 1) {
            samples[i] = (float) (samples[i] + scale * noise[j]);
        }
    }

    /** Multiplies every sample by {@code 10^(db / 20)} (step 7). */
    static void gain(float[] samples, double db) {
        double g = Math.pow(10, db / 20);
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (float) (samples[i] * g);
        }
    }

    private float[] scratch(int n) {
        if (scratch.length < n) {
            scratch = new float[n];
        }
        return scratch;
    }

    // ------------------------------------------------------------------ what the last apply drew, for tests

    double lastSpeedFactor() {
        return last.speedFactor;
    }

    double lastPitchSemitones() {
        return last.pitchSemitones;
    }

    int lastShift() {
        return last.shift;
    }

    /** 0 when the last clip was not reverberated. */
    double lastRt60() {
        return last.rt60;
    }

    /** -1 when the last clip got no noise. */
    int lastNoiseRecording() {
        return last.noiseRecording;
    }

    int lastNoiseStart() {
        return last.noiseStart;
    }

    /** NaN when the last clip got no noise. */
    double lastSnrDb() {
        return last.snrDb;
    }

    double lastGainDb() {
        return last.gainDb;
    }

    /** The bandwidth the last clip was limited to, in Hz (0: not limited). */
    double lastBandwidthHz() {
        return last.bandwidthHz;
    }

    @Override
    public String toString() {
        return "WaveformAugmenter[" + augmentation + ", " + sampleRate + " Hz, " + noiseDescription + "]";
    }
}
