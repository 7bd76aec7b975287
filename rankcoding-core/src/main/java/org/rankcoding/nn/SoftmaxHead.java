package org.rankcoding.nn;

import java.util.Objects;

/**
 * The softmax head: {@code p = softmax(z)}. Spike: {@code max_k p_k > theta}. Loss: cross-entropy
 * {@code -log p_y}. Entropy: {@code H = -sum_k p_k log p_k}, with {@code dH/dz_k = -p_k (log p_k + H)}.
 */
public record SoftmaxHead(int classes) implements OutputHead {

    /** @param classes number of classes, at least 2 */
    public SoftmaxHead {
        if (classes < 2) {
            throw new IllegalArgumentException("the softmax head needs at least 2 classes, got " + classes);
        }
    }

    @Override
    public int outputs() {
        return classes;
    }

    @Override
    public HeadType type() {
        return HeadType.SOFTMAX;
    }

    static double logSumExp(double[] v, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            max = Math.max(max, v[off + k]);
        }
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += Math.exp(v[off + k] - max);
        }
        return max + Math.log(sum);
    }

    static int argmax(double[] v, int off, int n) {
        int best = 0;
        for (int k = 1; k < n; k++) {
            if (v[off + k] > v[off + best]) {
                best = k;
            }
        }
        return best;
    }

    @Override
    public void probabilities(double[] z, int zOff, double[] p, int pOff) {
        Objects.requireNonNull(z, "z is null");
        Objects.requireNonNull(p, "p is null");
        double lse = logSumExp(z, zOff, classes);
        for (int k = 0; k < classes; k++) {
            p[pOff + k] = Math.exp(z[zOff + k] - lse);
        }
    }

    @Override
    public boolean crosses(double[] p, int pOff, double theta) {
        Objects.requireNonNull(p, "p is null");
        return p[pOff + argmax(p, pOff, classes)] > theta;
    }

    @Override
    public int predict(double[] p, int pOff) {
        Objects.requireNonNull(p, "p is null");
        return argmax(p, pOff, classes);
    }

    @Override
    public double crossEntropy(double[] z, int zOff, double[] p, int pOff, int label) {
        Objects.requireNonNull(z, "z is null");
        Objects.requireNonNull(p, "p is null");
        return logSumExp(z, zOff, classes) - z[zOff + label];
    }

    @Override
    public double entropy(double[] z, int zOff, double[] p, int pOff) {
        Objects.requireNonNull(z, "z is null");
        Objects.requireNonNull(p, "p is null");
        double lse = logSumExp(z, zOff, classes);
        double h = 0;
        for (int k = 0; k < classes; k++) {
            h -= p[pOff + k] * (z[zOff + k] - lse);
        }
        return h;
    }

    @Override
    public double lossAndGradient(double[] z, int zOff, double[] p, int pOff, int label, double beta, double scale,
                                  double[] dz, int dzOff) {
        Objects.requireNonNull(z, "z is null");
        Objects.requireNonNull(p, "p is null");
        Objects.requireNonNull(dz, "dz is null");
        double lse = logSumExp(z, zOff, classes);
        double h = 0;
        for (int k = 0; k < classes; k++) {
            h -= p[pOff + k] * (z[zOff + k] - lse);
        }
        for (int k = 0; k < classes; k++) {
            double pk = p[pOff + k];
            double dEntropy = -pk * ((z[zOff + k] - lse) + h);
            dz[dzOff + k] = scale * (pk - (k == label ? 1 : 0) - beta * dEntropy);
        }
        return (lse - z[zOff + label]) - beta * h;
    }
}
