package org.rankcoding.audio;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.data.InMemorySequences;
import org.rankcoding.data.LabeledSequence;
import org.rankcoding.data.SequenceBatch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SpeechCommands} on a tiny data set fabricated in the real layout. */
class SpeechCommandsTest {

    @TempDir
    Path root;

    /** A tone clip: each file gets its own frequency, so every clip's features differ. */
    private int clipCount;

    private void clip(String rel, int samples, int rate) throws IOException {
        short[] s = new short[samples];
        double hz = 300 + 170 * clipCount++;
        for (int i = 0; i < samples; i++) {
            s[i] = (short) (8_000 * Math.sin(2 * Math.PI * hz * i / rate) + 500 * Math.sin(i * 0.37));
        }
        WavBytes.write(root.resolve(rel), WavBytes.pcm16(rate, s));
    }

    private void clip(String rel) throws IOException {
        clip(rel, 16_000, 16_000);
    }

    private void list(String name, String... lines) throws IOException {
        Files.write(root.resolve(name), List.of(lines));
    }

    @BeforeEach
    void fabricate() throws IOException {
        clip("yes/aaaa1111_nohash_0.wav");
        clip("yes/aaaa1111_nohash_1.wav", 8_000, 16_000);     // short: zero-padded to 1 s
        clip("yes/bbbb2222_nohash_0.wav");
        clip("yes/cccc3333_nohash_0.wav", 20_000, 16_000);    // long: cut to 1 s
        clip("no/aaaa1111_nohash_0.wav");
        clip("no/bbbb2222_nohash_0.wav");
        clip("no/cccc3333_nohash_0.wav");
        clip("no/dddd4444_nohash_0.wav");
        clip("up/aaaa1111_nohash_0.wav");                      // a word that is not chosen below
        clip("_background_noise_/white_noise.wav", 32_000, 16_000);
        clip("_background_noise_/pink_noise.wav", 32_000, 16_000);
        Files.writeString(root.resolve("_background_noise_/README.md"), "not a clip");
        Files.writeString(root.resolve("LICENSE"), "a file in the root");
        list(SpeechCommands.VALIDATION_LIST, "yes/bbbb2222_nohash_0.wav", "no/bbbb2222_nohash_0.wav", "");
        list(SpeechCommands.TESTING_LIST, "yes/cccc3333_nohash_0.wav", "  no/cccc3333_nohash_0.wav  ",
                "up/zzzz9999_nohash_0.wav");   // names a file of an unchosen word that does not exist: not checked
    }

    private static Map<String, DataSplit> splits(SpeechCommands sc) {
        return sc.clips().stream().collect(Collectors.toMap(SpeechClip::relativePath, SpeechClip::split));
    }

    @Test
    void listedClipsGoToTheirSplitsAndAllOthersToTraining() throws IOException {
        SpeechCommands sc = SpeechCommands.open(root, List.of("yes", "no"));
        assertEquals(List.of("yes", "no"), sc.words());
        assertEquals(Map.of(
                "yes/aaaa1111_nohash_0.wav", DataSplit.TRAINING,
                "yes/aaaa1111_nohash_1.wav", DataSplit.TRAINING,
                "yes/bbbb2222_nohash_0.wav", DataSplit.VALIDATION,
                "yes/cccc3333_nohash_0.wav", DataSplit.TEST,
                "no/aaaa1111_nohash_0.wav", DataSplit.TRAINING,
                "no/bbbb2222_nohash_0.wav", DataSplit.VALIDATION,
                "no/cccc3333_nohash_0.wav", DataSplit.TEST,
                "no/dddd4444_nohash_0.wav", DataSplit.TRAINING), splits(sc));
        // order: by class, then by file name; labels are the word's index
        List<String> order = sc.clips().stream().map(SpeechClip::relativePath).toList();
        assertEquals(List.of("yes/aaaa1111_nohash_0.wav", "yes/aaaa1111_nohash_1.wav", "yes/bbbb2222_nohash_0.wav",
                "yes/cccc3333_nohash_0.wav", "no/aaaa1111_nohash_0.wav", "no/bbbb2222_nohash_0.wav",
                "no/cccc3333_nohash_0.wav", "no/dddd4444_nohash_0.wav"), order);
        for (SpeechClip c : sc.clips()) {
            assertEquals(c.word().equals("yes") ? 0 : 1, c.label(), c.relativePath());
            assertEquals(root.resolve(c.relativePath()), c.file());
        }
        assertEquals(List.of("bbbb2222", "bbbb2222"), sc.clips(DataSplit.VALIDATION).stream().map(SpeechClip::speaker).toList());
        assertEquals(4, sc.clips(DataSplit.TRAINING).size());
        assertEquals(List.of(root.resolve("_background_noise_/pink_noise.wav"), root.resolve("_background_noise_/white_noise.wav")),
                sc.backgroundNoiseFiles());
    }

    @Test
    void withoutAWordListEveryWordFolderIsAClassInAlphabeticalOrder() throws IOException {
        list(SpeechCommands.TESTING_LIST, "yes/cccc3333_nohash_0.wav", "no/cccc3333_nohash_0.wav");
        SpeechCommands sc = SpeechCommands.open(root);
        assertEquals(List.of("no", "up", "yes"), sc.words());
        assertEquals(9, sc.clips().size());
        for (SpeechClip c : sc.clips()) {
            assertEquals(sc.words().indexOf(c.word()), c.label(), c.relativePath());
        }
        assertEquals(DataSplit.TRAINING, splits(sc).get("up/aaaa1111_nohash_0.wav"));
    }

    @Test
    void missingListedFileOfAChosenWordIsAClearError() throws IOException {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> SpeechCommands.open(root, List.of("yes", "up")));
        assertEquals(root.resolve("up/zzzz9999_nohash_0.wav").toString(), e.getFile());
        assertTrue(e.getMessage().contains("named by testing_list.txt line 3, but there is no such .wav file"), e.getMessage());

        list(SpeechCommands.VALIDATION_LIST, "yes/bbbb2222_nohash_0.wav", "no/gone_nohash_0.wav");
        NoSuchFileException e2 = assertThrows(NoSuchFileException.class, () -> SpeechCommands.open(root, List.of("yes", "no")));
        assertTrue(e2.getMessage().startsWith(root.resolve("no/gone_nohash_0.wav").toString()), e2.getMessage());
        assertTrue(e2.getMessage().contains("validation_list.txt line 2"), e2.getMessage());
    }

    @Test
    void missingRootListsAndWordFoldersAreClearErrors() throws IOException {
        Path nowhere = root.resolve("nowhere");
        NoSuchFileException noRoot = assertThrows(NoSuchFileException.class, () -> SpeechCommands.open(nowhere));
        assertTrue(noRoot.getMessage().contains("scripts/make-speech-commands"), noRoot.getMessage());
        assertEquals(nowhere.toString(), noRoot.getFile());

        NoSuchFileException noWord = assertThrows(NoSuchFileException.class, () -> SpeechCommands.open(root, List.of("yes", "left")));
        assertEquals(root.resolve("left").toString(), noWord.getFile());
        assertTrue(noWord.getMessage().contains("the folder of the word 'left' is missing; word folders found in " + root
                + ": [no, up, yes]"), noWord.getMessage());

        Files.delete(root.resolve(SpeechCommands.TESTING_LIST));
        NoSuchFileException noList = assertThrows(NoSuchFileException.class, () -> SpeechCommands.open(root));
        assertEquals(root.resolve("testing_list.txt").toString(), noList.getFile());
        assertTrue(noList.getMessage().contains("scripts/make-speech-commands DIR"), noList.getMessage());
        Files.delete(root.resolve(SpeechCommands.VALIDATION_LIST));
        NoSuchFileException noList2 = assertThrows(NoSuchFileException.class, () -> SpeechCommands.open(root));
        assertEquals(root.resolve("validation_list.txt").toString(), noList2.getFile());
    }

    @Test
    void malformedListsAreClearErrors() throws IOException {
        list(SpeechCommands.VALIDATION_LIST, "yes/bbbb2222_nohash_0.wav", "yes/cccc3333_nohash_0.wav");
        DatasetLayoutException both = assertThrows(DatasetLayoutException.class, () -> SpeechCommands.open(root, List.of("yes", "no")));
        assertEquals(root.resolve("testing_list.txt") + ": line 1: 'yes/cccc3333_nohash_0.wav' is also named by "
                + "validation_list.txt line 2; a clip belongs to one split only", both.getMessage());

        for (String bad : new String[] {"bbbb2222_nohash_0.wav", "/yes/a.wav", "yes/", "a/b/c.wav", "../yes/a.wav", "yes\\a.wav"}) {
            list(SpeechCommands.VALIDATION_LIST, "", bad);
            DatasetLayoutException e = assertThrows(DatasetLayoutException.class, () -> SpeechCommands.open(root, List.of("yes", "no")), bad);
            assertTrue(e.getMessage().startsWith(root.resolve("validation_list.txt") + ": line 2: '" + bad + "', expected a path"),
                    e.getMessage());
        }
    }

    @Test
    void emptyWordFoldersAndBadWordListsAreRejected() throws IOException {
        Files.createDirectories(root.resolve("left"));
        DatasetLayoutException e = assertThrows(DatasetLayoutException.class, () -> SpeechCommands.open(root, List.of("yes", "left")));
        assertTrue(e.getMessage().contains("no .wav files in the folder of the word 'left'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SpeechCommands.open(root, List.of("yes")));
        assertThrows(IllegalArgumentException.class, () -> SpeechCommands.open(root, List.of("yes", "yes")));
        assertThrows(IllegalArgumentException.class, () -> SpeechCommands.open(root, List.of("yes", "../no")));
    }

    @Test
    void aSplitsSequencesWithAModelsStatisticsAreThoseOfTheWholeSetForThatSplit() throws IOException {
        SpeechCommands sc = SpeechCommands.open(root, List.of("yes", "no"));
        SpeechCommandsFeatures f = sc.load(LogMelConfig.speechCommands(), 1);
        FrontEndConfig fe = FrontEndConfig.logMel(LogMelConfig.speechCommands());
        List<LabeledSequence> all = sc.sequences(fe, f.normalizer(), 2);
        for (DataSplit s : DataSplit.values()) {
            List<LabeledSequence> part = sc.sequences(s, fe, f.normalizer(), 2);
            List<LabeledSequence> expected = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (sc.clips().get(i).split() == s) {
                    expected.add(all.get(i));
                }
            }
            assertEquals(expected.size(), part.size(), s.toString());
            for (int i = 0; i < part.size(); i++) {
                assertEquals(expected.get(i).label(), part.get(i).label());
                assertArrayEquals(expected.get(i).steps(), part.get(i).steps(), s + " clip " + i);
            }
        }
        // and for the model's own test split they are the sequences the model was tested on
        List<LabeledSequence> test = sc.sequences(DataSplit.TEST, fe, f.normalizer(), 1);
        for (int i = 0; i < test.size(); i++) {
            assertArrayEquals(f.sequences(DataSplit.TEST).get(i).steps(), test.get(i).steps());
        }
    }

    @Test
    void loadsNormalisedLogMelSequencesPerSplit() throws IOException {
        SpeechCommands sc = SpeechCommands.open(root, List.of("yes", "no"));
        SpeechCommandsFeatures f = sc.load(LogMelConfig.speechCommands(), 2);
        assertEquals(4, f.size(DataSplit.TRAINING));
        assertEquals(2, f.size(DataSplit.VALIDATION));
        assertEquals(2, f.size(DataSplit.TEST));
        assertEquals(2, f.numClasses());
        assertEquals(40, f.inputSize());
        assertEquals(List.of(0, 0, 1, 1), f.sequences(DataSplit.TRAINING).stream().map(LabeledSequence::label).toList());
        assertEquals(sc.clips(DataSplit.TEST), f.clips(DataSplit.TEST));

        // every clip is 1 s after padding or cutting: 98 frames of 40 bands
        for (DataSplit s : DataSplit.values()) {
            for (LabeledSequence seq : f.sequences(s)) {
                assertEquals(98, seq.length());
                assertEquals(40, seq.inputSize());
            }
        }
        // the training frames are standardised per band
        double[] sum = new double[40];
        double[] sq = new double[40];
        int frames = 0;
        for (LabeledSequence seq : f.sequences(DataSplit.TRAINING)) {
            for (double[] x : seq.steps()) {
                for (int b = 0; b < 40; b++) {
                    sum[b] += x[b];
                    sq[b] += x[b] * x[b];
                }
                frames++;
            }
        }
        for (int b = 0; b < 40; b++) {
            assertEquals(0, sum[b] / frames, 1e-9, "band " + b);
            assertEquals(1, sq[b] / frames, 1e-9, "band " + b);
        }
        // a validation clip: its raw features, padded to 1 s, normalised with the training statistics
        SpeechClip v = f.clips(DataSplit.VALIDATION).get(0);
        double[][] raw = new LogMelSpectrogram(LogMelConfig.speechCommands())
                .computeSteps(WavReader.readFixedLength(v.file(), 16_000, 16_000));
        double[][] want = f.normalizer().apply(raw);
        double[][] got = f.sequences(DataSplit.VALIDATION).get(0).steps();
        for (int t = 0; t < 98; t++) {
            assertArrayEquals(want[t], got[t], 1e-12);
        }
        // the padded short clip: its frames after the end of the audio are silence (log eps, normalised)
        double[][] padded = f.sequences(DataSplit.TRAINING).get(1).steps();
        double[] silence = f.normalizer().apply(new double[][] {new LogMelSpectrogram(LogMelConfig.speechCommands())
                .computeSteps(new float[400])[0]})[0];
        assertArrayEquals(silence, padded[97], 1e-12);

        InMemorySequences train = f.source(DataSplit.TRAINING);
        assertEquals(4, train.size());
        SequenceBatch batch = train.batches(10).get(0);
        assertEquals(98, batch.maxLength());
        assertEquals(40, batch.inputSize());
    }

    @Test
    void resultsDoNotDependOnTheNumberOfThreads() throws IOException {
        list(SpeechCommands.TESTING_LIST, "yes/cccc3333_nohash_0.wav", "no/cccc3333_nohash_0.wav");
        SpeechCommands sc = SpeechCommands.open(root);
        SpeechCommandsFeatures one = sc.load(LogMelConfig.speechCommands(), 1);
        SpeechCommandsFeatures three = sc.load(LogMelConfig.speechCommands(), 3);
        assertArrayEquals(one.normalizer().mean(), three.normalizer().mean());
        for (DataSplit s : DataSplit.values()) {
            List<LabeledSequence> a = one.sequences(s);
            List<LabeledSequence> b = three.sequences(s);
            assertEquals(a.size(), b.size());
            for (int i = 0; i < a.size(); i++) {
                assertEquals(a.get(i).label(), b.get(i).label());
                for (int t = 0; t < a.get(i).length(); t++) {
                    assertArrayEquals(a.get(i).steps()[t], b.get(i).steps()[t]);
                }
            }
        }
    }

    @Test
    void aBadClipFailsTheLoadNamingTheFile() throws IOException {
        clip("no/eeee5555_nohash_0.wav", 8_000, 8_000);
        SpeechCommands sc = SpeechCommands.open(root, List.of("yes", "no"));
        for (int threads : new int[] {1, 2}) {
            WavFormatException e = assertThrows(WavFormatException.class, () -> sc.load(LogMelConfig.speechCommands(), threads));
            assertEquals(root.resolve("no/eeee5555_nohash_0.wav") + ": sample rate 8000 Hz, expected 16000 Hz", e.getMessage());
        }
    }

    @Test
    void anEmptySplitHasNoSource() throws IOException {
        list(SpeechCommands.VALIDATION_LIST);
        SpeechCommandsFeatures f = SpeechCommands.open(root, List.of("yes", "no")).load(LogMelConfig.speechCommands(), 1);
        assertEquals(0, f.size(DataSplit.VALIDATION));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.source(DataSplit.VALIDATION));
        assertTrue(e.getMessage().contains("the validation split has no clips"), e.getMessage());
        List<String> all = new ArrayList<>();
        for (SpeechClip c : SpeechCommands.open(root, List.of("yes", "no")).clips()) {
            all.add(c.relativePath());
        }
        list(SpeechCommands.VALIDATION_LIST, all.toArray(new String[0]));
        list(SpeechCommands.TESTING_LIST);
        DatasetLayoutException noTraining = assertThrows(DatasetLayoutException.class,
                () -> SpeechCommands.open(root, List.of("yes", "no")).load(LogMelConfig.speechCommands(), 1));
        assertTrue(noTraining.getMessage().contains("no training clips"), noTraining.getMessage());
    }
}
