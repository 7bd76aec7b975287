package org.rankcoding.nn;

import org.ejml.data.DMatrixRMaj;

import java.util.random.RandomGenerator;

/**
 * PyTorch's default initialisation of a layer's tensors: every value uniform in {@code [-bound, bound]}, drawn from
 * one generator tensor after tensor in the order given, each tensor in row-major order.
 */
final class UniformInit {

    private UniformInit() {
    }

    /** Fills {@code tensors} with {@code (2 u - 1) * bound}, {@code u = rng.nextDouble()}, one draw per value. */
    static void fill(RandomGenerator rng, double bound, DMatrixRMaj... tensors) {
        for (DMatrixRMaj m : tensors) {
            int n = m.getNumElements();
            for (int i = 0; i < n; i++) {
                m.set(i, (2 * rng.nextDouble() - 1) * bound);
            }
        }
    }
}
