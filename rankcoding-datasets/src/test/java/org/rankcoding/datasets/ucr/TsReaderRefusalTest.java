package org.rankcoding.datasets.ucr;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;
import static org.rankcoding.testing.Refusals.assertRefusal;

/**
 * {@link TsReader} on crafted files: every malformed or hostile file is refused with a one-line
 * {@link TsFormatException} naming the file, the line and the field; valid variations (missing values, CRLF, a
 * byte-order mark, comments, spaces, upper-case keywords) are read.
 */
public class TsReaderRefusalTest {

    @TempDir
    Path dir;

    private static final String HEADER = "# a crafted file\n@problemName Bad\n@timeStamps false\n@univariate true\n"
            + "@equalLength true\n@seriesLength 3\n@classLabel true a b\n@data\n";

    private Path write(String content) throws IOException {
        return write(content.getBytes(StandardCharsets.UTF_8));
    }

    private Path write(byte[] content) throws IOException {
        Path file = dir.resolve("Bad_TRAIN.ts");
        Files.write(file, content);
        return file;
    }

    /** Asserts that reading {@code content} is refused at {@code line} with a one-line message holding the fragments. */
    private TsFormatException refuse(String content, int line, String... fragments) throws IOException {
        return refuse(write(content), TsLimits.DEFAULT, line, fragments);
    }

    private TsFormatException refuse(Path file, TsLimits limits, int line, String... fragments) {
        TsFormatException e = assertRefusal(TsFormatException.class, () -> TsReader.read(file, limits), fragments);
        String start = file + " line " + line;
        assertTrue(e.getMessage().startsWith(start + ",") || e.getMessage().startsWith(start + ":"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertEquals(line, e.line());
        assertEquals(file, e.file());
        return e;
    }

    private TimeSeriesSet read(String content) throws IOException {
        return TsReader.read(write(content));
    }

    // ------------------------------------------------------------------ values

    @Test
    void valueThatIsNotANumber() throws IOException {
        TsFormatException e = refuse(HEADER + "1,2,3:a\n0.1,abc,0.3:b\n", 10, "Bad_TRAIN.ts line 10, dimension 1, value 2:",
                "'abc' is not a number");
        assertEquals(dir.resolve("Bad_TRAIN.ts") + " line 10, dimension 1, value 2: 'abc' is not a number", e.getMessage());
    }

    @Test
    void javaSpellingsOfNumbersAreNotNumbers() throws IOException {
        for (String bad : new String[] {"NaN", "Infinity", "-Infinity", "0x1p3", "1d", "1f", "1e", "--1", "1.2.3", ".", "+"}) {
            refuse(HEADER + "1,2," + bad + ":a\n", 9, "dimension 1, value 3: '" + bad + "' is not a number");
        }
        refuse(HEADER + "1,2,1e999:a\n", 9, "value 3: '1e999' is beyond the range of a double");
        refuse(HEADER + "1,,3:a\n", 9, "dimension 1, value 2: empty, expected a number (or ? for a missing value)");
        refuse(HEADER + "1,2,3,:a\n", 9, "value 4: empty");
    }

    @Test
    void longBadValueIsQuotedShort() throws IOException {
        TsFormatException e = refuse(HEADER + "1,2," + "x".repeat(5000) + ":a\n", 9, "value 3:", "(5000 characters)");
        assertTrue(e.getMessage().length() < 300, e.getMessage());
    }

    @Test
    void missingValueWhereTheHeaderSaysNone() throws IOException {
        refuse(HEADER.replace("@univariate", "@missing false\n@univariate") + "1,?,3:a\n", 10,
                "dimension 1, value 2: '?' (a missing value), but the header says @missing false");
    }

    // ------------------------------------------------------------------ shape

    @Test
    void wrongDimensionCount() throws IOException {
        String header = "@problemName Bad\n@univariate false\n@dimensions 2\n@classLabel true a b\n@data\n";
        refuse(header + "1,2:3,4:5,6:a\n", 6, "more than 2 dimensions before the class label, expected 2 (@dimensions 2 on line 3)");
        refuse(header + "1,2:a\n", 6, "1 dimension before the class label, expected 2 (@dimensions 2 on line 3)");
        refuse(HEADER + "1,2,3:4,5,6:a\n", 9, "expected 1 (@univariate true on line 4)");
        String undeclared = "@problemName Bad\n@univariate false\n@classLabel true a b\n@data\n";
        refuse(undeclared + "1:2:a\n1:2:3:b\n", 6, "expected 2 (like the first series, line 5)");
    }

    @Test
    void lengthMismatch() throws IOException {
        refuse(HEADER + "1,2,3:a\n1,2:b\n", 10, ", dimension 1: 2 values, expected 3 (@seriesLength 3 on line 6)");
        String equal = "@problemName Bad\n@equalLength true\n@classLabel true a b\n@data\n";
        refuse(equal + "1,2:a\n1,2,3:b\n", 6, "dimension 1: 3 values, expected 2 (@equalLength true, and the first series,"
                + " line 5, has 2)");
        String multi = "@problemName Bad\n@dimensions 2\n@classLabel true a b\n@data\n";
        refuse(multi + "1,2,3:4,5:a\n", 5, ", dimension 2: 2 values, but dimension 1 has 3");
    }

    @Test
    void variableLengthIsReadWhenNotDeclaredEqual() throws IOException {
        TimeSeriesSet set = read("@problemName V\n@equalLength false\n@classLabel true a b\n@data\n1,2:a\n1,2,3,4:b\n");
        assertEquals(2, set.minLength());
        assertEquals(4, set.maxLength());
    }

    @Test
    void undeclaredLabel() throws IOException {
        refuse(HEADER + "1,2,3:a\n1,2,3:c\n", 10, ", class label: 'c' is not declared by @classLabel on line 7 (declared: a, b)");
        refuse(HEADER + "1,2,3:\n", 9, "class label: '' is not declared");
        refuse(HEADER + "1,2,3\n", 9, "no ':' in the line");
    }

    // ------------------------------------------------------------------ header

    @Test
    void missingDataLine() throws IOException {
        refuse("@problemName Bad\n@classLabel true a b\n", 3, "end of file without a @data line");
        refuse("@problemName Bad\n@classLabel true a b\n1,2,3:a\n", 3, "expected a header line starting with @",
                "is the @data line missing?");
    }

    @Test
    void dataWithoutSeries() throws IOException {
        refuse("@problemName Bad\n@classLabel true a b\n@data\n\n# nothing\n", 3, "@data is not followed by any series");
    }

    @Test
    void headerDefects() throws IOException {
        refuse("@problemName Bad\n@timeStamps true\n@classLabel true a b\n@data\n", 2, "@timeStamps true", "not supported");
        refuse("@problemName Bad\n@classLabel false\n@data\n", 2, "@classLabel false", "not supported");
        refuse("@problemName Bad\n@targetLabel true\n@data\n", 2, "regression", "not supported");
        refuse("@problemName Bad\n@classLabel true a\n@data\n", 2, "declares 1 class label, expected at least 2");
        refuse("@problemName Bad\n@classLabel true a b a\n@data\n", 2, "@classLabel, label 3: 'a' is declared twice");
        refuse("@problemName Bad\n@data\n1:a\n", 2, "@data before @classLabel");
        refuse("@problemName Bad\n@univariate maybe\n", 2, "@univariate: 'maybe' is not true or false");
        refuse("@problemName Bad\n@colour red\n", 2, "unknown header keyword '@colour'");
        refuse("@problemName Bad\n@problemName Other\n", 2, "given a second time (first on line 1)");
        refuse("@univariate true\n@dimensions 3\n", 2, "@univariate true but @dimensions 3");
        refuse("@equalLength false\n@seriesLength 3\n", 2, "@equalLength false but @seriesLength 3");
        refuse("@seriesLength -3\n", 1, "@seriesLength: '-3' is not a whole number >= 1");
        refuse("@seriesLength 0\n", 1, "@seriesLength: 0, expected a whole number >= 1");
        refuse("@problemName\n", 1, "@problemName: expected one name without spaces, found 0 values");
    }

    @Test
    void hugeDeclaredSizesAreRefusedAtTheirLine() throws IOException {
        refuse("@problemName Bad\n@seriesLength 99999999999\n", 2,
                "@seriesLength: 99999999999 is more than the limit of 1000000 (TsLimits.maxSeriesLength)");
        refuse("@problemName Bad\n@dimensions 2000000000\n", 2, "@dimensions: 2000000000 is more than the limit of 10000"
                + " (TsLimits.maxDimensions)");
        refuse("@dimension 99999999999999999999999999999\n", 1, "more than the limit of 10000");
        StringBuilder labels = new StringBuilder("@classLabel true");
        for (int k = 0; k <= TsReader.MAX_CLASSES; k++) {
            labels.append(' ').append(k);
        }
        refuse(labels + "\n", 1, "more than 100000 values on one header line, the limit of class labels (TsReader.MAX_CLASSES)");
    }

    // ------------------------------------------------------------------ bounds while reading

    @Test
    void veryLongLine() throws IOException {
        Path file = write(HEADER + "1,".repeat(100) + "1:a\n");
        refuse(file, new TsLimits(64, 10, 10, 10, 100), 9, "longer than the limit of 64 characters (TsLimits.maxLineChars)");
    }

    @Test
    void dataBeyondTheLimits() throws IOException {
        String open = "@problemName Bad\n@classLabel true a b\n@data\n";
        TsLimits limits = new TsLimits(1000, 2, 5, 3, 12);
        refuse(write(open + "1:a\n1:a\n1:b\n"), limits, 6, "more than 2 series, the limit (TsLimits.maxSeries)");
        refuse(write(open + "1,2,3,4,5,6:a\n"), limits, 4, "dimension 1: more than 5 values, the limit (TsLimits.maxSeriesLength)");
        refuse(write(open + "1:2:3:4:a\n"), limits, 4, "more than 3 dimensions, the limit (TsLimits.maxDimensions)");
        refuse(write(open + "1,2,3,4,5:1,2,3,4,5:a\n1,2,3,4,5:1,2,3,4,5:b\n"), limits, 5,
                "dimension 1: more than 12 values in the file, the limit (TsLimits.maxTotalValues)");
    }

    @Test
    void limitsAreValidated() {
        assertIllegalArgument(() -> new TsLimits(10, 1, 1, 1, 1), "maxLineChars = 10, expected in [64, 268435456]");
        assertIllegalArgument(() -> new TsLimits(64, 0, 1, 1, 1), "maxSeries = 0, expected >= 1");
        assertIllegalArgument(() -> TsReader.read(null), "file and limits must not be null");
    }

    // ------------------------------------------------------------------ not text at all

    @Test
    void emptyFile() throws IOException {
        refuse(write(new byte[0]), TsLimits.DEFAULT, 1, "the file is empty (0 bytes)");
    }

    @Test
    void binaryGarbage() throws IOException {
        byte[] garbage = new byte[4096];
        new Random(16).nextBytes(garbage);
        refuse(write(garbage), TsLimits.DEFAULT, 1, "Bad_TRAIN.ts line 1");
        byte[] gzip = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
        refuse(write(gzip), TsLimits.DEFAULT, 1, "control character U+001F", "compressed");
        refuse("@problemName Bad\n@classLabel true a b\n@data\n1,2\u00003:a\n", 4, "column 4: control character U+0000");
        byte[] latin1 = "@problemName Bad\n# caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        refuse(write(latin1), TsLimits.DEFAULT, 2, "not valid UTF-8 text");
        refuse("@problemName Bad\r@classLabel true a b\r@data\r", 1, "a carriage return inside the line");
    }

    // ------------------------------------------------------------------ valid variations

    @Test
    void validVariationsAreRead() throws IOException {
        String text = "\uFEFF# caf\u00e9 comment\r\n@PROBLEMNAME Mixed\r\n@TimeStamps FALSE\r\n@missing TRUE\r\n"
                + "@univariate False\r\n@dimension 2\r\n@classLabel True b a\r\n@DATA\r\n"
                + " 1.5 , -2e-1 , ? : +3,4.,.5 : a \r\n\r\n# a comment among the data\r\n?,1,2:3,?,4:b";
        TimeSeriesSet set = read(text);
        assertEquals("Mixed", set.problemName());
        assertEquals(java.util.List.of("b", "a"), set.classNames());
        assertEquals(2, set.size());
        assertEquals(1, set.label(0), "label 'a' is the second @classLabel, whatever comes first in the data");
        assertEquals(0, set.label(1));
        assertEquals(-0.2, set.series(0)[0][1], 0.0);
        assertTrue(Double.isNaN(set.series(0)[0][2]));
        assertEquals(0.5, set.series(0)[1][2], 0.0);
        assertEquals(3, set.missingCount());
    }

    @Test
    void problemNameFromTheFileWhenTheHeaderHasNone() throws IOException {
        assertEquals("Bad", read("@classLabel true a b\n@data\n1:a\n").problemName());
    }

    @Test
    void aDirectoryIsNotAFile() {
        assertRefusal(IOException.class, () -> TsReader.read(dir), "is a directory, expected a .ts file");
    }
}
