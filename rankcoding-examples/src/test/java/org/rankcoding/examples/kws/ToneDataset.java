package org.rankcoding.examples.kws;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A made-up data set in the Speech Commands layout for the tests: each "word" is a tone burst of its own frequency
 * (between {@code start} and {@code end} ms of a 1 s, 16 kHz clip) in a little noise; speakers are file-name prefixes,
 * the last two speakers are held out (one for validation, one for test).
 */
public final class ToneDataset {

    /** Frequencies of the words, in Hz. */
    public static final double[] FREQUENCIES = {400, 1200, 3000};
    /** The words. */
    public static final List<String> WORDS = List.of("low", "mid", "high");

    private ToneDataset() {
    }

    /** A 16-bit mono PCM WAV file of {@code samples} at 16 kHz. */
    public static byte[] wav(short[] samples) {
        int data = samples.length * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + data).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + data).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(16_000).putInt(32_000)
                .putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(data);
        for (short s : samples) {
            b.putShort(s);
        }
        return b.array();
    }

    /** A 1 s clip: a tone of {@code hz} from {@code startMs} to {@code endMs}, in noise. */
    public static short[] tone(double hz, int startMs, int endMs, SplittableRandom rng) {
        short[] s = new short[16_000];
        for (int i = 0; i < s.length; i++) {
            double v = 0.01 * (2 * rng.nextDouble() - 1);
            if (i >= startMs * 16 && i < endMs * 16) {
                v += 0.5 * Math.sin(2 * Math.PI * hz * i / 16_000.0);
            }
            s[i] = (short) Math.round(v * 32767);
        }
        return s;
    }

    /** Writes {@code perWord} clips of each word by each of {@code speakers} speakers under {@code root}. */
    public static void write(Path root, int speakers, int perWord, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        List<String> validation = new ArrayList<>();
        List<String> test = new ArrayList<>();
        for (int w = 0; w < WORDS.size(); w++) {
            Path dir = Files.createDirectories(root.resolve(WORDS.get(w)));
            for (int sp = 0; sp < speakers; sp++) {
                String speaker = String.format("%08x", 0x1000 + sp);
                for (int n = 0; n < perWord; n++) {
                    String name = speaker + "_nohash_" + n + ".wav";
                    int start = 100 + rng.nextInt(200);
                    Files.write(dir.resolve(name), wav(tone(FREQUENCIES[w], start, start + 300, rng)));
                    String rel = WORDS.get(w) + "/" + name;
                    if (sp == speakers - 2) {
                        validation.add(rel);
                    } else if (sp == speakers - 1) {
                        test.add(rel);
                    }
                }
            }
        }
        Files.write(root.resolve("validation_list.txt"), (String.join("\n", validation) + "\n").getBytes());
        Files.write(root.resolve("testing_list.txt"), (String.join("\n", test) + "\n").getBytes());
        Files.createDirectories(root.resolve("_background_noise_"));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
