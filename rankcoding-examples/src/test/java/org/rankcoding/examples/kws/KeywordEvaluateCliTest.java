package org.rankcoding.examples.kws;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.examples.CliRun;
import org.rankcoding.examples.report.JsonTree;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code keyword-evaluate} end to end: a model trained by {@code keyword-spotting} on made-up tone "words", tested again
 * on the same data set's test split, gives exactly the accuracy the training command reported; per speaker and on all
 * clips; bad input is refused in one line.
 */
class KeywordEvaluateCliTest {

    @TempDir
    static Path data;

    @TempDir
    static Path out;

    private static Path model;
    private static double reportedAccuracy;
    private static int testClips;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void train() throws IOException {
        System.setProperty("java.awt.headless", "true");
        ToneDataset.write(data, 4, 4, 21);
        model = out.resolve("kws.safetensors");
        Path json = out.resolve("kws.json");
        CliRun r = CliRun.of("keyword-spotting", "--data", data.toString(), "--words", "low,mid,high", "--hidden", "8", "--epochs", "3",
                "--batch", "8", "--lr", "1e-2", "--threshold", "0.8", "--threads", "1", "--no-progress", "--no-plots",
                "--eval-thresholds", "0.8", "--save-model", model.toString(), "--json", json.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        Map<String, Object> top = JsonTree.parseObject(Files.readString(json));
        reportedAccuracy = (Double) ((Map<String, Object>) top.get("rc")).get("accuracy_first_spike");
        testClips = ((Double) ((Map<String, Object>) top.get("generator")).get("test_clips")).intValue();
    }

    @Test
    void theTestSplitGivesTheAccuracyTheTrainingCommandReported() {
        CliRun r = CliRun.of("keyword-evaluate", "--model", model.toString(), "--data", data.toString(), "--split", "test",
                "--threads", "1");
        assertEquals(0, r.code(), r.err() + r.out());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).contains("(test clips): " + testClips + " clips of 3 classes, decision rule threshold=0.8;"),
                r.out());
        String all = lines.stream().filter(l -> l.startsWith("all ")).findFirst().orElseThrow();
        String[] cells = all.trim().split("\\s+");
        assertEquals(Integer.toString(testClips), cells[1], all);
        assertEquals(reportedAccuracy, Double.parseDouble(cells[2]), 5e-5, all);
        long speakers = lines.stream().skip(3).filter(l -> !l.startsWith("all ")).count();
        assertTrue(speakers >= 1, r.out());
    }

    @Test
    void aThresholdSweepReadsTheSameClipsOutAtEachThresholdAndAtItsOwnAgreesWithTheModel() {
        CliRun r = CliRun.of("keyword-evaluate", "--model", model.toString(), "--data", data.toString(), "--split", "test",
                "--threads", "1", "--eval-thresholds", "0.6,0.8,0.99");
        assertEquals(0, r.code(), r.err() + r.out());
        List<String> lines = r.out().lines().toList();
        String[] all = lines.stream().filter(l -> l.startsWith("all ")).findFirst().orElseThrow().trim().split("\\s+");
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("threshold")).findFirst().orElseThrow());
        List<String[]> rows = lines.subList(header + 2, header + 5).stream().map(l -> l.trim().split("\\s+")).toList();
        assertEquals(List.of("0.6000", "0.8000", "0.9900"), rows.stream().map(c -> c[0]).toList(), r.out());
        // the model's own threshold (0.8) gives the per-clip classification's accuracy and mean time
        assertEquals(all[2], rows.get(1)[1], r.out());
        assertEquals(all[3], rows.get(1)[2], r.out());
        // a higher threshold decides no earlier
        double[] ms = rows.stream().mapToDouble(c -> Double.parseDouble(c[2])).toArray();
        assertTrue(ms[0] <= ms[1] && ms[1] <= ms[2], r.out());
        CliRun bad = CliRun.of("keyword-evaluate", "--model", model.toString(), "--data", data.toString(), "--eval-thresholds", "0.8,1.5");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("--eval-thresholds = 0.8,1.5: 1.5 is not in (0.5, 1)"), bad.err());
        CliRun twice = CliRun.of("keyword-evaluate", "--model", model.toString(), "--data", data.toString(), "--eval-thresholds", "0.8,0.8");
        assertEquals(2, twice.code(), twice.err());
        assertTrue(twice.err().contains("--eval-thresholds: threshold 0.8 is given twice"), twice.err());
    }

    @Test
    void everyClipAndBadInputAreHandled(@TempDir Path empty) {
        CliRun all = CliRun.of("keyword-evaluate", "--model", model.toString(), "--data", data.toString(), "--threads", "1");
        assertEquals(0, all.code(), all.err() + all.out());
        assertTrue(all.out().contains("(all clips): 48 clips of 3 classes"), all.out());
        CliRun split = CliRun.of("keyword-evaluate", "--model", model.toString(), "--data", data.toString(), "--split", "dev");
        assertEquals(2, split.code(), split.err());
        assertTrue(split.err().contains("--split = 'dev', expected all, training, validation or test"), split.err());
        CliRun missing = CliRun.of("keyword-evaluate", "--model", model.toString(), "--data", empty.toString());
        assertEquals(1, missing.code(), missing.err());
        assertTrue(missing.err().startsWith("keyword-evaluate: cannot load " + empty + " for the model's words [low, mid, high]"),
                missing.err());
        CliRun noModel = CliRun.of("keyword-evaluate", "--model", empty.resolve("none.safetensors").toString(), "--data", data.toString());
        assertEquals(1, noModel.code(), noModel.err());
        assertTrue(noModel.err().startsWith("keyword-evaluate: "), noModel.err());
    }
}
