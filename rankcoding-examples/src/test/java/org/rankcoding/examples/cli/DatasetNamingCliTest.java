package org.rankcoding.examples.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.datasets.idx.IdxReader;
import org.rankcoding.datasets.mnist.Mnist;
import org.rankcoding.examples.CliRun;
import org.rankcoding.examples.IdxBytes;
import org.rankcoding.examples.mnist.MnistDataset;
import org.rankcoding.examples.report.JsonTree;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * temporal-mnist names the data set it trained on (banner, tables, class names, JSON) from what the files are, not
 * from the command's name: Fashion-MNIST is recognised by its test labels, a data set that is neither MNIST nor
 * Fashion-MNIST is called unrecognised, and a {@code --dataset} that contradicts the files is refused.
 */
class DatasetNamingCliTest {

    /** The Debian package dataset-fashion-mnist's directory. */
    private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    @TempDir
    static Path tiny;

    @BeforeAll
    static void writeTinyData() throws IOException {
        System.setProperty("java.awt.headless", "true");
        byte[] px = new byte[20 * 8 * 8];
        byte[] labels = new byte[20];
        for (int i = 0; i < 20; i++) {
            labels[i] = (byte) (i % 10);
            for (int k = 0; k < 8; k++) {
                px[i * 64 + (i % 8) * 8 + k] = (byte) (100 + 10 * (i % 10));
            }
        }
        for (String images : new String[] {Mnist.TRAIN_IMAGES, Mnist.TEST_IMAGES}) {
            Files.write(tiny.resolve(images), IdxBytes.of(new int[] {20, 8, 8}, px));
        }
        for (String l : new String[] {Mnist.TRAIN_LABELS, Mnist.TEST_LABELS}) {
            Files.write(tiny.resolve(l), IdxBytes.of(new int[] {20}, labels));
        }
    }

    private static Mnist loadAnySize(Path dir) throws IOException {
        return new Mnist(IdxReader.readImages(Mnist.locate(dir, Mnist.TRAIN_IMAGES)), IdxReader.readLabels(Mnist.locate(dir, Mnist.TRAIN_LABELS)),
                IdxReader.readImages(Mnist.locate(dir, Mnist.TEST_IMAGES)), IdxReader.readLabels(Mnist.locate(dir, Mnist.TEST_LABELS)));
    }

    /** The command on {@code data} read at any size, with a tiny network, and {@code args}. */
    private static CliRun run(Path data, String... args) {
        String[] base = {"--data", data.toString(), "--hidden", "2", "--batch", "10", "--epochs", "1", "--validation-limit", "0",
                "--threads", "1", "--no-progress", "--no-plots"};
        String[] all = Arrays.copyOf(base, base.length + args.length);
        System.arraycopy(args, 0, all, base.length, args.length);
        CommandLine cl = CliErrors.install(new CommandLine(new TemporalMnistCommand(DatasetNamingCliTest::loadAnySize)));
        cl.setExecutionStrategy(new TaskExecution());
        return CliRun.of(cl, all);
    }

    private static Object datasetInJson(Path json) throws IOException {
        Map<String, Object> top = JsonTree.parseObject(Files.readString(json));
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) top.get("generator");
        return data.get("dataset");
    }

    @Test
    void unrecognisedFilesAreNotCalledMnist(@TempDir Path out) throws IOException {
        Path json = out.resolve("r.json");
        CliRun r = run(tiny, "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("on latency-coded MNIST-format images (not recognised as MNIST or Fashion-MNIST) (8 x 8 pixels"), r.out());
        assertTrue(r.out().contains("test set: 20 images"), r.out());
        assertEquals("unrecognised", datasetInJson(json));
    }

    @Test
    void aNamedDataSetIsTrustedWhenTheFilesAreNotRecognised(@TempDir Path out) throws IOException {
        Path json = out.resolve("r.json");
        CliRun r = run(tiny, "--dataset", "fashion-mnist", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("on latency-coded Fashion-MNIST (8 x 8 pixels"), r.out());
        assertEquals("fashion-mnist", datasetInJson(json));
    }

    @Test
    void anUnknownDataSetNameIsRefused() {
        CliRun r = run(tiny, "--dataset", "kmnist");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("temporal-mnist: --dataset = kmnist: 'kmnist' is not a known data set; expected auto, mnist or "
                + "fashion-mnist"), r.err());
    }

    @Test
    void fashionMnistIsRecognisedByItsTestLabels(@TempDir Path out) throws IOException {
        assumeTrue(Files.isDirectory(FASHION), "the package dataset-fashion-mnist is not installed");
        assertEquals(Optional.of(MnistDataset.FASHION_MNIST), MnistDataset.recognise(FASHION));
        Path json = out.resolve("r.json");
        CliRun r = CliRun.of("temporal-mnist", "--data", FASHION.toString(), "--train-limit", "30", "--test-limit", "20", "--validation-limit",
                "0", "--epochs", "1", "--hidden", "2", "--batch", "10", "--no-progress", "--no-plots", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("RC-trained LSTM on latency-coded Fashion-MNIST (28 x 28 pixels"), r.out());
        assertTrue(r.out().contains("training on 30 images x 1 epoch"), r.out());
        assertEquals("fashion-mnist", datasetInJson(json));
        CliRun contradicted = CliRun.of("temporal-mnist", "--data", FASHION.toString(), "--dataset", "mnist", "--no-plots");
        assertEquals(2, contradicted.code(), contradicted.err());
        assertTrue(contradicted.err().startsWith("temporal-mnist: --dataset = mnist, but " + FASHION + " holds Fashion-MNIST (recognised by "
                + "its test labels); give --dataset fashion-mnist or auto"), contradicted.err());
        assertEquals("", contradicted.out(), "refused before loading");
    }

    @Test
    void mnistIsRecognisedByItsTestLabels() throws IOException {
        Path mnist = Path.of("../data/mnist");
        assumeTrue(Files.isDirectory(mnist) && Mnist.locate(mnist, Mnist.TEST_LABELS) != null, "no MNIST files in data/mnist");
        assertEquals(Optional.of(MnistDataset.MNIST), MnistDataset.recognise(mnist));
        assertEquals(Optional.empty(), MnistDataset.recognise(tiny));
    }
}
