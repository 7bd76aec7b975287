package org.rankcoding.examples.cli;

import org.rankcoding.data.SequenceBatch;
import org.rankcoding.datasets.latency.BatchForm;
import org.rankcoding.eval.Evaluation;
import org.rankcoding.eval.Evaluator;
import org.rankcoding.eval.ThresholdSweep;
import org.rankcoding.examples.mnist.MnistDigits;
import org.rankcoding.examples.report.JsonOutput;
import org.rankcoding.io.LoadedModel;
import org.rankcoding.io.ModelFiles;
import org.rankcoding.rc.DecisionRuleSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code temporal-mnist-evaluate}: reads out a saved temporal-MNIST model ({@code temporal-mnist --save-model}) on the
 * held-out validation digits or the test digits, with the model's decision rule or another one ({@code --threshold},
 * {@code --threshold-schedule}, {@code --consecutive}, {@code --min-steps}), and optionally at a list of thresholds of
 * that rule from one pass. The model file's metadata gives the code (bins, pulse or held spikes), so the digits are
 * coded as in training; the validation digits are the last {@code --validation-limit} of the training file, as
 * {@code temporal-mnist} holds them out. Choose a rule on {@code --split validation}, then test it once with
 * {@code --split test}.
 */
@Command(name = TemporalMnistEvaluateCommand.NAME, mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reads out a saved temporal-MNIST model (temporal-mnist --save-model) on the held-out validation digits "
                + "or the test digits, at the model's decision rule or another: accuracy at the decision, mean decision step, "
                + "digits decided at step 1, and optionally a sweep over thresholds."})
public final class TemporalMnistEvaluateCommand implements Callable<Integer> {

    /** The subcommand's name. */
    public static final String NAME = "temporal-mnist-evaluate";

    private static final int BATCH = 500;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The model file written by temporal-mnist --save-model.")
    Path model;

    @Option(names = "--data", defaultValue = "data/mnist", paramLabel = "DIR",
            description = "The directory of the four IDX files the model was trained on (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--split", defaultValue = "test", paramLabel = "SPLIT",
            description = "The digits read out: validation (the training digits held out by --validation-limit) or test "
                    + "(default: ${DEFAULT-VALUE}).")
    String split;

    @Range(min = 1, max = 1e8, note = "the training run's --validation-limit")
    @Option(names = "--validation-limit", defaultValue = "2000", paramLabel = "N",
            description = "How many digits at the end of the training file the training run held out (its --validation-limit; "
                    + "default: ${DEFAULT-VALUE}, temporal-mnist's default). Only --split validation reads them.")
    int validationLimit;

    @Range(min = 1, max = 1e8)
    @Option(names = "--test-limit", paramLabel = "N", description = "Read out only the first N test digits (default: all).")
    Integer testLimit;

    @Range(min = 0.5, max = 1, above = true, below = true)
    @Option(names = "--threshold", paramLabel = "THETA", description = "Spike threshold (default: the model file's; a "
            + "per-step schedule of the file is moved to start there).")
    Double threshold;

    @Mixin
    DecisionRuleOptions rule;

    @Range(min = 0.5, max = 1, above = true, below = true)
    @Option(names = "--eval-thresholds", split = ",", paramLabel = "T,...",
            description = "Also read the same digits out at these thresholds of the decision rule, each in (0.5, 1) (a schedule "
                    + "moved to start at each, its consecutive count and minimum steps kept), from one pass (default: none).")
    double[] evalThresholds;

    @Range(min = 1, max = 1024)
    @Option(names = "--threads", paramLabel = "N", description = "Threads running the batches (default: every processor).")
    Integer threads;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures to FILE as JSON.")
    Path json;

    private final MnistDigits.Loader loader;

    /** The command reading MNIST's IDX files. */
    public TemporalMnistEvaluateCommand() {
        this(MnistDigits.MNIST_FILES);
    }

    /** A command loading its data with {@code loader} (tests use small made-up IDX files). */
    TemporalMnistEvaluateCommand(MnistDigits.Loader loader) {
        this.loader = loader;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean validation = splitIsValidation();
        checkOptions();
        LoadedModel m;
        try {
            m = ModelFiles.load(model);
        } catch (IOException e) {
            return fail(err, CliErrors.describe(model, e));
        }
        MnistDigits.Coding coding;
        try {
            coding = codingOf(m);
        } catch (IllegalArgumentException e) {
            return fail(err, model + ": " + e.getMessage());
        }
        int bins = coding.bins();
        MnistDigits digits;
        try {
            MnistDigits.Splits splits = MnistDigits.load(loader, data, null, validation ? validationLimit : 0, testLimit, coding);
            digits = validation ? splits.validation().orElseThrow() : splits.test();
        } catch (IOException | IllegalArgumentException e) {
            return fail(err, "cannot load the digits of " + data + ": " + CliErrors.describe(e));
        }
        if (digits.inputSize() != m.config().inputSize()) {
            return fail(err, model + " expects " + m.config().inputSize() + " inputs per step, but the images of " + data + " have "
                    + digits.inputSize() + " pixels: the model was trained on other images");
        }
        DecisionRuleSpec saved = m.decisionRule();
        DecisionRuleSpec chosen = rule.applyTo(saved, threshold);
        int workers = threads != null ? threads : Math.max(1, Runtime.getRuntime().availableProcessors());
        List<SequenceBatch> batches = digits.batches(digits.size(), BATCH);
        Evaluation e = Evaluator.evaluate(m.network(), batches, chosen, 1.0, workers);
        List<Evaluation> curve = evalThresholds == null ? List.of()
                : ThresholdSweep.sweep(m.network(), batches, chosen, evalThresholds, 1.0, workers);

        ReadOut r = new ReadOut(validation ? "validation" : "test", digits.size(), bins, coding.spikeCoding(), chosen, e, curve);
        r.print(out, model, data);
        if (json != null) {
            try {
                Files.writeString(json, JsonOutput.toJson(r.json(model, data)));
            } catch (IOException ex) {
                return fail(err, "cannot write " + json + ": " + CliErrors.describe(ex));
            }
            out.println("wrote " + json);
        }
        out.flush();
        return 0;
    }

    /**
     * How the digits of {@code m} were coded in training, from its metadata (undistorted, as sparse batches).
     *
     * @throws IllegalArgumentException saying what is wrong when {@code m} is not a temporal-MNIST model or its metadata
     *                                  lacks or garbles the code
     */
    private static MnistDigits.Coding codingOf(LoadedModel m) {
        if (!TemporalMnistCommand.TASK.equals(m.metadata("task"))) {
            throw new IllegalArgumentException("not a temporal-MNIST model (its task is " + (m.metadata("task") == null
                    ? "not recorded" : "'" + m.metadata("task") + "'") + "); write one with temporal-mnist --save-model");
        }
        String bins = m.metadata("bins");
        String coding = m.metadata("spike_coding");
        if (bins == null || coding == null) {
            throw new IllegalArgumentException("its metadata lacks " + (bins == null ? "'bins'" : "'spike_coding'") + ", which "
                    + "says how the digits were coded in training; write the model again with temporal-mnist --save-model");
        }
        try {
            return new MnistDigits.Coding(Integer.parseInt(bins), BatchForm.SPARSE, coding, 0, 0, 4.0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("its metadata's code (bins '" + bins + "', spike_coding '" + coding + "') is not "
                    + "valid: " + e.getMessage(), e);
        }
    }

    private boolean splitIsValidation() {
        return switch (split.toLowerCase(Locale.ROOT)) {
            case "validation" -> true;
            case "test" -> false;
            default -> throw new ParameterException(spec.commandLine(), "--split = '" + split + "', expected validation or test");
        };
    }

    private void checkOptions() {
        rule.checkWithThreshold(spec.commandLine(), threshold);
        EvalThresholds.check(evalThresholds);
    }

    private static int fail(PrintWriter err, String message) {
        err.println(NAME + ": " + message);
        err.flush();
        return 1;
    }

    /**
     * What a read-out found: the split and its size, the code, the rule, its evaluation and the sweep.
     *
     * @param split  {@code validation} or {@code test}
     * @param digits how many digits were read out
     * @param bins   steps per digit (the model's)
     * @param coding {@code pulse} or {@code held}
     * @param rule   the decision rule read out
     * @param at     the evaluation at {@code rule}
     * @param curve  the evaluations at the swept thresholds, in order (empty without a sweep)
     */
    private record ReadOut(String split, int digits, int bins, String coding, DecisionRuleSpec rule, Evaluation at,
                           List<Evaluation> curve) {

        void print(PrintWriter out, Path model, Path data) {
            out.printf(Locale.ROOT, "%s on the %,d %s digits of %s (%d steps, %s spikes), decision rule %s%n", model, digits, split,
                    data, bins, coding, rule);
            ResultTable t = new ResultTable("rule", "accuracy at decision", "mean step", "decided at step 1", "no spike",
                    "accuracy at last step");
            t.row(rule.toString(), ResultTable.fixed(at.accuracyFirstSpike(), 4), ResultTable.fixed(at.meanDecisionStep(), 3),
                    ResultTable.fixed(at.fractionDecidedAtFirstStep(), 4), ResultTable.fixed(at.noSpikeFraction(), 4),
                    ResultTable.fixed(at.accuracyLastStep(), 4));
            for (Evaluation c : curve) {
                t.row("threshold " + c.threshold(), ResultTable.fixed(c.accuracyFirstSpike(), 4),
                        ResultTable.fixed(c.meanDecisionStep(), 3), ResultTable.fixed(c.fractionDecidedAtFirstStep(), 4),
                        ResultTable.fixed(c.noSpikeFraction(), 4), "");
            }
            t.print(out);
        }

        Map<String, Object> json(Path model, Path data) {
            Map<String, Object> top = new LinkedHashMap<>();
            top.put("task", NAME);
            top.put("model", model.toString());
            top.put("data", data.toString());
            top.put("split", split);
            top.put("digits", digits);
            top.put("bins", bins);
            top.put("spike_coding", coding);
            top.put("decision_rule", rule.toString());
            top.put("accuracy_at_decision", at.accuracyFirstSpike());
            top.put("accuracy_last_step", at.accuracyLastStep());
            top.put("mean_decision_step", at.meanDecisionStep());
            top.put("fraction_decided_step_1", at.fractionDecidedAtFirstStep());
            top.put("no_spike_fraction", at.noSpikeFraction());
            top.put("decision_histogram", ResultJson.histogram(at, bins));
            top.put("accuracy_by_decision_step", ResultJson.byStep(at.accuracyByDecisionStep(), bins));
            List<Object> points = new ArrayList<>();
            for (Evaluation c : curve) {
                Map<String, Object> p = ResultJson.thresholdPoint(c);
                p.put("fraction_decided_step_1", c.fractionDecidedAtFirstStep());
                points.add(p);
            }
            top.put("threshold_curve", points);
            return top;
        }
    }
}
