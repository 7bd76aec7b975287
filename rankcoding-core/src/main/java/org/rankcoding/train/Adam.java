package org.rankcoding.train;

import org.ejml.data.DMatrixRMaj;
import org.rankcoding.nn.Parameters;

import java.util.List;
import java.util.Objects;

/**
 * Adam (Kingma and Ba), as in PyTorch's {@code torch.optim.Adam} without weight decay, or with decoupled weight decay
 * {@code wd} as in {@code torch.optim.AdamW} (Loshchilov and Hutter):
 * <pre>
 *   w *= 1 - lr * wd                      (only when wd &gt; 0)
 *   m = b1 m + (1-b1) g,   v = b2 v + (1-b2) g^2
 *   w -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 * </pre>
 * The decay shrinks every parameter (biases included) towards zero in proportion to the learning rate, independently
 * of the gradient's scale, unlike an L2 term added to the loss, which Adam's normalisation would weaken. With
 * {@code wd = 0} the update is plain Adam, bit for bit.
 * Holds its moment estimates; one instance per training run. Not thread-safe.
 *
 * <p>The update is one fused loop over the backing arrays of each tensor, not a composition of EJML's element-wise
 * operations: EJML needs two temporaries and eleven passes over memory for it (about 5x slower, about 2% of a
 * training batch at hidden 125 instead of 0.4%; see docs/benchmarks.md), and its square root would go through
 * {@code Math.pow}.
 */
public final class Adam {

    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final Parameters m;
    private final Parameters v;
    private long step;

    /**
     * @param params the parameters to optimise (for the moments' layout; not modified here)
     */
    public Adam(Parameters params, double learningRate, double beta1, double beta2, double epsilon) {
        this(params, learningRate, beta1, beta2, epsilon, 0.0);
    }

    /**
     * Adam with decoupled weight decay (AdamW).
     *
     * @param params      the parameters to optimise (for the moments' layout; not modified here)
     * @param weightDecay the decoupled weight decay, finite and {@code >= 0} (0: plain Adam)
     * @throws IllegalArgumentException for a negative or non-finite weight decay
     */
    public Adam(Parameters params, double learningRate, double beta1, double beta2, double epsilon, double weightDecay) {
        Objects.requireNonNull(params, "params is null");
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay = " + weightDecay + ", expected a finite value >= 0 (0 for none)");
        }
        this.weightDecay = weightDecay;
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.m = params.zerosLike();
        this.v = params.zerosLike();
    }

    /** Number of updates applied so far. */
    public long steps() {
        return step;
    }

    /** The first-moment estimates, by parameter name (live; read by training checkpoints). */
    Parameters firstMoments() {
        return m;
    }

    /** The second-moment estimates, by parameter name (live; read by training checkpoints). */
    Parameters secondMoments() {
        return v;
    }

    /**
     * Continues from a checkpoint: copies the moments and sets the number of updates applied so far.
     *
     * @throws IllegalArgumentException if a layout differs or {@code steps < 0}
     */
    void restore(Parameters firstMoments, Parameters secondMoments, long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps = " + steps + ", expected >= 0");
        }
        m.setTo(firstMoments);
        v.setTo(secondMoments);
        step = steps;
    }

    /**
     * Applies one update with the configured learning rate: modifies {@code params} in place from
     * {@code grads} (read).
     *
     * @throws IllegalArgumentException if the layouts differ
     */
    public void update(Parameters params, Parameters grads) {
        Objects.requireNonNull(params, "params is null");
        Objects.requireNonNull(grads, "grads is null");
        update(params, grads, learningRate);
    }

    /**
     * Applies one update with learning rate {@code lr} (for schedules): modifies {@code params} in place
     * from {@code grads} (read).
     *
     * @throws IllegalArgumentException if the layouts differ
     */
    public void update(Parameters params, Parameters grads, double lr) {
        Objects.requireNonNull(params, "params is null");
        Objects.requireNonNull(grads, "grads is null");
        update(params, grads, lr, PartRunner.SERIAL);
    }

    /**
     * As {@link #update(Parameters, Parameters, double)}, each tensor cut into {@code runner}'s parts
     * ({@link Parameters#partStart}) and the parts updated at once: the update is element-wise, so the result is the
     * same, bit for bit, for any number of parts.
     */
    void update(Parameters params, Parameters grads, double lr, PartRunner runner) {
        params.requireSameLayout(grads);
        step++;
        double c1 = 1 - Math.pow(beta1, step);
        double c2 = 1 - Math.pow(beta2, step);
        int parts = runner.parts();
        runner.run(part -> updatePart(params, grads, lr, c1, c2, part, parts));
    }

    /** The update of chunk {@code part} of every tensor, with the bias corrections {@code c1, c2} of this step. */
    private void updatePart(Parameters params, Parameters grads, double lr, double c1, double c2, int part, int parts) {
        List<DMatrixRMaj> ws = params.tensors();
        List<DMatrixRMaj> gs = grads.tensors();
        List<DMatrixRMaj> ms = m.tensors();
        List<DMatrixRMaj> vs = v.tensors();
        double keep = 1 - lr * weightDecay;
        for (int i = 0; i < ws.size(); i++) {
            double[] w = ws.get(i).data;
            double[] g = gs.get(i).data;
            double[] mm = ms.get(i).data;
            double[] vv = vs.get(i).data;
            int n = ws.get(i).getNumElements();
            int from = Parameters.partStart(n, part, parts);
            int to = Parameters.partStart(n, part + 1, parts);
            if (weightDecay > 0) {
                for (int j = from; j < to; j++) {
                    w[j] *= keep;
                }
            }
            for (int j = from; j < to; j++) {
                double gj = g[j];
                mm[j] = beta1 * mm[j] + (1 - beta1) * gj;
                vv[j] = beta2 * vv[j] + (1 - beta2) * gj * gj;
                w[j] -= lr * (mm[j] / c1) / (Math.sqrt(vv[j] / c2) + epsilon);
            }
        }
    }
}
