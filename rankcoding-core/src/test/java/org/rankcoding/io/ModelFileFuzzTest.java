package org.rankcoding.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.RcTestSupport;
import org.rankcoding.testing.Slow;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Mutation fuzzing of model files: valid files (F32 and F64, one and two layers, every head) are damaged thousands
 * of times (bit flips, byte overwrites in the header, truncation, a rewritten header length, inserted and deleted
 * header bytes, changed digits, appended bytes, NaN patterns in the data) and every result must either load as a
 * valid network or fail with {@link ModelFileException}: never another exception, never an
 * {@link OutOfMemoryError}, never a hang (the timeout), and never a large allocation (each load is measured with
 * the thread's allocation counter).
 */
@Slow
class ModelFileFuzzTest {

    /** Mutated files per run; the seed is fixed (override with -Drankcoding.fuzz.seed=N to explore further). */
    private static final int ITERATIONS = 10_000;
    /** Bytes one load of a small file may allocate (buffers, parser, network): far below any header-driven size. */
    private static final long MAX_ALLOCATION = 8L << 20;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void mutatedFilesLoadOrFailWithModelFileException() throws Exception {
        List<byte[]> bases = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int seed = 1;
        for (TensorDType dtype : TensorDType.values()) {
            for (int layers = 1; layers <= 2; layers++) {
                for (HeadType head : HeadType.values()) {
                    int classes = head == HeadType.BINARY_SIGMOID ? 2 : 3;
                    RankCodingNetwork net = RcTestSupport.network(2, 3, layers, head, classes, seed++, 1.0);
                    Path p = dir.resolve("base.safetensors");
                    ModelFiles.save(net, 0.9, p, SaveOptions.DEFAULT.withDtype(dtype));
                    bases.add(Files.readAllBytes(p));
                    names.add(dtype + "/" + layers + " layer(s)/" + head);
                }
            }
        }
        Allocations allocations = new Allocations();
        assertTrue(allocations.available(), "the JVM reports no per-thread allocated bytes");
        SplittableRandom rng = new SplittableRandom(Long.getLong("rankcoding.fuzz.seed", 20240611L));
        int loaded = 0;
        int rejected = 0;
        for (int it = 0; it < ITERATIONS; it++) {
            int b = rng.nextInt(bases.size());
            byte[] bytes = bases.get(b).clone();
            StringBuilder log = new StringBuilder("iteration " + it + ", base " + names.get(b) + ":");
            int ops = 1 + rng.nextInt(3);
            for (int o = 0; o < ops; o++) {
                bytes = mutate(bytes, rng, log);
            }
            // a new file each time: rewriting one file in place makes some file systems flush on every truncation
            Path target = dir.resolve("mutated-" + it + ".safetensors");
            Files.write(target, bytes);
            long before = allocations.now();
            try {
                LoadedModel m = ModelFiles.load(target);
                loaded++;
                assertNotNull(m.network(), log::toString);
                assertNull(m.network().parameters().firstNonFinite(), log::toString);
                assertTrue(m.threshold() > 0.5 && m.threshold() < 1, log::toString);
                assertEquals(m.network().config(), m.config());
            } catch (ModelFileException e) {
                rejected++;
                assertTrue(e.getMessage().startsWith(target + ": "), log + " -> " + e.getMessage());
            } catch (Throwable t) {
                fail(log + " -> unexpected " + t, t);
            }
            long allocated = allocations.now() - before;
            Files.delete(target);
            if (allocated > MAX_ALLOCATION) {
                fail(log + " -> one load allocated " + allocated + " bytes");
            }
        }
        // Both outcomes must occur, or the mutations are too weak (or too strong) to test anything.
        assertTrue(rejected > ITERATIONS / 2, "rejected " + rejected + " of " + ITERATIONS);
        assertTrue(loaded > 50, "loaded " + loaded + " of " + ITERATIONS);
    }

    private static long headerLength(byte[] b) {
        return b.length < 8 ? 0 : ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** The end of the header if the length prefix fits the file, else the end of the file. */
    private static int headerEnd(byte[] b) {
        long n = headerLength(b);
        return n > 0 && n <= b.length - 8 ? (int) (8 + n) : b.length;
    }

    /** A random position inside the header (or anywhere, for a file whose length prefix is broken). */
    private static int headerPosition(byte[] b, SplittableRandom rng) {
        if (b.length <= 8) {
            return rng.nextInt(Math.max(1, b.length));
        }
        return 8 + rng.nextInt(headerEnd(b) - 8);
    }

    private static final byte[] JSON_BYTES = "{}[]\",:0123456789-+.eE \\ntrufalsFIU_\u00ff".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

    static byte[] mutate(byte[] b, SplittableRandom rng, StringBuilder log) {
        if (b.length == 0) {
            log.append(" append");
            return new byte[]{(byte) rng.nextInt(256)};
        }
        switch (rng.nextInt(11)) {
            case 0 -> {
                int flips = 1 + rng.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    int pos = rng.nextInt(b.length);
                    int bit = rng.nextInt(8);
                    b[pos] ^= (byte) (1 << bit);
                    log.append(" flip ").append(pos).append('.').append(bit);
                }
                return b;
            }
            case 1 -> {
                int pos = headerPosition(b, rng);
                b[pos] ^= (byte) (1 << rng.nextInt(8));
                log.append(" header-flip ").append(pos);
                return b;
            }
            case 2 -> {
                int pos = headerPosition(b, rng);
                b[pos] = JSON_BYTES[rng.nextInt(JSON_BYTES.length)];
                log.append(" header-set ").append(pos).append('=').append(b[pos]);
                return b;
            }
            case 3 -> {
                int len = rng.nextInt(b.length);
                log.append(" truncate ").append(len);
                return Arrays.copyOf(b, len);
            }
            case 4 -> {
                if (b.length < 8) {
                    return b;
                }
                long n = headerLength(b);
                long[] choices = {rng.nextLong(), 1L << 62, -1L, Long.MIN_VALUE, b.length - 8, b.length - 7, b.length,
                        n + rng.nextInt(17) - 8, rng.nextInt(64), Integer.MAX_VALUE, 0x7fffffffL + 1, ModelFiles.MAX_HEADER_BYTES + 1};
                long v = choices[rng.nextInt(choices.length)];
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, v);
                log.append(" length=").append(Long.toUnsignedString(v));
                return b;
            }
            case 5 -> {
                int pos = headerPosition(b, rng);
                int len = Math.min(b.length - pos, 1 + rng.nextInt(8));
                byte[] out = new byte[b.length - len];
                System.arraycopy(b, 0, out, 0, pos);
                System.arraycopy(b, pos + len, out, pos, b.length - pos - len);
                fixLength(out, -len, pos, b);
                log.append(" delete ").append(pos).append('+').append(len);
                return out;
            }
            case 6 -> {
                int pos = headerPosition(b, rng);
                int len = 1 + rng.nextInt(8);
                byte[] out = new byte[b.length + len];
                System.arraycopy(b, 0, out, 0, pos);
                for (int i = 0; i < len; i++) {
                    out[pos + i] = JSON_BYTES[rng.nextInt(JSON_BYTES.length)];
                }
                System.arraycopy(b, pos, out, pos + len, b.length - pos);
                fixLength(out, len, pos, b);
                log.append(" insert ").append(pos).append('+').append(len);
                return out;
            }
            case 7 -> {
                // change a digit of the header: a shape, an offset or a number in the metadata
                List<Integer> digits = new ArrayList<>();
                int end = headerEnd(b);
                for (int i = 8; i < end; i++) {
                    if (b[i] >= '0' && b[i] <= '9') {
                        digits.add(i);
                    }
                }
                if (!digits.isEmpty()) {
                    int pos = digits.get(rng.nextInt(digits.size()));
                    b[pos] = (byte) ('0' + rng.nextInt(10));
                    log.append(" digit ").append(pos).append('=').append((char) b[pos]);
                }
                return b;
            }
            case 8 -> {
                int len = 1 + rng.nextInt(16);
                byte[] out = Arrays.copyOf(b, b.length + len);
                for (int i = b.length; i < out.length; i++) {
                    out[i] = (byte) rng.nextInt(256);
                }
                log.append(" append ").append(len);
                return out;
            }
            case 9 -> {
                long n = headerLength(b);
                if (n <= 0 || n > b.length - 16) {
                    return b;
                }
                int pos = (int) (8 + n + rng.nextInt((int) (b.length - 8 - n - 3)));
                int bits = switch (rng.nextInt(3)) {
                    case 0 -> Float.floatToRawIntBits(Float.NaN);
                    case 1 -> Float.floatToRawIntBits(Float.POSITIVE_INFINITY);
                    default -> 0x7f800001;
                };
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(pos, bits);
                log.append(" nan@").append(pos);
                return b;
            }
            default -> {
                // duplicate a piece of the header in place of another piece (keeps the length)
                int from = headerPosition(b, rng);
                int to = headerPosition(b, rng);
                int len = Math.min(1 + rng.nextInt(24), Math.min(b.length - from, b.length - to));
                System.arraycopy(b.clone(), from, b, to, len);
                log.append(" copy ").append(from).append("->").append(to).append('+').append(len);
                return b;
            }
        }
    }

    /** After inserting or deleting {@code delta} header bytes at {@code pos}, updates the length prefix (sometimes). */
    private static void fixLength(byte[] out, int delta, int pos, byte[] original) {
        if (pos >= 8 && out.length >= 8 && (pos & 1) == 0) {
            long n = headerLength(original);
            ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putLong(0, n + delta);
        }
    }

    /** The current thread's allocated bytes, if the JVM reports them (com.sun.management, reached by reflection). */
    static final class Allocations {
        private final Object bean;
        private final java.lang.reflect.Method method;

        Allocations() {
            Object b = null;
            java.lang.reflect.Method m = null;
            try {
                b = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
                Class<?> type = Class.forName("com.sun.management.ThreadMXBean");
                if (type.isInstance(b)) {
                    m = type.getMethod("getCurrentThreadAllocatedBytes");
                    m.invoke(b);
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                m = null;
            }
            this.bean = b;
            this.method = m;
        }

        boolean available() {
            return method != null;
        }

        long now() {
            if (method == null) {
                return 0;
            }
            try {
                return (long) method.invoke(bean);
            } catch (ReflectiveOperationException e) {
                return 0;
            }
        }
    }
}
