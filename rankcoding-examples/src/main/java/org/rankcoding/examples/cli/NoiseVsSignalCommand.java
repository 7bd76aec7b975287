package org.rankcoding.examples.cli;

import org.rankcoding.data.BatchSource;
import org.rankcoding.examples.report.Plots;
import org.rankcoding.examples.toy.BayesFrontier;
import org.rankcoding.examples.toy.NoiseVsSignalSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The noise-vs-signal demo; see {@link NoiseVsSignalSource} and {@link BayesFrontier}. */
@Command(name = "noise-vs-signal", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Noise vs signal: is the mean of a noisy sequence positive or negative?",
                "Trains an RC model and an EOS baseline, evaluates both on a fresh test set and compares them with the "
                        + "Bayes-optimal frontier."})
public final class NoiseVsSignalCommand extends ToyTaskCommand {

    /** Default training budget per model, sized so that the whole demo takes about two minutes on two cores. */
    public static final String DEFAULT_TRAIN_SEQUENCES = "200000";

    @Range(min = 1, max = 1e12)
    @Option(names = "--train-sequences", defaultValue = DEFAULT_TRAIN_SEQUENCES, paramLabel = "N",
            description = "Training budget per model, in fresh sequences (default: ${DEFAULT-VALUE}; the reference uses 2,000,000).")
    long trainSequences;

    @Range(min = 1, max = 100000)
    @Option(names = "--length", defaultValue = "40", paramLabel = "T", description = "Sequence length (default: ${DEFAULT-VALUE}).")
    int length;

    @Range(min = 0, max = 100, above = true)
    @Option(names = "--mean", defaultValue = "0.05", paramLabel = "MU",
            description = "Signal magnitude: the mean is +MU for class 1 and -MU for class 0 (default: ${DEFAULT-VALUE}).")
    double mean;

    @Range(min = 0, max = 100)
    @Option(names = "--sigma-min", defaultValue = "0.05", paramLabel = "S",
            description = "Smallest per-sequence noise level (default: ${DEFAULT-VALUE}).")
    double sigmaMin;

    @Range(min = 0, max = 100)
    @Option(names = "--sigma-max", defaultValue = "0.25", paramLabel = "S",
            description = "Largest per-sequence noise level (default: ${DEFAULT-VALUE}).")
    double sigmaMax;

    @Range(min = 1, max = 100000, note = "and at most --length")
    @Option(names = "--change-point", paramLabel = "STEP",
            description = "Last step that carries the signal; pure noise after it (default: the sequence length, no change point).")
    Integer changePoint;

    private NoiseVsSignalSource source;

    @Override
    protected String task() {
        return "noise-vs-signal";
    }

    @Override
    protected BatchSource createSource() {
        source = new NoiseVsSignalSource(length, mean, sigmaMin, sigmaMax, changePoint == null ? length : changePoint);
        return source;
    }

    @Override
    protected int sequenceLength() {
        return length;
    }

    @Override
    protected long trainSequences() {
        return trainSequences;
    }

    @Override
    protected Map<String, Object> generatorParameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("length", length);
        m.put("mean", mean);
        m.put("sigma_min", sigmaMin);
        m.put("sigma_max", sigmaMax);
        m.put("change_point", changePoint == null ? length : changePoint);
        return m;
    }

    /** The Bayes frontier of this configuration, or {@code null} when the generator is not the reference one. */
    @Override
    protected BayesFrontier frontier() {
        return source != null && source.isReference() ? BayesFrontier.NOISE_VS_SIGNAL : null;
    }

    @Override
    protected void addTaskRows(ResultTable table, ModelRun rc, ModelRun eos) {
        BayesFrontier f = frontier();
        if (f == null) {
            table.row("Bayes frontier accuracy at own mean step", "n/a", "n/a", "(reference generator only)");
            return;
        }
        double fa = f.accuracyAt(rc.test().meanDecisionStep());
        double fb = f.accuracyAt(eos.test().meanDecisionStep());
        table.row("Bayes frontier accuracy at own mean step", ResultTable.fixed(fa, 4), ResultTable.fixed(fb, 4));
        table.row("gap to frontier (frontier - acc at spike)", ResultTable.fixed(fa - rc.test().accuracyFirstSpike(), 4),
                ResultTable.fixed(fb - eos.test().accuracyFirstSpike(), 4));
    }

    @Override
    protected void addTaskJson(Map<String, Object> top, Map<String, Object> model, ModelRun run) {
        BayesFrontier f = frontier();
        Double fa = f == null ? null : f.accuracyAt(run.test().meanDecisionStep());
        model.put("bayes_frontier_accuracy", fa);
        model.put("bayes_frontier_gap", fa == null ? null : fa - run.test().accuracyFirstSpike());
    }

    @Override
    protected List<Path> writeTaskPlots(Path dir, ModelRun rc, ModelRun eos) throws IOException {
        Path file = dir.resolve(task() + "-tradeoff.png");
        Plots.tradeoff(file, task() + ": accuracy vs decision time (threshold " + options.threshold + ")", length, frontier(),
                new String[] {"RC-trained", "EOS-trained"},
                new double[] {rc.test().meanDecisionStep(), eos.test().meanDecisionStep()},
                new double[] {rc.test().accuracyFirstSpike(), eos.test().accuracyFirstSpike()});
        return List.of(file);
    }
}
