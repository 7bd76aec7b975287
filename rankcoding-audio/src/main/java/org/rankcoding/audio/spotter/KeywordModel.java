package org.rankcoding.audio.spotter;

import org.rankcoding.audio.FeatureNormalizer;
import org.rankcoding.audio.FrontEndConfig;
import org.rankcoding.rc.DecisionRuleSpec;
import org.rankcoding.audio.LogMelConfig;
import org.rankcoding.io.LoadedModel;
import org.rankcoding.io.MetadataNumbers;
import org.rankcoding.io.ModelFileException;
import org.rankcoding.io.ModelFiles;
import org.rankcoding.io.SaveOptions;
import org.rankcoding.nn.RankCodingNetwork;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A keyword-spotting model file: the network in the library's model format plus, in its metadata, what a listener
 * needs to turn audio into the network's inputs and its outputs into words: the words (class order), the log-mel
 * front end with its compression (log or PCEN) and normalisation ({@link FrontEndConfig#optionsMetadata()}; a file
 * without them is log-mel with training-set statistics), and the feature standardisation. {@link KeywordSpotter} runs
 * one on a stream.
 *
 * <p>The metadata keys: {@value #KEY_WORDS} (the words, comma-separated, in class order), {@value #KEY_FRONT_END} (the
 * eight numbers of {@link LogMelConfig#fromNumbers}), {@value #KEY_MEAN} and {@value #KEY_STD} (one value per
 * feature), {@value FrontEndConfig#KEY_COMPRESSION} and {@value FrontEndConfig#KEY_NORMALIZATION} (absent: log and
 * training-set statistics); the tensors are stored as 64-bit floats.
 *
 * @param model      the network, its threshold and the file's metadata
 * @param words      class names, {@code words.get(label)}
 * @param frontEnd   the front end the model was trained with: log-mel settings, compression (log or PCEN) and
 *                   normalisation (training-set or causal)
 * @param normalizer the training set's feature statistics (the standardisation itself, or the causal
 *                   normalisation's prior)
 */
public record KeywordModel(LoadedModel model, List<String> words, FrontEndConfig frontEnd, FeatureNormalizer normalizer) {

    /** Metadata key of the words, comma-separated, in class order. */
    public static final String KEY_WORDS = "kws.words";
    /** Metadata key of the log-mel front end's eight numbers ({@link LogMelConfig#fromNumbers}). */
    public static final String KEY_FRONT_END = "kws.log_mel";
    /** Metadata key of the feature means. */
    public static final String KEY_MEAN = "kws.feature_mean";
    /** Metadata key of the feature standard deviations. */
    public static final String KEY_STD = "kws.feature_std";

    /**
     * Checks the parts and copies the words.
     *
     * @throws IllegalArgumentException when the words, the bands, the standardisation and the network disagree
     */
    public KeywordModel {
        Objects.requireNonNull(model, "model is null: load one with KeywordModel.load(file)");
        Objects.requireNonNull(frontEnd, "frontEnd is null: give the front end the model was trained with");
        Objects.requireNonNull(normalizer, "normalizer is null: give the training set's feature statistics");
        words = List.copyOf(Objects.requireNonNull(words, "words is null: give the class names in class order"));
        if (words.size() != model.config().numClasses()) {
            throw new IllegalArgumentException(words.size() + " words but the network has " + model.config().numClasses() + " classes");
        }
        if (frontEnd.mel().melBands() != model.config().inputSize() || normalizer.size() != frontEnd.mel().melBands()) {
            throw new IllegalArgumentException(frontEnd.mel().melBands() + " mel bands, " + normalizer.size() + " standardised features, "
                    + "but the network takes " + model.config().inputSize() + " inputs");
        }
    }

    /**
     * Writes {@code network} with its words, front end and standardisation to {@code file} (atomically), deciding by
     * threshold crossing at {@code threshold}.
     *
     * @throws IOException when the file cannot be written
     */
    public static void save(RankCodingNetwork network, double threshold, List<String> words, LogMelConfig frontEnd,
                            FeatureNormalizer normalizer, Path file) throws IOException {
        save(network, DecisionRuleSpec.thresholdCrossing(threshold), words, frontEnd, normalizer, file);
    }

    /**
     * As {@link #save(RankCodingNetwork, double, List, LogMelConfig, FeatureNormalizer, Path)}, with a decision rule.
     *
     * @throws IOException when the file cannot be written
     */
    public static void save(RankCodingNetwork network, DecisionRuleSpec rule, List<String> words, LogMelConfig frontEnd,
                            FeatureNormalizer normalizer, Path file) throws IOException {
        save(network, rule, words, FrontEndConfig.logMel(frontEnd), normalizer, file);
    }

    /** As {@link #save(RankCodingNetwork, DecisionRuleSpec, List, LogMelConfig, FeatureNormalizer, Path)}, with the whole front end. */
    public static void save(RankCodingNetwork network, DecisionRuleSpec rule, List<String> words, FrontEndConfig features,
                            FeatureNormalizer normalizer, Path file) throws IOException {
        LogMelConfig frontEnd = features.mel();
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            java.nio.file.Files.createDirectories(parent);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(KEY_WORDS, String.join(",", words));
        meta.put(KEY_FRONT_END, frontEnd.sampleRate() + "," + frontEnd.windowLength() + "," + frontEnd.hopLength() + "," + frontEnd.fftSize()
                + "," + frontEnd.melBands() + "," + frontEnd.minFrequency() + "," + frontEnd.maxFrequency() + "," + frontEnd.epsilon());
        meta.put(KEY_MEAN, join(normalizer.mean()));
        meta.put(KEY_STD, join(normalizer.std()));
        meta.putAll(features.optionsMetadata());
        ModelFiles.save(network, rule, file, SaveOptions.DEFAULT.withDtype(org.rankcoding.io.TensorDType.F64).withMetadata(meta));
    }

    /**
     * Reads a file written by {@link #save}.
     *
     * @throws ModelFileException for a model file without (or with malformed) keyword-spotting metadata, whose words,
     *                            bands and classes disagree, or whose feature statistics are not finite (or a standard
     *                            deviation below {@link FeatureNormalizer#MIN_STD}), naming the file and the key
     * @throws IOException        when the file cannot be read or is not a valid model file
     */
    public static KeywordModel load(Path file) throws IOException {
        LoadedModel m = ModelFiles.load(file);
        MetadataNumbers numbers = new MetadataNumbers(file);
        List<String> words = List.of(require(m, KEY_WORDS).split(","));
        String frontEnd = require(m, KEY_FRONT_END);
        double[] fe = numbers.decimals(KEY_FRONT_END, frontEnd);
        LogMelConfig c;
        try {
            c = LogMelConfig.fromNumbers(fe);
        } catch (IllegalArgumentException e) {
            throw numbers.refuse(KEY_FRONT_END, frontEnd, "a log-mel front end (" + e.getMessage() + ")");
        }
        FrontEndConfig features;
        try {
            features = FrontEndConfig.fromMetadata(c, m::metadata);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, e.getMessage() + " (a damaged file, or one written by a newer version)", e);
        }
        FeatureNormalizer n = normalizer(m, numbers);
        try {
            return new KeywordModel(m, words, features, n);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, "a keyword-spotting model (written by keyword-spotting --save-model): " + e.getMessage());
        }
    }

    /**
     * The file's feature standardisation, checked as loaded statistics: every mean and standard deviation finite, every
     * standard deviation at least {@link FeatureNormalizer#MIN_STD} (what {@link FeatureNormalizer#fit} writes), one
     * value per feature; statistics that would make the network's inputs (and so its output) non-finite are refused here,
     * naming the key, rather than at the first frame.
     */
    private static FeatureNormalizer normalizer(LoadedModel m, MetadataNumbers numbers) throws ModelFileException {
        double[] mean = finiteValues(m, numbers, KEY_MEAN);
        double[] std = finiteValues(m, numbers, KEY_STD);
        for (int i = 0; i < std.length; i++) {
            if (!(std[i] >= FeatureNormalizer.MIN_STD)) {
                throw numbers.refuse(KEY_STD, m.metadata(KEY_STD), "standard deviations >= " + FeatureNormalizer.MIN_STD
                        + " (value " + i + " is " + std[i] + "); the file's feature statistics are damaged: retrain the model");
            }
        }
        if (mean.length != std.length) {
            throw numbers.refuse(KEY_STD, m.metadata(KEY_STD), "one value per feature, as many as " + KEY_MEAN + " (" + mean.length
                    + "), not " + std.length);
        }
        return new FeatureNormalizer(mean, std);
    }

    /** The comma-separated numbers of metadata key {@code key}, each a finite decimal number. */
    private static double[] finiteValues(LoadedModel m, MetadataNumbers numbers, String key) throws ModelFileException {
        return numbers.decimals(key, require(m, key));
    }

    /** The text of metadata key {@code key}, refused naming the key when missing. */
    private static String require(LoadedModel m, String key) throws ModelFileException {
        String v = m.metadata(key);
        if (v == null || v.isEmpty()) {
            throw new ModelFileException(m.file(), "metadata key " + key + " is missing: not a keyword-spotting model file "
                    + "(written by keyword-spotting --save-model)");
        }
        return v;
    }

    private static String join(double[] values) {
        StringBuilder sb = new StringBuilder();
        for (double v : values) {
            sb.append(sb.length() == 0 ? "" : ",").append(v);
        }
        return sb.toString();
    }

}
