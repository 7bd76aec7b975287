package org.rankcoding.spark;

import org.rankcoding.io.MetadataNumbers;
import org.rankcoding.io.ModelFileException;
import org.rankcoding.io.TensorFile;
import org.rankcoding.nn.Parameters;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.train.OptimizerStep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checkpoint of a data-parallel run, written on the driver: the weights, Adam's moments and step count, the number of
 * batches done and the counters, in a checksummed tensor file ({@link TensorFile}) named after the batch count. With
 * the batch composition a function of the batch number ({@link ShardPlan}), this is everything a resumed run needs to
 * continue bit for bit. The run's settings and data are recorded too, and a resume with other settings or other data
 * is refused.
 */
final class ShardedCheckpoint {

    static final String FORMAT = "rankcoding-sharded-checkpoint";
    static final int FORMAT_VERSION = 1;
    private static final Pattern NAME = Pattern.compile("sharded-checkpoint-(\\d{12})\\.safetensors");

    /** The counters saved with the weights. */
    record Counters(long batches, long sequences, long forward, long backward, long fullSteps, long nanos) {
    }

    private ShardedCheckpoint() {
    }

    /** The file of the checkpoint after {@code batches} batches in {@code dir}. */
    static Path fileFor(Path dir, long batches) {
        return dir.resolve(String.format("sharded-checkpoint-%012d.safetensors", batches));
    }

    /** The newest checkpoint in {@code dir}, if any. */
    static Optional<Path> latest(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> NAME.matcher(f.getFileName().toString()).matches()).max(Path::compareTo);
        }
    }

    /**
     * Writes the state after {@code c.batches()} batches and deletes all but the newest {@code keep} checkpoints.
     *
     * @param run a description of the run's settings and data, compared on resume
     */
    static Path write(Path dir, RankCodingNetwork network, OptimizerStep optimizer, Counters c, String run, int keep)
            throws IOException {
        Files.createDirectories(dir);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("format_version", Integer.toString(FORMAT_VERSION));
        meta.put("run", run);
        meta.put("batches", Long.toString(c.batches()));
        meta.put("sequences", Long.toString(c.sequences()));
        meta.put("forward_example_steps", Long.toString(c.forward()));
        meta.put("backward_example_steps", Long.toString(c.backward()));
        meta.put("full_example_steps", Long.toString(c.fullSteps()));
        meta.put("train_nanos", Long.toString(c.nanos()));
        meta.put("adam_steps", Long.toString(optimizer.steps()));
        List<TensorFile.Tensor> tensors = new ArrayList<>();
        add(tensors, "weights.", network.parameters());
        add(tensors, "adam.m.", optimizer.firstMoments());
        add(tensors, "adam.v.", optimizer.secondMoments());
        Path file = fileFor(dir, c.batches());
        TensorFile.write(file, meta, tensors);
        List<Path> all;
        try (Stream<Path> files = Files.list(dir)) {
            all = files.filter(f -> NAME.matcher(f.getFileName().toString()).matches()).sorted().toList();
        }
        for (int i = 0; i < all.size() - keep; i++) {
            Files.deleteIfExists(all.get(i));
        }
        return file;
    }

    private static void add(List<TensorFile.Tensor> tensors, String prefix, Parameters p) {
        for (String name : p.names()) {
            var m = p.get(name);
            tensors.add(TensorFile.Tensor.of(prefix + name, java.util.Arrays.copyOf(m.data, m.getNumElements()),
                    m.numRows, m.numCols));
        }
    }

    /**
     * Restores {@code network}'s weights and {@code optimizer}'s moments from {@code file} and returns its counters.
     *
     * @param run the description of this run, which must equal the checkpoint's
     * @throws ModelFileException if the file is not such a checkpoint, or of another run's settings or data
     */
    static Counters restore(Path file, RankCodingNetwork network, OptimizerStep optimizer, String run) throws IOException {
        TensorFile tf = TensorFile.read(file);
        if (!FORMAT.equals(tf.metadata().get("format"))) {
            throw new ModelFileException(file, "format is '" + tf.metadata().get("format") + "', expected " + FORMAT);
        }
        String saved = tf.require("run");
        if (!saved.equals(run)) {
            throw new ModelFileException(file, "the checkpoint is of another run; it was written by\n  " + saved
                    + "\nand this run is\n  " + run + "\nresume with the same settings and data, or use an empty "
                    + "checkpoint directory");
        }
        Parameters weights = network.parameters();
        Parameters m = weights.zerosLike();
        Parameters v = weights.zerosLike();
        read(tf, "weights.", weights);
        read(tf, "adam.m.", m);
        read(tf, "adam.v.", v);
        optimizer.restore(m, v, number(tf, "adam_steps"));
        return new Counters(number(tf, "batches"), number(tf, "sequences"), number(tf, "forward_example_steps"),
                number(tf, "backward_example_steps"), number(tf, "full_example_steps"), number(tf, "train_nanos"));
    }

    private static void read(TensorFile tf, String prefix, Parameters p) throws ModelFileException {
        for (String name : p.names()) {
            var m = p.get(name);
            double[] values = tf.doubles(prefix + name, m.numRows, m.numCols);
            System.arraycopy(values, 0, m.data, 0, values.length);
        }
    }

    private static long number(TensorFile tf, String key) throws ModelFileException {
        return new MetadataNumbers(tf.file()).integer(key, tf.require(key), 0, Long.MAX_VALUE);
    }
}
