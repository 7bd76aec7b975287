package org.rankcoding.examples.cli;

import org.rankcoding.audio.CausalNormalization;
import org.rankcoding.audio.FeatureNormalization;
import org.rankcoding.audio.FrontEndConfig;
import org.rankcoding.audio.LogMelConfig;
import org.rankcoding.audio.MelCompression;
import org.rankcoding.audio.PcenConfig;
import org.rankcoding.audio.VtlpWarp;
import org.rankcoding.audio.augment.SpecAugment;
import org.rankcoding.audio.augment.WaveformAugmentation;
import picocli.CommandLine.Option;

import java.util.Locale;

/**
 * Front-end and training-time augmentation options of the keyword-spotting command (a picocli mixin): the front end's
 * compression ({@code --front-end log|pcen}) and normalisation ({@code --normalisation training|causal}), the waveform
 * augmentation ({@code --speed}, {@code --pitch}, {@code --gain-db}, {@code --time-shift-ms}, {@code --noise-prob} with
 * {@code --noise-snr}, {@code --reverb-prob} with {@code --reverb-rt60}, {@code --band-limit-prob} with
 * {@code --band-limit-min-hz}), vocal-tract-length perturbation
 * ({@code --vtlp}) and SpecAugment masks ({@code --freq-masks}, {@code --time-masks}). Every augmentation is off by
 * default; the ranges are declared ({@link OptionBounds}) and checked again by the library's records, whose messages
 * name the option through {@link #check}.
 */
public final class KeywordAudioOptions {

    @Option(names = "--front-end", defaultValue = "log", paramLabel = "KIND",
            description = "Compression of the mel energies: log (log-mel) or pcen (per-channel energy normalisation, the "
                    + "paper's parameters) (default: ${DEFAULT-VALUE}).")
    String frontEnd;

    @Option(names = "--normalisation", defaultValue = "training", paramLabel = "KIND",
            description = "Per-band normalisation of the features: training (the training set's mean and standard deviation) "
                    + "or causal (running statistics of the clip so far, the training set's as a prior of 20 frames; never "
                    + "looks ahead) (default: ${DEFAULT-VALUE}).")
    String normalisation;

    @Range(min = 0, max = WaveformAugmentation.MAX_SPEED, note = "0 for none")
    @Option(names = "--speed", defaultValue = "0", paramLabel = "S",
            description = "Augmentation: play each training clip at a speed uniform in [1 - S, 1 + S] (tempo and pitch "
                    + "together, by resampling; typical 0.1) (default: ${DEFAULT-VALUE}, none).")
    double speed;

    @Range(min = 0, max = WaveformAugmentation.MAX_PITCH_SEMITONES, note = "0 for none")
    @Option(names = "--pitch", defaultValue = "0", paramLabel = "SEMITONES",
            description = "Augmentation: shift each training clip's pitch by up to SEMITONES either way, its timing kept "
                    + "(typical 2) (default: ${DEFAULT-VALUE}, none).")
    double pitch;

    @Range(min = 0, max = WaveformAugmentation.MAX_GAIN_DB, note = "0 for none")
    @Option(names = "--gain-db", defaultValue = "0", paramLabel = "DB",
            description = "Augmentation: change each training clip's level by up to DB decibels either way (typical 6) "
                    + "(default: ${DEFAULT-VALUE}, none).")
    double gainDb;

    @Range(min = 0, max = WaveformAugmentation.MAX_SHIFT_MS, note = "0 for none")
    @Option(names = "--time-shift-ms", defaultValue = "0", paramLabel = "MS",
            description = "Augmentation: shift each training clip by up to MS milliseconds either way, zero-filled (typical "
                    + "100) (default: ${DEFAULT-VALUE}, none).")
    double shiftMs;

    @Range(min = 0, max = 1, note = "0 for none")
    @Option(names = "--noise-prob", defaultValue = "0", paramLabel = "P",
            description = "Augmentation: with probability P mix a random stretch of a _background_noise_ recording into a "
                    + "training clip at an SNR drawn from --noise-snr (typical 0.8) (default: ${DEFAULT-VALUE}, none).")
    double noiseProbability;

    @Option(names = "--noise-snr", defaultValue = "5:20", paramLabel = "LO:HI",
            description = "With --noise-prob: the signal-to-noise ratio's range in dB, from "
                    + WaveformAugmentation.MIN_SNR_DB + " to " + WaveformAugmentation.MAX_SNR_DB + " (default: ${DEFAULT-VALUE}).")
    String noiseSnr;

    @Range(min = 0, max = 1, note = "0 for none")
    @Option(names = "--reverb-prob", defaultValue = "0", paramLabel = "P",
            description = "Augmentation: with probability P reverberate a training clip with a synthetic room response of "
                    + "RT60 drawn from --reverb-rt60 (typical 0.3) (default: ${DEFAULT-VALUE}, none).")
    double reverbProbability;

    @Option(names = "--reverb-rt60", defaultValue = "0.1:0.6", paramLabel = "LO:HI",
            description = "With --reverb-prob: the reverberation time's range in seconds, from "
                    + WaveformAugmentation.MIN_RT60_SECONDS + " to " + WaveformAugmentation.MAX_RT60_SECONDS
                    + " (default: ${DEFAULT-VALUE}).")
    String reverbRt60;

    @Range(min = 0, max = 1, note = "0 for none")
    @Option(names = "--band-limit-prob", defaultValue = "0", paramLabel = "P",
            description = "Augmentation: with probability P keep only the frequencies of a training clip below a bandwidth "
                    + "drawn between --band-limit-min-hz and 8 kHz, as a recording at a lower sample rate or a telephone "
                    + "line would (typical 0.3) (default: ${DEFAULT-VALUE}, none).")
    double bandLimitProbability;

    @Range(min = 500, max = 7999, note = "below half the clips' 16 kHz sample rate")
    @Option(names = "--band-limit-min-hz", defaultValue = "3400", paramLabel = "HZ",
            description = "With --band-limit-prob: the narrowest bandwidth drawn, in Hz (default: ${DEFAULT-VALUE}, a "
                    + "telephone line's).")
    double bandLimitMinHz;

    @Range(min = 0, max = 0.5, note = "0 for none")
    @Option(names = "--vtlp", defaultValue = "0", paramLabel = "A",
            description = "Augmentation: warp each training clip's mel filter bank by a factor uniform in [1 - A, 1 + A] "
                    + "(vocal-tract-length perturbation, steps of 0.005; typical 0.1) (default: ${DEFAULT-VALUE}, none).")
    double vtlp;

    @Range(min = 0, max = SpecAugment.MAX_MASKS, note = "0 for none")
    @Option(names = "--freq-masks", defaultValue = "0", paramLabel = "N",
            description = "SpecAugment: N masks of up to --freq-mask-bands mel bands per training clip (typical 2) "
                    + "(default: ${DEFAULT-VALUE}, none).")
    int frequencyMasks;

    @Range(min = 0, max = SpecAugment.MAX_FREQUENCY_WIDTH)
    @Option(names = "--freq-mask-bands", defaultValue = "5", paramLabel = "B",
            description = "SpecAugment: the widest frequency mask, in bands (default: ${DEFAULT-VALUE}).")
    int frequencyMaskWidth;

    @Range(min = 0, max = SpecAugment.MAX_MASKS, note = "0 for none")
    @Option(names = "--time-masks", defaultValue = "0", paramLabel = "N",
            description = "SpecAugment: N masks of up to --time-mask-frames frames per training clip (typical 2) "
                    + "(default: ${DEFAULT-VALUE}, none).")
    int timeMasks;

    @Range(min = 0, max = SpecAugment.MAX_TIME_WIDTH)
    @Option(names = "--time-mask-frames", defaultValue = "10", paramLabel = "F",
            description = "SpecAugment: the widest time mask, in frames (default: ${DEFAULT-VALUE}).")
    int timeMaskWidth;

    /**
     * Checks every option (before any data is read), so that a bad value is refused naming its option.
     *
     * @throws IllegalArgumentException naming the option, the value and the allowed range
     */
    public void check() {
        frontEnd(LogMelConfig.speechCommands());
        waveform();
        specAugment();
        vtlpWarp();
    }

    /** The front end on {@code mel}: its compression and normalisation as the options say. */
    public FrontEndConfig frontEnd(LogMelConfig mel) {
        MelCompression compression = switch (frontEnd.toLowerCase(Locale.ROOT)) {
            case "log" -> MelCompression.log();
            case "pcen" -> PcenConfig.paperDefaults();
            default -> throw new IllegalArgumentException("--front-end = '" + frontEnd + "', expected log or pcen");
        };
        FeatureNormalization norm = switch (normalisation.toLowerCase(Locale.ROOT)) {
            case "training" -> FeatureNormalization.trainingSet();
            case "causal" -> CausalNormalization.defaults();
            default -> throw new IllegalArgumentException("--normalisation = '" + normalisation + "', expected training or causal");
        };
        return FrontEndConfig.logMel(mel).withCompression(compression).withNormalization(norm);
    }

    /** The waveform augmentation the options describe ({@link WaveformAugmentation#NONE}'s settings when all are 0). */
    public WaveformAugmentation waveform() {
        double[] snr = range("--noise-snr", noiseSnr, "decibels");
        double[] rt60 = range("--reverb-rt60", reverbRt60, "seconds");
        try {
            return WaveformAugmentation.NONE.withSpeed(speed).withPitch(pitch).withGain(gainDb).withShift(shiftMs)
                    .withNoise(noiseProbability, snr[0], snr[1]).withReverb(reverbProbability, rt60[0], rt60[1])
                    .withBandLimit(bandLimitProbability, bandLimitMinHz);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--noise-snr / --reverb-rt60: " + e.getMessage(), e);
        }
    }

    /** The SpecAugment masks the options describe ({@link SpecAugment#NONE} when both counts are 0). */
    public SpecAugment specAugment() {
        return SpecAugment.NONE.withFrequencyMasks(frequencyMasks, frequencyMaskWidth).withTimeMasks(timeMasks, timeMaskWidth);
    }

    /** The VTLP grid: factors in [1 - A, 1 + A] in steps of 0.005, or {@link VtlpWarp#NONE} for {@code --vtlp 0}. */
    public VtlpWarp vtlpWarp() {
        return vtlp == 0 ? VtlpWarp.NONE : VtlpWarp.defaults().withRange(1 - vtlp, 1 + vtlp);
    }

    /** Whether any training-time augmentation is on (training then makes its batches from the raw clips). */
    public boolean augments() {
        return !waveform().isNone() || !specAugment().equals(SpecAugment.NONE) || vtlp != 0;
    }

    /** One line for the banner and the JSON: what the front end and the augmentation are. */
    public String describe() {
        return String.format(Locale.ROOT, "front end %s, normalisation %s; augmentation: %s, VTLP %s, SpecAugment %s",
                frontEnd.toLowerCase(Locale.ROOT), normalisation.toLowerCase(Locale.ROOT),
                waveform(), vtlp == 0 ? "none" : "±" + vtlp, specAugment());
    }

    /** {@code LO:HI} as two finite numbers, LO <= HI. */
    private static double[] range(String option, String text, String unit) {
        String[] parts = text.split(":", -1);
        if (parts.length == 2) {
            try {
                double lo = Double.parseDouble(parts[0].trim());
                double hi = Double.parseDouble(parts[1].trim());
                if (Double.isFinite(lo) && Double.isFinite(hi) && lo <= hi) {
                    return new double[] {lo, hi};
                }
            } catch (NumberFormatException e) {
                // refused below
            }
        }
        throw new IllegalArgumentException(option + " = '" + text + "', expected LO:HI, two finite numbers of " + unit
                + " with LO <= HI (for example 5:20)");
    }
}
