package org.rankcoding.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.data.LabeledSequence;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * End to end: {@code scripts/make-speech-commands} writes a small data set (40 clips) that {@link WavReader} and
 * {@link SpeechCommands} read. Skipped where espeak-ng or sox is not installed (the script itself would install them
 * as root; a unit test does not).
 */
class GeneratedSpeechCommandsTest {

    @TempDir
    Path dir;

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    private static Path script() {
        // Maven runs the tests in the module's directory; the script is in the project's scripts/.
        Path p = Path.of("..", "scripts", "make-speech-commands").toAbsolutePath().normalize();
        assertTrue(Files.isExecutable(p), "scripts/make-speech-commands not found (or not executable) at " + p);
        return p;
    }

    @Test
    void theGeneratedDataSetHasTheSpeechCommandsLayoutAndLoads() throws Exception {
        Path script = script();
        assumeTrue(onPath("espeak-ng") && onPath("sox") && onPath("soxi") && onPath("bash"),
                "espeak-ng and sox are not installed");
        Path data = dir.resolve("speech");
        Process p = new ProcessBuilder("bash", script.toString(), "--size", "40", "--speakers", "10", "--seed", "3",
                "--jobs", "2", data.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the script did not finish in 2 minutes");
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("wrote 40 clips of 20 words by 10 speakers"), output);

        SpeechCommands sc = SpeechCommands.open(data, SpeechCommands.CORE_WORDS);
        assertEquals(40, sc.clips().size());
        assertEquals(6, sc.backgroundNoiseFiles().size());
        // every clip is exactly 1 s of 16 kHz mono 16-bit audio, and not silent
        for (SpeechClip c : sc.clips()) {
            AudioClip clip = WavReader.read(c.file(), 16_000);
            assertEquals(16_000, clip.length(), c.relativePath());
            double peak = 0;
            for (float v : clip.samples()) {
                peak = Math.max(peak, Math.abs(v));
            }
            assertTrue(peak > 0.05, c.relativePath() + " peak " + peak);
        }
        // speaker-disjoint splits: each speaker's clips are all in one split, and every split has a speaker
        Map<String, DataSplit> speakerSplit = new HashMap<>();
        for (SpeechClip c : sc.clips()) {
            DataSplit before = speakerSplit.putIfAbsent(c.speaker(), c.split());
            assertTrue(before == null || before == c.split(), "speaker " + c.speaker() + " in " + before + " and " + c.split());
        }
        assertEquals(10, speakerSplit.size());
        assertEquals(8, speakerSplit.values().stream().filter(s -> s == DataSplit.TRAINING).count());
        assertEquals(1, speakerSplit.values().stream().filter(s -> s == DataSplit.VALIDATION).count());
        assertEquals(1, speakerSplit.values().stream().filter(s -> s == DataSplit.TEST).count());

        SpeechCommandsFeatures f = sc.load(LogMelConfig.speechCommands(), 2);
        assertEquals(40, f.size(DataSplit.TRAINING) + f.size(DataSplit.VALIDATION) + f.size(DataSplit.TEST));
        for (LabeledSequence s : f.sequences(DataSplit.TRAINING)) {
            assertEquals(98, s.length());
            assertEquals(40, s.inputSize());
        }
        List<String> lines = Files.readAllLines(data.resolve("GENERATED.txt"));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("speakers: training 8, validation 1, testing 1")), lines.toString());
    }

    @Test
    void theScriptExplainsItsUsage() throws IOException, InterruptedException {
        Path script = script();
        assumeTrue(onPath("bash"), "no bash");
        Process p = new ProcessBuilder("bash", script.toString(), "--help").redirectErrorStream(true).start();
        String help = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        assertTrue(help.contains("--clips-per-word N") && help.contains("--seed N") && help.contains("validation_list.txt"), help);

        Process bad = new ProcessBuilder("bash", script.toString(), "--size", "3", dir.resolve("x").toString())
                .redirectErrorStream(true).start();
        String err = new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(bad.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, bad.exitValue());
        assertTrue(err.contains("--size 3: expected a whole number >= 20"), err);
    }
}
