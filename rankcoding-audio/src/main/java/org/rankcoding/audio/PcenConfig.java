package org.rankcoding.audio;

import java.util.Objects;

/**
 * Parameters of per-channel energy normalisation (PCEN, Wang et al. 2017, "Trainable frontend for robust and far-field
 * keyword spotting"), a {@link MelCompression} beside the logarithm; immutable and validated here. With the mel energy
 * {@code E[t][b]} of band {@code b} in frame {@code t} ({@link LogMelSpectrogram#computeEnergies}, before any
 * logarithm):
 * <pre>
 *   M[t][b]    = (1 - s) M[t-1][b] + s E[t][b]          (first-order IIR smoother; M[0][b] = E[0][b])
 *   PCEN[t][b] = (E[t][b] / (epsilon + M[t][b])^alpha + delta)^r - delta^r
 * </pre>
 * The smoother starts from the first frame ({@code M[0] = E[0]}: as if the stream had been that loud forever), so the
 * first frames are defined and a stream computed frame by frame ({@link Pcen}) gives exactly the offline frames. The
 * gain normalisation {@code E / M^alpha} makes the output nearly independent of the input's loudness; the root
 * {@code r} compresses its range like the logarithm does.
 *
 * @param s       smoothing coefficient of the IIR smoother, in {@code (0, 1]} (paper: 0.025, a time constant of about
 *                40 frames, 0.4 s at a 10 ms hop)
 * @param alpha   gain-normalisation strength, in {@code [0, 1]} (paper: 0.98; 0 turns it off)
 * @param delta   bias added before the root, finite and {@code >= 0} (paper: 2)
 * @param r       root (exponent) of the compression, in {@code (0, 1]} (paper: 0.5)
 * @param epsilon added to the smoothed energy before its power, finite and {@code > 0} (paper: 1e-6)
 */
public record PcenConfig(double s, double alpha, double delta, double r, double epsilon) implements MelCompression {

    /** The name of the text form, {@code pcen}. */
    public static final String NAME = "pcen";

    /** Validates every parameter; messages name the parameter, its value and the allowed range. */
    public PcenConfig {
        if (!(s > 0 && s <= 1)) {
            throw new IllegalArgumentException("PCEN s = " + s + ", expected in (0, 1] (the smoother's coefficient; paper: 0.025)");
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("PCEN alpha = " + alpha + ", expected in [0, 1] (the gain-normalisation strength;"
                    + " paper: 0.98)");
        }
        if (!(delta >= 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("PCEN delta = " + delta + ", expected a finite value >= 0 (the bias; paper: 2)");
        }
        if (!(r > 0 && r <= 1)) {
            throw new IllegalArgumentException("PCEN r = " + r + ", expected in (0, 1] (the root; paper: 0.5)");
        }
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("PCEN epsilon = " + epsilon + ", expected a finite value > 0 (paper: 1e-6)");
        }
    }

    /** The paper's values: {@code s = 0.025, alpha = 0.98, delta = 2, r = 0.5, epsilon = 1e-6}. */
    public static PcenConfig paperDefaults() {
        return new PcenConfig(0.025, 0.98, 2.0, 0.5, 1e-6);
    }

    /** A copy with another smoothing coefficient. */
    public PcenConfig withS(double value) {
        return new PcenConfig(value, alpha, delta, r, epsilon);
    }

    /** A copy with another gain-normalisation strength. */
    public PcenConfig withAlpha(double value) {
        return new PcenConfig(s, value, delta, r, epsilon);
    }

    /** A copy with another bias. */
    public PcenConfig withDelta(double value) {
        return new PcenConfig(s, alpha, value, r, epsilon);
    }

    /** A copy with another root. */
    public PcenConfig withR(double value) {
        return new PcenConfig(s, alpha, delta, value, epsilon);
    }

    /** A copy with another epsilon. */
    public PcenConfig withEpsilon(double value) {
        return new PcenConfig(s, alpha, delta, r, value);
    }

    /**
     * The text form, {@code pcen(s=0.025,alpha=0.98,delta=2.0,r=0.5,epsilon=1.0E-6)} for the defaults: each value as
     * {@link Double#toString}, so {@link #fromText} gives back the same parameters exactly.
     */
    @Override
    public String toText() {
        return NAME + "(s=" + s + ",alpha=" + alpha + ",delta=" + delta + ",r=" + r + ",epsilon=" + epsilon + ")";
    }

    /**
     * Reads the text form of {@link #toText()}: the five parameters by name, in that order.
     *
     * @throws IllegalArgumentException for another form, a value that is not a number, or a value out of range
     */
    public static PcenConfig fromText(String text) {
        Objects.requireNonNull(text, "text is null");
        String t = text.strip();
        String[] names = {"s", "alpha", "delta", "r", "epsilon"};
        String expected = "expected " + paperDefaults().toText() + " (five parameters by name, in this order)";
        if (!t.startsWith(NAME + "(") || !t.endsWith(")")) {
            throw new IllegalArgumentException("PCEN parameters '" + text + "': " + expected);
        }
        String[] parts = t.substring(NAME.length() + 1, t.length() - 1).split(",", -1);
        if (parts.length != names.length) {
            throw new IllegalArgumentException("PCEN parameters '" + text + "' have " + parts.length + " parts; " + expected);
        }
        double[] v = new double[names.length];
        for (int i = 0; i < names.length; i++) {
            String[] kv = parts[i].split("=", -1);
            if (kv.length != 2 || !kv[0].strip().equals(names[i])) {
                throw new IllegalArgumentException("PCEN parameters '" + text + "': part " + (i + 1) + " is '" + parts[i] + "', expected "
                        + names[i] + "=<number>; " + expected);
            }
            try {
                v[i] = Double.parseDouble(kv[1].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("PCEN " + names[i] + " = '" + kv[1] + "' is not a number; " + expected, e);
            }
        }
        return new PcenConfig(v[0], v[1], v[2], v[3], v[4]);
    }
}
