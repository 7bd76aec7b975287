package org.rankcoding.examples.mnist;

import org.rankcoding.datasets.mnist.Mnist;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * The data sets published in MNIST's file format that the examples know by name, with what their images show and
 * their class names. A directory is recognised by the SHA-256 of its test labels ({@value Mnist#TEST_LABELS}, raw or
 * the content of the {@code .gz}), which differ between the data sets and do not depend on how the files were
 * compressed or where they are; a directory whose test labels are neither (a subset, a made-up set, another data set
 * in the same format) is not recognised.
 */
public enum MnistDataset {

    /** The handwritten digits of LeCun et al. */
    MNIST("mnist", "MNIST", "digits", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
            "digit 0", "digit 1", "digit 2", "digit 3", "digit 4", "digit 5", "digit 6", "digit 7", "digit 8", "digit 9"),
    /** Zalando's Fashion-MNIST: 28 x 28 grey images of ten kinds of clothing, in MNIST's format and sizes. */
    FASHION_MNIST("fashion-mnist", "Fashion-MNIST", "images", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
            "T-shirt/top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot");

    private final String option;
    private final String title;
    private final String items;
    private final String testLabelsSha256;
    private final String[] classes;

    MnistDataset(String option, String title, String items, String testLabelsSha256, String... classes) {
        this.option = option;
        this.title = title;
        this.items = items;
        this.testLabelsSha256 = testLabelsSha256;
        this.classes = classes;
    }

    /** The name on the command line and in the JSON ({@code mnist}, {@code fashion-mnist}). */
    public String option() {
        return option;
    }

    /** The name for people ({@code MNIST}, {@code Fashion-MNIST}). */
    public String title() {
        return title;
    }

    /** What its examples are called in tables ({@code digits}, {@code images}). */
    public String items() {
        return items;
    }

    /** The names of its ten classes, in label order. */
    public String[] classes() {
        return classes.clone();
    }

    /**
     * The data set named {@code name} ({@code mnist} or {@code fashion-mnist}, any case).
     *
     * @throws IllegalArgumentException for another name, listing the known ones
     */
    public static MnistDataset named(String name) {
        for (MnistDataset d : values()) {
            if (d.option.equalsIgnoreCase(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a known data set; expected mnist or fashion-mnist");
    }

    /**
     * The data set whose test labels {@code dir} holds, recognised by their SHA-256; empty when the file is missing
     * or its labels are those of neither data set.
     *
     * @throws IOException when the test labels cannot be read
     */
    public static Optional<MnistDataset> recognise(Path dir) throws IOException {
        Path file = Mnist.locate(dir, Mnist.TEST_LABELS);
        if (file == null || Files.size(file) > 1 << 20) {
            return Optional.empty(); // the known label files are 10,008 bytes; the loader reports a bad file
        }
        String sha;
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            sha = sha256(in);
        } catch (java.util.zip.ZipException e) {
            return Optional.empty(); // not gzip after all: the loader says so with the file's name
        }
        for (MnistDataset d : values()) {
            if (d.testLabelsSha256.equals(sha)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    private static String sha256(InputStream in) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
        byte[] buffer = new byte[8192];
        long total = 0;
        for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
            total += n;
            if (total > 1 << 20) {
                return ""; // far larger than any known label file
            }
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest()).toLowerCase(Locale.ROOT);
    }
}
