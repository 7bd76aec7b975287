package org.rankcoding.data;

import org.junit.jupiter.api.Test;
import org.rankcoding.testing.Refusals;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DataChecksum} and {@link InMemorySequences#fingerprint()}: equal data give equal fingerprints, a change of one
 * value, one label, the order or the split between arrays gives another.
 */
class DataFingerprintTest {

    private static LabeledSequence seq(int label, double... steps) {
        double[][] s = new double[steps.length][];
        for (int t = 0; t < steps.length; t++) {
            s[t] = new double[]{steps[t], -steps[t]};
        }
        return new LabeledSequence(s, label);
    }

    private static String fingerprint(LabeledSequence... sequences) {
        return new InMemorySequences(List.of(sequences), 3).fingerprint().orElseThrow();
    }

    @Test
    void equalDataGiveEqualFingerprintsAndAnyChangeAnother() {
        String base = fingerprint(seq(0, 1, 2, 3), seq(2, 4, 5));
        assertEquals(base, fingerprint(seq(0, 1, 2, 3), seq(2, 4, 5)), "a new source over equal data");
        assertTrue(base.startsWith("2 sequences of input size 2 in 3 classes (checksum "), base);
        assertTrue(base.matches(".*\\(checksum [0-9a-f]{16}\\)"), base);
        assertNotEquals(base, fingerprint(seq(0, 1, 2, 3), seq(2, 4, 5.000000000000001)), "one value");
        assertNotEquals(base, fingerprint(seq(0, 1, 2, 3), seq(1, 4, 5)), "one label");
        assertNotEquals(base, fingerprint(seq(2, 4, 5), seq(0, 1, 2, 3)), "the order");
        assertNotEquals(base, fingerprint(seq(0, 1, 2), seq(2, 3, 4, 5)), "the split between sequences");
        assertNotEquals(base, new InMemorySequences(List.of(seq(0, 1, 2, 3), seq(2, 4, 5)), 4).fingerprint().orElseThrow(),
                "the classes");
    }

    @Test
    void theChecksumCoversEveryByteAndTheLength() {
        byte[] bytes = new byte[21];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 7);
        }
        String whole = new DataChecksum().add(bytes, 0, bytes.length).hex();
        assertEquals(whole, new DataChecksum().add(bytes.clone(), 0, bytes.length).hex());
        for (int i = 0; i < bytes.length; i++) {
            byte[] changed = bytes.clone();
            changed[i] ^= 1;
            assertNotEquals(whole, new DataChecksum().add(changed, 0, changed.length).hex(), "byte " + i);
        }
        assertNotEquals(whole, new DataChecksum().add(bytes, 0, 20).hex(), "a byte fewer");
        assertNotEquals(new DataChecksum().add(new int[]{1, 2}).add(new int[]{3}).hex(),
                new DataChecksum().add(new int[]{1}).add(new int[]{2, 3}).hex());
        Refusals.assertIllegalArgument(() -> new DataChecksum().add(bytes, 15, 10), "bytes [15, 15 + 10) are outside the array of 21");
        Refusals.assertIllegalArgument(() -> new DataChecksum().add((double[]) null), "null");
    }
}
