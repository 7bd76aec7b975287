package org.rankcoding.datasets.latency;

import org.junit.jupiter.api.Test;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.data.SparseSpikes;
import org.rankcoding.datasets.idx.IdxImages;

import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/** {@link LatencyCodedImages}: batches are the encoder's dense rasters of the right images, epochs visit every image once. */
class LatencyCodedImagesTest {

    private static final int COUNT = 7;
    private static final LatencyEncoder ENCODER = new LatencyEncoder(5);

    private static IdxImages images() {
        byte[] px = new byte[COUNT * 3 * 2];
        new Random(3).nextBytes(px);
        px[0] = 0;
        px[1] = (byte) 255;
        px[2] = (byte) 51; // 0.2: a bin edge for N = 5
        return new IdxImages(COUNT, 3, 2, px);
    }

    private static final int[] LABELS = {0, 1, 2, 0, 1, 2, 0};

    /** Asserts that row r of the batch is image i, encoded by ENCODER. */
    private static void assertRowIsImage(SequenceBatch b, int r, IdxImages images, int i) {
        assertEquals(LABELS[i], b.label(r));
        assertEquals(5, b.length(r));
        double[] expected = new double[5 * b.batchSize() * 6];
        ENCODER.writeSpikes(images.intensities(i), expected, r * 6, b.batchSize() * 6);
        for (int t = 0; t < 5; t++) {
            for (int j = 0; j < 6; j++) {
                assertEquals(expected[(t * b.batchSize() + r) * 6 + j], b.toDense().inputArray()[b.inputOffset(t, r) + j], "row " + r + " step " + (t + 1));
            }
        }
    }

    @Test
    void orderedBatchesAreTheEncodedImages() {
        IdxImages images = images();
        LatencyCodedImages src = new LatencyCodedImages(images, LABELS, 3, ENCODER);
        assertEquals(6, src.inputSize());
        assertEquals(5, src.steps());
        assertEquals(COUNT, src.size());
        SequenceBatch b = src.batch(2, 6);
        assertEquals(4, b.batchSize());
        assertEquals(5, b.maxLength());
        for (int r = 0; r < 4; r++) {
            assertRowIsImage(b, r, images, 2 + r);
        }
        for (int i = 0; i < COUNT; i++) {
            assertEquals(ENCODER.encodeSparse(images.intensities(i)), src.spikes(i));
            assertTrue(Arrays.deepEquals(ENCODER.encodeDense(images.intensities(i)), src.sequence(i).steps()));
            assertEquals(LABELS[i], src.sequence(i).label());
        }
        // pixel 255 fires at step 1, pixel 0 at step 5, pixel 51 (0.2, a bin edge) at step 4
        assertTrue(contains(src.spikes(0).firingAt(1), 1));
        assertTrue(contains(src.spikes(0).firingAt(5), 0));
        assertTrue(contains(src.spikes(0).firingAt(4), 2));
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    @Test
    void shuffledEpochsVisitEveryImageOnceAndRepeatWithTheSeed() {
        IdxImages images = images();
        LatencyCodedImages src = new LatencyCodedImages(images, LABELS, 3, ENCODER);
        int[][] firstRun = new int[2][];
        for (int run = 0; run < 2; run++) {
            src.reset();
            SplittableRandom rng = new SplittableRandom(42);
            int[] seenOrder = new int[COUNT];
            int k = 0;
            for (int size : new int[] {3, 3, 1}) {
                SequenceBatch b = src.nextBatch(3, rng);
                assertEquals(size, b.batchSize(), "the last batch of an epoch is smaller");
                for (int r = 0; r < b.batchSize(); r++) {
                    int i = identify(b, r, src);
                    assertRowIsImage(b, r, images, i);
                    seenOrder[k++] = i;
                }
            }
            int[] sorted = seenOrder.clone();
            Arrays.sort(sorted);
            assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, sorted, "each image once per epoch");
            firstRun[run] = seenOrder;
        }
        assertArrayEquals(firstRun[0], firstRun[1], "same seed after reset, same batches");
    }

    @Test
    void sparseAndDenseBatchesHoldTheSameInputs() {
        IdxImages images = images();
        LatencyCodedImages sparse = new LatencyCodedImages(images, LABELS, 3, ENCODER);
        LatencyCodedImages dense = new LatencyCodedImages(images, LABELS, 3, ENCODER).withBatchForm(BatchForm.DENSE);
        assertEquals(BatchForm.SPARSE, sparse.batchForm());
        assertEquals(BatchForm.DENSE, dense.batchForm());
        SequenceBatch s = sparse.batch(1, COUNT);
        SequenceBatch d = dense.batch(1, COUNT);
        assertTrue(s.isSparse());
        assertFalse(d.isSparse());
        assertArrayEquals(d.inputArray(), s.toDense().inputArray());
        // every pixel fires exactly once
        assertEquals((COUNT - 1) * 6, s.sparseIndices().length);
    }

    /** A sparse batch is the images' rasters ({@link LatencyCodedImages#spikes}) gathered by {@link SparseSpikes#toBatch}. */
    @Test
    void sparseBatchesAreTheImagesRastersGathered() {
        LatencyCodedImages pulse = new LatencyCodedImages(images(), LABELS, 3, ENCODER);
        for (LatencyCodedImages src : new LatencyCodedImages[] {pulse, pulse.withCoding(SpikeCoding.HELD)}) {
            SparseSpikes[] rows = new SparseSpikes[COUNT];
            for (int i = 0; i < COUNT; i++) {
                rows[i] = src.spikes(i);
            }
            SequenceBatch want = SparseSpikes.toBatch(rows, LABELS, 3);
            SequenceBatch got = src.batch(0, COUNT);
            assertArrayEquals(want.sparseStart(), got.sparseStart(), src.coding().toString());
            assertArrayEquals(want.sparseIndices(), got.sparseIndices(), src.coding().toString());
            for (int r = 0; r < COUNT; r++) {
                assertEquals(want.label(r), got.label(r));
                assertEquals(want.length(r), got.length(r));
            }
        }
    }

    @Test
    void heldCodingKeepsEachPixelOnFromItsSpikeStepInEveryBatchForm() {
        IdxImages images = images();
        LatencyCodedImages pulse = new LatencyCodedImages(images, LABELS, 3, ENCODER);
        LatencyCodedImages held = pulse.withCoding(SpikeCoding.HELD);
        assertEquals(SpikeCoding.PULSE, pulse.coding());
        assertEquals(SpikeCoding.HELD, held.coding());
        SequenceBatch p = pulse.batch(0, COUNT);
        SequenceBatch h = held.batch(0, COUNT);
        SequenceBatch hd = new LatencyCodedImages(images, LABELS, 3, ENCODER).withBatchForm(BatchForm.DENSE).withCoding(SpikeCoding.HELD)
                .batch(0, COUNT);
        assertTrue(h.isSparse());
        assertFalse(hd.isSparse());
        assertArrayEquals(hd.inputArray(), h.toDense().inputArray(), "sparse and dense held batches hold the same inputs");
        assertCumulative(p, h);
        int events = 0;
        for (int i = 0; i < COUNT; i++) {
            assertEquals(pulse.spikes(i).held(), held.spikes(i));
            assertEquals(LABELS[i], h.label(i));
            for (int step : ENCODER.spikeSteps(images.intensities(i))) {
                events += 5 - step + 1;
            }
        }
        assertEquals(events, h.sparseIndices().length, "a pixel spiking at step s of 5 is listed 5 - s + 1 times");

        // training batches: the same order and distortion draws as the pulse source, held
        ImageDistortion shift = ImageDistortion.shift(1);
        LatencyCodedImages pulseShifted = pulse.withTrainingDistortion(shift);
        LatencyCodedImages heldShifted = pulseShifted.withCoding(SpikeCoding.HELD);
        assertEquals(shift, heldShifted.trainingDistortion(), "withCoding keeps the distortion");
        assertEquals(SpikeCoding.HELD, heldShifted.withTrainingDistortion(shift).coding(), "withTrainingDistortion keeps the coding");
        assertCumulative(pulseShifted.nextBatch(4, new SplittableRandom(9)), heldShifted.nextBatch(4, new SplittableRandom(9)));
        assertIllegalArgument(() -> pulse.withCoding(null), "coding is null");
        assertIllegalArgument(() -> pulse.withBatchForm(null), "batch form is null");
        assertEquals(SpikeCoding.HELD, held.withBatchForm(BatchForm.DENSE).coding(), "withBatchForm keeps the coding");
        assertEquals(shift, heldShifted.withBatchForm(BatchForm.DENSE).trainingDistortion(), "withBatchForm keeps the distortion");
        assertEquals(BatchForm.DENSE, held.withBatchForm(BatchForm.DENSE).withCoding(SpikeCoding.PULSE).withTrainingDistortion(shift)
                .batchForm(), "the other withers keep the batch form");
    }

    /** Asserts that {@code held} is the running sum of {@code pulse} over the steps, row by row. */
    private static void assertCumulative(SequenceBatch pulse, SequenceBatch held) {
        assertEquals(pulse.batchSize(), held.batchSize());
        double[] p = pulse.toDense().inputArray();
        double[] h = held.toDense().inputArray();
        int size = pulse.inputSize();
        for (int r = 0; r < pulse.batchSize(); r++) {
            assertEquals(pulse.label(r), held.label(r));
            double[] sum = new double[size];
            for (int t = 0; t < pulse.maxLength(); t++) {
                for (int j = 0; j < size; j++) {
                    sum[j] += p[pulse.inputOffset(t, r) + j];
                    assertEquals(sum[j], h[held.inputOffset(t, r) + j], "row " + r + " step " + (t + 1) + " input " + j);
                }
            }
        }
    }

    /** The image whose encoding is row r (images are distinct). */
    private static int identify(SequenceBatch b, int r, LatencyCodedImages src) {
        for (int i = 0; i < src.size(); i++) {
            SparseSpikes s = src.spikes(i);
            boolean same = true;
            for (int t = 0; t < 5 && same; t++) {
                for (int j : s.firingAt(t + 1)) {
                    same &= b.toDense().inputArray()[b.inputOffset(t, r) + j] == 1.0;
                }
            }
            if (same) {
                return i;
            }
        }
        throw new AssertionError("row " + r + " is no image");
    }

    @Test
    void theFingerprintDescribesTheDataAndChangesWithAnyOfIt() {
        IdxImages images = images();
        LatencyCodedImages src = new LatencyCodedImages(images, LABELS, 3, ENCODER);
        String f = src.fingerprint().orElseThrow();
        assertTrue(f.matches("7 images of 3 x 2 in 3 classes, 5 steps, pulse coding \\(checksum [0-9a-f]{16}\\)"), f);
        assertEquals(f, new LatencyCodedImages(images(), LABELS.clone(), 3, ENCODER).fingerprint().orElseThrow(), "equal data");
        assertEquals(f, src.withBatchForm(BatchForm.DENSE).fingerprint().orElseThrow(), "the batch form changes no value");

        byte[] px = images.pixels().clone();
        px[px.length - 1] ^= 1;
        assertNotEquals(f, new LatencyCodedImages(new IdxImages(COUNT, 3, 2, px), LABELS, 3, ENCODER).fingerprint().orElseThrow(),
                "one pixel");
        int[] labels = LABELS.clone();
        labels[6] = 1;
        assertNotEquals(f, new LatencyCodedImages(images, labels, 3, ENCODER).fingerprint().orElseThrow(), "one label");
        assertNotEquals(f, new LatencyCodedImages(images, LABELS, 3, new LatencyEncoder(6)).fingerprint().orElseThrow(), "the steps");
        assertTrue(src.withCoding(SpikeCoding.HELD).fingerprint().orElseThrow().contains("held coding"));
        assertTrue(src.withTrainingDistortion(ImageDistortion.shift(1)).fingerprint().orElseThrow()
                .contains(", training distortion ImageDistortion[shift <= 1] (checksum "));
    }

    @Test
    void rejectsInconsistentData() {
        IdxImages images = images();
        assertIllegalArgument(() -> new LatencyCodedImages(images, new int[3], 3, ENCODER), "7 images but 3 labels");
        assertIllegalArgument(() -> new LatencyCodedImages(images, new int[] {0, 1, 2, 3, 0, 0, 0}, 3, ENCODER), "image 3 has label 3, expected in [0, 2]");
        assertIllegalArgument(() -> new LatencyCodedImages(images, LABELS, 1, ENCODER), "numClasses = 1");
        LatencyCodedImages src = new LatencyCodedImages(images, LABELS, 3, ENCODER);
        assertIllegalArgument(() -> src.batch(3, 3), "rows [3, 3)");
        assertIllegalArgument(() -> src.batch(0, 8), "to <= 7");
        assertIllegalArgument(() -> src.nextBatch(0, new SplittableRandom(1)), "maxRows = 0");
    }
}
