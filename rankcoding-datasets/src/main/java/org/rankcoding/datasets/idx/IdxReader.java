package org.rankcoding.datasets.idx;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads IDX files, the format of the MNIST data set, raw or gzip-compressed.
 *
 * <h2>Format</h2>
 * <pre>
 *   magic number   4 bytes: 0x00, 0x00, type byte, number of dimensions d (1 to {@value #MAX_DIMENSIONS})
 *   dimensions     d big-endian int32 sizes n_0 ... n_{d-1}, each at least 1
 *   data           n_0 * ... * n_{d-1} elements of the type, big-endian, row-major (last dimension fastest)
 * </pre>
 * Type bytes: {@code 0x08} unsigned byte, {@code 0x09} signed byte, {@code 0x0B} int16, {@code 0x0C} int32,
 * {@code 0x0D} float32, {@code 0x0E} float64 (see {@link IdxData.Type}); any other type byte is rejected.
 * MNIST image files have the magic number {@code 0x00000803} (unsigned bytes, 3 dimensions: count, rows,
 * columns), label files {@code 0x00000801} (unsigned bytes, 1 dimension: count).
 *
 * <h2>Compression</h2>
 * A file whose first two bytes are the gzip magic {@code 1f 8b} is decompressed on the fly, whatever its name;
 * any other file is read as raw IDX. (A raw IDX file always starts with {@code 00 00}, so the two cannot be
 * confused.) Gzip streams are checked strictly: CRC-32 and size trailers, and no bytes after the last member.
 *
 * <h2>Validation</h2>
 * Everything is checked before the data array is allocated: the magic number, the number of dimensions,
 * every dimension size (positive; total data size at most the limit, {@link #DEFAULT_MAX_DATA_BYTES} unless
 * given), and, for a raw file, that its length is exactly the header plus the promised data. A gzip
 * file's decompressed length is not known in advance, so its data are read into a buffer that grows with
 * the data actually decompressed and never beyond what the header promises; a stream that ends early or
 * holds more than promised is rejected. So a corrupt or hostile header cannot make the reader allocate
 * more than about twice the data actually present. A caller that knows the sizes to expect (MNIST's 60000 x 28 x 28
 * training images, say) passes them to {@link #readImages(Path, String, int, int, int)} or
 * {@link #readLabels(Path, String, int)}: they are compared with the header before the data are read, so a small
 * gzip file that declares (and really holds, highly compressed) a million images more is refused at once.
 *
 * <p>Every defect of a file's contents is an {@link IdxFormatException} (an {@link IOException}) whose message
 * starts with the file's path and says what was expected and what was found, e.g.
 * {@code "train-images-idx3-ubyte.gz: expected 47040000 bytes of image data after the header (60000 x 28 x 28),
 * found 1234 (file truncated?)"}. A missing or unreadable file is the usual {@code java.nio.file}
 * exception ({@link java.nio.file.NoSuchFileException} and so on); a bad argument (null path, bad limit) an
 * {@link IllegalArgumentException}. Nothing else is thrown.
 *
 * <p>Stateless and thread-safe; every call opens and closes its file.
 */
public final class IdxReader {

    /** Largest data size read by default: 1 GiB, plenty for MNIST (47 MB) and its relatives. */
    public static final long DEFAULT_MAX_DATA_BYTES = 1L << 30;

    /** Largest data size that can be read at all: the largest Java byte array. */
    public static final long MAX_DATA_BYTES = Integer.MAX_VALUE - 8;

    /** Largest number of dimensions accepted (the format allows 255; no real file has more than a few). */
    public static final int MAX_DIMENSIONS = 8;

    /** First buffer size when reading compressed data of unknown actual length. */
    private static final int INITIAL_CHUNK = 1 << 20;

    /** How many surplus bytes at most are counted (not stored) to report trailing data. */
    private static final long SURPLUS_COUNT_LIMIT = 1 << 24;

    private IdxReader() {
    }

    /**
     * Reads an IDX file of any type and rank, with the default size limit.
     *
     * @param file a raw or gzip-compressed IDX file
     * @return its contents, owned by the caller
     * @throws IdxFormatException for any defect of the contents (see the class comment)
     * @throws IOException        when the file cannot be read
     */
    public static IdxData read(Path file) throws IOException {
        return read(file, DEFAULT_MAX_DATA_BYTES);
    }

    /**
     * Reads an IDX file of any type and rank.
     *
     * @param file         a raw or gzip-compressed IDX file
     * @param maxDataBytes largest data size (after the header, decompressed) to accept, in
     *                     {@code [1, MAX_DATA_BYTES]}; larger headers are rejected before anything is allocated
     * @return its contents, owned by the caller
     * @throws IdxFormatException       for any defect of the contents (see the class comment)
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException for a null file or a limit out of range
     */
    public static IdxData read(Path file, long maxDataBytes) throws IOException {
        if (maxDataBytes < 1 || maxDataBytes > MAX_DATA_BYTES) {
            throw new IllegalArgumentException("maxDataBytes = " + maxDataBytes + ", expected in [1, " + MAX_DATA_BYTES + "]");
        }
        try (Source src = Source.open(file)) {
            Header h = readHeader(src, maxDataBytes, null);
            byte[] data = readData(src, h, "data");
            return new IdxData(h.type, h.dims, data);
        }
    }

    /**
     * Reads an image file: unsigned bytes in 3 dimensions (count, rows, columns), magic number {@code 0x00000803}.
     *
     * @param file a raw or gzip-compressed IDX image file, such as {@code train-images-idx3-ubyte.gz}
     * @return the images, owned by the caller
     * @throws IdxFormatException for any defect of the contents, or a file that is not a 3-D unsigned-byte file
     * @throws IOException        when the file cannot be read
     */
    public static IdxImages readImages(Path file) throws IOException {
        try (Source src = Source.open(file)) {
            Header h = readHeader(src, DEFAULT_MAX_DATA_BYTES, Expected.IMAGES);
            byte[] data = readData(src, h, "image data");
            return new IdxImages(h.dims[0], h.dims[1], h.dims[2], data);
        }
    }

    /**
     * Reads an image file whose header must declare exactly {@code count} images of {@code rows x cols} pixels. The
     * sizes are checked against the header before any pixel is read or allocated, so a file that declares other sizes
     * (a different data set, a damaged or hostile header, a gzip file that decompresses to gigabytes) is refused at
     * once, whatever its length.
     *
     * @param file  a raw or gzip-compressed IDX image file
     * @param what  what the caller calls the images, for the message, e.g. {@code "MNIST images"}
     * @param count the number of images expected, at least 1
     * @param rows  the rows per image expected, at least 1
     * @param cols  the columns per image expected, at least 1
     * @return the images, owned by the caller
     * @throws IdxFormatException       for any defect of the contents, or a header whose sizes are not those expected
     *                                  ({@code "expected 60000 x 28 x 28 MNIST images, found 1300000 x 28 x 28 ..."})
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException for a null argument or an expected size below 1
     */
    public static IdxImages readImages(Path file, String what, int count, int rows, int cols) throws IOException {
        int[] wanted = expectedDims(what, count, rows, cols);
        try (Source src = Source.open(file)) {
            Header h = readHeader(src, DEFAULT_MAX_DATA_BYTES, Expected.IMAGES);
            requireDims(src, h, wanted, what);
            byte[] data = readData(src, h, "image data");
            return new IdxImages(h.dims[0], h.dims[1], h.dims[2], data);
        }
    }

    /**
     * Reads a label file whose header must declare exactly {@code count} labels, checked before any label is read.
     *
     * @param file  a raw or gzip-compressed IDX label file
     * @param what  what the caller calls the labels, for the message, e.g. {@code "labels, one per image of X"}
     * @param count the number of labels expected, at least 1
     * @return the labels, each in {@code [0, 255]} (a new array owned by the caller)
     * @throws IdxFormatException       for any defect of the contents, or a header that declares another count
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException for a null argument or an expected count below 1
     */
    public static int[] readLabels(Path file, String what, int count) throws IOException {
        int[] wanted = expectedDims(what, count);
        try (Source src = Source.open(file)) {
            Header h = readHeader(src, DEFAULT_MAX_DATA_BYTES, Expected.LABELS);
            requireDims(src, h, wanted, what);
            return unsigned(readData(src, h, "label data"));
        }
    }

    /**
     * Reads a label file: unsigned bytes in 1 dimension (count), magic number {@code 0x00000801}.
     *
     * @param file a raw or gzip-compressed IDX label file, such as {@code train-labels-idx1-ubyte.gz}
     * @return the labels, each in {@code [0, 255]} (a new array owned by the caller)
     * @throws IdxFormatException for any defect of the contents, or a file that is not a 1-D unsigned-byte file
     * @throws IOException        when the file cannot be read
     */
    public static int[] readLabels(Path file) throws IOException {
        try (Source src = Source.open(file)) {
            Header h = readHeader(src, DEFAULT_MAX_DATA_BYTES, Expected.LABELS);
            return unsigned(readData(src, h, "label data"));
        }
    }

    private static int[] unsigned(byte[] data) {
        int[] values = new int[data.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = data[i] & 0xFF;
        }
        return values;
    }

    private static int[] expectedDims(String what, int... dims) {
        if (what == null) {
            throw new IllegalArgumentException("what is null, expected a name for the data such as \"MNIST images\"");
        }
        for (int d : dims) {
            if (d < 1) {
                throw new IllegalArgumentException("expected sizes " + shape(dims) + " of " + what + ", each must be >= 1");
            }
        }
        return dims;
    }

    /** Refuses a header whose sizes differ from {@code wanted}, before any data is read. */
    private static void requireDims(Source src, Header h, int[] wanted, String what) throws IdxFormatException {
        if (!Arrays.equals(h.dims, wanted)) {
            throw src.error("expected " + shape(wanted) + " " + what + ", found " + shape(h.dims)
                    + " in the header (a different data set, or a damaged file?); nothing was read beyond the header");
        }
    }

    // ------------------------------------------------------------------ header

    /** What a typed read expects; {@code null} means anything. */
    private enum Expected {
        IMAGES(IdxData.Type.UNSIGNED_BYTE, 3, "an unsigned-byte 3-D image file (count x rows x columns)"),
        LABELS(IdxData.Type.UNSIGNED_BYTE, 1, "an unsigned-byte 1-D label file");

        final IdxData.Type type;
        final int rank;
        final String description;

        Expected(IdxData.Type type, int rank, String description) {
            this.type = type;
            this.rank = rank;
            this.description = description;
        }

        int magic() {
            return (type.code() << 8) | rank;
        }
    }

    private record Header(IdxData.Type type, int[] dims, int headerBytes, long dataBytes) {
    }

    private static Header readHeader(Source src, long maxDataBytes, Expected expected) throws IOException {
        String wanted = expected == null
                ? "an IDX magic number 0x0000TTDD (two zero bytes, a type byte TT, a dimension count DD)"
                : String.format("the magic number 0x%08X of %s", expected.magic(), expected.description);
        byte[] magic = new byte[4];
        int n = src.readUpTo(magic, 0, 4);
        if (n == 0 && !src.gzip) {
            throw src.error("the file is empty (0 bytes), expected an IDX file starting with " + wanted);
        }
        if (n < 4) {
            throw src.error("expected a 4-byte header starting with " + wanted + ", found only " + n + " byte"
                    + (n == 1 ? "" : "s") + src.afterDecompression() + " (file truncated?)");
        }
        int m = int32(magic, 0);
        if (magic[0] != 0 || magic[1] != 0) {
            throw src.error(String.format("expected %s, found 0x%08X%s", wanted, m, magicHint(magic)));
        }
        IdxData.Type type = IdxData.Type.ofCode(magic[2] & 0xFF);
        if (type == null) {
            throw src.error(String.format("unknown data type byte 0x%02X in the magic number 0x%08X, expected one of %s",
                    magic[2] & 0xFF, m, IdxData.Type.known()));
        }
        int rank = magic[3] & 0xFF;
        if (rank < 1 || rank > MAX_DIMENSIONS) {
            throw src.error(String.format("the magic number 0x%08X declares %d dimensions, expected 1 to %d", m, rank, MAX_DIMENSIONS));
        }
        if (expected != null && (type != expected.type || rank != expected.rank)) {
            String hint = type == IdxData.Type.UNSIGNED_BYTE && rank == 1 ? ": a label file?"
                    : type == IdxData.Type.UNSIGNED_BYTE && rank == 3 ? ": an image file?" : "";
            throw src.error(String.format("expected %s (magic number 0x%08X), found magic number 0x%08X (%s data in %d dimension%s%s)",
                    expected.description, expected.magic(), m, type.description(), rank, rank == 1 ? "" : "s", hint));
        }
        byte[] dimBytes = new byte[4 * rank];
        n = src.readUpTo(dimBytes, 0, dimBytes.length);
        if (n < dimBytes.length) {
            throw src.error("expected a " + (4 + dimBytes.length) + "-byte header (magic number and " + rank + " dimension size"
                    + (rank == 1 ? "" : "s") + "), found only " + (4 + n) + " bytes" + src.afterDecompression() + " (file truncated?)");
        }
        int[] dims = new int[rank];
        for (int k = 0; k < rank; k++) {
            dims[k] = int32(dimBytes, 4 * k);
            if (dims[k] < 1) {
                throw src.error(String.format("dimension %d of %d is %d (0x%08X), expected a positive size (corrupt header?)",
                        k + 1, rank, dims[k], dims[k]));
            }
        }
        long count = product(dims);
        long bytes = count > maxDataBytes ? Long.MAX_VALUE : count * type.bytesPerElement();
        if (bytes > maxDataBytes) {
            throw src.error("the header promises " + shape(dims) + " elements of " + type.description() + " ("
                    + (count == Long.MAX_VALUE ? "more than 2^63" : String.valueOf(count * type.bytesPerElement()))
                    + " bytes of data), more than the limit of " + maxDataBytes + " bytes (corrupt header? for a genuinely"
                    + " larger file pass a larger limit to IdxReader.read(path, maxDataBytes))");
        }
        return new Header(type, dims, 4 + dimBytes.length, bytes);
    }

    /** Product of positive sizes, saturating at Long.MAX_VALUE. */
    private static long product(int[] dims) {
        long p = 1;
        for (int d : dims) {
            if (p > Long.MAX_VALUE / d) {
                return Long.MAX_VALUE;
            }
            p *= d;
        }
        return p;
    }

    private static String magicHint(byte[] magic) {
        if (magic[2] == 0 && magic[3] == 0 && magic[0] != 0) {
            return " (the bytes look reversed: a little-endian IDX file? IDX is big-endian)";
        }
        if (magic[0] == 'P' && magic[1] == 'K') {
            return " (a zip archive: unpack it first)";
        }
        boolean text = true;
        for (byte b : magic) {
            text &= (b >= 0x20 && b < 0x7F) || b == '\n' || b == '\r' || b == '\t';
        }
        if (text) {
            StringBuilder s = new StringBuilder();
            for (byte b : magic) {
                s.append(b >= 0x20 ? (char) b : ' ');
            }
            return " (the file starts with the text \"" + s + "\": an HTML error page or a Git LFS pointer instead of the data?)";
        }
        return "";
    }

    // ------------------------------------------------------------------ data

    private static byte[] readData(Source src, Header h, String what) throws IOException {
        long expected = h.dataBytes;
        if (!src.gzip) {
            long found = src.rawSize - h.headerBytes;
            if (found != expected) {
                throw src.error(sizeMismatch(src, h, what, found, false));
            }
        }
        byte[] data = new byte[(int) Math.min(expected, src.gzip ? INITIAL_CHUNK : expected)];
        int filled = 0;
        while (filled < expected) {
            if (filled == data.length) {
                data = Arrays.copyOf(data, (int) Math.min(expected, 2L * data.length));
            }
            int r = src.in.read(data, filled, data.length - filled);
            if (r < 0) {
                throw src.error(sizeMismatch(src, h, what, filled, false));
            }
            filled += r;
        }
        long surplus = src.countRest();
        if (surplus > 0) {
            throw src.error(sizeMismatch(src, h, what, expected + surplus, surplus > SURPLUS_COUNT_LIMIT));
        }
        if (src.gzip && ((StrictGzipInputStream) src.in).truncated()) {
            throw src.error("the gzip stream is cut off after the " + expected + " bytes of " + what
                    + ": its CRC/size trailer is missing (file truncated?)");
        }
        return data;
    }

    private static String sizeMismatch(Source src, Header h, String what, long found, boolean atLeast) {
        String layout = shape(h.dims) + (h.type.bytesPerElement() == 1 ? "" : " x " + h.type.bytesPerElement() + " bytes");
        String cause = found < h.dataBytes
                ? "file truncated?"
                : (found - h.dataBytes) + (atLeast ? " or more" : "") + " surplus bytes: wrong dimensions in the header, or another file appended?";
        return "expected " + h.dataBytes + " bytes of " + what + " after the header (" + layout + "), found "
                + (atLeast ? "more than " : "") + found + src.afterDecompression() + " (" + cause + ")";
    }

    /** "60000 x 28 x 28". */
    static String shape(int[] dims) {
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < dims.length; k++) {
            s.append(k == 0 ? "" : " x ").append(dims[k]);
        }
        return s.toString();
    }

    private static int int32(byte[] b, int off) {
        return (b[off] << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    // ------------------------------------------------------------------ source

    /** An open file: raw or decompressing, with the file name for messages. */
    private static final class Source implements Closeable {
        final Path file;
        final InputStream in;
        final boolean gzip;
        /** Length of a raw file in bytes; -1 for gzip. */
        final long rawSize;

        private Source(Path file, InputStream in, boolean gzip, long rawSize) {
            this.file = file;
            this.in = in;
            this.gzip = gzip;
            this.rawSize = rawSize;
        }

        static Source open(Path file) throws IOException {
            if (file == null) {
                throw new IllegalArgumentException("file is null, expected the path of an IDX file");
            }
            if (Files.isDirectory(file)) {
                throw new IOException(file + ": is a directory, expected an IDX file");
            }
            InputStream raw = Files.newInputStream(file);
            try {
                BufferedInputStream b = new BufferedInputStream(raw, 1 << 16);
                b.mark(2);
                int c0 = b.read();
                int c1 = b.read();
                b.reset();
                if (c0 == 0x1f && c1 == 0x8b) {
                    return new Source(file, new StrictGzipInputStream(b, file), true, -1);
                }
                return new Source(file, b, false, Files.size(file));
            } catch (IOException | RuntimeException e) {
                raw.close();
                throw e;
            }
        }

        /** Reads until {@code len} bytes or the end; returns the count read. */
        int readUpTo(byte[] b, int off, int len) throws IOException {
            int done = 0;
            while (done < len) {
                int r = in.read(b, off + done, len - done);
                if (r < 0) {
                    break;
                }
                done += r;
            }
            return done;
        }

        /** Reads to the end, counting (not keeping) at most about SURPLUS_COUNT_LIMIT + 1 bytes. */
        long countRest() throws IOException {
            byte[] scratch = new byte[8192];
            long count = 0;
            int r;
            while ((r = in.read(scratch, 0, scratch.length)) >= 0) {
                count += r;
                if (count > SURPLUS_COUNT_LIMIT) {
                    break;
                }
            }
            return count;
        }

        String afterDecompression() {
            return gzip ? " after decompression" : "";
        }

        IdxFormatException error(String detail) {
            return new IdxFormatException(file, detail);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
