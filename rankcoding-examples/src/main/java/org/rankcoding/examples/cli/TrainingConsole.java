package org.rankcoding.examples.cli;

import me.tongfei.progressbar.ProgressBar;
import org.rankcoding.eval.Evaluation;
import org.rankcoding.train.TrainingListener;
import org.rankcoding.train.TrainingProgress;
import org.rankcoding.train.ValidationRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a training run shows while it runs: an optional progress bar on standard error (sequences, smoothed
 * batch loss and mean decision step), one log line per validation, and the validation history for the plots.
 *
 * <p>Use one instance per training run, from the training thread, and close it when training returns.
 */
final class TrainingConsole implements TrainingListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("org.rankcoding.examples");
    /** Weight of the newest batch in the smoothed loss and decision step shown on the bar. */
    private static final double SMOOTHING = 0.05;

    private final String label;
    private final StderrBarConsumer consumer;
    private final ProgressBar bar;
    private final List<ValidationPoint> history = new ArrayList<>();
    private double loss = Double.NaN;
    private double step = Double.NaN;

    /**
     * @param label   shown on the bar and in log lines, e.g. "noise-vs-signal RC"
     * @param total   the training budget in sequences
     * @param showBar whether to draw a progress bar
     */
    TrainingConsole(String label, long total, boolean showBar) {
        this.label = label;
        if (showBar) {
            this.consumer = new StderrBarConsumer(System.err, StderrBarConsumer.terminalWidth());
            this.bar = StderrBarConsumer.bar(label, total, consumer);
        } else {
            this.consumer = null;
            this.bar = null;
        }
    }

    /** The validations so far, oldest first (a copy). */
    List<ValidationPoint> history() {
        return List.copyOf(history);
    }

    @Override
    public void onBatch(TrainingProgress p) {
        loss = Double.isNaN(loss) ? p.batchLoss() : (1 - SMOOTHING) * loss + SMOOTHING * p.batchLoss();
        step = Double.isNaN(step) ? p.meanDecisionStep() : (1 - SMOOTHING) * step + SMOOTHING * p.meanDecisionStep();
        if (bar != null) {
            bar.stepTo(p.sequences());
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.3f step %.1f", loss, step));
        }
    }

    /** A resumed run: the validations before the checkpoint start the history, the bar starts where the run stopped. */
    @Override
    public void onResume(TrainingProgress p, List<ValidationRecord> validations, Map<String, String> state) {
        for (ValidationRecord r : validations) {
            history.add(ValidationPoint.of(r.progress(), r.evaluation()));
        }
        if (bar != null) {
            bar.stepTo(p.sequences());
        }
    }

    @Override
    public void onValidation(TrainingProgress p, Evaluation v) {
        history.add(ValidationPoint.of(p, v));
        String message = String.format(Locale.ROOT,
                "%s after %,d seq: val acc@spike %.4f, acc@last %.4f, mean step %.2f, no spike %.1f%%; "
                        + "train example-steps fwd %,d bwd %,d, %.1f s",
                label, p.sequences(), v.accuracyFirstSpike(), v.accuracyLastStep(), v.meanDecisionStep(),
                100 * v.noSpikeFraction(), p.forwardExampleSteps(), p.backwardExampleSteps(), p.seconds());
        StderrBarConsumer.info(consumer, LOG, message);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
