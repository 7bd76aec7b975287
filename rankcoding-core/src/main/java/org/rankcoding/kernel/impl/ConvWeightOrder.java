package org.rankcoding.kernel.impl;

import org.ejml.data.DMatrixRMaj;

import java.util.Arrays;

/**
 * The two orders of a convolution filter bank over {@code C} input channels and {@code K x K} kernel offsets, each
 * filter a row of {@code C * K * K} values: PyTorch's order, the parameters' and the model files' ({@code nn.Conv2d}'s
 * {@code weight[out][c][ky][kx]}, index {@code c * K*K + o} with {@code o = ky * K + kx}), and the patch order the
 * front end's second stage multiplies its position-major patches with (index {@code o * C + c}). Used when weights are
 * prepared, gradients written out, or files of the former patch order read; never per step.
 */
public final class ConvWeightOrder {

    private ConvWeightOrder() {
    }

    /**
     * Writes the {@code rows} filters of {@code src}, in PyTorch's order, into {@code dst} in patch order:
     * {@code dst[r * L + o * C + c] = src[r * L + c * KK + o]}, {@code L = C * KK}.
     *
     * @param src      at least {@code rows * channels * kk} values (read)
     * @param channels input channels {@code C}
     * @param kk       kernel offsets {@code K * K}
     * @param dst      overwritten there; must not be {@code src}
     */
    public static void toPatchOrder(double[] src, int rows, int channels, int kk, double[] dst) {
        int len = channels * kk;
        for (int r = 0; r < rows; r++) {
            int base = r * len;
            for (int c = 0; c < channels; c++) {
                for (int o = 0; o < kk; o++) {
                    dst[base + o * channels + c] = src[base + c * kk + o];
                }
            }
        }
    }

    /**
     * The inverse of {@link #toPatchOrder}: {@code dst[r * L + c * KK + o] = src[r * L + o * C + c]}.
     *
     * @param src at least {@code rows * channels * kk} values in patch order (read)
     * @param dst overwritten there; must not be {@code src}
     */
    public static void toPyTorchOrder(double[] src, int rows, int channels, int kk, double[] dst) {
        int len = channels * kk;
        for (int r = 0; r < rows; r++) {
            int base = r * len;
            for (int c = 0; c < channels; c++) {
                for (int o = 0; o < kk; o++) {
                    dst[base + c * kk + o] = src[base + o * channels + c];
                }
            }
        }
    }

    /**
     * Converts, in place, a second-stage weight matrix ({@code C2 x C*KK}) read from a file written before its
     * tensor was stored in PyTorch's order (patch order then): {@link #toPyTorchOrder} on a copy.
     */
    public static void patchToPyTorchInPlace(DMatrixRMaj weight2, int channels, int kk) {
        double[] patch = Arrays.copyOf(weight2.data, weight2.getNumElements());
        toPyTorchOrder(patch, weight2.numRows, channels, kk, weight2.data);
    }
}
