package org.rankcoding.examples.cli;

import org.rankcoding.audio.DataSplit;
import org.rankcoding.audio.LogMelConfig;
import org.rankcoding.audio.SpeechClip;
import org.rankcoding.audio.SpeechCommands;
import org.rankcoding.audio.spotter.KeywordModel;
import org.rankcoding.data.InMemorySequences;
import org.rankcoding.data.LabeledSequence;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.eval.Evaluation;
import org.rankcoding.eval.ThresholdSweep;
import org.rankcoding.infer.BatchDecisions;
import org.rankcoding.infer.Decision;
import org.rankcoding.infer.RankCodingModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code keyword-evaluate}: tests a saved keyword model on the clips of a data set in the Speech Commands layout (a
 * held-out synthesizer, a user's own recordings), with the model's own front end, training-set statistics and decision
 * rule: accuracy at the decision and mean decision time, over all clips and per speaker (for the flite set, per voice).
 * The classes are the model's: a 12-class model ({@code _silence_}, {@code _unknown_} and the ten commands) opens the
 * data set as the 12-class task, any other the folders of its words. With {@code --eval-thresholds}, the same clips are
 * also read out at other thresholds of the model's decision rule (one pass), so that an operating point can be chosen on
 * the validation split and then tested once on the test split.
 */
@Command(name = KeywordEvaluateCommand.NAME, mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Tests a saved keyword model (keyword-spotting --save-model) on the clips of a data set in the Speech "
                + "Commands layout: accuracy at the model's decision and mean decision time, overall and per speaker."})
public final class KeywordEvaluateCommand implements Callable<Integer> {

    /** The subcommand's name. */
    public static final String NAME = "keyword-evaluate";

    private static final int BATCH = 256;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The model file written by keyword-spotting --save-model.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "The data set: one folder per word of the model, 1 s 16 kHz WAV clips (and _background_noise_ for a "
                    + "12-class model), as scripts/make-speech-commands and scripts/make-flite-words write it.")
    Path data;

    @Option(names = "--split", defaultValue = "all", paramLabel = "SPLIT",
            description = "The clips tested: all, training, validation or test (by validation_list.txt and testing_list.txt) "
                    + "(default: ${DEFAULT-VALUE}).")
    String split;

    @Range(min = 1, max = 1024)
    @Option(names = "--threads", paramLabel = "N", description = "Threads computing the features (default: every processor).")
    Integer threads;

    @Range(min = 0.5, max = 1, above = true, below = true)
    @Option(names = "--eval-thresholds", split = ",", paramLabel = "T,...",
            description = "Also read the same clips out at these thresholds of the model's decision rule, each in (0.5, 1) "
                    + "(its consecutive count and minimum steps kept): accuracy at the decision and mean decision time per "
                    + "threshold, from one pass. Choose an operating point with --split validation, test it with --split test "
                    + "(default: none).")
    double[] evalThresholds;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DataSplit only = splitOption();
        EvalThresholds.check(evalThresholds);
        Optional<KeywordModel> read = KeywordModelLoader.load(NAME, model, err);
        if (read.isEmpty()) {
            return 1;
        }
        KeywordModel m = read.get();
        int workers = threads != null ? threads : Math.max(1, Runtime.getRuntime().availableProcessors());
        List<SpeechClip> clips;
        List<LabeledSequence> sequences;
        try {
            SpeechCommands set = m.words().equals(SpeechCommands.TWELVE_CLASSES)
                    ? SpeechCommands.openTwelveClass(data, new SplittableRandom(SpeechCommands.INDEX_SEED))
                    : SpeechCommands.open(data, m.words());
            clips = only == null ? set.clips() : set.clips(only);
            sequences = only == null ? set.sequences(m.frontEnd(), m.normalizer(), workers)
                    : set.sequences(only, m.frontEnd(), m.normalizer(), workers);
        } catch (IOException | IllegalArgumentException e) {
            err.println(NAME + ": cannot load " + data + " for the model's words " + m.words() + ": " + CliErrors.describe(e));
            err.flush();
            return 1;
        }
        if (sequences.isEmpty()) {
            err.println(NAME + ": " + data + " has no " + (only == null ? "" : split.toLowerCase(Locale.ROOT) + " ") + "clips of "
                    + m.words());
            err.flush();
            return 1;
        }
        RankCodingModel net = m.model().model();
        LogMelConfig c = m.frontEnd().mel();
        Map<String, Tally> bySpeaker = new TreeMap<>();
        Tally total = new Tally();
        int k = 0;
        List<SequenceBatch> batches = new InMemorySequences(sequences, m.words().size()).batches(BATCH);
        for (SequenceBatch b : batches) {
            BatchDecisions d = net.classify(b);
            for (int r = 0; r < d.size(); r++, k++) {
                Decision decision = d.get(r);
                boolean right = decision.label() == sequences.get(k).label();
                double ms = KeywordSpottingCommand.decisionMs(decision.step(), c);
                total.add(right, ms);
                bySpeaker.computeIfAbsent(clips.get(k).speaker(), s -> new Tally()).add(right, ms);
            }
        }
        out.printf(Locale.ROOT, "%s on %s (%s clips): %d clips of %d classes, decision rule %s%n", model, data,
                only == null ? "all" : split.toLowerCase(Locale.ROOT), total.clips, m.words().size(), net.decisionRule());
        ResultTable t = new ResultTable("speaker", "clips", "accuracy", "mean ms");
        bySpeaker.forEach((speaker, s) -> t.row(speaker, Integer.toString(s.clips), ResultTable.fixed(s.accuracy(), 4),
                ResultTable.fixed(s.meanMs(), 0)));
        t.row("all", Integer.toString(total.clips), ResultTable.fixed(total.accuracy(), 4), ResultTable.fixed(total.meanMs(), 0));
        t.print(out);
        if (evalThresholds != null) {
            printSweep(out, m, batches, c, workers);
        }
        out.flush();
        return 0;
    }

    /**
     * The clips of {@code batches} read out at every threshold of {@code --eval-thresholds}, in the order given, on up to
     * {@code workers} threads.
     */
    private void printSweep(PrintWriter out, KeywordModel m, List<SequenceBatch> batches, LogMelConfig c, int workers) {
        List<Evaluation> curve = ThresholdSweep.sweep(m.model().network(), batches, m.model().decisionRule(), evalThresholds,
                1.0, workers);
        ResultTable t = new ResultTable("threshold", "accuracy", "mean ms", "no spike");
        for (int i = 0; i < evalThresholds.length; i++) {
            Evaluation e = curve.get(i);
            t.row(ResultTable.fixed(evalThresholds[i], 4), ResultTable.fixed(e.accuracyFirstSpike(), 4),
                    ResultTable.fixed(KeywordSpottingCommand.decisionMs(e.meanDecisionStep(), c), 0),
                    ResultTable.fixed(e.noSpikeFraction(), 4));
        }
        t.print(out);
    }

    /** The split of {@code --split}, or null for all. */
    private DataSplit splitOption() {
        return switch (split.toLowerCase(Locale.ROOT)) {
            case "all" -> null;
            case "training" -> DataSplit.TRAINING;
            case "validation" -> DataSplit.VALIDATION;
            case "test" -> DataSplit.TEST;
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--split = '" + split
                    + "', expected all, training, validation or test");
        };
    }

    /** Right answers and decision times of a group of clips. */
    private static final class Tally {
        int clips;
        int right;
        double ms;

        void add(boolean correct, double decisionMs) {
            clips++;
            right += correct ? 1 : 0;
            ms += decisionMs;
        }

        double accuracy() {
            return (double) right / clips;
        }

        double meanMs() {
            return ms / clips;
        }
    }
}
