package org.rankcoding.nn;

import org.rankcoding.kernel.MatrixKernels;

import java.util.Arrays;

/**
 * The second stage of a {@link ConvFrontEnd} for one row, computed from the row's events instead of densely: where no
 * input pixel reaches a window of the first stage ({@link TouchedPositions}), the first stage's features are its quiet
 * background {@code b = max(0, bias)}, the same at every such position. With {@code o} a kernel offset and
 * {@code W2[o]} its {@code C2 x C} filter slice, the second stage's pre-activation is then
 * <pre>
 *   a2[p] = base[p] + sum over touched q with q = p + o of W2[o] (f1[q] - b)
 *   base[p] = bias2 + sum over offsets o with p + o inside the map of W2[o] b      (once per weight change)
 * </pre>
 * so a row with {@code n} touched positions costs {@code n} times {@code C x KK*C2} multiply-adds, added straight into
 * the map, one product per kernel row and group of positions that reach the same slots
 * ({@link MatrixKernels#rowsTimesBlockAdd}, in {@code double}), instead of the dense
 * stage's {@code P x C*KK} by {@code C*KK x C2} product ({@link PatchConvStage}, which the front end uses when most
 * positions are touched). Both compute the same function; the sums are ordered differently.
 *
 * <p>Backward, with {@code g2} the map gradient that pooling routes back: the weight gradient
 * {@code dW2[o] = sum_p g2[p] f1[p + o]^T} splits into the touched part, one {@code C x n} by {@code n x KK*C2}
 * product of the deltas with the gathered {@code g2[q - o]}, and the background part {@code b S[o]^T}, {@code S[o]}
 * the sum of {@code g2} over the positions whose shift by {@code o} stays inside the map (from prefix sums). The first
 * stage needs feature gradients only where the row's pixels are (a product of the gathered rows with the filters);
 * at the untouched positions they only reach the first-stage bias, through their total: the sum over the whole map,
 * {@code sum_o W2[o]^T S[o]}, less the touched positions' gradients. Both background terms are linear in {@code S},
 * so the buffers accumulate {@code S} over the rows of a call and {@link #fold} applies them once.
 */
final class EventConvStage {

    private final int channels;
    private final int channels2;
    private final int kernel;
    private final int radius;
    private final int h1;
    private final int w1;
    private final int size1;

    EventConvStage(ConvFrontEndConfig config) {
        this.channels = config.channels();
        this.channels2 = config.channels2();
        this.kernel = config.kernel();
        this.radius = kernel / 2;
        this.h1 = config.height() / config.pool();
        this.w1 = config.width() / config.pool();
        this.size1 = channels * h1 * w1;
    }

    /** Computes the base map in {@code b} from its prepared spread matrix and background, and {@code bias2}. */
    void prepareBase(EventConvBuffers b, double[] bias2) {
        double[] base = b.base;
        for (int p = 0; p < h1 * w1; p++) {
            System.arraycopy(bias2, 0, base, p * channels2, channels2);
        }
        double[] slice = b.slice;
        for (int ky = 0; ky < kernel; ky++) {
            for (int kx = 0; kx < kernel; kx++) {
                int col = b.slot(ky, kx) * channels2;
                Arrays.fill(slice, 0.0);
                for (int c = 0; c < channels; c++) {
                    double bc = b.background[c];
                    for (int d = 0; d < channels2; d++) {
                        slice[d] += b.spreadValues[c * b.wide + col + d] * bc;
                    }
                }
                // positions p with p + (ky - r, kx - r) inside the map
                for (int py = Math.max(0, radius - ky); py < Math.min(h1, h1 + radius - ky); py++) {
                    for (int px = Math.max(0, radius - kx); px < Math.min(w1, w1 + radius - kx); px++) {
                        int at = (py * w1 + px) * channels2;
                        for (int d = 0; d < channels2; d++) {
                            base[at + d] += slice[d];
                        }
                    }
                }
            }
        }
    }

    /**
     * The pre-activation map of one row ({@code pre2}, {@code h1*w1 x C2}, overwritten) from its first-stage features
     * {@code f1[f1Off ..]} (read) and touched positions.
     */
    void forward(double[] f1, int f1Off, TouchedPositions touched, EventConvBuffers b, MatrixKernels kernels,
                 double[] pre2) {
        System.arraycopy(b.base, 0, pre2, 0, b.base.length);
        int n = touched.count();
        if (n == 0) {
            return;
        }
        deltas(f1, f1Off, touched, b);
        for (int ky = 0; ky < kernel; ky++) {
            fillGroups(ky, touched, b);
            for (int s0 = 0; s0 < kernel; s0++) {
                for (int s1 = s0 + 1; s1 <= kernel; s1++) {
                    int group = b.group(s0, s1);
                    // the kernel row's slots [s0, s1) of each position reach one contiguous block of pre2
                    kernels.rowsTimesBlockAdd(b.groupSize[group], channels, (s1 - s0) * channels2,
                            b.groupDelta[group], b.delta, b.spreadValues, (ky * kernel + s0) * channels2, b.wide,
                            b.groupMap[group], pre2);
                }
            }
        }
    }

    /**
     * Backward of row {@code row} of {@code tape} from its pre-activation map's gradient {@code dPre2} (read):
     * accumulates the weight-gradient parts in {@code b} (see {@link #fold}) and writes the first-stage feature
     * gradients at the touched positions into {@code dOut1} (which is zero elsewhere).
     */
    void backward(ConvTape tape, int row, TouchedPositions touched, EventConvBuffers b, MatrixKernels kernels,
                  double[] dPre2, double[] dOut1) {
        b.pending = true;
        addWindowSums(dPre2, b);
        int n = touched.count();
        if (n == 0) {
            return;
        }
        int[] pos = touched.positions();
        // each position's map gradients, gathered in slot order (zero where a slot leaves the map)
        double[] prod = b.products;
        for (int i = 0; i < n; i++) {
            int qy = pos[i] / w1;
            int qx = pos[i] - qy * w1;
            int s0 = firstSlot(qx);
            int s1 = endSlot(qx);
            for (int ky = 0; ky < kernel; ky++) {
                int py = qy - ky + radius;
                int rowAt = i * b.wide + ky * kernel * channels2;
                if (py < 0 || py >= h1) {
                    Arrays.fill(prod, rowAt, rowAt + kernel * channels2, 0.0);
                    continue;
                }
                Arrays.fill(prod, rowAt, rowAt + s0 * channels2, 0.0);
                System.arraycopy(dPre2, (py * w1 + qx - radius + s0) * channels2, prod, rowAt + s0 * channels2,
                        (s1 - s0) * channels2);
                Arrays.fill(prod, rowAt + s1 * channels2, rowAt + kernel * channels2, 0.0);
            }
        }
        deltas(tape.f1, row * size1, touched, b);
        // weight gradients: one product of the deltas with the gathered map gradients
        kernels.multTransAAdd(n, channels, b.wide, b.delta, 0, prod, 0, b.weightGrad, 0);
        // feature gradients: the gathered map gradients times the transposed filter slices
        Arrays.fill(b.dDelta, 0, n * channels, 0.0);
        kernels.multAdd(n, prod, 0, b.gather, b.dDelta, 0);
        for (int i = 0; i < n; i++) {
            System.arraycopy(b.dDelta, i * channels, dOut1, pos[i] * channels, channels);
            for (int c = 0; c < channels; c++) {
                b.touchedSum[c] += b.dDelta[i * channels + c];
            }
        }
    }

    /**
     * Adds the accumulated parts in {@code b} to the front end's gradients (the second-stage weights in patch order
     * {@code weight2T}, {@code KK*C x C2}, and the first-stage bias) and clears them; nothing when nothing is pending.
     */
    void fold(EventConvBuffers b, double[] weight2T, double[] bias1) {
        if (!b.pending) {
            return;
        }
        int kk = kernel * kernel;
        for (int c = 0; c < channels; c++) {
            double bc = b.background[c];
            double total = 0.0;
            for (int o = 0; o < kk; o++) {
                int slot = b.slot(o / kernel, o % kernel) * channels2;
                int src = c * b.wide + slot;
                int dst = (o * channels + c) * channels2;
                for (int d = 0; d < channels2; d++) {
                    double s = b.windowSums[slot + d];
                    weight2T[dst + d] += b.weightGrad[src + d] + bc * s;
                    total += b.spreadValues[src + d] * s;
                }
            }
            if (bc > 0) {
                bias1[c] += total - b.touchedSum[c];
            }
        }
        b.clearAccumulators();
    }

    /**
     * Sorts the touched positions into the groups of kernel row {@code ky}: a position in map row {@code qy} reaches
     * map row {@code qy - ky + radius} (none outside the map) through the slots {@code [s0, s1)} that stay inside it;
     * the group of those slots records where its deltas start and where the block of the map it reaches starts.
     */
    private void fillGroups(int ky, TouchedPositions touched, EventConvBuffers b) {
        Arrays.fill(b.groupSize, 0);
        int n = touched.count();
        int[] pos = touched.positions();
        for (int i = 0; i < n; i++) {
            int qy = pos[i] / w1;
            int qx = pos[i] - qy * w1;
            int py = qy - ky + radius;
            if (py < 0 || py >= h1) {
                continue;
            }
            int s0 = firstSlot(qx);
            int group = b.group(s0, endSlot(qx));
            int at = b.groupSize[group]++;
            b.groupDelta[group][at] = i * channels;
            b.groupMap[group][at] = (py * w1 + qx - radius + s0) * channels2;
        }
    }

    /*
     * Slot s of a kernel row ({@link EventConvBuffers#slot}) takes a position in map column qx to map column
     * qx - radius + s; the slots that stay inside the map are [firstSlot(qx), endSlot(qx)).
     */

    private int firstSlot(int qx) {
        return Math.max(0, radius - qx);
    }

    private int endSlot(int qx) {
        return Math.min(kernel, w1 + radius - qx);
    }

    /** {@code b.delta} rows: the touched positions' features less the background. */
    private void deltas(double[] f1, int f1Off, TouchedPositions touched, EventConvBuffers b) {
        int n = touched.count();
        int[] pos = touched.positions();
        for (int i = 0; i < n; i++) {
            int src = f1Off + pos[i] * channels;
            for (int c = 0; c < channels; c++) {
                b.delta[i * channels + c] = f1[src + c] - b.background[c];
            }
        }
    }

    /** Adds to {@code b.windowSums} the sum of {@code g2} over each kernel offset's window, from prefix sums. */
    private void addWindowSums(double[] g2, EventConvBuffers b) {
        double[] s = b.prefix;
        int stride = (w1 + 1) * channels2;
        Arrays.fill(s, 0, stride, 0.0);
        for (int y = 0; y < h1; y++) {
            int rowAt = (y + 1) * stride;
            Arrays.fill(s, rowAt, rowAt + channels2, 0.0);
            for (int x = 0; x < w1; x++) {
                int at = rowAt + (x + 1) * channels2;
                int up = at - stride;
                int left = at - channels2;
                int g = (y * w1 + x) * channels2;
                for (int d = 0; d < channels2; d++) {
                    s[at + d] = g2[g + d] + s[up + d] + s[left + d] - s[up - channels2 + d];
                }
            }
        }
        for (int ky = 0; ky < kernel; ky++) {
            int y0 = Math.max(0, radius - ky);
            int y1 = Math.min(h1, h1 + radius - ky);
            for (int kx = 0; kx < kernel; kx++) {
                int x0 = Math.max(0, radius - kx);
                int x1 = Math.min(w1, w1 + radius - kx);
                if (y0 >= y1 || x0 >= x1) {
                    continue;
                }
                int o = b.slot(ky, kx) * channels2;
                int a = y1 * stride + x1 * channels2;
                int bb = y0 * stride + x1 * channels2;
                int cc = y1 * stride + x0 * channels2;
                int dd = y0 * stride + x0 * channels2;
                for (int d = 0; d < channels2; d++) {
                    b.windowSums[o + d] += s[a + d] - s[bb + d] - s[cc + d] + s[dd + d];
                }
            }
        }
    }
}
