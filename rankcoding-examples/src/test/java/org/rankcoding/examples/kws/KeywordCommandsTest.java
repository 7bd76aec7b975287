package org.rankcoding.examples.kws;

import org.rankcoding.audio.spotter.KeywordModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.audio.FeatureNormalizer;
import org.rankcoding.audio.LogMelConfig;
import org.rankcoding.examples.CliRun;
import org.rankcoding.examples.report.JsonTree;
import org.rankcoding.io.ModelFileException;
import org.rankcoding.io.ModelFiles;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.testing.Slow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code keyword-spotting} and {@code keyword-stream} end to end on a made-up data set of tone "words". */
class KeywordCommandsTest {

    @TempDir
    static Path data;

    @BeforeAll
    static void writeData() throws IOException {
        System.setProperty("java.awt.headless", "true");
        ToneDataset.write(data, 4, 4, 7);
    }

    private static CliRun cli(String... args) {
        return CliRun.of(args);
    }

    @Slow
    @Test
    @SuppressWarnings("unchecked")
    void trainsBothModelsReportsSavesAndStreams(@TempDir Path out) throws IOException {
        Path model = out.resolve("models/kws.safetensors");
        Path json = out.resolve("kws.json");
        CliRun r = cli("keyword-spotting", "--data", data.toString(), "--words", "low,mid,high", "--hidden", "8", "--epochs", "6",
                "--batch", "8", "--lr", "1e-2", "--threshold", "0.8", "--threads", "1", "--no-progress", "--eval-thresholds", "0.6,0.8,0.95",
                "--save-model", model.toString(), "--json", json.toString(), "--plots", out.resolve("plots").toString());
        assertEquals(0, r.code(), r.err() + r.out());
        for (String row : List.of("accuracy at first spike", "mean decision time (ms of 995)", "decided before the word ends (estimated)",
                "training example-steps forward", "trade-off over thresholds", "at equal mean decision time")) {
            assertTrue(r.out().contains(row), "the report lacks '" + row + "':\n" + r.out());
        }
        Map<String, Object> top = JsonTree.parseObject(Files.readString(json));
        assertEquals("keyword-spotting", top.get("task"));
        assertEquals(98.0, top.get("sequence_length"));
        Map<String, Object> rc = (Map<String, Object>) top.get("rc");
        Map<String, Object> eos = (Map<String, Object>) top.get("eos");
        assertEquals("RANK_CODING", rc.get("loss_mode"));
        assertEquals("END_OF_SEQUENCE", eos.get("loss_mode"));
        for (Map<String, Object> m : List.of(rc, eos)) {
            double ms = (Double) m.get("mean_decision_ms");
            double step = (Double) m.get("mean_decision_step");
            assertEquals(25 + 10 * (step - 1), ms, 1e-9, "ms of audio at the mean decision frame");
            double before = (Double) m.get("fraction_decided_before_word_end");
            assertTrue(before >= 0 && before <= 1);
            assertEquals(3, ((List<Object>) m.get("threshold_curve")).size());
        }
        assertTrue(Files.size(out.resolve("plots/keyword-spotting-tradeoff.png")) > 1000);
        assertTrue(Files.readString(out.resolve("plots/keyword-spotting-tradeoff.svg")).contains("<svg"));

        KeywordModel loaded = KeywordModel.load(model);
        assertEquals(List.of("low", "mid", "high"), loaded.words());
        assertEquals(LogMelConfig.speechCommands(), loaded.frontEnd().mel());
        assertEquals(0.8, loaded.model().threshold());

        Path clip = out.resolve("clip.wav");
        Files.write(clip, ToneDataset.wav(ToneDataset.tone(3000, 200, 500, new SplittableRandom(1))));
        Path bad = out.resolve("bad.wav");
        Files.write(bad, new byte[] {'R', 'I', 'F', 'F', 1, 2});
        CliRun s = cli("keyword-stream", "--model", model.toString(), clip.toString(), bad.toString());
        assertEquals(1, s.code(), "one file failed");
        assertTrue(s.out().matches("(?s).*clip\\.wav: \"(low|mid|high)\" (recognised|never crossed the threshold; best guess at the end) at \\d+ ms of 1000 ms.*"),
                s.out());
        assertTrue(s.err().contains("bad.wav"), s.err());
    }

    @Test
    void sweepOverBetas(@TempDir Path out) throws IOException {
        CliRun r = cli("sweep", "--betas", "0,0.1", "--eval-thresholds", "0.6,0.9", "keyword-spotting", "--data", data.toString(),
                "--words", "low,mid,high", "--hidden", "8", "--epochs", "2", "--batch", "8", "--threads", "1", "--no-progress",
                "--threshold", "0.8", "--json", out.resolve("s.json").toString(), "--no-plots");
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("raising beta at theta 0.8 (2 values)"), r.out());
        assertEquals(1 + 2 + 2 * 2 + 2, Files.readAllLines(out.resolve("s.csv")).size());
    }

    @Test
    void missingDataSaysWhatToRun(@TempDir Path empty) {
        CliRun r = cli("keyword-spotting", "--data", empty.resolve("nowhere").toString(), "--no-progress", "--no-plots");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("make-speech-commands"), r.err());
    }

    @Test
    void modelFilesWithoutKeywordMetadataAreRefused(@TempDir Path dir) throws IOException {
        RankCodingNetwork net = new RankCodingNetwork(new NetworkConfig(40, 4, 1, HeadType.SOFTMAX, 3), 1);
        Path plain = dir.resolve("plain.safetensors");
        ModelFiles.save(net, 0.9, plain);
        ModelFileException e = assertThrows(ModelFileException.class, () -> KeywordModel.load(plain));
        assertTrue(e.getMessage().contains("kws.words"), e.getMessage());

        Path ok = dir.resolve("kws.safetensors");
        double[] mean = new double[40];
        double[] std = new double[40];
        java.util.Arrays.fill(std, 2.0);
        mean[3] = -1.5;
        KeywordModel.save(net, 0.9, List.of("a", "b", "c"), LogMelConfig.speechCommands(), new FeatureNormalizer(mean, std), ok);
        KeywordModel k = KeywordModel.load(ok);
        assertArrayEquals(mean, k.normalizer().mean());
        assertArrayEquals(std, k.normalizer().std());
        Path wrongWords = dir.resolve("two-words.safetensors");
        KeywordModel.save(net, 0.9, List.of("a", "b"), LogMelConfig.speechCommands(), new FeatureNormalizer(mean, std), wrongWords);
        assertTrue(assertThrows(ModelFileException.class, () -> KeywordModel.load(wrongWords)).getMessage()
                .contains("2 words but the network has 3 classes"));
    }
}
