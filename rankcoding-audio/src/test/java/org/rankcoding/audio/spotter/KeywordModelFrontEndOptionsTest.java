package org.rankcoding.audio.spotter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.audio.CausalNormalization;
import org.rankcoding.audio.FeatureNormalizer;
import org.rankcoding.audio.FrontEndConfig;
import org.rankcoding.audio.LogMelConfig;
import org.rankcoding.audio.PcenConfig;
import org.rankcoding.io.ModelFileException;
import org.rankcoding.io.ModelFiles;
import org.rankcoding.io.SaveOptions;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.DecisionRuleSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rankcoding.testing.Refusals.assertRefusal;

/** A keyword model file records its front end's compression and normalisation; files written before them load as log-mel. */
class KeywordModelFrontEndOptionsTest {

    private static final RankCodingNetwork NET = new RankCodingNetwork(new NetworkConfig(40, 4, 1, HeadType.SOFTMAX, 3), 1);

    private static FeatureNormalizer stats() {
        double[] std = new double[40];
        Arrays.fill(std, 2.0);
        return new FeatureNormalizer(new double[40], std);
    }

    /** A file with exactly the metadata keys that keyword-spotting --save-model wrote before the front-end options, plus {@code extra}. */
    private static Path oldStyle(Path dir, Map<String, String> extra) throws IOException {
        String zeros = String.join(",", Arrays.stream(new double[40]).mapToObj(String::valueOf).toList());
        String twos = String.join(",", Arrays.stream(stats().std()).mapToObj(String::valueOf).toList());
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(KeywordModel.KEY_WORDS, "a,b,c");
        meta.put(KeywordModel.KEY_FRONT_END, "16000,400,160,512,40,20.0,8000.0,1.0E-6");
        meta.put(KeywordModel.KEY_MEAN, zeros);
        meta.put(KeywordModel.KEY_STD, twos);
        meta.putAll(extra);
        Path file = dir.resolve("kws.safetensors");
        ModelFiles.save(NET, 0.9, file, SaveOptions.DEFAULT.withMetadata(meta));
        return file;
    }

    @Test
    void aFileWithoutTheNewKeysLoadsAsLogMelWithTrainingSetStatistics(@TempDir Path dir) throws IOException {
        KeywordModel k = KeywordModel.load(oldStyle(dir, Map.of()));
        assertEquals(LogMelConfig.speechCommands(), k.frontEnd().mel());
        assertEquals(FrontEndConfig.logMel(LogMelConfig.speechCommands()), k.frontEnd());
    }

    @Test
    void pcenAndCausalNormalisationAreSavedAndLoaded(@TempDir Path dir) throws IOException {
        FrontEndConfig features = FrontEndConfig.speechCommands().withCompression(new PcenConfig(0.04, 0.9, 1.5, 0.4, 1e-5))
                .withNormalization(new CausalNormalization(33));
        Path file = dir.resolve("pcen.safetensors");
        KeywordModel.save(NET, DecisionRuleSpec.thresholdCrossing(0.9), List.of("a", "b", "c"), features, stats(), file);
        KeywordModel k = KeywordModel.load(file);
        assertEquals(features, k.frontEnd());
        assertEquals(features.mel(), k.frontEnd().mel());
        Path plain = dir.resolve("log.safetensors");
        KeywordModel.save(NET, 0.9, List.of("a", "b", "c"), LogMelConfig.speechCommands(), stats(), plain);
        assertEquals(FrontEndConfig.speechCommands(), KeywordModel.load(plain).frontEnd());
        assertEquals("log", KeywordModel.load(plain).model().metadata(FrontEndConfig.KEY_COMPRESSION));
    }

    @Test
    void aDamagedFrontEndKeyIsRefusedNamingTheFileAndTheKey(@TempDir Path dir) throws IOException {
        Path file = oldStyle(dir, Map.of(FrontEndConfig.KEY_COMPRESSION, "pcen(s=0,alpha=0.98,delta=2.0,r=0.5,epsilon=1.0E-6)"));
        assertRefusal(ModelFileException.class, () -> KeywordModel.load(file), file.toString(), "metadata key kws.compression",
                "PCEN s = 0.0", "(0, 1]");
        Path other = dir.resolve("other");
        java.nio.file.Files.createDirectories(other);
        Path file2 = oldStyle(other, Map.of(FrontEndConfig.KEY_NORMALIZATION, "utterance"));
        assertRefusal(ModelFileException.class, () -> KeywordModel.load(file2), "metadata key kws.normalization",
                "'utterance' is unknown", "training-set");
    }
}
