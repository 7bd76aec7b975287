package org.rankcoding.audio;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/** {@link FeatureNormalizer}: statistics over all steps of all sequences, applied per feature. */
class FeatureNormalizerTest {

    @Test
    void fitsMeanAndPopulationStdPerFeatureOverAllSteps() {
        // feature 0: 1, 2, 3, 6 -> mean 3, variance (4 + 1 + 0 + 9) / 4 = 3.5; feature 1: constant 7
        List<double[][]> seqs = List.of(
                new double[][] {{1, 7}, {2, 7}},
                new double[][] {{3, 7}},
                new double[][] {{6, 7}});
        FeatureNormalizer n = FeatureNormalizer.fit(seqs);
        assertArrayEquals(new double[] {3, 7}, n.mean());
        assertArrayEquals(new double[] {Math.sqrt(3.5), 1.0}, n.std(), 1e-15);
        assertEquals(2, n.size());

        double[][] applied = n.apply(seqs.get(0));
        assertArrayEquals(new double[] {-2 / Math.sqrt(3.5), 0}, applied[0], 1e-15);
        assertArrayEquals(new double[] {1, 7}, seqs.get(0)[0], "apply leaves its input alone");
        double[][] inPlace = {{6, 8}};
        n.applyInPlace(inPlace);
        assertArrayEquals(new double[] {3 / Math.sqrt(3.5), 1}, inPlace[0], 1e-15);
        double[] rowMajor = {3, 7, 6, 8};
        n.applyRowMajorInPlace(rowMajor);
        assertArrayEquals(new double[] {0, 0, 3 / Math.sqrt(3.5), 1}, rowMajor, 1e-15);
    }

    @Test
    void standardisedTrainingDataHasMeanZeroAndStdOne() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(4);
        double[][] a = new double[50][3];
        double[][] b = new double[70][3];
        for (double[][] s : List.of(a, b)) {
            for (double[] x : s) {
                x[0] = -14 + 0.5 * rng.nextGaussian();
                x[1] = 1e4 + 1e-3 * rng.nextGaussian();   // large offset, small spread: the two-pass variance keeps it
                x[2] = 5 * rng.nextDouble();
            }
        }
        FeatureNormalizer n = FeatureNormalizer.fit(List.of(a, b));
        double[] sum = new double[3];
        double[] sq = new double[3];
        for (double[][] s : List.of(n.apply(a), n.apply(b))) {
            for (double[] x : s) {
                for (int i = 0; i < 3; i++) {
                    sum[i] += x[i];
                    sq[i] += x[i] * x[i];
                }
            }
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(0, sum[i] / 120, 1e-6, "mean of feature " + i);
            assertEquals(1, sq[i] / 120, 1e-6, "variance of feature " + i);
        }
    }

    @Test
    void fitsRowMajorArraysLikeSequences() {
        List<double[][]> seqs = List.of(new double[][] {{1, 7}, {2, 5}}, new double[][] {{3, 9}});
        FeatureNormalizer a = FeatureNormalizer.fit(seqs);
        FeatureNormalizer b = FeatureNormalizer.fitRowMajor(List.of(new double[] {1, 7, 2, 5}, new double[] {3, 9}), 2);
        assertArrayEquals(a.mean(), b.mean());
        assertArrayEquals(a.std(), b.std());
        assertThrows(IllegalArgumentException.class, () -> FeatureNormalizer.fitRowMajor(List.of(new double[3]), 2));
        assertThrows(IllegalArgumentException.class, () -> FeatureNormalizer.fitRowMajor(List.of(new double[2]), 0));
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> FeatureNormalizer.fit(List.of()));
        assertThrows(IllegalArgumentException.class, () -> FeatureNormalizer.fit(List.<double[][]>of(new double[0][])));
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class,
                () -> FeatureNormalizer.fit(List.of(new double[][] {{1, 2}}, new double[][] {{1, 2, 3}})));
        assertTrue(mixed.getMessage().contains("sequence 1 step 0 has 3 features, expected 2"), mixed.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FeatureNormalizer.fit(List.<double[][]>of(new double[][] {{Double.NaN}})));
        assertThrows(IllegalArgumentException.class, () -> new FeatureNormalizer(new double[] {0}, new double[] {0}));
        assertThrows(IllegalArgumentException.class, () -> new FeatureNormalizer(new double[] {0}, new double[] {1, 1}));
        FeatureNormalizer n = new FeatureNormalizer(new double[] {0, 0}, new double[] {1, 1});
        assertThrows(IllegalArgumentException.class, () -> n.applyInPlace(new double[][] {{1}}));
        assertThrows(IllegalArgumentException.class, () -> n.applyRowMajorInPlace(new double[3]));
    }

    @Test
    void copiesItsArrays() {
        double[] mean = {1};
        FeatureNormalizer n = new FeatureNormalizer(mean, new double[] {2});
        mean[0] = 5;
        assertEquals(1, n.mean()[0]);
        n.mean()[0] = 9;
        assertEquals(1, n.mean()[0]);
    }

    @Test
    void refusesStatisticsThatAreNotFinite() {
        assertIllegalArgument(() -> new FeatureNormalizer(new double[] {0, Double.NaN}, new double[] {1, 1}), "feature 1", "mean NaN",
                "finite");
        assertIllegalArgument(() -> new FeatureNormalizer(new double[] {0, 0}, new double[] {Double.POSITIVE_INFINITY, 1}),
                "feature 0", "std Infinity", "finite std > 0");
        assertIllegalArgument(() -> new FeatureNormalizer(new double[] {Double.NEGATIVE_INFINITY}, new double[] {1}), "mean -Infinity");
    }
}
