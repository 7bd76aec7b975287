package org.rankcoding.examples.bench;

import org.rankcoding.examples.report.JsonOutput;
import org.rankcoding.examples.report.OutputPlan;
import org.rankcoding.train.TrainerConfig;
import org.rankcoding.examples.cli.PerProcessor;
import org.rankcoding.examples.cli.Range;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The options the benchmarks share (a picocli mixin): the model's hidden size, the batch, the threads, the learning rate,
 * the seed, the timed repetitions and the JSON file. Each benchmark names its own defaults with a {@link Defaults}
 * subclass as its command's default-value provider.
 */
public final class BenchOptions {

    /**
     * The defaults of the shared options for one benchmark, as picocli's default-value provider of its command (the help
     * shows them as written here).
     */
    abstract static class Defaults implements IDefaultValueProvider {
        private final Map<String, String> values;

        /** Defaults of {@code --hidden}, {@code --batch}, {@code --threads}, {@code --lr} and {@code --repetitions}. */
        Defaults(String hidden, String batch, String threads, String learningRate, String repetitions) {
            values = Map.of("--hidden", hidden, "--batch", batch, "--threads", threads, "--lr", learningRate, "--seed", "1",
                    "--repetitions", repetitions);
        }

        /** The default of a shared option, or {@code null} (the option's own default) for any other. */
        @Override
        public String defaultValue(ArgSpec argSpec) {
            return argSpec instanceof OptionSpec o ? values.get(o.longestName()) : null;
        }
    }

    /** LSTM hidden size. */
    @Range(min = 1, max = 65536)
    @Option(names = "--hidden", paramLabel = "H", description = "LSTM hidden size (default: ${DEFAULT-VALUE}).")
    int hidden;

    /** Rows per batch. */
    @Range(min = 1, max = 65536)
    @Option(names = "--batch", paramLabel = "N", description = "Sequences per batch (default: ${DEFAULT-VALUE}).")
    int batch;

    /** Threads of the training gradient and of the inference rows. */
    @Range(min = 1, max = 256)
    @PerProcessor
    @Option(names = "--threads", paramLabel = "N",
            description = "Threads of the training gradient and of the split-batch inference rows (default: ${DEFAULT-VALUE}).")
    int threads;

    /** Adam learning rate. */
    @Range(min = 0, max = 1, above = true, note = "Adam moves each weight by up to about RATE per step")
    @Option(names = "--lr", paramLabel = "RATE", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    /** Seed of the initial weights (and of generated data). */
    @Option(names = "--seed", paramLabel = "SEED", description = "Seed of the initial weights and of generated data (default: ${DEFAULT-VALUE}).")
    long seed;

    /** Timed repetitions of every measurement. */
    @Range(min = 1, max = 100000)
    @Option(names = "--repetitions", paramLabel = "N",
            description = "Timed repetitions of every measurement; the median (and the best) is reported (default: ${DEFAULT-VALUE}).")
    int repetitions;

    /** Where to write the JSON, or null. */
    @Option(names = "--json", paramLabel = "FILE", description = "Also write every figure as JSON to FILE.")
    Path json;

    /** Whether an existing {@code --json} file may be replaced. */
    @Option(names = "--overwrite", description = "Replace an existing --json file (without it, a run whose --json FILE exists is refused "
            + "before it starts).")
    boolean overwrite;

    /** Adds a message naming the option and the expected range to {@code bad} for every value out of range. */
    void validate(List<String> bad) {
        atLeast(bad, "--hidden", hidden, 1);
        atLeast(bad, "--batch", batch, 1);
        atLeast(bad, "--threads", threads, 1);
        atLeast(bad, "--repetitions", repetitions, 1);
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            bad.add("--lr = " + learningRate + ", expected a finite value > 0");
        }
    }

    /**
     * Rejects a command line with bad values: the messages in {@code bad} if there are any, else the message of the
     * {@link IllegalArgumentException} that {@code buildConfigs} throws (it builds the command's configurations), else
     * a {@code --json} file that cannot be written ({@link OutputPlan}), before anything is measured.
     *
     * @throws ParameterException of {@code commandLine} in either case
     */
    void reject(CommandLine commandLine, List<String> bad, Runnable buildConfigs) {
        if (!bad.isEmpty()) {
            throw new ParameterException(commandLine, String.join("; ", bad));
        }
        try {
            buildConfigs.run();
            OutputPlan.overwriting(overwrite).file("--json", json).check();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(commandLine, e.getMessage(), e);
        }
    }

    /**
     * A trainer configuration builder for {@code sequences} training sequences with these options' learning rate,
     * batch, seed and threads; the caller adds the loss mode and the threshold.
     */
    TrainerConfig.Builder configBuilder(long sequences) {
        return TrainerConfig.builder().learningRate(learningRate).batchSize(batch).trainSequences(sequences).seed(seed)
                .threads(threads);
    }

    /** Adds {@code "OPTION = VALUE, expected >= MIN"} to {@code bad} when {@code value < min}. */
    static void atLeast(List<String> bad, String option, long value, long min) {
        if (value < min) {
            bad.add(option + " = " + value + ", expected >= " + min);
        }
    }

    /** With {@code --json}: writes {@code figures} there and says so on {@code out}. */
    void writeJson(Map<String, Object> figures, PrintWriter out) throws IOException {
        if (json != null) {
            JsonOutput.write(json, figures);
            out.println("wrote " + json);
        }
    }
}
