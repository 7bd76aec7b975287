package org.rankcoding.examples.bench;

import org.rankcoding.data.SequenceBatch;
import org.rankcoding.examples.cli.CliErrors;
import org.rankcoding.examples.mnist.MnistDigits;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.nn.ConvFrontEndConfig;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.LossMode;
import org.rankcoding.train.Trainer;
import org.rankcoding.train.TrainerConfig;
import org.rankcoding.examples.cli.Range;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Speed benchmark of the temporal-MNIST front-end model, the counterpart of {@code bench/pytorch_frontend.py}: a
 * convolutional front end ({@code --channels} 5 x 5 filters, 2 x 2 max-pooling, ReLU, then {@code --channels2} filters
 * of the same kind: 1,568 features per step on 28 x 28 digits with 16 + 32 filters), an LSTM of {@code --layers} x
 * {@code --hidden} and a softmax readout over the 10 digits.
 *
 * <p>The input is the first MNIST training digits in file order, latency-coded over {@value #BINS} bins by
 * {@link MnistDigits} as sparse events (pulse code), cut to their first {@code --steps} steps, so that every
 * row computes exactly T steps. Batch {@code k} holds digits {@code k * batch .. (k + 1) * batch - 1}; when the file
 * has fewer than {@code --batches} batches of digits, the batches are reused cyclically. All batches are built before
 * any timing. Two figures are measured, each in microseconds per example-step (wall time divided by
 * {@code batches * batch * T}):
 * <ul>
 *   <li>training: what {@link Trainer} times per batch (gradient with the end-of-sequence loss, i.e. cross-entropy at
 *       step T, then the Adam update) over {@code --batches} batches, on {@code --threads} threads, each repetition
 *       starting from the same seeded weights with a fresh Adam, after one untimed run of {@code --warmup} batches
 *       (rows are cut to T by the batches themselves, so the end-of-sequence loss is taken at step T; each
 *       repetition's passes size their workspaces in its first batch, as in any training run, and allocate nothing
 *       after that);</li>
 *   <li>inference: {@link org.rankcoding.rc.InferencePass#runToEnd} (no early exit) over the same batches (rows
 *       split over {@code --threads} threads as {@link SplitInference} does), after {@code --warmup} untimed batches.</li>
 * </ul>
 * The best (smallest) and the median of {@code --repetitions} repetitions are reported; the JSON keys are those of
 * the PyTorch mirror, which {@code bench/compare_frontend.sh} divides.
 */
@Command(name = FrontEndBenchCommand.NAME, defaultValueProvider = FrontEndBenchCommand.Defaults.class,
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Speed of the temporal-MNIST front-end model (conv front end + LSTM + softmax) on latency-coded MNIST "
                + "training digits, every row computing exactly --steps steps: training (forward + backward + Adam) and "
                + "inference (forward, no exit), in microseconds per example-step.",
                "The PyTorch mirror is bench/pytorch_frontend.py; bench/compare_frontend.sh runs both. Prints a table; "
                        + "--json writes every figure."})
public final class FrontEndBenchCommand implements Callable<Integer> {

    /** The subcommand's name. */
    public static final String NAME = "bench-frontend";
    /** Bins of the latency code (temporal MNIST's 20 steps). */
    static final int BINS = MnistDigits.DEFAULT_BINS;
    /** Filter side of both stages. */
    static final int KERNEL = 5;
    /** Max-pooling window side of both stages. */
    static final int POOL = 2;
    /**
     * Spike threshold handed to the passes. Neither measurement exits early (end-of-sequence loss, inference without
     * exit), so it only decides which steps count as spikes in the passes' bookkeeping, not what is computed.
     */
    static final double THETA = 0.95;

    @Spec
    CommandSpec spec;

    /** The options the benchmarks share, with this benchmark's defaults. */
    @Mixin
    BenchOptions bench;

    /** This benchmark's defaults of the shared options. */
    static final class Defaults extends BenchOptions.Defaults {
        /** The defaults. */
        Defaults() {
            super("256", "256", "1", "1e-3", "3");
        }
    }

    /** Directory holding the MNIST training images and labels. */
    @Option(names = "--data", defaultValue = "data/mnist", paramLabel = "DIR",
            description = "Directory holding " + MnistDigits.TRAIN_IMAGES + " and " + MnistDigits.TRAIN_LABELS + ", raw or .gz "
                    + "(default: ${DEFAULT-VALUE}); fetch them with scripts/fetch-mnist DIR.")
    Path data;

    /** Number of stacked LSTM layers. */
    @Range(min = 1, max = 64)
    @Option(names = "--layers", defaultValue = "2", paramLabel = "L", description = "Stacked LSTM layers (default: ${DEFAULT-VALUE}).")
    int layers;

    /** Filters of the front end's first stage. */
    @Range(min = 1, max = 1024)
    @Option(names = "--channels", defaultValue = "16", paramLabel = "C",
            description = "Filters of the front end's first stage (default: ${DEFAULT-VALUE}).")
    int channels;

    /** Filters of the front end's second stage, 0 for a single stage. */
    @Range(min = 0, max = 1024, note = "0 for none")
    @Option(names = "--channels2", defaultValue = "32", paramLabel = "D",
            description = "Filters of the front end's second stage, 0 for none (default: ${DEFAULT-VALUE}).")
    int channels2;

    /** Steps T that every row computes. */
    @Range(min = 1, max = BINS, note = "the steps of the latency code")
    @Option(names = "--steps", defaultValue = "4", paramLabel = "T",
            description = "Steps every row computes, 1 .. " + BINS + ": the first T steps of the " + BINS + "-bin code "
                    + "(default: ${DEFAULT-VALUE}).")
    int steps;

    /** Timed batches per repetition. */
    @Range(min = 1, max = 1e7)
    @Option(names = "--batches", defaultValue = "20", paramLabel = "N",
            description = "Timed batches per repetition, training and inference each (default: ${DEFAULT-VALUE}).")
    int batches;

    /** Untimed warm-up batches before the timed ones. */
    @Range(min = 0, max = 1e7)
    @Option(names = "--warmup", defaultValue = "5", paramLabel = "N",
            description = "Untimed warm-up batches before each measurement (default: ${DEFAULT-VALUE}).")
    int warmup;

    /** Whether the front end integrates its input (convolves the running sum of the events so far). */
    @Option(names = "--integrate",
            description = "Integrating front end: each step convolves the running sum of the inputs so far (ConvFrontEndConfig.withIntegration).")
    boolean integrate;

    private PrintWriter out;

    @Override
    public Integer call() throws IOException {
        out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        validate();
        double[] loadStart = ExampleStepTimer.loadAverage();
        long wall0 = System.nanoTime();

        MnistDigits images;
        NetworkConfig network;
        try {
            images = MnistDigits.trainingDigits(data, BINS);
            network = network(images.rows(), images.cols());
        } catch (IOException e) {
            err.println(NAME + ": cannot load the MNIST training digits: " + CliErrors.describe(data, e));
            err.flush();
            return 1;
        } catch (IllegalArgumentException e) {
            err.println(NAME + ": the digits in " + data + " do not fit: " + e.getMessage());
            err.flush();
            return 1;
        }
        if (images.size() < bench.batch) {
            throw new ParameterException(spec.commandLine(), "--batch = " + bench.batch + ", but " + data + " holds only "
                    + images.size() + " training digits; expected 1 .. " + images.size());
        }
        MatrixKernels kernels = Kernels.best();
        ConvFrontEndConfig fe = network.frontEnd();
        long exampleSteps = (long) batches * bench.batch * steps;
        int distinct = Math.min(batches, images.size() / bench.batch);

        out.printf(Locale.ROOT, "%s: conv front end %d%s filters (%dx%d, max-pool %d, ReLU%s; %,d features) + LSTM %d x %d + "
                        + "softmax over %d, batch %d, T = %d steps, Adam %s, %d thread%s, %s kernels, %d repetitions%n",
                NAME, channels, channels2 > 0 ? " + " + channels2 : "", KERNEL, KERNEL, POOL, integrate ? ", integrating" : "",
                fe.outputSize(), layers, bench.hidden, MnistDigits.CLASSES, bench.batch, steps, bench.learningRate, bench.threads,
                bench.threads == 1 ? "" : "s", kernels.name(), bench.repetitions);
        out.println(BenchCommand.environment());
        out.printf(Locale.ROOT, "input: the first %,d training digits of %s (%d x %d), latency-coded over %d bins as sparse events, "
                        + "cut to the first %d steps%s%n", distinct * bench.batch, data, images.rows(), images.cols(), BINS, steps,
                distinct < batches ? " (" + distinct + " distinct batches, reused cyclically)" : "");
        out.flush();

        // ---- batches, built before any timing: whole batches for training, row ranges per thread for inference
        List<SequenceBatch> trainBatches = new ArrayList<>();
        List<SequenceBatch[]> inferParts = new ArrayList<>();
        int parts = Math.min(bench.threads, bench.batch);
        for (int k = 0; k < distinct; k++) {
            SequenceBatch full = images.batch(k * bench.batch, (k + 1) * bench.batch);
            trainBatches.add(cut(full, 0, bench.batch, steps));
            SequenceBatch[] split = new SequenceBatch[parts];
            for (int i = 0; i < parts; i++) {
                split[i] = cut(full, (int) ((long) i * bench.batch / parts), (int) ((long) (i + 1) * bench.batch / parts), steps);
            }
            inferParts.add(split);
        }

        ExampleStepTimer timer = new ExampleStepTimer(kernels, warmup, batches, bench.repetitions, bench.batch, steps);
        BenchCommand.progress(out, "measuring training");
        Stats train = timer.training(this::trainerConfig, () -> new RankCodingNetwork(network, bench.seed),
                new ReplaySource(trainBatches, MnistDigits.CLASSES), "training");
        BenchCommand.progress(out, "measuring inference");
        Stats infer = timer.inference(new RankCodingNetwork(network, bench.seed), inferParts, bench.threads, THETA);
        double[] loadEnd = ExampleStepTimer.loadAverage();

        BenchCommand.Table table = new BenchCommand.Table();
        table.section(String.format(Locale.ROOT, "training: forward + backward + Adam, cross-entropy at step %d (end of sequence), "
                + "%d batches of %d per rep, %d thread%s", steps, batches, bench.batch, bench.threads, bench.threads == 1 ? "" : "s"));
        table.row("training, per example-step (best)", String.format(Locale.ROOT, "%,.2f", train.min()), "us",
                "median " + train.format(2) + "; " + train.range(2));
        table.section(String.format(Locale.ROOT, "inference: forward over %d steps, no exit, %d batches of %d per rep, %d thread%s",
                steps, batches, bench.batch, bench.threads, bench.threads == 1 ? "" : "s"));
        table.row("inference, per example-step (best)", String.format(Locale.ROOT, "%,.2f", infer.min()), "us",
                "median " + infer.format(2) + "; " + infer.range(2));
        out.println();
        table.print(out);
        out.printf(Locale.ROOT, "load average (1, 5, 15 min): %s at the start, %s at the end%n", Arrays.toString(loadStart),
                Arrays.toString(loadEnd));
        out.flush();

        Map<String, Object> j = new LinkedHashMap<>();
        j.put("benchmark", NAME);
        j.put("implementation", "rankcoding");
        j.put("kernels", kernels.name());
        j.put("environment", BenchCommand.environment());
        j.put("hidden", bench.hidden);
        j.put("layers", layers);
        j.put("channels", channels);
        j.put("channels2", channels2);
        j.put("kernel", KERNEL);
        j.put("pool", POOL);
        j.put("integrate", integrate);
        j.put("features", fe.outputSize());
        j.put("image_rows", images.rows());
        j.put("image_cols", images.cols());
        j.put("bins", BINS);
        j.put("batch", bench.batch);
        j.put("steps", steps);
        j.put("batches", batches);
        j.put("distinct_batches", distinct);
        j.put("warmup", warmup);
        j.put("repetitions", bench.repetitions);
        j.put("threads", bench.threads);
        j.put("learning_rate", bench.learningRate);
        j.put("seed", bench.seed);
        j.put("input", "sparse events");
        j.put("example_steps_per_rep", exampleSteps);
        train.putTimes(j, "train_us_per_example_step");
        infer.putTimes(j, "infer_us_per_example_step");
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
        BenchOptions.atLeast(bad, "--layers", layers, 1);
        BenchOptions.atLeast(bad, "--channels", channels, 1);
        BenchOptions.atLeast(bad, "--channels2", channels2, 0);
        BenchOptions.atLeast(bad, "--batches", batches, 1);
        BenchOptions.atLeast(bad, "--warmup", warmup, 0);
        if (steps < 1 || steps > BINS) {
            bad.add("--steps = " + steps + ", expected 1 .. " + BINS + " (the steps of the " + BINS + "-bin latency code)");
        }
        bench.reject(spec.commandLine(), bad, () -> {
            network(MnistDigits.SIDE, MnistDigits.SIDE);
            trainerConfig(1);
        });
    }


    private NetworkConfig network(int rows, int cols) {
        ConvFrontEndConfig fe = ConvFrontEndConfig.conv(channels, KERNEL, POOL, rows, cols).withSecondStage(channels2)
                .withIntegration(integrate);
        return new NetworkConfig(rows * cols, bench.hidden, layers, HeadType.SOFTMAX, MnistDigits.CLASSES, fe);
    }

    private TrainerConfig trainerConfig(long sequences) {
        return bench.configBuilder(sequences).lossMode(LossMode.END_OF_SEQUENCE).threshold(THETA).build();
    }

    /**
     * Rows {@code [from, to)} of a sparse batch, cut to its first {@code steps} steps, as a new batch whose rows all have
     * length {@code steps}.
     *
     * @throws IllegalArgumentException for a dense batch, an empty or out-of-bounds row range, or a row shorter than
     *                                  {@code steps}
     */
    static SequenceBatch cut(SequenceBatch batch, int from, int to, int steps) {
        if (!batch.isSparse()) {
            throw new IllegalArgumentException("expected a sparse batch (SequenceBatch.sparseBinary), got " + batch);
        }
        if (from < 0 || to > batch.batchSize() || from >= to) {
            throw new IllegalArgumentException("rows [" + from + ", " + to + "), expected 0 <= from < to <= " + batch.batchSize());
        }
        int n = to - from;
        int[] start = batch.sparseStart();
        int[] idx = batch.sparseIndices();
        int[] lengths = new int[n];
        int[] labels = new int[n];
        for (int r = 0; r < n; r++) {
            if (batch.length(from + r) < steps) {
                throw new IllegalArgumentException("row " + (from + r) + " has " + batch.length(from + r) + " steps, expected at least "
                        + steps);
            }
            lengths[r] = steps;
            labels[r] = batch.label(from + r);
        }
        int[] outStart = new int[steps * n + 1];
        int events = 0;
        for (int t = 0; t < steps; t++) {
            for (int r = 0; r < n; r++) {
                int c = batch.sparseCell(t, from + r);
                events += start[c + 1] - start[c];
                outStart[t * n + r + 1] = events;
            }
        }
        int[] outIdx = new int[events];
        for (int t = 0; t < steps; t++) {
            for (int r = 0; r < n; r++) {
                int c = batch.sparseCell(t, from + r);
                System.arraycopy(idx, start[c], outIdx, outStart[t * n + r], start[c + 1] - start[c]);
            }
        }
        return SequenceBatch.sparseBinary(n, steps, batch.inputSize(), outStart, outIdx, lengths, labels, MnistDigits.CLASSES, null);
    }
}
