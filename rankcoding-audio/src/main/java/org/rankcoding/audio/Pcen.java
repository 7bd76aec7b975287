package org.rankcoding.audio;

import java.util.Objects;

/**
 * Per-channel energy normalisation of one stream ({@link PcenConfig} gives the formula): holds the smoother's state
 * {@code M[b]} per band, so a stream fed frame by frame gives exactly the frames of the same audio processed at once.
 *
 * <p>After construction or {@link #reset()}, the first frame sets {@code M = E} (the smoother starts from the first
 * frame); every later frame updates {@code M = (1 - s) M + s E} and then gives
 * {@code (E / (epsilon + M)^alpha + delta)^r - delta^r}. A frame with an energy that is not finite or is negative is
 * refused before it touches the state, so one bad frame cannot poison the rest of the stream. {@link #apply} allocates
 * nothing. Not thread-safe: one per stream.
 */
public final class Pcen implements FrameTransform {

    private final PcenConfig config;
    private final double[] smoothed;
    private final double deltaToR;
    private boolean started;

    /**
     * A stream that has seen no frame.
     *
     * @param config the parameters
     * @param bands  values per frame, at least 1
     */
    public Pcen(PcenConfig config, int bands) {
        this.config = Objects.requireNonNull(config, "config is null; use PcenConfig.paperDefaults()");
        if (bands < 1) {
            throw new IllegalArgumentException("bands = " + bands + ", expected >= 1");
        }
        this.smoothed = new double[bands];
        this.deltaToR = Math.pow(config.delta(), config.r());
    }

    /** The parameters. */
    public PcenConfig config() {
        return config;
    }

    /** Values per frame. */
    public int bands() {
        return smoothed.length;
    }

    /** Forgets the stream: the next frame is a first frame again (it sets the smoother's state). */
    @Override
    public void reset() {
        started = false;
    }

    /**
     * Turns the next frame's mel energies into PCEN values in place, updating the smoother; allocates nothing.
     *
     * @param frame  the energies {@code E[b] >= 0} at {@code [offset, offset + bands())}, replaced by the PCEN values
     * @param offset where the frame starts
     * @throws IllegalArgumentException when the frame does not fit in the array, or for an energy that is not finite and
     *                                  {@code >= 0}; the state is then unchanged
     */
    @Override
    public void apply(double[] frame, int offset) {
        int bands = smoothed.length;
        if (offset < 0 || offset > frame.length - bands) {
            throw new IllegalArgumentException("frame [" + offset + ", " + offset + " + " + bands + ") outside an array of " + frame.length);
        }
        FrameTransform.requireValues(frame, offset, bands, "PCEN", "a finite mel energy >= 0", 0.0);
        double s = config.s();
        double keep = 1.0 - s;
        double alpha = config.alpha();
        double delta = config.delta();
        double r = config.r();
        double eps = config.epsilon();
        if (!started) {
            System.arraycopy(frame, offset, smoothed, 0, bands);
            started = true;
        } else {
            for (int b = 0; b < bands; b++) {
                smoothed[b] = keep * smoothed[b] + s * frame[offset + b];
            }
        }
        for (int b = 0; b < bands; b++) {
            double e = frame[offset + b];
            frame[offset + b] = Math.pow(e / Math.pow(eps + smoothed[b], alpha) + delta, r) - deltaToR;
        }
    }
}
