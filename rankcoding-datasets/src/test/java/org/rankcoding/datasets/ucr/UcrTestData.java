package org.rankcoding.datasets.ucr;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the UCR/UEA sample data sets for tests without copying them into the project: the directory given by the
 * system property {@value #PROPERTY}, else the first {@code shared/datasets/ucr} found walking up from the working
 * directory (the project is checked out next to {@code shared}, so from the project root this is
 * {@code ../shared/datasets/ucr}). Tests that need the data skip, with a message saying where they looked, when it is
 * absent.
 */
final class UcrTestData {

    /** System property naming the directory that holds GunPoint/, ItalyPowerDemand/, ... */
    static final String PROPERTY = "rankcoding.ucr.dir";

    private UcrTestData() {
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

    /** The file {@code <name>/<name>_<split>.ts}, or skips the test when the data are absent. */
    static Path file(String name, String split) {
        Path dir = locate();
        String where = System.getProperty(PROPERTY) != null ? "-D" + PROPERTY + "=" + System.getProperty(PROPERTY)
                : "shared/datasets/ucr above " + Path.of("").toAbsolutePath();
        Assumptions.assumeTrue(dir != null, "UCR/UEA data not found (looked for " + where + "); set -D" + PROPERTY
                + "=DIR to run the tests on the real files");
        Path file = dir.resolve(name).resolve(name + "_" + split + ".ts");
        Assumptions.assumeTrue(Files.isRegularFile(file), "UCR/UEA file " + file + " not found");
        return file;
    }
}
