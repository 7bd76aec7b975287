package org.rankcoding.examples.cli;

import org.rankcoding.eval.Evaluation;
import org.rankcoding.rc.DecisionRuleSpec;
import org.rankcoding.examples.report.JsonOutput;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.train.TrainingResult;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON result keys shared by the training subcommands, so that every task's file has the same layout:
 * a header of settings ({@link #header}), then one object per model ({@link #model}) with the test
 * evaluation, the training work and the validation history.
 */
final class ResultJson {

    private ResultJson() {
    }

    /**
     * The settings every result file starts with: {@code task, seed, threshold, decision_rule, beta, hidden, layers, batch,
     * learning_rate, lr_schedule, horizon, clip, weight_decay, dropout, input_dropout, prefix_loss, weight_average, patience, stopping_metric, threads,
     * sequence_length, generator, kernels}.
     *
     * @param generator the data's parameters (a generator's options, or the data set and its encoding)
     */
    static Map<String, Object> header(String task, TrainingOptions o, int batch, double learningRate, int threads, int sequenceLength,
                                      Map<String, Object> generator) {
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("task", task);
        top.put("seed", o.seed);
        DecisionRuleSpec rule = o.decisionRule();
        top.put("threshold", rule.startThreshold()); // --threshold, or the schedule's at step 1
        top.put("decision_rule", rule.toString());
        top.put("beta", o.beta);
        top.put("hidden", o.hidden);
        top.put("layers", o.layers);
        top.put("batch", batch);
        top.put("learning_rate", learningRate);
        top.put("lr_schedule", o.schedule.name());
        top.put("horizon", o.horizon);
        top.put("clip", o.clip);
        top.put("weight_decay", o.weightDecay);
        top.put("dropout", o.dropout);
        top.put("input_dropout", o.inputDropout);
        top.put("prefix_loss", o.prefixLoss);
        top.put("weight_average", o.weightAverage);
        top.put("patience", o.patience);
        top.put("stopping_metric", o.stoppingMetric.name());
        top.put("threads", threads);
        top.put("sequence_length", sequenceLength);
        top.put("generator", generator);
        top.put("kernels", Kernels.best().name());
        return top;
    }

    /**
     * One model's keys: loss mode, beta, the test evaluation (accuracies, decision-step statistics, histogram),
     * the training work and time, the early-exit inference on the test set and the validation history.
     *
     * @param sequenceLength the length the histogram is cut to
     */
    static Map<String, Object> model(ModelRun run, int sequenceLength) {
        Evaluation e = run.test();
        TrainingResult t = run.training();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("loss_mode", run.mode().name());
        m.put("beta", run.beta());
        m.put("accuracy_first_spike", e.accuracyFirstSpike());
        m.put("accuracy_last_step", e.accuracyLastStep());
        m.put("mean_decision_step", e.meanDecisionStep());
        m.put("median_decision_step", e.medianDecisionStep());
        m.put("no_spike_fraction", e.noSpikeFraction());
        m.put("earliness", e.earliness());
        m.put("harmonic_mean", e.harmonicMean());
        m.put("train_example_steps_forward", t.forwardExampleSteps());
        m.put("train_example_steps_backward", t.backwardExampleSteps());
        m.put("train_sequences", t.sequences());
        m.put("train_batches", t.batches());
        m.put("stopped_early", t.stoppedEarly());
        m.put("train_seconds", t.seconds());
        m.put("test_sequences", e.examples());
        m.put("test_example_steps_early_exit", run.earlyExitSteps());
        m.put("test_seconds_early_exit", run.earlyExitSeconds());
        m.put("decision_histogram", histogram(e, sequenceLength));
        m.put("validation", history(run.history()));
        return m;
    }

    /** A validation history as JSON: per point the sequences trained so far and the validation's figures. */
    static List<Object> history(List<ValidationPoint> points) {
        List<Object> history = new ArrayList<>();
        for (ValidationPoint p : points) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("sequences", p.sequences());
            v.put("accuracy_first_spike", p.accuracyFirstSpike());
            v.put("accuracy_last_step", p.accuracyLastStep());
            v.put("mean_decision_step", p.meanDecisionStep());
            v.put("no_spike_fraction", p.noSpikeFraction());
            history.add(v);
        }
        return history;
    }

    /** One point of a threshold sweep: threshold, accuracy at first spike, mean decision step, no-spike fraction, earliness, harmonic mean. */
    static Map<String, Object> thresholdPoint(Evaluation e) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("threshold", e.threshold());
        p.put("accuracy_first_spike", e.accuracyFirstSpike());
        p.put("mean_decision_step", e.meanDecisionStep());
        p.put("no_spike_fraction", e.noSpikeFraction());
        p.put("earliness", e.earliness());
        p.put("harmonic_mean", e.harmonicMean());
        return p;
    }

    /** Counts of examples decided at steps 1..length ({@code [i]} is step {@code i + 1}). */
    static long[] histogram(Evaluation e, int sequenceLength) {
        return byStep(e.decisionHistogram(), sequenceLength);
    }

    /** {@code perStep[1 .. length]} (index 0 unused, as in {@link Evaluation}) shifted to {@code [0 .. length - 1]}, zero-padded. */
    static long[] byStep(long[] perStep, int sequenceLength) {
        long[] out = new long[sequenceLength];
        for (int t = 1; t < perStep.length && t <= out.length; t++) {
            out[t - 1] = perStep[t];
        }
        return out;
    }

    /** As {@link #byStep(long[], int)} for doubles, padded with NaN (written as {@code null}). */
    static double[] byStep(double[] perStep, int sequenceLength) {
        double[] out = new double[sequenceLength];
        for (int t = 1; t <= out.length; t++) {
            out[t - 1] = t < perStep.length ? perStep[t] : Double.NaN;
        }
        return out;
    }

    /** {@code a / b}, or NaN (written as {@code null}) when {@code b} is 0. */
    static double ratio(double a, double b) {
        return b == 0 ? Double.NaN : a / b;
    }

    /** Writes {@code top} to {@code file}, creating its directory. */
    static void write(Path file, Map<String, Object> top) throws IOException {
        JsonOutput.write(file, top);
    }
}
