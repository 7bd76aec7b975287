package org.rankcoding.examples.cli;

import me.tongfei.progressbar.ProgressBar;
import org.rankcoding.data.BatchSource;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.eval.Evaluation;
import org.rankcoding.examples.report.OutputPlan;
import org.rankcoding.examples.report.Plots;
import org.rankcoding.examples.run.TimedEvaluation;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.rc.InferencePass;
import org.rankcoding.rc.LossMode;
import org.rankcoding.train.Trainer;
import org.rankcoding.train.TrainerConfig;
import org.rankcoding.train.TrainingResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo shared by the toy tasks, as a {@link Task}: train an RC model and an EOS baseline with the same budget and
 * seed, validate both periodically on one fixed validation set, evaluate both on a fresh test set, and print a
 * table (and optionally write JSON and plots).
 *
 * <p>Data streams: the trainer draws training batches from its own stream of {@code --seed}; the
 * validation and test sets come from two further streams of the same seed, so they never overlap with
 * training data or with each other, and both models see exactly the same validation and test sequences.
 */
public abstract class ToyTaskCommand implements Task {

    /** Mixed into the seed for the validation set's generator. */
    static final long VALIDATION_STREAM = 0x5851F42D4C957F2DL;
    /** Mixed into the seed for the test set's generator. */
    static final long TEST_STREAM = 0x2545F4914F6CDD1DL;
    /** Rows per evaluation batch. */
    private static final int EVAL_BATCH = 500;

    private static final Logger LOG = LoggerFactory.getLogger("org.rankcoding.examples");

    @Mixin
    TrainingOptions options;

    @Range(min = 1, max = 65536)
    @Option(names = "--batch", defaultValue = "128", paramLabel = "N", description = "Sequences per training batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Range(min = 0, max = 1, above = true, note = "Adam moves each weight by up to about RATE per step")
    @Option(names = "--lr", defaultValue = "3e-4", paramLabel = "RATE", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Range(min = 1, max = 1e9)
    @Option(names = "--test-sequences", defaultValue = "50000", paramLabel = "N",
            description = "Size of the fresh test set (default: ${DEFAULT-VALUE}; the standard error of an accuracy near 0.95 "
                    + "is then about 0.001).")
    long testSequences;

    @Range(min = 0, max = 1e7, note = "0 for no validation")
    @Option(names = "--validation-sequences", defaultValue = "2000", paramLabel = "N",
            description = "Size of the fixed validation set, 0 for none (default: ${DEFAULT-VALUE}).")
    int validationSequences;

    @Range(min = 1, max = 1e15)
    @Option(names = "--validate-every", paramLabel = "N",
            description = "Validate every N training sequences (default: a tenth of the training budget).")
    Long validateEvery;

    @Mixin
    ReportOptions report;

    /** The task's name, as in the subcommand and the output file names. */
    protected abstract String task();

    @Override
    public String name() {
        return task();
    }

    @Override
    public ReportOptions report() {
        return report;
    }

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

    /** The Bayes-optimal frontier of this task's generator, or {@code null} when none is known. */
    protected org.rankcoding.examples.toy.BayesFrontier frontier() {
        return null;
    }

    /** Registers {@code --checkpoint-dir} with its subdirectories {@code rc} and {@code eos}. */
    @Override
    public void registerOutputs(OutputPlan plan) {
        plan.checkpoints("--checkpoint-dir", options.checkpointDir, List.of("rc", "eos"));
    }

    /**
     * Checks the options and generates the validation and test sets, each from its own stream of {@code --seed}; the
     * trainer draws its training batches from a third.
     */
    @Override
    public Experiment prepare(PrintWriter out) {
        BatchSource source = createSource();
        NetworkConfig network = new NetworkConfig(source.inputSize(), options.hidden, options.layers, HeadType.BINARY_SIGMOID,
                source.numClasses());
        long every = validateEvery != null ? validateEvery : Math.max(1, trainSequences() / 10);
        TrainerConfig base = options.configBuilder().learningRate(learningRate).batchSize(batch).trainSequences(trainSequences())
                .validateEverySequences(every).timingWindow(timingWindow()).beta(options.beta).build();
        options.checkCheckpointOptions();
        List<SequenceBatch> validation = generate(source, validationSequences, new SplittableRandom(options.seed ^ VALIDATION_STREAM));
        List<SequenceBatch> test = generate(source, testSequences(), new SplittableRandom(options.seed ^ TEST_STREAM));
        return new Experiment(task(), sequenceLength(), network, base, this::createSource, validation, test, frontier(),
                Experiment.numberedClasses("class", network.numClasses()), generatorParameters(), options, batch, learningRate);
    }

    @Override
    public void runOnce(Experiment experiment, PrintWriter out) throws IOException, TrainingOptions.CheckpointFailure {
        TrainerConfig base = experiment.base();
        StringBuilder generator = new StringBuilder();
        generatorParameters().forEach((k, v) -> generator.append(generator.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
        out.printf(Locale.ROOT, "%s (%s): RC-trained vs EOS-trained LSTM, hidden %d, %d layer%s, threshold %s, RC beta %s, seed %d%n",
                task(), generator, options.hidden, options.layers, options.layers == 1 ? "" : "s", options.ruleText(), options.beta,
                options.seed);
        out.printf(Locale.ROOT, "training %,d sequences per model (batch %d, lr %s %s, %d thread%s, %s kernels), validating on %,d, "
                        + "testing on %,d fresh sequences%n",
                trainSequences(), batch, learningRate, options.schedule.name().toLowerCase(Locale.ROOT), base.threads(),
                base.threads() == 1 ? "" : "s", Kernels.best().name(),
                validationSequences, testSequences());
        out.flush();

        boolean bars = report.progressBars();
        BatchSource source = experiment.sources().get();
        ModelRun rc = train("RC", LossMode.RANK_CODING, options.beta, experiment, source, bars, TrainingOptions.Resume.REQUIRED, out);
        ModelRun eos = train("EOS", LossMode.END_OF_SEQUENCE, 0.0, experiment, source, bars, TrainingOptions.Resume.IF_PRESENT, out);
        List<ModelRun> runs = test(experiment.test(), List.of(rc, eos), base.threads(), bars);
        rc = runs.get(0);
        eos = runs.get(1);

        out.println();
        printTable(out, rc, eos);
        out.flush();
        if (report.json != null) {
            writeJson(report.json, rc, eos);
            out.println("wrote " + report.json);
        }
        if (!report.noPlots) {
            List<Path> files = writePlots(report.plotsDir(), rc, eos);
            out.println("wrote " + String.join(", ", files.stream().map(Path::toString).toList()));
        }
        out.flush();
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

    /** What identifies a run of this task besides the trainer's configuration, for its checkpoints. */
    private Map<String, String> runInfo() {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("task", task());
        generatorParameters().forEach((k, v) -> info.put("generator." + k, String.valueOf(v)));
        info.put("validation_sequences", Integer.toString(validationSequences));
        return info;
    }

    private ModelRun train(String name, LossMode mode, double modelBeta, Experiment experiment, BatchSource source, boolean bars,
                           TrainingOptions.Resume resume, PrintWriter out) throws TrainingOptions.CheckpointFailure {
        TrainerConfig config = experiment.base().toBuilder().lossMode(mode).beta(modelBeta).build();
        TrainingResult result;
        List<ValidationPoint> history;
        try (TrainingConsole console = new TrainingConsole(task() + " " + name, config.trainSequences(), bars)) {
            result = options.train(new Trainer(config), experiment.network(), source, experiment.validation(), console,
                    name.toLowerCase(Locale.ROOT), runInfo(), resume, out);
            history = console.history();
        }
        LOG.info(String.format(Locale.ROOT, "%s %s trained on %,d sequences in %.1f s (example-steps forward %,d, backward %,d)",
                task(), name, result.sequences(), result.seconds(), result.forwardExampleSteps(), result.backwardExampleSteps()));
        return new ModelRun(name, mode, modelBeta, result, history, null, 0, 0);
    }

    /**
     * Evaluates every model on the same fresh test set, plus a timed early-exit inference over it. The models
     * are evaluated concurrently (at most {@code --threads} at a time), each on its share of the {@code --threads}
     * threads (at least one; the results do not depend on it); the test batches are shared (batches are immutable).
     */
    private List<ModelRun> test(List<SequenceBatch> batches, List<ModelRun> runs, int threads, boolean bars) {
        int concurrent = Math.max(1, Math.min(threads, runs.size()));
        int perModel = Math.max(1, threads / concurrent);
        AtomicLong done = new AtomicLong();
        ProgressBar bar = bars ? StderrBarConsumer.bar(task() + " test", testSequences() * runs.size(),
                new StderrBarConsumer(System.err, StderrBarConsumer.terminalWidth())) : null;
        List<Callable<ModelRun>> tasks = new ArrayList<>();
        for (ModelRun run : runs) {
            tasks.add(() -> run.tested(TimedEvaluation.of(run.training().network(), batches, options.decisionRule(), timingWindow(),
                    perModel, rows -> {
                        long now = done.addAndGet(rows);
                        if (bar != null) {
                            bar.stepTo(now);
                        }
                    })));
        }
        List<ModelRun> tested;
        try {
            tested = ParallelTasks.run(tasks, concurrent, "rankcoding-test");
        } finally {
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
        t.evaluationRows(sequenceLength(), a, b);
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
        Map<String, Object> top = ResultJson.header(task(), options, batch, learningRate, rc.training().config().threads(),
                sequenceLength(), generatorParameters());
        top.put("train_example_steps_forward_ratio",
                ResultJson.ratio(rc.training().forwardExampleSteps(), eos.training().forwardExampleSteps()));
        top.put("train_example_steps_backward_ratio",
                ResultJson.ratio(rc.training().backwardExampleSteps(), eos.training().backwardExampleSteps()));
        Map<String, Object> rcJson = ResultJson.model(rc, sequenceLength());
        Map<String, Object> eosJson = ResultJson.model(eos, sequenceLength());
        addTaskJson(top, rcJson, rc);
        addTaskJson(top, eosJson, eos);
        top.put("rc", rcJson);
        top.put("eos", eosJson);
        ResultJson.write(file, top);
    }

    private List<Path> writePlots(Path dir, ModelRun rc, ModelRun eos) throws IOException {
        String[] names = {"RC-trained", "EOS-trained"};
        Path histogram = dir.resolve(task() + "-decision-histogram.png");
        Plots.decisionHistogram(histogram, task() + ": decision steps on the test set (threshold " + options.threshold + ")", sequenceLength(),
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
