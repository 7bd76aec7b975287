package org.rankcoding.datasets.ucr;

import org.rankcoding.testing.UcrData;
import org.junit.jupiter.api.Test;
import org.rankcoding.data.InMemorySequences;
import org.rankcoding.data.LabeledSequence;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TsReader} on the five sample data sets of the UCR/UEA archive: counts, lengths, dimensions, class names and
 * class counts as documented in {@code shared/datasets/ucr/README.md} and the archive's headers.
 */
public class TsReaderArchiveTest {

    private static TimeSeriesSet read(String name, String split) throws IOException {
        return TsReader.read(UcrData.file(name, split));
    }

    private static void check(TimeSeriesSet set, String name, int dims, List<String> classes, int size, int minLength,
                              int maxLength, int[] classCounts) {
        assertEquals(name, set.problemName());
        assertEquals(dims, set.dimensions(), "dimensions");
        assertEquals(classes, set.classNames(), "class names in @classLabel order");
        assertEquals(size, set.size(), "series");
        assertEquals(minLength, set.minLength(), "shortest series");
        assertEquals(maxLength, set.maxLength(), "longest series");
        assertArrayEquals(classCounts, set.classCounts(), "series per class");
        assertEquals(0, set.missingCount(), "missing values");
    }

    @Test
    void gunPoint() throws IOException {
        TimeSeriesSet train = read("GunPoint", "TRAIN");
        check(train, "GunPoint", 1, List.of("1", "2"), 50, 150, 150, new int[] {24, 26});
        check(read("GunPoint", "TEST"), "GunPoint", 1, List.of("1", "2"), 150, 150, 150, new int[] {76, 74});
        assertEquals(-0.6478854, train.series(0)[0][0], 0.0, "first value of the training file");
        assertEquals("GunPoint: 50 series, 1 dimension, length 150, 2 classes", train.toString());
    }

    @Test
    void italyPowerDemand() throws IOException {
        check(read("ItalyPowerDemand", "TRAIN"), "ItalyPowerDemand", 1, List.of("1", "2"), 67, 24, 24, new int[] {34, 33});
        check(read("ItalyPowerDemand", "TEST"), "ItalyPowerDemand", 1, List.of("1", "2"), 1029, 24, 24, new int[] {513, 516});
    }

    @Test
    void arrowHeadWithoutLengthInItsHeader() throws IOException {
        List<String> classes = List.of("0", "1", "2");
        check(read("ArrowHead", "TRAIN"), "ArrowHead", 1, classes, 36, 251, 251, new int[] {12, 12, 12});
        check(read("ArrowHead", "TEST"), "ArrowHead", 1, classes, 175, 251, 251, new int[] {69, 53, 53});
    }

    @Test
    void basicMotionsSixChannelsStringLabels() throws IOException {
        List<String> classes = List.of("Standing", "Running", "Walking", "Badminton");
        TimeSeriesSet train = read("BasicMotions", "TRAIN");
        check(train, "BasicMotions", 6, classes, 40, 100, 100, new int[] {10, 10, 10, 10});
        check(read("BasicMotions", "TEST"), "BasicMotions", 6, classes, 40, 100, 100, new int[] {10, 10, 10, 10});
        InMemorySequences seq = train.toSequences(MissingValues.REFUSE);
        assertEquals(6, seq.inputSize());
        assertEquals(4, seq.numClasses());
        List<LabeledSequence> rows = train.toLabeledSequences(MissingValues.REFUSE);
        assertEquals(100, rows.get(0).length());
        for (int c = 0; c < 6; c++) {
            assertEquals(train.series(0)[c][7], rows.get(0).steps()[7][c], 0.0, "time-major step 8, channel " + (c + 1));
        }
    }

    @Test
    void japaneseVowelsVariableLength() throws IOException {
        List<String> classes = List.of("1", "2", "3", "4", "5", "6", "7", "8", "9");
        TimeSeriesSet train = read("JapaneseVowels", "TRAIN");
        check(train, "JapaneseVowels", 12, classes, 270, 7, 26, new int[] {30, 30, 30, 30, 30, 30, 30, 30, 30});
        TimeSeriesSet test = read("JapaneseVowels", "TEST");
        assertEquals(370, test.size());
        assertEquals(7, test.minLength());
        assertEquals(29, test.maxLength());
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int count : test.classCounts()) {
            min = Math.min(min, count);
            max = Math.max(max, count);
        }
        assertEquals(24, min, "smallest test class");
        assertEquals(88, max, "largest test class");
        List<LabeledSequence> rows = test.toLabeledSequences(MissingValues.REFUSE);
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(test.length(i), rows.get(i).length(), "each sequence keeps its own length");
            assertEquals(12, rows.get(i).inputSize());
        }
        assertTrue(rows.stream().anyMatch(r -> r.length() != rows.get(0).length()));
    }
}
