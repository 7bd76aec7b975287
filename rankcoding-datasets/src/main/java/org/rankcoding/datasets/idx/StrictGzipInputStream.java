package org.rankcoding.datasets.idx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A gzip (RFC 1952) decompressing stream that, unlike {@link java.util.zip.GZIPInputStream}, rejects
 * trailing garbage after the last member instead of silently ignoring it, and reports every defect as an
 * {@link IdxFormatException} naming the file.
 *
 * <p>Checked: the magic bytes {@code 1f 8b}, compression method 8 (deflate), reserved flag bits zero, the
 * deflate data, each member's CRC-32 and ISIZE trailer. Several members in a row are decompressed as one
 * stream (as gzip does). A stream cut off before its end is not an exception here: {@link #read} returns
 * end-of-stream and {@link #truncated()} becomes true, so that the caller can report how much data it got.
 * The optional header CRC-16 is skipped, not checked.
 *
 * <p>Not thread-safe. Closing closes the underlying stream.
 */
final class StrictGzipInputStream extends InputStream {

    private static final int FHCRC = 0x02;
    private static final int FEXTRA = 0x04;
    private static final int FNAME = 0x08;
    private static final int FCOMMENT = 0x10;
    private static final int RESERVED = 0xE0;

    private final InputStream in;
    private final Path file;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] buf = new byte[1 << 16];
    private int bufPos;
    private int bufLen;
    /** Compressed bytes read from {@code in} before the current buffer contents. */
    private long bufBase;
    private long memberOut;
    private boolean eof;
    private boolean truncated;

    /**
     * Reads the first member's header.
     *
     * @param in   the compressed bytes, starting with {@code 1f 8b} (owned by this stream from now on)
     * @param file the file name for messages
     * @throws IdxFormatException for a malformed header
     */
    StrictGzipInputStream(InputStream in, Path file) throws IOException {
        this.in = in;
        this.file = file;
        int id1 = readByte();
        int id2 = readByte();
        if (id1 != 0x1f || id2 != 0x8b) {
            throw new IdxFormatException(file, "expected the gzip magic bytes 1f 8b, found " + hex(id1) + " " + hex(id2));
        }
        readMemberHeader();
    }

    /** Whether the compressed data ended before the gzip stream did (a cut-off file). */
    boolean truncated() {
        return truncated;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int idle = 0;
        while (!eof) {
            int n;
            try {
                n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                throw new IdxFormatException(file, "corrupt gzip data near compressed byte " + position() + " (" + e.getMessage()
                        + "); the file is damaged, fetch it again", e);
            }
            if (n > 0) {
                crc.update(b, off, n);
                memberOut += n;
                return n;
            }
            if (inflater.finished()) {
                bufPos = bufLen - inflater.getRemaining();
                endMember();
            } else if (inflater.needsDictionary()) {
                throw new IdxFormatException(file, "corrupt gzip data near compressed byte " + position()
                        + ": the deflate stream asks for a preset dictionary, which gzip never uses");
            } else if (inflater.needsInput()) {
                if (bufPos == bufLen && !fill()) {
                    truncated = true;
                    eof = true;
                    return -1;
                }
                inflater.setInput(buf, bufPos, bufLen - bufPos);
                bufPos = bufLen;
            } else if (++idle > 1000) {
                throw new IdxFormatException(file, "gzip decompression makes no progress near compressed byte " + position());
            }
        }
        return -1;
    }

    /** Checks the trailer of the member just finished and starts the next member, if any. */
    private void endMember() throws IOException {
        long trailerAt = position();
        long storedCrc = readLe32();
        long storedSize = readLe32();
        if (storedCrc < 0 || storedSize < 0) {
            truncated = true;
            eof = true;
            return;
        }
        if (storedCrc != crc.getValue()) {
            throw new IdxFormatException(file, String.format("gzip CRC-32 check failed: the trailer at compressed byte %d says %08x,"
                    + " the decompressed data give %08x; the file is damaged, fetch it again", trailerAt, storedCrc, crc.getValue()));
        }
        if (storedSize != (memberOut & 0xFFFFFFFFL)) {
            throw new IdxFormatException(file, "gzip size check failed: the trailer says " + storedSize
                    + " bytes (mod 2^32), the member decompressed to " + memberOut + "; the file is damaged, fetch it again");
        }
        long nextAt = position();
        int id1 = readByte();
        if (id1 < 0) {
            eof = true;
            return;
        }
        int id2 = readByte();
        if (id1 != 0x1f || id2 != 0x8b) {
            throw new IdxFormatException(file, "unexpected bytes after the end of the gzip stream at compressed byte " + nextAt
                    + " (found " + hex(id1) + " " + hex(id2) + ", expected the end of the file or another gzip member starting"
                    + " 1f 8b): trailing garbage, another file appended?");
        }
        readMemberHeader();
        inflater.reset();
        crc.reset();
        memberOut = 0;
    }

    /** Reads a member header after its two magic bytes. */
    private void readMemberHeader() throws IOException {
        int method = readByte();
        int flags = readByte();
        if (method < 0 || flags < 0 || skip(6) < 6) {
            cutOffHeader();
            return;
        }
        if (method != 8) {
            throw new IdxFormatException(file, "gzip header gives compression method " + method + ", expected 8 (deflate)");
        }
        if ((flags & RESERVED) != 0) {
            throw new IdxFormatException(file, String.format("gzip header has reserved flag bits set (flags %02x), expected"
                    + " them zero; the file is damaged or not gzip", flags));
        }
        if ((flags & FEXTRA) != 0) {
            int lo = readByte();
            int hi = readByte();
            if (hi < 0 || skip((hi << 8) | lo) < ((hi << 8) | lo)) {
                cutOffHeader();
                return;
            }
        }
        for (int flag : new int[] {FNAME, FCOMMENT}) {
            if ((flags & flag) != 0) {
                int c;
                do {
                    c = readByte();
                } while (c > 0);
                if (c < 0) {
                    cutOffHeader();
                    return;
                }
            }
        }
        if ((flags & FHCRC) != 0 && skip(2) < 2) {
            cutOffHeader();
        }
    }

    private void cutOffHeader() {
        truncated = true;
        eof = true;
    }

    private long position() {
        return bufBase + bufPos;
    }

    private boolean fill() throws IOException {
        bufBase += bufLen;
        bufPos = 0;
        bufLen = 0;
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        bufLen = n;
        return true;
    }

    private int readByte() throws IOException {
        if (bufPos == bufLen && !fill()) {
            return -1;
        }
        return buf[bufPos++] & 0xFF;
    }

    /** Skips up to {@code n} compressed bytes; returns how many were skipped. */
    private long skip(int n) throws IOException {
        long done = 0;
        while (done < n && readByte() >= 0) {
            done++;
        }
        return done;
    }

    /** A little-endian unsigned 32-bit value, or -1 at end of input. */
    private long readLe32() throws IOException {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            int c = readByte();
            if (c < 0) {
                return -1;
            }
            v |= (long) c << (8 * i);
        }
        return v;
    }

    private static String hex(int c) {
        return c < 0 ? "(end of file)" : String.format("%02x", c);
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        in.close();
    }
}
