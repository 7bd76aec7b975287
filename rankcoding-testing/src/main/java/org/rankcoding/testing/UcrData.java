package org.rankcoding.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The UCR/UEA data sets for tests, read where they are (never copied into the project): the directory of the system
 * property {@value #PROPERTY} or else of the environment variable {@value #ENV}, else the first
 * {@code shared/datasets/ucr} found walking up from the working directory (the project is checked out next to
 * {@code shared}, so from the project root this is {@code ../shared/datasets/ucr}). The data are part of every
 * development and CI machine, so a test that needs them FAILS when they are absent, unless the system property
 * {@value #OPTIONAL} or the environment variable {@value #ENV_OPTIONAL} is {@code true} (then it is skipped), for
 * machines without the data ({@code .ci/run} sets the variable, with a warning, when it finds no data).
 */
public final class UcrData {

    /** System property naming the directory that holds GunPoint/, ItalyPowerDemand/, ... */
    public static final String PROPERTY = "rankcoding.ucr.dir";
    /** System property that turns the absence of the data from a failure into a skipped test. */
    public static final String OPTIONAL = "rankcoding.ucr.optional";
    /** Environment variable naming the data directory when the system property is not set. */
    public static final String ENV = "RANKCODING_UCR_DIR";
    /** Environment variable that, set to {@code true}, turns the absence of the data into a skipped test. */
    public static final String ENV_OPTIONAL = "RANKCODING_UCR_OPTIONAL";

    private UcrData() {
    }

    /**
     * The directory of data set {@code name} (e.g. {@code ItalyPowerDemand}) holding {@code <name>_TRAIN.ts} and
     * {@code <name>_TEST.ts}; fails the test when it is not found, or skips it when {@value #OPTIONAL} is {@code true}.
     */
    public static Path dataSet(String name) {
        Path root = locate();
        Path dir = root == null ? null : root.resolve(name);
        boolean found = dir != null && Files.isRegularFile(dir.resolve(name + "_TRAIN.ts"))
                && Files.isRegularFile(dir.resolve(name + "_TEST.ts"));
        if (!found) {
            String where = given() != null ? "-D" + PROPERTY + " or " + ENV + " = " + given()
                    : "shared/datasets/ucr above " + Path.of("").toAbsolutePath();
            String message = "UCR/UEA data set " + name + " not found (looked in " + where + "); the data belong on every "
                    + "development and CI machine next to the project (../shared/datasets/ucr): restore them, give -D"
                    + PROPERTY + "=DIR, or set -D" + OPTIONAL + "=true to skip the tests that need them";
            Assumptions.assumeFalse(Boolean.getBoolean(OPTIONAL) || "true".equalsIgnoreCase(System.getenv(ENV_OPTIONAL)), message);
            Assertions.fail(message);
        }
        return dir;
    }

    /** The file {@code <name>/<name>_<split>.ts} ({@code split} {@code TRAIN} or {@code TEST}); see {@link #dataSet}. */
    public static Path file(String name, String split) {
        return dataSet(name).resolve(name + "_" + split + ".ts");
    }

    /** The directory holding the data sets, or {@code null} when none is found. */
    public static Path locate() {
        String given = given();
        if (given != null) {
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

    /** The directory named by the system property or else the environment variable, or {@code null}. */
    private static String given() {
        String p = System.getProperty(PROPERTY);
        if (p != null && !p.isBlank()) {
            return p;
        }
        String e = System.getenv(ENV);
        return e != null && !e.isBlank() ? e : null;
    }
}
