package org.rankcoding.examples.kws;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.audio.WavReader;
import org.rankcoding.audio.spotter.KeywordModel;
import org.rankcoding.audio.spotter.KeywordSpotter;
import org.rankcoding.examples.CliRun;
import org.rankcoding.examples.report.JsonTree;
import org.rankcoding.rc.DecisionRuleSpec;
import org.rankcoding.testing.Slow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code keyword-detect} end to end: an RC and an EOS model of made-up tone "words" (trained by {@code keyword-spotting})
 * as live spotters over long labelled recordings; and its refusals.
 */
class KeywordDetectCliTest {

    @TempDir
    static Path data;

    @TempDir
    static Path streams;

    /** Tone words in a long recording: where each starts (ms) and which word it is. */
    private static final int[][] WORDS = {{500, 0}, {2500, 1}, {4200, 2}, {6000, 0}, {8300, 2}};

    @BeforeAll
    static void writeData() throws IOException {
        System.setProperty("java.awt.headless", "true");
        ToneDataset.write(data, 4, 4, 7);
        SplittableRandom rng = new SplittableRandom(11);
        short[] long1 = new short[10 * 16_000];
        StringBuilder labels = new StringBuilder("word,start_sample,end_sample\n");
        for (int i = 0; i < long1.length; i++) {
            long1[i] = (short) Math.round(327 * (2 * rng.nextDouble() - 1));
        }
        for (int[] w : WORDS) {
            int start = w[0] * 16;
            int end = start + 300 * 16;
            for (int i = start; i < end; i++) {
                long1[i] += (short) Math.round(0.5 * 32767 * Math.sin(2 * Math.PI * ToneDataset.FREQUENCIES[w[1]] * i / 16_000.0));
            }
            labels.append(ToneDataset.WORDS.get(w[1])).append(',').append(start).append(',').append(end).append('\n');
        }
        Files.write(streams.resolve("long1.wav"), ToneDataset.wav(long1));
        Files.writeString(streams.resolve("long1.labels.csv"), labels.toString());
        short[] quiet = new short[5 * 16_000];
        for (int i = 0; i < quiet.length; i++) {
            quiet[i] = (short) Math.round(327 * (2 * rng.nextDouble() - 1));
        }
        Files.write(streams.resolve("noise.wav"), ToneDataset.wav(quiet));
        Files.writeString(streams.resolve("noise.labels.csv"), "word,start_sample,end_sample\n");
    }

    @Slow
    @Test
    @SuppressWarnings("unchecked")
    void comparesTwoModelsAsLiveSpottersOverLabelledRecordings(@TempDir Path out) throws IOException {
        Path rc = out.resolve("rc.safetensors");
        Path eos = out.resolve("eos.safetensors");
        CliRun train = CliRun.of("keyword-spotting", "--data", data.toString(), "--words", "low,mid,high", "--hidden", "8", "--epochs", "8",
                "--batch", "8", "--lr", "1e-2", "--threshold", "0.8", "--threads", "1", "--no-progress", "--no-plots",
                "--eval-thresholds", "0.8", "--save-model", rc.toString(), "--save-eos-model", eos.toString());
        assertEquals(0, train.code(), train.err() + train.out());
        assertTrue(Files.size(eos) > 0);
        Path json = out.resolve("detect.json");
        CliRun r = CliRun.of("keyword-detect", "--model", rc.toString(), "--model", eos.toString(), "--streams", streams.toString(),
                "--thresholds", "0.6,0.8", "--json", json.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("2 recordings, 0.004 h, 5 keywords spoken (low,mid,high)"), r.out());
        assertTrue(r.out().contains("at <= 2.0 false alarms per hour:"), r.out());
        assertTrue(r.out().contains("at >= 0.9 detection:"), r.out());
        Map<String, Object> top = JsonTree.parseObject(Files.readString(json));
        assertEquals(5.0, top.get("keywords_spoken"));
        List<Object> models = (List<Object>) top.get("models");
        assertEquals(2, models.size());
        for (Object m : models) {
            List<Object> points = (List<Object>) ((Map<String, Object>) m).get("points");
            assertEquals(2, points.size());
            for (Object p : points) {
                Map<String, Object> q = (Map<String, Object>) p;
                double detections = (Double) q.get("detections");
                assertTrue(detections >= 0 && detections <= 5, q.toString());
                assertEquals(5.0, q.get("keywords"));
                assertEquals(1 - detections / 5, (Double) q.get("false_rejection_rate"), 1e-12);
                Map<String, Object> in = (Map<String, Object>) q.get("false_alarms_in");
                double causes = in.values().stream().mapToDouble(v -> (Double) v).sum();
                assertEquals((Double) q.get("false_alarms"), causes, 0.0, "every false alarm has one cause: " + q);
                assertEquals(0.0, in.get("other_words"), "the recordings hold no word but keywords");
            }
        }
        assertEquals("threshold=0.8;consecutive=1;minSteps=1", ((Map<String, Object>) models.get(0)).get("decision_rule"));

        // --consecutive reaches the spotters: the events counted equal those of a spotter built with that rule
        Path json3 = out.resolve("detect3.json");
        CliRun k3 = CliRun.of("keyword-detect", "--model", rc.toString(), "--streams", streams.toString(), "--thresholds", "0.51",
                "--consecutive", "3", "--json", json3.toString());
        assertEquals(0, k3.code(), k3.err() + k3.out());
        assertTrue(k3.out().contains("decides by the rule threshold=0.8;consecutive=3;minSteps=1, moved to start at each threshold"), k3.out());
        Map<String, Object> m3 = (Map<String, Object>) ((List<Object>) JsonTree.parseObject(Files.readString(json3)).get("models")).get(0);
        assertEquals("threshold=0.8;consecutive=3;minSteps=1", m3.get("decision_rule"));
        Map<String, Object> p3 = (Map<String, Object>) ((List<Object>) m3.get("points")).get(0);
        KeywordModel model = KeywordModel.load(rc);
        int withRule = events(model, "threshold=0.51;consecutive=3;minSteps=1");
        assertTrue(withRule > 0, "the check needs events");
        assertEquals(withRule, (Double) p3.get("detections") + (Double) p3.get("false_alarms"), 0.0, p3.toString());
        assertTrue(events(model, "threshold=0.51;consecutive=1;minSteps=1") != withRule, "the rule changes the events");
    }

    /** The events a spotter of {@code model} deciding by {@code rule} makes on the recordings. */
    private static int events(KeywordModel model, String rule) throws IOException {
        KeywordSpotter spotter = KeywordSpotter.builder(model).decisionRule(DecisionRuleSpec.parse(rule)).build();
        int events = 0;
        for (String name : List.of("long1.wav", "noise.wav")) {
            spotter.reset();
            events += spotter.feed(WavReader.read(streams.resolve(name), 16_000).samples()).size();
        }
        return events;
    }

    @Test
    void missingRecordingsAndLabelsAreRefusedNamingThem(@TempDir Path out) throws IOException {
        CliRun none = CliRun.of("keyword-detect", "--model", out.resolve("m.safetensors").toString(), "--streams", out.resolve("nowhere").toString());
        assertEquals(2, none.code(), none.err());
        assertTrue(none.err().contains("is not a directory"), none.err());
        Files.write(out.resolve("lone.wav"), ToneDataset.wav(new short[16_000]));
        CliRun model = CliRun.of("keyword-detect", "--model", out.resolve("m.safetensors").toString(), "--streams", out.toString());
        assertEquals(1, model.code(), model.err());
        assertTrue(model.err().contains("m.safetensors"), model.err());
        CliRun threshold = CliRun.of("keyword-detect", "--model", "m", "--streams", out.toString(), "--thresholds", "0.4");
        assertEquals(2, threshold.code(), threshold.err());
        assertTrue(threshold.err().contains("--thresholds"), threshold.err());
        CliRun schedule = CliRun.of("keyword-detect", "--model", "m", "--streams", out.toString(), "--threshold-schedule", "0.9,x");
        assertEquals(2, schedule.code(), schedule.err());
        assertTrue(schedule.err().contains("--threshold-schedule"), schedule.err());
    }
}
