package org.rankcoding.examples.cli;

import org.rankcoding.audio.DataSplit;
import org.rankcoding.audio.FeatureNormalizer;
import org.rankcoding.audio.FrontEndConfig;
import org.rankcoding.audio.LogMelConfig;
import org.rankcoding.audio.SpeechCommands;
import org.rankcoding.audio.UnknownDraw;
import org.rankcoding.audio.SpeechCommandsFeatures;
import org.rankcoding.audio.augment.AugmentedClipSource;
import org.rankcoding.audio.augment.FragmentSplicing;
import org.rankcoding.audio.spotter.KeywordModel;
import org.rankcoding.data.BatchSource;
import org.rankcoding.data.InMemorySequences;
import org.rankcoding.data.LabeledSequence;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.eval.Evaluation;
import org.rankcoding.examples.kws.WordEnd;
import org.rankcoding.examples.report.FallbackWriter;
import org.rankcoding.examples.report.OutputPlan;
import org.rankcoding.examples.report.Plots;
import org.rankcoding.examples.report.SweepPlots;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.DecisionRule;
import org.rankcoding.rc.DecisionRuleSpec;
import org.rankcoding.rc.InferencePass;
import org.rankcoding.rc.LossMode;
import org.rankcoding.rc.RowOutcomes;
import org.rankcoding.train.Trainer;
import org.rankcoding.train.TrainerConfig;
import org.rankcoding.train.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import org.rankcoding.audio.SpeechClip;
import org.rankcoding.audio.detection.WordBounds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * {@code keyword-spotting}: spoken words in the Speech Commands layout (the real data set, or one made by
 * {@code scripts/make-speech-commands}), 40 log-mel bands per 10 ms frame as the time steps, a softmax head. Trains an
 * RC model and an EOS model with the same budget and seed, and reports how early and how well each decides: accuracy
 * at the first spike, mean decision time in milliseconds of audio, the fraction of clips decided before the word
 * ends, example-steps computed, and the trade-off curves over thresholds.
 */
@Command(name = KeywordSpottingCommand.TASK, mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Keyword spotting on Speech Commands-style audio: RC vs EOS, how early each recognises the word.",
                "Generate a data set with scripts/make-speech-commands DIR, or point --data at the real Speech Commands."})
public final class KeywordSpottingCommand implements Task {

    /** The subcommand's name. */
    public static final String TASK = "keyword-spotting";
    /** Rows per evaluation batch. */
    private static final int EVAL_BATCH = 256;
    /** {@code --task}: the words of {@code --words} (by default the 20 core words) as classes. */
    static final String WORDS20 = "words20";
    /** {@code --task}: the 12-class task with {@code _silence_} and {@code _unknown_}. */
    static final String COMMANDS12 = "commands12";

    @Option(names = "--data", defaultValue = "data/speech-commands", paramLabel = "DIR",
            description = "Root of the data set: one folder of 1 s 16 kHz mono WAV files per word, validation_list.txt, "
                    + "testing_list.txt (default: ${DEFAULT-VALUE}); make one with scripts/make-speech-commands DIR.")
    Path data;

    @Option(names = "--task", defaultValue = WORDS20, paramLabel = "TASK",
            description = "The classes: " + WORDS20 + " (the words of --words, by default the 20 core words yes ... go, zero ... nine) "
                    + "or " + COMMANDS12 + " (the standard 12-class task: _silence_ cut from _background_noise_, _unknown_ drawn from "
                    + "every other word folder, and the ten command words yes ... go; 10 % silence and 10 % unknown items per split) "
                    + "(default: ${DEFAULT-VALUE}).")
    String task;

    @Range(min = 0, max = SpeechCommands.MAX_UNKNOWN_PERCENT, note = "10: the Speech Commands convention")
    @Option(names = "--unknown-percent", paramLabel = "P",
            description = "With --task " + COMMANDS12 + ": _unknown_ items of the training split, in percent of its command-word clips "
                    + "(0 to 1000; default: 10, as in the validation and test splits, which always keep 10). More other speech to "
                    + "reject, for a spotter on a continuous stream; capped by the other words' training clips.")
    Integer unknownPercent;

    @Option(names = "--unknown-draw", defaultValue = "clips", paramLabel = "HOW",
            description = "With --task " + COMMANDS12 + ": how the training split's _unknown_ items are drawn from the other words: "
                    + "clips (uniformly over their clips, the Speech Commands convention) or words (one clip of each word in turn: as "
                    + "many distinct words as the share allows); validation and test always draw by clips (default: ${DEFAULT-VALUE}).")
    String unknownDraw;

    @Range(min = 0, max = 1, note = "0: whole clips only")
    @Option(names = "--unknown-splice", defaultValue = "0", paramLabel = "P",
            description = "With --task " + COMMANDS12 + ": the chance that an _unknown_ training item is replaced, each time it is "
                    + "served, by a 1 s window across the junction of itself and another _unknown_ clip (the tail of one word and the "
                    + "head of the next, as a spotter's sessions hear a stream); in [0, 1] (default: ${DEFAULT-VALUE}).")
    double unknownSplice;

    @Option(names = "--words", split = ",", paramLabel = "W,...",
            description = "Words to classify with --task " + WORDS20 + " (default: the ten command words and the ten digits, yes ... go, "
                    + "zero ... nine).")
    List<String> words;

    @Range(min = 1, max = 512)
    @Option(names = "--mels", defaultValue = "40", paramLabel = "N", description = "Mel bands per frame (default: ${DEFAULT-VALUE}).")
    int mels;

    @Range(min = 1, max = 100000)
    @Option(names = "--epochs", defaultValue = "20", paramLabel = "N", description = "Training epochs per model (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Range(min = 1, max = 65536)
    @Option(names = "--batch", defaultValue = "64", paramLabel = "N", description = "Clips per training batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Range(min = 0, max = 1, above = true, note = "Adam moves each weight by up to about RATE per step")
    @Option(names = "--lr", defaultValue = "1e-3", paramLabel = "RATE", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Range(min = 0.5, max = 1, above = true, below = true)
    @Option(names = "--eval-thresholds", split = ",", defaultValue = "0.5001,0.6,0.7,0.8,0.85,0.9,0.95,0.975,0.99,0.995,0.999",
            paramLabel = "T,...", description = "Thresholds both models are evaluated at for the trade-off curves (default: ${DEFAULT-VALUE}).")
    double[] evalThresholds;

    @Option(names = "--save-model", paramLabel = "FILE",
            description = "Write the RC model (with its words and front-end settings) to FILE, for keyword-stream.")
    Path saveModel;

    @Option(names = "--save-eos-model", paramLabel = "FILE",
            description = "Write the EOS model too (same format), to compare both as live spotters with keyword-detect.")
    Path saveEosModel;

    @Option(names = "--heldout", paramLabel = "DIR",
            description = "Also test both models on every clip of DIR, a data set in the same layout that never enters training "
                    + "(for example the flite voices of scripts/make-flite-words): same words, the model's front end and "
                    + "training-set statistics.")
    Path heldout;

    @Option(names = "--abstain", split = ",", paramLabel = "CLASS,...",
            description = "Classes that never decide: a clip whose confident answer is one of them goes on listening, and "
                    + "answers it only if nothing else decides by its end (the noise before a word looks like _silence_). "
                    + "Default: _silence_,_unknown_ with --task " + COMMANDS12 + ", none otherwise; 'none' for none.")
    List<String> abstain;

    @Mixin
    KeywordAudioOptions audio;

    @Mixin
    TrainingOptions options;

    @Mixin
    ReportOptions report;

    /** One trained model and what it did on the test clips (and on the held-out clips of {@code --heldout}). */
    private record Result(String name, TrainingResult training, List<ValidationPoint> history, Evaluation test, double beforeWordEnd,
                          List<Evaluation> curve, Optional<Scored> heldout) {
    }

    /** A model's evaluation on one set of clips: at its own decision rule, and at every threshold of the curve. */
    private record Scored(Evaluation atRule, List<Evaluation> curve) {
    }

    /** The clips' features {@link #prepare} loaded, for {@link #runOnce}. */
    private SpeechCommandsFeatures features;
    /** The front end's log-mel settings. */
    private LogMelConfig frontEnd;
    /** Where the word ends of the test clips came from, for the table. */
    private String wordEndSource = "";
    /** The whole front end the features were computed with. */
    private FrontEndConfig frontEndConfig;
    /** The data set, for the augmented training source. */
    private SpeechCommands dataset;
    /** The clips of {@code --heldout}, in batches (empty without it). */
    private List<SequenceBatch> heldoutBatches = List.of();
    /** The threads that computed the features. */
    private int loadingThreads;

    @Override
    public String name() {
        return TASK;
    }

    @Override
    public ReportOptions report() {
        return report;
    }

    /** Checks the options and computes the log-mel features of every clip. */
    @Override
    public Experiment prepare(PrintWriter out) throws DataUnavailable {
        options.abstaining(abstainingClasses(classNames()));
        frontEnd = LogMelConfig.speechCommands().withMelBands(mels);
        audio.check();
        fragmentSplicing();
        frontEndConfig = audio.frontEnd(frontEnd);
        TrainerConfig.Builder builder = options.configBuilder().learningRate(learningRate).batchSize(batch).beta(options.beta);
        builder.build();
        EvalThresholds.check(evalThresholds);
        options.checkCheckpointOptions();
        loadingThreads = loadingThreads();
        try {
            dataset = open(data, trainingUnknownPercent(), unknownDraw());
            features = dataset.load(frontEndConfig, loadingThreads);
        } catch (IOException e) {
            throw new DataUnavailable("cannot load " + data + ": " + e.getMessage(), e);
        }
        if (!features.words().equals(classNames())) {
            throw new IllegalStateException("the data set's classes " + features.words() + " are not the task's " + classNames()
                    + ", to which --abstain was resolved");
        }
        int train = features.size(DataSplit.TRAINING);
        if (features.size(DataSplit.TEST) == 0) {
            throw new DataUnavailable(data + " has no test clips of " + features.words() + " (testing_list.txt names none of them)", null);
        }
        int frames = frontEnd.frames(frontEnd.sampleRate());
        TrainerConfig base = builder.trainSequences((long) train * epochs).validateEverySequences(train).build();
        NetworkConfig network = new NetworkConfig(features.inputSize(), options.hidden, options.layers, HeadType.SOFTMAX, features.numClasses());
        List<SequenceBatch> validation = features.size(DataSplit.VALIDATION) == 0 ? List.of()
                : features.source(DataSplit.VALIDATION).batches(EVAL_BATCH);
        List<SequenceBatch> testBatches = features.source(DataSplit.TEST).batches(EVAL_BATCH);
        heldoutBatches = heldout == null ? List.of() : loadHeldout();
        return new Experiment(TASK, frames, network, base, trainingSource(), validation, testBatches, null,
                features.words().toArray(new String[0]), dataParameters(features, frontEnd), options, batch, learningRate);
    }

    /**
     * The training source of every run: the plain features, or the raw clips augmented anew at every epoch when any
     * augmentation option is on (each run reads the clips again; its batches then cost the augmentation and the
     * features of every row, computed on the loading threads).
     */
    private Supplier<BatchSource> trainingSource() {
        SpeechCommandsFeatures f = features;
        FragmentSplicing splicing = fragmentSplicing();
        if (!audio.augments() && splicing.isNone()) {
            return () -> f.source(DataSplit.TRAINING);
        }
        SpeechCommands d = dataset;
        FrontEndConfig fe = frontEndConfig;
        int threads = loadingThreads;
        return () -> {
            try {
                return AugmentedClipSource.fromSplit(d, DataSplit.TRAINING, fe, f.normalizer(), audio.vtlpWarp(), audio.waveform(),
                        audio.specAugment()).spliceFragments(splicing).parallelism(threads);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the training clips of " + data + " for augmentation: " + e.getMessage(), e);
            }
        };
    }

    /** The clips of {@code --heldout} with the model's front end and statistics, in evaluation batches. */
    private List<SequenceBatch> loadHeldout() throws DataUnavailable {
        try {
            SpeechCommands set = open(heldout, SpeechCommands.UNKNOWN_PERCENT, UnknownDraw.CLIPS);   // held-out clips: the usual items
            if (!set.words().equals(features.words())) {
                throw new DataUnavailable("--heldout " + heldout + " has the classes " + set.words() + ", the training set "
                        + features.words(), null);
            }
            List<LabeledSequence> clips = set.sequences(frontEndConfig, features.normalizer(), loadingThreads);
            return new InMemorySequences(clips, features.numClasses()).batches(EVAL_BATCH);
        } catch (IOException | IllegalArgumentException e) {
            throw new DataUnavailable("--heldout: cannot load " + heldout + ": " + e.getMessage(), e);
        }
    }

    /**
     * The threads that decode the clips and compute their features: {@code --threads} when given (the run then uses
     * no more threads than asked for), else every available processor.
     */
    private int loadingThreads() {
        return options.threads != null ? options.threads : Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /**
     * The data set with the words of {@code --words} (or the core words) as classes.
     *
     * @throws IllegalArgumentException naming {@code --words} for fewer than two words, an empty name or a duplicate
     */
    private SpeechCommands open(Path root, int trainingUnknownPercent, UnknownDraw trainingDraw) throws IOException {
        if (isCommands12()) {
            if (words != null) {
                throw new IllegalArgumentException("--words = " + String.join(",", words) + ": --task " + COMMANDS12 + " has its own classes "
                        + String.join(",", SpeechCommands.TWELVE_CLASSES) + "; give --task " + WORDS20 + " to choose the words");
            }
            return SpeechCommands.openWithRejection(root, SpeechCommands.COMMAND_WORDS, trainingUnknownPercent,
                    trainingDraw, new SplittableRandom(SpeechCommands.INDEX_SEED));
        }
        if (unknownPercent != null) {
            throw new IllegalArgumentException("--unknown-percent " + unknownPercent + " needs --task " + COMMANDS12 + ": the task "
                    + WORDS20 + " has no _unknown_ class");
        }
        if (unknownDraw() != UnknownDraw.CLIPS) {
            throw new IllegalArgumentException("--unknown-draw " + unknownDraw + " needs --task " + COMMANDS12 + ": the task "
                    + WORDS20 + " has no _unknown_ class");
        }
        if (words == null) {
            return SpeechCommands.open(root, SpeechCommands.CORE_WORDS);
        }
        try {
            return SpeechCommands.open(root, words);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--words: " + e.getMessage(), e);
        }
    }

    /** How {@code --unknown-draw} takes the training split's {@code _unknown_} items. */
    private UnknownDraw unknownDraw() {
        return switch (unknownDraw.toLowerCase(Locale.ROOT)) {
            case "clips" -> UnknownDraw.CLIPS;
            case "words" -> UnknownDraw.WORDS;
            default -> throw new IllegalArgumentException("--unknown-draw = '" + unknownDraw + "', expected clips (the Speech Commands "
                    + "convention) or words (one clip of each other word in turn)");
        };
    }

    /** The splicing of {@code _unknown_} training items that {@code --unknown-splice} asks for. */
    private FragmentSplicing fragmentSplicing() {
        if (unknownSplice == 0) {
            return FragmentSplicing.NONE;
        }
        if (!isCommands12()) {
            throw new IllegalArgumentException("--unknown-splice " + unknownSplice + " needs --task " + COMMANDS12 + ": the task "
                    + WORDS20 + " has no _unknown_ class to splice");
        }
        return new FragmentSplicing(unknownSplice, SpeechCommands.TWELVE_CLASSES.indexOf(SpeechCommands.UNKNOWN_LABEL));
    }

    /** The training split's share of {@code _unknown_} items, in percent: {@code --unknown-percent} or the convention. */
    private int trainingUnknownPercent() {
        return unknownPercent != null ? unknownPercent : SpeechCommands.UNKNOWN_PERCENT;
    }

    /** The class names of the task, in label order, as {@link #open} will index them. */
    private List<String> classNames() {
        if (isCommands12()) {
            return SpeechCommands.TWELVE_CLASSES;
        }
        return words == null ? SpeechCommands.CORE_WORDS : words;
    }

    /**
     * The class indices of {@code --abstain} (or its default) among {@code classes}.
     *
     * @throws IllegalArgumentException naming {@code --abstain} for a name that is not a class, or every class
     */
    private List<Integer> abstainingClasses(List<String> classes) {
        List<String> names = abstain != null ? abstain
                : isCommands12() ? List.of(SpeechCommands.SILENCE_LABEL, SpeechCommands.UNKNOWN_LABEL) : List.of();
        if (names.isEmpty() || names.size() == 1 && names.get(0).equals("none")) {
            return List.of(); // nothing to resolve: the words themselves are checked when the data set is opened
        }
        List<Integer> out = new ArrayList<>();
        for (String n : names) {
            int i = classes.indexOf(n);
            if (i < 0) {
                throw new IllegalArgumentException("--abstain: '" + n + "' is not a class of this task; the classes are "
                        + String.join(",", classes) + " (or give 'none')");
            }
            out.add(i);
        }
        if (new HashSet<>(out).size() == classes.size()) {
            throw new IllegalArgumentException("--abstain: every class (" + String.join(",", classes) + ") abstains, so no clip "
                    + "could ever decide; leave at least one class out");
        }
        return out;
    }

    /**
     * Whether {@code --task} is {@value #COMMANDS12} (else {@value #WORDS20}), in any case.
     *
     * @throws IllegalArgumentException naming {@code --task} for another value
     */
    private boolean isCommands12() {
        String t = task.strip().toLowerCase(Locale.ROOT);
        if (!t.equals(WORDS20) && !t.equals(COMMANDS12)) {
            throw new IllegalArgumentException("--task = " + task + ", expected " + WORDS20 + " (the words of --words, by default the 20 core "
                    + "words) or " + COMMANDS12 + " (the 12-class task with _silence_ and _unknown_), in any case");
        }
        return t.equals(COMMANDS12);
    }

    /** Registers {@code --save-model} and {@code --checkpoint-dir} with its subdirectories {@code rc} and {@code eos}. */
    @Override
    public void registerOutputs(OutputPlan plan) {
        plan.file("--save-model", saveModel);
        plan.file("--save-eos-model", saveEosModel);
        plan.checkpoints("--checkpoint-dir", options.checkpointDir, List.of("rc", "eos"));
    }

    /** Trains the RC and the EOS model, tests both over the thresholds and reports. */
    @Override
    public void runOnce(Experiment experiment, PrintWriter out) throws IOException, TrainingOptions.CheckpointFailure {
        TrainerConfig base = experiment.base();
        int frames = experiment.length();
        Optional<int[]> wordEnds = wordEnds();

        out.printf(Locale.ROOT, "%s: %d words, %,d training / %,d validation / %,d test clips from %s (features computed on %d thread%s); "
                        + "%d log-mel bands x %d frames (%d ms hop, %d ms window)%n", TASK, features.numClasses(), features.size(DataSplit.TRAINING),
                features.size(DataSplit.VALIDATION), features.size(DataSplit.TEST), data, loadingThreads, loadingThreads == 1 ? "" : "s",
                mels, frames, ms(frontEnd.hopLength(), frontEnd), ms(frontEnd.windowLength(), frontEnd));
        if (isCommands12()) {
            out.printf(Locale.ROOT, "task %s: classes %s; per split, %d %%/%d %% of the command-word clips added as %s (background-noise "
                            + "excerpts) and %s (other words)%s%s%s%n", COMMANDS12, String.join(",", features.words()),
                    SpeechCommands.SILENCE_PERCENT, SpeechCommands.UNKNOWN_PERCENT,
                    SpeechCommands.SILENCE_LABEL, SpeechCommands.UNKNOWN_LABEL, trainingUnknownPercent() == SpeechCommands.UNKNOWN_PERCENT
                            ? "" : String.format(Locale.ROOT, "; the training split %d %% %s", trainingUnknownPercent(), SpeechCommands.UNKNOWN_LABEL),
                    unknownDraw() == UnknownDraw.CLIPS ? "" : String.format(Locale.ROOT, "; %s training items drawn by word",
                            SpeechCommands.UNKNOWN_LABEL),
                    fragmentSplicing().isNone() ? "" : String.format(Locale.ROOT, "; %s training items spliced from two clips with "
                            + "probability %s", SpeechCommands.UNKNOWN_LABEL, unknownSplice));
        }
        out.printf(Locale.ROOT, "%s%s%n", audio.describe(), heldout == null ? "" : String.format(Locale.ROOT,
                "; held-out clips: %,d from %s", heldoutBatches.stream().mapToInt(SequenceBatch::batchSize).sum(), heldout));
        out.printf(Locale.ROOT, "RC-trained vs EOS-trained LSTM, hidden %d, %d layer%s, softmax, threshold %s, RC beta %s, seed %d, "
                        + "%d epochs (batch %d, lr %s %s, %d thread%s, %s kernels)%n", options.hidden, options.layers, options.layers == 1 ? "" : "s",
                options.ruleText(), options.beta, options.seed, epochs, batch, learningRate, options.schedule.name().toLowerCase(Locale.ROOT),
                base.threads(), base.threads() == 1 ? "" : "s", Kernels.best().name());
        out.flush();

        Result rc = trainAndTest("RC", base.toBuilder().lossMode(LossMode.RANK_CODING).build(), experiment, wordEnds,
                TrainingOptions.Resume.REQUIRED, out);
        Result eos = trainAndTest("EOS", base.toBuilder().lossMode(LossMode.END_OF_SEQUENCE).beta(0).build(), experiment, wordEnds,
                TrainingOptions.Resume.IF_PRESENT, out);
        out.println();
        printTable(out, rc, eos, frontEnd, frames);
        out.println();
        printCurves(out, "trade-off over thresholds", rc.curve(), eos.curve(), frontEnd);
        if (rc.heldout().isPresent() && eos.heldout().isPresent()) {
            out.println();
            printCurves(out, "held-out clips (" + heldout + "), over thresholds", rc.heldout().get().curve(), eos.heldout().get().curve(),
                    frontEnd);
            out.printf(Locale.ROOT, "held-out clips at the model's rule: RC %.4f at %.0f ms, EOS early exit %.4f at %.0f ms%n",
                    rc.heldout().get().atRule().accuracyFirstSpike(), decisionMs(rc.heldout().get().atRule().meanDecisionStep(), frontEnd),
                    eos.heldout().get().atRule().accuracyFirstSpike(), decisionMs(eos.heldout().get().atRule().meanDecisionStep(), frontEnd));
        }
        out.flush();
        FallbackWriter.Written saved = null;
        if (saveModel != null) {
            saved = FallbackWriter.write(saveModel, file -> KeywordModel.save(rc.training().network(), options.decisionRule(),
                    features.words(), frontEndConfig, features.normalizer(), file));
            out.println("wrote " + saved.file());
        }
        FallbackWriter.Written savedEos = null;
        if (saveEosModel != null) {
            savedEos = FallbackWriter.write(saveEosModel, file -> KeywordModel.save(eos.training().network(), options.decisionRule(),
                    features.words(), frontEndConfig, features.normalizer(), file));
            out.println("wrote " + savedEos.file());
        }
        if (report.json != null) {
            writeJson(report.json, rc, eos, features, frontEnd, frames);
            out.println("wrote " + report.json);
        }
        if (!report.noPlots) {
            List<Path> files = writePlots(report.plotsDir(), rc, eos, frontEnd, frames);
            out.println("wrote " + String.join(", ", files.stream().map(Path::toString).toList()));
        }
        out.flush();
        if (saved != null) {
            saved.requireRequested("--save-model", "the RC model");
        }
        if (savedEos != null) {
            savedEos.requireRequested("--save-eos-model", "the EOS model");
        }
    }

    private Result trainAndTest(String name, TrainerConfig config, Experiment experiment, Optional<int[]> wordEnds, TrainingOptions.Resume checkpoint,
                                PrintWriter out) throws TrainingOptions.CheckpointFailure {
        BatchSource source = experiment.sources().get();
        List<SequenceBatch> test = experiment.test();
        TrainingResult result;
        List<ValidationPoint> history;
        try (TrainingConsole console = new TrainingConsole(TASK + " " + name, config.trainSequences(), report.progressBars())) {
            result = options.train(new Trainer(config), experiment.network(), source, experiment.validation(), console,
                    name.toLowerCase(Locale.ROOT), runInfo(features), checkpoint, out);
            history = console.history();
        }
        RankCodingNetwork net = result.network();
        Scored onTest = score(net, test, config.threads());
        Optional<Scored> onHeldout = heldoutBatches.isEmpty() ? Optional.empty()
                : Optional.of(score(net, heldoutBatches, config.threads()));
        return new Result(name, result, history, onTest.atRule(), fractionBeforeWordEnd(net, test, wordEnds), onTest.curve(), onHeldout);
    }

    /** {@code net} on {@code batches}: one pass for the curve and the model's own rule, on {@code threads} threads. */
    private Scored score(RankCodingNetwork net, List<SequenceBatch> batches, int threads) {
        DecisionRuleSpec rule = options.decisionRule();
        Map<Double, Evaluation> at = SweepRunner.evaluateAt(net, batches, rule, 1.0, threads, evalThresholds, rule.startThreshold());
        return new Scored(at.get(rule.startThreshold()), Arrays.stream(evalThresholds).mapToObj(at::get).toList());
    }

    /** What identifies a run besides the trainer's configuration, for checkpoints. */
    private Map<String, String> runInfo(SpeechCommandsFeatures features) {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("task", TASK);
        info.put("data", data.toAbsolutePath().normalize().toString());
        info.put("words", String.join(",", features.words()));
        info.put("front_end", features.frontEnd().toString());
        info.put("augmentation", audio.describe());
        info.put("training_clips", Integer.toString(features.size(DataSplit.TRAINING)));
        if (trainingUnknownPercent() != SpeechCommands.UNKNOWN_PERCENT) {
            info.put("training_unknown_percent", Integer.toString(trainingUnknownPercent()));
        }
        if (isCommands12() && unknownDraw() != UnknownDraw.CLIPS) {
            info.put("unknown_draw", unknownDraw().name().toLowerCase(Locale.ROOT));
        }
        if (!fragmentSplicing().isNone()) {
            info.put("unknown_splice", Double.toString(unknownSplice));
        }
        return info;
    }

    /**
     * The last frame of every test clip, in order, that ends inside the spoken word: from the generator's true bounds
     * ({@code word_bounds.csv}) when the data set has them (a clip without a word, such as a silence excerpt, counts its
     * last frame), else estimated from the loudness of the log-mel frames ({@link WordEnd}, for the log-mel front end with
     * training-set statistics only); empty when neither applies.
     */
    private Optional<int[]> wordEnds() throws IOException {
        List<SpeechClip> clips = features.clips(DataSplit.TEST);
        LogMelConfig c = frontEnd;
        int frames = c.frames(c.sampleRate());
        if (Files.isRegularFile(data.resolve(WordBounds.FILE_NAME))) {
            WordBounds bounds = WordBounds.read(data);
            int[] ends = new int[clips.size()];
            for (int i = 0; i < ends.length; i++) {
                // frame t (1-based) covers samples [(t - 1) hop, (t - 1) hop + window): the last one ending by the word's end
                SpeechClip clip = clips.get(i);
                ends[i] = bounds.get(clip.relativePath()).filter(sp -> !clip.isExcerpt())
                        .map(sp -> Math.max(0, Math.min(frames, Math.floorDiv(sp.end() - c.windowLength(), c.hopLength()) + 1))).orElse(frames);
            }
            wordEndSource = "word_bounds.csv";
            return Optional.of(ends);
        }
        if (!frontEndConfig.equals(FrontEndConfig.logMel(c))) {
            wordEndSource = "not measured: no word_bounds.csv";
            return Optional.empty();
        }
        List<LabeledSequence> test = features.sequences(DataSplit.TEST);
        int[] ends = new int[test.size()];
        for (int i = 0; i < ends.length; i++) {
            ends[i] = WordEnd.lastSpeechFrame(test.get(i).steps(), features.normalizer());
        }
        wordEndSource = "estimated";
        return Optional.of(ends);
    }

    /** Fraction of the test clips whose early-exit decision comes no later than the last speech frame. */
    private double fractionBeforeWordEnd(RankCodingNetwork net, List<SequenceBatch> test, Optional<int[]> maybeEnds) {
        if (maybeEnds.isEmpty()) {
            return Double.NaN;
        }
        int[] wordEnds = maybeEnds.get();
        InferencePass pass = new InferencePass(net, Kernels.best());
        DecisionRule rule = options.decisionRule().rule(net.head());
        long before = 0;
        int index = 0;
        for (SequenceBatch b : test) {
            RowOutcomes out = pass.earlyExit(b, rule);
            for (int r = 0; r < b.batchSize(); r++) {
                if (out.decisionStep(r) <= wordEnds[index++]) {
                    before++;
                }
            }
        }
        return (double) before / index;
    }

    /** Milliseconds of {@code samples} samples. */
    private static int ms(int samples, LogMelConfig c) {
        return (int) Math.round(1000.0 * samples / c.sampleRate());
    }

    /** Milliseconds of audio heard when frame {@code step} (1-based; may be a mean) is complete. */
    static double decisionMs(double step, LogMelConfig c) {
        return 1000.0 * ((step - 1) * c.hopLength() + c.windowLength()) / c.sampleRate();
    }

    private void printTable(PrintWriter out, Result rc, Result eos, LogMelConfig c, int frames) {
        ResultTable t = new ResultTable("test set: " + ResultTable.count(rc.test().examples()) + " clips", "RC-trained", "EOS-trained",
                "RC/EOS");
        t.evaluationRows(frames, rc.test(), eos.test());
        t.row("mean decision time (ms of " + Math.round(decisionMs(frames, c)) + ")", ResultTable.fixed(decisionMs(rc.test().meanDecisionStep(), c), 0),
                ResultTable.fixed(decisionMs(eos.test().meanDecisionStep(), c), 0),
                ResultTable.ratio(decisionMs(rc.test().meanDecisionStep(), c), decisionMs(eos.test().meanDecisionStep(), c)));
        t.row("decided before the word ends (" + wordEndSource + ")", ResultTable.fixed(rc.beforeWordEnd(), 4), ResultTable.fixed(eos.beforeWordEnd(), 4));
        TrainingResult a = rc.training();
        TrainingResult b = eos.training();
        t.row("training example-steps forward", ResultTable.count(a.forwardExampleSteps()), ResultTable.count(b.forwardExampleSteps()),
                ResultTable.ratio(a.forwardExampleSteps(), b.forwardExampleSteps()));
        t.row("training example-steps backward", ResultTable.count(a.backwardExampleSteps()), ResultTable.count(b.backwardExampleSteps()),
                ResultTable.ratio(a.backwardExampleSteps(), b.backwardExampleSteps()));
        t.row("test example-steps, early exit", ResultTable.count(rc.test().earlyExitExampleSteps()),
                ResultTable.count(eos.test().earlyExitExampleSteps()),
                ResultTable.ratio(rc.test().earlyExitExampleSteps(), eos.test().earlyExitExampleSteps()));
        t.row("training wall time (s)", ResultTable.fixed(a.seconds(), 1), ResultTable.fixed(b.seconds(), 1), ResultTable.ratio(a.seconds(), b.seconds()));
        t.print(out);
    }

    private void printCurves(PrintWriter out, String title, List<Evaluation> rcCurve, List<Evaluation> eosCurve, LogMelConfig c) {
        ResultTable t = new ResultTable(title, "threshold", "RC acc", "RC ms", "EOS acc", "EOS ms",
                "EOS acc at RC's ms", "RC - EOS");
        int above = 0;
        int below = 0;
        for (int k = 0; k < evalThresholds.length; k++) {
            Evaluation r = rcCurve.get(k);
            Evaluation e = eosCurve.get(k);
            double eosAtSame = SweepRunner.interpolate(eosCurve, r.meanDecisionStep());
            double d = r.accuracyFirstSpike() - eosAtSame;
            double se = Math.sqrt(2 * 0.25 / r.examples());
            if (Double.isFinite(d)) {
                above += d > 2 * se ? 1 : 0;
                below += d < -2 * se ? 1 : 0;
            }
            t.row("", ResultTable.fixed(evalThresholds[k], 4), ResultTable.fixed(r.accuracyFirstSpike(), 4),
                    ResultTable.fixed(decisionMs(r.meanDecisionStep(), c), 0), ResultTable.fixed(e.accuracyFirstSpike(), 4),
                    ResultTable.fixed(decisionMs(e.meanDecisionStep(), c), 0), ResultTable.fixed(eosAtSame, 4), ResultTable.fixed(d, 4));
        }
        t.print(out);
        out.printf(Locale.ROOT, "at equal mean decision time, the RC curve is above the EOS curve at %d threshold%s and below it at %d "
                + "(beyond 2 standard errors; n/a where the RC point lies outside the EOS curve's range)%n", above, above == 1 ? "" : "s", below);
    }

    private void writeJson(Path file, Result rc, Result eos, SpeechCommandsFeatures features, LogMelConfig c, int frames) throws IOException {
        Map<String, Object> top = ResultJson.header(TASK, options, batch, learningRate, rc.training().config().threads(), frames,
                dataParameters(features, c));
        top.put("train_example_steps_forward_ratio", ResultJson.ratio(rc.training().forwardExampleSteps(), eos.training().forwardExampleSteps()));
        top.put("train_example_steps_backward_ratio", ResultJson.ratio(rc.training().backwardExampleSteps(), eos.training().backwardExampleSteps()));
        top.put("epochs", epochs);
        top.put("rc", modelJson(rc, c, frames));
        top.put("eos", modelJson(eos, c, frames));
        ResultJson.write(file, top);
    }

    /** The data set and front end, for the JSON header. */
    private Map<String, Object> dataParameters(SpeechCommandsFeatures features, LogMelConfig c) {
        Map<String, Object> dataParams = new LinkedHashMap<>();
        dataParams.put("data", data.toString());
        dataParams.put("kws_task", isCommands12() ? COMMANDS12 : WORDS20);
        dataParams.put("words", features.words());
        dataParams.put("training_clips", features.size(DataSplit.TRAINING));
        if (isCommands12()) {
            dataParams.put("training_unknown_percent", trainingUnknownPercent());
            dataParams.put("unknown_splice", unknownSplice);
            dataParams.put("unknown_draw", unknownDraw().name().toLowerCase(Locale.ROOT));
        }
        dataParams.put("validation_clips", features.size(DataSplit.VALIDATION));
        dataParams.put("test_clips", features.size(DataSplit.TEST));
        dataParams.put("mel_bands", c.melBands());
        dataParams.put("hop_ms", ms(c.hopLength(), c));
        dataParams.put("window_ms", ms(c.windowLength(), c));
        dataParams.put("front_end", features.frontEnd().toString());
        dataParams.put("augmentation", audio.describe());
        if (heldout != null) {
            dataParams.put("heldout", heldout.toString());
            dataParams.put("heldout_clips", heldoutBatches.stream().mapToInt(SequenceBatch::batchSize).sum());
        }
        return dataParams;
    }

    private Map<String, Object> modelJson(Result r, LogMelConfig c, int frames) {
        ModelRun run = new ModelRun(r.name(), r.training().config().lossMode(), r.training().config().beta(), r.training(), r.history(),
                r.test(), r.test().earlyExitExampleSteps(), Double.NaN);
        Map<String, Object> m = ResultJson.model(run, frames);
        m.put("mean_decision_ms", decisionMs(r.test().meanDecisionStep(), c));
        m.put("fraction_decided_before_word_end", r.beforeWordEnd());
        m.put("threshold_curve", curveJson(r.curve(), c));
        r.heldout().ifPresent(h -> m.put("heldout", scoredJson(h, c)));
        return m;
    }

    /** Accuracy, mean decision time and the curve of one evaluation set, for the JSON. */
    private static Map<String, Object> scoredJson(Scored s, LogMelConfig c) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("accuracy_first_spike", s.atRule().accuracyFirstSpike());
        h.put("accuracy_last_step", s.atRule().accuracyLastStep());
        h.put("mean_decision_step", s.atRule().meanDecisionStep());
        h.put("mean_decision_ms", decisionMs(s.atRule().meanDecisionStep(), c));
        h.put("clips", s.atRule().examples());
        h.put("threshold_curve", curveJson(s.curve(), c));
        return h;
    }

    /** The points of a threshold curve, each with its mean decision time in ms, for the JSON. */
    private static List<Object> curveJson(List<Evaluation> curve, LogMelConfig c) {
        List<Object> points = new ArrayList<>();
        for (Evaluation e : curve) {
            Map<String, Object> p = ResultJson.thresholdPoint(e);
            p.put("mean_decision_ms", decisionMs(e.meanDecisionStep(), c));
            points.add(p);
        }
        return points;
    }

    private List<Path> writePlots(Path dir, Result rc, Result eos, LogMelConfig c, int frames) throws IOException {
        List<SweepPlots.Curve> curves = List.of(curve("RC-trained, over thresholds", rc.curve(), c, 0),
                curve("EOS-trained, early exit over thresholds", eos.curve(), c, 1));
        List<Path> files = new ArrayList<>(SweepPlots.tradeoff(dir.resolve(TASK + "-tradeoff"),
                TASK + ": accuracy vs mean decision time, RC vs EOS early exit", "mean decision time (ms of audio)",
                decisionMs(frames, c), null, curves));
        Path hist = dir.resolve(TASK + "-decision-histogram.png");
        Plots.decisionHistogram(hist, TASK + ": decision frames on the test set (threshold " + options.threshold + ", 10 ms per frame)",
                frames, new String[] {"RC-trained", "EOS-trained"}, new long[][] {rc.test().decisionHistogram(), eos.test().decisionHistogram()});
        files.add(hist);
        return files;
    }

    private static SweepPlots.Curve curve(String name, List<Evaluation> sweep, LogMelConfig c, int color) {
        return SweepPlots.Curve.of(name, sweep, step -> decisionMs(step, c), true, color);
    }
}
