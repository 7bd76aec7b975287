package org.rankcoding.examples;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The UCR/UEA data sets for the examples' tests, read where they are (never copied into the project): the directory of
 * the system property {@value #PROPERTY}, else the first {@code shared/datasets/ucr} found walking up from the working
 * directory (the project is checked out next to {@code shared}). The data are part of the CI machine, so a test that
 * needs them FAILS when they are absent, unless the system property {@value #OPTIONAL} is {@code true} (then it is
 * skipped), for machines without the data. Also writes small synthetic {@code .ts} data sets for tests that need no
 * real data ({@link #writeSynthetic}).
 */
public final class UcrData {

    /** System property naming the directory that holds GunPoint/, ItalyPowerDemand/, ... */
    public static final String PROPERTY = "rankcoding.ucr.dir";
    /** System property that turns the absence of the data from a failure into a skipped test. */
    public static final String OPTIONAL = "rankcoding.ucr.optional";

    private UcrData() {
    }

    /**
     * The directory of data set {@code name} (e.g. {@code ItalyPowerDemand}); fails the test when it is not found, or
     * skips it when {@value #OPTIONAL} is {@code true}.
     */
    public static Path dataSet(String name) {
        Path root = locate();
        Path dir = root == null ? null : root.resolve(name);
        boolean found = dir != null && Files.isRegularFile(dir.resolve(name + "_TRAIN.ts"))
                && Files.isRegularFile(dir.resolve(name + "_TEST.ts"));
        if (!found) {
            String where = System.getProperty(PROPERTY) != null ? "-D" + PROPERTY + "=" + System.getProperty(PROPERTY)
                    : "shared/datasets/ucr above " + Path.of("").toAbsolutePath();
            String message = "UCR/UEA data set " + name + " not found (looked in " + where + "); the data belong on every "
                    + "development and CI machine next to the project (../shared/datasets/ucr): restore them, give -D"
                    + PROPERTY + "=DIR, or set -D" + OPTIONAL + "=true to skip the tests that need them";
            Assumptions.assumeFalse(Boolean.getBoolean(OPTIONAL), message);
            Assertions.fail(message);
        }
        return dir;
    }

    /** The directory holding the data sets, or {@code null} when none is found. */
    static Path locate() {
        String given = System.getProperty(PROPERTY);
        if (given != null && !given.isBlank()) {
            Path dir = Path.of(given).toAbsolutePath().normalize();
            return Files.isDirectory(dir) ? dir : null;
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("datasets").resolve("ucr");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Writes a synthetic two-class univariate data set {@code dir/<name>/<name>_TRAIN.ts} and {@code _TEST.ts}: class
     * {@code a} rises, class {@code b} falls, with noise, each series {@code length} steps long.
     *
     * @return the data set's directory
     */
    public static Path writeSynthetic(Path dir, String name, int trainPerClass, int testPerClass, int length) throws IOException {
        Path set = Files.createDirectories(dir.resolve(name));
        SplittableRandom rng = new SplittableRandom(7);
        Files.write(set.resolve(name + "_TRAIN.ts"), lines(name, trainPerClass, length, rng));
        Files.write(set.resolve(name + "_TEST.ts"), lines(name, testPerClass, length, rng));
        return set;
    }

    private static List<String> lines(String name, int perClass, int length, SplittableRandom rng) {
        List<String> out = new ArrayList<>(List.of("@problemName " + name, "@timeStamps false", "@missing false",
                "@univariate true", "@equalLength true", "@seriesLength " + length, "@classLabel true a b", "@data"));
        for (int i = 0; i < 2 * perClass; i++) {
            String label = i % 2 == 0 ? "a" : "b";
            StringBuilder b = new StringBuilder();
            for (int t = 0; t < length; t++) {
                double trend = (label.equals("a") ? 1 : -1) * t / (double) length;
                b.append(t == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", trend + 0.3 * rng.nextGaussian()));
            }
            out.add(b + ":" + label);
        }
        return out;
    }
}
