package org.rankcoding.nn;

import java.util.Objects;

/**
 * The binary head: one output, {@code p = sigmoid(z)} is the probability of class 1.
 * Spike: {@code p > theta} or {@code p < 1 - theta}. Loss: binary cross-entropy
 * {@code -y log p - (1-y) log(1-p)}. Entropy: {@code -p log p - (1-p) log(1-p)},
 * with {@code dH/dz = -z p (1-p)}.
 */
public final class BinarySigmoidHead implements OutputHead {

    /** The only instance (stateless). */
    public static final BinarySigmoidHead INSTANCE = new BinarySigmoidHead();

    private BinarySigmoidHead() {
    }

    @Override
    public int outputs() {
        return 1;
    }

    @Override
    public int numClasses() {
        return 2;
    }

    @Override
    public HeadType type() {
        return HeadType.BINARY_SIGMOID;
    }

    @Override
    public void probabilities(double[] z, int zOff, double[] p, int pOff) {
        Objects.requireNonNull(z, "z is null");
        Objects.requireNonNull(p, "p is null");
        p[pOff] = OutputHead.sigmoid(z[zOff]);
    }

    @Override
    public boolean crosses(double[] p, int pOff, double theta) {
        Objects.requireNonNull(p, "p is null");
        double v = p[pOff];
        return v > theta || v < 1 - theta;
    }

    @Override
    public int predict(double[] p, int pOff) {
        Objects.requireNonNull(p, "p is null");
        return p[pOff] > 0.5 ? 1 : 0;
    }

    @Override
    public double crossEntropy(double[] z, int zOff, double[] p, int pOff, int label) {
        Objects.requireNonNull(z, "z is null");
        Objects.requireNonNull(p, "p is null");
        double x = z[zOff];
        // -y log sigmoid(x) - (1-y) log(1 - sigmoid(x)) = softplus(x) - y x
        return OutputHead.softplus(x) - label * x;
    }

    @Override
    public double entropy(double[] z, int zOff, double[] p, int pOff) {
        Objects.requireNonNull(z, "z is null");
        Objects.requireNonNull(p, "p is null");
        double x = z[zOff];
        double q = p[pOff];
        // -log p = softplus(-x), -log(1-p) = softplus(x)
        return q * OutputHead.softplus(-x) + (1 - q) * OutputHead.softplus(x);
    }

    @Override
    public double lossAndGradient(double[] z, int zOff, double[] p, int pOff, int label, double beta, double scale,
                                  double[] dz, int dzOff) {
        Objects.requireNonNull(z, "z is null");
        Objects.requireNonNull(p, "p is null");
        Objects.requireNonNull(dz, "dz is null");
        double x = z[zOff];
        double q = p[pOff];
        double dEntropy = -x * q * (1 - q);
        dz[dzOff] = scale * ((q - label) - beta * dEntropy);
        return crossEntropy(z, zOff, p, pOff, label) - beta * entropy(z, zOff, p, pOff);
    }
}
