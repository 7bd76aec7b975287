package org.rankcoding.nn;

import java.util.Objects;

/**
 * The reference MNIST head: one sigmoid per class, {@code p_k = sigmoid(z_k)}. Spike: any
 * {@code p_k > theta}. Prediction: argmax. Loss: the softmax cross-entropy applied to the sigmoid values,
 * {@code L = log sum_k exp(p_k) - p_y} (the reference code's choice, kept for comparability), with
 * {@code dL/dz_k = (q_k - [k = y]) p_k (1 - p_k)} where {@code q = softmax(p)}. Entropy: the sum of the
 * per-class binary entropies, {@code H = sum_k -p_k log p_k - (1-p_k) log(1-p_k)}, with
 * {@code dH/dz_k = -z_k p_k (1 - p_k)}.
 */
public record PerClassSigmoidHead(int classes) implements OutputHead {

    /** @param classes number of classes, at least 2 */
    public PerClassSigmoidHead {
        if (classes < 2) {
            throw new IllegalArgumentException("the per-class sigmoid head needs at least 2 classes, got " + classes);
        }
    }

    @Override
    public int outputs() {
        return classes;
    }

    @Override
    public HeadType type() {
        return HeadType.PER_CLASS_SIGMOID;
    }

    @Override
    public void probabilities(double[] z, int zOff, double[] p, int pOff) {
        Objects.requireNonNull(z, "z is null");
        Objects.requireNonNull(p, "p is null");
        for (int k = 0; k < classes; k++) {
            p[pOff + k] = OutputHead.sigmoid(z[zOff + k]);
        }
    }

    @Override
    public boolean crosses(double[] p, int pOff, double theta) {
        Objects.requireNonNull(p, "p is null");
        for (int k = 0; k < classes; k++) {
            if (p[pOff + k] > theta) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int predict(double[] p, int pOff) {
        Objects.requireNonNull(p, "p is null");
        return SoftmaxHead.argmax(p, pOff, classes);
    }

    @Override
    public double crossEntropy(double[] z, int zOff, double[] p, int pOff, int label) {
        Objects.requireNonNull(z, "z is null");
        Objects.requireNonNull(p, "p is null");
        return SoftmaxHead.logSumExp(p, pOff, classes) - p[pOff + label];
    }

    @Override
    public double entropy(double[] z, int zOff, double[] p, int pOff) {
        Objects.requireNonNull(z, "z is null");
        Objects.requireNonNull(p, "p is null");
        double h = 0;
        for (int k = 0; k < classes; k++) {
            double x = z[zOff + k];
            double q = p[pOff + k];
            h += q * OutputHead.softplus(-x) + (1 - q) * OutputHead.softplus(x);
        }
        return h;
    }

    @Override
    public double lossAndGradient(double[] z, int zOff, double[] p, int pOff, int label, double beta, double scale,
                                  double[] dz, int dzOff) {
        Objects.requireNonNull(z, "z is null");
        Objects.requireNonNull(p, "p is null");
        Objects.requireNonNull(dz, "dz is null");
        double lse = SoftmaxHead.logSumExp(p, pOff, classes);
        for (int k = 0; k < classes; k++) {
            double pk = p[pOff + k];
            double slope = pk * (1 - pk);
            double q = Math.exp(pk - lse);
            double dCe = (q - (k == label ? 1 : 0)) * slope;
            double dEntropy = -z[zOff + k] * slope;
            dz[dzOff + k] = scale * (dCe - beta * dEntropy);
        }
        return (lse - p[pOff + label]) - beta * entropy(z, zOff, p, pOff);
    }
}
