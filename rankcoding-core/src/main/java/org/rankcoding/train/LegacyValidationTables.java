package org.rankcoding.train;

import org.rankcoding.eval.Evaluation;
import org.rankcoding.eval.TimingMetrics;
import org.rankcoding.io.ModelFileException;
import org.rankcoding.io.TensorFile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Reads the validation history of a checkpoint of format version 1, which kept it in positional tables: tensors
 * {@code validations.i64} ({@code I64 [n, 13]}), {@code validations.f64} ({@code F64 [n, 14]}), and the
 * concatenated arrays {@code validations.histograms} ({@code I64}: per validation its decision then its correct
 * histogram) and {@code validations.per_class} ({@code F64}). Version 2 keeps the history as named JSON
 * ({@link ValidationHistoryJson}); this reader only lets older checkpoints resume.
 *
 * <p>Columns of the {@code i64} table: batches, sequences, total sequences, forward and backward example-steps,
 * examples, early-exit and full example-steps, histogram length, class count, timing present (0/1), premature spikes,
 * positives. Of the {@code f64} table: batch loss, mean decision step (training), seconds, threshold, accuracy at the
 * first spike and at the last step, mean and median decision step, no-spike fraction, earliness, harmonic mean, mean
 * lag, premature fraction, timing loss.
 */
final class LegacyValidationTables {

    /** The tensors of the tables. */
    static final String I64 = "validations.i64";
    static final String F64 = "validations.f64";
    static final String HISTOGRAMS = "validations.histograms";
    static final String PER_CLASS = "validations.per_class";
    private static final int I64_COLUMNS = 13;
    private static final int F64_COLUMNS = 14;

    private LegacyValidationTables() {
    }

    /**
     * The validations in {@code tf}'s tables; removes the tables' names from {@code unread}.
     *
     * @throws ModelFileException if a table is missing, misshapen or inconsistent with the others
     */
    static List<ValidationRecord> read(TensorFile tf, Set<String> unread) throws ModelFileException {
        TensorFile.Tensor table = tf.tensors().get(I64);
        long n = table == null || table.shape().length != 2 ? -1 : table.shape()[0];
        if (n < 0) {
            throw new ModelFileException(tf.file(), "tensor '" + I64 + "' is missing or not a matrix");
        }
        long[] ints = tf.longs(I64, n, I64_COLUMNS);
        double[] reals = tf.doubles(F64, n, F64_COLUMNS);
        long[] histograms = tf.longs(HISTOGRAMS);
        double[] perClass = tf.doubles(PER_CLASS);
        unread.removeAll(List.of(I64, F64, HISTOGRAMS, PER_CLASS));
        List<ValidationRecord> out = new ArrayList<>();
        int h = 0;
        int c = 0;
        for (int i = 0; i < n; i++) {
            int steps = (int) Math.min(Integer.MAX_VALUE, ints[i * I64_COLUMNS + 8]);
            int classes = (int) Math.min(Integer.MAX_VALUE, ints[i * I64_COLUMNS + 9]);
            if (steps < 0 || classes < 0 || h + 2L * steps > histograms.length || c + (long) classes > perClass.length) {
                throw new ModelFileException(tf.file(), "validation " + i + " needs " + steps + " histogram entries and "
                        + classes + " classes, more than '" + HISTOGRAMS + "' and '" + PER_CLASS + "' hold");
            }
            long[] decided = Arrays.copyOfRange(histograms, h, h + steps);
            long[] correct = Arrays.copyOfRange(histograms, h + steps, h + 2 * steps);
            double[] byClass = Arrays.copyOfRange(perClass, c, c + classes);
            h += 2 * steps;
            c += classes;
            try {
                out.add(row(ints, i * I64_COLUMNS, reals, i * F64_COLUMNS, new long[][]{decided, correct}, byClass));
            } catch (IllegalArgumentException e) {
                throw new ModelFileException(tf.file(), "validation " + i + " is invalid: " + e.getMessage(), e);
            }
        }
        if (h != histograms.length || c != perClass.length) {
            throw new ModelFileException(tf.file(), "'" + HISTOGRAMS + "' and '" + PER_CLASS + "' hold "
                    + (histograms.length - h) + " and " + (perClass.length - c) + " values beyond the validations' needs");
        }
        return out;
    }

    /** The validation in the rows at {@code a} (integers) and {@code b} (reals), with its histograms and classes. */
    private static ValidationRecord row(long[] ints, int a, double[] reals, int b, long[][] histograms, double[] byClass) {
        TimingMetrics timing = ints[a + 10] == 0 ? null
                : new TimingMetrics(reals[b + 11], ints[a + 11], reals[b + 12], reals[b + 13], ints[a + 12]);
        Evaluation e = new Evaluation(ints[a + 5], reals[b + 3], reals[b + 4], reals[b + 5], reals[b + 6], reals[b + 7],
                histograms[0], histograms[1], byClass, reals[b + 8], reals[b + 9], reals[b + 10], ints[a + 6], ints[a + 7],
                timing);
        TrainingProgress p = new TrainingProgress(ints[a], ints[a + 1], ints[a + 2], reals[b], reals[b + 1], ints[a + 3],
                ints[a + 4], reals[b + 2]);
        return new ValidationRecord(p, e);
    }
}
