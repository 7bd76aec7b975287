package org.rankcoding.datasets.latency;

import org.junit.jupiter.api.Test;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.datasets.idx.IdxImages;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ImageDistortion} and training batches of {@link LatencyCodedImages} with a distortion. */
class ImageDistortionTest {

    private static final int R = 6;
    private static final int C = 5;

    /** A 6 x 5 image with one lit pixel at (row, col). */
    private static byte[] dot(int row, int col) {
        byte[] px = new byte[R * C];
        px[row * C + col] = (byte) 255;
        return px;
    }

    private static int litAt(byte[] px) {
        int at = -1;
        for (int p = 0; p < px.length; p++) {
            if (px[p] != 0) {
                assertEquals(-1, at, "more than one lit pixel");
                at = p;
            }
        }
        return at;
    }

    @Test
    void shiftsMoveTheImageByAtMostMaxShiftAndCoverEveryShift() {
        ImageDistortion d = ImageDistortion.shift(1);
        SplittableRandom rng = new SplittableRandom(5);
        boolean[][] seen = new boolean[3][3];
        byte[] out = new byte[R * C];
        for (int k = 0; k < 400; k++) {
            d.apply(dot(2, 2), 0, R, C, out, 0, rng);
            int at = litAt(out);
            int dr = at / C - 2;
            int dc = at % C - 2;
            assertTrue(Math.abs(dr) <= 1 && Math.abs(dc) <= 1, "shift " + dr + ", " + dc);
            seen[dr + 1][dc + 1] = true;
        }
        for (boolean[] row : seen) {
            for (boolean s : row) {
                assertTrue(s, "every shift in [-1, 1]^2 drawn in 400 tries");
            }
        }
    }

    @Test
    void pixelsShiftedOutAreLostAndBackgroundComesIn() {
        ImageDistortion d = ImageDistortion.shift(3);
        SplittableRandom rng = new SplittableRandom(1);
        byte[] out = new byte[R * C];
        int lost = 0;
        for (int k = 0; k < 200; k++) {
            d.apply(dot(0, 0), 0, R, C, out, 0, rng);
            int lit = 0;
            for (byte b : out) {
                lit += b != 0 ? 1 : 0;
            }
            lost += lit == 0 ? 1 : 0;
        }
        // the dot at the corner leaves the image for any negative shift on either axis: 1 - (4/7)^2 of the draws
        assertTrue(lost > 100 && lost < 170, lost + " of 200 lost");
    }

    @Test
    void elasticDistortionIsSmallForSmallAlphaAndKeepsValuesInRange() {
        byte[] src = new byte[R * C];
        new SplittableRandom(2).nextBytes(src);
        byte[] out = new byte[R * C];
        new ImageDistortion(0, 1e-9, 2).apply(src, 0, R, C, out, 0, new SplittableRandom(3));
        assertArrayEquals(src, out, "a vanishing displacement resamples at the pixel centres");
        new ImageDistortion(0, 30, 1.5).apply(src, 0, R, C, out, 0, new SplittableRandom(3));
        assertFalse(java.util.Arrays.equals(src, out), "a large displacement changes the image");
    }

    @Test
    void bilinearInterpolatesBetweenNeighbours() {
        byte[] src = {0, (byte) 200, (byte) 100, 0};
        assertEquals(100, ImageDistortion.bilinear(src, 0, 2, 2, 0, 0.5), 1e-12);
        assertEquals(50, ImageDistortion.bilinear(src, 0, 2, 2, 0.5, 0), 1e-12);
        assertEquals(75, ImageDistortion.bilinear(src, 0, 2, 2, 0.5, 0.5), 1e-12);
        assertEquals(0, ImageDistortion.bilinear(src, 0, 2, 2, -1, -1), 1e-12);
    }

    @Test
    void sameGeneratorSameDistortion() {
        byte[] src = new byte[R * C];
        new SplittableRandom(4).nextBytes(src);
        byte[] a = new byte[R * C];
        byte[] b = new byte[R * C];
        new ImageDistortion(2, 8, 1).apply(src, 0, R, C, a, 0, new SplittableRandom(9));
        new ImageDistortion(2, 8, 1).apply(src, 0, R, C, b, 0, new SplittableRandom(9));
        assertArrayEquals(a, b);
    }

    @Test
    void badSettingsAreRefusedWithTheValue() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ImageDistortion.shift(-1)).getMessage().contains("maxShift = -1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ImageDistortion(0, Double.NaN, 1)).getMessage().contains("alpha = NaN"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ImageDistortion(0, 3, 0)).getMessage().contains("sigma = 0.0"));
        new ImageDistortion(0, 0, 0); // sigma unused without an elastic part
    }

    @Test
    void trainingBatchesAreDistortedEvaluationBatchesAreNot() {
        int count = 4;
        byte[] px = new byte[count * R * C];
        for (int i = 0; i < count; i++) {
            px[i * R * C + 2 * C + 2] = (byte) 255;
        }
        IdxImages images = new IdxImages(count, R, C, px);
        int[] labels = {0, 1, 0, 1};
        LatencyEncoder enc = new LatencyEncoder(3);
        LatencyCodedImages plain = new LatencyCodedImages(images, labels, 2, enc);
        assertNull(plain.trainingDistortion());
        assertNull(plain.withTrainingDistortion(ImageDistortion.shift(0)).trainingDistortion(), "an identity distortion is dropped");
        ImageDistortion shift = ImageDistortion.shift(2);
        LatencyCodedImages aug = plain.withTrainingDistortion(shift);
        assertSame(shift, aug.trainingDistortion());

        SequenceBatch eval = aug.batch(0, count);
        assertArrayEquals(plain.batch(0, count).toDense().inputArray(), eval.toDense().inputArray(), "evaluation is never distorted");

        int moved = 0;
        SplittableRandom rng = new SplittableRandom(7);
        for (int k = 0; k < 20; k++) {
            SequenceBatch b = aug.nextBatch(count, rng);
            double[] x = b.toDense().inputArray();
            for (int r = 0; r < b.batchSize(); r++) {
                int lit = -1;
                for (int j = 0; j < R * C; j++) {
                    if (x[b.inputOffset(1, r) + j] != 0) {
                        lit = j;
                    }
                }
                // the bright dot fires at step 1 (index 0); the other pixels at the last step
                int first = -1;
                for (int j = 0; j < R * C; j++) {
                    if (x[b.inputOffset(0, r) + j] != 0) {
                        first = j;
                    }
                }
                assertEquals(-1, lit, "nothing fires at step 2");
                assertTrue(first >= 0, "the dot stays inside a 6 x 5 image under a shift of 2 from (2, 2)");
                assertTrue(Math.abs(first / C - 2) <= 2 && Math.abs(first % C - 2) <= 2);
                moved += first != 2 * C + 2 ? 1 : 0;
            }
        }
        assertTrue(moved > 40, moved + " of 80 training rows moved");
    }
}
