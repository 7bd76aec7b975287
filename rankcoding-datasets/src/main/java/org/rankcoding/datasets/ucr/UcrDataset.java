package org.rankcoding.datasets.ucr;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A data set of the UCR/UEA archive with its given split: the series of {@code <Name>_TRAIN.ts} and
 * {@code <Name>_TEST.ts}, checked to be one problem (the same class labels in the same order, the same number of
 * dimensions), so that label {@code k} means the same class in both.
 *
 * @param train the training series (fit normalisation, validation splits and every other choice on these only)
 * @param test  the test series
 */
public record UcrDataset(TimeSeriesSet train, TimeSeriesSet test) {

    /**
     * Validates that both sets are non-null.
     *
     * @throws IllegalArgumentException for a null set
     */
    public UcrDataset {
        if (train == null || test == null) {
            throw new IllegalArgumentException("train and test must not be null");
        }
    }

    /**
     * Loads the data set in {@code dir}: {@code dir/<Name>_TRAIN.ts} and {@code dir/<Name>_TEST.ts}, where
     * {@code <Name>} is the directory's name (as the archive unpacks, e.g. {@code .../GunPoint/GunPoint_TRAIN.ts}) or,
     * failing that, the one name for which the directory holds a {@code _TRAIN.ts} file.
     *
     * @param dir the data set's directory
     * @return both splits
     * @throws NoSuchFileException when the files are not there; the message says which were looked for
     * @throws TsFormatException   when a file is malformed, or the two files do not describe one problem
     * @throws IOException         when a file cannot be read
     */
    public static UcrDataset load(Path dir) throws IOException {
        return load(dir, TsLimits.DEFAULT);
    }

    /**
     * As {@link #load(Path)}, within the given limits.
     *
     * @param dir    the data set's directory
     * @param limits the bounds for reading each file
     * @return both splits
     * @throws NoSuchFileException when the files are not there
     * @throws TsFormatException   when a file is malformed, or the two files do not describe one problem
     * @throws IOException         when a file cannot be read
     */
    public static UcrDataset load(Path dir, TsLimits limits) throws IOException {
        if (dir == null || limits == null) {
            throw new IllegalArgumentException("dir and limits must not be null; give the directory of a data set such as"
                    + " .../GunPoint and TsLimits.DEFAULT");
        }
        String name = name(dir);
        Path trainFile = dir.resolve(name + "_TRAIN.ts");
        Path testFile = dir.resolve(name + "_TEST.ts");
        if (!Files.isRegularFile(testFile)) {
            throw new NoSuchFileException(testFile.toString(), null, "expected the test file of " + name + " next to its"
                    + " training file; the UCR/UEA archive (timeseriesclassification.com) ships both");
        }
        TimeSeriesSet train = TsReader.read(trainFile, limits);
        TimeSeriesSet test = TsReader.read(testFile, limits);
        if (!test.classNames().equals(train.classNames())) {
            throw new TsFormatException(testFile, "its @classLabel declares " + test.classNames() + ", but " + trainFile
                    .getFileName() + " declares " + train.classNames() + "; both files of a data set declare the same labels"
                    + " in the same order");
        }
        if (test.dimensions() != train.dimensions()) {
            throw new TsFormatException(testFile, "its series have " + test.dimensions() + " dimensions, but those of "
                    + trainFile.getFileName() + " have " + train.dimensions());
        }
        return new UcrDataset(train, test);
    }

    /** The data set's name: the directory's, if it holds that training file, else the one _TRAIN.ts file's. */
    private static String name(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "expected the directory of a UCR/UEA data set, holding"
                    + " <Name>_TRAIN.ts and <Name>_TEST.ts");
        }
        Path base = dir.toAbsolutePath().normalize().getFileName();
        if (base != null && Files.isRegularFile(dir.resolve(base + "_TRAIN.ts"))) {
            return base.toString();
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*_TRAIN.ts")) {
            for (Path f : files) {
                if (names.size() < 10) {
                    String n = f.getFileName().toString();
                    names.add(n.substring(0, n.length() - "_TRAIN.ts".length()));
                }
            }
        }
        if (names.size() != 1) {
            throw new NoSuchFileException(dir.toString(), null, (names.isEmpty() ? "no <Name>_TRAIN.ts file"
                    : "several training files (" + String.join(", ", names) + ")") + " in the directory; expected exactly one"
                    + " data set, <Name>_TRAIN.ts with <Name>_TEST.ts");
        }
        return names.get(0);
    }

    /** {@code "GunPoint: train 50 series, test 150 series, ..."}. */
    @Override
    public String toString() {
        return train.problemName() + ": train " + train + "; test " + test;
    }
}
