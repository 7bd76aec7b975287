package org.rankcoding.examples.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.examples.CliRun;
import org.rankcoding.examples.kws.ToneDataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * keyword-spotting's word list and threads: duplicate or empty word names are refused in one line naming
 * {@code --words}, before any clip is read; the clips are decoded on no more threads than {@code --threads} asks for.
 */
class KeywordOptionsCliTest {

    @TempDir
    static Path data;

    @BeforeAll
    static void writeData() throws IOException {
        System.setProperty("java.awt.headless", "true");
        ToneDataset.write(data, 4, 4, 7);
    }

    private static void refused(String expected, String words) {
        CliRun r = CliRun.of("keyword-spotting", "--data", data.toString(), "--words", words, "--epochs", "1", "--no-plots");
        assertEquals(2, r.code(), r.err());
        List<String> lines = r.err().strip().lines().toList();
        assertEquals(2, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("keyword-spotting: --words = "), lines.get(0));
        assertTrue(lines.get(0).contains(expected), lines.get(0));
        assertEquals("", r.out());
    }

    @Test
    void duplicateAndEmptyWordsAreRefusedNamingTheOption() {
        refused("low,low,mid: 'low' appears twice; each class needs its own word", "low,low,mid");
        refused("low,,mid: '' is not a folder name", "low,,mid");
        refused("expected at least two words", ",");
        refused("low, expected at least two words", "low");
    }

    @Test
    void theClipsAreDecodedOnTheThreadsAskedFor() throws InterruptedException {
        AtomicBoolean loaderSeen = new AtomicBoolean();
        AtomicBoolean done = new AtomicBoolean();
        Thread watcher = new Thread(() -> {
            while (!done.get()) {
                if (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("speech-commands-loader"))) {
                    loaderSeen.set(true);
                }
                Thread.onSpinWait();
            }
        }, "loader-watcher");
        watcher.setDaemon(true);
        watcher.start();
        CliRun r = CliRun.of("keyword-spotting", "--data", data.toString(), "--words", "low,mid,high", "--epochs", "1", "--hidden", "2",
                "--eval-thresholds", "0.9", "--threads", "1", "--no-progress", "--no-plots");
        assertEquals(0, r.code(), r.err());
        done.set(true);
        watcher.join();
        assertTrue(r.out().contains("(features computed on 1 thread)"), r.out());
        assertFalse(loaderSeen.get(), "a loader thread ran besides the one asked for");
    }
}
