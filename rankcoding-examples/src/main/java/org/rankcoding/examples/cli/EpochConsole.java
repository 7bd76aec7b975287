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
 * What an epoch-based training run shows while it runs: an optional progress bar per epoch on standard error
 * ("epoch 3/30": sequences of the epoch, smoothed batch loss and mean decision step), one log line per epoch (its wall time,
 * training loss and, after a validation, the validation accuracy, mean decision step and fraction decided at
 * step 1), and the history of epochs and validations for the reports.
 *
 * <p>The trainer must be configured so that epochs end on batch boundaries (a finite source serving whole
 * epochs, a budget of whole epochs) and, to validate after every epoch, with the validation interval equal to
 * the epoch size. Use one instance per training run, from the training thread; create it right before
 * training starts (its clock starts then) and close it when training returns.
 */
final class EpochConsole implements TrainingListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("org.rankcoding.examples");
    /** Weight of the newest batch in the smoothed loss and decision step shown on the bar. */
    private static final double SMOOTHING = 0.05;
    /** Keys of {@link #checkpointState()}. */
    private static final String STATE_EPOCHS = "epochs";
    private static final String STATE_CURRENT = "current";

    private final String label;
    private final long epochSize;
    private final int epochs;
    private final boolean validating;
    private final boolean showBar;
    private final int barWidth;
    /** Draws the current epoch's bar (a new one per epoch), or {@code null} without bars. */
    private StderrBarConsumer consumer;
    private final List<EpochPoint> epochHistory = new ArrayList<>();
    private final List<ValidationPoint> validations = new ArrayList<>();

    private ProgressBar bar;
    private double smoothLoss = Double.NaN;
    private double smoothStep = Double.NaN;
    private long epochStartNanos;
    private long epochEndNanos;
    private double computeAtEpochStart;
    private long sequencesAtEpochStart;
    private long lastSequences;
    private long epochRows;
    private double lossSum;
    private double stepSum;
    /** The epoch that ended and waits for its validation, or {@code null}. */
    private EpochPoint pending;

    /**
     * @param label      shown on the bar and in log lines, e.g. "temporal-mnist RC"
     * @param epochSize  sequences per epoch
     * @param epochs     number of epochs
     * @param validating whether a validation follows every epoch
     * @param showBar    whether to draw progress bars
     */
    EpochConsole(String label, long epochSize, int epochs, boolean validating, boolean showBar) {
        this.label = label;
        this.epochSize = epochSize;
        this.epochs = epochs;
        this.validating = validating;
        this.showBar = showBar;
        this.barWidth = showBar ? StderrBarConsumer.terminalWidth() : 0;
        this.epochStartNanos = System.nanoTime();
    }

    /** The finished epochs, oldest first (a copy). */
    List<EpochPoint> epochs() {
        return List.copyOf(epochHistory);
    }

    /** The validations so far, oldest first (a copy). */
    List<ValidationPoint> validations() {
        return List.copyOf(validations);
    }

    private int epochOf(long sequencesDone) {
        return (int) ((sequencesDone + epochSize - 1) / epochSize);
    }

    @Override
    public void onBatch(TrainingProgress p) {
        long rows = p.sequences() - lastSequences;
        lastSequences = p.sequences();
        epochRows += rows;
        lossSum += p.batchLoss() * rows;
        stepSum += p.meanDecisionStep() * rows;
        smoothLoss = Double.isNaN(smoothLoss) ? p.batchLoss() : (1 - SMOOTHING) * smoothLoss + SMOOTHING * p.batchLoss();
        smoothStep = Double.isNaN(smoothStep) ? p.meanDecisionStep() : (1 - SMOOTHING) * smoothStep + SMOOTHING * p.meanDecisionStep();
        int epoch = epochOf(p.sequences());
        if (showBar) {
            if (bar == null) {
                consumer = new StderrBarConsumer(System.err, barWidth);
                bar = StderrBarConsumer.bar(String.format(Locale.ROOT, "epoch %d/%d", epoch, epochs), epochSize, consumer);
            }
            bar.stepTo(p.sequences() - sequencesAtEpochStart);
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.3f step %.1f", smoothLoss, smoothStep));
        }
        if (p.sequences() % epochSize != 0 && p.sequences() < p.totalSequences()) {
            return;
        }
        // the epoch ended with this batch
        epochEndNanos = System.nanoTime();
        if (bar != null) {
            bar.stepTo(epochSize);
            bar.close();
            bar = null;
        }
        pending = new EpochPoint(epoch, p.sequences(), (epochEndNanos - epochStartNanos) / 1e9, p.seconds() - computeAtEpochStart,
                lossSum / epochRows, stepSum / epochRows, null, Double.NaN, 0.0);
        computeAtEpochStart = p.seconds();
        sequencesAtEpochStart = p.sequences();
        lossSum = 0;
        stepSum = 0;
        epochRows = 0;
        if (!validating) {
            finishEpoch(pending);
        }
    }

    @Override
    public void onValidation(TrainingProgress p, Evaluation v) {
        ValidationPoint point = ValidationPoint.of(p, v);
        validations.add(point);
        double seconds = (System.nanoTime() - epochEndNanos) / 1e9;
        if (pending != null && pending.sequences() == p.sequences()) {
            finishEpoch(new EpochPoint(pending.epoch(), pending.sequences(), pending.seconds(), pending.computeSeconds(), pending.meanLoss(),
                    pending.meanDecisionStep(), point, v.fractionDecidedAtFirstStep(), seconds));
        } else {
            log(String.format(Locale.ROOT, "%s after %,d digits: val acc@spike %.4f, mean step %.2f, decided at step 1 %.1f%%",
                    label, p.sequences(), v.accuracyFirstSpike(), v.meanDecisionStep(), 100 * v.fractionDecidedAtFirstStep()));
        }
        epochStartNanos = System.nanoTime(); // the next epoch's clock starts after the validation
    }

    /**
     * The finished epochs and the running sums of the current one, for a checkpoint: {@code "epochs"}, one entry per
     * epoch separated by ';' (its numbers separated by ','), and {@code "current"}. Doubles in Java's exact decimal
     * form. (Written after the batch's validation, so no epoch waits for its validation then.)
     */
    @Override
    public Map<String, String> checkpointState() {
        List<String> list = new ArrayList<>();
        for (EpochPoint e : epochHistory) {
            List<Object> f = new ArrayList<>(List.of(e.epoch(), e.sequences(), e.seconds(), e.computeSeconds(), e.meanLoss(),
                    e.meanDecisionStep(), e.validationStep1(), e.validationSeconds()));
            ValidationPoint v = e.validation();
            if (v != null) {
                f.addAll(List.of(v.sequences(), v.accuracyFirstSpike(), v.accuracyLastStep(), v.meanDecisionStep(), v.noSpikeFraction()));
            }
            list.add(join(f));
        }
        return Map.of(STATE_EPOCHS, String.join(";", list), STATE_CURRENT, join(List.of(computeAtEpochStart, sequencesAtEpochStart,
                lastSequences, epochRows, lossSum, stepSum, smoothLoss, smoothStep)));
    }

    /**
     * A resumed run: the epochs, the current epoch's sums and the validations from the checkpoint (a checkpoint
     * without this console's state gives back the validations only).
     *
     * @throws IllegalArgumentException if the state is malformed
     */
    @Override
    public void onResume(TrainingProgress p, List<ValidationRecord> records, Map<String, String> state) {
        for (ValidationRecord r : records) {
            validations.add(ValidationPoint.of(r.progress(), r.evaluation()));
        }
        lastSequences = p.sequences();
        sequencesAtEpochStart = p.sequences() / epochSize * epochSize;
        computeAtEpochStart = p.seconds();
        String epochs = state.get(STATE_EPOCHS);
        String current = state.get(STATE_CURRENT);
        if (epochs == null || current == null) {
            return;
        }
        try {
            for (String entry : epochs.isEmpty() ? new String[0] : epochs.split(";")) {
                String[] f = entry.split(",");
                ValidationPoint v = f.length == 8 ? null : new ValidationPoint(Long.parseLong(f[8]), Double.parseDouble(f[9]),
                        Double.parseDouble(f[10]), Double.parseDouble(f[11]), Double.parseDouble(f[12]));
                epochHistory.add(new EpochPoint(Integer.parseInt(f[0]), Long.parseLong(f[1]), Double.parseDouble(f[2]),
                        Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]), v, Double.parseDouble(f[6]),
                        Double.parseDouble(f[7])));
            }
            String[] c = current.split(",");
            computeAtEpochStart = Double.parseDouble(c[0]);
            sequencesAtEpochStart = Long.parseLong(c[1]);
            lastSequences = Long.parseLong(c[2]);
            epochRows = Long.parseLong(c[3]);
            lossSum = Double.parseDouble(c[4]);
            stepSum = Double.parseDouble(c[5]);
            smoothLoss = Double.parseDouble(c[6]);
            smoothStep = Double.parseDouble(c[7]);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the checkpoint's epoch report state is malformed (" + e + "): epochs = '" + epochs
                    + "', current = '" + current + "'", e);
        }
    }

    private static String join(List<?> values) {
        return String.join(",", values.stream().map(String::valueOf).toList());
    }

    private void finishEpoch(EpochPoint e) {
        pending = null;
        epochHistory.add(e);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "%s epoch %d/%d: %.1f s (compute %.1f s), train loss %.4f, train mean step %.2f", label, e.epoch(), epochs,
                e.seconds(), e.computeSeconds(), e.meanLoss(), e.meanDecisionStep()));
        if (e.validation() != null) {
            ValidationPoint v = e.validation();
            sb.append(String.format(Locale.ROOT, "; val acc@spike %.4f, acc@last %.4f, mean step %.2f, decided at step 1 %.1f%%, "
                            + "no spike %.1f%% (%.1f s)", v.accuracyFirstSpike(), v.accuracyLastStep(), v.meanDecisionStep(),
                    100 * e.validationStep1(), 100 * v.noSpikeFraction(), e.validationSeconds()));
        }
        log(sb.toString());
    }

    private void log(String message) {
        StderrBarConsumer.info(consumer, LOG, message);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
