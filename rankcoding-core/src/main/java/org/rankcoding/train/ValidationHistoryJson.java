package org.rankcoding.train;

import com.fasterxml.jackson.core.JsonGenerator;
import org.rankcoding.eval.Evaluation;
import org.rankcoding.eval.TimingMetrics;
import org.rankcoding.io.ModelFileException;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's validation history as JSON with named fields (the {@code validations} metadata entry of a checkpoint):
 * an array of objects, oldest first, each
 * <pre>{@code
 * {"progress": {"batches", "sequences", "total_sequences", "batch_loss", "mean_decision_step",
 *               "forward_example_steps", "backward_example_steps", "seconds"},
 *  "evaluation": {"examples", "threshold", "accuracy_first_spike", "accuracy_last_step", "mean_decision_step",
 *                 "median_decision_step", "no_spike_fraction", "earliness", "harmonic_mean",
 *                 "early_exit_example_steps", "full_example_steps", "decision_histogram": [...],
 *                 "correct_histogram": [...], "per_class_mean_decision_step": [...],
 *                 "timing": {"mean_lag", "premature_spikes", "premature_fraction", "timing_loss", "positives"}}}
 * }</pre>
 * ({@code timing} only when the validation data had optimal steps). Doubles are written with
 * {@link Double#toString(double)}, non-finite ones as the strings {@code "NaN"}, {@code "Infinity"} and
 * {@code "-Infinity"}, so that every value reads back exactly.
 */
final class ValidationHistoryJson {

    private static final String PROGRESS = "progress";
    private static final String EVALUATION = "evaluation";
    private static final String TIMING = "timing";

    private ValidationHistoryJson() {
    }

    /** The JSON text of {@code validations}. */
    static String write(List<ValidationRecord> validations) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = NamedFields.JSON.createGenerator(out)) {
            g.writeStartArray();
            for (ValidationRecord v : validations) {
                g.writeStartObject();
                g.writeObjectFieldStart(PROGRESS);
                writeProgress(g, v.progress());
                g.writeEndObject();
                g.writeObjectFieldStart(EVALUATION);
                writeEvaluation(g, v.evaluation());
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to a string cannot fail", e);
        }
        return out.toString();
    }

    private static void writeProgress(JsonGenerator g, TrainingProgress p) throws IOException {
        g.writeNumberField("batches", p.batches());
        g.writeNumberField("sequences", p.sequences());
        g.writeNumberField("total_sequences", p.totalSequences());
        writeDouble(g, "batch_loss", p.batchLoss());
        writeDouble(g, "mean_decision_step", p.meanDecisionStep());
        g.writeNumberField("forward_example_steps", p.forwardExampleSteps());
        g.writeNumberField("backward_example_steps", p.backwardExampleSteps());
        writeDouble(g, "seconds", p.seconds());
    }

    private static void writeEvaluation(JsonGenerator g, Evaluation e) throws IOException {
        g.writeNumberField("examples", e.examples());
        writeDouble(g, "threshold", e.threshold());
        writeDouble(g, "accuracy_first_spike", e.accuracyFirstSpike());
        writeDouble(g, "accuracy_last_step", e.accuracyLastStep());
        writeDouble(g, "mean_decision_step", e.meanDecisionStep());
        writeDouble(g, "median_decision_step", e.medianDecisionStep());
        writeDouble(g, "no_spike_fraction", e.noSpikeFraction());
        writeDouble(g, "earliness", e.earliness());
        writeDouble(g, "harmonic_mean", e.harmonicMean());
        g.writeNumberField("early_exit_example_steps", e.earlyExitExampleSteps());
        g.writeNumberField("full_example_steps", e.fullExampleSteps());
        writeLongs(g, "decision_histogram", e.decisionHistogram());
        writeLongs(g, "correct_histogram", e.correctHistogram());
        g.writeArrayFieldStart("per_class_mean_decision_step");
        for (double d : e.perClassMeanDecisionStep()) {
            writeDouble(g, d);
        }
        g.writeEndArray();
        TimingMetrics t = e.timing();
        if (t != null) {
            g.writeObjectFieldStart(TIMING);
            writeDouble(g, "mean_lag", t.meanLag());
            g.writeNumberField("premature_spikes", t.prematureSpikes());
            writeDouble(g, "premature_fraction", t.prematureFraction());
            writeDouble(g, "timing_loss", t.timingLoss());
            g.writeNumberField("positives", t.positives());
            g.writeEndObject();
        }
    }

    private static void writeLongs(JsonGenerator g, String name, long[] values) throws IOException {
        g.writeArrayFieldStart(name);
        for (long v : values) {
            g.writeNumber(v);
        }
        g.writeEndArray();
    }

    private static void writeDouble(JsonGenerator g, String name, double v) throws IOException {
        g.writeFieldName(name);
        writeDouble(g, v);
    }

    private static void writeDouble(JsonGenerator g, double v) throws IOException {
        if (Double.isFinite(v)) {
            g.writeNumber(Double.toString(v));
        } else {
            g.writeString(Double.toString(v));
        }
    }

    /**
     * The validations in {@code json}, the text of metadata entry {@code key} of {@code file}.
     *
     * @throws ModelFileException if it is not such a history, naming the validation and the field
     */
    static List<ValidationRecord> read(Path file, String key, String json) throws ModelFileException {
        List<ValidationRecord> out = new ArrayList<>();
        for (NamedFields v : NamedFields.parseArray(file, "metadata '" + key + "'", json)) {
            try {
                out.add(new ValidationRecord(progress(v.object(PROGRESS)), evaluation(v.object(EVALUATION))));
            } catch (IllegalArgumentException e) {
                throw new ModelFileException(file, v.where() + " is not a valid validation: " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static TrainingProgress progress(NamedFields f) throws ModelFileException {
        return new TrainingProgress(f.longValue("batches"), f.longValue("sequences"), f.longValue("total_sequences"),
                f.doubleValue("batch_loss"), f.doubleValue("mean_decision_step"), f.longValue("forward_example_steps"),
                f.longValue("backward_example_steps"), f.doubleValue("seconds"));
    }

    private static Evaluation evaluation(NamedFields f) throws ModelFileException {
        TimingMetrics timing = f.has(TIMING) ? timing(f.object(TIMING)) : null;
        return new Evaluation(f.longValue("examples"), f.doubleValue("threshold"), f.doubleValue("accuracy_first_spike"),
                f.doubleValue("accuracy_last_step"), f.doubleValue("mean_decision_step"),
                f.doubleValue("median_decision_step"), f.longs("decision_histogram"), f.longs("correct_histogram"),
                f.doubles("per_class_mean_decision_step"), f.doubleValue("no_spike_fraction"), f.doubleValue("earliness"),
                f.doubleValue("harmonic_mean"), f.longValue("early_exit_example_steps"),
                f.longValue("full_example_steps"), timing);
    }

    private static TimingMetrics timing(NamedFields f) throws ModelFileException {
        return new TimingMetrics(f.doubleValue("mean_lag"), f.longValue("premature_spikes"),
                f.doubleValue("premature_fraction"), f.doubleValue("timing_loss"), f.longValue("positives"));
    }
}
