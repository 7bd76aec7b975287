package org.rankcoding.datasets.ucr;

import org.rankcoding.testing.UcrData;
import org.junit.jupiter.api.Test;
import org.rankcoding.data.LabeledSequence;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/**
 * Normalisation that never looks into a series' future: {@link CausalStandardiser} (the value at step t does not
 * change when later steps change), {@link TrainChannelStatistics} (statistics of the training set only), the
 * {@link Normalisation} choice and the {@link MissingValues} policies.
 */
public class NormalisationTest {

    private static final List<String> CLASSES = List.of("a", "b");

    private static double[][] randomSeries(Random rng, int channels, int length, double scale, double offset) {
        double[][] s = new double[channels][length];
        for (int c = 0; c < channels; c++) {
            for (int t = 0; t < length; t++) {
                s[c][t] = offset + (c + 1) * scale * rng.nextGaussian();
            }
        }
        return s;
    }

    private static TimeSeriesSet set(double[][]... series) {
        int[] labels = new int[series.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 2;
        }
        return new TimeSeriesSet("T", CLASSES, List.<double[][]>of(series), labels);
    }

    /** Asserts that step t of {@code normaliser}'s output is unchanged by any change after step t, for every t. */
    private static void assertCausal(SeriesNormaliser normaliser, double[][] series, Random rng) {
        double[][] reference = normaliser.normalise(series);
        int length = series[0].length;
        for (int t = 0; t < length; t++) {
            double[][] changed = new double[series.length][];
            for (int c = 0; c < series.length; c++) {
                changed[c] = series[c].clone();
                for (int u = t + 1; u < length; u++) {
                    changed[c][u] = rng.nextBoolean() ? 1000 * rng.nextGaussian() : Double.NaN;
                }
            }
            double[][] out = normaliser.normalise(changed);
            for (int c = 0; c < series.length; c++) {
                for (int u = 0; u <= t; u++) {
                    assertEquals(reference[c][u], out[c][u], 0.0, "channel " + c + ", step " + u + " after changing steps > " + t);
                }
            }
        }
    }

    // ------------------------------------------------------------------ causal per-series standardisation

    @Test
    void causalValueAtStepTDoesNotDependOnLaterSteps() {
        Random rng = new Random(1);
        double[][] series = randomSeries(rng, 3, 40, 2.0, 5.0);
        series[1][7] = Double.NaN;
        assertCausal(new CausalStandardiser(), series, rng);
        assertCausal(new CausalStandardiser(5, 1e-3), series, rng);
    }

    @Test
    void causalUsesTheRunningStatisticsOfThePrefix() {
        double[][] z = new CausalStandardiser().normalise(new double[][] {{1, 3, 5, 5}});
        assertEquals(0.0, z[0][0], 0.0, "one value: no spread, 0");
        assertEquals(1.0, z[0][1], 1e-7, "prefix 1,3: mean 2, std 1");
        assertEquals(2.0 / Math.sqrt(8.0 / 3.0), z[0][2], 1e-7, "prefix 1,3,5: mean 3, variance 8/3");
        assertEquals((5 - 3.5) / Math.sqrt(2.75), z[0][3], 1e-7, "prefix 1,3,5,5: mean 3.5, variance 2.75");
    }

    @Test
    void causalWarmUpGivesZeroUntilEnoughValuesAreSeen() {
        double[][] z = new CausalStandardiser(3, 1e-8).normalise(new double[][] {{Double.NaN, 1, 3, 5}});
        assertTrue(Double.isNaN(z[0][0]), "a missing value stays missing");
        assertEquals(0.0, z[0][1], 0.0, "1 value seen");
        assertEquals(0.0, z[0][2], 0.0, "2 values seen, warm-up 3");
        assertEquals(2.0 / Math.sqrt(8.0 / 3.0 + 1e-8), z[0][3], 1e-12, "3 values seen");
        double[][] flat = new CausalStandardiser().normalise(new double[][] {{4, 4, 4}});
        assertArrayEquals(new double[] {0, 0, 0}, flat[0], 0.0, "a flat prefix gives 0, not a division by zero");
    }

    @Test
    void causalRefusesBadParameters() {
        assertIllegalArgument(() -> new CausalStandardiser(0, 1e-8), "warmUpSteps = 0, expected in [1, 1000000]");
        assertIllegalArgument(() -> new CausalStandardiser(2, 0), "epsilon = 0.0, expected a finite value > 0");
        assertIllegalArgument(() -> new CausalStandardiser(2, Double.NaN), "epsilon = NaN");
    }

    // ------------------------------------------------------------------ training-set statistics

    @Test
    void trainStatisticsComeFromTheTrainingSetOnly() {
        Random rng = new Random(2);
        TimeSeriesSet train = set(randomSeries(rng, 2, 30, 1.0, 0.0), randomSeries(rng, 2, 20, 1.0, 0.0));
        TimeSeriesSet test = set(randomSeries(rng, 2, 30, 50.0, 100.0), randomSeries(rng, 2, 25, 50.0, 100.0));
        TrainChannelStatistics stats = TrainChannelStatistics.fit(train);
        TimeSeriesSet normalisedTest = stats.apply(test);
        TrainChannelStatistics again = TrainChannelStatistics.fit(train);
        for (int c = 0; c < 2; c++) {
            assertEquals(again.mean(c), stats.mean(c), 0.0, "applying to the test set changes nothing");
            assertEquals(again.scale(c), stats.scale(c), 0.0);
        }
        TrainChannelStatistics withOtherTest = Normalisation.TRAIN.fit(train) instanceof TrainChannelStatistics t ? t : null;
        assertEquals(stats.mean(0), withOtherTest.mean(0), 0.0);
        // the normalised training set has mean 0 and standard deviation 1 per channel; the test set keeps its offset
        TimeSeriesSet normalisedTrain = stats.apply(train);
        for (int c = 0; c < 2; c++) {
            double[] moments = moments(normalisedTrain, c);
            assertEquals(0.0, moments[0], 1e-9, "train mean, channel " + c);
            assertEquals(1.0, moments[1], 1e-9, "train std, channel " + c);
            assertTrue(moments(normalisedTest, c)[0] > 20, "the test set's offset is not normalised away");
        }
        assertCausal(stats, test.series(0), rng);
    }

    @Test
    void trainStatisticsPerChannelMatchTheDefinition() {
        TimeSeriesSet train = set(new double[][] {{1, 2, 3}, {10, 10, 10}}, new double[][] {{5, Double.NaN}, {10, 10}});
        TrainChannelStatistics stats = TrainChannelStatistics.fit(train);
        assertEquals(2.75, stats.mean(0), 1e-12, "mean of 1, 2, 3, 5 (the missing value skipped)");
        assertEquals(Math.sqrt((1.75 * 1.75 + 0.75 * 0.75 + 0.25 * 0.25 + 2.25 * 2.25) / 4), stats.scale(0), 1e-12);
        assertEquals(10.0, stats.mean(1), 0.0);
        assertEquals(1.0, stats.scale(1), 0.0, "a constant channel is only centred");
        double[][] z = stats.normalise(new double[][] {{2.75, Double.NaN}, {11, 9}});
        assertEquals(0.0, z[0][0], 0.0);
        assertTrue(Double.isNaN(z[0][1]));
        assertArrayEquals(new double[] {1, -1}, z[1], 0.0);
        assertIllegalArgument(() -> stats.normalise(new double[][] {{1}}), "the series has 1 channels, but the statistics"
                + " were computed on 2");
    }

    private static double[] moments(TimeSeriesSet set, int c) {
        double sum = 0;
        double sq = 0;
        long n = 0;
        for (int i = 0; i < set.size(); i++) {
            for (double v : set.series(i)[c]) {
                sum += v;
                sq += v * v;
                n++;
            }
        }
        double mean = sum / n;
        return new double[] {mean, Math.sqrt(sq / n - mean * mean)};
    }

    @Test
    void trainStatisticsOnARealDataSet() throws IOException {
        TimeSeriesSet train = TsReader.read(UcrData.file("BasicMotions", "TRAIN"));
        TimeSeriesSet normalised = Normalisation.TRAIN.fit(train).apply(train);
        for (int c = 0; c < train.dimensions(); c++) {
            double[] m = moments(normalised, c);
            assertEquals(0.0, m[0], 1e-9, "channel " + c);
            assertEquals(1.0, m[1], 1e-9, "channel " + c);
        }
        assertEquals(train.classNames(), normalised.classNames());
        assertArrayEquals(train.labels(), normalised.labels());
    }

    // ------------------------------------------------------------------ choice by name

    @Test
    void normalisationByName() {
        assertSame(Normalisation.TRAIN, Normalisation.parse("train"));
        assertSame(Normalisation.CAUSAL, Normalisation.parse("CAUSAL"));
        assertSame(Normalisation.NONE, Normalisation.parse("none"));
        assertSame(Normalisation.TRAIN, Normalisation.DEFAULT, "the measured default");
        assertIllegalArgument(() -> Normalisation.parse("zscore"), "normalisation 'zscore' is unknown, expected train",
                "causal", "none");
        double[][] s = {{1, 2, 3}};
        assertSame(s, Normalisation.NONE.fit(set(s, s)).normalise(s));
        assertTrue(Normalisation.CAUSAL.fit(set(s, s)) instanceof CausalStandardiser);
    }

    // ------------------------------------------------------------------ missing values

    @Test
    void carryForwardFillsCausallyWithZeroBeforeTheFirstValue() {
        double nan = Double.NaN;
        TimeSeriesSet s = set(new double[][] {{nan, nan, 1, nan, 2}, {3, nan, nan, 4, nan}}, new double[][] {{1}, {2}});
        List<LabeledSequence> rows = s.toLabeledSequences(MissingValues.CARRY_FORWARD);
        double[][] steps = rows.get(0).steps();
        double[] channel0 = new double[5];
        double[] channel1 = new double[5];
        for (int t = 0; t < 5; t++) {
            channel0[t] = steps[t][0];
            channel1[t] = steps[t][1];
        }
        assertArrayEquals(new double[] {0, 0, 1, 1, 2}, channel0, 0.0);
        assertArrayEquals(new double[] {3, 3, 3, 4, 4}, channel1, 0.0);
        assertTrue(Double.isNaN(s.series(0)[0][0]), "the set itself is not modified");
        assertIllegalArgument(() -> s.toLabeledSequences(MissingValues.REFUSE), "series 0, step 1, channel 1 is missing",
                "MissingValues.CARRY_FORWARD");
        assertIllegalArgument(() -> s.toLabeledSequences(null), "missing is null");
    }

    @Test
    void missingValuesFromAFileEndToEnd(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
        java.nio.file.Path file = dir.resolve("M_TRAIN.ts");
        java.nio.file.Files.writeString(file, "@problemName M\n@missing true\n@classLabel true a b\n@data\n"
                + "?,2,?,4:a\n1,?,3,5:b\n");
        TimeSeriesSet train = TsReader.read(file);
        TimeSeriesSet normalised = new CausalStandardiser().apply(train);
        double[][] steps = normalised.toLabeledSequences(MissingValues.CARRY_FORWARD).get(0).steps();
        assertEquals(0.0, steps[0][0], 0.0, "leading missing value: 0 after normalisation");
        assertEquals(0.0, steps[1][0], 0.0, "first observed value: warm-up");
        assertEquals(0.0, steps[2][0], 0.0, "carried forward");
        assertEquals(1.0, steps[3][0], 1e-7, "prefix 2, 4: mean 3, std 1");
    }

    // ------------------------------------------------------------------ the set itself

    @Test
    void timeSeriesSetRefusesInconsistentShapes() {
        assertIllegalArgument(() -> new TimeSeriesSet("T", List.of("a"), List.<double[][]>of(new double[][] {{1}}), new int[] {0}),
                "expected at least 2 distinct class names");
        assertIllegalArgument(() -> new TimeSeriesSet("T", CLASSES, List.<double[][]>of(new double[][] {{1}}), new int[] {2}),
                "series 0 has label 2, expected in [0, 1]");
        assertIllegalArgument(() -> set(new double[][] {{1}}, new double[][] {{1}, {2}}), "series 1 has 2 channels, expected 1");
        assertIllegalArgument(() -> set(new double[][] {{1, 2}, {3}}), "series 0, channel 1 has 1 steps");
        assertIllegalArgument(() -> set(new double[][] {{1, Double.POSITIVE_INFINITY}}), "step 1 is Infinity");
        TimeSeriesSet s = set(new double[][] {{1, 2}}, new double[][] {{3}});
        assertIllegalArgument(() -> s.withSeries(new ArrayList<>(List.<double[][]>of(new double[][] {{1}}))), "1 series given, expected 2");
        assertIllegalArgument(() -> s.subset(new int[] {2}), "index 2 at position 0, expected in [0, 1]");
        assertEquals(1, s.subset(new int[] {1}).size());
        assertEquals(1, s.subset(new int[] {1}).label(0));
    }
}
