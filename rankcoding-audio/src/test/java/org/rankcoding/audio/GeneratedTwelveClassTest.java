package org.rankcoding.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.data.LabeledSequence;
import org.rankcoding.testing.Slow;
import org.rankcoding.testing.Tools;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The 12-class task on a tiny set written by {@code scripts/make-speech-commands} (3 clips per word): the digits are
 * the other words of {@code _unknown_}, the six generated noise recordings give {@code _silence_}. Skipped where
 * espeak-ng or sox is not installed.
 */
@Slow
class GeneratedTwelveClassTest {

    @TempDir
    Path dir;

    @Test
    void theGeneratedSetOpensAsTheTwelveClassTaskAndLoads() throws Exception {
        Path script = Path.of("..", "scripts", "make-speech-commands").toAbsolutePath().normalize();
        assumeTrue(Files.isExecutable(script) && Tools.onPath("espeak-ng") && Tools.onPath("sox") && Tools.onPath("soxi") && Tools.onPath("bash"),
                "espeak-ng and sox are not installed");
        Path data = dir.resolve("speech");
        Process p = new ProcessBuilder("bash", script.toString(), "--clips-per-word", "3", "--jobs", "1", "--seed", "2", data.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "the script did not finish in 3 minutes");
        assertEquals(0, p.exitValue(), output);

        SpeechCommands sc = SpeechCommands.openTwelveClass(data, new SplittableRandom(SpeechCommands.INDEX_SEED));
        assertEquals(SpeechCommands.TWELVE_CLASSES, sc.words());
        for (DataSplit split : DataSplit.values()) {
            List<SpeechClip> clips = sc.clips(split);
            long commands = clips.stream().filter(c -> c.label() >= 2).count();
            long digits = SpeechCommands.open(data, SpeechCommands.CORE_WORDS).clips(split).stream()
                    .filter(c -> !SpeechCommands.COMMAND_WORDS.contains(c.word())).count();
            long wanted = (commands + 9) / 10;
            assertEquals(wanted, clips.stream().filter(c -> c.label() == 0).count(), split + " silence");
            assertEquals(Math.min(wanted, digits), clips.stream().filter(c -> c.label() == 1).count(), split + " unknown");
            for (SpeechClip c : clips) {
                if (c.label() == 1) {
                    assertTrue(SpeechCommands.CORE_WORDS.subList(10, 20).contains(c.word()), c.toString());
                }
            }
        }
        assertEquals(30, sc.clips().stream().filter(c -> c.label() >= 2).count());
        SpeechCommandsFeatures f = sc.load(LogMelConfig.speechCommands(), 1);
        for (LabeledSequence s : f.sequences(DataSplit.TRAINING)) {
            assertEquals(98, s.length());
        }
        assertEquals(sc.clips().size(), f.size(DataSplit.TRAINING) + f.size(DataSplit.VALIDATION) + f.size(DataSplit.TEST));
    }
}
