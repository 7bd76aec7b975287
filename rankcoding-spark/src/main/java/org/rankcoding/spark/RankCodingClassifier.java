package org.rankcoding.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.rankcoding.io.ModelFiles;
import org.rankcoding.io.SaveOptions;
import org.rankcoding.io.TensorDType;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.rc.DecisionRuleSpec;
import org.rankcoding.rc.LossMode;
import org.rankcoding.rc.RankCodingPass;
import org.rankcoding.train.LearningRateSchedule;
import org.rankcoding.train.TrainerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Trains a rank-coded LSTM on a DataFrame of sequences as a Spark ML {@link Estimator}: synchronous data-parallel Adam
 * over {@link #getShards()} shards ({@link ShardedTrainer}), every partition leaving each row at its decision. The
 * trainer's settings are {@code Params} (defaults: hidden 64, one layer, softmax head, threshold 0.95, batch 128, 10
 * epochs, learning rate 3e-3, the paper's loss); the result is a {@link RankCodingClassificationModel}.
 *
 * <p>The features column is {@code array<array<double>>} or {@code array<double>} with {@link #setInputSize}; the label
 * column is numeric with the classes {@code 0 .. numClasses - 1}. The number of classes is the largest label plus one
 * unless set (at least 2); the input size is the data's. The budget is {@code ceil(epochs x rows)} sequences.
 * Deterministic for a fixed input order and shard count; equal to the single-JVM trainer with {@code threads = shards}
 * on the same batches ({@link ShardedBatchSource}). With a checkpoint directory (on the driver), a fit that finds a
 * checkpoint of the same settings and data continues from it.
 */
public final class RankCodingClassifier extends Estimator<RankCodingClassificationModel> implements DefaultParamsWritable {

    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final Param<String> decisionStepCol;
    private final Param<String> decidedEarlyCol;
    private final IntParam inputSize;
    private final IntParam numClasses;
    private final IntParam hiddenSize;
    private final IntParam layers;
    private final Param<String> head;
    private final DoubleParam threshold;
    private final DoubleParam beta;
    private final DoubleParam prefixLossWeight;
    private final Param<String> lossMode;
    private final DoubleParam learningRate;
    private final Param<String> learningRateSchedule;
    private final IntParam batchSize;
    private final DoubleParam epochs;
    private final DoubleParam clipNorm;
    private final DoubleParam weightDecay;
    private final IntParam horizon;
    private final LongParam seed;
    private final IntParam shards;
    private final Param<String> checkpointDir;
    private final IntParam checkpointEvery;
    private final Param<String> kernels;

    /** A classifier with a random uid and the default settings. */
    public RankCodingClassifier() {
        this(Identifiable.randomUID("rankcodingClassifier"));
    }

    /** A classifier with uid {@code uid} and the default settings (the constructor Spark ML's readers use). */
    public RankCodingClassifier(String uid) {
        this.uid = uid;
        featuresCol = new Param<>(this, "featuresCol", "the sequences: array<array<double>> or array<double> (flattened)");
        labelCol = new Param<>(this, "labelCol", "the class, numeric, 0 .. numClasses - 1");
        predictionCol = new Param<>(this, "predictionCol", "the model's predicted-class column");
        probabilityCol = new Param<>(this, "probabilityCol", "the model's probability column");
        decisionStepCol = new Param<>(this, "decisionStepCol", "the model's decision-step column");
        decidedEarlyCol = new Param<>(this, "decidedEarlyCol", "the model's decided-early column");
        inputSize = new IntParam(this, "inputSize", "values per step: needed for a flattened features column; 0 takes "
                + "the data's", ParamValidators.gtEq(0));
        numClasses = new IntParam(this, "numClasses", "the number of classes; 0 for the largest label + 1",
                ParamValidators.gtEq(0));
        hiddenSize = new IntParam(this, "hiddenSize", "LSTM units per layer (>= 1)", ParamValidators.gtEq(1));
        layers = new IntParam(this, "layers", "stacked LSTM layers (>= 1)", ParamValidators.gtEq(1));
        head = new Param<>(this, "head", "the output head: softmax, per_class_sigmoid or binary_sigmoid");
        threshold = new DoubleParam(this, "threshold", "the spike threshold, in (0.5, 1)",
                ParamValidators.inRange(0.5, 1.0, false, false));
        beta = new DoubleParam(this, "beta", "the entropy reward (>= 0)", ParamValidators.gtEq(0));
        prefixLossWeight = new DoubleParam(this, "prefixLossWeight", "the weight of the mean cross-entropy over the "
                + "steps before the decision (>= 0; 0 is the paper's loss)", ParamValidators.gtEq(0));
        lossMode = new Param<>(this, "lossMode", "rank_coding (loss at the first spike) or end_of_sequence");
        learningRate = new DoubleParam(this, "learningRate", "Adam's learning rate (> 0)", ParamValidators.gt(0));
        learningRateSchedule = new Param<>(this, "learningRateSchedule", "constant or cosine");
        batchSize = new IntParam(this, "batchSize", "rows per batch (>= 1)", ParamValidators.gtEq(1));
        epochs = new DoubleParam(this, "epochs", "passes over the data (> 0); the budget is ceil(epochs x rows)",
                ParamValidators.gt(0));
        clipNorm = new DoubleParam(this, "clipNorm", "the gradient-norm clip (> 0), 0 for none", ParamValidators.gtEq(0));
        weightDecay = new DoubleParam(this, "weightDecay", "decoupled weight decay (>= 0)", ParamValidators.gtEq(0));
        horizon = new IntParam(this, "horizon", "back-propagation steps from the decision (>= 1), 0 for all",
                ParamValidators.gtEq(0));
        seed = new LongParam(this, "seed", "the seed of the initial weights and of the shards' orders");
        shards = new IntParam(this, "shards", "data-parallel shards (Spark partitions of the training data, >= 1); 0 for "
                + "the input's partition count", ParamValidators.gtEq(0));
        checkpointDir = new Param<>(this, "checkpointDir", "a directory on the driver for checkpoints (resumed when it "
                + "holds one of the same run); empty for none");
        checkpointEvery = new IntParam(this, "checkpointEvery", "batches between checkpoints (>= 1)",
                ParamValidators.gtEq(1));
        kernels = new Param<>(this, "kernels", "the executors' kernels: reference, blocked, vector, float32, or empty "
                + "for the fastest each executor has");
        setDefault(featuresCol, "features");
        setDefault(labelCol, "label");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
        setDefault(decisionStepCol, "decisionStep");
        setDefault(decidedEarlyCol, "decidedEarly");
        setDefault(inputSize, 0);
        setDefault(numClasses, 0);
        setDefault(hiddenSize, 64);
        setDefault(layers, 1);
        setDefault(head, "softmax");
        setDefault(threshold, 0.95);
        setDefault(beta, 0.0);
        setDefault(prefixLossWeight, 0.0);
        setDefault(lossMode, "rank_coding");
        setDefault(learningRate, 3e-3);
        setDefault(learningRateSchedule, "constant");
        setDefault(batchSize, 128);
        setDefault(epochs, 10.0);
        setDefault(clipNorm, 0.0);
        setDefault(weightDecay, 0.0);
        setDefault(horizon, 0);
        setDefault(seed, 1L);
        setDefault(shards, 0);
        setDefault(checkpointDir, "");
        setDefault(checkpointEvery, 100);
        setDefault(kernels, "");
    }

    @Override
    public String uid() {
        return uid;
    }

    // ---------------------------------------------------------------- params

    public Param<String> featuresCol() { return featuresCol; }
    public Param<String> labelCol() { return labelCol; }
    public Param<String> predictionCol() { return predictionCol; }
    public Param<String> probabilityCol() { return probabilityCol; }
    public Param<String> decisionStepCol() { return decisionStepCol; }
    public Param<String> decidedEarlyCol() { return decidedEarlyCol; }
    public IntParam inputSize() { return inputSize; }
    public IntParam numClasses() { return numClasses; }
    public IntParam hiddenSize() { return hiddenSize; }
    public IntParam layers() { return layers; }
    public Param<String> head() { return head; }
    public DoubleParam threshold() { return threshold; }
    public DoubleParam beta() { return beta; }
    public DoubleParam prefixLossWeight() { return prefixLossWeight; }
    public Param<String> lossMode() { return lossMode; }
    public DoubleParam learningRate() { return learningRate; }
    public Param<String> learningRateSchedule() { return learningRateSchedule; }
    public IntParam batchSize() { return batchSize; }
    public DoubleParam epochs() { return epochs; }
    public DoubleParam clipNorm() { return clipNorm; }
    public DoubleParam weightDecay() { return weightDecay; }
    public IntParam horizon() { return horizon; }
    public LongParam seed() { return seed; }
    public IntParam shards() { return shards; }
    public Param<String> checkpointDir() { return checkpointDir; }
    public IntParam checkpointEvery() { return checkpointEvery; }
    public Param<String> kernels() { return kernels; }

    public String getFeaturesCol() { return getOrDefault(featuresCol); }
    public String getLabelCol() { return getOrDefault(labelCol); }
    public int getInputSize() { return (Integer) getOrDefault(inputSize); }
    public int getNumClasses() { return (Integer) getOrDefault(numClasses); }
    public int getHiddenSize() { return (Integer) getOrDefault(hiddenSize); }
    public int getLayers() { return (Integer) getOrDefault(layers); }
    public String getHead() { return getOrDefault(head); }
    public double getThreshold() { return (Double) getOrDefault(threshold); }
    public double getBeta() { return (Double) getOrDefault(beta); }
    public double getPrefixLossWeight() { return (Double) getOrDefault(prefixLossWeight); }
    public String getLossMode() { return getOrDefault(lossMode); }
    public double getLearningRate() { return (Double) getOrDefault(learningRate); }
    public String getLearningRateSchedule() { return getOrDefault(learningRateSchedule); }
    public int getBatchSize() { return (Integer) getOrDefault(batchSize); }
    public double getEpochs() { return (Double) getOrDefault(epochs); }
    public double getClipNorm() { return (Double) getOrDefault(clipNorm); }
    public double getWeightDecay() { return (Double) getOrDefault(weightDecay); }
    public int getHorizon() { return (Integer) getOrDefault(horizon); }
    public long getSeed() { return (Long) getOrDefault(seed); }
    public int getShards() { return (Integer) getOrDefault(shards); }
    public String getCheckpointDir() { return getOrDefault(checkpointDir); }
    public int getCheckpointEvery() { return (Integer) getOrDefault(checkpointEvery); }
    public String getKernels() { return getOrDefault(kernels); }

    public RankCodingClassifier setFeaturesCol(String v) { set(featuresCol, v); return this; }
    public RankCodingClassifier setLabelCol(String v) { set(labelCol, v); return this; }
    public RankCodingClassifier setPredictionCol(String v) { set(predictionCol, v); return this; }
    public RankCodingClassifier setProbabilityCol(String v) { set(probabilityCol, v); return this; }
    public RankCodingClassifier setDecisionStepCol(String v) { set(decisionStepCol, v); return this; }
    public RankCodingClassifier setDecidedEarlyCol(String v) { set(decidedEarlyCol, v); return this; }
    public RankCodingClassifier setInputSize(int v) { set(inputSize, v); return this; }
    public RankCodingClassifier setNumClasses(int v) { set(numClasses, v); return this; }
    public RankCodingClassifier setHiddenSize(int v) { set(hiddenSize, v); return this; }
    public RankCodingClassifier setLayers(int v) { set(layers, v); return this; }
    public RankCodingClassifier setHead(String v) { set(head, v); return this; }
    public RankCodingClassifier setThreshold(double v) { set(threshold, v); return this; }
    public RankCodingClassifier setBeta(double v) { set(beta, v); return this; }
    public RankCodingClassifier setPrefixLossWeight(double v) { set(prefixLossWeight, v); return this; }
    public RankCodingClassifier setLossMode(String v) { set(lossMode, v); return this; }
    public RankCodingClassifier setLearningRate(double v) { set(learningRate, v); return this; }
    public RankCodingClassifier setLearningRateSchedule(String v) { set(learningRateSchedule, v); return this; }
    public RankCodingClassifier setBatchSize(int v) { set(batchSize, v); return this; }
    public RankCodingClassifier setEpochs(double v) { set(epochs, v); return this; }
    public RankCodingClassifier setClipNorm(double v) { set(clipNorm, v); return this; }
    public RankCodingClassifier setWeightDecay(double v) { set(weightDecay, v); return this; }
    public RankCodingClassifier setHorizon(int v) { set(horizon, v); return this; }
    public RankCodingClassifier setSeed(long v) { set(seed, v); return this; }
    public RankCodingClassifier setShards(int v) { set(shards, v); return this; }
    public RankCodingClassifier setCheckpointDir(String v) { set(checkpointDir, v); return this; }
    public RankCodingClassifier setCheckpointEvery(int v) { set(checkpointEvery, v); return this; }
    public RankCodingClassifier setKernels(String v) { set(kernels, v); return this; }

    // ---------------------------------------------------------------- fitting

    /**
     * The trainer's configuration for a data set of {@code rows} rows: the settings checked by {@link TrainerConfig}.
     *
     * @throws IllegalArgumentException for a setting out of range or an unknown name
     */
    public TrainerConfig trainerConfig(long rows) {
        return TrainerConfig.builder()
                .lossMode(named(LossMode.class, "lossMode", getLossMode()))
                .decisionRule(DecisionRuleSpec.thresholdCrossing(getThreshold()))
                .beta(getBeta())
                .prefixLossWeight(getPrefixLossWeight())
                .learningRate(getLearningRate())
                .schedule(named(LearningRateSchedule.class, "learningRateSchedule", getLearningRateSchedule()))
                .batchSize(getBatchSize())
                .trainSequences((long) Math.ceil(getEpochs() * rows))
                .clipNorm(getClipNorm())
                .weightDecay(getWeightDecay())
                .horizon(getHorizon() == 0 ? RankCodingPass.UNLIMITED_HORIZON : getHorizon())
                .seed(getSeed())
                .threads(1)
                .build();
    }

    private static <E extends Enum<E>> E named(Class<E> type, String param, String value) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            StringBuilder allowed = new StringBuilder();
            for (E c : type.getEnumConstants()) {
                allowed.append(allowed.length() == 0 ? "" : ", ").append(c.name().toLowerCase(Locale.ROOT));
            }
            throw new IllegalArgumentException(param + " = '" + value + "', expected one of " + allowed, e);
        }
    }

    @Override
    public StructType transformSchema(StructType schema) {
        SequenceColumns.of(schema, getFeaturesCol(), getInputSize());
        SequenceColumns.requireLabel(schema, getLabelCol());
        return OutputColumns.append(schema, getOrDefault(predictionCol), getOrDefault(probabilityCol),
                getOrDefault(decisionStepCol), getOrDefault(decidedEarlyCol));
    }

    /**
     * Trains on {@code dataset}.
     *
     * @throws IllegalArgumentException for a bad schema or setting, inconsistent rows, or more shards than rows
     * @throws IllegalStateException    if training diverges
     * @throws UncheckedIOException     if a checkpoint cannot be written or read
     */
    @Override
    public RankCodingClassificationModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema(), true);
        Dataset<Row> df = dataset.toDF();
        SequenceColumns columns = SequenceColumns.of(df.schema(), getFeaturesCol(), getInputSize());
        int fi = df.schema().fieldIndex(getFeaturesCol());
        int li = df.schema().fieldIndex(getLabelCol());
        String labelName = getLabelCol();
        int expected = getInputSize();
        JavaRDD<SequenceRow> rows = df.javaRDD()
                .map(r -> new SequenceRow(columns.steps(r, fi, expected), SequenceColumns.label(r, li, labelName)))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            DataShape shape = DataShape.of(ShardStats.of(rows));
            int classes = getNumClasses() > 0 ? getNumClasses() : Math.max(2, shape.maxLabel() + 1);
            NetworkConfig network = new NetworkConfig(shape.inputSize(), getHiddenSize(), getLayers(),
                    named(HeadType.class, "head", getHead()), classes);
            TrainerConfig config = trainerConfig(shape.rows());
            int shardCount = getShards() > 0 ? getShards() : df.javaRDD().getNumPartitions();
            ShardedTrainer trainer = new ShardedTrainer(config, shardCount).withKernels(getKernels());
            if (!getCheckpointDir().isBlank()) {
                trainer = trainer.withCheckpoints(Path.of(getCheckpointDir()), getCheckpointEvery());
            }
            ShardedTrainingResult result = trainer.train(network, rows);
            byte[] file = ModelFiles.toBytes(result.network(), config.decisionRule(),
                    SaveOptions.DEFAULT.withDtype(TensorDType.F64));
            RankCodingClassificationModel model = new RankCodingClassificationModel(uid, file).withTraining(result);
            return copyValues(model, extractParamMap()).setParent(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        } finally {
            rows.unpersist(false);
        }
    }

    @Override
    public RankCodingClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** The reader of saved classifiers (their settings). */
    public static MLReader<RankCodingClassifier> read() {
        return new DefaultParamsReader<>();
    }

    /** Loads a classifier saved with {@code write().save(path)}. */
    public static RankCodingClassifier load(String path) {
        return read().load(path);
    }
}
