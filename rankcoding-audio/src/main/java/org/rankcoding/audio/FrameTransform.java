package org.rankcoding.audio;

/**
 * One stage of a front end that turns each frame's values in place, with state per stream (a smoother, running
 * statistics) or none: the compressions ({@link MelCompression}) and normalisations ({@link FeatureNormalization}) as
 * a {@link MelFeatureStream} and a {@link FrontEndStream} run them.
 */
interface FrameTransform {

    /** Forgets the stream: the next frame is the first of a new one. */
    void reset();

    /**
     * Transforms the next frame of the stream in place; allocates nothing.
     *
     * @param frame  holds the frame's values at {@code [offset, offset + bands)}
     * @param offset where the frame starts
     */
    void apply(double[] frame, int offset);

    /**
     * Refuses a frame with a value that is not finite (or below {@code min}) before a stateful stage takes it into its
     * state: one bad sample must not poison a stream's smoother or running statistics for the rest of the stream.
     *
     * @param stage  the stage's name, for the message
     * @param what   what the values are, for the message
     * @param min    the smallest value allowed
     * @throws IllegalArgumentException naming the band and the value; the caller's state is left unchanged
     */
    static void requireValues(double[] frame, int offset, int bands, String stage, String what, double min) {
        for (int b = 0; b < bands; b++) {
            double v = frame[offset + b];
            if (!(v >= min) || v == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException(stage + ": band " + b + " of the frame is " + v + ", expected " + what
                        + " (is a sample of the window NaN, infinite or far outside [-1, 1]?); the frame is refused and the stream's"
                        + " state is unchanged");
            }
        }
    }

    /** The logarithm {@code ln(E + epsilon)} of every band: stateless. */
    static FrameTransform log(double epsilon, int bands) {
        return new FrameTransform() {
            @Override
            public void reset() {
                // stateless
            }

            @Override
            public void apply(double[] frame, int offset) {
                for (int b = 0; b < bands; b++) {
                    frame[offset + b] = Math.log(frame[offset + b] + epsilon);
                }
            }
        };
    }

    /** The per-stream stage of {@code compression} for frames of {@code bands} energies of front end {@code mel}. */
    static FrameTransform of(MelCompression compression, LogMelConfig mel) {
        if (compression instanceof PcenConfig pcen) {
            return new Pcen(pcen, mel.melBands());
        }
        return log(mel.epsilon(), mel.melBands());
    }

    /** The per-stream stage of {@code normalization} with the training-set {@code statistics}. */
    static FrameTransform of(FeatureNormalization normalization, FeatureNormalizer statistics) {
        if (normalization instanceof CausalNormalization causal) {
            return new CausalNormalizer(causal, statistics);
        }
        return new FrameTransform() {
            @Override
            public void reset() {
                // stateless
            }

            @Override
            public void apply(double[] frame, int offset) {
                statistics.applyInPlace(frame, offset);
            }
        };
    }
}
