package org.rankcoding.audio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads WAV files of 16-bit integer PCM mono audio, the format of the Speech Commands data set.
 *
 * <h2>What is accepted</h2>
 * <pre>
 *   offset 0   "RIFF", uint32 size (of everything after these 8 bytes), "WAVE"
 *   offset 12  chunks: 4-byte id, uint32 body size, body, one pad byte after an odd-sized body
 *     "fmt "   at least 16 bytes: format tag, channels, sample rate, byte rate, block align, bits per sample
 *     "data"   the samples: little-endian signed 16-bit integers
 *     other    (LIST, fact, cue , JUNK, ...) skipped
 * </pre>
 * All numbers are little-endian. The format tag must be 1 (integer PCM), or {@code 0xFFFE}
 * (WAVE_FORMAT_EXTENSIBLE) with the PCM sub-format GUID {@code 00000001-0000-0010-8000-00AA00389B71} and 1 to 16
 * valid bits. The file must be mono (1 channel) with 16 bits per sample, block align 2 and byte rate = 2 x sample
 * rate. The fmt chunk must come before the data chunk; each appears exactly once. A data chunk of 0 bytes is
 * accepted (an empty clip).
 *
 * <h2>Sizes</h2>
 * Every chunk's declared size is checked against the bytes actually present: a chunk (in particular the data
 * chunk) that declares more bytes than follow is an error ({@code "file truncated?"}), and so is a RIFF size that
 * promises more bytes than the file has, or a chunk header cut short. The one tolerated shortfall is the pad byte
 * after an odd-sized last chunk, which many writers omit. Bytes after the end that the RIFF size declares are
 * ignored. Files larger than {@link #MAX_FILE_BYTES} are rejected before being read.
 *
 * <h2>Errors</h2>
 * Every defect of the contents is a {@link WavFormatException} (an {@link IOException}) whose message starts with
 * the file's path and says what was expected and what was found, e.g. {@code "clip.wav: 2 channels, expected mono
 * (1)"}. A missing or unreadable file is the usual {@code java.nio.file} exception; a bad argument an
 * {@link IllegalArgumentException}.
 *
 * <p>Samples are returned as floats in {@code [-1, 1)}: the 16-bit value {@code v} becomes {@code v / 32768}.
 *
 * <p>Stateless and thread-safe; every call reads its file completely and closes it.
 */
public final class WavReader {

    /** Passed as the expected sample rate: accept any rate. */
    public static final int ANY_RATE = 0;

    /** Largest file read: 1 GiB (a 1 s Speech Commands clip is 32,044 bytes, a background-noise file ~2 MB). */
    public static final long MAX_FILE_BYTES = 1L << 30;

    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;

    /** Bytes 2..15 of every KSDATAFORMAT_SUBTYPE GUID (the first two are the format tag). */
    private static final byte[] GUID_SUFFIX = {
            0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71};

    private WavReader() {
    }

    /**
     * Reads a WAV file at any sample rate.
     *
     * @param file a 16-bit PCM mono WAV file
     * @return its samples and rate, owned by the caller
     * @throws WavFormatException for any defect of the contents (see the class comment)
     * @throws IOException        when the file cannot be read
     */
    public static AudioClip read(Path file) throws IOException {
        return read(file, ANY_RATE);
    }

    /**
     * Reads a WAV file that must have the given sample rate.
     *
     * @param file         a 16-bit PCM mono WAV file
     * @param expectedRate the required sample rate in Hz, or {@link #ANY_RATE}
     * @return its samples and rate, owned by the caller
     * @throws WavFormatException       for any defect of the contents, or another sample rate
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException for a null file or a negative rate
     */
    public static AudioClip read(Path file, int expectedRate) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("file is null");
        }
        checkRate(expectedRate);
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new WavFormatException(file, file.toString(), "the file has " + size + " bytes, expected at most "
                    + MAX_FILE_BYTES + " (WavReader.MAX_FILE_BYTES)");
        }
        return parse(Files.readAllBytes(file), file, file.toString(), expectedRate);
    }

    /**
     * Reads a clip and pads or cuts it to exactly {@code length} samples, the way the Speech Commands tools do:
     * a shorter clip gets zeros appended at the end, a longer one loses its end.
     *
     * @param file         a 16-bit PCM mono WAV file
     * @param expectedRate the required sample rate in Hz, or {@link #ANY_RATE}
     * @param length       the number of samples wanted, at least 1 (16,000 for 1 s at 16 kHz)
     * @return a new array of exactly {@code length} samples in {@code [-1, 1)}, owned by the caller
     * @throws WavFormatException       for any defect of the contents, or another sample rate
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException for a null file, a negative rate or a length below 1
     */
    public static float[] readFixedLength(Path file, int expectedRate, int length) throws IOException {
        if (length < 1) {
            throw new IllegalArgumentException("length = " + length + " samples, expected >= 1");
        }
        return padOrCut(read(file, expectedRate).samples(), length);
    }

    /**
     * Parses the bytes of a WAV file held in memory.
     *
     * @param bytes        the whole file (not modified)
     * @param name         names the data in error messages (e.g. a file name or URL)
     * @param expectedRate the required sample rate in Hz, or {@link #ANY_RATE}
     * @return its samples and rate, owned by the caller
     * @throws WavFormatException       for any defect of the contents (see the class comment)
     * @throws IllegalArgumentException for null bytes or a negative rate
     */
    public static AudioClip parse(byte[] bytes, String name, int expectedRate) throws WavFormatException {
        if (bytes == null) {
            throw new IllegalArgumentException("bytes is null");
        }
        checkRate(expectedRate);
        return parse(bytes, null, String.valueOf(name), expectedRate);
    }

    /**
     * Pads with zeros at the end, or cuts at the end, to exactly {@code length} samples.
     *
     * @param samples the samples (not modified)
     * @param length  the number of samples wanted, at least 0
     * @return a new array of {@code length} samples, owned by the caller
     */
    public static float[] padOrCut(float[] samples, int length) {
        if (samples == null) {
            throw new IllegalArgumentException("samples is null");
        }
        if (length < 0) {
            throw new IllegalArgumentException("length = " + length + " samples, expected >= 0");
        }
        return Arrays.copyOf(samples, length);
    }

    // ------------------------------------------------------------------ parsing

    private static void checkRate(int expectedRate) {
        if (expectedRate < 0) {
            throw new IllegalArgumentException("expectedRate = " + expectedRate + " Hz, expected > 0 or ANY_RATE (0)");
        }
    }

    private record Format(int sampleRate) {
    }

    private static AudioClip parse(byte[] b, Path file, String name, int expectedRate) throws WavFormatException {
        int length = b.length;
        if (length == 0) {
            throw error(file, name, "the file is empty (0 bytes), expected a RIFF/WAVE file");
        }
        if (length < 12) {
            throw error(file, name, "header cut short: the file has only " + length + " byte" + (length == 1 ? "" : "s")
                    + ", expected at least the 12-byte RIFF header ('RIFF', size, 'WAVE')");
        }
        String magic = fourCc(b, 0);
        if (!magic.equals("RIFF")) {
            String what = magic.equals("RIFX") ? " (a big-endian RIFX file; only little-endian RIFF is supported)"
                    : magic.equals("RF64") ? " (a 64-bit RF64 file; only RIFF is supported)" : " (not a WAV file?)";
            throw error(file, name, "expected the magic 'RIFF' at offset 0, found " + describeFourCc(b, 0) + what);
        }
        String form = fourCc(b, 8);
        if (!form.equals("WAVE")) {
            throw error(file, name, "RIFF form type " + describeFourCc(b, 8) + ", expected 'WAVE' (a RIFF file, but not a WAV file)");
        }
        long riffEnd = 8 + u32(b, 4);
        long limit = Math.min(riffEnd, length);
        boolean finalPadMissing = false;
        Format format = null;
        int dataOffset = -1;
        int dataSize = -1;
        List<String> seen = new ArrayList<>();
        long pos = 12;
        while (pos < limit) {
            if (limit - pos < 8) {
                throw error(file, name, "header cut short: expected an 8-byte chunk header at offset " + pos + ", found only "
                        + (limit - pos) + " byte" + (limit - pos == 1 ? "" : "s") + " (file truncated?)");
            }
            int at = (int) pos;
            String id = fourCc(b, at);
            long size = u32(b, at + 4);
            long body = pos + 8;
            long available = limit - body;
            String chunk = "the " + describeFourCc(b, at) + " chunk at offset " + pos;
            seen.add(describeFourCc(b, at));
            if (size > available) {
                throw error(file, name, chunk + " declares " + size + " bytes, but only " + available + " follow"
                        + (riffEnd < length ? " within the RIFF size" : "") + " (file truncated?)");
            }
            if (id.equals("fmt ")) {
                if (format != null) {
                    throw error(file, name, "a second fmt chunk at offset " + pos + ", expected exactly one");
                }
                format = parseFormat(b, (int) body, (int) size, file, name, expectedRate);
            } else if (id.equals("data")) {
                if (format == null) {
                    throw error(file, name, chunk + " comes before any fmt chunk, expected the fmt chunk first");
                }
                if (dataOffset >= 0) {
                    throw error(file, name, "a second data chunk at offset " + pos + ", expected exactly one");
                }
                if (size % 2 != 0) {
                    throw error(file, name, chunk + " has " + size + " bytes, not a whole number of 2-byte samples");
                }
                dataOffset = (int) body;
                dataSize = (int) size;
            }
            long next = body + size + (size & 1);
            if (next > limit) {
                // Only the pad byte after an odd-sized last chunk can be missing here (size <= available above).
                finalPadMissing = true;
            }
            pos = next;
        }
        if (format == null) {
            throw error(file, name, "no fmt chunk, expected one before the data chunk; chunks found: " + listOrNone(seen));
        }
        if (dataOffset < 0) {
            throw error(file, name, "no data chunk; chunks found: " + listOrNone(seen));
        }
        if (riffEnd > length + (finalPadMissing ? 1 : 0)) {
            throw error(file, name, "the RIFF header declares " + riffEnd + " bytes, but the file has only " + length
                    + " (file truncated?)");
        }
        float[] samples = new float[dataSize / 2];
        for (int i = 0, p = dataOffset; i < samples.length; i++, p += 2) {
            samples[i] = (short) ((b[p] & 0xFF) | (b[p + 1] << 8)) / 32768f;
        }
        return new AudioClip(samples, format.sampleRate());
    }

    private static Format parseFormat(byte[] b, int at, int size, Path file, String name, int expectedRate)
            throws WavFormatException {
        if (size < 16) {
            throw error(file, name, "the fmt chunk at offset " + (at - 8) + " has " + size + " bytes, expected at least 16");
        }
        int tag = u16(b, at);
        int channels = u16(b, at + 2);
        long rate = u32(b, at + 4);
        long byteRate = u32(b, at + 8);
        int blockAlign = u16(b, at + 12);
        int bits = u16(b, at + 14);
        int validBits = bits;
        if (tag == FORMAT_EXTENSIBLE) {
            if (size < 40) {
                throw error(file, name, "WAVE_FORMAT_EXTENSIBLE fmt chunk of " + size + " bytes, expected at least 40");
            }
            int extra = u16(b, at + 16);
            if (extra < 22) {
                throw error(file, name, "WAVE_FORMAT_EXTENSIBLE with " + extra + " extension bytes (cbSize), expected at least 22");
            }
            validBits = u16(b, at + 18);
            int subFormat = u16(b, at + 24);
            if (!Arrays.equals(b, at + 26, at + 40, GUID_SUFFIX, 0, GUID_SUFFIX.length)) {
                throw error(file, name, "WAVE_FORMAT_EXTENSIBLE with an unknown sub-format GUID, expected the PCM GUID "
                        + "00000001-0000-0010-8000-00AA00389B71");
            }
            if (subFormat != FORMAT_PCM) {
                throw error(file, name, "WAVE_FORMAT_EXTENSIBLE with sub-format " + describeTag(subFormat)
                        + ", expected 16-bit integer PCM (sub-format 1)");
            }
        } else if (tag != FORMAT_PCM) {
            throw error(file, name, "format " + describeTag(tag) + ", expected 16-bit integer PCM (format 1, or "
                    + "WAVE_FORMAT_EXTENSIBLE 0xFFFE with the PCM sub-format)");
        }
        if (channels != 1) {
            throw error(file, name, channels + " channels, expected mono (1)");
        }
        if (bits != 16) {
            throw error(file, name, bits + "-bit samples, expected 16-bit");
        }
        if (validBits < 1 || validBits > 16) {
            throw error(file, name, validBits + " valid bits per 16-bit sample, expected 1 to 16");
        }
        if (rate < 1 || rate > Integer.MAX_VALUE) {
            throw error(file, name, "sample rate " + rate + " Hz, expected 1 to " + Integer.MAX_VALUE);
        }
        if (blockAlign != 2) {
            throw error(file, name, "block align " + blockAlign + " bytes, expected 2 (1 channel x 16 bits)");
        }
        if (byteRate != 2 * rate) {
            throw error(file, name, "byte rate " + byteRate + " bytes/s, expected " + 2 * rate + " (sample rate "
                    + rate + " Hz x block align 2)");
        }
        if (expectedRate != ANY_RATE && rate != expectedRate) {
            throw error(file, name, "sample rate " + rate + " Hz, expected " + expectedRate + " Hz");
        }
        return new Format((int) rate);
    }

    private static String describeTag(int tag) {
        String known = switch (tag) {
            case 1 -> "integer PCM";
            case 2 -> "Microsoft ADPCM";
            case 3 -> "IEEE float";
            case 6 -> "A-law";
            case 7 -> "mu-law";
            case 0x11 -> "IMA ADPCM";
            case 0x55 -> "MPEG layer 3";
            case FORMAT_EXTENSIBLE -> "WAVE_FORMAT_EXTENSIBLE";
            default -> null;
        };
        return String.format("0x%04X", tag) + (known == null ? "" : " (" + known + ")");
    }

    private static WavFormatException error(Path file, String name, String detail) {
        return new WavFormatException(file, name, detail);
    }

    private static String listOrNone(List<String> ids) {
        return ids.isEmpty() ? "none" : String.join(", ", ids);
    }

    private static String fourCc(byte[] b, int at) {
        return new String(b, at, 4, StandardCharsets.ISO_8859_1);
    }

    /** {@code 'LIST'} for printable ASCII, else the bytes in hex. */
    private static String describeFourCc(byte[] b, int at) {
        boolean printable = true;
        for (int i = at; i < at + 4; i++) {
            printable &= b[i] >= 0x20 && b[i] < 0x7F;
        }
        if (printable) {
            return "'" + fourCc(b, at) + "'";
        }
        return String.format("bytes %02X %02X %02X %02X", b[at], b[at + 1], b[at + 2], b[at + 3]);
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] b, int at) {
        return ((b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (long) (b[at + 3] & 0xFF) << 24);
    }
}
