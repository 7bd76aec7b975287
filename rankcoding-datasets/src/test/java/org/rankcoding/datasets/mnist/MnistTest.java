package org.rankcoding.datasets.mnist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.datasets.idx.IdxFormatException;
import org.rankcoding.datasets.idx.IdxReaderTest;
import org.rankcoding.testing.Refusals;
import org.rankcoding.testing.Slow;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Mnist#load}: finds the four files raw or gzip, checks MNIST's sizes and labels, and says what is missing. */
class MnistTest {

    @TempDir
    Path dir;

    private static byte[] images(int count) {
        byte[] px = new byte[count * 28 * 28];
        for (int i = 0; i < count; i++) {
            px[i * 784 + i % 784] = (byte) 200; // a mark to recognise image i by
        }
        return IdxReaderTest.idx(0x08, new int[] {count, 28, 28}, px);
    }

    private static byte[] labels(int count, int bad) {
        byte[] l = new byte[count];
        for (int i = 0; i < count; i++) {
            l[i] = (byte) (i % 10);
        }
        if (bad >= 0) {
            l[bad] = 10;
        }
        return IdxReaderTest.idx(0x08, new int[] {count}, l);
    }

    private void writeAll(int trainCount, int badLabel) throws IOException {
        Files.write(dir.resolve(Mnist.TRAIN_IMAGES + ".gz"), IdxReaderTest.gzip(images(trainCount)));
        Files.write(dir.resolve(Mnist.TRAIN_LABELS), labels(trainCount, -1));
        Files.write(dir.resolve(Mnist.TEST_IMAGES), images(Mnist.TEST_SIZE));
        Files.write(dir.resolve(Mnist.TEST_LABELS + ".gz"), IdxReaderTest.gzip(labels(Mnist.TEST_SIZE, badLabel)));
    }

    @Slow
    @Test
    void loadsTheFourFilesRawOrGzip() throws IOException {
        writeAll(Mnist.TRAIN_SIZE, -1);
        Mnist m = Mnist.load(dir);
        assertEquals(60000, m.trainImages().count());
        assertEquals(28, m.trainImages().rows());
        assertEquals(10000, m.testLabels().length);
        assertEquals(7, m.trainLabels()[59997]);
        assertEquals(200, m.trainImages().pixel(59999, 59999 % 784 / 28, 59999 % 28));
        assertEquals(200 / 255.0, m.testImages().intensities(30)[30]);
    }

    @Test
    void saysWhatIsMissingAndWhatToRun() throws IOException {
        Files.write(dir.resolve(Mnist.TEST_IMAGES), new byte[0]);
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Mnist.load(dir));
        String msg = e.getMessage();
        for (String f : new String[] {dir.toString(), "train-images-idx3-ubyte[.gz]", "train-labels-idx1-ubyte[.gz]",
                "t10k-labels-idx1-ubyte[.gz]", "scripts/fetch-mnist " + dir}) {
            assertTrue(msg.contains(f), "message should contain '" + f + "': " + msg);
        }
        assertTrue(!msg.contains("t10k-images"), "the test images are there: " + msg);
        Path nowhere = dir.resolve("nowhere");
        NoSuchFileException e2 = assertThrows(NoSuchFileException.class, () -> Mnist.load(nowhere));
        assertTrue(e2.getMessage().contains("directory " + nowhere + " does not exist"), e2.getMessage());
    }

    @Slow
    @Test
    void rejectsWrongCountsAndLabels() throws IOException {
        writeAll(3, -1);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Mnist.load(dir));
        assertTrue(e.getMessage().contains("expected 60000 x 28 x 28 MNIST images, found 3 x 28 x 28"), e.getMessage());
        assertTrue(e.getMessage().startsWith(dir.resolve(Mnist.TRAIN_IMAGES + ".gz").toString()), e.getMessage());

        writeAll(Mnist.TRAIN_SIZE, 9876);
        e = assertThrows(IdxFormatException.class, () -> Mnist.load(dir));
        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte.gz: label 9876 is 10, expected a digit in [0, 9]"), e.getMessage());

        writeAll(Mnist.TRAIN_SIZE, -1);
        Files.write(dir.resolve(Mnist.TRAIN_LABELS), labels(59999, -1));
        e = assertThrows(IdxFormatException.class, () -> Mnist.load(dir));
        assertTrue(e.getMessage().contains("expected 60000 labels, one per image of train-images-idx3-ubyte.gz, found 59999"), e.getMessage());
    }

    /**
     * A 64 KB gzip file whose header declares 1.3 million images and whose body really holds 64 MB of them (zeros
     * compress a thousandfold): the count is compared with MNIST's before the body is read, so the refusal allocates
     * next to nothing (reading the body first took twice the declared size).
     */
    @Test
    void refusesADeclaredCountAboveMnistsBeforeReadingTheBody() throws IOException {
        Path images = dir.resolve(Mnist.TRAIN_IMAGES + ".gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(images), 1 << 16)) {
            out.write(ByteBuffer.allocate(16).putInt(0x00000803).putInt(1_300_000).putInt(28).putInt(28).array());
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                out.write(zeros);
            }
        }
        assertTrue(Files.size(images) < 1 << 20, Files.size(images) + " bytes");
        Files.write(dir.resolve(Mnist.TRAIN_LABELS), labels(10, -1));
        Files.write(dir.resolve(Mnist.TEST_IMAGES), images(1));
        Files.write(dir.resolve(Mnist.TEST_LABELS), labels(1, -1));
        long before = allocatedBytes();
        Refusals.assertRefusal(IdxFormatException.class, () -> Mnist.load(dir),
                images.toString(), "expected 60000 x 28 x 28 MNIST images, found 1300000 x 28 x 28");
        long allocated = allocatedBytes() - before;
        assertTrue(allocated < 8 << 20, allocated + " bytes allocated to refuse a header");
    }

    /** Bytes allocated so far by this thread (through reflection: this module does not read jdk.management). */
    private static long allocatedBytes() {
        try {
            Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            return (Long) Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes").invoke(bean);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot measure allocation: " + e, e);
        }
    }
}
