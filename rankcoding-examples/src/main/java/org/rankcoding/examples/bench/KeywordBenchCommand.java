package org.rankcoding.examples.bench;

import org.rankcoding.data.SequenceBatch;
import org.rankcoding.examples.cli.Range;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.InferencePass;
import org.rankcoding.rc.LossMode;
import org.rankcoding.train.Trainer;
import org.rankcoding.train.TrainerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Speed benchmark of the keyword-spotting model, the counterpart of {@code bench/pytorch_kws.py}: the network
 * {@code keyword-spotting} trains with its defaults ({@code --mels} log-mel inputs per 10 ms frame, one LSTM layer of
 * {@code --hidden}, a softmax head over {@code --classes} words, batch 64, Adam with learning rate 1e-3, threshold 0.95,
 * no clipping, entropy reward 0, constant learning rate), on {@code --steps} frames (98: one second of audio).
 *
 * <p>The input is synthetic: every feature drawn from N(0, 1) (the scale of log-mel features normalised with the
 * training set's statistics), every label uniform over the classes, {@code --batches} distinct batches drawn from
 * {@code --seed} before any timing. Throughput does not depend on the values, as long as every row computes every
 * step: with fresh weights the softmax puts far less than the threshold on any class (the first batch's largest
 * probability is reported, and a run in which it reaches the threshold stops with exit code 1), so no row decides early
 * and both losses compute all T steps forward and backward. The figures, each in
 * microseconds per example-step (wall time divided by {@code batches * batch * T}), best and median of
 * {@code --repetitions} ({@link ExampleStepTimer}; a run that computes fewer example-steps fails):
 * <ul>
 *   <li>EOS training: what {@link Trainer} times per batch with the end-of-sequence loss (cross-entropy at step T),
 *       the backward pass through every step and the Adam update;</li>
 *   <li>RC training from the fresh weights: the same with the rank-coding loss, early exit on; since no row decides,
 *       every row runs to step T and takes its loss there: full work;</li>
 *   <li>inference: the batch run to its end (no early exit) with the readout and softmax at every step.</li>
 * </ul>
 * Early-exit inference is not measured: on synthetic input with fresh weights nothing decides, so it would repeat
 * the full-sequence figure. The JSON keys are those of the PyTorch mirror, which {@code bench/compare_kws.sh} divides.
 */
@Command(name = KeywordBenchCommand.NAME, defaultValueProvider = KeywordBenchCommand.Defaults.class,
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Speed of the keyword-spotting model (40 log-mel inputs per frame, LSTM, softmax over the words) on "
                + "synthetic input of its shape, every row computing all --steps frames: EOS training, RC training from fresh "
                + "weights (nothing decides early, so full work) and inference without exit, in microseconds per example-step.",
                "The PyTorch mirror is bench/pytorch_kws.py; bench/compare_kws.sh runs both. Prints a table; --json writes "
                        + "every figure."})
public final class KeywordBenchCommand implements Callable<Integer> {

    /** The subcommand's name. */
    public static final String NAME = "bench-kws";
    /** Mixed into the seed for the generator of the synthetic batches. */
    static final long DATA_STREAM = 0x5DEECE66DL;

    @Spec
    CommandSpec spec;

    /** The options the benchmarks share, with this benchmark's defaults. */
    @Mixin
    BenchOptions bench;

    /** This benchmark's defaults of the shared options: those of {@code keyword-spotting} at hidden 256. */
    static final class Defaults extends BenchOptions.Defaults {
        /** The defaults. */
        Defaults() {
            super("256", "64", "2", "1e-3", "3");
        }
    }

    /** Inputs per step. */
    @Range(min = 1, max = 512)
    @Option(names = "--mels", defaultValue = "40", paramLabel = "N", description = "Inputs per step, the mel bands (default: ${DEFAULT-VALUE}).")
    int mels;

    /** Steps T every row computes. */
    @Range(min = 1, max = 10000)
    @Option(names = "--steps", defaultValue = "98", paramLabel = "T",
            description = "Steps every row computes, the frames of a clip (default: ${DEFAULT-VALUE}, one second at a 10 ms hop).")
    int steps;

    /** Classes of the softmax head. */
    @Range(min = 2, max = 1000)
    @Option(names = "--classes", defaultValue = "20", paramLabel = "K",
            description = "Classes of the softmax head (default: ${DEFAULT-VALUE}, the 20 core words; 12 for the commands12 task).")
    int classes;

    /** Spike threshold of the RC loss. */
    @Range(min = 0.5, max = 1, above = true, below = true)
    @Option(names = "--threshold", defaultValue = "0.95", paramLabel = "THETA",
            description = "Spike threshold of the RC loss (default: ${DEFAULT-VALUE}).")
    double threshold;

    /** Timed batches per repetition. */
    @Range(min = 1, max = 1e7)
    @Option(names = "--batches", defaultValue = "20", paramLabel = "N",
            description = "Timed batches per repetition, each measurement (default: ${DEFAULT-VALUE}); as many distinct batches "
                    + "are drawn.")
    int batches;

    /** Untimed warm-up batches before each measurement. */
    @Range(min = 0, max = 1e7)
    @Option(names = "--warmup", defaultValue = "5", paramLabel = "N",
            description = "Untimed warm-up batches before each measurement (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        validate();
        double[] loadStart = ExampleStepTimer.loadAverage();
        long wall0 = System.nanoTime();
        MatrixKernels kernels = Kernels.best();
        NetworkConfig network = network();
        Supplier<RankCodingNetwork> fresh = () -> new RankCodingNetwork(network, bench.seed);

        out.printf(Locale.ROOT, "%s: LSTM 1 x %d on %d inputs per step + softmax over %d, batch %d, T = %d steps, Adam %s, "
                        + "threshold %s, %d thread%s, %s kernels, %d repetitions%n", NAME, bench.hidden, mels, classes, bench.batch, steps,
                bench.learningRate, threshold, bench.threads, bench.threads == 1 ? "" : "s", kernels.name(), bench.repetitions);
        out.println(BenchCommand.environment());
        out.printf(Locale.ROOT, "input: %d synthetic batches, features N(0, 1), labels uniform over %d classes (seed %d)%n", batches,
                classes, bench.seed);
        out.flush();

        // ---- batches, drawn before any timing: whole batches for training, row ranges per thread for inference
        SplittableRandom rng = new SplittableRandom(bench.seed ^ DATA_STREAM);
        List<SequenceBatch> data = new ArrayList<>(batches);
        List<SequenceBatch[]> parts = new ArrayList<>(batches);
        for (int k = 0; k < batches; k++) {
            SequenceBatch b = synthetic(rng);
            data.add(b);
            parts.add(SplitInference.split(b, bench.threads, classes));
        }
        double freshMax = largestProbability(fresh.get(), kernels, data.get(0));
        if (!(freshMax < threshold)) {
            PrintWriter err = spec.commandLine().getErr();
            err.printf(Locale.ROOT, "%s: the fresh model gives a class a probability of %.4f on the first batch, not below --threshold %s: "
                    + "rows would decide early and RC training would not compute every step; raise --threshold or --classes%n", NAME,
                    freshMax, threshold);
            err.flush();
            return 1;
        }

        ExampleStepTimer timer = new ExampleStepTimer(kernels, warmup, batches, bench.repetitions, bench.batch, steps);
        ReplaySource replay = new ReplaySource(data, classes);
        BenchCommand.progress(out, "measuring EOS training");
        Stats eos = timer.training(n -> config(LossMode.END_OF_SEQUENCE, n), fresh, replay, "EOS training");
        BenchCommand.progress(out, "measuring RC training, fresh weights");
        Stats rc = timer.training(n -> config(LossMode.RANK_CODING, n), fresh, replay, "RC training");
        BenchCommand.progress(out, "measuring inference");
        Stats infer = timer.inference(fresh.get(), parts, bench.threads, threshold);
        double[] loadEnd = ExampleStepTimer.loadAverage();

        String tag = String.format(Locale.ROOT, "%d batches of %d per rep, %d thread%s", batches, bench.batch, bench.threads,
                bench.threads == 1 ? "" : "s");
        BenchCommand.Table table = new BenchCommand.Table();
        table.section("training from the fresh weights: forward + backward over all " + steps + " steps + Adam, " + tag);
        table.row("EOS training, per example-step (best)", String.format(Locale.ROOT, "%,.2f", eos.min()), "us",
                "median " + eos.format(2) + "; " + eos.range(2));
        table.row("RC training, per example-step (best)", String.format(Locale.ROOT, "%,.2f", rc.min()), "us",
                "median " + rc.format(2) + "; " + rc.range(2));
        table.section("inference: forward over " + steps + " steps, softmax every step, no exit, " + tag);
        table.row("full-sequence inference, per example-step (best)", String.format(Locale.ROOT, "%,.2f", infer.min()), "us",
                "median " + infer.format(2) + "; " + infer.range(2));
        out.println();
        table.print(out);
        out.printf(Locale.ROOT, "largest softmax probability of the fresh model on the first batch: %.4f (threshold %s: no row "
                + "decides early)%n", freshMax, threshold);
        out.printf(Locale.ROOT, "load average (1, 5, 15 min): %s at the start, %s at the end%n", Arrays.toString(loadStart),
                Arrays.toString(loadEnd));
        out.flush();

        Map<String, Object> j = new LinkedHashMap<>();
        j.put("benchmark", NAME);
        j.put("implementation", "rankcoding");
        j.put("kernels", kernels.name());
        j.put("environment", BenchCommand.environment());
        j.put("hidden", bench.hidden);
        j.put("layers", 1);
        j.put("mels", mels);
        j.put("classes", classes);
        j.put("steps", steps);
        j.put("batch", bench.batch);
        j.put("batches", batches);
        j.put("warmup", warmup);
        j.put("repetitions", bench.repetitions);
        j.put("threads", bench.threads);
        j.put("learning_rate", bench.learningRate);
        j.put("threshold", threshold);
        j.put("seed", bench.seed);
        j.put("input", "synthetic: features N(0, 1), labels uniform");
        j.put("example_steps_per_rep", timer.exampleSteps());
        j.put("fresh_largest_probability", freshMax);
        eos.putTimes(j, "eos_train_us_per_example_step");
        rc.putTimes(j, "rc_train_us_per_example_step");
        infer.putTimes(j, "full_infer_us_per_example_step");
        j.put("loadavg_start", loadStart);
        j.put("loadavg_end", loadEnd);
        j.put("total_seconds", (System.nanoTime() - wall0) / 1e9);
        bench.writeJson(j, out);
        out.flush();
        return 0;
    }

    private void validate() {
        List<String> bad = new ArrayList<>();
        bench.validate(bad);
        BenchOptions.atLeast(bad, "--mels", mels, 1);
        BenchOptions.atLeast(bad, "--steps", steps, 1);
        BenchOptions.atLeast(bad, "--classes", classes, 2);
        BenchOptions.atLeast(bad, "--batches", batches, 1);
        BenchOptions.atLeast(bad, "--warmup", warmup, 0);
        bench.reject(spec.commandLine(), bad, () -> {
            network();
            config(LossMode.RANK_CODING, 1);
        });
    }

    private NetworkConfig network() {
        return new NetworkConfig(mels, bench.hidden, 1, HeadType.SOFTMAX, classes);
    }

    private TrainerConfig config(LossMode mode, long sequences) {
        return bench.configBuilder(sequences).lossMode(mode).threshold(threshold).build();
    }

    /** One batch of {@code --batch} rows of {@code --steps} steps: features N(0, 1), labels uniform over the classes. */
    private SequenceBatch synthetic(SplittableRandom rng) {
        int n = bench.batch;
        double[] inputs = new double[steps * n * mels];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = rng.nextGaussian();
        }
        int[] lengths = new int[n];
        int[] labels = new int[n];
        for (int r = 0; r < n; r++) {
            lengths[r] = steps;
            labels[r] = rng.nextInt(classes);
        }
        return new SequenceBatch(n, steps, mels, inputs, lengths, labels, classes, null);
    }

    /**
     * The largest probability the head gives any class at any step of {@code batch}: below the threshold, no row of a
     * batch like it decides early.
     */
    private static double largestProbability(RankCodingNetwork network, MatrixKernels kernels, SequenceBatch batch) {
        int k = network.head().outputs();
        double[] largest = {0};
        new InferencePass(network, kernels).runToEnd(batch, 0.99, (step, row, p, off) -> {
            for (int c = off; c < off + k; c++) {
                largest[0] = Math.max(largest[0], p[c]);
            }
        });
        return largest[0];
    }
}
