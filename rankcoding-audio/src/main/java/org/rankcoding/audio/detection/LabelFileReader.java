package org.rankcoding.audio.detection;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a label file of three comma-separated fields per line, strictly and within bounds: UTF-8 only, no control
 * characters, lines ended by {@code \n} or {@code \r\n} (the last one may lack it), at most {@link #MAX_LINE_BYTES}
 * bytes per line (the buffer never grows), at most {@link #MAX_ROWS} rows; a byte-order mark at the start is skipped.
 * The first line must be the header. Fields are separated by commas and stripped of surrounding spaces; quoting is
 * not part of the format. Every refusal is a {@link LabelFormatException} naming the file and the line.
 */
final class LabelFileReader implements Closeable {

    /** The longest line accepted, in bytes. */
    static final int MAX_LINE_BYTES = 4096;
    /** The most data rows accepted in one file. */
    static final int MAX_ROWS = 10_000_000;
    /** The largest sample index accepted in a field: 2^40 (about 2 years of audio at 16 kHz). */
    static final long MAX_SAMPLE = 1L << 40;

    private final Path file;
    private final InputStream in;
    private final byte[] line = new byte[MAX_LINE_BYTES];
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private int lineNumber;
    private int rows;
    private boolean eof;

    private LabelFileReader(Path file, InputStream in) {
        this.file = file;
        this.in = in;
    }

    /**
     * Opens {@code file} and checks its first line against {@code header}.
     *
     * @throws java.nio.file.NoSuchFileException when the file is missing
     * @throws LabelFormatException              when it is empty or its first line is not the header
     */
    static LabelFileReader open(Path file, String header) throws IOException {
        LabelFileReader r = new LabelFileReader(file, new BufferedInputStream(Files.newInputStream(file), 65536));
        try {
            String first = r.nextLine();
            if (first == null) {
                throw r.error(1, "the file is empty, expected the header '" + header + "' (a file without rows still has it)");
            }
            if (first.startsWith("\uFEFF")) {
                first = first.substring(1);
            }
            if (!first.strip().equals(header)) {
                throw r.error(1, "header '" + first + "', expected '" + header + "'");
            }
            return r;
        } catch (IOException | RuntimeException e) {
            r.close();
            throw e;
        }
    }

    /** The file being read. */
    Path file() {
        return file;
    }

    /** The 1-based number of the line last returned. */
    int lineNumber() {
        return lineNumber;
    }

    /**
     * The fields of the next data row (exactly three), or {@code null} at the end of the file. Blank lines are refused.
     */
    String[] nextRow() throws IOException {
        String text = nextLine();
        if (text == null) {
            return null;
        }
        if (++rows > MAX_ROWS) {
            throw error(lineNumber, "more than " + MAX_ROWS + " rows; a damaged file?");
        }
        String[] fields = text.split(",", -1);
        if (fields.length != 3) {
            throw error(lineNumber, "'" + text + "' has " + fields.length + " field" + (fields.length == 1 ? "" : "s")
                    + ", expected 3 separated by commas (blank lines are not allowed)");
        }
        for (int i = 0; i < 3; i++) {
            fields[i] = fields[i].strip();
            if (fields[i].indexOf('"') >= 0) {
                throw error(lineNumber, "field " + (i + 1) + ": '" + fields[i] + "' has a quote; fields are not quoted in this format");
            }
        }
        return fields;
    }

    /**
     * A sample index from a field: decimal digits only, in {@code [0, max]}.
     *
     * @param name  the field's name in the header, for the message
     * @param text  the field
     * @param max   the largest value allowed
     * @param bound what {@code max} is, for the message (e.g. "the clip's length")
     */
    long sample(String name, String text, long max, String bound) throws LabelFormatException {
        if (text.isEmpty() || text.length() > 13 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw error(lineNumber, "field " + name + ": '" + text + "', expected a sample index: a whole number >= 0 written"
                    + " with digits only");
        }
        long v = Long.parseLong(text);
        if (v > max) {
            throw error(lineNumber, "field " + name + ": " + v + ", expected at most " + max + " (" + bound + ")");
        }
        return v;
    }

    LabelFormatException error(int line, String detail) {
        return new LabelFormatException(file, line, detail);
    }

    /** The next line without its end, or {@code null} at the end of the file. */
    private String nextLine() throws IOException {
        if (eof) {
            return null;
        }
        int n = 0;
        lineNumber++;
        while (true) {
            int b = in.read();
            if (b < 0) {
                eof = true;
                if (n == 0) {
                    lineNumber--;
                    return null;
                }
                break;
            }
            if (b == '\n') {
                break;
            }
            if (n == line.length) {
                throw error(lineNumber, "longer than " + MAX_LINE_BYTES + " bytes; a damaged file, or not a label file?");
            }
            line[n++] = (byte) b;
        }
        if (n > 0 && line[n - 1] == '\r') {
            n--;
        }
        String text;
        try {
            text = decoder.reset().decode(ByteBuffer.wrap(line, 0, n)).toString();
        } catch (CharacterCodingException e) {
            throw error(lineNumber, "not valid UTF-8 text: a binary file, or a text file in another encoding? save it as UTF-8");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                throw error(lineNumber, String.format("column %d: control character U+%04X, but a label file is text", i + 1, (int) c));
            }
        }
        return text;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
