package org.rankcoding.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the Java-side golden models ({@code java-*.model.safetensors}) that {@code TorchGoldenTest} checks: the
 * cases of {@code TorchGoldenTest.javaCases()}, saved by {@link ModelFiles#save}. A program of the tools source set
 * ({@code src/tools/java}), never run by the build; docs/models.md gives the whole regeneration.
 *
 * <p>Run it from the repository root with {@code scripts/core-tool java-goldens [directory]} (default: the committed
 * goldens, {@code rankcoding-core/src/test/resources/golden}).
 */
public final class JavaGoldenModels {

    private JavaGoldenModels() {
    }

    /**
     * Writes the models into the directory given as the only argument.
     *
     * @param args the target directory (it must exist)
     * @throws IOException if a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("expected one argument, the target directory; got " + args.length);
        }
        Path dir = Path.of(args[0]);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir.toAbsolutePath() + " is not a directory; create it first");
        }
        for (TorchGoldenTest.JavaCase c : TorchGoldenTest.javaCases()) {
            Path file = dir.resolve(c.name() + ".model.safetensors");
            ModelFiles.save(c.network(), c.theta(), file, c.options());
            System.out.println("wrote " + file);
        }
    }
}
