package org.rankcoding.examples.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.examples.CliRun;
import org.rankcoding.examples.UcrData;
import org.rankcoding.examples.report.JsonTree;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CI smoke test of early classification on real data: {@code early-classify} with its default recipe but for the
 * choice among candidate augmentations (one candidate, none: each candidate is one more training) on the
 * UCR/UEA data set JapaneseVowels (nine speakers, 12 channels, 7 to 29 steps; read from {@code ../shared/datasets/ucr}, see {@link UcrData}: absent data fail the
 * test unless {@code -Drankcoding.ucr.optional=true}), one seed, a loose bar on the test set. Not {@code @Slow}: it
 * runs in about 90 seconds (five folds: ten networks of hidden 64, 400 epochs each over 216 series, two at a time, on
 * the scalar kernels of a test JVM without the Vector API module).
 */
class EarlyClassifySmokeTest {

    @Test
    @SuppressWarnings("unchecked")
    void theDefaultRecipeClassifiesJapaneseVowelsEarlyAndAccurately(@TempDir Path tmp) throws IOException {
        Path json = tmp.resolve("smoke.json");
        CliRun r = CliRun.of("early-classify", "--data", UcrData.dataSet("JapaneseVowels").toString(), "--seeds", "1",
                "--augmentations", "none", "--no-progress", "--no-plots", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        Map<String, Object> seed = (Map<String, Object>) ((List<Object>) JsonTree.parseObject(Files.readString(json)).get("runs")).get(0);
        Map<String, Object> rc = (Map<String, Object>) seed.get("rc");
        Map<String, Object> eos = (Map<String, Object>) seed.get("eos");
        double accuracy = ((Number) rc.get("accuracy_first_spike")).doubleValue();
        double last = ((Number) eos.get("accuracy_last_step")).doubleValue();
        double hm = ((Number) rc.get("harmonic_mean")).doubleValue();
        // Measured with exactly this command (default recipe: 5 folds, cross-fitted, two networks trained at once on one thread each; seed 1; the scalar kernels of this test JVM): RC accuracy 0.911 at earliness 0.073, HM 0.919; EOS full-length accuracy 0.962 (5 seeds, float32 kernels: RC HM 0.916 +- 0.001). The bars are far below, to catch a
        // broken pipeline (no learning, decisions at chance, nothing decided early), not a small regression.
        assertTrue(last >= SMOKE_LAST_STEP_BAR, "EOS's full-length test accuracy " + last + " < " + SMOKE_LAST_STEP_BAR + "\n" + r.out());
        assertTrue(accuracy >= SMOKE_ACCURACY_BAR, "RC's test accuracy at its decisions " + accuracy + " < " + SMOKE_ACCURACY_BAR
                + "\n" + r.out());
        assertTrue(hm >= SMOKE_HM_BAR, "RC's test HM " + hm + " < " + SMOKE_HM_BAR + "\n" + r.out());
    }

    /** Loose bars on the test figures (chance accuracy is 1/9) (see the measured values in the test). */
    static final double SMOKE_LAST_STEP_BAR = 0.80;
    static final double SMOKE_ACCURACY_BAR = 0.70;
    static final double SMOKE_HM_BAR = 0.75;
}
