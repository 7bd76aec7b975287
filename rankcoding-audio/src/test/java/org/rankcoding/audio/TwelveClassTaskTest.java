package org.rankcoding.audio;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.data.LabeledSequence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;
import static org.rankcoding.testing.Refusals.assertRefusal;

/**
 * The 12-class task with rejection ({@link SpeechCommands#openTwelveClass}) on a hand-made folder layout: ten command
 * words by ten speakers (the ninth validation, the tenth test), two other words, and two background recordings, one
 * of 12 s (room for silence in every split) and one of 5 s (room in its training portion only).
 */
class TwelveClassTaskTest {

    @TempDir
    Path root;

    private static final int RATE = 16_000;
    private static final String[] SPEAKERS = {"a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "v8", "t9"};
    private static final List<String> OTHERS = List.of("bed", "zero");

    private static short[] tone(double hz, int samples) {
        short[] s = new short[samples];
        for (int i = 0; i < samples; i++) {
            s[i] = (short) (6_000 * Math.sin(2 * Math.PI * hz * i / RATE));
        }
        return s;
    }

    /** A ramp, so that every offset of the recording has its own samples. */
    private static short[] ramp(int samples) {
        short[] s = new short[samples];
        for (int i = 0; i < samples; i++) {
            s[i] = (short) (i % 30_000 - 15_000);
        }
        return s;
    }

    @BeforeEach
    void fabricate() throws IOException {
        List<String> validation = new ArrayList<>();
        List<String> test = new ArrayList<>();
        List<String> words = new ArrayList<>(SpeechCommands.COMMAND_WORDS);
        words.addAll(OTHERS);
        for (int w = 0; w < words.size(); w++) {
            for (int k = 0; k < SPEAKERS.length; k++) {
                int clips = OTHERS.contains(words.get(w)) ? 2 : 1;   // 2 x 2 = 4 unknown clips per speaker
                for (int n = 0; n < clips; n++) {
                    String rel = words.get(w) + "/" + SPEAKERS[k] + "_nohash_" + n + ".wav";
                    WavBytes.write(root.resolve(rel), WavBytes.pcm16(RATE, tone(200 + 50 * w + 7 * k, 4_000)));
                    if (SPEAKERS[k].startsWith("v")) {
                        validation.add(rel);
                    } else if (SPEAKERS[k].startsWith("t")) {
                        test.add(rel);
                    }
                }
            }
        }
        Files.write(root.resolve(SpeechCommands.VALIDATION_LIST), validation);
        Files.write(root.resolve(SpeechCommands.TESTING_LIST), test);
        WavBytes.write(root.resolve("_background_noise_/long.wav"), WavBytes.pcm16(RATE, ramp(12 * RATE)));
        WavBytes.write(root.resolve("_background_noise_/short.wav"), WavBytes.pcm16(RATE, ramp(5 * RATE)));
    }

    private static Map<DataSplit, Integer> count(SpeechCommands sc, int label) {
        Map<DataSplit, Integer> out = new EnumMap<>(DataSplit.class);
        for (DataSplit s : DataSplit.values()) {
            out.put(s, 0);
        }
        sc.clips().stream().filter(c -> c.label() == label).forEach(c -> out.merge(c.split(), 1, Integer::sum));
        return out;
    }

    @Test
    void classesCountsAndSourcesFollowTheSpeechCommandsConventions() throws IOException {
        SpeechCommands sc = SpeechCommands.openTwelveClass(root, new SplittableRandom(SpeechCommands.INDEX_SEED));
        assertEquals(SpeechCommands.TWELVE_CLASSES, sc.words());
        assertEquals(List.of("_silence_", "_unknown_", "yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"), sc.words());
        // command items: 80 training, 10 validation, 10 test; silence and unknown: ceil(10 %) of those
        assertEquals(Map.of(DataSplit.TRAINING, 8, DataSplit.VALIDATION, 1, DataSplit.TEST, 1), count(sc, 0));
        assertEquals(Map.of(DataSplit.TRAINING, 8, DataSplit.VALIDATION, 1, DataSplit.TEST, 1), count(sc, 1));
        assertEquals(100 + 10 + 10, sc.clips().size());
        for (SpeechClip c : sc.clips()) {
            assertEquals(sc.words().indexOf(c.label() == 1 ? "_unknown_" : c.label() == 0 ? "_silence_" : c.word()), c.label(), c.toString());
            if (c.label() == 1) {
                assertTrue(OTHERS.contains(c.word()), c.toString());
                assertFalse(c.isExcerpt());
                // the unknown item keeps the split of its file
                assertEquals(c.speaker().startsWith("v") ? DataSplit.VALIDATION : c.speaker().startsWith("t") ? DataSplit.TEST
                        : DataSplit.TRAINING, c.split(), c.toString());
            } else if (c.label() == 0) {
                assertEquals("_silence_", c.word());
                assertTrue(c.isExcerpt(), c.toString());
                assertTrue(c.gain() >= 0 && c.gain() < 1, c.toString());
                long n = c.file().endsWith("long.wav") ? 12 * RATE : 5 * RATE;
                assertTrue(c.offset() >= NoisePortions.start(n, c.split()) && c.offset() + RATE <= NoisePortions.end(n, c.split()),
                        "the excerpt lies in its split's portion: " + c);
                assertTrue(c.split() == DataSplit.TRAINING || c.file().endsWith("long.wav"),
                        "the 5 s recording has no 1 s stretch in its held-out portions: " + c);
                assertEquals("_background_noise_/" + c.file().getFileName(), c.relativePath());
            }
        }
        // the order: silence, unknown (by path), then the command words by class and file name
        List<Integer> labels = sc.clips().stream().map(SpeechClip::label).toList();
        for (int i = 1; i < labels.size(); i++) {
            assertTrue(labels.get(i - 1) <= labels.get(i), "class order at " + i);
        }
    }

    @Test
    void aLargerTrainingShareOfUnknownItemsAddsToTheSameDrawAndLeavesTheHeldOutSplitsAlone() throws IOException {
        SpeechCommands usual = SpeechCommands.openTwelveClass(root, new SplittableRandom(5));
        SpeechCommands more = SpeechCommands.openWithRejection(root, SpeechCommands.COMMAND_WORDS, 25, new SplittableRandom(5));
        assertEquals(Map.of(DataSplit.TRAINING, 20, DataSplit.VALIDATION, 1, DataSplit.TEST, 1), count(more, 1), "ceil(25 % of 80)");
        assertEquals(count(usual, 0), count(more, 0));
        assertEquals(usual.clips().stream().filter(c -> c.label() != 1 || c.split() != DataSplit.TRAINING).toList(),
                more.clips().stream().filter(c -> c.label() != 1 || c.split() != DataSplit.TRAINING).toList(),
                "silence, held-out unknown items and command words are those of the usual share");
        List<SpeechClip> moreUnknown = more.clips().stream().filter(c -> c.label() == 1).toList();
        usual.clips().stream().filter(c -> c.label() == 1).forEach(c -> assertTrue(moreUnknown.contains(c), c + " kept"));
        // all of the pool (2 words x 8 training speakers x 2 clips) when the share asks for more; none at 0
        assertEquals(32, count(SpeechCommands.openWithRejection(root, SpeechCommands.COMMAND_WORDS, 1000, new SplittableRandom(5)), 1)
                .get(DataSplit.TRAINING));
        assertEquals(0, count(SpeechCommands.openWithRejection(root, SpeechCommands.COMMAND_WORDS, 0, new SplittableRandom(5)), 1)
                .get(DataSplit.TRAINING));
        assertIllegalArgument(() -> SpeechCommands.openWithRejection(root, SpeechCommands.COMMAND_WORDS, 1001, new SplittableRandom(5)),
                "trainingUnknownPercent = 1001", "[0, 1000]");
        assertIllegalArgument(() -> SpeechCommands.openWithRejection(root, SpeechCommands.COMMAND_WORDS, -1, new SplittableRandom(5)),
                "trainingUnknownPercent = -1");
    }

    @Test
    void unknownItemsDrawnByWordSpreadOverTheOtherWordsAndLeaveEverythingElseAlone() throws IOException {
        // a third other word with three times as many clips as the two others: the clip draw favours it
        for (String speaker : SPEAKERS) {
            if (!speaker.startsWith("v") && !speaker.startsWith("t")) {
                for (int n = 0; n < 6; n++) {
                    WavBytes.write(root.resolve("many/" + speaker + "_nohash_" + n + ".wav"), WavBytes.pcm16(RATE, tone(900 + n, 4_000)));
                }
            }
        }
        SpeechCommands byClip = SpeechCommands.openWithRejection(root, SpeechCommands.COMMAND_WORDS, 25, UnknownDraw.CLIPS,
                new SplittableRandom(5));
        SpeechCommands byWord = SpeechCommands.openWithRejection(root, SpeechCommands.COMMAND_WORDS, 25, UnknownDraw.WORDS,
                new SplittableRandom(5));
        assertEquals(byClip.clips(), SpeechCommands.openWithRejection(root, SpeechCommands.COMMAND_WORDS, 25, new SplittableRandom(5))
                .clips(), "CLIPS is the convention");
        assertEquals(count(byClip, 1), count(byWord, 1), "the same number of items per split");
        assertEquals(byClip.clips().stream().filter(c -> c.label() != 1 || c.split() != DataSplit.TRAINING).toList(),
                byWord.clips().stream().filter(c -> c.label() != 1 || c.split() != DataSplit.TRAINING).toList(),
                "silence, held-out unknown items and command words are those of the clip draw");
        Map<String, Long> perWord = byWord.clips().stream().filter(c -> c.label() == 1 && c.split() == DataSplit.TRAINING)
                .collect(java.util.stream.Collectors.groupingBy(SpeechClip::word, java.util.TreeMap::new, java.util.stream.Collectors.counting()));
        Map<String, Long> perClip = byClip.clips().stream().filter(c -> c.label() == 1 && c.split() == DataSplit.TRAINING)
                .collect(java.util.stream.Collectors.groupingBy(SpeechClip::word, java.util.TreeMap::new, java.util.stream.Collectors.counting()));
        assertEquals(3, perWord.size(), perWord.toString());
        long most = java.util.Collections.max(perWord.values());
        long least = java.util.Collections.min(perWord.values());
        assertTrue(most - least <= 1, "20 items over 3 words, one of each in turn: " + perWord);
        assertTrue(perClip.get("many") > most, "the clip draw takes more of the large word: " + perClip + " / " + perWord);
        // when a word runs out the others fill the share; asking for all of the pool takes all of it either way
        SpeechCommands allByWord = SpeechCommands.openWithRejection(root, SpeechCommands.COMMAND_WORDS, 1000, UnknownDraw.WORDS,
                new SplittableRandom(5));
        SpeechCommands allByClip = SpeechCommands.openWithRejection(root, SpeechCommands.COMMAND_WORDS, 1000, UnknownDraw.CLIPS,
                new SplittableRandom(5));
        assertEquals(32 + 48, count(allByWord, 1).get(DataSplit.TRAINING));
        assertEquals(new java.util.HashSet<>(allByClip.clips()), new java.util.HashSet<>(allByWord.clips()));
    }

    @Test
    void theSameGeneratorStateGivesTheSameItemsAndAnotherSeedOthers() throws IOException {
        List<SpeechClip> a = SpeechCommands.openTwelveClass(root, new SplittableRandom(7)).clips();
        List<SpeechClip> b = SpeechCommands.openTwelveClass(root, new SplittableRandom(7)).clips();
        List<SpeechClip> c = SpeechCommands.openTwelveClass(root, new SplittableRandom(8)).clips();
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertEquals(a.stream().filter(x -> x.label() >= 2).toList(), c.stream().filter(x -> x.label() >= 2).toList(),
                "the command words' clips do not depend on the generator");
    }

    @Test
    void silenceItemsAreTheirExcerptAtTheirVolumeAndLoadWithTheWords() throws IOException {
        SpeechCommands sc = SpeechCommands.openTwelveClass(root, new SplittableRandom(3));
        SpeechCommandsFeatures f = sc.load(LogMelConfig.speechCommands(), 2);
        assertEquals(12, f.numClasses());
        assertEquals(8 + 8 + 80, f.size(DataSplit.TRAINING));
        assertEquals(12, f.size(DataSplit.VALIDATION));
        assertEquals(12, f.size(DataSplit.TEST));
        LogMelSpectrogram frontEnd = new LogMelSpectrogram(LogMelConfig.speechCommands());
        for (DataSplit split : DataSplit.values()) {
            List<SpeechClip> clips = f.clips(split);
            for (int i = 0; i < clips.size(); i++) {
                SpeechClip c = clips.get(i);
                if (c.label() != 0) {
                    continue;
                }
                float[] file = WavReader.read(c.file(), RATE).samples();
                float[] want = new float[RATE];
                for (int k = 0; k < RATE; k++) {
                    want[k] = (float) (file[c.offset() + k] * c.gain());
                }
                double[][] steps = f.normalizer().apply(frontEnd.computeSteps(want));
                LabeledSequence got = f.sequences(split).get(i);
                assertEquals(0, got.label());
                for (int t = 0; t < steps.length; t++) {
                    assertArrayEquals(steps[t], got.steps()[t], 1e-12, c + " frame " + t);
                }
            }
        }
        // one thread or two: the same features
        SpeechCommandsFeatures one = sc.load(LogMelConfig.speechCommands(), 1);
        assertArrayEquals(one.normalizer().mean(), f.normalizer().mean());
    }

    @Test
    void aSplitWithFewerOtherClipsThanWantedGetsWhatItHas() throws IOException {
        // every other-word clip of the validation speaker goes: the validation split has no unknown items left
        for (String w : OTHERS) {
            Files.delete(root.resolve(w + "/v8_nohash_0.wav"));
            Files.delete(root.resolve(w + "/v8_nohash_1.wav"));
        }
        List<String> validation = Files.readAllLines(root.resolve(SpeechCommands.VALIDATION_LIST)).stream()
                .filter(l -> !OTHERS.contains(l.substring(0, l.indexOf('/')))).toList();
        Files.write(root.resolve(SpeechCommands.VALIDATION_LIST), validation);
        SpeechCommands sc = SpeechCommands.openTwelveClass(root, new SplittableRandom(1));
        assertEquals(Map.of(DataSplit.TRAINING, 8, DataSplit.VALIDATION, 0, DataSplit.TEST, 1), count(sc, 1));
        assertEquals(Map.of(DataSplit.TRAINING, 8, DataSplit.VALIDATION, 1, DataSplit.TEST, 1), count(sc, 0));
    }

    @Test
    void otherCommandWordsMakeATaskWithRejectionOfTheirOwn() throws IOException {
        SpeechCommands sc = SpeechCommands.openWithRejection(root, List.of("yes", "no"), new SplittableRandom(1));
        assertEquals(List.of("_silence_", "_unknown_", "yes", "no"), sc.words());
        // 16 training command clips -> 2 silence, 2 unknown; the other command words are unknown words now
        assertEquals(Map.of(DataSplit.TRAINING, 2, DataSplit.VALIDATION, 1, DataSplit.TEST, 1), count(sc, 1));
        assertEquals(Map.of(DataSplit.TRAINING, 2, DataSplit.VALIDATION, 1, DataSplit.TEST, 1), count(sc, 0));
        assertIllegalArgument(() -> SpeechCommands.openWithRejection(root, List.of("yes", "yes"), new SplittableRandom(1)),
                "'yes' appears twice");
    }

    @Test
    void whatTheRejectionClassesNeedIsRefusedWithWhatToDo() throws IOException {
        Files.delete(root.resolve("_background_noise_/long.wav"));
        DatasetLayoutException noRoom = assertRefusal(DatasetLayoutException.class,
                () -> SpeechCommands.openTwelveClass(root, new SplittableRandom(1)),
                "no recording has a one-second stretch in its validation portion (80-90 % of its time)", "at least 10 s");
        assertEquals(root.resolve("_background_noise_"), noRoom.path());

        Files.delete(root.resolve("_background_noise_/short.wav"));
        assertRefusal(DatasetLayoutException.class, () -> SpeechCommands.openTwelveClass(root, new SplittableRandom(1)),
                "_background_noise_: no .wav files, but the _silence_ items are cut from its recordings");
        Files.delete(root.resolve("_background_noise_"));
        assertRefusal(NoSuchFileException.class, () -> SpeechCommands.openTwelveClass(root, new SplittableRandom(1)),
                "the background-noise folder is missing");

        for (String w : OTHERS) {
            try (var files = Files.list(root.resolve(w))) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(root.resolve(w));
        }
        List<String> keep = Files.readAllLines(root.resolve(SpeechCommands.TESTING_LIST)).stream()
                .filter(l -> !OTHERS.contains(l.substring(0, l.indexOf('/')))).toList();
        Files.write(root.resolve(SpeechCommands.TESTING_LIST), keep);
        Files.write(root.resolve(SpeechCommands.VALIDATION_LIST), List.of());
        assertRefusal(DatasetLayoutException.class, () -> SpeechCommands.openTwelveClass(root, new SplittableRandom(1)),
                "no word folders besides the command words", "the _unknown_ class is drawn from other words");
        assertRefusal(NullPointerException.class, () -> SpeechCommands.openTwelveClass(root, null), "SplittableRandom");
    }

    @Test
    void aListedFileOfAnOtherWordMustExist() throws IOException {
        Files.delete(root.resolve("bed/t9_nohash_1.wav"));
        NoSuchFileException e = assertRefusal(NoSuchFileException.class,
                () -> SpeechCommands.openTwelveClass(root, new SplittableRandom(1)), "testing_list.txt line", "no such .wav file");
        assertEquals(root.resolve("bed/t9_nohash_1.wav").toString(), e.getFile());
    }

    @Test
    void sharesRoundUpAsTensorFlowDoes() {
        assertEquals(0, RejectionItems.share(0, 10));
        assertEquals(1, RejectionItems.share(1, 10));
        assertEquals(1, RejectionItems.share(10, 10));
        assertEquals(2, RejectionItems.share(11, 10));
        assertEquals(3_083, RejectionItems.share(30_827, 10));
    }
}
