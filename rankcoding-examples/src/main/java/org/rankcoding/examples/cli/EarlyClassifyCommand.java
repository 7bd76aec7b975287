package org.rankcoding.examples.cli;

import org.rankcoding.data.Augmentation;
import org.rankcoding.data.InMemorySequences;
import org.rankcoding.datasets.ucr.MissingValues;
import org.rankcoding.datasets.ucr.Normalisation;
import org.rankcoding.datasets.ucr.SeriesNormaliser;
import org.rankcoding.datasets.ucr.UcrDataset;
import org.rankcoding.eval.Evaluation;
import org.rankcoding.eval.OperatingGoal;
import org.rankcoding.examples.report.Plots;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.rc.ConsecutiveAgreement;
import org.rankcoding.train.TrainerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
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
import java.util.function.ToDoubleFunction;

/**
 * {@code early-classify --data DIR}: early classification of a UCR/UEA data set ({@code <Name>_TRAIN.ts} and
 * {@code <Name>_TEST.ts} in {@code DIR}). Per seed ({@code --seeds N} runs seeds {@code --seed}, {@code --seed + 1}, ...):
 * a stratified validation split of the training file, an RC model and an EOS model trained with the same budget, an
 * operating point (threshold and consecutive count) chosen for each on the validation split for {@code --goal}, and the
 * test set evaluated once per model at its point ({@link EarlyPipeline}). Reports accuracy, earliness (the fraction of
 * each series' own length seen at the decision), their harmonic mean, per seed and as mean +- standard deviation, the
 * accuracy-vs-earliness curves of both models on the test set, a plot and JSON.
 *
 * <p>This command's own defaults for shared options ({@code --hidden}, {@code --validation-fraction}, ...) are set by
 * {@link Defaults}; they were chosen on validation splits of the training files only.
 */
@Command(name = EarlyClassifyCommand.TASK, mixinStandardHelpOptions = true, defaultValueProvider = EarlyClassifyCommand.Defaults.class,
        description = "Early classification of a UCR/UEA time-series data set (DIR/<Name>_TRAIN.ts, DIR/<Name>_TEST.ts): RC vs "
                + "EOS with the same budget, each at an operating point chosen on a validation split of the training file, "
                + "tested once on the test file; accuracy, earliness and their harmonic mean, over --seeds runs.")
public final class EarlyClassifyCommand implements Task {

    /** The subcommand's name. */
    public static final String TASK = "early-classify";

    /** The most input steps a series gets with {@code --steps-per-input 0}. */
    static final int MAX_INPUT_STEPS = 30;

    /** The default thresholds of the operating-point grid. */
    static final String THRESHOLDS = "0.55,0.6,0.65,0.7,0.75,0.8,0.85,0.9,0.925,0.95,0.97,0.98,0.99,0.995,0.999";

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "Directory of the data set, holding <Name>_TRAIN.ts and <Name>_TEST.ts (as the UCR/UEA archive unpacks).")
    Path data;

    @Option(names = "--normalisation", paramLabel = "KIND",
            description = "train (per-channel mean and standard deviation of the training file), causal (running statistics of "
                    + "each series' own prefix) or none (default: train, chosen by measurement).")
    String normalisation;

    @Range(min = 1, max = 1e6)
    @Option(names = "--epochs", defaultValue = "400", paramLabel = "N",
            description = "Passes over the training part per model (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Range(min = 1, max = 65536)
    @Option(names = "--batch", defaultValue = "8", paramLabel = "N", description = "Series per training batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Range(min = 0, max = 1, above = true, note = "Adam moves each weight by up to about RATE per step")
    @Option(names = "--lr", defaultValue = "3e-3", paramLabel = "RATE", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Range(min = 1, max = 1000)
    @Option(names = "--seeds", defaultValue = "1", paramLabel = "N",
            description = "Repeat the whole run (validation split, weights, order) with seeds SEED, SEED+1, ..., SEED+N-1 and report "
                    + "each and their mean +- standard deviation (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--goal", defaultValue = "hm", paramLabel = "GOAL",
            description = "How the operating point is chosen on the validation split: " + GoalOption.VALUES
                    + " (default: ${DEFAULT-VALUE}).")
    String goal;

    @Range(min = 0.5, max = 1, above = true, below = true)
    @Option(names = "--eval-thresholds", split = ",", defaultValue = THRESHOLDS, paramLabel = "T,...",
            description = "Thresholds of the operating-point grid, each in (0.5, 1); also the points of the test curves "
                    + "(default: ${DEFAULT-VALUE}).")
    double[] evalThresholds;

    @Range(min = 1, max = ConsecutiveAgreement.MAX_CONSECUTIVE)
    @Option(names = "--eval-consecutive", split = ",", defaultValue = "1,2,3", paramLabel = "K,...",
            description = "Consecutive agreeing steps of the operating-point grid (default: ${DEFAULT-VALUE}).")
    int[] evalConsecutive;

    @Range(min = 0, max = 1, above = true)
    @Option(names = "--eval-schedules", split = ",", defaultValue = "1", paramLabel = "Q,...",
            description = "Threshold shapes of the operating-point grid: for each Q in (0, 1], the threshold falls linearly "
                    + "from its value at step 1 to the one whose log-odds are Q times as large at the last input step of "
                    + "the longest training series (1: constant; 0.5: at the end, a threshold of 0.99 has become 0.91), "
                    + "so that late decisions need less confidence than early ones (default: ${DEFAULT-VALUE}).")
    double[] evalSchedules;

    @Range(min = 0, max = 100, note = "0 for none")
    @Option(names = "--eos-prefix-loss", defaultValue = "0", paramLabel = "GAMMA",
            description = "Prefix-loss weight of the EOS model (--prefix-loss is RC's); 0 trains it on the last step alone, "
                    + "as the paper's baseline (default: ${DEFAULT-VALUE}).")
    double eosPrefixLoss;

    @Range(min = 0, max = 10000, note = "0 for the rule: ceil(longest series / 30)")
    @Option(names = "--steps-per-input", defaultValue = "0", paramLabel = "W",
            description = "Feed W consecutive time steps of every channel to the network as one input step (the last group of "
                    + "a series padded with its last value); earliness is counted in groups. 0: W = ceil(longest series / 30), "
                    + "so that no series has more than 30 input steps (default: ${DEFAULT-VALUE}).")
    int stepsPerInput;

    @Range(min = 1, max = 64)
    @Option(names = "--ensemble", defaultValue = "1", paramLabel = "K",
            description = "Train K networks per model (seeds SEED + j * " + EarlyPipeline.MEMBER_SEED_STRIDE + ") and average "
                    + "their logits at every step into one model, which decides where the average crosses the threshold; "
                    + "K times the training and inference compute (default: ${DEFAULT-VALUE}).")
    int ensemble;

    @Range(min = 0, max = 100, note = "0 for a single validation split")
    @Option(names = "--folds", defaultValue = "5", paramLabel = "K",
            description = "Cross-fitting: cut the training file into K stratified folds, train one network per fold on the "
                    + "others, choose the operating point on every training series as decided by the network that did not "
                    + "see it, and decide the test set by the average of the K networks (K times the compute; "
                    + "--validation-fraction is then unused). 0: one validation split of --validation-fraction and one "
                    + "network per model (default: ${DEFAULT-VALUE}, chosen by measurement).")
    int folds;

    /** The candidate augmentations when none are asked for (chosen by measurement, see {@link Defaults}). */
    static final String AUGMENTATIONS = "none;jitter=0.05 scaling=0.1;slice=0.9";

    @Option(names = "--augmentations", paramLabel = "SPEC;...",
            description = "Candidate augmentations of the training series, separated by ';', each 'none' or settings "
                    + "jitter=SIGMA, scaling=SIGMA, warp=WINDOW[xFACTOR], slice=FRACTION, crop=FRACTION (e.g. 'jitter=0.05 scaling=0.1'): "
                    + "each model is trained with each candidate and the one whose operating point serves --goal best on "
                    + "validation (out of fold with --folds) is kept; the test set is decided by that one only. Each "
                    + "candidate costs one more training. Not with --jitter, --scaling, --warp-window, --slice or --crop, which give "
                    + "one augmentation and no choice (default: " + AUGMENTATIONS + ", chosen by measurement).")
    String augmentations;

    @Mixin
    TrainingOptions options;

    @Mixin
    SmallDataOptions small;

    @Mixin
    ReportOptions report;

    private UcrDataset loaded;
    private Normalisation chosenNormalisation;
    private InMemorySequences train;
    private InMemorySequences test;
    /** The candidate augmentations, read once from the options by {@link #prepare}. */
    private List<Augmentation> candidates;

    /**
     * The defaults this command gives to options it shares with others: {@code --hidden 64}, {@code --prefix-loss 1} (RC's
     * prefix-loss weight) and a quarter of each class for validation; with its own {@code --epochs 400}, {@code --batch
     * 8}, {@code --lr 3e-3} and {@code --steps-per-input} by its rule. Chosen on the training files only: each training
     * file split 2:1 (stratified, fixed seed) into an inner training and an inner held-out file; mean RC HM over the five
     * archive sets on the held-out parts, 8 seeds: hidden 64, 400 epochs, prefix loss 1: 0.735; the same without the
     * prefix loss: 0.728; (3 seeds) hidden 32, 200 epochs (the earlier defaults): 0.695, with prefix loss 0.3 / 1 / 3:
     * 0.725 / 0.725 / 0.729; hidden 64, 400 epochs, prefix loss 3: 0.737, prefix loss 1 with jitter and scaling 0.1:
     * 0.738 (the simpler recipe is the default); keeping the weights of the best validation HM (patience 1000, 3 seeds, a
     * later build): 0.731 against 0.726 for the recipe itself (not adopted). Cross-fitting ({@code --folds 5}, this
     * command's own default), on another 2:1 split, 5 seeds: 0.789 against 0.740 with one validation split of a quarter
     * (paired difference +0.049 +- 0.019 standard error; an ensemble of 5 networks on the validation split's training part:
     * 0.756). The candidate augmentations ({@link #AUGMENTATIONS}), on that split with the four sets that missed
     * their targets (GunPoint, ItalyPowerDemand, ArrowHead, BasicMotions), 5 seeds, folds 5: each single augmentation
     * against none, paired mean RC HM difference on the held-out parts: jitter 0.05 + scaling 0.1 +0.018 +- 0.013,
     * window warping 0.1 +0.028 +- 0.011 (but -0.002 out of fold), window slicing 0.9 -0.024 +- 0.022 (BasicMotions
     * +0.066, ArrowHead -0.151); choosing per model and seed among none, jitter + scaling and slicing by the out-of-fold
     * HM: +0.024 +- 0.009, every set but ArrowHead (-0.004) up; also tried, none better than none by more than its
     * error: weight average 0.99 / 0.995, 800 epochs, hidden 128, lr 1e-3, weight decay 1e-3, prefix loss 3 (alone and
     * with jitter + scaling); falling thresholds in the operating-point grid ({@code --eval-schedules 1,0.5,0.25},
     * no augmentation): -0.005 +- 0.005 on the held-out parts for +0.007 +- 0.002 out of fold (a larger grid chose
     * points that looked better on the data they were chosen on, not on new data), so the default stays constant. An
     * earlier search on another inner split (without the prefix loss):
     * 100 epochs at batch 16: 0.664; 300 epochs at lr 1e-3: 0.703; hidden 64: 0.690; validation fraction 0.33: 0.694;
     * beta 1: 0.463; length curriculum: 0.661; early stopping on the validation HM (patience 30): 0.477; thresholds from
     * 0.8 only: 0.552; goal within:5 or within:10 instead of hm: 0.466, 0.530. Without grouping time steps the LSTM
     * barely learned GunPoint (full-length accuracy 0.63 +- 0.17 on the held-out part, against 0.92 with it).
     */
    public static final class Defaults implements CommandLine.IDefaultValueProvider {

        private static final Map<String, String> VALUES = Map.of("--hidden", "64", "--prefix-loss", "1",
                "--validation-fraction", "0.25");

        @Override
        public String defaultValue(ArgSpec argSpec) {
            return argSpec instanceof OptionSpec o ? VALUES.get(o.longestName()) : null;
        }
    }

    @Override
    public String name() {
        return TASK;
    }

    @Override
    public ReportOptions report() {
        return report;
    }

    /** Checks the options, loads and normalises the data set and describes it on {@code out}. */
    @Override
    public Experiment prepare(PrintWriter out) throws DataUnavailable {
        Normalisation norm;
        try {
            norm = normalisation == null ? Normalisation.DEFAULT : Normalisation.parse(normalisation);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--normalisation: " + e.getMessage(), e);
        }
        operatingGoal();
        if (small.validationFraction == 0) {
            throw new IllegalArgumentException("--validation-fraction = 0, but " + TASK + " chooses its operating points on a "
                    + "validation split of the training file; give a fraction in (0, 1), e.g. 0.25");
        }
        small.check();
        candidates = candidates();
        if (folds == 1) {
            throw new IllegalArgumentException("--folds = 1 holds out nothing to choose on; give 0 for a validation split of "
                    + "--validation-fraction, or K >= 2 folds (typical: 5)");
        }
        if (folds > 1 && ensemble > 1) {
            throw new IllegalArgumentException("--folds " + folds + " already averages " + folds + " networks (one per fold; "
                    + "5 folds by default); give --folds 0 to use --ensemble " + ensemble + " on a validation split");
        }
        if (options.checkpointDir != null || options.resume) {
            throw new IllegalArgumentException(TASK + " does not write checkpoints (its runs take minutes); leave out "
                    + "--checkpoint-dir and --resume");
        }
        EvalThresholds.check(evalThresholds);
        requireDistinct("--eval-consecutive", java.util.Arrays.stream(evalConsecutive).boxed().toList(), "count");
        requireDistinct("--eval-schedules", java.util.Arrays.stream(evalSchedules).boxed().toList(), "shape");
        options.configBuilder().learningRate(learningRate).batchSize(batch).beta(options.beta).build(); // validates the rest
        try {
            loaded = UcrDataset.load(data);
        } catch (IOException e) {
            String why = e instanceof FileSystemException fse && fse.getReason() != null
                    ? fse.getFile() + ": " + fse.getReason() : CliErrors.describe(e);
            throw new DataUnavailable("cannot load the data set in " + data + ": " + why, e);
        }
        chosenNormalisation = norm;
        NetworkConfig network = new NetworkConfig(loaded.train().dimensions() * stepsPerInput(), options.hidden, options.layers,
                head(), loaded.train().numClasses());
        SeriesNormaliser normaliser = norm.fit(loaded.train());
        int w = stepsPerInput();
        train = StepGrouping.group(normaliser.apply(loaded.train()).toSequences(MissingValues.CARRY_FORWARD), w);
        test = StepGrouping.group(normaliser.apply(loaded.test()).toSequences(MissingValues.CARRY_FORWARD), w);
        if (folds > train.size()) {
            throw new IllegalArgumentException("--folds = " + folds + ", but the training file has " + train.size()
                    + " series; give at most " + train.size() + " folds (each fold needs a series)");
        }
        TrainerConfig base = options.configBuilder().learningRate(learningRate).batchSize(batch).beta(options.beta)
                .trainSequences(train.size()).build();
        out.printf(Locale.ROOT, "%s %s: train %s; test %s; normalisation %s, %d step%s per input%n", TASK,
                loaded.train().problemName(), loaded.train(), loaded.test(), norm.optionValue(), w, w == 1 ? "" : "s");
        out.flush();
        InMemorySequences training = train;
        return new Experiment(TASK, length(), network, base, () -> training, List.of(), List.of(), null,
                loaded.train().classNames().toArray(String[]::new), dataJson(), options, batch, learningRate);
    }

    /**
     * Time steps per input step: {@code --steps-per-input}, or for 0 the rule {@code ceil(longest training series /
     * MAX_INPUT_STEPS)}.
     */
    private int stepsPerInput() {
        return stepsPerInput > 0 ? stepsPerInput : (loaded.train().maxLength() + MAX_INPUT_STEPS - 1) / MAX_INPUT_STEPS;
    }

    /** The length of the longest series of either file. */
    private int length() {
        return Math.max(loaded.train().maxLength(), loaded.test().maxLength());
    }

    /** The output head: one sigmoid for two classes, a softmax for more. */
    private HeadType head() {
        return loaded.train().numClasses() == 2 ? HeadType.BINARY_SIGMOID : HeadType.SOFTMAX;
    }

    /** Refuses a value of {@code option} given twice, naming it and what each value is ({@code noun}). */
    private static void requireDistinct(String option, List<?> values, String noun) {
        for (int i = 0; i < values.size(); i++) {
            if (values.indexOf(values.get(i)) < i) {
                throw new IllegalArgumentException(option + ": " + values.get(i) + " is given twice; give each " + noun + " once");
            }
        }
    }

    /**
     * The candidate augmentations: those of {@code --augmentations}; the one augmentation of {@code --jitter},
     * {@code --scaling}, {@code --warp-window}, {@code --slice} and {@code --crop} when any of them is given; else {@link #AUGMENTATIONS}.
     *
     * @throws IllegalArgumentException for a malformed {@code --augmentations}, or one given with those options
     */
    private List<Augmentation> candidates() {
        if (augmentations == null) {
            return small.augmentation().isNone() ? AugmentationSpecs.parse("--augmentations", AUGMENTATIONS)
                    : List.of(small.augmentation());
        }
        if (!small.augmentation().isNone()) {
            throw new IllegalArgumentException("--augmentations '" + augmentations + "' and --jitter, --scaling, --warp-window, "
                    + "--slice or --crop (" + AugmentationSpecs.text(small.augmentation()) + ") both say how to augment; give the "
                    + "candidates in --augmentations alone (e.g. 'none;" + AugmentationSpecs.text(small.augmentation())
                    + "'), or one augmentation with those options alone");
        }
        return AugmentationSpecs.parse("--augmentations", augmentations);
    }

    /**
     * The goal of {@code --goal}.
     *
     * @throws IllegalArgumentException naming {@code --goal} for anything but the forms {@link GoalOption} reads
     */
    OperatingGoal operatingGoal() {
        return GoalOption.parse("--goal", goal);
    }

    @Override
    public void runOnce(Experiment experiment, PrintWriter out) throws IOException {
        NetworkConfig network = experiment.network();
        TrainerConfig base = experiment.base();
        OperatingGoal g = operatingGoal();
        EarlyPipeline.Settings settings = new EarlyPipeline.Settings(network, base, eosPrefixLoss, epochs, small.validationFraction,
                ensemble, folds, candidates, evalThresholds.clone(), evalConsecutive.clone(), evalSchedules.clone(),
                (length() + stepsPerInput() - 1) / stepsPerInput(), g, report.progressBars());
        EarlyPipeline pipeline = new EarlyPipeline(settings, train.sequences(), test, loaded.train().problemName());
        out.printf(Locale.ROOT, "RC vs EOS LSTM%s: hidden %d, %d layer%s, %s head, %d epochs, batch %d, lr %s, RC beta %s, prefix loss RC %s / EOS %s, "
                        + "training threshold %s; operating point: %s, thresholds %d x consecutive %s; %d seed%s from %d%n",
                folds > 1 ? " (each the average of " + folds + " networks, one per fold; operating points chosen out of fold)"
                        : ensemble == 1 ? "" : " (each an ensemble of " + ensemble + " networks)", options.hidden, options.layers,
                options.layers == 1 ? "" : "s", head().name().toLowerCase(Locale.ROOT), epochs, batch,
                learningRate, options.beta, options.prefixLoss, eosPrefixLoss, options.ruleText(), g.describe(), evalThresholds.length,
                java.util.Arrays.toString(evalConsecutive), seeds, seeds == 1 ? "" : "s", options.seed);
        out.flush();
        List<EarlyPipeline.SeedOutcome> runs = new ArrayList<>();
        for (int i = 0; i < seeds; i++) {
            EarlyPipeline.SeedOutcome s = pipeline.run(options.seed + i);
            runs.add(s);
            printSeed(out, s);
        }
        out.println();
        printSummary(out, runs, test.size());
        out.flush();
        if (report.json != null) {
            ResultJson.write(report.json, json(runs));
            out.println("wrote " + report.json);
        }
        if (!report.noPlots) {
            Path file = report.plotsDir().resolve(TASK + "-" + loaded.train().problemName() + "-curves.png");
            plot(file, runs);
            out.println("wrote " + file);
        }
        out.flush();
    }

    private void printSeed(PrintWriter out, EarlyPipeline.SeedOutcome s) {
        for (EarlyModelOutcome m : List.of(s.rc(), s.eos())) {
            Evaluation t = m.test();
            out.printf(Locale.ROOT, "seed %d %-3s: %spoint threshold %s, %d consecutive (validation HM %.3f, acc %.3f, earliness %.3f)"
                            + "; test accuracy %.4f, earliness %.4f, HM %.4f, mean step %.2f%s%n",
                    s.seed(), m.name(), candidates.size() == 1 ? "" : "augmentation " + AugmentationSpecs.text(candidates.get(m.augmentation())) + ", ",
                    m.rule().threshold(), m.rule().consecutive(), m.validation().harmonicMean(),
                    m.validation().accuracyFirstSpike(), m.validation().earliness(), t.accuracyFirstSpike(), t.earliness(),
                    t.harmonicMean(), t.meanDecisionStep(), m.training().stoppedEarly() ? " (stopped early)" : "");
        }
        out.flush();
    }

    private static MeanSd stat(List<EarlyPipeline.SeedOutcome> runs, boolean rc, ToDoubleFunction<EarlyModelOutcome> f) {
        return MeanSd.of(runs.stream().map(s -> rc ? s.rc() : s.eos()).mapToDouble(f).toArray());
    }

    private void printSummary(PrintWriter out, List<EarlyPipeline.SeedOutcome> runs, int testSize) {
        ResultTable t = new ResultTable(loaded.train().problemName() + ", test set " + testSize + " series, " + runs.size()
                + " seed" + (runs.size() == 1 ? "" : "s") + " (mean +- sd)", "RC-trained", "EOS-trained, early exit");
        for (Figure f : Figure.values()) {
            t.row(f.label, stat(runs, true, f.value).format(f.decimals), stat(runs, false, f.value).format(f.decimals));
        }
        t.print(out);
    }

    /** The headline figures of a model, as printed and written to the JSON summary. */
    private enum Figure {
        ACCURACY("test accuracy at the decision", "accuracy", 4, m -> m.test().accuracyFirstSpike()),
        EARLINESS("earliness (fraction of the series seen)", "earliness", 4, m -> m.test().earliness()),
        HM("harmonic mean HM", "harmonic_mean", 4, m -> m.test().harmonicMean()),
        STEP("mean decision step", "mean_decision_step", 2, m -> m.test().meanDecisionStep()),
        LAST("accuracy at the last step", "accuracy_last_step", 4, m -> m.test().accuracyLastStep()),
        VALIDATION_HM("validation HM at the chosen point", "validation_harmonic_mean", 4, m -> m.validation().harmonicMean()),
        FORWARD("training example-steps forward", "train_example_steps_forward", 0, m -> m.training().forwardExampleSteps()),
        BACKWARD("training example-steps backward", "train_example_steps_backward", 0, m -> m.training().backwardExampleSteps()),
        EARLY_EXIT("test example-steps, early exit", "test_example_steps_early_exit", 0, m -> m.earlyExitSteps()),
        FULL("test example-steps, full length", "test_example_steps_full", 0, m -> m.test().fullExampleSteps()),
        SECONDS("training wall time (s)", "train_seconds", 1, m -> m.training().seconds());

        final String label;
        final String key;
        final int decimals;
        final ToDoubleFunction<EarlyModelOutcome> value;

        Figure(String label, String key, int decimals, ToDoubleFunction<EarlyModelOutcome> value) {
            this.label = label;
            this.key = key;
            this.decimals = decimals;
            this.value = value;
        }
    }

    /** The data set's description in the JSON header. */
    private Map<String, Object> dataJson() {
        Map<String, Object> dataJson = new LinkedHashMap<>();
        dataJson.put("dataset", loaded.train().problemName());
        dataJson.put("directory", data.toString());
        dataJson.put("train_series", loaded.train().size());
        dataJson.put("test_series", loaded.test().size());
        dataJson.put("dimensions", loaded.train().dimensions());
        dataJson.put("min_length", Math.min(loaded.train().minLength(), loaded.test().minLength()));
        dataJson.put("max_length", length());
        dataJson.put("classes", loaded.train().classNames());
        dataJson.put("normalisation", chosenNormalisation.optionValue());
        dataJson.put("steps_per_input", stepsPerInput());
        return dataJson;
    }

    private Map<String, Object> json(List<EarlyPipeline.SeedOutcome> runs) {
        int length = (length() + stepsPerInput() - 1) / stepsPerInput(); // input steps
        Map<String, Object> top = ResultJson.header(TASK, options, batch, learningRate, runs.get(0).rc().training().config().threads(),
                length, dataJson());
        top.put("epochs", epochs);
        top.put("eos_prefix_loss", eosPrefixLoss);
        top.put("seeds", seeds);
        top.put("ensemble", ensemble);
        top.put("folds", folds);
        top.put("head", head().name());
        top.put("validation_fraction", small.validationFraction);
        top.put("augmentations", candidates.stream().map(AugmentationSpecs::text).toList());
        top.put("goal", goal);
        top.put("eval_thresholds", evalThresholds);
        top.put("eval_consecutive", evalConsecutive);
        top.put("eval_schedules", evalSchedules);
        List<Object> perSeed = new ArrayList<>();
        for (EarlyPipeline.SeedOutcome s : runs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seed", s.seed());
            m.put("train_part_series", s.trainSize());
            m.put("validation_series", s.validationSize());
            m.put("rc", modelJson(s.rc(), LossMode.RC, options.beta, length, candidates));
            m.put("eos", modelJson(s.eos(), LossMode.EOS, 0.0, length, candidates));
            perSeed.add(m);
        }
        top.put("runs", perSeed);
        Map<String, Object> summary = new LinkedHashMap<>();
        for (boolean rc : new boolean[] {true, false}) {
            Map<String, Object> model = new LinkedHashMap<>();
            for (Figure f : Figure.values()) {
                MeanSd ms = stat(runs, rc, f.value);
                model.put(f.key, Map.of("mean", ms.mean(), "sd", ms.sd()));
            }
            summary.put(rc ? "rc" : "eos", model);
        }
        top.put("summary", summary);
        return top;
    }

    /** The loss modes by the names the JSON uses. */
    private enum LossMode {
        RC(org.rankcoding.rc.LossMode.RANK_CODING), EOS(org.rankcoding.rc.LossMode.END_OF_SEQUENCE);

        final org.rankcoding.rc.LossMode mode;

        LossMode(org.rankcoding.rc.LossMode mode) {
            this.mode = mode;
        }
    }

    private static Map<String, Object> modelJson(EarlyModelOutcome m, LossMode mode, double beta, int length,
                                                 List<Augmentation> candidates) {
        List<ValidationPoint> history = m.members() == 1 ? m.histories().get(0) : List.of();
        ModelRun run = new ModelRun(m.name(), mode.mode, beta, m.training(), history, m.test(), m.earlyExitSteps(), 0.0);
        Map<String, Object> j = ResultJson.model(run, length);
        if (m.members() > 1) {
            j.put("member_validation", m.histories().stream().map(ResultJson::history).toList());
        }
        j.remove("test_seconds_early_exit");
        j.put("test_example_steps_full", m.test().fullExampleSteps());
        j.put("operating_point", m.rule().toString());
        j.put("operating_point_goal_met", m.goalMet());
        j.put("operating_point_validation", ResultJson.thresholdPoint(m.validation()));
        j.put("augmentation", AugmentationSpecs.text(candidates.get(m.augmentation())));
        List<Object> tried = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("augmentation", AugmentationSpecs.text(candidates.get(i)));
            c.put("validation", ResultJson.thresholdPoint(m.candidatePoints().get(i)));
            tried.add(c);
        }
        j.put("augmentation_candidates", tried);
        j.put("test_curve", m.testCurve().stream().map(ResultJson::thresholdPoint).toList());
        return j;
    }

    /** The test curves of both models, averaged over the seeds at each threshold, with every seed's chosen point. */
    private void plot(Path file, List<EarlyPipeline.SeedOutcome> runs) throws IOException {
        String[] names = {"RC-trained", "EOS-trained (early exit)"};
        double[][] earliness = new double[2][evalThresholds.length];
        double[][] accuracy = new double[2][evalThresholds.length];
        double[][] chosenE = new double[2][runs.size()];
        double[][] chosenA = new double[2][runs.size()];
        for (int m = 0; m < 2; m++) {
            for (int s = 0; s < runs.size(); s++) {
                EarlyModelOutcome o = m == 0 ? runs.get(s).rc() : runs.get(s).eos();
                for (int k = 0; k < evalThresholds.length; k++) {
                    earliness[m][k] += o.testCurve().get(k).earliness() / runs.size();
                    accuracy[m][k] += o.testCurve().get(k).accuracyFirstSpike() / runs.size();
                }
                chosenE[m][s] = o.test().earliness();
                chosenA[m][s] = o.test().accuracyFirstSpike();
            }
        }
        Plots.earlinessCurves(file, loaded.train().problemName() + ": accuracy vs earliness on the test set (mean of "
                + runs.size() + " seed" + (runs.size() == 1 ? "" : "s") + "; dots: the points chosen on validation)", names,
                earliness, accuracy, chosenE, chosenA);
    }

}
