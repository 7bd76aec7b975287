package org.rankcoding.examples.cli;

import me.tongfei.progressbar.ProgressBar;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.eval.Evaluation;
import org.rankcoding.eval.ThresholdSweep;
import org.rankcoding.io.ModelFiles;
import org.rankcoding.io.SaveOptions;
import org.rankcoding.examples.mnist.MnistDataset;
import org.rankcoding.examples.mnist.MnistDigits;
import org.rankcoding.datasets.latency.BatchForm;
import org.rankcoding.examples.report.FallbackWriter;
import org.rankcoding.examples.report.OutputPlan;
import org.rankcoding.examples.report.Plots;
import org.rankcoding.examples.run.TimedEvaluation;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.ConvFrontEndConfig;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.InferencePass;
import org.rankcoding.rc.LossMode;
import org.rankcoding.rc.RowOutcomes;
import org.rankcoding.rc.SpikeTimes;
import org.rankcoding.train.Trainer;
import org.rankcoding.train.TrainerConfig;
import org.rankcoding.train.TrainingResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Temporal MNIST (the third experiment of Jeffares et al., ICLR 2022): each 28 x 28 digit becomes
 * {@code --bins} binary steps of 784 inputs by latency coding (brightest pixels first, background last; see
 * {@link MnistDigits}), and one LSTM is trained with rank coding on the training digits for a number of epochs,
 * validated after every epoch on digits held out of the training set (by default the last 2,000 of the 60,000, which
 * are then not trained on), and evaluated on the 10,000 test digits with early exit. The test digits are used for the
 * final test only: nothing (validation, early stopping, a choice of epochs or threshold) is decided on them. It
 * reports accuracy at the first spike, the decision steps (mean, fraction at step 1, accuracy of the decisions made at
 * each step), the example-steps computed in training against what end-of-sequence training computes, epoch times and
 * the model size, and writes JSON and plots.
 *
 * <p>The data come from the four MNIST files ({@code scripts/fetch-mnist DIR} fetches them). Digits are encoded batch by
 * batch ({@link MnistDigits}), never held as dense sequences: validation and test batches are built when the
 * evaluator asks for them.
 */
@Command(name = "temporal-mnist", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Temporal MNIST: latency-coded digits, 20 steps brightest-first, classified at the first spike.",
                "Trains one LSTM with rank coding (or --eos) on the MNIST training digits, validates after every epoch on "
                        + "training digits held out (not trained on) and evaluates on the test digits with early exit.",
                "Needs the four MNIST files in --data; fetch them with: scripts/fetch-mnist DIR"})
public final class TemporalMnistCommand implements Task {

    /** The subcommand's name, also the prefix of its plot files. */
    public static final String TASK = "temporal-mnist";
    /** Rows per evaluation batch (a batch of 250 latency-coded MNIST digits is 31 MB of doubles). */
    static final int EVAL_BATCH = 250;

    private static final Logger LOG = LoggerFactory.getLogger("org.rankcoding.examples");

    @Option(names = "--data", defaultValue = "data/mnist", paramLabel = "DIR",
            description = "Directory holding the four MNIST IDX files, raw or .gz (default: ${DEFAULT-VALUE}); "
                    + "fetch them with scripts/fetch-mnist DIR.")
    Path data;

    @Option(names = "--dataset", defaultValue = AUTO, paramLabel = "NAME",
            description = "What --data holds, for the titles, class names and JSON: mnist, fashion-mnist, or auto (the default): "
                    + "recognised by the SHA-256 of its test labels, and called unrecognised MNIST-format images when they are "
                    + "neither's. A name that contradicts the recognised data set is refused.")
    String dataset;

    @Range(min = 1, max = 255)
    @Option(names = "--bins", defaultValue = "20", paramLabel = "N",
            description = "Time steps of the latency code: intensities are cut into N equal bins, brightest first (default: ${DEFAULT-VALUE}).")
    int bins;

    @Range(min = 1, max = 100000)
    @Option(names = "--epochs", defaultValue = "30", paramLabel = "N",
            description = "Training epochs over the training digits (default: ${DEFAULT-VALUE}, the reference configuration).")
    int epochs;

    @Range(min = 1, max = 1e8)
    @Option(names = "--train-limit", paramLabel = "N",
            description = "Train on the first N training digits only, for smoke runs; N counts the digits trained on, the "
                    + "digits held out for validation (--validation-limit) are never among them (default: every training digit "
                    + "not held out, 58,000 of MNIST's 60,000 with the default --validation-limit).")
    Integer trainLimit;

    @Range(min = 1, max = 1e8)
    @Option(names = "--test-limit", paramLabel = "N",
            description = "Test on the first N test digits only, for smoke runs (default: all 10,000).")
    Integer testLimit;

    @Range(min = 0, max = 1e8, note = "0 for no validation")
    @Option(names = "--validation-limit", defaultValue = "2000", paramLabel = "N",
            description = "Hold out the last N digits of the training set (they are never trained on) and validate on them after "
                    + "every epoch; the test digits are never used for validation. 0 for no validation: train on every training "
                    + "digit (default: ${DEFAULT-VALUE}).")
    int validationLimit;

    @Option(names = "--head", defaultValue = "PER_CLASS_SIGMOID", paramLabel = "HEAD",
            description = "Output head: PER_CLASS_SIGMOID (one sigmoid per class, the reference MNIST head) or SOFTMAX "
                    + "(default: ${DEFAULT-VALUE}).")
    HeadType head;

    @Range(min = 1, max = 65536)
    @Option(names = "--batch", defaultValue = "256", paramLabel = "N", description = "Digits per training batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Range(min = 0, max = 1, above = true, note = "Adam moves each weight by up to about RATE per step")
    @Option(names = "--lr", defaultValue = "1e-3", paramLabel = "RATE", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Mixin
    TrainingOptions options;

    @Option(names = "--eos",
            description = "Train the end-of-sequence baseline instead: loss at the last step, every digit run to the end "
                    + "(it is still evaluated with early exit at the first spike).")
    boolean eos;

    @Option(names = "--dense-input",
            description = "Feed each step as a dense 784-wide vector instead of the default sparse events (the indices of the "
                    + "pixels that fire); same results up to rounding, slower. For measuring what the event-driven input saves.")
    boolean denseInput;

    @Option(names = "--spike-coding", defaultValue = "pulse", paramLabel = "CODING",
            description = "pulse (the paper's code: each pixel is active at its spike step only) or held (each pixel stays "
                    + "active from its spike step on, so step t shows every pixel fired by t: the same information, integrated "
                    + "for the first layer) (default: pulse).")
    String spikeCoding;

    @Range(min = 0, max = 1024, note = "0 for no front end")
    @Option(names = "--conv-channels", defaultValue = "0", paramLabel = "C",
            description = "Put a learned convolutional front end before the first LSTM layer: C filters over each step's "
                    + "28 x 28 event image, max-pooled and rectified (default: ${DEFAULT-VALUE}, none: the LSTM reads the pixels).")
    int convChannels;

    @Range(min = 0, max = 1024, note = "0 for no second stage")
    @Option(names = "--conv-channels2", defaultValue = "0", paramLabel = "D",
            description = "A second convolutional stage of D filters (over the first stage's C channels, same kernel and pooling) "
                    + "(default: ${DEFAULT-VALUE}, none).")
    int convChannels2;

    @Range(min = 1, max = MnistDigits.SIDE)
    @Option(names = "--conv-kernel", defaultValue = "5", paramLabel = "K",
            description = "Filter side of the front end, odd (default: ${DEFAULT-VALUE}).")
    int convKernel;

    @Range(min = 1, max = MnistDigits.SIDE)
    @Option(names = "--conv-pool", defaultValue = "2", paramLabel = "P",
            description = "Max-pooling window side of the front end (default: ${DEFAULT-VALUE}: 28 x 28 becomes 14 x 14 per filter).")
    int convPool;

    @Option(names = "--conv-integrate",
            description = "Make the front end integrating: at each step it convolves the running sum of the events so far (for "
                    + "this code, every pixel fired by then) instead of the step's events alone; the input stays the pulse code.")
    boolean convIntegrate;

    @Range(min = 0, max = MnistDigits.SIDE / 2, note = "a larger shift moves the digit's centre off the 28 x 28 image")
    @Option(names = "--shift", defaultValue = "0", paramLabel = "PIXELS",
            description = "Augment training digits with a random shift of up to PIXELS along each axis, drawn afresh each time a "
                    + "digit is served (default: ${DEFAULT-VALUE}, none); test digits are never distorted.")
    int shift;

    @Range(min = 0, max = 100, note = "0 for none; 34 is the classic setting")
    @Option(names = "--elastic-alpha", defaultValue = "0", paramLabel = "PIXELS",
            description = "Augment training digits with an elastic distortion (Simard et al. 2003) of this scale "
                    + "(default: ${DEFAULT-VALUE}, none; 34 with --elastic-sigma 4 is the classic setting).")
    double elasticAlpha;

    @Range(min = 0, max = MnistDigits.SIDE, above = true)
    @Option(names = "--elastic-sigma", defaultValue = "4", paramLabel = "PIXELS",
            description = "Smoothing of the elastic displacement field (default: ${DEFAULT-VALUE}).")
    double elasticSigma;

    @Range(min = 0.5, max = 1, above = true, below = true)
    @Option(names = "--eval-thresholds", split = ",", paramLabel = "T,...",
            description = "Also evaluate the trained model on the test digits at these thresholds, in one pass (default: none); "
                    + "printed and written to the JSON as threshold_curve.")
    double[] evalThresholds;

    @Option(names = "--goal", paramLabel = "GOAL",
            description = "Choose the read-out threshold among --eval-thresholds on the held-out validation digits for GOAL: "
                    + GoalOption.VALUES + "; the test digits are then read out at the chosen threshold (default: none, "
                    + "the training threshold).")
    String goal;

    @Option(names = "--save-model", paramLabel = "FILE",
            description = "Write the trained model to FILE (safetensors, with its threshold; see docs/models.md).")
    Path saveModel;

    @Range(min = 0, max = 1e8)
    @Option(names = "--plot-digit", defaultValue = "0", paramLabel = "I",
            description = "Test digit whose latency code is drawn (default: ${DEFAULT-VALUE}).")
    int plotDigit;

    @Mixin
    ReportOptions report;

    private final MnistDigits.Loader loader;

    /** The command as the CLI runs it, loading the four MNIST files with MNIST's sizes checked. */
    public TemporalMnistCommand() {
        this(MnistDigits.MNIST_FILES);
    }

    /** A command loading its data with {@code loader} (tests use small made-up IDX files). */
    TemporalMnistCommand(MnistDigits.Loader loader) {
        this.loader = loader;
    }

    /** The value of {@code --dataset} that recognises the data set from its files. */
    static final String AUTO = "auto";

    /** The data set {@link #prepare} found in {@code --data}, or null when it is not recognised. */
    private MnistDataset named;

    /** The training, validation and test digits {@link #prepare} loaded, for {@link #runOnce}. */
    private MnistDigits.Splits loaded;

    @Override
    public String name() {
        return TASK;
    }

    @Override
    public ReportOptions report() {
        return report;
    }

    /** Checks the options, loads and latency-codes the digits, and describes the run on {@code out}. */
    @Override
    public Experiment prepare(PrintWriter out) throws DataUnavailable {
        MnistDigits.Coding coding = new MnistDigits.Coding(bins, denseInput ? BatchForm.DENSE : BatchForm.SPARSE,
                spikeCoding, shift, elasticAlpha, elasticSigma);
        // the ranges of the numeric options are checked before (OptionBounds); here what depends on several options
        if (head == HeadType.BINARY_SIGMOID) {
            throw new IllegalArgumentException("--head BINARY_SIGMOID has one output for two classes; MNIST has "
                    + MnistDigits.CLASSES + ": use PER_CLASS_SIGMOID or SOFTMAX");
        }
        new NetworkConfig(1, options.hidden, options.layers, head, MnistDigits.CLASSES); // validates --hidden and --layers
        frontEnd(MnistDigits.SIDE, MnistDigits.SIDE); // validates the --conv-* options
        EvalThresholds.check(evalThresholds);
        if (goal != null) {
            GoalOption.parse("--goal", goal);
            if (evalThresholds == null) {
                throw new IllegalArgumentException("--goal chooses among the thresholds of --eval-thresholds; give them too "
                        + "(e.g. --eval-thresholds 0.6,0.7,0.8,0.9,0.95,0.99)");
            }
            if (validationLimit == 0) {
                throw new IllegalArgumentException("--goal chooses on the held-out validation digits, but --validation-limit "
                        + "is 0; hold some out (the default holds out 2,000)");
            }
        }
        TrainerConfig.Builder builder = options.configBuilder().learningRate(learningRate).batchSize(batch)
                .lossMode(eos ? LossMode.END_OF_SEQUENCE : LossMode.RANK_CODING).beta(eos ? 0.0 : options.beta);
        builder.build(); // validates the remaining options
        options.checkCheckpointOptions();

        MnistDigits.Splits d;
        try {
            named = dataset(MnistDataset.recognise(data).orElse(null));
            d = MnistDigits.load(loader, data, trainLimit, validationLimit, testLimit, coding);
        } catch (IOException e) {
            String why = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : e.getMessage();
            throw new DataUnavailable("cannot load MNIST: " + why, e);
        }
        if (plotDigit >= d.test().size()) {
            throw new IllegalArgumentException("--plot-digit = " + plotDigit + ", but there are only " + d.test().size() + " test digits");
        }
        long epochSize = d.train().size();
        TrainerConfig config = builder.trainSequences(epochSize * epochs).validateEverySequences(epochSize).build();
        loaded = d;
        NetworkConfig network = new NetworkConfig(d.train().inputSize(), options.hidden, options.layers, head, MnistDigits.CLASSES,
                frontEnd(d.test().rows(), d.test().cols()));
        describe(out, network, config);
        List<SequenceBatch> validation = d.validation().map(v -> v.batches(v.size(), EVAL_BATCH)).orElse(List.of());
        MnistDigits train = d.train();
        return new Experiment(TASK, bins, network, config, train::source, validation, d.test().batches(d.test().size(), EVAL_BATCH),
                null, named != null ? named.classes() : Experiment.numberedClasses("class", MnistDigits.CLASSES), dataParameters(d), options, batch,
                learningRate);
    }

    /**
     * The data set of the run: {@code recognised} (null if the files are not recognised) with {@code --dataset auto},
     * else the one named.
     *
     * @throws IllegalArgumentException naming {@code --dataset} for an unknown name, or a name other than the data set
     *                                  recognised in {@code --data}
     */
    private MnistDataset dataset(MnistDataset recognised) {
        if (dataset.equalsIgnoreCase(AUTO)) {
            return recognised;
        }
        MnistDataset given;
        try {
            given = MnistDataset.named(dataset);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--dataset = " + dataset + ": " + e.getMessage().replace("expected", "expected auto,"), e);
        }
        if (recognised != null && recognised != given) {
            throw new IllegalArgumentException("--dataset = " + dataset + ", but " + data + " holds " + recognised.title()
                    + " (recognised by its test labels); give --dataset " + recognised.option() + " or auto");
        }
        return given;
    }

    /** What the data set is called for people: its title, or a description of an unrecognised one. */
    private String datasetTitle() {
        return named != null ? named.title() : "MNIST-format images (not recognised as MNIST or Fashion-MNIST)";
    }

    /** What the examples are called: {@code digits}, {@code images}. */
    private String items() {
        return named != null ? named.items() : "images";
    }

    /** A sweep trains RC models and an EOS model itself: {@code --eos} has no place in it. */
    @Override
    public void checkSweepable() {
        if (eos) {
            throw new IllegalArgumentException("a sweep trains RC models and an EOS model itself; drop --eos");
        }
    }

    /** The lines that say what is trained on what. */
    private void describe(PrintWriter out, NetworkConfig network, TrainerConfig config) {
        MnistDigits.Splits d = loaded;
        MnistDigits ti = d.test();
        String model = eos ? "EOS" : "RC";
        out.printf(Locale.ROOT, "%s: %s-trained LSTM on latency-coded %s (%d x %d pixels, %d steps), hidden %d, %d layer%s, head %s, "
                        + "threshold %s, beta %s, seed %d%n", TASK, model, datasetTitle(), ti.rows(), ti.cols(), bins, options.hidden, options.layers,
                options.layers == 1 ? "" : "s", head.name().toLowerCase(Locale.ROOT), options.ruleText(), config.beta(), options.seed);
        String validating = d.validationSize() == 0 ? "no validation"
                : String.format(Locale.ROOT, "validating after each epoch on %,d training %s held out", d.validationSize(), items());
        out.printf(Locale.ROOT, "training on %,d %s x %d epoch%s (batch %d, lr %s %s, %d thread%s, %s kernels, %s input), %s, "
                        + "testing on %,d%n",
                d.train().size(), items(), epochs, epochs == 1 ? "" : "s", batch, learningRate, options.schedule.name().toLowerCase(Locale.ROOT),
                config.threads(), config.threads() == 1 ? "" : "s", Kernels.best().name(), (denseInput ? "dense" : "sparse event") + ", " + ti.spikeCoding() + "-coded",
                validating, d.test().size());
        if (d.train().distortion() != null) {
            out.println("augmenting training digits: " + d.train().distortion());
        }
        if (!network.frontEnd().isNone()) {
            ConvFrontEndConfig f = network.frontEnd();
            out.printf(Locale.ROOT, "%sconvolutional front end: %d filters of %d x %d, max-pool %d x %d, ReLU%s: %,d features per step%n",
                    f.integrate() ? "integrating (each step convolves the events so far) " : "", f.channels(), f.kernel(), f.kernel(), f.pool(), f.pool(),
                    f.channels2() == 0 ? "" : String.format(Locale.ROOT, "; then %d filters of %d x %d x %d, max-pool, ReLU", f.channels2(),
                            f.channels(), f.kernel(), f.kernel()), f.outputSize());
        }
        if (config.warmupSequencesPerStep() > 0) {
            out.printf(Locale.ROOT, "length curriculum: training digits cut after 1 + s / %,d steps (s = digits trained so far)%n",
                    config.warmupSequencesPerStep());
        }
        out.flush();
    }

    /** Registers {@code --save-model} and {@code --checkpoint-dir} with the subdirectory of the model trained. */
    @Override
    public void registerOutputs(OutputPlan plan) {
        plan.file("--save-model", saveModel);
        plan.checkpoints("--checkpoint-dir", options.checkpointDir, List.of(eos ? "eos" : "rc"));
    }

    /** Trains the one model (RC, or EOS with {@code --eos}), tests it with early exit and reports. */
    @Override
    public void runOnce(Experiment experiment, PrintWriter out) throws IOException, TrainingOptions.CheckpointFailure {
        MnistDigits.Splits d = loaded;
        TrainerConfig config = experiment.base();
        String model = eos ? "EOS" : "RC";
        boolean bars = report.progressBars();
        TrainingResult result;
        List<EpochPoint> epochHistory;
        List<ValidationPoint> validations;
        long wallStart = System.nanoTime();
        try (EpochConsole console = new EpochConsole(TASK + " " + model, d.train().size(), epochs, d.validationSize() > 0, bars)) {
            result = options.train(new Trainer(config), experiment.network(), experiment.sources().get(), experiment.validation(), console,
                    model.toLowerCase(Locale.ROOT), runInfo(d), TrainingOptions.Resume.REQUIRED, out);
            epochHistory = console.epochs();
            validations = console.validations();
        }
        double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
        LOG.info(String.format(Locale.ROOT, "%s %s trained on %,d digits in %.1f s (compute %.1f s; example-steps forward %,d, backward %,d)",
                TASK, model, result.sequences(), wallSeconds, result.seconds(), result.forwardExampleSteps(), result.backwardExampleSteps()));

        ModelRun run = test(model, config, result, validations, experiment.test(), bars);
        List<Evaluation> curve = evalThresholds == null ? List.of()
                : ThresholdSweep.sweep(result.network(), experiment.test(), config.decisionRule(), evalThresholds, 1.0,
                config.threads());
        Optional<ChosenThreshold> chosen = goal == null ? Optional.empty()
                : Optional.of(ChosenThreshold.choose(result.network(), experiment.validation(), config, evalThresholds,
                GoalOption.parse("--goal", goal), curve));
        Run r = new Run(run, epochHistory, wallSeconds, result.network().parameters().count(),
                result.network().config().frontEnd().toString(), curve, chosen);
        FallbackWriter.Written saved = null;
        if (saveModel != null) {
            RankCodingNetwork network = result.network();
            SaveOptions metadata = SaveOptions.DEFAULT.withMetadata(Map.of("task", TASK, "bins", Integer.toString(bins),
                    "spike_coding", d.test().spikeCoding()));
            saved = FallbackWriter.write(saveModel, file -> ModelFiles.save(network, config.decisionRule(), file, metadata));
            out.println("wrote " + saved.file());
        }

        out.println();
        printTables(out, r);
        out.flush();
        if (report.json != null) {
            writeJson(report.json, r, d);
            out.println("wrote " + report.json);
        }
        if (!report.noPlots) {
            List<Path> files = writePlots(report.plotsDir(), r, d);
            out.println("wrote " + String.join(", ", files.stream().map(Path::toString).toList()));
        }
        out.flush();
        if (saved != null) {
            saved.requireRequested("--save-model", "the trained model");
        }
    }

    /** The trained model with what the reports need beyond {@link ModelRun}. */
    private record Run(ModelRun model, List<EpochPoint> epochs, double wallSeconds, long parameters, String frontEnd,
                       List<Evaluation> curve, Optional<ChosenThreshold> chosen) {

        Evaluation test() {
            return model.test();
        }

        TrainingResult training() {
            return model.training();
        }

        double meanEpochSeconds() {
            return epochs.stream().mapToDouble(EpochPoint::seconds).average().orElse(Double.NaN);
        }
    }

    /** What identifies a run besides the trainer's configuration (which holds the epochs, as its budget), for checkpoints. */
    private Map<String, String> runInfo(MnistDigits.Splits d) {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("task", TASK);
        info.put("bins", Integer.toString(bins));
        info.put("train_digits", Integer.toString(d.train().size()));
        info.put("validation_digits", Integer.toString(d.validationSize()));
        info.put("validation_source", validationSource(d));
        info.put("input", denseInput ? "dense" : "sparse");
        String aug = d.train().distortion();
        info.put("augmentation", aug == null ? "none" : aug);
        return info;
    }

    /**
     * The front end the {@code --conv-*} options describe for images of {@code rows x cols}, or NONE.
     *
     * @throws IllegalArgumentException naming the option for a bad value
     */
    private ConvFrontEndConfig frontEnd(int rows, int cols) {
        if (convChannels < 0) {
            throw new IllegalArgumentException("--conv-channels = " + convChannels + ", expected >= 0 (0 for no front end)");
        }
        if (convChannels == 0) {
            if (convChannels2 != 0) {
                throw new IllegalArgumentException("--conv-channels2 = " + convChannels2 + " needs a first stage: set --conv-channels");
            }
            if (convIntegrate) {
                throw new IllegalArgumentException("--conv-integrate needs a front end: set --conv-channels");
            }
            return ConvFrontEndConfig.NONE;
        }
        try {
            return ConvFrontEndConfig.conv(convChannels, convKernel, convPool, rows, cols).withSecondStage(convChannels2)
                    .withIntegration(convIntegrate);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--conv-channels/--conv-channels2/--conv-kernel/--conv-pool: " + e.getMessage(), e);
        }
    }

    /**
     * Evaluates the model on the test digits (every digit to its end, on the configuration's threads) and times an
     * early-exit inference over them.
     */
    private ModelRun test(String name, TrainerConfig config, TrainingResult result, List<ValidationPoint> history,
                          List<SequenceBatch> test, boolean bars) {
        ProgressBar bar = bars ? StderrBarConsumer.bar(TASK + " test", loaded.test().size(),
                new StderrBarConsumer(System.err, StderrBarConsumer.terminalWidth())) : null;
        long[] done = new long[1];
        TimedEvaluation t;
        try {
            t = TimedEvaluation.of(result.network(), test, options.decisionRule(), 1.0, config.threads(), rows -> {
                done[0] += rows;
                if (bar != null) {
                    bar.stepTo(done[0]);
                }
            });
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
        LOG.debug("{} {} test: {}", TASK, name, t.evaluation());
        return new ModelRun(name, config.lossMode(), config.beta(), result, history, null, 0, 0).tested(t);
    }

    private void printTables(PrintWriter out, Run r) {
        Evaluation e = r.test();
        TrainingResult t = r.training();
        long eosSteps = t.sequences() * bins;
        String name = r.model().name() + "-trained";
        ResultTable table = new ResultTable("test set: " + ResultTable.count(e.examples()) + " " + items(), name, "ratio to EOS");
        table.evaluationRows(bins, e, null);
        table.row("fraction decided at step 1", ResultTable.fixed(e.fractionDecidedAtFirstStep(), 4));
        table.row("training digits x epochs", ResultTable.count(t.sequences() / epochs) + " x " + epochs);
        table.row("training example-steps forward", ResultTable.count(t.forwardExampleSteps()), ResultTable.ratio(t.forwardExampleSteps(), eosSteps));
        table.row("training example-steps backward", ResultTable.count(t.backwardExampleSteps()),
                ResultTable.ratio(t.backwardExampleSteps(), eosSteps));
        table.row("EOS-equivalent example-steps (digits x " + bins + ")", ResultTable.count(eosSteps));
        table.row("mean epoch time (s)", ResultTable.fixed(r.meanEpochSeconds(), 1));
        table.row("training time, total wall (s)", ResultTable.fixed(r.wallSeconds(), 1));
        table.row("training time, gradients and updates (s)", ResultTable.fixed(t.seconds(), 1));
        table.row("model parameters", ResultTable.count(r.parameters()));
        table.row("test example-steps, early exit", ResultTable.count(r.model().earlyExitSteps()),
                ResultTable.ratio(r.model().earlyExitSteps(), e.fullExampleSteps()));
        table.row("test wall time, early exit (s)", ResultTable.fixed(r.model().earlyExitSeconds(), 2));
        table.print(out);

        if (!r.curve().isEmpty()) {
            out.println();
            ResultTable curve = new ResultTable("the same model at other thresholds", "threshold", "accuracy at first spike",
                    "mean decision step", "decided at step 1");
            for (int k = 0; k < r.curve().size(); k++) {
                Evaluation c = r.curve().get(k);
                curve.row("", ResultTable.fixed(evalThresholds[k], 4), ResultTable.fixed(c.accuracyFirstSpike(), 4),
                        ResultTable.fixed(c.meanDecisionStep(), 2), ResultTable.fixed(c.fractionDecidedAtFirstStep(), 4));
            }
            curve.print(out);
        }
        r.chosen().ifPresent(c -> c.print(out, loaded.validationSize()));

        out.println();
        out.println("decisions by step on the test set (steps at which no digit was decided are left out):");
        ResultTable steps = new ResultTable("decision step", "digits decided", "fraction", "accuracy");
        long[] decided = e.decisionHistogram();
        long[] correct = e.correctHistogram();
        for (int s = 1; s < decided.length; s++) {
            if (decided[s] > 0) {
                steps.row(Integer.toString(s), ResultTable.count(decided[s]), ResultTable.fixed((double) decided[s] / e.examples(), 4),
                        ResultTable.fixed((double) correct[s] / decided[s], 4));
            }
        }
        steps.print(out);
    }

    /**
     * Where the validation digits come from, for the JSON and checkpoints: {@code none}, or the held-out end of the
     * training set (never the test set).
     */
    private static String validationSource(MnistDigits.Splits d) {
        return d.validationSize() == 0 ? "none" : "training digits held out (the last " + d.validationSize() + " of the training set)";
    }

    private Map<String, Object> dataParameters(MnistDigits.Splits d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", named != null ? named.option() : "unrecognised");
        m.put("data_dir", data.toString());
        m.put("bins", bins);
        m.put("input", denseInput ? "dense" : "sparse");
        m.put("image_rows", d.test().rows());
        m.put("image_cols", d.test().cols());
        m.put("train_digits", d.train().size());
        m.put("test_digits", d.test().size());
        m.put("validation_digits", d.validationSize());
        m.put("validation_source", validationSource(d));
        return m;
    }

    private void writeJson(Path file, Run r, MnistDigits.Splits d) throws IOException {
        TrainingResult t = r.training();
        Evaluation e = r.test();
        long eosSteps = t.sequences() * bins;
        Map<String, Object> top = ResultJson.header(TASK, options, batch, learningRate, t.config().threads(), bins,
                dataParameters(d));
        top.put("train_example_steps_forward_ratio", ResultJson.ratio(t.forwardExampleSteps(), eosSteps));
        top.put("train_example_steps_backward_ratio", ResultJson.ratio(t.backwardExampleSteps(), eosSteps));
        top.put("head", head.name());
        top.put("epochs", epochs);
        top.put("augment_shift", shift);
        top.put("augment_elastic_alpha", elasticAlpha);
        top.put("augment_elastic_sigma", elasticSigma);
        top.put("front_end", r.frontEnd());
        top.put("spike_coding", d.test().spikeCoding());
        top.put("parameters", r.parameters());
        Map<String, Object> m = ResultJson.model(r.model(), bins);
        m.put("fraction_decided_step_1", e.fractionDecidedAtFirstStep());
        List<Object> curve = new ArrayList<>();
        for (Evaluation c : r.curve()) {
            Map<String, Object> p = ResultJson.thresholdPoint(c);
            p.put("fraction_decided_step_1", c.fractionDecidedAtFirstStep());
            curve.add(p);
        }
        m.put("threshold_curve", curve);
        r.chosen().ifPresent(c -> m.put("operating_point", c.json()));
        m.put("correct_by_decision_step", ResultJson.byStep(e.correctHistogram(), bins));
        m.put("accuracy_by_decision_step", ResultJson.byStep(e.accuracyByDecisionStep(), bins));
        double[] fraction = new double[bins];
        for (int s = 1; s <= bins; s++) {
            fraction[s - 1] = e.fractionDecidedAt(s);
        }
        m.put("fraction_by_decision_step", fraction);
        m.put("train_example_steps_eos_equivalent", eosSteps);
        m.put("train_wall_seconds", r.wallSeconds());
        m.put("mean_epoch_seconds", r.meanEpochSeconds());
        m.put("epoch_seconds", r.epochs().stream().mapToDouble(EpochPoint::seconds).toArray());
        m.put("parameters", r.parameters());
        List<Object> epochList = new ArrayList<>();
        for (EpochPoint p : r.epochs()) {
            Map<String, Object> ep = new LinkedHashMap<>();
            ep.put("epoch", p.epoch());
            ep.put("sequences", p.sequences());
            ep.put("seconds", p.seconds());
            ep.put("compute_seconds", p.computeSeconds());
            ep.put("train_loss", p.meanLoss());
            ep.put("train_mean_decision_step", p.meanDecisionStep());
            if (p.validation() != null) {
                ep.put("validation_accuracy_first_spike", p.validation().accuracyFirstSpike());
                ep.put("validation_mean_decision_step", p.validation().meanDecisionStep());
                ep.put("validation_fraction_decided_step_1", p.validationStep1());
                ep.put("validation_seconds", p.validationSeconds());
            }
            epochList.add(ep);
        }
        m.put("epochs", epochList);
        top.put(eos ? "eos" : "rc", m);
        ResultJson.write(file, top);
    }

    private List<Path> writePlots(Path dir, Run r, MnistDigits.Splits d) throws IOException {
        Evaluation e = r.test();
        String[] names = {r.model().name() + "-trained"};
        String theta = "threshold " + options.threshold;
        Path encoding = dir.resolve(TASK + "-encoding.png");
        MnistDigits ti = d.test();
        int[] spikeSteps = ti.spikeSteps(plotDigit);
        RowOutcomes pass = new InferencePass(r.training().network(), Kernels.best())
                .earlyExit(ti.batch(plotDigit, plotDigit + 1), options.threshold); // decides at the first spike
        int spike = pass.firstSpike(0);
        int decision = pass.decisionStep(0);
        int predicted = pass.predictionAtDecision(0);
        int label = ti.label(plotDigit);
        String caption = String.format(Locale.ROOT, "%s: test digit %d (label %d), %d steps. %s-trained model: %s %d at step %d%s",
                TASK, plotDigit, label, bins, r.model().name(), spike == SpikeTimes.NO_SPIKE ? "no spike, predicts" : "decides",
                predicted, decision, predicted == label ? " (right)" : " (wrong)");
        Plots.latencyCode(encoding, caption, ti.rows(), ti.cols(), bins, spikeSteps, decision);

        Path histogram = dir.resolve(TASK + "-decision-histogram.png");
        Plots.decisionHistogram(histogram, TASK + ": decision steps on the test set (" + theta + ")", bins, names,
                new long[][] {e.decisionHistogram()});
        Path accuracy = dir.resolve(TASK + "-accuracy-by-step.png");
        Plots.accuracyByDecisionStep(accuracy, TASK + ": accuracy of the decisions made at each step (" + theta + ")", bins, names,
                new long[][] {e.decisionHistogram()}, new long[][] {e.correctHistogram()});
        List<Path> files = new ArrayList<>(List.of(encoding, histogram, accuracy));
        List<ValidationPoint> h = r.model().history();
        if (h.isEmpty()) {
            return files; // no validation, no training curves
        }
        Path training = dir.resolve(TASK + "-training.png");
        files.add(training);
        Plots.training(training, TASK, bins, names, new double[][] {h.stream().mapToDouble(ValidationPoint::sequences).toArray()},
                new double[][] {h.stream().mapToDouble(ValidationPoint::accuracyFirstSpike).toArray()},
                new double[][] {h.stream().mapToDouble(ValidationPoint::meanDecisionStep).toArray()});
        return files;
    }
}
