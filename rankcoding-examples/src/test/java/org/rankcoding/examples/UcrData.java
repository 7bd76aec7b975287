package org.rankcoding.examples;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * UCR/UEA data sets for the examples' tests: the real ones where they are ({@link #dataSet}, found by
 * {@link org.rankcoding.testing.UcrData}), and small synthetic {@code .ts} data sets for tests that need no real data
 * ({@link #writeSynthetic}).
 */
public final class UcrData {

    private UcrData() {
    }

    /**
     * The directory of data set {@code name} (e.g. {@code ItalyPowerDemand}); fails the test when it is not found, or
     * skips it when {@value org.rankcoding.testing.UcrData#OPTIONAL} is {@code true} (see
     * {@link org.rankcoding.testing.UcrData}).
     */
    public static Path dataSet(String name) {
        return org.rankcoding.testing.UcrData.dataSet(name);
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
