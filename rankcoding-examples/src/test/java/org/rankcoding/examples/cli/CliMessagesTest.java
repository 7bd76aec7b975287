package org.rankcoding.examples.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.examples.CliRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the CLI says about mistakes: one line in the user's option names, one line of hint, no help and no stack trace. */
class CliMessagesTest {

    private static List<String> lines(String text) {
        return text.strip().lines().toList();
    }

    @Test
    void aBadValueIsOneLineNamingTheOptionAndOneLineOfHint() {
        CliRun r = CliRun.of("--hidden", "-5", "--no-progress");
        assertEquals(2, r.code(), r.err());
        assertEquals(List.of("noise-vs-signal: --hidden = -5, expected a value in [1, 65536]", "Try 'rankcoding-examples noise-vs-signal --help' for usage."),
                lines(r.err()));
        assertEquals("", r.out());
        CliRun lr = CliRun.of("sequence-of-five", "--lr", "-1", "--no-progress");
        assertEquals(2, lr.code(), lr.err());
        assertTrue(lr.err().startsWith("sequence-of-five: --lr = -1, expected a value in (0, 1]"), lr.err());
        CliRun notANumber = CliRun.of("noise-vs-signal", "--hidden", "abc");
        assertEquals(2, notANumber.code());
        assertEquals(2, lines(notANumber.err()).size(), notANumber.err());
        assertTrue(notANumber.err().contains("'--hidden'") && notANumber.err().contains("'abc'"), notANumber.err());
    }

    @Test
    void theValuesOfABadPairAreNamedByTheirOptions() {
        CliRun r = CliRun.of("noise-vs-signal", "--sigma-min", "0.3", "--no-progress");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--sigma-max = 0.25") && r.err().contains("--sigma-min = 0.3"), r.err());
        assertFalse(r.err().contains("sigmaMin"), r.err());
    }

    @Test
    void aThresholdGivenTwiceIsRefusedNamingTheOptionInEveryCommandThatSweeps(@TempDir Path dir) {
        Path missing = dir.resolve("no-data-here");
        List<List<String>> commands = List.of(
                List.of("temporal-mnist", "--data", missing.toString()),
                List.of("temporal-mnist-evaluate", "--model", missing.resolve("m.safetensors").toString(), "--data", missing.toString()),
                List.of("keyword-spotting", "--data", missing.toString()),
                List.of("keyword-evaluate", "--model", missing.resolve("m.safetensors").toString(), "--data", missing.toString()),
                List.of("early-classify", "--data", missing.toString()),
                List.of("sweep", "--thetas", "0.9", "noise-vs-signal"));
        for (List<String> command : commands) {
            List<String> args = new java.util.ArrayList<>(command);
            args.add(command.get(0).equals("sweep") ? 1 : args.size(), "--eval-thresholds");
            args.add(command.get(0).equals("sweep") ? 2 : args.size(), "0.9,0.8,0.9");
            CliRun r = CliRun.of(args.toArray(new String[0]));
            assertEquals(2, r.code(), command + ": " + r.err());
            List<String> err = lines(r.err());
            assertEquals(2, err.size(), command + ": " + r.err());
            assertTrue(err.get(0).endsWith(": --eval-thresholds: threshold 0.9 is given twice in [0.9, 0.8, 0.9]"),
                    command + ": " + r.err());
            assertFalse(Files.exists(missing), command + " created " + missing);
        }
    }

    @Test
    void aMisspeltCommandIsUnknownWithTheNearestAndNoHelp() {
        CliRun r = CliRun.of("sequence-of-fiv", "--hidden", "8");
        assertEquals(2, r.code());
        assertEquals(List.of("rankcoding-examples: unknown command 'sequence-of-fiv'; did you mean sequence-of-five?",
                "Try 'rankcoding-examples --help' for usage."), lines(r.err()));
        CliRun far = CliRun.of("frobnicate");
        assertEquals(2, far.code());
        assertTrue(far.err().startsWith("rankcoding-examples: unknown command 'frobnicate'; the commands are noise-vs-signal, "), far.err());
        CliRun sweep = CliRun.of("sweep", "temporal-mnst");
        assertEquals(2, sweep.code());
        assertEquals(List.of("sweep: unknown command 'temporal-mnst'; did you mean temporal-mnist?",
                "Try 'rankcoding-examples sweep --help' for usage."), lines(sweep.err()));
    }

    @Test
    void aMisspeltOptionSuggestsTheNearest() {
        CliRun r = CliRun.of("temporal-mnist", "--epoch", "3");
        assertEquals(2, r.code());
        assertEquals("temporal-mnist: unknown option '--epoch'; did you mean --epochs?", lines(r.err()).get(0));
    }

    @Test
    void verboseAddsTheTraceAfterTheSameTwoLines() {
        CliRun plain = CliRun.of("noise-vs-signal", "--layers", "0", "--no-progress");
        assertEquals(2, plain.code());
        assertEquals(2, lines(plain.err()).size(), plain.err());
        CliRun v = CliRun.of("noise-vs-signal", "--layers", "0", "--no-progress", CliErrors.VERBOSE);
        assertEquals(2, v.code());
        List<String> lines = lines(v.err());
        assertEquals(lines(plain.err()), lines.subList(0, 2));
        assertTrue(lines.size() > 3 && lines.get(3).startsWith("\tat "), v.err());
    }

    @Test
    void fileErrorsNameTheFile(@TempDir Path dir) throws IOException {
        assertEquals("data/x.wav: no such file or directory", CliErrors.describe(new NoSuchFileException("data/x.wav")));
        assertEquals(dir + ": Is a directory", CliErrors.describe(dir, new IOException("Is a directory")));
        Path model = Files.createDirectories(dir.resolve("model.safetensors"));
        CliRun r = CliRun.of("keyword-stream", "--model", model.toString(), dir.resolve("x.wav").toString());
        assertEquals(1, r.code(), r.err());
        assertEquals(1, lines(r.err()).size(), r.err());
        assertTrue(r.err().startsWith("keyword-stream: " + model), r.err());
    }

    @Test
    void anEmptyPathIsRefusedNotTakenForTheWorkingDirectory() {
        CliRun r = CliRun.of("noise-vs-signal", "--checkpoint-dir", "", "--no-progress");
        assertEquals(2, r.code(), r.err());
        assertTrue(lines(r.err()).get(0).contains("'--checkpoint-dir'") && r.err().contains("an empty path"), r.err());
    }

    @Test
    void aRegularFileGivenAsTheDataDirectoryIsSaidToBeOne(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("mnist.txt"), "not a directory");
        CliRun r = CliRun.of("temporal-mnist", "--data", file.toString(), "--no-progress");
        assertEquals(1, r.code(), r.err());
        assertEquals(1, lines(r.err()).size(), r.err());
        assertTrue(r.err().contains(file + " is not a directory"), r.err());
        CliRun missing = CliRun.of("bench-frontend", "--data", file.toString());
        assertEquals(1, missing.code(), missing.err());
        assertTrue(missing.err().contains(file + " is not a directory"), missing.err());
    }

    @Test
    void anOptionIsNamedOnceAndLibraryNamesOfItsOwnBecomeIt() {
        CliRun r = CliRun.of("temporal-mnist", "--elastic-alpha", "NaN", "--no-progress");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("temporal-mnist: --elastic-alpha = NaN, expected"), r.err());
        CliRun t = CliRun.of("keyword-stream", "--model", "m.safetensors", "--threshold", "2", "x.wav");
        assertEquals(2, t.code(), t.err());
        assertTrue(t.err().startsWith("keyword-stream: --threshold = 2, expected a value in (0.5, 1)"), t.err());
    }

    @Test
    void listAndChoiceOptionsNameThemselvesTheirValueAndWhatIsAllowed(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("yes"));
        Files.createDirectories(dir.resolve("no"));
        String data = dir.toString();
        CliRun twice = CliRun.of("keyword-spotting", "--data", data, "--words", "yes,yes,no", "--no-progress");
        assertEquals(2, twice.code(), twice.err());
        assertEquals(List.of("keyword-spotting: --words = yes,yes,no: 'yes' appears twice; each class needs its own word",
                "Try 'rankcoding-examples keyword-spotting --help' for usage."), lines(twice.err()));
        CliRun empty = CliRun.of("keyword-spotting", "--data", data, "--words", "yes,,no", "--no-progress");
        assertEquals(2, empty.code(), empty.err());
        assertTrue(lines(empty.err()).get(0).startsWith("keyword-spotting: --words = yes,,no: '' is not a folder name; expected"),
                empty.err());
        CliRun one = CliRun.of("keyword-spotting", "--data", data, "--words", "yes", "--no-progress");
        assertEquals(2, one.code(), one.err());
        assertTrue(lines(one.err()).get(0).startsWith("keyword-spotting: --words = yes, expected at least two words"), one.err());
        CliRun mels = CliRun.of("keyword-spotting", "--data", data, "--mels", "500", "--no-progress");
        assertEquals(2, mels.code(), mels.err());
        assertEquals(2, lines(mels.err()).size(), mels.err());
        assertTrue(mels.err().startsWith("keyword-spotting: --mels = 500, expected in [1, ") && mels.err().contains("257]"), mels.err());
        CliRun coding = CliRun.of("temporal-mnist", "--spike-coding", "hold", "--no-progress");
        assertEquals(2, coding.code(), coding.err());
        assertEquals(List.of("temporal-mnist: --spike-coding = hold, expected pulse or held (in any case)",
                "Try 'rankcoding-examples temporal-mnist --help' for usage."), lines(coding.err()));
    }
}
