package org.rankcoding.datasets.idx;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.rankcoding.testing.Refusals.assertRefusal;

/** {@link IdxReader}: valid files read back exactly, raw and gzip; every malformed file is rejected with a telling message. */
public class IdxReaderTest {

    @TempDir
    Path dir;

    // ------------------------------------------------------------------ file builders

    /** An IDX file: magic 00 00 type rank, big-endian dims, then the data as given. */
    public static byte[] idx(int type, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        return b.array();
    }

    /** {@code raw} compressed as one gzip member. */
    public static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    /** A gzip member with the FNAME, FCOMMENT and FEXTRA header fields set, built by hand. */
    static byte[] gzipWithHeaderFields(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 0x04 | 0x08 | 0x10, 1, 2, 3, 4, 0, 3});
        out.writeBytes(new byte[] {3, 0, 'a', 'b', 'c'});
        out.writeBytes("images.idx\0".getBytes());
        out.writeBytes("a comment\0".getBytes());
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(raw);
        d.finish();
        byte[] buf = new byte[raw.length + 1024];
        int n = d.deflate(buf);
        d.end();
        out.write(buf, 0, n);
        CRC32 crc = new CRC32();
        crc.update(raw);
        writeLe32(out, crc.getValue());
        writeLe32(out, raw.length);
        return out.toByteArray();
    }

    private static void writeLe32(ByteArrayOutputStream out, long v) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (v >>> (8 * i)) & 0xFF);
        }
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] contents) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, contents);
        return p;
    }

    /** 3 images of 2 x 4 pixels, using the whole range 0..255. */
    static byte[] pixels() {
        byte[] px = new byte[3 * 2 * 4];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 11);
        }
        px[0] = 0;
        px[1] = (byte) 255;
        return px;
    }

    static final int[] IMAGE_DIMS = {3, 2, 4};

    /** Asserts an IdxFormatException whose message starts with the file and contains every fragment. */
    static IdxFormatException rejects(Path file, Executable call, String... fragments) {
        IdxFormatException e = assertRefusal(IdxFormatException.class, call, fragments);
        String msg = e.getMessage();
        assertTrue(msg.startsWith(file.toString() + ": "), "the message should start with the file: " + msg);
        assertEquals(file, e.file());
        return e;
    }

    // ------------------------------------------------------------------ valid files

    @Test
    void readsImagesRawAndGzipDetectedByContentNotName() throws IOException {
        byte[] px = pixels();
        byte[] file = idx(0x08, IMAGE_DIMS, px);
        for (Path p : new Path[] {write("raw-images", file), write("gz-images.gz", gzip(file)),
                write("gz-without-suffix", gzip(file)), write("raw-with-suffix.gz", file),
                write("gz-header-fields", gzipWithHeaderFields(file))}) {
            IdxImages images = IdxReader.readImages(p);
            assertEquals(3, images.count(), p.toString());
            assertEquals(2, images.rows());
            assertEquals(4, images.cols());
            assertEquals(8, images.pixelsPerImage());
            assertArrayEquals(px, images.pixels());
            assertEquals(0, images.pixel(0, 0, 0));
            assertEquals(255, images.pixel(0, 0, 1));
            assertEquals(px[(2 * 2 + 1) * 4 + 3] & 0xFF, images.pixel(2, 1, 3));
            double[] v = images.intensities(1);
            for (int j = 0; j < 8; j++) {
                assertEquals((px[8 + j] & 0xFF) / 255.0, v[j]);
            }
            assertEquals(1.0, images.intensities(0)[1]);
            assertEquals(0.0, images.intensities(0)[0]);
        }
    }

    @Test
    void readsLabelsRawAndGzip() throws IOException {
        byte[] labels = {0, 9, 3, (byte) 255, 7};
        byte[] file = idx(0x08, new int[] {5}, labels);
        for (Path p : new Path[] {write("labels", file), write("labels.gz", gzip(file))}) {
            assertArrayEquals(new int[] {0, 9, 3, 255, 7}, IdxReader.readLabels(p));
        }
    }

    @Test
    void gzipMembersInARowAreOneStream() throws IOException {
        byte[] file = idx(0x08, IMAGE_DIMS, pixels());
        byte[] twoMembers = concat(gzip(Arrays.copyOf(file, 10)), gzip(Arrays.copyOfRange(file, 10, file.length)));
        assertArrayEquals(pixels(), IdxReader.readImages(write("two.gz", twoMembers)).pixels());
    }

    @Test
    void readsEveryElementTypeAndRank() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(6 * 8);
        // signed byte, 2 x 3
        byte[] sb = {-128, -1, 0, 1, 127, 5};
        IdxData d = IdxReader.read(write("sb.gz", gzip(idx(0x09, new int[] {2, 3}, sb))));
        assertEquals(IdxData.Type.SIGNED_BYTE, d.type());
        assertArrayEquals(new int[] {2, 3}, d.dimensions());
        assertArrayEquals(new double[] {-128, -1, 0, 1, 127, 5}, d.toDoubleArray());
        assertArrayEquals(new int[] {-128, -1, 0, 1, 127, 5}, d.toIntArray());
        // short, 1 x 2 x 1 x 3 (rank 4)
        b.clear();
        for (short s : new short[] {-32768, -2, 0, 3, 300, 32767}) {
            b.putShort(s);
        }
        d = IdxReader.read(write("short", idx(0x0B, new int[] {1, 2, 1, 3}, Arrays.copyOf(b.array(), 12))));
        assertEquals(IdxData.Type.SHORT, d.type());
        assertEquals(4, d.rank());
        assertEquals(3, d.dimension(3));
        assertArrayEquals(new int[] {-32768, -2, 0, 3, 300, 32767}, d.toIntArray());
        // int
        b.clear();
        for (int v : new int[] {Integer.MIN_VALUE, -7, 0, 1, 70000, Integer.MAX_VALUE}) {
            b.putInt(v);
        }
        d = IdxReader.read(write("int", idx(0x0C, new int[] {6}, Arrays.copyOf(b.array(), 24))));
        assertArrayEquals(new int[] {Integer.MIN_VALUE, -7, 0, 1, 70000, Integer.MAX_VALUE}, d.toIntArray());
        // float
        b.clear();
        for (float v : new float[] {-1.5f, 0f, 0.1f, 3e38f, Float.MIN_VALUE, 2f}) {
            b.putFloat(v);
        }
        d = IdxReader.read(write("float", idx(0x0D, new int[] {3, 2}, Arrays.copyOf(b.array(), 24))));
        assertEquals(IdxData.Type.FLOAT, d.type());
        assertArrayEquals(new double[] {-1.5f, 0f, 0.1f, 3e38f, Float.MIN_VALUE, 2f}, d.toDoubleArray());
        IdxData floats = d;
        assertThrows(IllegalStateException.class, floats::toIntArray);
        // double
        b.clear();
        for (double v : new double[] {-1.5, 0, 0.1, 1e300, Double.MIN_VALUE, Math.PI}) {
            b.putDouble(v);
        }
        d = IdxReader.read(write("double.gz", gzip(idx(0x0E, new int[] {6}, b.array()))));
        assertEquals(IdxData.Type.DOUBLE, d.type());
        assertEquals(6, d.elementCount());
        assertArrayEquals(new double[] {-1.5, 0, 0.1, 1e300, Double.MIN_VALUE, Math.PI}, d.toDoubleArray());
        // unsigned byte through the general reader
        d = IdxReader.read(write("ubyte", idx(0x08, IMAGE_DIMS, pixels())));
        assertEquals(255.0, d.getDouble(1));
        assertArrayEquals(pixels(), d.rawData());
    }

    // ------------------------------------------------------------------ malformed headers

    @Test
    void rejectsEmptyFile() throws IOException {
        Path p = write("empty", new byte[0]);
        rejects(p, () -> IdxReader.readImages(p), "empty (0 bytes)", "0x00000803");
        rejects(p, () -> IdxReader.read(p), "empty");
        Path gz = write("empty-content.gz", gzip(new byte[0]));
        rejects(gz, () -> IdxReader.readLabels(gz), "found only 0 bytes after decompression", "truncated");
    }

    @Test
    void rejectsWrongMagic() throws IOException {
        byte[] file = idx(0x08, IMAGE_DIMS, pixels());
        file[1] = 1;
        Path p = write("bad-magic", file);
        rejects(p, () -> IdxReader.readImages(p), "expected the magic number 0x00000803", "found 0x00010803");
        Path html = write("page.gz", "<!DOCTYPE html><html>not found</html>".getBytes());
        rejects(html, () -> IdxReader.readLabels(html), "0x00000801", "HTML");
        byte[] swapped = idx(0x08, IMAGE_DIMS, pixels());
        swapped[0] = 3;
        swapped[1] = 8;
        swapped[2] = 0;
        swapped[3] = 0;
        Path sw = write("swapped", swapped);
        rejects(sw, () -> IdxReader.read(sw), "found 0x03080000", "little-endian");
    }

    @Test
    void rejectsUnknownTypeByte() throws IOException {
        Path p = write("type", idx(0x0A, IMAGE_DIMS, pixels()));
        rejects(p, () -> IdxReader.read(p), "unknown data type byte 0x0A", "0x08 (unsigned byte)", "0x0E (64-bit float)");
        rejects(p, () -> IdxReader.readImages(p), "unknown data type byte 0x0A");
    }

    @Test
    void rejectsTheWrongKindOfFile() throws IOException {
        Path labels = write("labels", idx(0x08, new int[] {24}, pixels()));
        rejects(labels, () -> IdxReader.readImages(labels), "expected an unsigned-byte 3-D image file", "found magic number 0x00000801",
                "a label file?");
        Path images = write("images.gz", gzip(idx(0x08, IMAGE_DIMS, pixels())));
        rejects(images, () -> IdxReader.readLabels(images), "expected an unsigned-byte 1-D label file", "0x00000803", "an image file?");
        Path floats = write("floats", idx(0x0D, new int[] {6}, new byte[24]));
        rejects(floats, () -> IdxReader.readLabels(floats), "32-bit float data in 1 dimension");
    }

    @Test
    void rejectsBadDimensionCounts() throws IOException {
        Path none = write("rank0", new byte[] {0, 0, 8, 0, 1, 2, 3});
        rejects(none, () -> IdxReader.read(none), "declares 0 dimensions, expected 1 to 8");
        Path nine = write("rank9", idx(0x08, new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, new byte[1]));
        rejects(nine, () -> IdxReader.read(nine), "declares 9 dimensions, expected 1 to 8");
    }

    @Test
    void rejectsZeroAndNegativeDimensions() throws IOException {
        Path zero = write("zero", idx(0x08, new int[] {3, 0, 4}, new byte[0]));
        rejects(zero, () -> IdxReader.readImages(zero), "dimension 2 of 3 is 0", "expected a positive size");
        Path neg = write("neg.gz", gzip(idx(0x08, new int[] {-5}, new byte[0])));
        rejects(neg, () -> IdxReader.readLabels(neg), "dimension 1 of 1 is -5 (0xFFFFFFFB)");
    }

    @Test
    void rejectsHugeDimensionsBeforeAllocating() throws IOException {
        // 2^31 bytes promised by a 16-byte file: must fail on the header alone, raw and gzip
        byte[] header = idx(0x08, new int[] {2, 1 << 15, 1 << 15}, new byte[0]);
        Path raw = write("huge", header);
        rejects(raw, () -> IdxReader.readImages(raw), "2 x 32768 x 32768", "2147483648 bytes of data", "more than the limit of 1073741824");
        Path gz = write("huge.gz", gzip(header));
        rejects(gz, () -> IdxReader.readImages(gz), "more than the limit");
        // a product that overflows 64 bits
        Path overflow = write("overflow", idx(0x0E, new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE}, new byte[0]));
        rejects(overflow, () -> IdxReader.read(overflow), "more than 2^63");
        // the limit is the caller's to choose
        Path small = write("small", idx(0x0B, new int[] {10}, new byte[20]));
        rejects(small, () -> IdxReader.read(small, 19), "10 elements of 16-bit integer (20 bytes of data), more than the limit of 19");
        assertEquals(10, IdxReader.read(small, 20).elementCount());
        assertThrows(IllegalArgumentException.class, () -> IdxReader.read(small, 0));
        assertThrows(IllegalArgumentException.class, () -> IdxReader.read(small, IdxReader.MAX_DATA_BYTES + 1));
    }

    @Test
    void aGzipFilePromisingMuchLessDataThanItHasFailsAsTruncated() throws IOException {
        // 900 MB promised (under the limit), 24 bytes present: read as truncated without holding 900 MB
        Path gz = write("promise.gz", gzip(idx(0x08, new int[] {900, 1000, 1000}, pixels())));
        rejects(gz, () -> IdxReader.readImages(gz), "expected 900000000 bytes of image data after the header (900 x 1000 x 1000), found 24"
                + " after decompression (file truncated?)");
    }

    @Test
    void rejectsTruncatedHeader() throws IOException {
        byte[] file = idx(0x08, IMAGE_DIMS, pixels());
        Path p = write("short-header", Arrays.copyOf(file, 10));
        rejects(p, () -> IdxReader.readImages(p), "expected a 16-byte header (magic number and 3 dimension sizes), found only 10 bytes",
                "truncated");
        Path magicOnly = write("two-bytes", new byte[] {0, 0});
        rejects(magicOnly, () -> IdxReader.readImages(magicOnly), "found only 2 bytes", "truncated");
        Path gz = write("short-header.gz", gzip(Arrays.copyOf(file, 7)));
        rejects(gz, () -> IdxReader.readImages(gz), "found only 7 bytes after decompression");
    }

    // ------------------------------------------------------------------ malformed data

    @Test
    void rejectsTruncatedData() throws IOException {
        byte[] file = idx(0x08, IMAGE_DIMS, pixels());
        Path raw = write("cut", Arrays.copyOf(file, file.length - 4));
        rejects(raw, () -> IdxReader.readImages(raw), "expected 24 bytes of image data after the header (3 x 2 x 4), found 20 (file truncated?)");
        Path lab = write("cut-labels", idx(0x08, new int[] {5}, new byte[3]));
        rejects(lab, () -> IdxReader.readLabels(lab), "expected 5 bytes of label data after the header (5), found 3");
        Path shorts = write("cut-shorts", idx(0x0B, new int[] {4}, new byte[7]));
        rejects(shorts, () -> IdxReader.read(shorts), "expected 8 bytes of data after the header (4 x 2 bytes), found 7");
        Path gzData = write("cut-data.gz", gzip(Arrays.copyOf(file, file.length - 4)));
        rejects(gzData, () -> IdxReader.readImages(gzData), "found 20 after decompression (file truncated?)");
    }

    @Test
    void rejectsCutOffGzipStream() throws IOException {
        byte[] big = new byte[20000];
        new Random(1).nextBytes(big); // incompressible, so the cut falls inside the deflate data
        byte[] gz = gzip(idx(0x08, new int[] {20000}, big));
        Path cut = write("cut.gz", Arrays.copyOf(gz, gz.length / 2));
        IdxFormatException e = rejects(cut, () -> IdxReader.readLabels(cut), "expected 20000 bytes of label data", "(file truncated?)");
        assertTrue(e.getMessage().contains("after decompression"), e.getMessage());
        Path noTrailer = write("no-trailer.gz", Arrays.copyOf(gz, gz.length - 8));
        rejects(noTrailer, () -> IdxReader.readLabels(noTrailer), "trailer is missing", "truncated");
        Path halfTrailer = write("half-trailer.gz", Arrays.copyOf(gz, gz.length - 3));
        rejects(halfTrailer, () -> IdxReader.readLabels(halfTrailer), "truncated");
        Path headerOnly = write("gz-header-only.gz", Arrays.copyOf(gz, 6));
        rejects(headerOnly, () -> IdxReader.readLabels(headerOnly), "found only 0 bytes after decompression");
    }

    @Test
    void rejectsSurplusData() throws IOException {
        byte[] file = concat(idx(0x08, IMAGE_DIMS, pixels()), new byte[] {1, 2, 3});
        Path raw = write("long", file);
        rejects(raw, () -> IdxReader.readImages(raw), "expected 24 bytes of image data after the header (3 x 2 x 4), found 27",
                "3 surplus bytes");
        Path gz = write("long.gz", gzip(file));
        rejects(gz, () -> IdxReader.readImages(gz), "found 27 after decompression", "3 surplus bytes");
    }

    @Test
    void rejectsTrailingGarbageAfterTheGzipStream() throws IOException {
        byte[] gz = gzip(idx(0x08, IMAGE_DIMS, pixels()));
        Path p = write("garbage.gz", concat(gz, new byte[] {0, 0, 0, 0}));
        rejects(p, () -> IdxReader.readImages(p), "unexpected bytes after the end of the gzip stream at compressed byte " + gz.length,
                "found 00 00");
        Path one = write("one-more.gz", concat(gz, new byte[] {0x1f}));
        rejects(one, () -> IdxReader.readImages(one), "after the end of the gzip stream", "found 1f (end of file)");
    }

    @Test
    void rejectsCorruptGzip() throws IOException {
        byte[] file = idx(0x08, IMAGE_DIMS, pixels());
        byte[] gz = gzip(file);
        byte[] badCrc = gz.clone();
        badCrc[gz.length - 6] ^= 0x40;
        Path crc = write("crc.gz", badCrc);
        rejects(crc, () -> IdxReader.readImages(crc), "gzip CRC-32 check failed");
        byte[] badSize = gz.clone();
        badSize[gz.length - 4] ^= 1;
        Path size = write("size.gz", badSize);
        rejects(size, () -> IdxReader.readImages(size), "gzip size check failed");
        byte[] badMethod = gz.clone();
        badMethod[2] = 7;
        Path method = write("method.gz", badMethod);
        rejects(method, () -> IdxReader.readImages(method), "compression method 7, expected 8");
        byte[] badFlags = gz.clone();
        badFlags[3] = (byte) 0x80;
        Path flags = write("flags.gz", badFlags);
        rejects(flags, () -> IdxReader.readImages(flags), "reserved flag bits");
        byte[] badBlock = gz.clone();
        badBlock[10] = (byte) 0xFF; // first deflate block header: BTYPE 11 is invalid
        Path block = write("block.gz", badBlock);
        rejects(block, () -> IdxReader.readImages(block), "corrupt gzip data near compressed byte");
    }

    @Test
    void fileSystemProblemsAreTheUsualExceptions() throws IOException {
        Path missing = dir.resolve("missing");
        assertThrows(NoSuchFileException.class, () -> IdxReader.readImages(missing));
        IOException e = assertThrows(IOException.class, () -> IdxReader.readLabels(dir));
        assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("directory"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IdxReader.read(null));
    }

    // ------------------------------------------------------------------ mutation loop

    /**
     * A few hundred random byte changes, truncations, insertions and appendages of a valid file, raw and
     * gzip: every outcome is a consistent read or an IdxFormatException naming the file, nothing else.
     */
    @Test
    void mutatedFilesReadCorrectlyOrFailWithTheDocumentedException() throws IOException {
        byte[] raw = idx(0x08, IMAGE_DIMS, pixels());
        byte[] gz = gzip(raw);
        Random rng = new Random(20240531L);
        Path p = dir.resolve("mutant");
        int rejected = 0;
        int accepted = 0;
        for (int trial = 0; trial < 600; trial++) {
            byte[] original = trial % 2 == 0 ? raw : gz;
            byte[] m = mutate(original, rng);
            Files.write(p, m);
            for (int call = 0; call < 2; call++) {
                try {
                    if (call == 0) {
                        IdxImages images = IdxReader.readImages(p);
                        assertEquals((long) images.count() * images.rows() * images.cols(), images.pixels().length);
                    } else {
                        IdxData d = IdxReader.read(p);
                        long count = 1;
                        for (int k = 0; k < d.rank(); k++) {
                            count *= d.dimension(k);
                        }
                        assertEquals(count * d.type().bytesPerElement(), d.rawData().length);
                    }
                    accepted++;
                } catch (IdxFormatException e) {
                    assertTrue(e.getMessage().startsWith(p + ": ") && e.getMessage().length() > p.toString().length() + 10,
                            "trial " + trial + ": " + e.getMessage());
                    rejected++;
                } catch (Throwable t) {
                    fail("trial " + trial + " (" + (trial % 2 == 0 ? "raw" : "gzip") + "): unexpected " + t, t);
                }
            }
        }
        assertTrue(rejected > 600, "most mutants should be rejected, got " + rejected + " rejected, " + accepted + " accepted");
        assertTrue(accepted > 0, "pixel flips of a raw file are still valid files");
    }

    private static byte[] mutate(byte[] original, Random rng) {
        byte[] m = original.clone();
        switch (rng.nextInt(5)) {
            case 0 -> m[rng.nextInt(m.length)] = (byte) rng.nextInt(256);
            case 1 -> {
                for (int k = 1 + rng.nextInt(4); k > 0; k--) {
                    m[rng.nextInt(m.length)] ^= (byte) (1 << rng.nextInt(8));
                }
            }
            case 2 -> m = Arrays.copyOf(m, rng.nextInt(m.length));
            case 3 -> {
                byte[] extra = new byte[1 + rng.nextInt(8)];
                rng.nextBytes(extra);
                m = concat(m, extra);
            }
            default -> {
                int at = rng.nextInt(m.length + 1);
                m = concat(Arrays.copyOf(m, at), new byte[] {(byte) rng.nextInt(256)}, Arrays.copyOfRange(original, at, original.length));
            }
        }
        return m;
    }
}
