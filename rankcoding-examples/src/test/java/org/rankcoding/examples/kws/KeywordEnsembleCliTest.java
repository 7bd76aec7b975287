package org.rankcoding.examples.kws;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.audio.spotter.KeywordModel;
import org.rankcoding.examples.CliRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code keyword-ensemble} end to end: two models trained by {@code keyword-spotting} on made-up tone "words" (seeds 1
 * and 2) averaged into one file that {@code keyword-evaluate} reads; a model averaged with itself tests exactly as
 * the model; members that differ, and fewer than two, are refused.
 */
class KeywordEnsembleCliTest {

    @TempDir
    static Path data;

    @TempDir
    static Path out;

    private static Path seed1;
    private static Path seed2;

    @BeforeAll
    static void train() throws IOException {
        System.setProperty("java.awt.headless", "true");
        ToneDataset.write(data, 4, 4, 21);
        seed1 = trained(1);
        seed2 = trained(2);
    }

    private static Path trained(int seed) {
        Path model = out.resolve("kws-" + seed + ".safetensors");
        CliRun r = CliRun.of("keyword-spotting", "--data", data.toString(), "--words", "low,mid,high", "--hidden", "8", "--epochs", "3",
                "--batch", "8", "--lr", "1e-2", "--threshold", "0.8", "--threads", "1", "--no-progress", "--no-plots",
                "--seed", Integer.toString(seed), "--save-model", model.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        return model;
    }

    /** The "all" line of keyword-evaluate on every clip. */
    private static String evaluated(Path model) {
        CliRun r = CliRun.of("keyword-evaluate", "--model", model.toString(), "--data", data.toString(), "--threads", "1");
        assertEquals(0, r.code(), r.err() + r.out());
        return r.out().lines().filter(l -> l.startsWith("all ")).findFirst().orElseThrow();
    }

    @Test
    void twoSeedsAreAveragedIntoAModelThatTheOtherCommandsRead() throws IOException {
        Path ensemble = out.resolve("ensemble.safetensors");
        CliRun r = CliRun.of("keyword-ensemble", "--model", seed1.toString(), "--model", seed2.toString(), "--save-model",
                ensemble.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().startsWith("keyword-ensemble: 2 models of hidden 8 averaged into " + ensemble + " (hidden 16,"), r.out());
        KeywordModel m = KeywordModel.load(ensemble);
        assertEquals(16, m.model().config().hiddenSize());
        assertEquals(List.of("low", "mid", "high"), m.words());
        assertEquals(KeywordModel.load(seed1).model().decisionRule(), m.model().decisionRule());
        assertFalse(evaluated(ensemble).isBlank());
    }

    @Test
    void aModelAveragedWithItselfTestsExactlyAsTheModel() {
        Path twice = out.resolve("twice.safetensors");
        CliRun r = CliRun.of("keyword-ensemble", "--model", seed1.toString(), "--model", seed1.toString(), "--save-model", twice.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertEquals(evaluated(seed1), evaluated(twice));
    }

    @Test
    void fewerThanTwoMembersAndMembersThatDifferAreRefused() throws IOException {
        CliRun one = CliRun.of("keyword-ensemble", "--model", seed1.toString(), "--save-model", out.resolve("one.safetensors").toString());
        assertEquals(2, one.code(), one.err());
        assertTrue(one.err().contains("--model given 1 time, expected two or more members"), one.err());

        Path two = out.resolve("two-words.safetensors");
        CliRun r = CliRun.of("keyword-spotting", "--data", data.toString(), "--words", "low,high", "--hidden", "8", "--epochs", "1",
                "--batch", "8", "--threads", "1", "--no-progress", "--no-plots", "--save-model", two.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        Path refused = out.resolve("refused.safetensors");
        CliRun differ = CliRun.of("keyword-ensemble", "--model", seed1.toString(), "--model", two.toString(), "--save-model",
                refused.toString());
        assertEquals(1, differ.code(), differ.err());
        assertTrue(differ.err().startsWith("keyword-ensemble: keyword models in an ensemble must share their "), differ.err());
        assertTrue(differ.err().contains(seed1.toString()) && differ.err().contains(two.toString()), differ.err());
        assertFalse(Files.exists(refused), "nothing written for refused members");

        CliRun missing = CliRun.of("keyword-ensemble", "--model", seed1.toString(), "--model", out.resolve("none.safetensors").toString(),
                "--save-model", refused.toString());
        assertEquals(1, missing.code(), missing.err());
        assertTrue(missing.err().startsWith("keyword-ensemble: ") && missing.err().contains("none.safetensors"), missing.err());
    }
}
