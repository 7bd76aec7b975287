package org.rankcoding.audio.spotter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.infer.Decision;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.TargetDataLine;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.audio.spotter.ToneSpotting.HOP;
import static org.rankcoding.audio.spotter.ToneSpotting.RATE;
import static org.rankcoding.audio.spotter.ToneSpotting.clip;
import static org.rankcoding.audio.spotter.ToneSpotting.concat;
import static org.rankcoding.audio.spotter.ToneSpotting.events;
import static org.rankcoding.audio.spotter.ToneSpotting.silence;
import static org.rankcoding.audio.spotter.ToneSpotting.tone;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/** {@link KeywordSpotter} on a hand-built network whose decisions are known ({@link ToneSpotting}). */
class KeywordSpotterTest {

    private static final KeywordModel MODEL = ToneSpotting.model();

    private static KeywordSpotter.Builder spotter() {
        return KeywordSpotter.builder(MODEL);
    }

    /** Clips of words 0, 1, 0, 1 with the word at various offsets, between silences of whole hops. */
    private record Recording(float[] samples, long[] clipStarts, float[][] clips) {
    }

    private static Recording recording() {
        int[] words = {0, 1, 0, 1};
        int[] startMs = {100, 450, 300, 620};
        int[] gaps = {50, 70, 30, 110, 40}; // in hops
        List<float[]> parts = new ArrayList<>();
        long[] starts = new long[words.length];
        float[][] clips = new float[words.length][];
        long at = 0;
        for (int i = 0; i < words.length; i++) {
            parts.add(silence(gaps[i] * HOP));
            at += gaps[i] * HOP;
            starts[i] = at;
            clips[i] = clip(words[i], startMs[i], 300);
            parts.add(clips[i]);
            at += RATE;
        }
        parts.add(silence(gaps[words.length] * HOP));
        return new Recording(concat(parts.toArray(new float[0][])), starts, clips);
    }

    @Test
    void aStreamOfClipsGivesTheEventsOfPerClipClassification() {
        Recording r = recording();
        for (ResetPolicy policy : ResetPolicy.values()) {
            List<KeywordEvent> events = events(spotter().resetPolicy(policy), r.samples());
            assertEquals(r.clips().length, events.size(), policy + ": " + events);
            for (int i = 0; i < r.clips().length; i++) {
                Decision d = ToneSpotting.classifyClip(MODEL, r.clips()[i]);
                assertNotNull(d, "clip " + i + " spikes on its own");
                KeywordEvent e = events.get(i);
                long expected = ToneSpotting.endOfFrame(r.clipStarts()[i], d.step());
                assertEquals(ToneSpotting.WORDS.get(d.label()), e.word(), policy + ", clip " + i);
                assertEquals(RATE, e.sampleRate());
                if (policy == ResetPolicy.STAGGERED) {
                    // a session always started within half a window before the word: the clip's own decision, exactly
                    assertEquals(expected, e.sample(), policy + ", clip " + i + ": " + e);
                    assertEquals(d.probabilities()[d.label()], e.confidence(), 1e-9);
                } else {
                    // one session: a restart inside the word delays the decision (here clip 1), never advances it
                    assertTrue(e.sample() >= expected && e.sample() < r.clipStarts()[i] + RATE, policy + ", clip " + i + ": " + e);
                }
            }
        }
    }

    @Test
    void anySplitOfTheStreamAndAnySampleTypeGiveTheSameEvents() {
        Recording r = recording();
        short[] pcm = new short[r.samples().length];
        float[] heard = new float[pcm.length];
        byte[] bytes = new byte[2 * pcm.length];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) Math.round(r.samples()[i] * 32767);
            heard[i] = pcm[i] / 32768f;
            bytes[2 * i] = (byte) pcm[i];
            bytes[2 * i + 1] = (byte) (pcm[i] >> 8);
        }
        List<KeywordEvent> whole = events(spotter(), heard);
        assertEquals(4, whole.size(), whole.toString());
        SplittableRandom rng = new SplittableRandom(11);
        for (int trial = 0; trial < 6; trial++) {
            int maxPiece = new int[] {1, 7, 160, 399, 4001, 40_000}[trial];
            List<KeywordEvent> floats = new ArrayList<>();
            List<KeywordEvent> shorts = new ArrayList<>();
            List<KeywordEvent> pcmBytes = new ArrayList<>();
            List<KeywordEvent> heardByListener = new ArrayList<>();
            KeywordSpotter f = spotter().listener(heardByListener::add).build();
            KeywordSpotter s = spotter().build();
            KeywordSpotter b = spotter().build();
            for (int at = 0; at < heard.length; ) {
                int n = Math.min(heard.length - at, rng.nextInt(maxPiece + 1));
                floats.addAll(f.feed(heard, at, n));
                shorts.addAll(s.feed(pcm, at, n));
                at += n;
            }
            for (int at = 0; at < bytes.length; ) {
                int n = Math.min(bytes.length - at, rng.nextInt(2 * maxPiece + 2)); // odd splits cut samples in half
                pcmBytes.addAll(b.feedPcm16(bytes, at, n));
                at += n;
            }
            assertEquals(whole, floats, "floats in pieces of up to " + maxPiece);
            assertEquals(whole, heardByListener, "the listener hears what feed returns");
            assertEquals(whole, shorts, "shorts in pieces of up to " + maxPiece);
            assertEquals(whole, pcmBytes, "bytes in pieces of up to " + (2 * maxPiece + 1));
            assertEquals(heard.length, f.position());
        }
    }

    @Test
    void aRecordingAsAnAudioInputStreamGivesTheSameEvents() {
        Recording r = recording();
        byte[] bytes = new byte[2 * r.samples().length];
        float[] heard = new float[r.samples().length];
        for (int i = 0; i < heard.length; i++) {
            short v = (short) Math.round(r.samples()[i] * 32767);
            heard[i] = v / 32768f;
            bytes[2 * i] = (byte) v;
            bytes[2 * i + 1] = (byte) (v >> 8);
        }
        AudioFormat pcm16 = new AudioFormat(RATE, 16, 1, true, false);
        KeywordSpotter spotter = spotter().build();
        spotter.feed(heard, 0, 5000); // events() starts a new stream
        List<KeywordEvent> events = spotter.events(new AudioInputStream(new ByteArrayInputStream(bytes), pcm16, heard.length)).toList();
        assertEquals(events(spotter(), heard), events);
        assertEquals(4, events.size());
        AudioFormat stereo = new AudioFormat(RATE, 16, 2, true, false);
        assertIllegalArgument(() -> spotter.events(new AudioInputStream(new ByteArrayInputStream(bytes), stereo, 10)),
                "stereo", "expected 16-bit signed little-endian mono PCM at 16000 Hz");
        AudioFormat rate8k = new AudioFormat(8000, 16, 1, true, false);
        assertIllegalArgument(() -> spotter.events(new AudioInputStream(new ByteArrayInputStream(bytes), rate8k, 10)), "8000.0 Hz",
                "16000 Hz");
    }

    @Test
    void listenReadsALineUntilItCloses() {
        Recording r = recording();
        byte[] bytes = new byte[2 * r.samples().length];
        float[] heard = new float[r.samples().length];
        for (int i = 0; i < heard.length; i++) {
            short v = (short) Math.round(r.samples()[i] * 32767);
            heard[i] = v / 32768f;
            bytes[2 * i] = (byte) v;
            bytes[2 * i + 1] = (byte) (v >> 8);
        }
        int[] at = {0};
        boolean[] open = {true};
        AudioFormat pcm16 = new AudioFormat(RATE, 16, 1, true, false);
        TargetDataLine line = (TargetDataLine) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {TargetDataLine.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getFormat" -> pcm16;
                    case "isOpen" -> open[0];
                    case "isActive" -> open[0];
                    case "start" -> null;
                    case "read" -> {
                        byte[] into = (byte[]) args[0];
                        int n = Math.min((int) args[2], bytes.length - at[0]);
                        System.arraycopy(bytes, at[0], into, (int) args[1], n);
                        at[0] += n;
                        open[0] = at[0] < bytes.length; // the device is closed at the end of the recording
                        yield n;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        List<KeywordEvent> viaBuilder = new ArrayList<>();
        List<KeywordEvent> viaListen = new ArrayList<>();
        spotter().listener(viaBuilder::add).build().listen(line, viaListen::add);
        List<KeywordEvent> expected = events(spotter(), heard);
        assertEquals(expected, viaListen);
        assertEquals(expected, viaBuilder);
    }

    @Test
    void aWordCutByARestartIsMissedByOneSessionAndCaughtByStaggeredOnes() {
        // the tone's loud frames are about 91..105: frames 91..97 end the first 98-frame session, 98..105 start the
        // second, each fewer than the 10 a decision needs; the staggered session started at frame 49 hears them all
        float[] samples = concat(silence(14_900), tone(0, 2_000), silence(20_000));
        assertEquals(List.of(), events(spotter().resetPolicy(ResetPolicy.RESTART), samples));
        List<KeywordEvent> staggered = events(spotter().resetPolicy(ResetPolicy.STAGGERED), samples);
        assertEquals(1, staggered.size(), staggered.toString());
        assertEquals("low", staggered.get(0).word());
        assertTrue(staggered.get(0).sample() > 16_000 && staggered.get(0).sample() < 17_000, staggered.toString());
    }

    @Test
    void aSessionNeverRunsLongerThanItsWindow() {
        // two short tones 1.2 s apart, each too short to decide alone: a session living 3 s adds them up; one living the
        // window of 1 s (98 frames) never hears both
        float[] samples = concat(silence(4_800), tone(1, 1_000), silence(19_200), tone(1, 1_000), silence(16_000));
        for (ResetPolicy policy : ResetPolicy.values()) {
            assertEquals(List.of(), events(spotter().resetPolicy(policy), samples), policy.toString());
            List<KeywordEvent> long3s = events(spotter().resetPolicy(policy).sessionMillis(3000), samples);
            assertEquals(1, long3s.size(), policy + ": " + long3s);
            assertEquals("high", long3s.get(0).word());
            assertTrue(long3s.get(0).sample() > 4_800 + 1_000 + 19_200, long3s.toString());
        }
        assertEquals(98, spotter().build().sessionFrames());
        assertEquals(298, spotter().sessionMillis(3000).build().sessionFrames());
    }

    @Test
    void noEventFollowsWithinTheRefractoryPeriod() {
        // a tone of 1.2 s: each fresh session decides at its 10th loud frame
        float[] samples = concat(silence(3_200), tone(0, 19_200), silence(3_200));
        List<KeywordEvent> zero = events(spotter().refractoryMillis(0), samples);
        assertTrue(zero.size() >= 10, zero.toString());
        for (int i = 1; i < zero.size(); i++) {
            assertEquals(10 * HOP, zero.get(i).sample() - zero.get(i - 1).sample(), "refractory 0: a new session at the next frame");
        }
        for (int ms : new int[] {100, 300, 1000}) {
            List<KeywordEvent> events = events(spotter().refractoryMillis(ms), samples);
            long refractory = (long) ms * RATE / 1000;
            long firstHeard = refractory / HOP + 1; // frames after the event until the first one ending after the period
            for (int i = 1; i < events.size(); i++) {
                long gap = events.get(i).sample() - events.get(i - 1).sample();
                assertTrue(gap > refractory, ms + " ms: " + events);
                assertEquals((firstHeard + 9) * HOP, gap, ms + " ms: the sessions start again after the period: " + events);
            }
            assertEquals(zero.get(0), events.get(0));
            assertTrue(events.size() > 1 || ms == 1000, events.toString());
        }
    }

    @Test
    void onlyTheChosenKeywordsMakeEventsAndAnotherDecisionRestartsTheSession() {
        assertEquals(Set.of("low", "high"), spotter().build().keywords(), "_silence_ is not a keyword by default");
        // "high" then "low": with keywords {low}, the session decides "high" (no event), starts again and hears "low"
        float[] samples = concat(silence(3_200), tone(1, 4_800), silence(1_600), tone(0, 4_800), silence(8_000));
        List<KeywordEvent> both = events(spotter().resetPolicy(ResetPolicy.RESTART).refractoryMillis(0), samples);
        List<KeywordEvent> lows = both.stream().filter(e -> e.word().equals("low")).toList();
        assertEquals("high", both.get(0).word(), both.toString());
        assertTrue(!lows.isEmpty() && lows.get(0).sample() > 3_200 + 4_800 + 1_600, both.toString());
        // with refractory 0, a decision of a non-keyword restarts the session just as an event does: the "low" events
        // are exactly those of the run that takes both words as keywords (a session kept after its "high" decision
        // would hear nothing more until its window ends, after the "low" tone)
        List<KeywordEvent> lowOnly = events(spotter().resetPolicy(ResetPolicy.RESTART).refractoryMillis(0).keywords(Set.of("low")),
                samples);
        assertEquals(lows, lowOnly);
    }

    @Test
    void flushReportsTheBestGuessOfARecordingWithoutEventsAndStartsAgain() {
        KeywordSpotter spotter = spotter().build();
        float[] tooShort = clip(0, 300, 40); // a few loud frames: "low" leads but never crosses 0.9
        assertEquals(List.of(), spotter.feed(tooShort));
        Optional<KeywordEvent> guess = spotter.flush();
        assertTrue(guess.isPresent());
        assertEquals("low", guess.get().word());
        assertEquals(ToneSpotting.endOfFrame(0, 98), guess.get().sample(), "the last frame of the 1 s clip");
        assertTrue(guess.get().confidence() > 1.0 / 3 && guess.get().confidence() < 0.9, guess.toString());
        assertEquals(0, spotter.position());
        assertEquals(Optional.empty(), spotter.flush(), "nothing fed since");
        spotter.feed(new float[399]);
        assertEquals(Optional.empty(), spotter.flush(), "no complete frame");
        // right after an event, in the refractory period: no guess
        spotter.feed(clip(0, 100, 400));
        assertEquals(Optional.empty(), spotter.flush());
    }

    @Test
    void aModelSavedAndLoadedSpotsTheSame(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("tones.safetensors");
        KeywordModel.save(MODEL.model().network(), MODEL.model().decisionRule(), MODEL.words(), MODEL.frontEnd(), MODEL.normalizer(), file);
        KeywordModel loaded = KeywordModel.load(file);
        assertEquals(MODEL.words(), loaded.words());
        assertEquals(MODEL.frontEnd(), loaded.frontEnd());
        Recording r = recording();
        assertEquals(events(spotter(), r.samples()), events(KeywordSpotter.builder(loaded), r.samples()));
        assertIllegalArgument(() -> new KeywordModel(MODEL.model(), List.of("a", "b"), MODEL.frontEnd(), MODEL.normalizer()),
                "2 words but the network has 3 classes");
    }

    @Test
    void resetForgetsTheStream() {
        Recording r = recording();
        KeywordSpotter spotter = spotter().build();
        spotter.feed(r.samples(), 0, r.samples().length / 3);
        spotter.reset();
        assertEquals(0, spotter.position());
        assertEquals(events(spotter(), r.samples()), spotter.feed(r.samples()));
    }

    @Test
    void nothingIsAllocatedPerFrameAfterWarmUp() {
        KeywordSpotter spotter = spotter().build();
        float[] quiet = new float[HOP];
        for (int i = 0; i < 5_000; i++) {
            spotter.feed(quiet, 0, quiet.length);
        }
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long before = bean.getThreadAllocatedBytes(id);
            for (int i = 0; i < 300; i++) { // three session windows: restarts included
                spotter.feed(quiet, 0, quiet.length);
            }
            least = Math.min(least, bean.getThreadAllocatedBytes(id) - before);
        }
        assertEquals(0, least, "bytes allocated by 300 frames");
    }

    @Test
    void theBuilderRefusesSettingsOutsideTheirRanges() {
        assertIllegalArgument(() -> spotter().refractoryMillis(-1), "refractoryMillis = -1", "[0, 60000]");
        assertIllegalArgument(() -> spotter().refractoryMillis(60_001), "refractoryMillis = 60001");
        assertIllegalArgument(() -> spotter().sessionMillis(24), "sessionMillis = 24", "[25, 60000]");
        assertIllegalArgument(() -> spotter().keywords(Set.of("lowe")), "keyword 'lowe'", "[low, high, _silence_]");
        assertIllegalArgument(() -> spotter().keywords(Set.of()), "no keywords");
        assertIllegalArgument(() -> spotter().threshold(1.5), "1.5");
        assertIllegalArgument(() -> spotter().build().feed(new float[4], 3, 2), "[3, 3 + 2)");
        KeywordSpotter s = spotter().build();
        float[] broken = new float[1000];
        broken[700] = Float.NaN;
        assertIllegalArgument(() -> s.feed(broken), "sample 700 is NaN", "finite", "nothing of this call was taken");
        assertEquals(0, s.position(), "a refused call takes nothing");
        broken[700] = Float.POSITIVE_INFINITY;
        assertIllegalArgument(() -> s.feed(broken, 600, 200), "sample 700 is Infinity");
        assertEquals(0.8, spotter().threshold(0.8).build().decisionRule().startThreshold());
        KeywordModel silenceOnly = new KeywordModel(MODEL.model(), List.of("_unknown_", "_silence_", "_silence_"), MODEL.frontEnd(),
                MODEL.normalizer());
        assertIllegalArgument(() -> KeywordSpotter.builder(silenceOnly).build(), "no keyword");
    }
}
