package org.rankcoding.train;

import org.rankcoding.data.SequenceBatch;

import java.util.random.RandomGenerator;

/**
 * Inverted dropout on a training batch's input values ({@link TrainerConfig#inputDropout()}): each value a row can see
 * (steps below its length) is dropped with probability {@code rate} and otherwise scaled by {@code 1 / (1 - rate)},
 * one {@code rng.nextDouble()} per value, step-major then row then input, as the batch stores them. Input dropout has
 * no parameters, so training on the dropped copy is exactly dropout on the input. A sparse binary batch is made dense.
 */
final class InputDropout {

    private InputDropout() {
    }

    /** A dropped copy of {@code batch} (the batch itself is not changed). */
    static SequenceBatch apply(SequenceBatch batch, double rate, RandomGenerator rng) {
        SequenceBatch dense = batch.toDense();
        double[] in = dense.inputArray();
        double[] out = new double[in.length];
        double scale = 1 / (1 - rate);
        int b = dense.batchSize();
        int size = dense.inputSize();
        for (int t = 0; t < dense.maxLength(); t++) {
            for (int r = 0; r < b; r++) {
                if (t >= dense.length(r)) {
                    continue;
                }
                int off = dense.inputOffset(t, r);
                for (int i = 0; i < size; i++) {
                    out[off + i] = rng.nextDouble() < rate ? 0 : in[off + i] * scale;
                }
            }
        }
        return dense.withDenseInputs(out);
    }
}
