package org.rankcoding.examples.kws;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.audio.FeatureNormalizer;
import org.rankcoding.audio.LogMelConfig;
import org.rankcoding.audio.LogMelSpectrogram;
import org.rankcoding.audio.spotter.KeywordModel;
import org.rankcoding.examples.CliRun;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.RankCodingNetwork;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code keyword-stream} on long recordings assembled here (several words with silences between them), with a
 * hand-built model whose decisions are known: one LSTM cell per word counts the frames in which the word's tone band
 * is loud, and the word crosses 0.9 at about its 10th loud frame; in silence every class has p = 1/3.
 */
class KeywordStreamLongRecordingTest {

    private static final Pattern EVENT = Pattern.compile("(\\S+\\.wav): \"(\\w+)\" recognised at (\\d+) ms of (\\d+) ms \\(t = ([0-9.]+) s, p = ([0-9.]+)\\)");
    private static final double[] HZ = {400, 3000};

    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void writeModel() throws IOException {
        LogMelConfig c = LogMelConfig.speechCommands();
        double[] centers = new LogMelSpectrogram(c).centerFrequencies();
        RankCodingNetwork net = new RankCodingNetwork(new NetworkConfig(c.melBands(), 2, 1, HeadType.SOFTMAX, 3), 1);
        for (String name : List.of("lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0", "lstm.bias_hh_l0", "readout.weight",
                "readout.bias")) {
            Arrays.fill(net.parameters().get(name).data, 0.0);
        }
        double[] wih = net.parameters().get("lstm.weight_ih_l0").data; // gates i, f, g, o of 2 cells
        double[] bias = net.parameters().get("lstm.bias_ih_l0").data;
        for (int j = 0; j < 2; j++) {
            int band = 0;
            for (int b = 1; b < centers.length; b++) {
                band = Math.abs(centers[b] - HZ[j]) < Math.abs(centers[band] - HZ[j]) ? b : band;
            }
            wih[j * c.melBands() + band] = 2.0;
            bias[2 + j] = 30;
            bias[4 + j] = 0.5 * Math.log(1.0313 / 0.9687); // candidate 0.0313: 10 loud frames cross 0.9
            bias[6 + j] = 30;
        }
        double[] readout = net.parameters().get("readout.weight").data;
        readout[0] = 10;
        readout[3] = 10;
        double[] std = new double[c.melBands()];
        Arrays.fill(std, 1.0);
        model = dir.resolve("tones.safetensors");
        KeywordModel.save(net, 0.9, List.of("low", "high", "_silence_"), c, new FeatureNormalizer(new double[c.melBands()], std), model);
    }

    /** {@code ms} of word {@code w}'s tone (amplitude 0.5, 5 ms edges), or silence for {@code w < 0}, as 16-bit samples. */
    private static short[] part(int w, int ms) {
        short[] s = new short[ms * 16];
        for (int i = 0; w >= 0 && i < s.length; i++) {
            double edge = Math.min(1, Math.min(i, s.length - 1 - i) / 80.0);
            s[i] = (short) Math.round(32767 * 0.5 * (0.5 - 0.5 * Math.cos(Math.PI * edge)) * Math.sin(2 * Math.PI * HZ[w] * i / 16_000.0));
        }
        return s;
    }

    /** A WAV file of the parts, given as pairs (word or -1 for silence, ms). */
    private static Path wav(String name, int... wordAndMs) throws IOException {
        List<short[]> parts = new ArrayList<>();
        int n = 0;
        for (int i = 0; i < wordAndMs.length; i += 2) {
            parts.add(part(wordAndMs[i], wordAndMs[i + 1]));
            n += parts.get(parts.size() - 1).length;
        }
        short[] all = new short[n];
        int at = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        Path file = dir.resolve(name);
        Files.write(file, ToneDataset.wav(all));
        return file;
    }

    private record Event(String file, String word, int ms, double seconds) {
    }

    private static List<Event> events(String out) {
        List<Event> events = new ArrayList<>();
        Matcher m = EVENT.matcher(out);
        while (m.find()) {
            events.add(new Event(Path.of(m.group(1)).getFileName().toString(), m.group(2), Integer.parseInt(m.group(3)),
                    Double.parseDouble(m.group(5))));
        }
        return events;
    }

    @Test
    void aLongRecordingWithSeveralWordsAndSilencesGivesOneLinePerWord() throws IOException {
        // 11.5 s: low at 1.0 s, high at 3.5 s, low at 6.2 s, high at 9.0 s, 300 ms each
        Path rec = wav("long.wav", -1, 1000, 0, 300, -1, 2200, 1, 300, -1, 2400, 0, 300, -1, 2500, 1, 300, -1, 2200);
        Path clip = wav("clip.wav", -1, 400, 1, 300, -1, 300);
        CliRun r = CliRun.of("keyword-stream", "--model", model.toString(), rec.toString(), clip.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        List<Event> events = events(r.out());
        assertEquals(List.of("low", "high", "low", "high", "high"), events.stream().map(Event::word).toList(), r.out());
        int[] onsets = {1000, 3500, 6200, 9000};
        for (int i = 0; i < onsets.length; i++) {
            Event e = events.get(i);
            assertEquals("long.wav", e.file());
            // about the 10th loud frame: some 100 ms after the onset, before the word ends
            assertTrue(e.ms() > onsets[i] + 50 && e.ms() < onsets[i] + 300, e + " for the word at " + onsets[i] + " ms");
            assertEquals(e.ms() / 1000.0, e.seconds(), 0.0011);
        }
        assertEquals("clip.wav", events.get(4).file());
        assertTrue(r.out().contains("long.wav: 4 keywords in 11.500 s"), r.out());
        assertTrue(r.out().contains("clip.wav: 1 keyword in 1.000 s"), r.out());
        assertTrue(r.out().contains("staggered sessions of 98 frames, refractory 1000 ms"), r.out());
    }

    @Test
    void theRefractoryPeriodAndTheResetPolicyAreOptions() throws IOException {
        Path longTone = wav("long-tone.wav", -1, 200, 0, 1200, -1, 200);
        CliRun quick = CliRun.of("keyword-stream", "--model", model.toString(), "--refractory-ms", "0", longTone.toString());
        assertEquals(0, quick.code(), quick.err());
        List<Event> again = events(quick.out());
        assertTrue(again.size() >= 10, "with no refractory period a new session decides every 10 loud frames: " + quick.out());
        CliRun calm = CliRun.of("keyword-stream", "--model", model.toString(), "--refractory-ms", "2000", longTone.toString());
        assertEquals(1, events(calm.out()).size(), calm.out());

        // a short word across the end of the first 98-frame session: one session misses it, staggered ones do not
        Path straddle = wav("straddle.wav", -1, 931, 0, 125, -1, 1250);
        CliRun restart = CliRun.of("keyword-stream", "--model", model.toString(), "--reset-policy", "restart", straddle.toString());
        assertEquals(0, restart.code(), restart.err());
        assertEquals(List.of(), events(restart.out()), restart.out());
        assertTrue(restart.out().contains("straddle.wav: 0 keywords in 2.306 s"), restart.out());
        CliRun staggered = CliRun.of("keyword-stream", "--model", model.toString(), "--reset-policy", "STAGGERED", straddle.toString());
        assertEquals(List.of("low"), events(staggered.out()).stream().map(Event::word).toList(), staggered.out());
    }

    @Test
    void aClipThatNeverCrossesTheThresholdGetsItsBestGuessAsBefore() throws IOException {
        Path faint = wav("faint.wav", -1, 300, 0, 40, -1, 660);
        CliRun r = CliRun.of("keyword-stream", "--model", model.toString(), faint.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*faint\\.wav: \"low\" never crossed the threshold; best guess at the end at 995 ms of 1000 ms "
                + "\\(p = 0\\.\\d+\\).*"), r.out());
        Path longFaint = wav("long-faint.wav", -1, 300, 0, 40, -1, 2660);
        CliRun l = CliRun.of("keyword-stream", "--model", model.toString(), longFaint.toString());
        assertTrue(l.out().contains("long-faint.wav: 0 keywords in 3.000 s") && !l.out().contains("best guess"), l.out());
    }

    @Test
    void optionsOutsideTheirRangesAreRefusedBeforeAnyWork() throws IOException {
        Path clip = wav("any.wav", -1, 1000);
        CliRun neg = CliRun.of("keyword-stream", "--model", model.toString(), "--refractory-ms", "-1", clip.toString());
        assertEquals(2, neg.code());
        assertTrue(neg.err().contains("--refractory-ms = -1, expected a value in [0, 60000]"), neg.err());
        CliRun big = CliRun.of("keyword-stream", "--model", model.toString(), "--session-ms", "60001", clip.toString());
        assertEquals(2, big.code());
        assertTrue(big.err().contains("--session-ms = 60001, expected a value in [1, 60000]"), big.err());
        CliRun small = CliRun.of("keyword-stream", "--model", model.toString(), "--session-ms", "10", clip.toString());
        assertEquals(2, small.code());
        assertTrue(small.err().contains("--session-ms: sessionMillis = 10, expected a window in ms in [25, 60000]"), small.err());
        CliRun policy = CliRun.of("keyword-stream", "--model", model.toString(), "--reset-policy", "never", clip.toString());
        assertEquals(2, policy.code());
        assertTrue(policy.err().contains("--reset-policy = never, expected one of [restart, staggered]"), policy.err());
    }
}
