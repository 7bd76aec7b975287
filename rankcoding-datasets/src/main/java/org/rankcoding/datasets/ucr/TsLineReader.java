package org.rankcoding.datasets.ucr;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a text file line by line, strictly and within bounds: UTF-8 only (malformed bytes are refused, not replaced),
 * no control characters other than tab, lines ended by {@code \n} or {@code \r\n}, no line longer than the limit
 * (the buffer never grows beyond it). A byte-order mark at the start is skipped. Every refusal is a
 * {@link TsFormatException} naming the file and the line.
 */
final class TsLineReader implements Closeable {

    private final Path file;
    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final int maxLineChars;
    private final ByteBuffer bytes = ByteBuffer.allocate(8192);
    private final char[] buffer = new char[8192];
    private final CharBuffer chars = CharBuffer.wrap(buffer);
    private boolean inputDone;
    /** Set when the decoder met bytes that are not UTF-8; reported once the characters before them are consumed. */
    private CoderResult badBytes;
    private final StringBuilder line = new StringBuilder();
    private int pos;
    private int end;
    private int lineNumber;
    private boolean eof;
    private long charsRead;

    private TsLineReader(Path file, InputStream in, int maxLineChars) {
        this.file = file;
        this.in = in;
        this.maxLineChars = maxLineChars;
    }

    /** Opens {@code file} for reading; a missing or unreadable file is the usual {@code java.nio.file} exception. */
    static TsLineReader open(Path file, int maxLineChars) throws IOException {
        return new TsLineReader(file, Files.newInputStream(file), maxLineChars);
    }

    /** The file being read. */
    Path file() {
        return file;
    }

    /** The number of the line last returned by {@link #next()} (1-based), or of the line being read. */
    int lineNumber() {
        return lineNumber;
    }

    /**
     * The next line without its line end, or {@code null} at the end of the file.
     *
     * @throws TsFormatException for malformed UTF-8, a control character or a line over the limit
     */
    String next() throws IOException {
        if (eof) {
            return null;
        }
        line.setLength(0);
        lineNumber++;
        while (true) {
            if (pos == end && !fill()) {
                eof = true;
                if (line.length() == 0) {
                    lineNumber--;
                    return null;
                }
                return finish();
            }
            char c = buffer[pos++];
            if (c == '\n') {
                return finish();
            }
            if (c < 0x20 && c != '\t' && c != '\r' || c == 0x7F) {
                throw error(String.format("column %d: control character U+%04X, but a .ts file is text (a binary or"
                        + " compressed file? unpack it first)", line.length() + 1, (int) c));
            }
            if (line.length() >= maxLineChars) {
                throw error("longer than the limit of " + maxLineChars + " characters (TsLimits.maxLineChars); a damaged"
                        + " file, or pass larger TsLimits for a genuinely longer series");
            }
            if (c != '\uFEFF' || lineNumber != 1 || line.length() != 0) {
                line.append(c);
            }
        }
    }

    /** Whether the file has had no characters at all (so far). */
    boolean empty() {
        return charsRead == 0;
    }

    private String finish() throws TsFormatException {
        int n = line.length();
        if (n > 0 && line.charAt(n - 1) == '\r') {
            line.setLength(n - 1);
        }
        int cr = line.indexOf("\r");
        if (cr >= 0) {
            throw error("column " + (cr + 1) + ": a carriage return inside the line; lines must end with \\n or \\r\\n");
        }
        return line.toString();
    }

    /** Decodes the next characters into the buffer; false at the end of the file. */
    private boolean fill() throws IOException {
        if (badBytes != null) {
            throw error("column " + (line.length() + 1) + ": not valid UTF-8 text (" + badBytes + "): a binary file, or a"
                    + " text file in another encoding? save it as UTF-8");
        }
        chars.clear();
        while (true) {
            if (!inputDone && bytes.hasRemaining()) {
                int r = in.read(bytes.array(), bytes.position(), bytes.remaining());
                if (r < 0) {
                    inputDone = true;
                } else {
                    bytes.position(bytes.position() + r);
                }
            }
            bytes.flip();
            CoderResult result = decoder.decode(bytes, chars, inputDone);
            bytes.compact();
            if (result.isError()) {
                badBytes = result;
                break;
            }
            if (chars.position() > 0 || inputDone && bytes.position() == 0) {
                break;
            }
        }
        chars.flip();
        pos = 0;
        end = chars.limit();
        charsRead += end;
        if (end == 0 && badBytes != null) {
            return fill();
        }
        return end > 0;
    }

    TsFormatException error(String detail) {
        return new TsFormatException(file, Math.max(1, lineNumber), detail);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
