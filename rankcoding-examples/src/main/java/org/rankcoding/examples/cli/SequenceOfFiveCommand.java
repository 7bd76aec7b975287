package org.rankcoding.examples.cli;

import org.rankcoding.data.BatchSource;
import org.rankcoding.eval.TimingMetrics;
import org.rankcoding.examples.toy.SequenceOfFiveSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** The sequence-of-five demo; see {@link SequenceOfFiveSource}. */
@Command(name = "sequence-of-five", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sequence of five: does a run of five equal bits occur in 25 random bits?",
                "Trains an RC model and an EOS baseline and scores when they decide against the optimal step "
                        + "(the end of the first run)."})
public final class SequenceOfFiveCommand extends ToyTaskCommand {

    /** Default training budget per model, sized so that the demo takes about two minutes on two cores. */
    public static final String DEFAULT_TRAIN_SEQUENCES = "300000";

    @Range(min = 1, max = 1e12)
    @Option(names = "--train-sequences", defaultValue = DEFAULT_TRAIN_SEQUENCES, paramLabel = "N",
            description = "Training budget per model, in fresh sequences (default: ${DEFAULT-VALUE}; the reference uses 1,000,000).")
    long trainSequences;

    @Range(min = 1, max = 100000)
    @Option(names = "--length", defaultValue = "25", paramLabel = "T", description = "Number of bits (default: ${DEFAULT-VALUE}).")
    int length;

    @Range(min = 1, max = 100000, note = "and below --length")
    @Option(names = "--run-length", defaultValue = "5", paramLabel = "K",
            description = "Length of the run of equal bits to spot (default: ${DEFAULT-VALUE}).")
    int runLength;

    @Range(min = 0, max = 1, above = true, below = true)
    @Option(names = "--bit-probability", defaultValue = "0.5", paramLabel = "P",
            description = "Probability of a 1 bit (default: ${DEFAULT-VALUE}).")
    double bitProbability;

    private SequenceOfFiveSource source;

    @Override
    protected String task() {
        return "sequence-of-five";
    }

    @Override
    protected BatchSource createSource() {
        source = new SequenceOfFiveSource(length, runLength, bitProbability);
        return source;
    }

    @Override
    protected int sequenceLength() {
        return length;
    }

    @Override
    protected double timingWindow() {
        return source.timingWindow();
    }

    @Override
    protected long trainSequences() {
        return trainSequences;
    }

    @Override
    protected Map<String, Object> generatorParameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("length", length);
        m.put("run_length", runLength);
        m.put("bit_probability", bitProbability);
        return m;
    }

    @Override
    protected void addTaskRows(ResultTable table, ModelRun rc, ModelRun eos) {
        TimingMetrics a = rc.test().timing();
        TimingMetrics b = eos.test().timing();
        table.row("mean lag after the optimal step (correct positives)", ResultTable.fixed(a.meanLag(), 2),
                ResultTable.fixed(b.meanLag(), 2));
        table.row("premature spikes (positives)", ResultTable.count(a.prematureSpikes()), ResultTable.count(b.prematureSpikes()));
        table.row("premature fraction of positives", ResultTable.fixed(a.prematureFraction(), 4), ResultTable.fixed(b.prematureFraction(), 4));
        table.row("timing-aware loss (lower is better)", ResultTable.fixed(a.timingLoss(), 4), ResultTable.fixed(b.timingLoss(), 4));
    }

    @Override
    protected void addTaskJson(Map<String, Object> top, Map<String, Object> model, ModelRun run) {
        TimingMetrics t = run.test().timing();
        top.put("timing_window", source.timingWindow());
        model.put("mean_lag", t.meanLag());
        model.put("premature_spikes", t.prematureSpikes());
        model.put("premature_fraction", t.prematureFraction());
        model.put("timing_loss", t.timingLoss());
        model.put("positives", t.positives());
    }
}
