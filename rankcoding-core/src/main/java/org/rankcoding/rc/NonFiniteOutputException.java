package org.rankcoding.rc;

import java.util.Objects;

/**
 * Inference produced an output probability that is NaN or infinite: an error, never a result. Thrown by every
 * inference pass (batch, evaluation, threshold sweep, stream) when a row decides, when a row run to its end reaches it,
 * and at every step of a stream. The cause is in what the network computed with: weights that are not finite or so
 * large that the computation overflows, or input features that are (for example standardised with a tiny standard
 * deviation).
 *
 * <p>The message names the step, the row of the batch (or the stream) and the value, and what the network came from
 * ({@link #source()}: "the network" unless a caller that knows better, such as a model read from a file, names it with
 * {@link #from(String)}).
 */
public final class NonFiniteOutputException extends ArithmeticException {

    private static final long serialVersionUID = 1L;

    /** The source named when nothing better is known. */
    public static final String UNKNOWN_SOURCE = "the network";

    private final int step;
    private final int row;
    private final String subject;
    private final double value;
    private final String source;

    private NonFiniteOutputException(int step, int row, String subject, double value, String source) {
        super(message(step, subject, value, source));
        this.step = step;
        this.row = row;
        this.subject = subject;
        this.value = value;
        this.source = source;
    }

    /**
     * Checks the {@code count} probabilities {@code p[off ..]} that row {@code row} of a batch produced at 1-based
     * step {@code step}; allocates nothing when they are finite.
     *
     * @throws NonFiniteOutputException for the first one that is not finite
     */
    static void requireFinite(double[] p, int off, int count, int step, int row) {
        for (int i = off; i < off + count; i++) {
            if (!Double.isFinite(p[i])) {
                throw new NonFiniteOutputException(step, row, "row " + row, p[i], UNKNOWN_SOURCE);
            }
        }
    }

    /**
     * Checks the probabilities {@code p} (all of them) that a stream produced at 1-based step {@code step}; allocates
     * nothing when they are finite.
     *
     * @throws NonFiniteOutputException for the first one that is not finite
     */
    static void requireFiniteStream(double[] p, int step) {
        for (double v : p) {
            if (!Double.isFinite(v)) {
                throw new NonFiniteOutputException(step, 0, "the stream", v, UNKNOWN_SOURCE);
            }
        }
    }

    /**
     * This error with the network's origin named, for example {@code "model file 'kws.safetensors'"}: a new exception
     * with the same step, row and value (and this one as its cause).
     *
     * @param source what the network came from, a phrase that follows "the weights of"
     */
    public NonFiniteOutputException from(String source) {
        Objects.requireNonNull(source, "source is null");
        NonFiniteOutputException e = new NonFiniteOutputException(step, row, subject, value, source);
        e.initCause(this);
        return e;
    }

    /** The 1-based step at which the output was not finite. */
    public int step() {
        return step;
    }

    /** The row of the batch whose output was not finite (0 for a stream). */
    public int row() {
        return row;
    }

    /** The first non-finite output value (NaN or an infinity). */
    public double value() {
        return value;
    }

    /** What the network came from, as named in the message ("the network" when not known). */
    public String source() {
        return source;
    }

    private static String message(int step, String subject, double value, String source) {
        return "the output of " + subject + " at step " + step + " is " + value + ", not a probability: "
                + "the weights of " + source + " or the input features are not finite, or so large that the computation "
                + "overflows; check the inputs (and their standardisation), and retrain or re-export the model";
    }
}
