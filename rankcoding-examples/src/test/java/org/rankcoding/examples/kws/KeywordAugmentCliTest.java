package org.rankcoding.examples.kws;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.audio.CausalNormalization;
import org.rankcoding.audio.PcenConfig;
import org.rankcoding.audio.spotter.KeywordModel;
import org.rankcoding.examples.CliRun;
import org.rankcoding.examples.report.JsonTree;
import org.rankcoding.testing.Slow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code keyword-spotting} with the front-end options, every training-time augmentation on and a held-out data set,
 * end to end on made-up tone "words"; and the refusals of the new options.
 */
class KeywordAugmentCliTest {

    @TempDir
    static Path data;

    @TempDir
    static Path heldout;

    @BeforeAll
    static void writeData() throws IOException {
        System.setProperty("java.awt.headless", "true");
        ToneDataset.write(data, 4, 4, 7);
        ToneDataset.write(heldout, 3, 2, 99);
        SplittableRandom rng = new SplittableRandom(3);
        short[] noise = new short[2 * 16_000];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (short) Math.round(1000 * rng.nextGaussian());
        }
        Files.write(data.resolve("_background_noise_/white.wav"), ToneDataset.wav(noise));
    }

    @Slow
    @Test
    @SuppressWarnings("unchecked")
    void trainsWithEveryAugmentationTestsOnTheHeldOutSetAndSavesTheFrontEnd(@TempDir Path out) throws IOException {
        Path model = out.resolve("kws.safetensors");
        Path json = out.resolve("kws.json");
        CliRun r = CliRun.of("keyword-spotting", "--data", data.toString(), "--words", "low,mid,high", "--hidden", "8", "--epochs", "4",
                "--batch", "8", "--lr", "1e-2", "--threshold", "0.8", "--threads", "1", "--no-progress", "--no-plots",
                "--eval-thresholds", "0.6,0.8", "--front-end", "pcen", "--normalisation", "causal", "--speed", "0.1", "--pitch", "1",
                "--gain-db", "6", "--time-shift-ms", "50", "--noise-prob", "0.5", "--noise-snr", "10:20", "--reverb-prob", "0.3",
                "--band-limit-prob", "0.5", "--band-limit-min-hz", "3000", "--vtlp", "0.1", "--freq-masks", "1", "--time-masks", "1", "--heldout", heldout.toString(),
                "--save-model", model.toString(), "--json", json.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        for (String row : List.of("front end pcen, normalisation causal; augmentation:", "held-out clips: 18 from",
                "held-out clips (" + heldout + "), over thresholds", "held-out clips at the model's rule: RC")) {
            assertTrue(r.out().contains(row), "the report lacks '" + row + "':\n" + r.out());
        }
        Map<String, Object> top = JsonTree.parseObject(Files.readString(json));
        Map<String, Object> generator = (Map<String, Object>) top.get("generator");
        assertEquals(18.0, generator.get("heldout_clips"));
        assertTrue(((String) generator.get("augmentation")).contains("VTLP ±0.1"), generator.toString());
        assertTrue(((String) generator.get("augmentation")).contains("band-limit=0.5@3000.0Hz"), generator.toString());
        for (String name : List.of("rc", "eos")) {
            Map<String, Object> h = (Map<String, Object>) ((Map<String, Object>) top.get(name)).get("heldout");
            double acc = (Double) h.get("accuracy_first_spike");
            assertTrue(acc >= 0 && acc <= 1, name + " held-out accuracy " + acc);
            assertEquals(18.0, h.get("clips"));
            assertEquals(2, ((List<Object>) h.get("threshold_curve")).size());
        }
        KeywordModel loaded = KeywordModel.load(model);
        assertInstanceOf(PcenConfig.class, loaded.frontEnd().compression());
        assertInstanceOf(CausalNormalization.class, loaded.frontEnd().normalization());
        CliRun stream = CliRun.of("keyword-stream", "--model", model.toString(), heldout.resolve("low/00001000_nohash_0.wav").toString());
        assertEquals(0, stream.code(), stream.err() + stream.out());
    }

    @Test
    void badFrontEndAndAugmentationValuesAreRefusedNamingTheOption(@TempDir Path out) {
        String[][] cases = {
                {"--front-end", "mfcc", "--front-end = 'mfcc', expected log or pcen"},
                {"--normalisation", "global", "--normalisation = 'global', expected training or causal"},
                {"--noise-snr", "20:5", "--noise-snr = '20:5', expected LO:HI"},
                {"--reverb-rt60", "0.5", "--reverb-rt60 = '0.5', expected LO:HI"},
                {"--speed", "0.9", "--speed"},
                {"--vtlp", "-0.1", "--vtlp"},
                {"--band-limit-min-hz", "8000", "--band-limit-min-hz"},
                {"--band-limit-prob", "1.5", "--band-limit-prob"},
        };
        for (String[] c : cases) {
            CliRun r = CliRun.of("keyword-spotting", "--data", data.toString(), "--words", "low,mid,high", "--no-progress", "--no-plots",
                    c[0], c[1]);
            assertEquals(2, r.code(), c[0] + " " + c[1] + ": " + r.err() + r.out());
            assertTrue(r.err().contains(c[2]), c[0] + " " + c[1] + ": " + r.err());
        }
    }
}
