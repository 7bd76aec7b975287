package org.rankcoding.data;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The per-row work of {@link AugmentedSource}: the crop of the start, window slicing, window warping, scaling and
 * jitter of one row of a time-major batch (see there for the order and the draws). Holds scratch arrays for one batch; not thread-safe.
 */
final class SeriesAugmenter {

    private final Augmentation a;
    private final int channels;
    private double[] series = new double[0];
    private double[] warped = new double[0];
    private double[] back = new double[0];

    SeriesAugmenter(Augmentation augmentation, int channels) {
        this.a = augmentation;
        this.channels = channels;
    }

    /**
     * The crop of row {@code r}'s start in {@code out} (a copy of the batch's inputs, same layout), when the
     * augmentation has one and the row has two steps or more: {@code nextInt(min(floor(crop * length), length - 1) + 1)}
     * steps are dropped from its beginning, the rest moved to step 0 and the freed steps at its end set to zero.
     *
     * @return the row's length after the crop
     */
    int crop(SequenceBatch batch, double[] out, int r, RandomGenerator rng) {
        int length = batch.length(r);
        if (a.crop() == 0 || length < 2) {
            return length;
        }
        int most = (int) Math.min(length - 1, Math.floor(a.crop() * length));
        int dropped = rng.nextInt(most + 1);
        for (int t = 0; t < length; t++) {
            int o = batch.inputOffset(t, r);
            if (t + dropped < length) {
                System.arraycopy(out, batch.inputOffset(t + dropped, r), out, o, channels);
            } else {
                Arrays.fill(out, o, o + channels, 0.0);
            }
        }
        return length - dropped;
    }

    /**
     * Slices, warps, scales and jitters the first {@code length} steps of row {@code r} in {@code out} (a copy of the
     * batch's inputs, same layout).
     */
    void augmentRow(SequenceBatch batch, double[] out, int r, int length, RandomGenerator rng) {
        if (a.slice() < 1 && length >= 2) {
            slice(batch, out, r, length, rng);
        }
        if (a.warpWindow() > 0 && length >= 2) {
            warp(batch, out, r, length, rng);
        }
        if (a.scaling() > 0) {
            for (int c = 0; c < channels; c++) {
                double factor = 1 + a.scaling() * rng.nextGaussian();
                for (int t = 0; t < length; t++) {
                    out[batch.inputOffset(t, r) + c] *= factor;
                }
            }
        }
        if (a.jitter() > 0) {
            for (int t = 0; t < length; t++) {
                int o = batch.inputOffset(t, r);
                for (int c = 0; c < channels; c++) {
                    out[o + c] += a.jitter() * rng.nextGaussian();
                }
            }
        }
    }

    /**
     * Window slicing of row {@code r} (length {@code length >= 2}), every channel alike: the window of
     * {@code round(slice * length)} steps (at least 2) starting at a uniform position is resampled to the whole length.
     */
    private void slice(SequenceBatch batch, double[] out, int r, int length, RandomGenerator rng) {
        int w = (int) Math.max(2, Math.min(length, Math.round(a.slice() * length)));
        int start = rng.nextInt(length - w + 1);
        reserve(length, 0);
        for (int c = 0; c < channels; c++) {
            readChannel(batch, out, r, c, length);
            resample(series, start, w, back, 0, length);
            writeChannel(batch, out, r, c, length);
        }
    }

    /** Window warping of row {@code r} (length {@code length >= 2}), every channel alike. */
    private void warp(SequenceBatch batch, double[] out, int r, int length, RandomGenerator rng) {
        int w = (int) Math.max(1, Math.min(length - 1, Math.round(a.warpWindow() * length)));
        int start = rng.nextInt(length - w + 1);
        double factor = rng.nextBoolean() ? a.warpFactor() : 1 / a.warpFactor();
        int wNew = (int) Math.max(1, Math.round(w * factor));
        int warpedLength = length - w + wNew;
        reserve(length, warpedLength);
        for (int c = 0; c < channels; c++) {
            readChannel(batch, out, r, c, length);
            System.arraycopy(series, 0, warped, 0, start);
            resample(series, start, w, warped, start, wNew);
            System.arraycopy(series, start + w, warped, start + wNew, length - start - w);
            resample(warped, 0, warpedLength, back, 0, length);
            writeChannel(batch, out, r, c, length);
        }
    }

    /** Grows the scratch arrays to a series of {@code length} steps and a warped one of {@code warpedLength}. */
    private void reserve(int length, int warpedLength) {
        if (series.length < length) {
            series = new double[length];
        }
        if (warped.length < warpedLength) {
            warped = new double[warpedLength];
        }
        if (back.length < length) {
            back = new double[length];
        }
    }

    /** Channel {@code c} of row {@code r} of {@code out} into {@code series}. */
    private void readChannel(SequenceBatch batch, double[] out, int r, int c, int length) {
        for (int t = 0; t < length; t++) {
            series[t] = out[batch.inputOffset(t, r) + c];
        }
    }

    /** {@code back} into channel {@code c} of row {@code r} of {@code out}. */
    private void writeChannel(SequenceBatch batch, double[] out, int r, int c, int length) {
        for (int t = 0; t < length; t++) {
            out[batch.inputOffset(t, r) + c] = back[t];
        }
    }

    /**
     * Linear resampling of {@code src[from .. from + n)} to {@code m} points at {@code dst[to ..]}: point {@code i} is
     * the series at position {@code i (n - 1) / (m - 1)} (the ends are kept); a single point ({@code m = 1}) takes the
     * middle of the source, and a single source point is repeated.
     */
    static void resample(double[] src, int from, int n, double[] dst, int to, int m) {
        for (int i = 0; i < m; i++) {
            double pos = m == 1 ? (n - 1) / 2.0 : (double) i * (n - 1) / (m - 1);
            int lo = (int) Math.floor(pos);
            int hi = Math.min(n - 1, lo + 1);
            double f = pos - lo;
            dst[to + i] = src[from + lo] * (1 - f) + src[from + hi] * f;
        }
    }
}
