package org.rankcoding.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.testing.Slow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.audio.GeneratorScripts.assertSameFiles;
import static org.rankcoding.audio.GeneratorScripts.assertWordBoundsOfEveryClip;
import static org.rankcoding.audio.GeneratorScripts.assumeTools;
import static org.rankcoding.audio.GeneratorScripts.run;
import static org.rankcoding.audio.GeneratorScripts.runOk;

/**
 * End to end: {@code scripts/make-flite-words} writes the held-out flite test set in the Speech Commands layout (every
 * clip a test clip, the voice as the speaker), with {@code word_bounds.csv}, the same bytes for the same seed.
 * Skipped where flite or sox is not installed.
 */
class GeneratedFliteWordsTest {

    @TempDir
    Path dir;

    @Test
    @Slow
    void everyVoiceSaysEveryWordInTheSpeechCommandsLayoutAsTestClips() throws Exception {
        assumeTools("bash", "flite", "sox", "soxi");
        Path data = dir.resolve("flite");
        String output = runOk("make-flite-words", "--clips-per-word", "5", "--seed", "2", "--snr", "30:30", "--jobs", "2",
                data.toString());
        assertTrue(output.contains("wrote 100 clips of 20 words by 5 flite voices"), output);

        SpeechCommands sc = SpeechCommands.open(data, SpeechCommands.CORE_WORDS);
        assertEquals(100, sc.clips().size());
        assertEquals(6, sc.backgroundNoiseFiles().size());
        Set<String> voices = new TreeSet<>();
        for (SpeechClip c : sc.clips()) {
            assertEquals(DataSplit.TEST, c.split(), c.relativePath());
            voices.add(c.speaker());
        }
        assertEquals(Set.of("awb", "kal", "kal16", "rms", "slt"), voices);
        assertEquals(List.of(), Files.readAllLines(data.resolve("validation_list.txt")));
        assertEquals(100, assertWordBoundsOfEveryClip(data, SpeechCommands.CORE_WORDS, 30));
        List<String> generated = Files.readAllLines(data.resolve("GENERATED.txt"));
        assertTrue(generated.stream().anyMatch(l -> l.startsWith("flite: ")), generated.toString());

        Path again = dir.resolve("again");
        runOk("make-flite-words", "--clips-per-word", "5", "--seed", "2", "--snr", "30:30", "--jobs", "1", again.toString());
        assertSameFiles(data, again);
    }

    @Test
    void theTalkingClockAndUnknownVoicesAreRefused() throws Exception {
        assumeTools("bash", "flite", "sox");
        GeneratorScripts.Result clock = run("make-flite-words", "--voices", "kal,awb_time", dir.resolve("a").toString());
        assertEquals(2, clock.status(), clock.output());
        assertTrue(clock.output().contains("awb_time is a talking clock"), clock.output());
        GeneratorScripts.Result unknown = run("make-flite-words", "--voices", "nobody", dir.resolve("b").toString());
        assertEquals(2, unknown.status(), unknown.output());
        assertTrue(unknown.output().contains("flite has no voice 'nobody'"), unknown.output());
        GeneratorScripts.Result tempo = run("make-flite-words", "--tempo", "1.2:0.9", dir.resolve("c").toString());
        assertEquals(2, tempo.status(), tempo.output());
        assertTrue(tempo.output().contains("--tempo 1.2:0.9: expected LO:HI with 0.5 <= LO <= HI <= 2.0"), tempo.output());
    }
}
