package org.rankcoding.audio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds WAV files byte by byte for the tests: a RIFF header and any chunks, well-formed or not. */
final class WavBytes {

    private final ByteArrayOutputStream chunks = new ByteArrayOutputStream();
    private String magic = "RIFF";
    private String form = "WAVE";
    private Long riffSize;

    static WavBytes riff() {
        return new WavBytes();
    }

    /** A plain 16-bit PCM mono file at {@code rate} with the given samples. */
    static byte[] pcm16(int rate, short... samples) {
        return riff().fmt(1, 1, rate, 16).data(samples).bytes();
    }

    WavBytes magic(String m) {
        magic = m;
        return this;
    }

    WavBytes form(String f) {
        form = f;
        return this;
    }

    /** Overrides the RIFF size field (default: the true size). */
    WavBytes riffSize(long size) {
        riffSize = size;
        return this;
    }

    /** A 16-byte fmt chunk with consistent block align and byte rate. */
    WavBytes fmt(int tag, int channels, int rate, int bits) {
        int align = channels * bits / 8;
        return fmt(tag, channels, rate, (long) rate * align, align, bits);
    }

    WavBytes fmt(int tag, int channels, int rate, long byteRate, int align, int bits) {
        ByteBuffer b = le(16);
        b.putShort((short) tag).putShort((short) channels).putInt(rate).putInt((int) byteRate).putShort((short) align)
                .putShort((short) bits);
        return chunk("fmt ", b.array());
    }

    /** A 40-byte WAVE_FORMAT_EXTENSIBLE fmt chunk with the given sub-format and valid bits. */
    WavBytes fmtExtensible(int channels, int rate, int bits, int validBits, int subFormat) {
        int align = channels * bits / 8;
        ByteBuffer b = le(40);
        b.putShort((short) 0xFFFE).putShort((short) channels).putInt(rate).putInt(rate * align).putShort((short) align)
                .putShort((short) bits).putShort((short) 22).putShort((short) validBits).putInt(4)
                .putShort((short) subFormat)
                .put(new byte[] {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71});
        return chunk("fmt ", b.array());
    }

    WavBytes data(short... samples) {
        ByteBuffer b = le(2 * samples.length);
        for (short s : samples) {
            b.putShort(s);
        }
        return chunk("data", b.array());
    }

    /** A chunk with its true size and a pad byte after an odd-sized body. */
    WavBytes chunk(String id, byte[] body) {
        return chunk(id, body.length, body, true);
    }

    /** A chunk with any declared size; {@code pad} adds the pad byte after an odd-sized body. */
    WavBytes chunk(String id, long declaredSize, byte[] body, boolean pad) {
        chunks.writeBytes(id.getBytes(StandardCharsets.ISO_8859_1));
        chunks.writeBytes(le(4).putInt((int) declaredSize).array());
        chunks.writeBytes(body);
        if (pad && body.length % 2 == 1) {
            chunks.write(0);
        }
        return this;
    }

    /** Raw bytes appended after the chunks written so far. */
    WavBytes raw(byte... bytes) {
        chunks.writeBytes(bytes);
        return this;
    }

    byte[] bytes() {
        byte[] body = chunks.toByteArray();
        ByteBuffer b = le(12 + body.length);
        b.put(magic.getBytes(StandardCharsets.ISO_8859_1));
        b.putInt((int) (riffSize != null ? riffSize : 4 + body.length));
        b.put(form.getBytes(StandardCharsets.ISO_8859_1));
        b.put(body);
        return b.array();
    }

    Path write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, bytes());
    }

    static Path write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, bytes);
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }
}
