package org.rankcoding.examples.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.audio.SpeechCommands;
import org.rankcoding.examples.CliRun;
import org.rankcoding.audio.spotter.KeywordModel;
import org.rankcoding.examples.kws.ToneDataset;
import org.rankcoding.examples.report.JsonTree;
import org.rankcoding.testing.Slow;
import org.rankcoding.testing.Tools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * keyword-spotting's {@code --task}: {@code words20} (the default, the words of {@code --words}) or {@code commands12}
 * (the 12-class task with {@code _silence_} and {@code _unknown_}), trained end to end on a tiny set written by
 * {@code scripts/make-speech-commands}; bad values and combinations are refused naming the option.
 */
class KeywordTaskCliTest {

    @TempDir
    static Path tones;

    @BeforeAll
    static void writeData() throws IOException {
        System.setProperty("java.awt.headless", "true");
        ToneDataset.write(tones, 4, 4, 7);
    }

    private static void refused(String expected, String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(2, r.code(), r.err() + r.out());
        List<String> lines = r.err().strip().lines().toList();
        assertEquals(2, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("keyword-spotting: " + expected), lines.get(0));
        assertEquals("", r.out());
    }

    @Test
    void badTasksAndWordsWithTheTwelveClassTaskAreRefusedNamingTheOption() {
        refused("--task = twelve, expected words20 (the words of --words, by default the 20 core words) or commands12 (the 12-class "
                + "task with _silence_ and _unknown_), in any case", "keyword-spotting", "--data", tones.toString(), "--task", "twelve",
                "--no-plots");
        refused("--words = low,mid: --task commands12 has its own classes _silence_,_unknown_,yes,no,up,down,left,right,on,off,stop,go; "
                + "give --task words20 to choose the words", "keyword-spotting", "--data", tones.toString(), "--task", "commands12",
                "--words", "low,mid", "--no-plots");
        refused("--unknown-percent 30 needs --task commands12: the task words20 has no _unknown_ class", "keyword-spotting", "--data",
                tones.toString(), "--words", "low,mid", "--unknown-percent", "30", "--no-plots");
        refused("--unknown-splice 0.5 needs --task commands12: the task words20 has no _unknown_ class to splice", "keyword-spotting",
                "--data", tones.toString(), "--words", "low,mid", "--unknown-splice", "0.5", "--no-plots");
        refused("--unknown-draw words needs --task commands12: the task words20 has no _unknown_ class", "keyword-spotting",
                "--data", tones.toString(), "--words", "low,mid", "--unknown-draw", "words", "--no-plots");
        refused("--unknown-draw = 'speakers', expected clips (the Speech Commands convention) or words (one clip of each other word "
                + "in turn)", "keyword-spotting", "--data", tones.toString(), "--task", "commands12", "--unknown-draw", "speakers",
                "--no-plots");
    }

    @Test
    void abstainingClassesAreNamedAndBadNamesAreRefused() {
        refused("--abstain: 'hum' is not a class of this task; the classes are low,mid,high (or give 'none')", "keyword-spotting",
                "--data", tones.toString(), "--words", "low,mid,high", "--abstain", "hum", "--no-plots");
        refused("--abstain: every class (low,mid) abstains, so no clip could ever decide; leave at least one class out",
                "keyword-spotting", "--data", tones.toString(), "--words", "low,mid", "--abstain", "mid,low", "--no-plots");
        CliRun r = CliRun.of("keyword-spotting", "--data", tones.toString(), "--words", "low,mid,high", "--abstain", "high",
                "--epochs", "1", "--hidden", "2", "--eval-thresholds", "0.9", "--threads", "1", "--no-progress", "--no-plots");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("threshold 0.95 (decision rule threshold=0.95;consecutive=1;minSteps=1;abstain=2)"), r.out());
        CliRun none = CliRun.of("keyword-spotting", "--data", tones.toString(), "--words", "low,mid,high", "--abstain", "none",
                "--epochs", "1", "--hidden", "2", "--eval-thresholds", "0.9", "--threads", "1", "--no-progress", "--no-plots");
        assertEquals(0, none.code(), none.err());
        assertTrue(none.out().contains(", threshold 0.95, RC beta"), none.out());
    }

    @Test
    void theWordsTaskIsTheDefaultAndTakesAnyCase() {
        CliRun r = CliRun.of("keyword-spotting", "--data", tones.toString(), "--task", "Words20", "--words", "low,mid,high", "--epochs", "1",
                "--hidden", "2", "--eval-thresholds", "0.9", "--threads", "1", "--no-progress", "--no-plots");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("keyword-spotting: 3 words,"), r.out());
        assertTrue(!r.out().contains("task commands12"), r.out());
        CliRun missing = CliRun.of("keyword-spotting", "--data", tones.toString(), "--task", "commands12", "--epochs", "1", "--no-progress",
                "--no-plots");
        assertEquals(1, missing.code(), missing.err());
        assertTrue(missing.err().contains("the folder of the word 'yes' is missing"), missing.err());
    }

    @Slow
    @Test
    @SuppressWarnings("unchecked")
    void theTwelveClassTaskTrainsOnAGeneratedSet(@TempDir Path dir) throws Exception {
        Path script = Path.of("..", "scripts", "make-speech-commands").toAbsolutePath().normalize();
        assumeTrue(Files.isExecutable(script) && Tools.onPath("espeak-ng") && Tools.onPath("sox") && Tools.onPath("soxi") && Tools.onPath("bash"),
                "espeak-ng and sox are not installed");
        Path data = dir.resolve("speech");
        Process p = new ProcessBuilder("bash", script.toString(), "--clips-per-word", "3", "--jobs", "1", data.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "the script did not finish in 3 minutes");
        assertEquals(0, p.exitValue(), output);

        Path json = dir.resolve("kws.json");
        Path model = dir.resolve("kws.safetensors");
        CliRun r = CliRun.of("keyword-spotting", "--data", data.toString(), "--task", "commands12", "--epochs", "1", "--hidden", "4",
                "--batch", "8", "--eval-thresholds", "0.6,0.9", "--threads", "1", "--no-progress", "--no-plots", "--json", json.toString(),
                "--save-model", model.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().startsWith("keyword-spotting: 12 words,"), r.out());
        assertTrue(r.out().contains("task commands12: classes _silence_,_unknown_,yes,no,up,down,left,right,on,off,stop,go; per split, "
                + "10 %/10 % of the command-word clips added as _silence_ (background-noise excerpts) and _unknown_ (other words)"), r.out());
        assertTrue(r.out().contains("accuracy at first spike"), r.out());
        Map<String, Object> top = JsonTree.parseObject(Files.readString(json));
        Map<String, Object> generator = (Map<String, Object>) top.get("generator");
        assertEquals("commands12", generator.get("kws_task"));
        assertEquals(SpeechCommands.TWELVE_CLASSES, generator.get("words"));
        // 30 command-word clips; with ceil(10 %) silence and unknown items per split there are more clips in all
        double clips = (Double) generator.get("training_clips") + (Double) generator.get("validation_clips") + (Double) generator.get("test_clips");
        assertTrue(clips > 30 && clips <= 30 + 2 * (3 + 3), "clips: " + clips);
        assertEquals(SpeechCommands.TWELVE_CLASSES, KeywordModel.load(model).words());
        // _silence_ and _unknown_ never decide, in training, in the test and in the saved model
        assertTrue(r.out().contains("(decision rule threshold=0.95;consecutive=1;minSteps=1;abstain=0,1)"), r.out());
        assertEquals(List.of(0, 1), KeywordModel.load(model).model().decisionRule().abstaining());
        assertEquals(10.0, generator.get("training_unknown_percent"));

        // a larger training share of _unknown_ items: more training clips, the same validation and test clips
        CliRun r50 = tinyCommands12(data, dir.resolve("kws50.json"), "--unknown-percent", "50");
        assertTrue(r50.out().contains("(other words); the training split 50 % _unknown_"), r50.out());
        Map<String, Object> g50 = generatorOf(dir.resolve("kws50.json"));
        assertEquals(50.0, g50.get("training_unknown_percent"));
        assertTrue((Double) g50.get("training_clips") > (Double) generator.get("training_clips"), g50 + " / " + generator);
        assertEquals(generator.get("validation_clips"), g50.get("validation_clips"));
        assertEquals(generator.get("test_clips"), g50.get("test_clips"));
        assertEquals(0.0, g50.get("unknown_splice"));

        // _unknown_ items spliced from two clips: the training runs on the raw clips even without other augmentation
        CliRun spliced = tinyCommands12(data, dir.resolve("kws-splice.json"), "--unknown-splice", "0.5");
        assertTrue(spliced.out().contains("(other words); _unknown_ training items spliced from two clips with probability 0.5"),
                spliced.out());
        Map<String, Object> gs = generatorOf(dir.resolve("kws-splice.json"));
        assertEquals(0.5, gs.get("unknown_splice"));
        assertEquals("clips", gs.get("unknown_draw"));

        // _unknown_ training items drawn by word: the same number of clips
        CliRun byWord = tinyCommands12(data, dir.resolve("kws-words.json"), "--unknown-draw", "words");
        assertTrue(byWord.out().contains("(other words); _unknown_ training items drawn by word"), byWord.out());
        Map<String, Object> gw = generatorOf(dir.resolve("kws-words.json"));
        assertEquals("words", gw.get("unknown_draw"));
        assertEquals(generator.get("training_clips"), gw.get("training_clips"));
        assertEquals(generator.get("training_clips"), gs.get("training_clips"));
    }

    /** A one-epoch 12-class run of a tiny model on {@code data} with {@code extra} options, its JSON in {@code json}; must succeed. */
    private static CliRun tinyCommands12(Path data, Path json, String... extra) {
        List<String> args = new ArrayList<>(List.of("keyword-spotting", "--data", data.toString(), "--task", "commands12"));
        args.addAll(List.of(extra));
        args.addAll(List.of("--epochs", "1", "--hidden", "4", "--batch", "8", "--eval-thresholds", "0.6", "--threads", "1",
                "--no-progress", "--no-plots", "--json", json.toString()));
        CliRun r = CliRun.of(args.toArray(new String[0]));
        assertEquals(0, r.code(), r.err() + r.out());
        return r;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> generatorOf(Path json) throws IOException {
        return (Map<String, Object>) JsonTree.parseObject(Files.readString(json)).get("generator");
    }
}
