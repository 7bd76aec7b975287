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

    /** Pooled positions per channel: {@code ph * pw}. */
    int plane() {
        return ph * pw;
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
        for (int py = 0; py < ph; py++) {
            for (int px = 0; px < pw; px++) {
                int p = py * pw + px;
                for (int c = 0; c < chans; c++) {
                    double best = Double.NEGATIVE_INFINITY;
                    int bestPos = -1;
                    for (int dy = 0; dy < pool; dy++) {
                        int rowPos = (py * pool + dy) * mapWidth + px * pool;
                        for (int dx = 0; dx < pool; dx++) {
                            double a = map[(rowPos + dx) * chans + c];
                            boolean better = a > best; // as selects, not branches: the winner is unpredictable
                            best = better ? a : best;
                            bestPos = better ? rowPos + dx : bestPos;
                        }
                    }
                    int f = index(c, p);
                    out[off + f] = best > 0 ? best : 0.0;
                    argmax[off + f] = best > 0 ? bestPos : -1;
                }
            }
        }
    }
}
