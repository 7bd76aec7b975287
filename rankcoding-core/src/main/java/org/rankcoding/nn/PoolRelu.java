package org.rankcoding.nn;

/**
 * Max-pooling over {@code pool x pool} windows followed by a ReLU, for one map of a {@link ConvFrontEnd} stage, with
 * the pooling choices kept for the backward pass.
 *
 * <p>The input map is position-major ({@code rows x mapWidth x chans}); output feature {@code (c, p)}, {@code p} a
 * pooled position, goes to index {@code c * ph * pw + p} (channel-major, PyTorch's flattening order) or
 * {@code p * chans + c} (position-major, the layout the second stage's patches read), fixed when the pooling is made.
 */
final class PoolRelu {

    private final int chans;
    private final int mapWidth;
    private final int pool;
    private final int ph;
    private final int pw;
    /** Index step of the channel in the output. */
    private final int channelStride;
    /** Index step of the pooled position in the output. */
    private final int positionStride;

    private PoolRelu(int chans, int mapWidth, int pool, int ph, int pw, int channelStride, int positionStride) {
        this.chans = chans;
        this.mapWidth = mapWidth;
        this.pool = pool;
        this.ph = ph;
        this.pw = pw;
        this.channelStride = channelStride;
        this.positionStride = positionStride;
    }

    /** Pooling of a {@code chans}-channel map {@code mapWidth} wide into {@code ph x pw} outputs, channel-major. */
    static PoolRelu channelMajor(int chans, int mapWidth, int pool, int ph, int pw) {
        return new PoolRelu(chans, mapWidth, pool, ph, pw, ph * pw, 1);
    }

    /** As {@link #channelMajor}, with the outputs position-major. */
    static PoolRelu positionMajor(int chans, int mapWidth, int pool, int ph, int pw) {
        return new PoolRelu(chans, mapWidth, pool, ph, pw, 1, chans);
    }

    /** Number of output features: {@code chans * ph * pw}. */
    int size() {
        return chans * ph * pw;
    }

    /** The output index of feature {@code (c, p)}. */
    int index(int c, int p) {
        return c * channelStride + p * positionStride;
    }

    /**
     * Pools and rectifies {@code map} (read) into {@code out[off ..]} (overwritten); each feature's winning position
     * ({@code y * mapWidth + x}) goes to the same index of {@code argmax}, or -1 where the ReLU gave 0.
     */
    void forward(double[] map, double[] out, int[] argmax, int off) {
        int plane = ph * pw;
        for (int p = 0; p < plane; p++) {
            poolAt(map, p, out, argmax, off);
        }
    }

    /**
     * As {@link #forward} for a map whose every window outside {@code touched} holds {@code bias[c]} at each position
     * of channel {@code c}: only the touched windows are read; the others get {@code max(0, bias[c])} and their first
     * position as winner (or -1), the result {@link #forward} gives for such a window, bit for bit.
     */
    void forwardTouched(double[] map, TouchedPositions touched, double[] bias, double[] out, int[] argmax, int off) {
        int[] list = touched.positions();
        int n = touched.count();
        int k = 0;
        int plane = ph * pw;
        for (int p = 0; p < plane; p++) {
            if (k < n && list[k] == p) {
                k++;
                poolAt(map, p, out, argmax, off);
                continue;
            }
            int first = (p / pw) * pool * mapWidth + (p % pw) * pool;
            for (int c = 0; c < chans; c++) {
                double b = bias[c];
                int f = index(c, p);
                out[off + f] = b > 0 ? b : 0.0;
                argmax[off + f] = b > 0 ? first : -1;
            }
        }
    }

    /** Pools the window of pooled position {@code p}, every channel. */
    private void poolAt(double[] map, int p, double[] out, int[] argmax, int off) {
        int py = p / pw;
        int px = p - py * pw;
        if (pool == 2) {
            poolPairs(map, p, (py * 2) * mapWidth + px * 2, out, argmax, off);
            return;
        }
        for (int c = 0; c < chans; c++) {
            double best = Double.NEGATIVE_INFINITY;
            int bestPos = -1;
            for (int dy = 0; dy < pool; dy++) {
                int rowPos = (py * pool + dy) * mapWidth + px * pool;
                for (int dx = 0; dx < pool; dx++) {
                    double a = orMinusInfinity(map[(rowPos + dx) * chans + c]);
                    bestPos = a > best ? rowPos + dx : bestPos; // an int select: a conditional move
                    best = Math.max(best, a);
                }
            }
            store(best, bestPos, out, argmax, off + index(c, p));
        }
    }

    /**
     * {@link #poolAt} for 2 x 2 windows whose first position is {@code first}: the four values of a channel are
     * compared as two pairs and then the pair winners (two dependent comparisons instead of four), which picks the same
     * winner as the sequential scan: the first maximum in window order, a NaN never winning (it is taken as
     * {@code -Infinity}, as the scan's {@code a > best} does).
     */
    private void poolPairs(double[] map, int p, int first, double[] out, int[] argmax, int off) {
        int p0 = first;
        int p1 = first + 1;
        int p2 = first + mapWidth;
        int p3 = p2 + 1;
        int b0 = p0 * chans;
        int b1 = p1 * chans;
        int b2 = p2 * chans;
        int b3 = p3 * chans;
        for (int c = 0; c < chans; c++) {
            double a0 = orMinusInfinity(map[b0 + c]);
            double a1 = orMinusInfinity(map[b1 + c]);
            double a2 = orMinusInfinity(map[b2 + c]);
            double a3 = orMinusInfinity(map[b3 + c]);
            int w01 = a1 > a0 ? p1 : p0;
            double m01 = Math.max(a0, a1);
            int w23 = a3 > a2 ? p3 : p2;
            double m23 = Math.max(a2, a3);
            int bestPos = m23 > m01 ? w23 : w01;
            store(Math.max(m01, m23), bestPos, out, argmax, off + index(c, p));
        }
    }

    /**
     * Writes a window's rectified maximum and its winner (-1 where the ReLU gives 0) at index {@code at}. The winners
     * are unpredictable, so the pooling selects them as {@code int}s (conditional moves) and takes the values with
     * {@link Math#max}: a {@code double} select would compile to a branch on x86, which has no conditional move for
     * floating-point registers, and mispredicts about every other time.
     */
    private static void store(double best, int bestPos, double[] out, int[] argmax, int at) {
        out[at] = Math.max(best, 0.0);
        argmax[at] = best > 0 ? bestPos : -1;
    }

    /** {@code a}, or {@code -Infinity} for NaN. */
    private static double orMinusInfinity(double a) {
        return a > Double.NEGATIVE_INFINITY ? a : Double.NEGATIVE_INFINITY;
    }

    /**
     * The backward of {@link #forward}: adds each feature's gradient {@code dOut[dOff + f]} to its winner's entry of
     * the map-shaped {@code dMap} ({@code winner * chans + c}; winners are distinct, so on a map that is zero there
     * this sets them) and to {@code biasGrad[c]}, channel by channel, each channel's features in pooled-position order
     * (the order of the bias gradient's additions). A feature without a winner adds {@code +0.0}.
     *
     * @return whether any feature had a winner
     */
    boolean route(double[] dOut, int dOff, int[] argmax, int amOff, double[] dMap, double[] biasGrad) {
        int plane = ph * pw;
        int winners = 0;
        for (int c = 0; c < chans; c++) {
            double sum = biasGrad[c];
            for (int p = 0; p < plane; p++) {
                int f = index(c, p);
                int pos = argmax[amOff + f];
                // without branches (whether a feature has a winner is unpredictable): a feature without one adds
                // +0.0, to position 0's entry (zero or another winner's gradient, which adding +0.0 leaves as it is)
                long keep = ~((long) pos >> 63);
                double d = Double.longBitsToDouble(Double.doubleToRawLongBits(dOut[dOff + f]) & keep);
                sum += d;
                dMap[Math.max(pos, 0) * chans + c] += d;
                winners += 1 + (pos >> 31);
            }
            biasGrad[c] = sum;
        }
        return winners > 0;
    }

    /** Sets the entries {@link #route} wrote for the winners {@code argmax[amOff ..]} back to zero. */
    void clear(int[] argmax, int amOff, double[] dMap) {
        int plane = ph * pw;
        for (int c = 0; c < chans; c++) {
            for (int p = 0; p < plane; p++) {
                // position 0's entry is zeroed for features without a winner too: it is a winner's or already zero
                dMap[Math.max(argmax[amOff + index(c, p)], 0) * chans + c] = 0.0;
            }
        }
    }
}
