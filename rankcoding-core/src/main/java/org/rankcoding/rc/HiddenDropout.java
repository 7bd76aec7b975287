package org.rankcoding.rc;

import java.util.Objects;

import org.rankcoding.nn.RankCodingNetwork;

import java.util.random.RandomGenerator;

/**
 * Inverted dropout between stacked LSTM layers, for training passes: the hidden state that layer {@code l} hands to
 * layer {@code l + 1} as its input is multiplied by a mask of zeros (dropped units) and {@code 1 / (1 - rate)} (kept
 * units). The recurrent connection (a layer's own state carried to its next step) and the top layer's output (the
 * readout's input) are never dropped.
 *
 * <p>One mask per row per sequence (variational dropout, Gal and Ghahramani): {@link #draw} draws, for each layer
 * boundary and each batch row, one mask over the hidden units, used at every step of that row; the backward pass
 * multiplies the input gradient of layer {@code l + 1} by the same mask. Masks are indexed by batch row, so passes over
 * row ranges of one batch on several threads share one instance (drawn before they start, read-only while they run).
 *
 * <p>Training only: a {@link RankCodingPass} uses it once given ({@link RankCodingPass#dropout}); inference and
 * evaluation passes never drop. A network with one layer has no boundary, and nothing is dropped. {@link #draw} grows
 * its arrays only when a batch is larger than any before; not thread-safe while drawing.
 */
public final class HiddenDropout {

    /** Drops nothing (the passes' default). */
    public static final HiddenDropout NONE = new HiddenDropout(1, 0);

    private final int boundaries;
    private final int hidden;
    private double[][] masks;
    private int rows;
    private double rate;

    /** Dropout between the layers of {@code network} (nothing to drop with one layer). */
    public HiddenDropout(RankCodingNetwork network) {
        this(Objects.requireNonNull(network, "network is null").layers().size(), network.config().hiddenSize());
    }

    private HiddenDropout(int layers, int hidden) {
        this.boundaries = layers - 1;
        this.hidden = hidden;
        this.masks = new double[boundaries][0];
    }

    /**
     * Draws the masks of a batch of {@code batchSize} rows from {@code rng}: for each boundary (bottom first), each row
     * and each hidden unit, one {@code rng.nextDouble()}; the unit is dropped when it is below {@code rate}. Nothing is
     * drawn for a rate of 0 or a network of one layer.
     *
     * @param rate the drop probability, in [0, 1)
     * @throws IllegalArgumentException for a rate outside [0, 1) or a batch size below 1
     */
    public void draw(int batchSize, double rate, RandomGenerator rng) {
        Objects.requireNonNull(rng, "rng is null");
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout rate = " + rate + ", expected in [0, 1)");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize = " + batchSize + ", expected >= 1");
        }
        if (boundaries < 1 || rate == 0) {
            this.rate = 0;
            return;
        }
        int need = batchSize * hidden;
        double scale = 1 / (1 - rate);
        for (int l = 0; l < boundaries; l++) {
            if (masks[l].length < need) {
                masks[l] = new double[need];
            }
            double[] m = masks[l];
            for (int i = 0; i < need; i++) {
                m[i] = rng.nextDouble() < rate ? 0 : scale;
            }
        }
        this.rows = batchSize;
        this.rate = rate;
    }

    /** Whether the last {@link #draw} drew masks (a rate above 0 and at least two layers). */
    public boolean active() {
        return rate > 0 && boundaries > 0;
    }

    /** The mask value of boundary {@code l} (below layer {@code l + 1}), batch row {@code row}, unit {@code unit}. */
    public double mask(int l, int row, int unit) {
        requireActive();
        return masks[l][row * hidden + unit];
    }

    private void requireActive() {
        if (!active()) {
            throw new IllegalStateException("no dropout masks drawn; call draw with a rate above 0 on a network of two or "
                    + "more layers");
        }
    }

    /** Whether a pass over a batch of {@code batchSize} rows can use the masks. */
    void requireRows(int batchSize) {
        if (active() && batchSize > rows) {
            throw new IllegalArgumentException("the dropout masks were drawn for " + rows + " rows but the batch has "
                    + batchSize + "; draw them for the batch");
        }
    }

    /** {@code x[j] = h[j] * mask(l, active[j])} for the {@code n} rows of a step's block. */
    void forward(int l, double[] h, double[] x, int n, int[] active) {
        double[] m = masks[l];
        int hs = hidden;
        for (int j = 0; j < n; j++) {
            int src = j * hs;
            int mo = active[j] * hs;
            for (int k = 0; k < hs; k++) {
                x[src + k] = h[src + k] * m[mo + k];
            }
        }
    }

    /** {@code dx[jb] *= mask(l, rows[jb])} for the {@code nb} gradient rows of a backward step. */
    void backward(int l, double[] dx, int nb, int[] batchRows) {
        double[] m = masks[l];
        int hs = hidden;
        for (int jb = 0; jb < nb; jb++) {
            int d = jb * hs;
            int mo = batchRows[jb] * hs;
            for (int k = 0; k < hs; k++) {
                dx[d + k] *= m[mo + k];
            }
        }
    }
}
