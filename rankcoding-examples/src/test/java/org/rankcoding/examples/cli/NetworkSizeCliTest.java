package org.rankcoding.examples.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.examples.CliRun;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A network too large for any heap is refused at once, before any data is loaded, with the option's name and its bound;
 * one that passes the bounds but not the heap is refused before training with the memory estimate.
 */
class NetworkSizeCliTest {

    private static String firstLine(CliRun r) {
        return r.err().strip().lines().findFirst().orElse("");
    }

    private static void assertRefusedQuickly(long startNanos, CliRun r, String... fragments) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        assertEquals(2, r.code(), r.err());
        assertEquals(2, r.err().strip().lines().count(), "one line and one line of usage hint: " + r.err());
        for (String f : fragments) {
            assertTrue(firstLine(r).contains(f), "'" + f + "' in: " + r.err());
        }
        assertTrue(seconds < 10, "refused after " + seconds + " s");
    }

    @Test
    void aHiddenSizeOrLayerCountBeyondItsBoundIsRefusedBeforeAnyData(@TempDir Path dir) {
        String missing = dir.resolve("no-mnist-here").toString();
        long t = System.nanoTime();
        assertRefusedQuickly(t, CliRun.of("temporal-mnist", "--data", missing, "--hidden", "100000", "--no-progress"),
                "temporal-mnist: --hidden = 100000", "[1, 65536]");
        t = System.nanoTime();
        assertRefusedQuickly(t, CliRun.of("temporal-mnist", "--data", missing, "--layers", "1000", "--no-progress"),
                "temporal-mnist: --layers = 1000", "[1, 64]");
        t = System.nanoTime();
        assertRefusedQuickly(t, CliRun.of("noise-vs-signal", "--hidden", "100000", "--no-progress"),
                "noise-vs-signal: --hidden = 100000", "[1, 65536]");
        t = System.nanoTime();
        assertRefusedQuickly(t, CliRun.of("noise-vs-signal", "--layers", "1000", "--no-progress"),
                "noise-vs-signal: --layers = 1000", "[1, 64]");
    }

    @Test
    void aHiddenSizeWhoseWeightOutgrowsAJavaArrayIsRefusedWithoutOverflow() {
        long t = System.nanoTime();
        assertRefusedQuickly(t, CliRun.of("noise-vs-signal", "--hidden", "30000", "--no-progress"),
                "--hidden = 30000", "120000 x 30000", "more than a Java array holds");
    }

    @Test
    void aNetworkThatCannotFitTheHeapIsRefusedWithTheEstimate() {
        // within the bounds, but 4H x H = 80000 x 20000 doubles is 12.8 GB per copy
        long t = System.nanoTime();
        assertRefusedQuickly(t, CliRun.of("noise-vs-signal", "--hidden", "20000", "--no-progress", "--no-plots"),
                "training needs about", "GB of heap", "--hidden = 20000", "--batch = 128", "--threads = ", "-Xmx");
    }
}
