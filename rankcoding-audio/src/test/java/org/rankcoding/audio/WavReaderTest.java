package org.rankcoding.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertRefusal;

/** {@link WavReader}: valid files read back exactly; every malformed file is rejected with a message naming the problem. */
class WavReaderTest {

    @TempDir
    Path dir;

    private static final short[] SAMPLES = {0, 1, -1, 32767, -32768, 12345, -12345, 100};

    private static float[] expected(short... s) {
        float[] f = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            f[i] = s[i] / 32768f;
        }
        return f;
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return WavBytes.write(dir.resolve(name), bytes);
    }

    /** Reads the file, expecting a failure whose message starts with the path and contains every fragment. */
    private WavFormatException rejects(byte[] bytes, int rate, String... fragments) throws IOException {
        Path f = file("bad.wav", bytes);
        WavFormatException e = assertRefusal(WavFormatException.class, () -> WavReader.read(f, rate), fragments);
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        assertEquals(f, e.file());
        return e;
    }

    // ------------------------------------------------------------------ valid files

    @Test
    void readsPcm16MonoExactly() throws IOException {
        Path f = file("clip.wav", WavBytes.pcm16(16_000, SAMPLES));
        AudioClip clip = WavReader.read(f);
        assertEquals(16_000, clip.sampleRate());
        assertArrayEquals(expected(SAMPLES), clip.samples());
        assertEquals(-1f, clip.samples()[4]);
        assertTrue(clip.samples()[3] < 1f);
        assertEquals(SAMPLES.length / 16_000.0, clip.seconds(), 1e-15);
        assertArrayEquals(expected(SAMPLES), WavReader.read(f, 16_000).samples());
    }

    @Test
    void readsAnyRateWhenNoneIsRequired() throws IOException {
        Path f = file("clip.wav", WavBytes.pcm16(44_100, SAMPLES));
        assertEquals(44_100, WavReader.read(f).sampleRate());
        assertEquals(44_100, WavReader.read(f, WavReader.ANY_RATE).sampleRate());
    }

    @Test
    void readsWhatTheJdkWavWriterWrites() throws IOException {
        short[] s = new short[1000];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) (20_000 * Math.sin(i * 0.05) + (i % 7) * 3);
        }
        ByteBuffer pcm = ByteBuffer.allocate(2 * s.length).order(ByteOrder.LITTLE_ENDIAN);
        for (short v : s) {
            pcm.putShort(v);
        }
        AudioFormat format = new AudioFormat(16_000f, 16, 1, true, false);
        Path f = dir.resolve("jdk.wav");
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm.array()), format, s.length)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, f.toFile());
        }
        AudioClip clip = WavReader.read(f, 16_000);
        assertArrayEquals(expected(s), clip.samples());
    }

    @Test
    void acceptsWaveFormatExtensibleWithPcmSubFormat() throws IOException {
        byte[] b = WavBytes.riff().fmtExtensible(1, 16_000, 16, 16, 1).data(SAMPLES).bytes();
        assertArrayEquals(expected(SAMPLES), WavReader.read(file("ext.wav", b), 16_000).samples());
        byte[] b12 = WavBytes.riff().fmtExtensible(1, 16_000, 16, 12, 1).data(SAMPLES).bytes();
        assertArrayEquals(expected(SAMPLES), WavReader.read(file("ext12.wav", b12)).samples());
    }

    @Test
    void skipsUnknownChunksBeforeBetweenAndAfter() throws IOException {
        byte[] b = WavBytes.riff()
                .chunk("LIST", "INFOISFT\u0005\0\0\0Lavf\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))
                .fmt(1, 1, 16_000, 16)
                .chunk("fact", new byte[] {8, 0, 0, 0})
                .data(SAMPLES)
                .chunk("JUNK", new byte[10])
                .bytes();
        assertArrayEquals(expected(SAMPLES), WavReader.read(file("extra.wav", b)).samples());
    }

    @Test
    void skipsThePadByteAfterOddSizedChunks() throws IOException {
        // A 3-byte chunk before fmt and a 5-byte one before data: without skipping their pad bytes the reader would
        // look for the next chunk one byte early and find neither fmt nor data.
        byte[] b = WavBytes.riff().chunk("odd1", new byte[] {1, 2, 3}).fmt(1, 1, 16_000, 16)
                .chunk("odd2", new byte[] {1, 2, 3, 4, 5}).data(SAMPLES).bytes();
        assertArrayEquals(expected(SAMPLES), WavReader.read(file("pad.wav", b)).samples());
    }

    @Test
    void toleratesAMissingPadByteAfterTheLastChunk() throws IOException {
        byte[] withoutPad = WavBytes.riff().fmt(1, 1, 16_000, 16).data(SAMPLES)
                .chunk("LIST", 3, new byte[] {1, 2, 3}, false).bytes();
        assertArrayEquals(expected(SAMPLES), WavReader.read(file("nopad.wav", withoutPad)).samples());
        // ... also when the RIFF size counts the missing pad byte
        byte[] counted = WavBytes.riff().fmt(1, 1, 16_000, 16).data(SAMPLES)
                .chunk("LIST", 3, new byte[] {1, 2, 3}, false).riffSize(4 + 24 + 8 + 16 + 8 + 4).bytes();
        assertArrayEquals(expected(SAMPLES), WavReader.read(file("nopad2.wav", counted)).samples());
    }

    @Test
    void ignoresBytesAfterTheRiffForm() throws IOException {
        byte[] good = WavBytes.pcm16(16_000, SAMPLES);
        byte[] trailing = Arrays.copyOf(good, good.length + 5);
        assertArrayEquals(expected(SAMPLES), WavReader.read(file("trailing.wav", trailing)).samples());
    }

    @Test
    void acceptsAnEmptyDataChunk() throws IOException {
        AudioClip clip = WavReader.read(file("empty-data.wav", WavBytes.pcm16(16_000)));
        assertEquals(0, clip.length());
    }

    @Test
    void parseNamesTheDataInItsMessages() throws IOException {
        assertArrayEquals(expected(SAMPLES), WavReader.parse(WavBytes.pcm16(8_000, SAMPLES), "mem", 8_000).samples());
        WavFormatException e = assertThrows(WavFormatException.class,
                () -> WavReader.parse(WavBytes.pcm16(8_000, SAMPLES), "memory clip", 16_000));
        assertEquals("memory clip: sample rate 8000 Hz, expected 16000 Hz", e.getMessage());
        assertEquals(null, e.file());
    }

    // ------------------------------------------------------------------ pad or cut

    @Test
    void padsShortClipsWithZerosAtTheEndAndCutsLongOnesAtTheEnd() throws IOException {
        short[] short10 = new short[10];
        Arrays.fill(short10, (short) 1000);
        float[] padded = WavReader.readFixedLength(file("short.wav", WavBytes.pcm16(16_000, short10)), 16_000, 16_000);
        assertEquals(16_000, padded.length);
        for (int i = 0; i < 16_000; i++) {
            assertEquals(i < 10 ? 1000 / 32768f : 0f, padded[i], "sample " + i);
        }
        short[] long20k = new short[20_000];
        for (int i = 0; i < long20k.length; i++) {
            long20k[i] = (short) (i % 30_000);
        }
        float[] cut = WavReader.readFixedLength(file("long.wav", WavBytes.pcm16(16_000, long20k)), 16_000, 16_000);
        assertEquals(16_000, cut.length);
        assertEquals(0f, cut[0]);
        assertEquals(15_999 / 32768f, cut[15_999]);

        float[] same = {0.5f, -0.25f};
        float[] copy = WavReader.padOrCut(same, 2);
        assertArrayEquals(same, copy);
        assertTrue(copy != same, "padOrCut returns a new array");
        assertThrows(IllegalArgumentException.class, () -> WavReader.readFixedLength(dir.resolve("x.wav"), 16_000, 0));
    }

    // ------------------------------------------------------------------ malformed files

    @Test
    void rejectsWrongMagic() throws IOException {
        rejects(WavBytes.riff().magic("OggS").fmt(1, 1, 16_000, 16).data(SAMPLES).bytes(), 0,
                "expected the magic 'RIFF' at offset 0, found 'OggS'");
        rejects(WavBytes.riff().magic("RIFX").fmt(1, 1, 16_000, 16).data(SAMPLES).bytes(), 0, "big-endian RIFX");
        byte[] binary = WavBytes.pcm16(16_000, SAMPLES);
        binary[0] = (byte) 0xFF;
        binary[1] = (byte) 0xD8;
        rejects(binary, 0, "found bytes FF D8 46 46");
    }

    @Test
    void rejectsRiffFilesThatAreNotWave() throws IOException {
        rejects(WavBytes.riff().form("AVI ").fmt(1, 1, 16_000, 16).data(SAMPLES).bytes(), 0,
                "RIFF form type 'AVI ', expected 'WAVE'");
    }

    @Test
    void rejectsAMissingFmtChunk() throws IOException {
        rejects(WavBytes.riff().data(SAMPLES).bytes(), 0, "the 'data' chunk at offset 12 comes before any fmt chunk");
        rejects(WavBytes.riff().chunk("LIST", new byte[4]).bytes(), 0, "no fmt chunk", "chunks found: 'LIST'");
        rejects(WavBytes.riff().bytes(), 0, "no fmt chunk", "chunks found: none");
    }

    @Test
    void rejectsAMissingOrRepeatedDataChunk() throws IOException {
        rejects(WavBytes.riff().fmt(1, 1, 16_000, 16).chunk("LIST", new byte[4]).bytes(), 0,
                "no data chunk; chunks found: 'fmt ', 'LIST'");
        rejects(WavBytes.riff().fmt(1, 1, 16_000, 16).data(SAMPLES).data(SAMPLES).bytes(), 0, "a second data chunk at offset");
        rejects(WavBytes.riff().fmt(1, 1, 16_000, 16).fmt(1, 1, 16_000, 16).data(SAMPLES).bytes(), 0, "a second fmt chunk");
    }

    @Test
    void rejectsStereo() throws IOException {
        rejects(WavBytes.riff().fmt(1, 2, 16_000, 16).data(SAMPLES).bytes(), 0, "2 channels, expected mono (1)");
        rejects(WavBytes.riff().fmtExtensible(2, 16_000, 16, 16, 1).data(SAMPLES).bytes(), 0, "2 channels, expected mono (1)");
    }

    @Test
    void rejectsOtherSampleSizesAndFormats() throws IOException {
        rejects(WavBytes.riff().fmt(1, 1, 16_000, 8).data(SAMPLES).bytes(), 0, "8-bit samples, expected 16-bit");
        rejects(WavBytes.riff().fmt(1, 1, 16_000, 24).data(SAMPLES).bytes(), 0, "24-bit samples, expected 16-bit");
        rejects(WavBytes.riff().fmt(3, 1, 16_000, 32).data(SAMPLES).bytes(), 0,
                "format 0x0003 (IEEE float), expected 16-bit integer PCM");
        rejects(WavBytes.riff().fmt(7, 1, 8_000, 8).data(SAMPLES).bytes(), 0, "format 0x0007 (mu-law)");
        rejects(WavBytes.riff().fmtExtensible(1, 16_000, 32, 32, 3).data(SAMPLES).bytes(), 0,
                "WAVE_FORMAT_EXTENSIBLE with sub-format 0x0003 (IEEE float)");
        rejects(WavBytes.riff().fmtExtensible(1, 16_000, 24, 24, 1).data(SAMPLES).bytes(), 0, "24-bit samples");
        rejects(WavBytes.riff().fmtExtensible(1, 16_000, 16, 20, 1).data(SAMPLES).bytes(), 0, "20 valid bits per 16-bit sample");
        byte[] guid = WavBytes.riff().fmtExtensible(1, 16_000, 16, 16, 1).data(SAMPLES).bytes();
        guid[12 + 8 + 30] ^= 0x55;
        rejects(guid, 0, "unknown sub-format GUID");
    }

    @Test
    void rejectsInconsistentFmtFields() throws IOException {
        rejects(WavBytes.riff().fmt(1, 1, 16_000, 64_000, 4, 16).data(SAMPLES).bytes(), 0, "block align 4 bytes, expected 2");
        rejects(WavBytes.riff().fmt(1, 1, 16_000, 16_000, 2, 16).data(SAMPLES).bytes(), 0,
                "byte rate 16000 bytes/s, expected 32000");
        rejects(WavBytes.riff().fmt(1, 1, 0, 0, 2, 16).data(SAMPLES).bytes(), 0, "sample rate 0 Hz");
        rejects(WavBytes.riff().chunk("fmt ", new byte[14]).data(SAMPLES).bytes(), 0, "has 14 bytes, expected at least 16");
    }

    @Test
    void rejectsAnotherSampleRateWhenOneIsRequired() throws IOException {
        WavFormatException e = rejects(WavBytes.pcm16(44_100, SAMPLES), 16_000);
        assertEquals(dir.resolve("bad.wav") + ": sample rate 44100 Hz, expected 16000 Hz", e.getMessage());
    }

    @Test
    void rejectsTruncatedData() throws IOException {
        short[] s = new short[1000];
        byte[] good = WavBytes.pcm16(16_000, s);
        rejects(Arrays.copyOf(good, good.length - 100), 0,
                "the 'data' chunk at offset 36 declares 2000 bytes, but only 1900 follow (file truncated?)");
    }

    @Test
    void rejectsADataChunkLargerThanTheFile() throws IOException {
        byte[] body = new byte[200];
        // RIFF size consistent with the bytes present; only the data chunk's size lies
        rejects(WavBytes.riff().fmt(1, 1, 16_000, 16).chunk("data", 1_000_000, body, true).bytes(), 0,
                "declares 1000000 bytes, but only 200 follow (file truncated?)");
        rejects(WavBytes.riff().fmt(1, 1, 16_000, 16).chunk("data", 0xFFFFFFFFL, body, true).bytes(), 0,
                "declares 4294967295 bytes");
        // the same for an unknown chunk
        rejects(WavBytes.riff().fmt(1, 1, 16_000, 16).data(SAMPLES).chunk("LIST", 500, new byte[10], true).bytes(), 0,
                "the 'LIST' chunk at offset", "declares 500 bytes, but only 10 follow");
    }

    @Test
    void rejectsARiffSizeLargerThanTheFile() throws IOException {
        rejects(WavBytes.riff().fmt(1, 1, 16_000, 16).data(SAMPLES).riffSize(10_000).bytes(), 0,
                "the RIFF header declares 10008 bytes, but the file has only 60 (file truncated?)");
    }

    @Test
    void rejectsAnOddDataSize() throws IOException {
        rejects(WavBytes.riff().fmt(1, 1, 16_000, 16).chunk("data", new byte[5]).bytes(), 0,
                "has 5 bytes, not a whole number of 2-byte samples");
    }

    @Test
    void rejectsHeadersCutShort() throws IOException {
        byte[] good = WavBytes.pcm16(16_000, SAMPLES);
        rejects(new byte[0], 0, "the file is empty (0 bytes)");
        rejects(Arrays.copyOf(good, 7), 0, "header cut short: the file has only 7 bytes, expected at least the 12-byte RIFF header");
        // a RIFF size that claims the whole file, but the file ends 4 bytes into the first chunk header
        byte[] cut = Arrays.copyOf(good, 16);
        rejects(cut, 0, "header cut short: expected an 8-byte chunk header at offset 12, found only 4 bytes (file truncated?)");
        // cut inside the fmt chunk
        rejects(Arrays.copyOf(good, 30), 0, "the 'fmt ' chunk at offset 12 declares 16 bytes, but only 10 follow");
    }

    @Test
    void reportsFileSystemProblemsAsPlainIoExceptions() {
        Path missing = dir.resolve("missing.wav");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> WavReader.read(missing));
        assertEquals(missing.toString(), e.getFile());
        assertThrows(IllegalArgumentException.class, () -> WavReader.read(null));
        assertThrows(IllegalArgumentException.class, () -> WavReader.read(missing, -1));
    }

    @Test
    void rejectsHugeFilesBeforeReadingThem() throws IOException {
        Path huge = dir.resolve("huge.wav");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(WavReader.MAX_FILE_BYTES + 1);   // sparse: no disk space used, nothing read
        }
        WavFormatException e = assertThrows(WavFormatException.class, () -> WavReader.read(huge));
        assertEquals(huge + ": the file has 1073741825 bytes, expected at most 1073741824 (WavReader.MAX_FILE_BYTES)",
                e.getMessage());
    }

    @Test
    void audioClipValidatesAndSharesItsArray() {
        float[] s = new float[3];
        assertSame(s, new AudioClip(s, 8_000).samples());
        assertThrows(IllegalArgumentException.class, () -> new AudioClip(s, 0));
        assertThrows(IllegalArgumentException.class, () -> new AudioClip(null, 8_000));
        assertTrue(Files.notExists(dir.resolve("never-written")));
    }
}
