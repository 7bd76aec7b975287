package org.rankcoding.train;

import org.ejml.data.DMatrixRMaj;
import org.rankcoding.data.BatchSource;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.io.TensorFile;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.Parameters;
import org.rankcoding.rc.LossMode;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The small training runs of the checkpoint tests and drills (the kill drill's child JVM, {@link CheckpointDrillMain},
 * included), and exact comparisons of their outcomes.
 */
final class CheckpointFixtures {

    /** One input, hidden size 6, binary head. */
    static final NetworkConfig NET = NetworkConfig.binary(1, 6);
    /** Batches of a run: 21 of 16 rows and a last one of 11. */
    static final long BUDGET = 16 * 22 - 5;

    private CheckpointFixtures() {
    }

    /** A configuration exercising everything a checkpoint must restore: cosine schedule, clipping, entropy reward. */
    static TrainerConfig config(LossMode mode, int threads, long budget) {
        return TrainerConfig.builder().lossMode(mode).threshold(0.9).learningRate(1e-2).batchSize(16).trainSequences(budget)
                .seed(42).beta(mode == LossMode.RANK_CODING ? 0.05 : 0.0).clipNorm(1.0).schedule(LearningRateSchedule.COSINE)
                .validateEverySequences(100).threads(threads).build();
    }

    /**
     * A fresh source of kind {@code "finite"} (70 sequences of lengths 3 to 9 in memory: epochs of 5 batches, the last
     * of 6 rows, with an epoch order to save) or {@code "generator"} (fresh sequences of length 8 from the trainer's
     * generator, nothing to save).
     */
    static BatchSource source(String kind) {
        return switch (kind) {
            case "finite" -> NoiseSignalTask.dataset(9, 70, 3, 9, 0.2, 0.5);
            case "generator" -> NoiseSignalTask.generator(8, 0.2, 0.5);
            default -> throw new IllegalArgumentException("source kind '" + kind + "', expected finite or generator");
        };
    }

    /** 40 validation sequences in two batches. */
    static List<SequenceBatch> validation() {
        return NoiseSignalTask.dataset(11, 40, 3, 9, 0.2, 0.5).batches(20);
    }

    /** The first value whose raw bits differ, or {@code null} if all are identical. */
    static String firstDifference(Parameters a, Parameters b) {
        return firstDifference(a, b, 0.0);
    }

    /** The first parameter element that differs between {@code a} and {@code b} by more than {@code tolerance}, or null. */
    static String firstDifference(Parameters a, Parameters b, double tolerance) {
        if (!a.names().equals(b.names())) {
            return "names " + a.names() + " vs " + b.names();
        }
        for (String name : a.names()) {
            DMatrixRMaj x = a.get(name);
            DMatrixRMaj y = b.get(name);
            for (int i = 0; i < x.getNumElements(); i++) {
                boolean same = tolerance == 0 ? Double.doubleToRawLongBits(x.data[i]) == Double.doubleToRawLongBits(y.data[i])
                        : Math.abs(x.data[i] - y.data[i]) <= tolerance;
                if (!same) {
                    return name + "[" + i + "]: " + x.data[i] + " vs " + y.data[i];
                }
            }
        }
        return null;
    }

    /** The record components (arrays compared by content, doubles by bits) in which {@code a} and {@code b} differ. */
    static List<String> recordDifferences(Record a, Record b) {
        List<String> diffs = new ArrayList<>();
        for (RecordComponent c : a.getClass().getRecordComponents()) {
            try {
                Object x = c.getAccessor().invoke(a);
                Object y = c.getAccessor().invoke(b);
                if (!Objects.deepEquals(x, y)) {
                    diffs.add(c.getName());
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return diffs;
    }

    /** Copies a checkpoint file with its metadata edited (and a new, valid checksum). */
    static Path rewrite(Path from, Path to, Consumer<Map<String, String>> edit) throws IOException {
        TensorFile tf = TensorFile.read(from);
        Map<String, String> meta = new LinkedHashMap<>(tf.metadata());
        meta.remove(TensorFile.KEY_CHECKSUM);
        edit.accept(meta);
        TensorFile.write(to, meta, new ArrayList<>(tf.tensors().values()));
        return to;
    }

    /**
     * The metadata entry {@code key} with the validations' wall-clock times ({@code "seconds"} fields of the
     * {@code validations} history) replaced by 0.
     */
    private static String withoutSeconds(String key, String value) {
        return key.equals("validations") && value != null ? value.replaceAll("\"seconds\":[^,}]*", "\"seconds\":0") : value;
    }

    /**
     * What differs between two checkpoint files besides wall-clock times: every tensor bit for bit and every metadata
     * entry ({@code created_at}, {@code progress.train_nanos}, the checksum and the validations' seconds excepted).
     */
    static List<String> checkpointDifferences(Path a, Path b) throws IOException {
        return checkpointDifferences(a, b, 0.0);
    }

    /**
     * As {@link #checkpointDifferences(Path, Path)}, with floating-point tensor elements equal when they differ by at
     * most {@code relative} times the larger magnitude (0: bit for bit).
     */
    static List<String> checkpointDifferences(Path a, Path b, double relative) throws IOException {
        TensorFile x = TensorFile.read(a);
        TensorFile y = TensorFile.read(b);
        List<String> diffs = new ArrayList<>();
        if (!x.tensors().keySet().equals(y.tensors().keySet())) {
            diffs.add("tensor names " + x.tensors().keySet() + " vs " + y.tensors().keySet());
            return diffs;
        }
        for (Map.Entry<String, TensorFile.Tensor> e : x.tensors().entrySet()) {
            TensorFile.Tensor s = e.getValue();
            TensorFile.Tensor t = y.tensors().get(e.getKey());
            if (!java.util.Arrays.equals(s.shape(), t.shape())) {
                diffs.add(e.getKey() + " shape");
            } else if (s.longs() != null) {
                if (!java.util.Arrays.equals(s.longs(), t.longs())) {
                    diffs.add(e.getKey());
                }
            } else {
                for (int i = 0; i < s.doubles().length; i++) {
                    double u = s.doubles()[i];
                    double v = t.doubles()[i];
                    boolean same = relative == 0 ? Double.doubleToRawLongBits(u) == Double.doubleToRawLongBits(v)
                            : Math.abs(u - v) <= relative * Math.max(Math.abs(u), Math.abs(v));
                    if (!same) {
                        diffs.add(e.getKey() + "[" + i + "]: " + s.doubles()[i] + " vs " + t.doubles()[i]);
                        break;
                    }
                }
            }
        }
        Set<String> skip = Set.of("created_at", "progress.train_nanos", TensorFile.KEY_CHECKSUM);
        for (String key : x.metadata().keySet()) {
            if (!skip.contains(key) && !Objects.equals(withoutSeconds(key, x.metadata().get(key)),
                    withoutSeconds(key, y.metadata().get(key)))) {
                diffs.add("metadata " + key + ": " + x.metadata().get(key) + " vs " + y.metadata().get(key));
            }
        }
        if (!x.metadata().keySet().equals(y.metadata().keySet())) {
            diffs.add("metadata keys " + x.metadata().keySet() + " vs " + y.metadata().keySet());
        }
        return diffs;
    }
}
