package org.rankcoding.io;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rankcoding.testing.Refusals.assertRefusal;

/** Every metadata number is read one way, and a bad one is refused naming the file, the key, the value and the kind. */
class MetadataNumbersTest {

    private static final Path FILE = Path.of("dir", "m.safetensors");
    private final MetadataNumbers numbers = new MetadataNumbers(FILE);

    @Test
    void goodNumbersReadBackAsWritten() throws ModelFileException {
        assertEquals(-7, numbers.integer("k", "-7", -10, 10));
        assertEquals(Long.MIN_VALUE, numbers.integer("k", Long.toString(Long.MIN_VALUE), Long.MIN_VALUE, Long.MAX_VALUE));
        assertEquals(125, numbers.positiveInt("hidden_size", "125"));
        assertEquals(1.0E-4, numbers.decimal("k", Double.toString(1.0E-4)));
        assertEquals(Double.NEGATIVE_INFINITY, numbers.number("k", "-Infinity"));
        assertEquals(Double.NaN, numbers.number("k", "NaN"));
        assertArrayEquals(new double[] {0.5, -2.0, 16000}, numbers.decimals("k", "0.5,-2.0,16000"));
    }

    @Test
    void aBadNumberNamesTheFileTheKeyTheValueAndWhatWasExpected() {
        assertRefusal(ModelFileException.class, () -> numbers.positiveInt("hidden_size", "abc"),
                FILE + ": metadata 'hidden_size' is 'abc', expected a positive integer below 2^31");
        assertRefusal(ModelFileException.class, () -> numbers.integer("bins", "12", 1, 10),
                FILE + ": metadata 'bins' is '12', expected an integer in [1, 10]");
        assertRefusal(ModelFileException.class, () -> numbers.integer("seed", "99999999999999999999", Long.MIN_VALUE, Long.MAX_VALUE),
                "metadata 'seed' is '99999999999999999999', expected a 64-bit integer");
        assertRefusal(ModelFileException.class, () -> numbers.decimal("threshold", "NaN"),
                FILE + ": metadata 'threshold' is 'NaN', expected a decimal number");
        assertRefusal(NullPointerException.class, () -> numbers.decimal("threshold", null), "text is null");
        assertRefusal(ModelFileException.class, () -> numbers.number("lr", "0x1p-3"), "metadata 'lr' is '0x1p-3', expected a number");
        assertRefusal(ModelFileException.class, () -> numbers.decimals("kws.feature_std", "1.0,2.0,abc,4.0"),
                FILE + ": metadata 'kws.feature_std' value 2 (of 4) is 'abc', expected a decimal number");
        assertRefusal(ModelFileException.class, () -> numbers.decimals("kws.feature_std", "1.0,,2.0"), "value 1 (of 3) is ''");
        assertRefusal(ModelFileException.class, () -> numbers.decimal("k", "1".repeat(200)), "metadata 'k' is '111", "...'");
    }
}
