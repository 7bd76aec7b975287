package org.rankcoding.audio.detection;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;
import static org.rankcoding.testing.Refusals.assertRefusal;

/** {@link WordBounds}: the format of {@code word_bounds.csv}, and a message naming file, line and field for every defect. */
class WordBoundsTest {

    @TempDir
    Path dir;

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve(WordBounds.FILE_NAME), text, StandardCharsets.UTF_8);
    }

    private LabelFormatException refused(String text, int line, String... fragments) throws IOException {
        Path f = write(text);
        LabelFormatException e = assertRefusal(LabelFormatException.class, () -> WordBounds.read(dir), fragments);
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(f, e.file());
        assertEquals(f + ": line " + line + ": ", e.getMessage().substring(0, (f + ": line " + line + ": ").length()));
        return e;
    }

    @Test
    void readsEveryClipsSpan() throws IOException {
        write("\uFEFFfile,start_sample,end_sample\r\nyes/0a7c2a8d_nohash_0.wav,3120,9870\r\n no/b_nohash_1.wav , 0 , 16000 \n"
                + "seven/c_nohash_0.wav,15999,16000");
        WordBounds b = WordBounds.read(dir);
        assertEquals(3, b.size());
        assertEquals(List.of("yes/0a7c2a8d_nohash_0.wav", "no/b_nohash_1.wav", "seven/c_nohash_0.wav"), List.copyOf(b.files()));
        assertEquals(Optional.of(new WordBounds.Span(3120, 9870)), b.get("yes/0a7c2a8d_nohash_0.wav"));
        assertEquals(16000, b.get("no/b_nohash_1.wav").orElseThrow().length());
        assertEquals(1, b.get("seven/c_nohash_0.wav").orElseThrow().length());
        assertEquals(Optional.empty(), b.get("up/x.wav"));
        assertEquals(dir.resolve("word_bounds.csv"), b.file());

        write("file,start_sample,end_sample\n");
        assertEquals(0, WordBounds.read(dir).size());
    }

    @Test
    void headerAndShapeDefectsNameTheLine() throws IOException {
        refused("", 1, "the file is empty, expected the header 'file,start_sample,end_sample'");
        refused("file,start,end\nyes/a.wav,1,2\n", 1, "header 'file,start,end', expected 'file,start_sample,end_sample'");
        refused("file,start_sample,end_sample\nyes/a.wav,1,2\nyes/b.wav,1\n", 3, "'yes/b.wav,1' has 2 fields, expected 3");
        refused("file,start_sample,end_sample\nyes/a.wav,1,2,3\n", 2, "has 4 fields");
        refused("file,start_sample,end_sample\n\nyes/a.wav,1,2\n", 2, "has 1 field, expected 3", "blank lines are not allowed");
        refused("file,start_sample,end_sample\n\"yes/a.wav\",1,2\n", 2, "field 1", "has a quote");
    }

    @Test
    void pathsMustBeRelativeWithSlashes() throws IOException {
        for (String bad : new String[] {"", "/yes/a.wav", "yes\\a.wav", "yes//a.wav", "../yes/a.wav", "yes/./a.wav", "yes/"}) {
            refused("file,start_sample,end_sample\n" + bad + ",1,2\n", 2, "field file: '" + bad + "', expected a path relative");
        }
        refused("file,start_sample,end_sample\nyes/a.wav,1,2\nno/b.wav,1,2\nyes/a.wav,3,4\n", 4,
                "field file: 'yes/a.wav' is also on line 2; a clip has one row");
    }

    @Test
    void numbersAreDigitsWithinTheClip() throws IOException {
        for (String bad : new String[] {"-1", "+5", "1e3", "", "1.5", "0x10", "twelve", "99999999999999999999"}) {
            refused("file,start_sample,end_sample\nyes/a.wav," + bad + ",9000\n", 2, "field start_sample: '" + bad + "', expected a sample index");
            refused("file,start_sample,end_sample\nyes/a.wav,100," + bad + "\n", 2, "field end_sample: '" + bad + "'");
        }
        refused("file,start_sample,end_sample\nyes/a.wav,100,16001\n", 2, "field end_sample: 16001, expected at most 16000 (the clip's length)");
        refused("file,start_sample,end_sample\nyes/a.wav,16000,16000\n", 2, "field start_sample: 16000, expected at most 15999");
        refused("file,start_sample,end_sample\nyes/a.wav,500,500\n", 2, "field end_sample: 500, expected more than start_sample 500");
        refused("file,start_sample,end_sample\nyes/a.wav,500,20\n", 2, "expected more than start_sample 500");
    }

    @Test
    void damagedFilesAreRefusedWithinBounds() throws IOException {
        refused("file,start_sample,end_sample\nyes/" + "a".repeat(5000) + ".wav,1,2\n", 2, "longer than 4096 bytes");
        refused("file,start_sample,end_sample\nyes/a\tb.wav,1,2\n", 2, "column 6: control character U+0009");
        Path f = dir.resolve(WordBounds.FILE_NAME);
        Files.write(f, new byte[] {'f', 'i', 'l', 'e', ',', 's', '\n', (byte) 0xC3, (byte) 0x28, '\n'});
        LabelFormatException e = assertRefusal(LabelFormatException.class, () -> WordBounds.read(dir), "header");
        assertEquals(1, e.line());
        Files.write(f, ("file,start_sample,end_sample\nyes/" + "\u00e9" + ".wav,1,2\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(1, WordBounds.read(dir).size());
        byte[] bad = ("file,start_sample,end_sample\nyes/x.wav,1,2\n").getBytes(StandardCharsets.UTF_8);
        bad[bad.length - 8] = (byte) 0xFF;
        Files.write(f, bad);
        assertEquals(2, assertRefusal(LabelFormatException.class, () -> WordBounds.read(dir), "not valid UTF-8").line());
    }

    @Test
    void aMissingFileIsTheUsualException() {
        assertThrows(NoSuchFileException.class, () -> WordBounds.read(dir.resolve("nowhere")));
        assertRefusal(NullPointerException.class, () -> WordBounds.read(null), "word_bounds.csv");
        assertIllegalArgument(() -> new WordBounds.Span(5, 5), "expected 0 <= start < end");
    }
}
