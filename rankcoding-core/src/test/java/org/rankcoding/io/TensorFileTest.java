package org.rankcoding.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checksummed container of training checkpoints: exact round trip, and every single damaged byte is detected. */
class TensorFileTest {

    private static final double[] DOUBLES = {1.5, -0.0, Double.NaN, Double.longBitsToDouble(0x7ff8dead_beef0001L),
            Double.MIN_VALUE, -Double.MAX_VALUE};
    private static final long[] LONGS = {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 42, 7};

    private static Path write(Path dir) throws IOException {
        Path file = dir.resolve("t.safetensors");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "test");
        meta.put("note", "\u00e9t\u00e9 \"quoted\"");
        TensorFile.write(file, meta, List.of(TensorFile.Tensor.of("a", DOUBLES, 2, 3), TensorFile.Tensor.ofLongs("b", LONGS),
                TensorFile.Tensor.of("empty", new double[0], 0, 4)));
        return file;
    }

    @Test
    void roundTripsBitForBit(@TempDir Path dir) throws IOException {
        TensorFile t = TensorFile.read(write(dir));
        assertEquals(List.of("format", "note", TensorFile.KEY_CHECKSUM), List.copyOf(t.metadata().keySet()));
        assertEquals("\u00e9t\u00e9 \"quoted\"", t.require("note"));
        assertTrue(t.require(TensorFile.KEY_CHECKSUM).matches("sha256:[0-9a-f]{64}"));
        double[] a = t.doubles("a", 2, 3);
        for (int i = 0; i < a.length; i++) {
            assertEquals(Double.doubleToRawLongBits(DOUBLES[i]), Double.doubleToRawLongBits(a[i]), "value " + i);
        }
        assertArrayEquals(LONGS, t.longs("b", 6));
        assertEquals(0, t.doubles("empty", 0, 4).length);
        ModelFileException e = assertThrows(ModelFileException.class, () -> t.longs("a"));
        assertTrue(e.getMessage().endsWith("tensor 'a' has dtype F64, expected I64"), e.getMessage());
        e = assertThrows(ModelFileException.class, () -> t.doubles("a", 3, 2));
        assertTrue(e.getMessage().endsWith("tensor 'a' has shape [2, 3], expected [3, 2]"), e.getMessage());
        assertThrows(ModelFileException.class, () -> t.require("missing"));
    }

    @Test
    void everyDamagedByteIsDetected(@TempDir Path dir) throws IOException {
        Path file = write(dir);
        byte[] good = Files.readAllBytes(file);
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x01;
            Files.write(file, bad);
            int at = i;
            ModelFileException e = assertThrows(ModelFileException.class, () -> TensorFile.read(file), "byte " + at);
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        }
    }

    @Test
    void refusesTheReservedKeyAndNamesTemporaryFiles(@TempDir Path dir) {
        assertThrows(IllegalArgumentException.class, () -> TensorFile.write(dir.resolve("x"), Map.of(TensorFile.KEY_CHECKSUM, "x"),
                List.of()));
        assertThrows(IllegalArgumentException.class, () -> TensorFile.Tensor.of("a", new double[3], 2, 2));
        assertEquals("checkpoint-000000000010.safetensors",
                TensorFile.temporaryTarget(".checkpoint-000000000010.safetensors.9f3a0c1d2e3f4a5b.tmp"));
        assertNull(TensorFile.temporaryTarget("checkpoint-000000000010.safetensors"));
        assertNull(TensorFile.temporaryTarget(".x.notHex.tmp"));
    }
}
