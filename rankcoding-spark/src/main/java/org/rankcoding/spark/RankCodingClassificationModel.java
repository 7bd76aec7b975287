package org.rankcoding.spark;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.rankcoding.infer.RankCodingModel;
import org.rankcoding.io.LoadedModel;
import org.rankcoding.io.ModelFileException;
import org.rankcoding.io.ModelFiles;
import scala.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * A trained rank-coded network as a Spark ML {@link Model}: {@link #transform} adds to every row of a DataFrame with a
 * sequence column the predicted class, the probability vector at the decision, the decision step and whether the row
 * decided before its last step, computed with early exit (each row stops at its decision), row for row what the
 * library's own {@link RankCodingModel#classify} gives. Rows are scored in groups of {@link #getBatchRows()} per call,
 * on one shared thread-safe model per executor JVM, loaded from a model file broadcast once per model.
 *
 * <p>The features column is {@code array<array<double>>} (one array of the model's input size per step) or
 * {@code array<double>} (the steps flattened; the length a multiple of the input size). Works in {@code Pipeline}s and
 * with Spark's evaluators ({@code MulticlassClassificationEvaluator} reads {@code prediction} and {@code label}).
 *
 * <p>Saved with {@link #write()} as a Spark ML stage folder: the parameters in {@code metadata/}, and the network as the
 * library's safetensors model file in {@code model/model.safetensors} (readable by {@link ModelFiles#load} and by
 * PyTorch through {@code scripts/torch_interop.py}). Load with {@link #load(String)} or {@code PipelineModel.load}.
 */
public final class RankCodingClassificationModel extends Model<RankCodingClassificationModel> implements MLWritable {

    private static final long serialVersionUID = 1L;
    /** The model file's place inside the stage folder. */
    static final String MODEL_FILE = "model/model.safetensors";

    private final String uid;
    private final byte[] modelFile;
    private final String contentKey;
    private final Param<String> featuresCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final Param<String> decisionStepCol;
    private final Param<String> decidedEarlyCol;
    private final IntParam batchRows;
    private final Param<String> kernels;
    private transient RankCodingModel local;
    private transient Broadcast<byte[]> broadcast;
    private transient ShardedTrainingResult training;

    /**
     * A model of the network in {@code modelFile} (the bytes of a model file, {@link ModelFiles#toBytes}).
     *
     * @throws IllegalArgumentException if the bytes are not a valid model file
     */
    public RankCodingClassificationModel(String uid, byte[] modelFile) {
        this(uid, modelFile, "model " + uid);
    }

    /**
     * As {@link #RankCodingClassificationModel(String, byte[])}, naming the bytes {@code source} (a file, a stage folder)
     * in the message of an invalid model file.
     */
    RankCodingClassificationModel(String uid, byte[] modelFile, String source) {
        this.uid = Objects.requireNonNull(uid, "uid is null");
        this.modelFile = Objects.requireNonNull(modelFile, "modelFile is null").clone();
        try {
            this.local = ModelFiles.fromBytes(this.modelFile, source).model();
        } catch (ModelFileException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        this.contentKey = uid + ":" + digest(this.modelFile);
        featuresCol = new Param<>(this, "featuresCol", "the sequences: array<array<double>> or array<double> (flattened)");
        predictionCol = new Param<>(this, "predictionCol", "the predicted class (double)");
        probabilityCol = new Param<>(this, "probabilityCol", "the class probabilities at the decision (vector)");
        decisionStepCol = new Param<>(this, "decisionStepCol", "the step (1-based) at which the row decided (int)");
        decidedEarlyCol = new Param<>(this, "decidedEarlyCol", "whether the row decided before its last step (boolean)");
        batchRows = new IntParam(this, "batchRows", "rows classified together per call (>= 1)", ParamValidators.gtEq(1));
        kernels = new Param<>(this, "kernels", "the executors' kernels: reference, blocked, vector, float32, or empty "
                + "for the fastest each executor has");
        setDefault(featuresCol, "features");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
        setDefault(decisionStepCol, "decisionStep");
        setDefault(decidedEarlyCol, "decidedEarly");
        setDefault(batchRows, 256);
        setDefault(kernels, "");
    }

    /** A model of {@code loaded}'s network and decision rule, with a new uid. */
    public static RankCodingClassificationModel of(LoadedModel loaded) {
        return new RankCodingClassificationModel(Identifiable.randomUID("rankcoding"),
                ModelFiles.toBytes(loaded.network(), loaded.decisionRule(),
                        org.rankcoding.io.SaveOptions.DEFAULT.withDtype(loaded.dtype())));
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The library's model on the driver (the same network and decision rule as the executors use). */
    public RankCodingModel model() {
        if (local == null) {
            try {
                local = ModelFiles.fromBytes(modelFile, "model " + uid).model();
            } catch (ModelFileException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        return local;
    }

    /** The bytes of the model file (a copy). */
    public byte[] modelFile() {
        return modelFile.clone();
    }

    /** The summary of the distributed run that trained this model, when it was trained in this JVM. */
    public Optional<ShardedTrainingResult> trainingResult() {
        return Optional.ofNullable(training);
    }

    RankCodingClassificationModel withTraining(ShardedTrainingResult result) {
        this.training = result;
        return this;
    }

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    public Param<String> decisionStepCol() {
        return decisionStepCol;
    }

    public Param<String> decidedEarlyCol() {
        return decidedEarlyCol;
    }

    public IntParam batchRows() {
        return batchRows;
    }

    public Param<String> kernels() {
        return kernels;
    }

    public String getFeaturesCol() {
        return getOrDefault(featuresCol);
    }

    public String getPredictionCol() {
        return getOrDefault(predictionCol);
    }

    public String getProbabilityCol() {
        return getOrDefault(probabilityCol);
    }

    public String getDecisionStepCol() {
        return getOrDefault(decisionStepCol);
    }

    public String getDecidedEarlyCol() {
        return getOrDefault(decidedEarlyCol);
    }

    public int getBatchRows() {
        return (Integer) getOrDefault(batchRows);
    }

    public String getKernels() {
        return getOrDefault(kernels);
    }

    public RankCodingClassificationModel setFeaturesCol(String value) {
        set(featuresCol, value);
        return this;
    }

    public RankCodingClassificationModel setPredictionCol(String value) {
        set(predictionCol, value);
        return this;
    }

    public RankCodingClassificationModel setProbabilityCol(String value) {
        set(probabilityCol, value);
        return this;
    }

    public RankCodingClassificationModel setDecisionStepCol(String value) {
        set(decisionStepCol, value);
        return this;
    }

    public RankCodingClassificationModel setDecidedEarlyCol(String value) {
        set(decidedEarlyCol, value);
        return this;
    }

    public RankCodingClassificationModel setBatchRows(int value) {
        set(batchRows, value);
        return this;
    }

    /** The kernels every executor computes with ({@code reference}, {@code blocked}, {@code vector}, {@code float32}). */
    public RankCodingClassificationModel setKernels(String value) {
        set(kernels, value);
        return this;
    }

    /**
     * The input schema with the four output columns appended.
     *
     * @throws IllegalArgumentException if the features column is missing or of another type, or an output column exists
     */
    @Override
    public StructType transformSchema(StructType schema) {
        SequenceColumns.of(schema, getFeaturesCol(), model().config().inputSize());
        return OutputColumns.append(schema, getPredictionCol(), getProbabilityCol(), getDecisionStepCol(),
                getDecidedEarlyCol());
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema(), true);
        Dataset<Row> df = dataset.toDF();
        SequenceColumns columns = SequenceColumns.of(df.schema(), getFeaturesCol(), model().config().inputSize());
        ScoringFunction f = new ScoringFunction(contentKey, broadcast(df.sparkSession()), getKernels(), columns,
                df.schema().fieldIndex(getFeaturesCol()), getBatchRows());
        return df.mapPartitions(f, Encoders.row(out));
    }

    /** The model file broadcast to the executors, once per model and Spark context. */
    private synchronized Broadcast<byte[]> broadcast(SparkSession spark) {
        if (broadcast == null || !broadcast.isValid() || spark.sparkContext().isStopped()) {
            broadcast = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(modelFile);
        }
        return broadcast;
    }

    @Override
    public RankCodingClassificationModel copy(ParamMap extra) {
        RankCodingClassificationModel copy = new RankCodingClassificationModel(uid, modelFile);
        copy.training = training;
        return copyValues(copy, extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    /** The reader of saved models. */
    public static MLReader<RankCodingClassificationModel> read() {
        return new Reader();
    }

    /** Loads a model saved with {@link #write()} from the stage folder {@code path} (any Hadoop file system). */
    public static RankCodingClassificationModel load(String path) {
        return read().load(path);
    }

    /** Writes the stage folder: Spark ML's metadata, and the model file. */
    static final class Writer extends MLWriter {
        private final RankCodingClassificationModel instance;

        Writer(RankCodingClassificationModel instance) {
            this.instance = instance;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter.saveMetadata(instance, path, sparkSession());
            Path file = new Path(path, MODEL_FILE);
            try {
                FileSystem fs = file.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
                try (FSDataOutputStream out = fs.create(file, true)) {
                    out.write(instance.modelFile);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not write the model file " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** Reads a stage folder written by {@link Writer}. */
    static final class Reader extends MLReader<RankCodingClassificationModel> {
        @Override
        public RankCodingClassificationModel load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sparkSession(),
                    RankCodingClassificationModel.class.getName());
            Path file = new Path(path, MODEL_FILE);
            byte[] bytes;
            try {
                FileSystem fs = file.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
                try (FSDataInputStream in = fs.open(file)) {
                    bytes = in.readAllBytes();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not read the model file " + file + " of the stage folder " + path
                        + ": " + e.getMessage(), e);
            }
            RankCodingClassificationModel model = new RankCodingClassificationModel(metadata.uid(), bytes, file.toString());
            metadata.getAndSetParams(model, Option.empty());
            return model;
        }

    }
}
