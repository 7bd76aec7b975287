package org.rankcoding.audio.detection;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;
import static org.rankcoding.testing.Refusals.assertRefusal;

/** {@link StreamLabels}: the format of {@code NAME.labels.csv}, its bounds and order, and the in-memory form. */
class StreamLabelsTest {

    @TempDir
    Path dir;

    private static final String HEADER = "word,start_sample,end_sample\n";

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("long.labels.csv"), text);
    }

    private void refused(String text, long length, int line, String... fragments) throws IOException {
        Path f = write(text);
        LabelFormatException e = assertRefusal(LabelFormatException.class, () -> StreamLabels.read(f, length, 16_000), fragments);
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(true, e.getMessage().startsWith(f + ": line " + line + ": "), e.getMessage());
    }

    /** A WAV file of {@code samples} zero samples at 16 kHz. */
    private static byte[] silentWav(int samples) {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * samples).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * samples).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(16_000).putInt(32_000)
                .putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(2 * samples);
        return b.array();
    }

    @Test
    void readsTheWordsInTimeOrder() throws IOException {
        Path f = write(HEADER + "yes,16800,24100\nseven,24100,31000\r\n  no , 40000 , 48000 \nyes,50000,57600");
        StreamLabels l = StreamLabels.read(f, 57_600, 16_000);
        assertEquals(List.of(new LabeledWord("yes", 16_800, 24_100), new LabeledWord("seven", 24_100, 31_000),
                new LabeledWord("no", 40_000, 48_000), new LabeledWord("yes", 50_000, 57_600)), l.words());
        assertEquals(List.of(new LabeledWord("yes", 16_800, 24_100), new LabeledWord("yes", 50_000, 57_600)), l.words(Set.of("yes", "up")));
        assertEquals(57_600, l.recordingSamples());
        assertEquals(16_000, l.sampleRate());
        assertEquals(3.6 / 3600, l.hours(), 1e-15);

        StreamLabels none = StreamLabels.read(write(HEADER), 16_000 * 3600L, 16_000);
        assertEquals(List.of(), none.words());
        assertEquals(1.0, none.hours());
    }

    @Test
    void theRecordingsLabelsAreBesideIt() throws IOException {
        Path wav = Files.write(dir.resolve("street.wav"), silentWav(48_000));
        Files.writeString(dir.resolve("street.labels.csv"), HEADER + "go,100,8000\n");
        assertEquals(dir.resolve("street.labels.csv"), StreamLabels.labelsFile(wav));
        StreamLabels l = StreamLabels.forRecording(wav);
        assertEquals(48_000, l.recordingSamples());
        assertEquals(List.of(new LabeledWord("go", 100, 8_000)), l.words());
        Files.writeString(dir.resolve("street.labels.csv"), HEADER + "go,100,48001\n");
        assertRefusal(LabelFormatException.class, () -> StreamLabels.forRecording(wav),
                "line 2: field end_sample: 48001, expected at most 48000 (the recording's length)");
        Path other = Files.write(dir.resolve("other.wav"), silentWav(10));
        assertThrows(NoSuchFileException.class, () -> StreamLabels.forRecording(other));
        assertIllegalArgument(() -> StreamLabels.labelsFile(dir.resolve("street.mp3")), "expected a recording named NAME.wav");
        assertIllegalArgument(() -> StreamLabels.labelsFile(dir.resolve(".wav")), "NAME.labels.csv");
    }

    @Test
    void rowsAreCheckedFieldByField() throws IOException {
        refused("", 100, 1, "the file is empty, expected the header 'word,start_sample,end_sample'");
        refused("file,start_sample,end_sample\n", 100, 1, "header 'file,start_sample,end_sample', expected 'word,start_sample,end_sample'");
        refused(HEADER + ",1,2\n", 100, 2, "field word: empty");
        refused(HEADER + "yes,1\n", 100, 2, "has 2 fields, expected 3");
        refused(HEADER + "yes,-1,2\n", 100, 2, "field start_sample: '-1', expected a sample index");
        refused(HEADER + "yes,1,2.5\n", 100, 2, "field end_sample: '2.5'");
        refused(HEADER + "yes,10,10\n", 100, 2, "field end_sample: 10, expected more than start_sample 10");
        refused(HEADER + "yes,10,101\n", 100, 2, "field end_sample: 101, expected at most 100 (the recording's length)");
        refused(HEADER + "yes,100,101\n", 100, 2, "field start_sample: 100, expected at most 99 (the recording's last sample; it has 100 samples)");
        refused(HEADER + "yes,0,1\n", 0, 2, "field start_sample: 0, expected at most -1 (the recording's last sample; it has 0 samples)");
        refused(HEADER + "yes,10,20\nno,19,30\n", 100, 3, "field start_sample: 19, but the word on the line before ends at 20",
                "in time order and words do not overlap");
        refused(HEADER + "yes,50,60\nno,10,20\n", 100, 3, "field start_sample: 10, but the word on the line before ends at 60");
        refused(HEADER + "yes,1,2\n\n", 100, 3, "blank lines are not allowed");
        refused(HEADER + "y" + "e".repeat(4100) + ",1,2\n", 100, 2, "longer than 4096 bytes");
        refused(HEADER + "yes,1,2\nno\u0000,3,4\n", 100, 3, "control character U+0000");
        refused(HEADER + "yes,1,2\nno,3,99999999999999\n", 1L << 50, 3, "field end_sample: '99999999999999'");
    }

    @Test
    void argumentsAndLabelsInMemoryAreChecked() throws IOException {
        Path f = write(HEADER);
        assertIllegalArgument(() -> StreamLabels.read(f, -1, 16_000), "recordingSamples = -1");
        assertIllegalArgument(() -> StreamLabels.read(f, 10, 0), "sampleRate = 0");
        assertEquals(2, StreamLabels.of(List.of(new LabeledWord("a", 0, 5), new LabeledWord("b", 5, 9)), 9, 8_000).words().size());
        assertIllegalArgument(() -> StreamLabels.of(List.of(new LabeledWord("a", 0, 5), new LabeledWord("b", 4, 9)), 9, 8_000),
                "words[1]", "starts before the previous word ends at 5");
        assertIllegalArgument(() -> StreamLabels.of(List.of(new LabeledWord("a", 0, 10)), 9, 8_000), "ends after the recording's 9 samples");
        assertIllegalArgument(() -> new LabeledWord("a", 3, 3), "expected 0 <= start < end");
        assertIllegalArgument(() -> new LabeledWord("", 3, 4), "word is empty");
    }
}
