package org.rankcoding.audio.augment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.audio.AudioClip;
import org.rankcoding.audio.DataSplit;
import org.rankcoding.audio.FeatureNormalizer;
import org.rankcoding.audio.FrontEndConfig;
import org.rankcoding.audio.VtlpWarp;
import org.rankcoding.audio.LogMelConfig;
import org.rankcoding.audio.LogMelSpectrogram;
import org.rankcoding.audio.SpeechCommands;
import org.rankcoding.audio.SpeechCommandsFeatures;
import org.rankcoding.data.InMemorySequences;
import org.rankcoding.data.LabeledSequence;
import org.rankcoding.data.SequenceBatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.audio.augment.Signals.RATE;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/** {@link AugmentedClipSource}: plain features without augmentation, reproducible and resumable batches with it. */
class AugmentedClipSourceTest {

    private static final LogMelConfig CONFIG = LogMelConfig.speechCommands();
    private static final int CLIPS = 10;
    private static final List<AudioClip> NOISES = List.of(new AudioClip(quantised(Signals.whiteNoise(2 * RATE, 0.1, 5)), RATE));

    @TempDir
    Path dir;

    /** Samples exactly representable as 16-bit values, as WAV files give them. */
    private static float[] quantised(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (short) Math.max(-32768, Math.min(32767, Math.round(x[i] * 32768.0))) / 32768f;
        }
        return y;
    }

    private static List<float[]> clips() {
        List<float[]> out = new ArrayList<>();
        for (int k = 0; k < CLIPS; k++) {
            float[] x = Signals.clip(k);
            Signals.gain(x, k - 5);
            out.add(quantised(x));
        }
        return out;
    }

    private static int[] labels() {
        int[] l = new int[CLIPS];
        for (int k = 0; k < CLIPS; k++) {
            l[k] = k % 3;
        }
        return l;
    }

    private static FeatureNormalizer normalizer() {
        LogMelSpectrogram fe = new LogMelSpectrogram(CONFIG);
        List<double[][]> features = new ArrayList<>();
        for (float[] c : clips()) {
            features.add(fe.computeSteps(c));
        }
        return FeatureNormalizer.fit(features);
    }

    private static AugmentedClipSource source(WaveformAugmentation wave, SpecAugment spec) {
        return new AugmentedClipSource(ClipSet.of(clips(), labels(), 3, RATE), FrontEndConfig.logMel(CONFIG), normalizer(), VtlpWarp.NONE,
                new WaveformAugmenter(wave, RATE, NOISES), spec);
    }

    private static void assertSameBatch(SequenceBatch a, SequenceBatch b, String what) {
        assertEquals(a.batchSize(), b.batchSize(), what);
        assertEquals(a.maxLength(), b.maxLength(), what);
        assertEquals(a.inputSize(), b.inputSize(), what);
        for (int r = 0; r < a.batchSize(); r++) {
            assertEquals(a.label(r), b.label(r), what + " row " + r);
            assertEquals(a.length(r), b.length(r), what + " row " + r);
        }
        assertArrayEquals(a.inputArray(), b.inputArray(), what);
    }

    @Test
    void withoutAugmentationTheBatchesAreThePlainFeatures() {
        LogMelSpectrogram fe = new LogMelSpectrogram(CONFIG);
        FeatureNormalizer norm = normalizer();
        List<LabeledSequence> plain = new ArrayList<>();
        List<float[]> clips = clips();
        for (int k = 0; k < CLIPS; k++) {
            plain.add(new LabeledSequence(norm.apply(fe.computeSteps(clips.get(k))), labels()[k]));
        }
        InMemorySequences reference = new InMemorySequences(plain, 3);
        AugmentedClipSource source = source(WaveformAugmentation.NONE, SpecAugment.NONE);
        SplittableRandom ra = new SplittableRandom(3);
        SplittableRandom rb = new SplittableRandom(3);
        for (int k = 0; k < 8; k++) {
            assertSameBatch(reference.nextBatch(4, ra), source.nextBatch(4, rb), "batch " + k);
        }
        assertEquals(98, source.nextBatch(4, rb).maxLength());
        assertEquals(40, source.inputSize());
        assertEquals(3, source.numClasses());
    }

    @Test
    void theSameSeedGivesTheSameBatchesAndTheAugmentationChangesThem() {
        AugmentedClipSource a = source(WaveformAugmentation.typical(), SpecAugment.typical());
        AugmentedClipSource b = source(WaveformAugmentation.typical(), SpecAugment.typical());
        AugmentedClipSource plain = source(WaveformAugmentation.NONE, SpecAugment.NONE);
        SplittableRandom ra = new SplittableRandom(4);
        SplittableRandom rb = new SplittableRandom(4);
        for (int k = 0; k < 4; k++) {
            SequenceBatch x = a.nextBatch(4, ra);
            assertSameBatch(x, b.nextBatch(4, rb), "batch " + k);
            assertFalse(Arrays.equals(x.inputArray(), plain.nextBatch(4, new SplittableRandom(k)).inputArray()));
        }
        a.reset();
        b.reset();
        assertSameBatch(a.nextBatch(3, new SplittableRandom(9)), b.nextBatch(3, new SplittableRandom(9)), "after reset");
    }

    @Test
    void resumingFromASavedPositionServesTheBatchesOfTheUninterruptedSource() {
        // the trainer's generator is saved by the trainer; here each batch gets a generator of known state
        AugmentedClipSource uninterrupted = source(WaveformAugmentation.typical(), SpecAugment.typical());
        List<SequenceBatch> expected = new ArrayList<>();
        long[] saved = null;
        for (int k = 0; k < 7; k++) {
            if (k == 4) {
                saved = uninterrupted.savePosition();
            }
            expected.add(uninterrupted.nextBatch(4, new SplittableRandom(100 + k)));
        }
        AugmentedClipSource resumed = source(WaveformAugmentation.typical(), SpecAugment.typical());
        resumed.reset();
        resumed.restorePosition(saved);
        for (int k = 4; k < 7; k++) {
            assertSameBatch(expected.get(k), resumed.nextBatch(4, new SplittableRandom(100 + k)), "batch " + k);
        }
        AugmentedClipSource other = new AugmentedClipSource(ClipSet.of(clips().subList(0, 5), Arrays.copyOf(labels(), 5), 3, RATE),
                FrontEndConfig.logMel(CONFIG), normalizer(), VtlpWarp.NONE, new WaveformAugmenter(WaveformAugmentation.NONE, RATE), SpecAugment.NONE);
        long[] position = saved;
        assertIllegalArgument(() -> other.restorePosition(position), "AugmentedClipSource of 5 clips", "10 items");
    }

    @Test
    void theFingerprintNamesTheDataAndTheAugmentations() {
        String f = source(WaveformAugmentation.typical(), SpecAugment.typical()).fingerprint().orElseThrow();
        assertTrue(f.startsWith("10 clips of 16000 samples at 16000 Hz in 3 classes (checksum "), f);
        assertTrue(f.contains(WaveformAugmentation.typical().toString()), f);
        assertTrue(f.contains("SpecAugment (freq=2x5 time=2x10)"), f);
        assertTrue(f.contains("1 noise recordings (checksum "), f);
        assertFalse(f.contains(";"), f);
        assertNotEquals(f, source(WaveformAugmentation.typical().withGain(3), SpecAugment.typical()).fingerprint().orElseThrow());
        assertNotEquals(f, source(WaveformAugmentation.typical(), SpecAugment.NONE).fingerprint().orElseThrow());
        List<float[]> changed = clips();
        changed.get(3)[100] += 1 / 32768f;
        String g = new AugmentedClipSource(ClipSet.of(changed, labels(), 3, RATE), FrontEndConfig.logMel(CONFIG), normalizer(), VtlpWarp.NONE,
                new WaveformAugmenter(WaveformAugmentation.typical(), RATE, NOISES), SpecAugment.typical()).fingerprint().orElseThrow();
        assertNotEquals(f, g, "one sample changed");
    }

    @Test
    void rejectionItemsAreSplicedFromTwoClipsOfTheirClassAndTheOthersAreUntouched() {
        AugmentedClipSource plain = source(WaveformAugmentation.NONE, SpecAugment.NONE);
        AugmentedClipSource spliced = source(WaveformAugmentation.NONE, SpecAugment.NONE).spliceFragments(new FragmentSplicing(1, 1));
        assertEquals(new FragmentSplicing(1, 1), spliced.fragmentSplicing());
        List<float[]> clips = clips();
        int[] partners = {1, 4, 7};   // labels k % 3 == 1
        LogMelSpectrogram fe = new LogMelSpectrogram(CONFIG);
        FeatureNormalizer norm = normalizer();
        for (long seed = 0; seed < 3; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            SplittableRandom replay = new SplittableRandom(seed);
            SequenceBatch reference = plain.nextBatch(CLIPS, replay);     // one whole epoch: the order draws only
            SequenceBatch batch = spliced.nextBatch(CLIPS, random);
            int splicedRows = 0;
            for (int r = 0; r < CLIPS; r++) {
                assertEquals(reference.label(r), batch.label(r));
                double[][] rowGot = row(batch, r);
                if (batch.label(r) != 1) {
                    assertArrayEquals(flat(row(reference, r)), flat(rowGot), "row " + r + " of label " + batch.label(r));
                    continue;
                }
                int clip = clipOf(clips, row(reference, r), fe, norm);
                replay.nextDouble();   // the decision, below probability 1 whatever it is
                int partner = partners[replay.nextInt(partners.length)];
                int offset = 1 + replay.nextInt(RATE - 1);
                float[] expected = new float[RATE];
                System.arraycopy(clips.get(clip), offset, expected, 0, RATE - offset);
                System.arraycopy(clips.get(partner), 0, expected, RATE - offset, offset);
                assertArrayEquals(flat(norm.apply(fe.computeSteps(expected))), flat(rowGot), "row " + r + " spliced at " + offset);
                assertFalse(Arrays.equals(flat(row(reference, r)), flat(rowGot)), "row " + r + " changed");
                splicedRows++;
            }
            assertEquals(3, splicedRows, "every item of class 1 spliced");
            plain.reset();
            spliced.reset();
        }
    }

    @Test
    void splicingDrawsAsDocumentedAndCoversTheOffsets() {
        ClipSet set = ClipSet.of(List.of(ramp(0), ramp(1000), ramp(2000)), new int[] {1, 0, 1}, 2, 1000);
        FragmentSplicing half = new FragmentSplicing(0.5, 1);
        int[] partners = {0, 2};
        float[] wave = new float[1000];
        float[] partnerWave = new float[1000];
        int[] drawn = new int[2];
        int spliced = 0;
        int low = 0;
        for (long seed = 0; seed < 400; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            SplittableRandom replay = new SplittableRandom(seed);
            half.draw(partners, 1000, random, drawn);
            boolean did = replay.nextDouble() < 0.5;
            assertEquals(did, drawn[0] >= 0);
            if (!did) {
                assertEquals(replay.nextLong(), random.nextLong(), "one draw only");
                continue;
            }
            spliced++;
            int partner = partners[replay.nextInt(2)];
            int offset = 1 + replay.nextInt(999);
            assertEquals(partner, drawn[0]);
            assertEquals(offset, drawn[1]);
            low += offset < 500 ? 1 : 0;
            assertEquals(replay.nextLong(), random.nextLong(), "no other draw");
            set.decode(0, wave);
            set.decode(partner, partnerWave);
            FragmentSplicing.splice(wave, 1000, partnerWave, offset);
            for (int j = 0; j < 1000; j++) {
                float expected = j < 1000 - offset ? (offset + j) / 32768f : (partner * 1000 + j - (1000 - offset)) / 32768f;
                assertEquals(expected, wave[j], "seed " + seed + " sample " + j);
            }
        }
        assertTrue(spliced > 160 && spliced < 240, spliced + " of 400 spliced at p = 0.5");
        assertTrue(low > spliced / 3 && low < 2 * spliced / 3, low + " of " + spliced + " offsets in the first half");
    }

    @Test
    void theRowsOfABatchComputedOnSeveralThreadsAreBitIdenticalToOneThreads() {
        WaveformAugmentation every = WaveformAugmentation.typical().withReverb(0.5, 0.1, 0.4).withPitch(1).withBandLimit(0.5, 3400);
        AugmentedClipSource one = source(every, SpecAugment.typical()).spliceFragments(new FragmentSplicing(0.5, 1));
        AugmentedClipSource three = source(every, SpecAugment.typical()).spliceFragments(new FragmentSplicing(0.5, 1)).parallelism(3);
        assertEquals(1, one.parallelism());
        assertEquals(3, three.parallelism());
        SplittableRandom ra = new SplittableRandom(11);
        SplittableRandom rb = new SplittableRandom(11);
        for (int k = 0; k < 6; k++) {
            assertSameBatch(one.nextBatch(4, ra), three.nextBatch(4, rb), "batch " + k);
        }
        assertEquals(ra.nextLong(), rb.nextLong(), "the same numbers drawn");
        assertEquals(one.fingerprint(), three.fingerprint(), "threads are not part of the data");
        assertIllegalArgument(() -> one.parallelism(0), "threads = 0", "[1, 1024]");
    }

    @Test
    void theFingerprintNamesTheSplicingOnlyWhenItIsOn() {
        String none = source(WaveformAugmentation.typical(), SpecAugment.typical()).fingerprint().orElseThrow();
        assertEquals(none, source(WaveformAugmentation.typical(), SpecAugment.typical()).spliceFragments(FragmentSplicing.NONE)
                .fingerprint().orElseThrow());
        AugmentedClipSource on = source(WaveformAugmentation.typical(), SpecAugment.typical());
        on.fingerprint();
        String f = on.spliceFragments(new FragmentSplicing(0.5, 1)).fingerprint().orElseThrow();
        assertEquals(none + ", fragment splicing (p=0.5 of class 1)", f);
        assertEquals("none", FragmentSplicing.NONE.toString());
    }

    @Test
    void refusesASplicingWithoutClipsOrOutOfRange() {
        AugmentedClipSource s = source(WaveformAugmentation.NONE, SpecAugment.NONE);
        assertIllegalArgument(() -> s.spliceFragments(new FragmentSplicing(0.5, 5)), "class 5", "none of the 10 clips", "3 classes");
        assertIllegalArgument(() -> new FragmentSplicing(1.5, 1), "probability = 1.5", "[0, 1]");
        assertIllegalArgument(() -> new FragmentSplicing(Double.NaN, 1), "probability = NaN");
        assertIllegalArgument(() -> new FragmentSplicing(0.5, -1), "label = -1", ">= 0");
        assertTrue(s.spliceFragments(new FragmentSplicing(0, 5)).fragmentSplicing().isNone(), "probability 0 needs no clip of the label");
    }

    /** {@code (start + j) / 32768} for j in [0, 1000): exactly representable 16-bit samples. */
    private static float[] ramp(int start) {
        float[] x = new float[1000];
        for (int j = 0; j < x.length; j++) {
            x[j] = (start + j) / 32768f;
        }
        return x;
    }

    private static double[][] row(SequenceBatch b, int r) {
        double[][] out = new double[b.maxLength()][b.inputSize()];
        for (int t = 0; t < b.maxLength(); t++) {
            System.arraycopy(b.inputArray(), (t * b.batchSize() + r) * b.inputSize(), out[t], 0, b.inputSize());
        }
        return out;
    }

    private static double[] flat(double[][] x) {
        return Arrays.stream(x).flatMapToDouble(Arrays::stream).toArray();
    }

    /** The clip whose plain standardised features are {@code features}. */
    private static int clipOf(List<float[]> clips, double[][] features, LogMelSpectrogram fe, FeatureNormalizer norm) {
        for (int k = 0; k < clips.size(); k++) {
            if (Arrays.equals(flat(norm.apply(fe.computeSteps(clips.get(k)))), flat(features))) {
                return k;
            }
        }
        throw new AssertionError("no clip has these features");
    }

    @Test
    void clipsAreStoredLosslesslyAsSixteenBitSamples() {
        List<float[]> clips = clips();
        ClipSet set = ClipSet.of(clips, labels(), 3, RATE);
        float[] out = new float[RATE];
        for (int k = 0; k < CLIPS; k++) {
            set.decode(k, out);
            assertArrayEquals(clips.get(k), out);
            assertEquals(labels()[k], set.label(k));
        }
        assertEquals(RATE, set.length());
    }

    @Test
    void refusesInconsistentParts() {
        assertIllegalArgument(() -> ClipSet.of(List.of(new float[5], new float[6]), new int[2], 2, RATE),
                "clip 1 has 6 samples, expected 5");
        assertIllegalArgument(() -> ClipSet.of(List.of(new float[5]), new int[] {2}, 2, RATE), "clip 0 has label 2", "[0, 1]");
        assertIllegalArgument(() -> ClipSet.of(List.of(new float[5]), new int[2], 2, RATE), "2 labels for 1 clips");
        assertIllegalArgument(() -> ClipSet.of(List.of(), new int[0], 2, RATE), "no clips");
        assertIllegalArgument(() -> ClipSet.of(List.of(new float[] {Float.NaN}), new int[1], 2, RATE), "clip 0 sample 0 is NaN");
        ClipSet shortClips = ClipSet.of(List.of(new float[300]), new int[1], 2, RATE);
        assertIllegalArgument(() -> new AugmentedClipSource(shortClips, FrontEndConfig.logMel(CONFIG), normalizer(), VtlpWarp.NONE,
                new WaveformAugmenter(WaveformAugmentation.NONE, RATE), SpecAugment.NONE), "300 samples", "400 samples");
        ClipSet clips = ClipSet.of(clips(), labels(), 3, RATE);
        assertIllegalArgument(() -> new AugmentedClipSource(clips, FrontEndConfig.logMel(CONFIG), normalizer(), VtlpWarp.NONE,
                new WaveformAugmenter(WaveformAugmentation.NONE, 8000), SpecAugment.NONE), "sample rates differ", "augmenter 8000 Hz");
        assertIllegalArgument(() -> new AugmentedClipSource(clips, FrontEndConfig.logMel(CONFIG.withMelBands(20)), normalizer(), VtlpWarp.NONE,
                new WaveformAugmenter(WaveformAugmentation.NONE, RATE), SpecAugment.NONE), "40 features", "20 mel bands");
    }

    // ------------------------------------------------------------------ from a data set on disk

    private static void writeWav(Path file, float[] samples) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * samples.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * samples.length).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(RATE).putInt(2 * RATE)
                .putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(2 * samples.length);
        for (float v : samples) {
            b.putShort((short) Math.round(v * 32768.0));
        }
        Files.createDirectories(file.getParent());
        Files.write(file, b.array());
    }

    private Path dataSet(boolean withNoise) throws IOException {
        Path root = dir.resolve(withNoise ? "with-noise" : "without-noise");
        List<float[]> clips = clips();
        String[] words = {"yes", "no"};
        for (int k = 0; k < 8; k++) {
            writeWav(root.resolve(words[k % 2] + "/spk" + k + "_nohash_0.wav"), clips.get(k));
        }
        Files.writeString(root.resolve("validation_list.txt"), "yes/spk0_nohash_0.wav\n");
        Files.writeString(root.resolve("testing_list.txt"), "no/spk1_nohash_0.wav\n");
        if (withNoise) {
            writeWav(root.resolve("_background_noise_/white.wav"), NOISES.get(0).samples());
        }
        return root;
    }

    @Test
    void fromSplitReadsTheClipsAndTheBackgroundNoiseOfADataSet() throws IOException {
        SpeechCommands data = SpeechCommands.open(dataSet(true), List.of("yes", "no"));
        SpeechCommandsFeatures features = data.load(CONFIG, 1);
        AugmentedClipSource plain = AugmentedClipSource.fromSplit(data, DataSplit.TRAINING, FrontEndConfig.logMel(CONFIG), features.normalizer(), VtlpWarp.NONE,
                WaveformAugmentation.NONE, SpecAugment.NONE);
        InMemorySequences reference = features.source(DataSplit.TRAINING);
        assertEquals(6, plain.size());
        for (int k = 0; k < 4; k++) {
            assertSameBatch(reference.nextBatch(4, new SplittableRandom(k)), plain.nextBatch(4, new SplittableRandom(k)), "batch " + k);
        }
        AugmentedClipSource augmented = AugmentedClipSource.fromSplit(data, DataSplit.TRAINING, FrontEndConfig.logMel(CONFIG), features.normalizer(), VtlpWarp.NONE,
                WaveformAugmentation.typical().withNoise(1, 0, 0), SpecAugment.typical());
        assertTrue(augmented.fingerprint().orElseThrow().contains("1 noise recordings"));
        SequenceBatch b = augmented.nextBatch(6, new SplittableRandom(1));
        assertEquals(6, b.batchSize());

        SpeechCommands quiet = SpeechCommands.open(dataSet(false), List.of("yes", "no"));
        assertIllegalArgument(() -> AugmentedClipSource.fromSplit(quiet, DataSplit.TRAINING, FrontEndConfig.logMel(CONFIG), features.normalizer(), VtlpWarp.NONE,
                WaveformAugmentation.typical(), SpecAugment.NONE), "noiseProbability = 0.8", "_background_noise_");
        assertEquals(6, AugmentedClipSource.fromSplit(quiet, DataSplit.TRAINING, FrontEndConfig.logMel(CONFIG), features.normalizer(), VtlpWarp.NONE,
                WaveformAugmentation.typical().withNoise(0, 5, 20), SpecAugment.NONE).size());
    }

    @Test
    void costPerClip() {
        // a measurement for the documentation, not an assertion on time: the machine is shared
        List<float[]> many = new ArrayList<>();
        int[] labels = new int[64];
        for (int k = 0; k < 64; k++) {
            many.add(quantised(Signals.clip(k)));
            labels[k] = k % 3;
        }
        List<AudioClip> noises = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            noises.add(new AudioClip(quantised(Signals.whiteNoise(30 * RATE, 0.1, k)), RATE));
        }
        for (String name : List.of("none", "typical", "typical+reverb-always")) {
            WaveformAugmentation w = switch (name) {
                case "none" -> WaveformAugmentation.NONE;
                case "typical" -> WaveformAugmentation.typical();
                default -> WaveformAugmentation.typical().withReverb(1, 0.1, 0.6);
            };
            SpecAugment s = name.equals("none") ? SpecAugment.NONE : SpecAugment.typical();
            AugmentedClipSource src = new AugmentedClipSource(ClipSet.of(many, labels, 3, RATE), FrontEndConfig.logMel(CONFIG), normalizer(), VtlpWarp.NONE,
                    new WaveformAugmenter(w, RATE, noises), s);
            SplittableRandom rng = new SplittableRandom(1);
            for (int k = 0; k < 3; k++) {
                src.nextBatch(64, rng);
            }
            long start = System.nanoTime();
            int batches = 5;
            for (int k = 0; k < batches; k++) {
                src.nextBatch(64, rng);
            }
            double ms = (System.nanoTime() - start) / 1e6 / (batches * 64);
            System.out.printf(java.util.Locale.ROOT, "AugmentedClipSource cost per 1 s clip (%s): %.2f ms%n", name, ms);
        }
    }
}
