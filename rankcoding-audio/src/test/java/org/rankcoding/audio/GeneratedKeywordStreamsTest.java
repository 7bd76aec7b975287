package org.rankcoding.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.testing.Slow;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.audio.GeneratorScripts.assertSameFiles;
import static org.rankcoding.audio.GeneratorScripts.assumeTools;
import static org.rankcoding.audio.GeneratorScripts.csvRows;
import static org.rankcoding.audio.GeneratorScripts.meanSquare;
import static org.rankcoding.audio.GeneratorScripts.relativeFiles;
import static org.rankcoding.audio.GeneratorScripts.run;
import static org.rankcoding.audio.GeneratorScripts.runOk;

/**
 * End to end: {@code scripts/make-keyword-streams} writes long recordings with {@code NAME.labels.csv} files whose
 * rows are in time order and mark where speech is: the audio inside every labelled span is much louder than the
 * audio outside all of them. Background recordings hold no keyword; the same seed gives the same bytes. Skipped
 * where espeak-ng, flite or sox is not installed.
 */
class GeneratedKeywordStreamsTest {

    private static final List<String> COMMANDS = SpeechCommands.COMMAND_WORDS;

    @TempDir
    Path dir;

    @Test
    @Slow
    void recordingsAreLabelledWordByWordInTimeOrderAndTheSameForTheSameSeed() throws Exception {
        assumeTools("bash", "espeak-ng", "sox", "soxi");
        Path data = dir.resolve("streams");
        String output = runOk("make-keyword-streams", "--noise-minutes", "1", "--file-minutes", "1", "--keyword-streams",
                "2", "--stream-seconds", "15", "--seed", "3", "--snr", "30:30", "--jobs", "2", data.toString());
        assertTrue(output.contains("wrote 3 recordings"), output);
        assertEquals(List.of("GENERATED.txt", "background_00.labels.csv", "background_00.wav", "keywords_00.labels.csv",
                "keywords_00.wav", "keywords_01.labels.csv", "keywords_01.wav"),
                relativeFiles(data).stream().map(Path::toString).toList());

        List<String[]> background = assertLabelledSpeech(data.resolve("background_00"), 60 * 16_000);
        assertTrue(background.size() >= 10, "only " + background.size() + " words in a minute of background");
        for (String[] row : background) {
            assertFalse(COMMANDS.contains(row[0]), "keyword in the background recording: " + String.join(",", row));
        }
        int keywords = 0;
        for (String name : List.of("keywords_00", "keywords_01")) {
            for (String[] row : assertLabelledSpeech(data.resolve(name), 15 * 16_000)) {
                keywords += COMMANDS.contains(row[0]) ? 1 : 0;
            }
        }
        assertTrue(keywords >= 2, "only " + keywords + " keywords in 30 s of keyword streams");

        Path again = dir.resolve("again");
        runOk("make-keyword-streams", "--noise-minutes", "1", "--file-minutes", "1", "--keyword-streams", "2",
                "--stream-seconds", "15", "--seed", "3", "--snr", "30:30", "--jobs", "1", again.toString());
        assertSameFiles(data, again);
    }

    @Test
    @Slow
    void fliteVoicesCanBeStreamed() throws Exception {
        assumeTools("bash", "flite", "sox", "soxi");
        Path data = dir.resolve("flite");
        runOk("make-keyword-streams", "--synth", "flite", "--noise-minutes", "0", "--keyword-streams", "1",
                "--stream-seconds", "20", "--keywords", "yes,no", "--seed", "5", "--snr", "30:30", "--jobs", "1",
                data.toString());
        List<String[]> rows = assertLabelledSpeech(data.resolve("keywords_00"), 20 * 16_000);
        assertTrue(rows.stream().anyMatch(r -> r[0].equals("yes") || r[0].equals("no")), "no keyword in 20 s");
        assertTrue(rows.stream().noneMatch(r -> COMMANDS.contains(r[0]) && !r[0].equals("yes") && !r[0].equals("no")),
                "a command that is not a chosen keyword was spoken");
    }

    @Test
    void badOptionsAreRefusedWithTheOptionAndWhatToDo() throws Exception {
        assumeTools("bash");
        GeneratorScripts.Result synth = run("make-keyword-streams", "--synth", "festival", dir.resolve("a").toString());
        assertEquals(2, synth.status(), synth.output());
        assertTrue(synth.output().contains("--synth festival: expected espeak-ng or flite"), synth.output());
        GeneratorScripts.Result nothing = run("make-keyword-streams", "--noise-minutes", "0", "--keyword-streams", "0",
                dir.resolve("b").toString());
        assertEquals(2, nothing.status(), nothing.output());
        assertTrue(nothing.output().contains("nothing to generate"), nothing.output());
        GeneratorScripts.Result help = run("make-keyword-streams", "--help");
        assertEquals(0, help.status());
        assertTrue(help.output().contains("--noise-minutes M") && help.output().contains("NAME.labels.csv"), help.output());
    }

    /**
     * Checks NAME.wav (16 kHz mono, {@code samples} long) against NAME.labels.csv: rows in time order without overlap,
     * 0 <= start < end <= samples, every word's mean energy at least 10 times, and all words' 30 times, that of the
     * audio outside every labelled span. Returns the rows.
     */
    private static List<String[]> assertLabelledSpeech(Path base, int samples) throws IOException {
        float[] x = WavReader.read(base.resolveSibling(base.getFileName() + ".wav"), 16_000).samples();
        assertEquals(samples, x.length, base + ".wav");
        List<String[]> rows = csvRows(base.resolveSibling(base.getFileName() + ".labels.csv"), "word,start_sample,end_sample");
        double outside = 0;
        double inside = 0;
        int previousEnd = 0;
        int insideSamples = 0;
        for (String[] row : rows) {
            int start = Integer.parseInt(row[1]);
            int end = Integer.parseInt(row[2]);
            assertTrue(row[0].matches("[a-z]+"), String.join(",", row));
            assertTrue(previousEnd <= start && start < end && end <= samples,
                    base + ": " + String.join(",", row) + " after a word ending at " + previousEnd);
            outside += meanSquare(x, previousEnd, start) * (start - previousEnd);
            inside += meanSquare(x, start, end) * (end - start);
            insideSamples += end - start;
            previousEnd = end;
        }
        outside += meanSquare(x, previousEnd, samples) * (samples - previousEnd);
        double outsideMean = outside / (samples - insideSamples);
        for (String[] row : rows) {
            double word = meanSquare(x, Integer.parseInt(row[1]), Integer.parseInt(row[2]));
            assertTrue(word >= 10 * outsideMean, base + ": " + String.join(",", row) + " energy " + word + ", outside " + outsideMean);
        }
        if (!rows.isEmpty()) {
            assertTrue(inside / insideSamples >= 30 * outsideMean, base + ": inside " + inside / insideSamples + ", outside " + outsideMean);
        }
        return rows;
    }
}
