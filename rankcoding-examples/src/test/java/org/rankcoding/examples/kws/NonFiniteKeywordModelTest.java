package org.rankcoding.examples.kws;

import org.rankcoding.audio.spotter.KeywordModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.audio.FeatureNormalizer;
import org.rankcoding.audio.LogMelConfig;
import org.rankcoding.examples.CliRun;
import org.rankcoding.io.ModelFileException;
import org.rankcoding.io.ModelFiles;
import org.rankcoding.io.SaveOptions;
import org.rankcoding.io.TensorDType;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.RankCodingNetwork;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertRefusal;

/**
 * A keyword model whose feature statistics are not finite is refused when it is loaded (naming the file and the key),
 * and a model whose statistics make the network's output NaN stops {@code keyword-stream} with one line and exit code 1
 * instead of printing {@code p = NaN}.
 */
class NonFiniteKeywordModelTest {

    private static final int BANDS = LogMelConfig.speechCommands().melBands();

    private static RankCodingNetwork network() {
        return new RankCodingNetwork(new NetworkConfig(BANDS, 4, 1, HeadType.SOFTMAX, 3), 1);
    }

    /** A keyword model file whose statistics are written as given, bypassing the checks of {@link FeatureNormalizer}. */
    private static Path withStatistics(Path dir, String name, String mean, String std) throws IOException {
        Path file = dir.resolve(name);
        Path good = dir.resolve("good-" + name);
        double[] ones = new double[BANDS];
        Arrays.fill(ones, 1.0);
        KeywordModel.save(network(), 0.9, List.of("a", "b", "c"), LogMelConfig.speechCommands(),
                new FeatureNormalizer(new double[BANDS], ones), good);
        Map<String, String> meta = new LinkedHashMap<>(ModelFiles.load(good).metadata());
        meta.put(KeywordModel.KEY_MEAN, mean);
        meta.put(KeywordModel.KEY_STD, std);
        Map<String, String> extra = new LinkedHashMap<>();
        for (String key : List.of(KeywordModel.KEY_WORDS, KeywordModel.KEY_FRONT_END, KeywordModel.KEY_MEAN,
                KeywordModel.KEY_STD)) {
            extra.put(key, meta.get(key));
        }
        ModelFiles.save(network(), 0.9, file, SaveOptions.DEFAULT.withDtype(TensorDType.F64).withMetadata(extra));
        return file;
    }

    private static String values(String first, double rest) {
        StringBuilder sb = new StringBuilder(first);
        for (int i = 1; i < BANDS; i++) {
            sb.append(',').append(rest);
        }
        return sb.toString();
    }

    @Test
    void nonFiniteStatisticsAreRefusedAtLoadNamingTheFileAndTheKey(@TempDir Path dir) throws IOException {
        Path nanMean = withStatistics(dir, "nan-mean.safetensors", values("NaN", 0), values("1", 1));
        assertRefusal(ModelFileException.class, () -> KeywordModel.load(nanMean),
                nanMean.toString(), KeywordModel.KEY_MEAN, "value 0 (of " + BANDS + ") is 'NaN'", "finite");
        Path inf = withStatistics(dir, "inf-std.safetensors", values("0", 0), values("Infinity", 1));
        assertRefusal(ModelFileException.class, () -> KeywordModel.load(inf),
                inf.toString(), KeywordModel.KEY_STD, "value 0 (of " + BANDS + ") is 'Infinity'", "finite");
        Path tiny = withStatistics(dir, "tiny-std.safetensors", values("0", 0), values("1e-300", 1));
        assertRefusal(ModelFileException.class, () -> KeywordModel.load(tiny),
                tiny.toString(), KeywordModel.KEY_STD, "value 0 is 1.0E-300", ">= " + FeatureNormalizer.MIN_STD);
    }

    @Test
    void keywordStreamRefusesNonFiniteStatisticsWithOneLine(@TempDir Path dir) throws IOException {
        Path model = withStatistics(dir, "nan-mean.safetensors", values("0", Double.NaN), values("1", 1));
        Path clip = dir.resolve("clip.wav");
        Files.write(clip, ToneDataset.wav(ToneDataset.tone(3000, 200, 500, new SplittableRandom(1))));
        CliRun r = CliRun.of("keyword-stream", "--model", model.toString(), clip.toString());
        assertEquals(1, r.code(), r.err() + r.out());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "one line: " + err);
        assertTrue(err.contains(model.toString()) && err.contains(KeywordModel.KEY_MEAN), err);
        assertFalse(r.out().contains("NaN"), r.out());
    }

    @Test
    void keywordStreamStopsAtANonFiniteOutputWithOneLine(@TempDir Path dir) throws IOException {
        // finite statistics that blow the inputs up to +-1e308: with weights of 10, the products overflow to +inf and
        // -inf, whose sum is NaN; the file loads, and the first frame's output is not a probability
        Path model = dir.resolve("overflow.safetensors");
        double[] mean = new double[BANDS];
        for (int i = 0; i < BANDS; i++) {
            mean[i] = i % 2 == 0 ? 1e308 : -1e308;
        }
        double[] std = new double[BANDS];
        Arrays.fill(std, 1.0);
        RankCodingNetwork net = network();
        Arrays.fill(net.parameters().get(RankCodingNetwork.LSTM_PREFIX + "weight_ih_l0").data, 10.0);
        KeywordModel.save(net, 0.9, List.of("a", "b", "c"), LogMelConfig.speechCommands(), new FeatureNormalizer(mean, std),
                model);
        Path clip = dir.resolve("clip.wav");
        Files.write(clip, ToneDataset.wav(ToneDataset.tone(3000, 200, 500, new SplittableRandom(1))));
        Path second = dir.resolve("second.wav");
        Files.copy(clip, second);
        CliRun r = CliRun.of("keyword-stream", "--model", model.toString(), clip.toString(), second.toString());
        assertEquals(1, r.code(), r.err() + r.out());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "one line: " + err);
        for (String part : List.of("keyword-stream: ", clip.toString(), "step 1", "NaN", "model file '" + model + "'")) {
            assertTrue(err.contains(part), "the error names '" + part + "': " + err);
        }
        assertFalse(r.out().contains("p = NaN") || r.out().contains("recognised"), r.out());
    }
}
