package org.rankcoding.examples.bench;

import org.rankcoding.data.SequenceBatch;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.StepObserver;
import org.rankcoding.train.Trainer;
import org.rankcoding.train.TrainerConfig;
import org.rankcoding.train.TrainingListener;
import org.rankcoding.train.TrainingResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * Times training and inference in microseconds per example-step (wall time divided by the example-steps of the timed
 * batches, {@code batches * batch * T}), the figures of {@code bench-frontend} and {@code bench-kws}, which compare them
 * with their PyTorch mirrors. Every row of the batches must run exactly T steps: a measurement that computes any other
 * number of example-steps fails instead of reporting a figure of other work.
 *
 * <ul>
 *   <li>training: what {@link Trainer} times per batch (gradient, Adam update) over the timed batches, each repetition
 *       starting from the same weights with a fresh Adam, after one untimed run of the warm-up batches;</li>
 *   <li>inference: {@link org.rankcoding.rc.InferencePass#runToEnd} (no early exit) over the timed batches, each batch's
 *       rows split over threads as {@link SplitInference} does, after the warm-up batches.</li>
 * </ul>
 */
final class ExampleStepTimer {

    private final MatrixKernels kernels;
    private final int warmup;
    private final int batches;
    private final int repetitions;
    private final int batch;
    private final long exampleSteps;

    /**
     * @param kernels     the kernels of every pass
     * @param warmup      untimed warm-up batches before each measurement, at least 0
     * @param batches     timed batches per repetition, at least 1
     * @param repetitions timed repetitions, at least 1
     * @param batch       rows per batch
     * @param steps       the steps T that every row computes
     */
    ExampleStepTimer(MatrixKernels kernels, int warmup, int batches, int repetitions, int batch, int steps) {
        this.kernels = kernels;
        this.warmup = warmup;
        this.batches = batches;
        this.repetitions = repetitions;
        this.batch = batch;
        this.exampleSteps = (long) batches * batch * steps;
    }

    /** The example-steps of the timed batches of one repetition, {@code batches * batch * T}. */
    long exampleSteps() {
        return exampleSteps;
    }

    /**
     * Training microseconds per example-step, one value per repetition.
     *
     * @param config the trainer's configuration for a budget of the given number of sequences (a whole number of
     *               batches)
     * @param start  a new network with the starting weights, for each run
     * @param replay the batches, of this timer's batch size, replayed from the first one in every run
     * @param what   what is measured, for the message of a run that does not compute every step of every row
     */
    Stats training(LongFunction<TrainerConfig> config, Supplier<RankCodingNetwork> start, ReplaySource replay, String what) {
        if (warmup > 0) {
            new Trainer(config.apply((long) warmup * batch), kernels).continueTraining(start.get(), replay, List.of(), TrainingListener.NONE);
        }
        Trainer trainer = new Trainer(config.apply((long) batches * batch), kernels);
        double[] us = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            TrainingResult result = trainer.continueTraining(start.get(), replay, List.of(), TrainingListener.NONE);
            requireSteps(what + " forward", result.forwardExampleSteps());
            requireSteps(what + " backward", result.backwardExampleSteps());
            us[r] = result.seconds() * 1e6 / exampleSteps;
        }
        return Stats.of(us);
    }

    /**
     * Inference microseconds per example-step, one value per repetition: every row run to its end at threshold
     * {@code theta} (which only decides which steps count as spikes, not what is computed).
     *
     * @param parts the distinct batches, each cut into one part per thread ({@link SplitInference#split}); reused
     *              cyclically for the warm-up and the timed batches
     */
    Stats inference(RankCodingNetwork network, List<SequenceBatch[]> parts, int threads, double theta) {
        List<SequenceBatch[]> warm = cycle(parts, warmup);
        List<SequenceBatch[]> timed = cycle(parts, batches);
        SplitInference.Part toEnd = (pass, part) -> pass.runToEnd(part, theta, StepObserver.NONE).forwardExampleSteps();
        double[] us = new double[repetitions];
        try (SplitInference inference = new SplitInference(network, kernels, threads)) {
            inference.run(warm, toEnd);
            for (int r = 0; r < repetitions; r++) {
                long t0 = System.nanoTime();
                long computed = inference.run(timed, toEnd);
                long nanos = System.nanoTime() - t0;
                requireSteps("inference", computed, exampleSteps);
                us[r] = nanos / 1e3 / exampleSteps;
            }
        }
        return Stats.of(us);
    }

    private void requireSteps(String what, long computed) {
        requireSteps(what, computed, exampleSteps);
    }

    private static void requireSteps(String what, long computed, long expected) {
        if (computed != expected) {
            throw new IllegalStateException(what + " computed " + computed + " example-steps, expected batches x batch x T = "
                    + expected + ": the pass did not run every row for exactly T steps");
        }
    }

    /** The first {@code n} elements of {@code list} repeated cyclically. */
    static <T> List<T> cycle(List<T> list, int n) {
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(list.get(i % list.size()));
        }
        return out;
    }

    /** The 1-, 5- and 15-minute load averages from {@code /proc/loadavg}, or {@code null} where it cannot be read. */
    static double[] loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim().split("\\s+");
            return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
