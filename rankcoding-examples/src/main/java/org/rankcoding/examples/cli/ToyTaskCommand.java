package org.rankcoding.examples.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.rankcoding.data.BatchSource;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.eval.Evaluation;
import org.rankcoding.eval.Evaluator;
import org.rankcoding.examples.report.Json;
import org.rankcoding.examples.report.Plots;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.rc.LossMode;
import org.rankcoding.rc.RankCodingPass;
import org.rankcoding.train.LearningRateSchedule;
import org.rankcoding.train.Trainer;
import org.rankcoding.train.TrainerConfig;
import org.rankcoding.train.TrainingResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo shared by the toy tasks: train an RC model and an EOS baseline with the same budget and seed,
 * validate both periodically on one fixed validation set, evaluate both on a fresh test set, and print a
 * table (and optionally write JSON and plots).
 *
 * <p>Data streams: the trainer draws training batches from its own stream of {@code --seed}; the
 * validation and test sets come from two further streams of the same seed, so they never overlap with
 * training data or with each other, and both models see exactly the same validation and test sequences.
 */
public abstract class ToyTaskCommand implements Callable<Integer> {

    /** Mixed into the seed for the validation set's generator. */
    static final long VALIDATION_STREAM = 0x5851F42D4C957F2DL;
    /** Mixed into the seed for the test set's generator. */
    static final long TEST_STREAM = 0x2545F4914F6CDD1DL;
    /** Rows per evaluation batch. */
    private static final int EVAL_BATCH = 500;

    private static final Logger LOG = LoggerFactory.getLogger("org.rankcoding.examples");

    @Spec
    CommandSpec spec;

    @Option(names = "--hidden", defaultValue = "125", paramLabel = "H", description = "LSTM hidden size (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--layers", defaultValue = "1", paramLabel = "L", description = "Stacked LSTM layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--batch", defaultValue = "128", paramLabel = "N", description = "Sequences per training batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "3e-4", paramLabel = "RATE", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--lr-schedule", defaultValue = "CONSTANT", paramLabel = "SCHEDULE",
            description = "Learning-rate schedule over the budget: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    LearningRateSchedule schedule;

    @Option(names = "--threshold", defaultValue = "0.95", paramLabel = "THETA",
            description = "Spike threshold theta in (0.5, 1), for training and evaluation (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--beta", defaultValue = "0.0", paramLabel = "BETA",
            description = "Entropy reward of the RC model, >= 0; larger values delay decisions (default: ${DEFAULT-VALUE}). "
                    + "The EOS baseline always uses 0.")
    double beta;

    @Option(names = "--test-sequences", defaultValue = "50000", paramLabel = "N",
            description = "Size of the fresh test set (default: ${DEFAULT-VALUE}; the standard error of an accuracy near 0.95 "
                    + "is then about 0.001).")
    long testSequences;

    @Option(names = "--validation-sequences", defaultValue = "2000", paramLabel = "N",
            description = "Size of the fixed validation set, 0 for none (default: ${DEFAULT-VALUE}).")
    int validationSequences;

    @Option(names = "--validate-every", paramLabel = "N",
            description = "Validate every N training sequences (default: a tenth of the training budget).")
    Long validateEvery;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "SEED",
            description = "Seed of the weights and of the training, validation and test data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--horizon", defaultValue = "0", paramLabel = "STEPS",
            description = "Back-propagate at most STEPS steps from each decision step; 0 = unlimited (default: ${DEFAULT-VALUE}).")
    int horizon;

    @Option(names = "--clip", defaultValue = "0", paramLabel = "NORM",
            description = "Clip the global gradient norm to NORM; 0 = no clipping (default: ${DEFAULT-VALUE}).")
    double clip;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads computing each training batch's gradient, and testing the two models side by side "
                    + "(default: the library's default, 2).")
    Integer threads;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    Path json;

    @Option(names = "--plots", defaultValue = "target/plots", paramLabel = "DIR",
            description = "Directory for the PNG plots, relative to the working directory (default: ${DEFAULT-VALUE}).")
    Path plots;

    @Option(names = "--no-plots", description = "Do not draw plots.")
    boolean noPlots;

    @Option(names = "--no-progress",
            description = "Do not draw progress bars (they are drawn on standard error, and only on an interactive console).")
    boolean noProgress;

    /** The task's name, as in the subcommand and the output file names. */
    protected abstract String task();

    /**
     * The generator of this task built from the options.
     *
     * @throws IllegalArgumentException for a bad generator option
     */
    protected abstract BatchSource createSource();

    /** Length of the task's sequences. */
    protected abstract int sequenceLength();

    /** Normaliser of the timing-aware loss (only used for data with optimal steps). */
    protected double timingWindow() {
        return 1.0;
    }

    /** The training budget per model, in sequences. */
    protected abstract long trainSequences();

    /** The size of the test set. */
    protected long testSequences() {
        return testSequences;
    }

    /** Adds the task's own rows to the result table. */
    protected void addTaskRows(ResultTable table, ModelRun rc, ModelRun eos) {
    }

    /** Adds the task's own keys: to the top level and to each model's object. */
    protected void addTaskJson(Map<String, Object> top, Map<String, Object> model, ModelRun run) {
    }

    /** Writes the task's own plots and returns their files. */
    protected List<Path> writeTaskPlots(Path dir, ModelRun rc, ModelRun eos) throws IOException {
        return List.of();
    }

    /** The generator options, for the header line and the JSON. */
    protected abstract Map<String, Object> generatorParameters();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        BatchSource source;
        TrainerConfig base;
        NetworkConfig network;
        try {
            source = createSource();
            network = new NetworkConfig(source.inputSize(), hidden, layers, HeadType.BINARY_SIGMOID, source.numClasses());
            if (validationSequences < 0) {
                throw new IllegalArgumentException("--validation-sequences = " + validationSequences + ", expected >= 0 (0 for no validation)");
            }
            if (testSequences() < 1) {
                throw new IllegalArgumentException("--test-sequences = " + testSequences() + ", expected >= 1");
            }
            if (horizon < 0) {
                throw new IllegalArgumentException("--horizon = " + horizon + ", expected >= 1, or 0 for unlimited");
            }
            long every = validateEvery != null ? validateEvery : Math.max(1, trainSequences() / 10);
            base = TrainerConfig.builder().threshold(threshold).learningRate(learningRate).schedule(schedule).batchSize(batch)
                    .trainSequences(trainSequences()).clipNorm(clip)
                    .horizon(horizon == 0 ? RankCodingPass.UNLIMITED_HORIZON : horizon).seed(seed)
                    .validateEverySequences(every).timingWindow(timingWindow()).build();
            if (threads != null) {
                base = base.toBuilder().threads(threads).build();
            }
            base.toBuilder().beta(beta).build(); // validates --beta
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        boolean bars = !noProgress && System.console() != null;

        StringBuilder generator = new StringBuilder();
        generatorParameters().forEach((k, v) -> generator.append(generator.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
        out.printf(Locale.ROOT, "%s (%s): RC-trained vs EOS-trained LSTM, hidden %d, %d layer%s, threshold %s, RC beta %s, seed %d%n",
                task(), generator, hidden, layers, layers == 1 ? "" : "s", threshold, beta, seed);
        out.printf(Locale.ROOT, "training %,d sequences per model (batch %d, lr %s %s, %d thread%s, %s kernels), validating on %,d, "
                        + "testing on %,d fresh sequences%n",
                trainSequences(), batch, learningRate, schedule.name().toLowerCase(Locale.ROOT), base.threads(), base.threads() == 1 ? "" : "s", Kernels.best().name(),
                validationSequences, testSequences());
        out.flush();

        List<SequenceBatch> validation = generate(source, validationSequences, new SplittableRandom(seed ^ VALIDATION_STREAM));
        ModelRun rc = train("RC", LossMode.RANK_CODING, beta, base, network, source, validation, bars);
        ModelRun eos = train("EOS", LossMode.END_OF_SEQUENCE, 0.0, base, network, source, validation, bars);
        List<ModelRun> runs = test(source, List.of(rc, eos), base.threads(), bars);
        rc = runs.get(0);
        eos = runs.get(1);

        out.println();
        printTable(out, rc, eos);
        out.flush();
        if (json != null) {
            writeJson(json, rc, eos);
            out.println("wrote " + json);
        }
        if (!noPlots) {
            List<Path> files = writePlots(plots, rc, eos);
            out.println("wrote " + String.join(", ", files.stream().map(Path::toString).toList()));
        }
        out.flush();
        return 0;
    }

    private static List<SequenceBatch> generate(BatchSource source, long count, SplittableRandom rng) {
        List<SequenceBatch> batches = new ArrayList<>();
        for (long done = 0; done < count; ) {
            int rows = (int) Math.min(EVAL_BATCH, count - done);
            batches.add(source.nextBatch(rows, rng));
            done += rows;
        }
        return batches;
    }

    private ModelRun train(String name, LossMode mode, double modelBeta, TrainerConfig base, NetworkConfig network,
                           BatchSource source, List<SequenceBatch> validation, boolean bars) {
        TrainerConfig config = base.toBuilder().lossMode(mode).beta(modelBeta).build();
        TrainingResult result;
        List<ValidationPoint> history;
        try (TrainingConsole console = new TrainingConsole(task() + " " + name, config.trainSequences(), bars)) {
            result = new Trainer(config).train(network, source, validation, console);
            history = console.history();
        }
        LOG.info(String.format(Locale.ROOT, "%s %s trained on %,d sequences in %.1f s (example-steps forward %,d, backward %,d)",
                task(), name, result.sequences(), result.seconds(), result.forwardExampleSteps(), result.backwardExampleSteps()));
        return new ModelRun(name, mode, modelBeta, result, history, null, 0, 0);
    }

    /**
     * Evaluates every model on the same fresh test set, plus a timed early-exit inference over it. The models
     * are evaluated concurrently, one thread each (at most {@code --threads}); the test batches are generated
     * once, up front, and shared (batches are immutable).
     */
    private List<ModelRun> test(BatchSource source, List<ModelRun> runs, int threads, boolean bars) {
        List<SequenceBatch> batches = generate(source, testSequences(), new SplittableRandom(seed ^ TEST_STREAM));
        AtomicLong done = new AtomicLong();
        ProgressBar bar = bars ? new ProgressBarBuilder().setTaskName(task() + " test").setInitialMax(testSequences() * runs.size())
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                .setConsumer(new StderrBarConsumer(System.err, StderrBarConsumer.terminalWidth())).build() : null;
        List<Callable<ModelRun>> tasks = new ArrayList<>();
        for (ModelRun run : runs) {
            tasks.add(() -> {
                Evaluator evaluator = new Evaluator(run.training().network(), threshold, timingWindow());
                RankCodingPass pass = new RankCodingPass(run.training().network(), Kernels.best());
                long exitSteps = 0;
                long exitNanos = 0;
                for (SequenceBatch b : batches) {
                    evaluator.add(b);
                    long start = System.nanoTime();
                    pass.infer(b, threshold, true);
                    exitNanos += System.nanoTime() - start;
                    exitSteps += pass.forwardExampleSteps();
                    long now = done.addAndGet(b.batchSize());
                    if (bar != null) {
                        bar.stepTo(now);
                    }
                }
                return new ModelRun(run.name(), run.mode(), run.beta(), run.training(), run.history(), evaluator.result(),
                        exitSteps, exitNanos / 1e9);
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, runs.size())), r -> {
            Thread t = new Thread(r, "rankcoding-test");
            t.setDaemon(true);
            return t;
        });
        List<ModelRun> tested = new ArrayList<>();
        try {
            for (Future<ModelRun> f : pool.invokeAll(tasks)) {
                tested.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while testing", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("testing failed: " + cause, cause);
        } finally {
            pool.shutdownNow();
            if (bar != null) {
                bar.close();
            }
        }
        for (ModelRun r : tested) {
            LOG.debug("{} {} test: {}", task(), r.name(), r.test());
        }
        return tested;
    }

    private void printTable(PrintWriter out, ModelRun rc, ModelRun eos) {
        Evaluation a = rc.test();
        Evaluation b = eos.test();
        TrainingResult ta = rc.training();
        TrainingResult tb = eos.training();
        ResultTable t = new ResultTable("test set: " + ResultTable.count(a.examples()) + " sequences", "RC-trained", "EOS-trained",
                "RC/EOS");
        t.row("accuracy at first spike", ResultTable.fixed(a.accuracyFirstSpike(), 4), ResultTable.fixed(b.accuracyFirstSpike(), 4));
        t.row("accuracy at last step", ResultTable.fixed(a.accuracyLastStep(), 4), ResultTable.fixed(b.accuracyLastStep(), 4));
        t.row("mean decision step (of " + sequenceLength() + ")", ResultTable.fixed(a.meanDecisionStep(), 2),
                ResultTable.fixed(b.meanDecisionStep(), 2), ResultTable.ratio(a.meanDecisionStep(), b.meanDecisionStep()));
        t.row("median decision step", ResultTable.fixed(a.medianDecisionStep(), 1), ResultTable.fixed(b.medianDecisionStep(), 1));
        t.row("no-spike fraction", ResultTable.fixed(a.noSpikeFraction(), 4), ResultTable.fixed(b.noSpikeFraction(), 4));
        t.row("earliness (mean step / T)", ResultTable.fixed(a.earliness(), 3), ResultTable.fixed(b.earliness(), 3));
        t.row("harmonic mean (accuracy, 1 - earliness)", ResultTable.fixed(a.harmonicMean(), 4), ResultTable.fixed(b.harmonicMean(), 4));
        addTaskRows(t, rc, eos);
        t.row("training sequences", ResultTable.count(ta.sequences()), ResultTable.count(tb.sequences()));
        t.row("training example-steps forward", ResultTable.count(ta.forwardExampleSteps()),
                ResultTable.count(tb.forwardExampleSteps()), ResultTable.ratio(ta.forwardExampleSteps(), tb.forwardExampleSteps()));
        t.row("training example-steps backward", ResultTable.count(ta.backwardExampleSteps()),
                ResultTable.count(tb.backwardExampleSteps()), ResultTable.ratio(ta.backwardExampleSteps(), tb.backwardExampleSteps()));
        t.row("training wall time (s)", ResultTable.fixed(ta.seconds(), 1), ResultTable.fixed(tb.seconds(), 1),
                ResultTable.ratio(ta.seconds(), tb.seconds()));
        t.row("test example-steps, early exit", ResultTable.count(rc.earlyExitSteps()), ResultTable.count(eos.earlyExitSteps()),
                ResultTable.ratio(rc.earlyExitSteps(), eos.earlyExitSteps()));
        t.row("test wall time, early exit (s)", ResultTable.fixed(rc.earlyExitSeconds(), 2), ResultTable.fixed(eos.earlyExitSeconds(), 2),
                ResultTable.ratio(rc.earlyExitSeconds(), eos.earlyExitSeconds()));
        t.print(out);
    }

    private void writeJson(Path file, ModelRun rc, ModelRun eos) throws IOException {
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("task", task());
        top.put("seed", seed);
        top.put("threshold", threshold);
        top.put("beta", beta);
        top.put("hidden", hidden);
        top.put("layers", layers);
        top.put("batch", batch);
        top.put("learning_rate", learningRate);
        top.put("lr_schedule", schedule.name());
        top.put("horizon", horizon);
        top.put("clip", clip);
        top.put("threads", rc.training().config().threads());
        top.put("sequence_length", sequenceLength());
        top.put("generator", generatorParameters());
        top.put("kernels", Kernels.best().name());
        top.put("train_example_steps_forward_ratio", ratio(rc.training().forwardExampleSteps(), eos.training().forwardExampleSteps()));
        top.put("train_example_steps_backward_ratio", ratio(rc.training().backwardExampleSteps(), eos.training().backwardExampleSteps()));
        Map<String, Object> rcJson = modelJson(rc);
        Map<String, Object> eosJson = modelJson(eos);
        addTaskJson(top, rcJson, rc);
        addTaskJson(top, eosJson, eos);
        top.put("rc", rcJson);
        top.put("eos", eosJson);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, Json.write(top) + "\n", StandardCharsets.UTF_8);
    }

    private static double ratio(double a, double b) {
        return b == 0 ? Double.NaN : a / b;
    }

    private Map<String, Object> modelJson(ModelRun run) {
        Evaluation e = run.test();
        TrainingResult t = run.training();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("loss_mode", run.mode().name());
        m.put("beta", run.beta());
        m.put("accuracy_first_spike", e.accuracyFirstSpike());
        m.put("accuracy_last_step", e.accuracyLastStep());
        m.put("mean_decision_step", e.meanDecisionStep());
        m.put("median_decision_step", e.medianDecisionStep());
        m.put("no_spike_fraction", e.noSpikeFraction());
        m.put("earliness", e.earliness());
        m.put("harmonic_mean", e.harmonicMean());
        m.put("train_example_steps_forward", t.forwardExampleSteps());
        m.put("train_example_steps_backward", t.backwardExampleSteps());
        m.put("train_sequences", t.sequences());
        m.put("train_batches", t.batches());
        m.put("train_seconds", t.seconds());
        m.put("test_sequences", e.examples());
        m.put("test_example_steps_early_exit", run.earlyExitSteps());
        m.put("test_seconds_early_exit", run.earlyExitSeconds());
        m.put("decision_histogram", histogram(e));
        List<Object> history = new ArrayList<>();
        for (ValidationPoint p : run.history()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("sequences", p.sequences());
            v.put("accuracy_first_spike", p.accuracyFirstSpike());
            v.put("accuracy_last_step", p.accuracyLastStep());
            v.put("mean_decision_step", p.meanDecisionStep());
            v.put("no_spike_fraction", p.noSpikeFraction());
            history.add(v);
        }
        m.put("validation", history);
        return m;
    }

    /** Counts of test examples decided at steps 1..T ({@code [i]} is step {@code i + 1}). */
    private long[] histogram(Evaluation e) {
        long[] h = e.decisionHistogram();
        long[] out = new long[sequenceLength()];
        for (int t = 1; t < h.length && t <= out.length; t++) {
            out[t - 1] = h[t];
        }
        return out;
    }

    private List<Path> writePlots(Path dir, ModelRun rc, ModelRun eos) throws IOException {
        String[] names = {"RC-trained", "EOS-trained"};
        Path histogram = dir.resolve(task() + "-decision-histogram.png");
        Plots.decisionHistogram(histogram, task() + ": decision steps on the test set (threshold " + threshold + ")", sequenceLength(),
                names, new long[][] {rc.test().decisionHistogram(), eos.test().decisionHistogram()});
        Path training = dir.resolve(task() + "-training.png");
        double[][] seqs = new double[2][];
        double[][] acc = new double[2][];
        double[][] step = new double[2][];
        List<ModelRun> runs = List.of(rc, eos);
        for (int i = 0; i < 2; i++) {
            List<ValidationPoint> h = runs.get(i).history();
            seqs[i] = h.stream().mapToDouble(ValidationPoint::sequences).toArray();
            acc[i] = h.stream().mapToDouble(ValidationPoint::accuracyFirstSpike).toArray();
            step[i] = h.stream().mapToDouble(ValidationPoint::meanDecisionStep).toArray();
        }
        Plots.training(training, task(), sequenceLength(), names, seqs, acc, step);
        List<Path> files = new ArrayList<>(List.of(histogram, training));
        files.addAll(writeTaskPlots(dir, rc, eos));
        return files;
    }
}
