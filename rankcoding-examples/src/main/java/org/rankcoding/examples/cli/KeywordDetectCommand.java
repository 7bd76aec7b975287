package org.rankcoding.examples.cli;

import org.rankcoding.audio.AudioClip;
import org.rankcoding.audio.WavReader;
import org.rankcoding.audio.detection.DetectionScorer;
import org.rankcoding.audio.detection.FalseAlarms;
import org.rankcoding.audio.detection.OperatingCurve;
import org.rankcoding.audio.detection.StreamLabels;
import org.rankcoding.audio.detection.StreamScore;
import org.rankcoding.audio.spotter.KeywordEvent;
import org.rankcoding.audio.spotter.KeywordModel;
import org.rankcoding.audio.spotter.KeywordSpotter;
import org.rankcoding.rc.DecisionRuleSpec;
import org.rankcoding.rc.FirstSpikeDetector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code keyword-detect}: runs keyword models as live spotters over long labelled recordings (from
 * {@code scripts/make-keyword-streams}) at several thresholds and reports what users of keyword spotters compare: the
 * detection rate and false rejection rate, false alarms per hour, and the detection latency from the word's onset,
 * with the operating points at a false-alarm budget and at a detection rate. Several models (an RC and an EOS model of
 * the same recipe) are compared side by side on the same recordings.
 */
@Command(name = KeywordDetectCommand.NAME, mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs keyword models (from keyword-spotting --save-model / --save-eos-model) as live spotters over long "
                + "labelled recordings (scripts/make-keyword-streams) and reports detection rate, false alarms per hour and "
                + "detection latency over thresholds, at the models' decision rules or one given by --consecutive, --min-steps and "
                + "--threshold-schedule."})
public final class KeywordDetectCommand implements Callable<Integer> {

    /** The subcommand's name. */
    public static final String NAME = "keyword-detect";

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "A keyword model file; repeat the option to compare models on the same recordings.")
    List<Path> models;

    @Option(names = "--streams", required = true, paramLabel = "DIR",
            description = "Directory of long recordings NAME.wav, each with its NAME.labels.csv (word,start_sample,end_sample).")
    Path streams;

    @Range(min = 0.5, max = 1, above = true, below = true)
    @Option(names = "--thresholds", split = ",", defaultValue = "0.7,0.8,0.9,0.95,0.99", paramLabel = "T,...",
            description = "Thresholds each model runs at; each is one pass over every recording (default: ${DEFAULT-VALUE}).")
    double[] thresholds;

    @Range(min = 0, max = 60000)
    @Option(names = "--tolerance-ms", defaultValue = "500", paramLabel = "MS",
            description = "An event detects a labelled keyword from its onset until MS ms after its end (default: ${DEFAULT-VALUE}).")
    int toleranceMs;

    @Range(min = 0, max = 1e6)
    @Option(names = "--false-alarms-per-hour", defaultValue = "2", paramLabel = "F",
            description = "The false-alarm budget of the reported operating point (default: ${DEFAULT-VALUE} per hour).")
    double falseAlarmBudget;

    @Range(min = 0, max = 1)
    @Option(names = "--detection-rate", defaultValue = "0.9", paramLabel = "D",
            description = "The detection rate at which false alarms per hour are reported (default: ${DEFAULT-VALUE}).")
    double detectionTarget;

    @Option(names = "--keywords", split = ",", paramLabel = "W,...",
            description = "The words that count as keywords (default: every word of the model but _silence_ and _unknown_).")
    List<String> keywords;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write every point of every model's curve as JSON.")
    Path json;

    @Mixin
    DecisionRuleOptions rule;

    @Mixin
    SpotterOptions sessions;

    /** One model's curve over the thresholds, and the decision rule it ran (moved to each threshold). */
    private record ModelCurve(Path file, DecisionRuleSpec rule, OperatingCurve curve) {
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        for (double t : thresholds) {
            try {
                FirstSpikeDetector.requireThreshold(t);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--thresholds: " + e.getMessage(), e);
            }
        }
        sessions.policy(spec.commandLine());
        rule.check(spec.commandLine());
        List<Path> wavs = recordings();
        Optional<List<KeywordModel>> read = KeywordModelLoader.loadAll(NAME, models, spec.commandLine().getErr());
        if (read.isEmpty()) {
            return 1;
        }
        List<KeywordModel> loaded = read.get();
        int rate = loaded.get(0).frontEnd().mel().sampleRate();
        List<AudioClip> audio = new ArrayList<>();
        List<StreamLabels> labels = new ArrayList<>();
        for (Path wav : wavs) {
            try {
                audio.add(WavReader.read(wav, rate));
                labels.add(StreamLabels.forRecording(wav));
            } catch (IOException e) {
                return fail(wav, e);
            }
        }
        double hours = labels.stream().mapToDouble(StreamLabels::hours).sum();
        Set<String> words = keywordSet(loaded.get(0));
        DetectionScorer scorer = new DetectionScorer(words, toleranceMs / 1000.0);
        long spoken = labels.stream().mapToLong(l -> l.words(words).size()).sum();
        out.printf(Locale.ROOT, "%s: %d recordings, %.3f h, %d keywords spoken (%s); tolerance %d ms after the word's end; %s sessions%n",
                streams, wavs.size(), hours, spoken, String.join(",", words), toleranceMs, sessions.policy(spec.commandLine())
                        .name().toLowerCase(Locale.ROOT));
        List<ModelCurve> curves = new ArrayList<>();
        for (int i = 0; i < loaded.size(); i++) {
            DecisionRuleSpec chosen = rule.applyTo(loaded.get(i).model().decisionRule());
            OperatingCurve curve = OperatingCurve.sweep(scorer, labels, events(loaded.get(i), chosen, words, audio));
            curves.add(new ModelCurve(models.get(i), chosen, curve));
            print(out, models.get(i), chosen, curve);
            out.flush();
        }
        if (json != null) {
            writeJson(curves, hours, spoken);
            out.println("wrote " + json);
        }
        out.flush();
        return 0;
    }

    /** One line naming the file and what is wrong with it; exit code 1. */
    private int fail(Path file, IOException e) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(NAME + ": " + CliErrors.describe(file, e));
        err.flush();
        return 1;
    }

    /** The recordings of {@code --streams}: every {@code *.wav} with a labels file, in name order. */
    private List<Path> recordings() throws IOException {
        if (!Files.isDirectory(streams)) {
            throw new ParameterException(spec.commandLine(), "--streams " + streams + " is not a directory; make one with "
                    + "scripts/make-keyword-streams DIR");
        }
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(streams, "*.wav")) {
            dir.forEach(out::add);
        }
        out.sort(null);
        if (out.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--streams " + streams + " holds no .wav recordings; make them with "
                    + "scripts/make-keyword-streams DIR");
        }
        return out;
    }

    /** The keywords: {@code --keywords}, each a word of the model, or the model's words but the non-keyword classes. */
    private Set<String> keywordSet(KeywordModel model) {
        Set<String> out = new LinkedHashSet<>();
        for (String w : keywords != null ? keywords : model.words()) {
            if (keywords != null && !model.words().contains(w)) {
                throw new ParameterException(spec.commandLine(), "--keywords: '" + w + "' is not a word of the model " + model.words());
            }
            if (keywords != null || !KeywordSpotter.NON_KEYWORDS.contains(w)) {
                out.add(w);
            }
        }
        return out;
    }

    /**
     * Per threshold, the events of each recording (in order) as {@code model} spots them live, deciding by {@code rule}
     * moved to start at the threshold.
     */
    private Map<Double, List<List<KeywordEvent>>> events(KeywordModel model, DecisionRuleSpec rule, Set<String> words,
            List<AudioClip> audio) {
        Map<Double, List<List<KeywordEvent>>> out = new TreeMap<>();
        for (double t : thresholds) {
            KeywordSpotter spotter = sessions.applyTo(KeywordSpotter.builder(model).decisionRule(rule).threshold(t).keywords(words),
                    spec.commandLine()).build();
            List<List<KeywordEvent>> perRecording = new ArrayList<>();
            for (AudioClip clip : audio) {
                spotter.reset();
                perRecording.add(spotter.feed(clip.samples()));
            }
            out.put(t, perRecording);
        }
        return out;
    }

    private void print(PrintWriter out, Path model, DecisionRuleSpec rule, OperatingCurve curve) {
        if (!rule.isThresholdCrossing()) {
            out.printf(Locale.ROOT, "%s decides by the rule %s, moved to start at each threshold%n", model, rule);
        }
        ResultTable t = new ResultTable(model.toString(), "threshold", "detected", "FRR", "false alarms / h", "onset latency ms (median)",
                "decided before word end", "false alarms in: other words / no speech / other keyword / repeat");
        for (OperatingCurve.Point p : curve.points()) {
            StreamScore s = p.score();
            t.row("", ResultTable.fixed(p.threshold(), 4), ResultTable.fixed(s.detectionRate(), 4), ResultTable.fixed(s.falseRejectionRate(), 4),
                    ResultTable.fixed(s.falseAlarmsPerHour(), 2), ResultTable.fixed(1000 * s.onsetLatency().median(), 0),
                    ResultTable.fixed(s.fractionDecidedBeforeWordEnd(), 4), causes(s.falseAlarmCauses()));
        }
        t.print(out);
        Optional<OperatingCurve.Point> budget = curve.atFalseAlarmRate(falseAlarmBudget);
        out.printf(Locale.ROOT, "at <= %s false alarms per hour: %s%n", falseAlarmBudget, budget.map(KeywordDetectCommand::describe)
                .orElse("no threshold stays within the budget"));
        Optional<OperatingCurve.Point> rate = curve.atDetectionRate(detectionTarget);
        out.printf(Locale.ROOT, "at >= %s detection: %s%n", detectionTarget, rate.map(KeywordDetectCommand::describe)
                .orElse("no threshold detects that many"));
    }

    private static String causes(FalseAlarms f) {
        return f.otherWords() + " / " + f.noSpeech() + " / " + f.wrongKeywords() + " / " + f.repeats();
    }

    private static String describe(OperatingCurve.Point p) {
        StreamScore s = p.score();
        return String.format(Locale.ROOT, "threshold %s, detection %.4f (FRR %.4f), %.2f false alarms per hour, median onset latency %.0f ms",
                p.threshold(), s.detectionRate(), s.falseRejectionRate(), s.falseAlarmsPerHour(), 1000 * s.onsetLatency().median());
    }

    private void writeJson(List<ModelCurve> curves, double hours, long spoken) throws IOException {
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("task", NAME);
        top.put("streams", streams.toString());
        top.put("hours", hours);
        top.put("keywords_spoken", spoken);
        top.put("tolerance_ms", toleranceMs);
        top.put("reset_policy", sessions.policy(spec.commandLine()).name().toLowerCase(Locale.ROOT));
        top.put("refractory_ms", sessions.refractoryMs());
        List<Object> list = new ArrayList<>();
        for (ModelCurve c : curves) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", c.file().toString());
            m.put("decision_rule", c.rule().toString());
            List<Object> points = new ArrayList<>();
            for (OperatingCurve.Point p : c.curve().points()) {
                StreamScore s = p.score();
                Map<String, Object> q = new LinkedHashMap<>();
                q.put("threshold", p.threshold());
                q.put("detections", s.detections());
                q.put("keywords", s.keywordLabels());
                q.put("detection_rate", s.detectionRate());
                q.put("false_rejection_rate", s.falseRejectionRate());
                q.put("false_alarms", s.falseAlarms());
                q.put("false_alarms_per_hour", s.falseAlarmsPerHour());
                FalseAlarms f = s.falseAlarmCauses();
                Map<String, Object> in = new LinkedHashMap<>();
                in.put("other_words", f.otherWords());
                in.put("no_speech", f.noSpeech());
                in.put("other_keywords", f.wrongKeywords());
                in.put("repeats", f.repeats());
                q.put("false_alarms_in", in);
                q.put("onset_latency_median_s", s.onsetLatency().median());
                q.put("onset_latency_quartiles_s", List.of(s.onsetLatency().lowerQuartile(), s.onsetLatency().upperQuartile()));
                q.put("end_latency_median_s", s.endLatency().median());
                q.put("fraction_decided_before_word_end", s.fractionDecidedBeforeWordEnd());
                points.add(q);
            }
            m.put("points", points);
            c.curve().atFalseAlarmRate(falseAlarmBudget).ifPresent(p -> m.put("at_false_alarm_budget", p.threshold()));
            c.curve().atDetectionRate(detectionTarget).ifPresent(p -> m.put("at_detection_rate", p.threshold()));
            list.add(m);
        }
        top.put("models", list);
        ResultJson.write(json, top);
    }
}
