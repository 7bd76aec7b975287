package org.rankcoding.examples.cli;

import org.rankcoding.audio.spotter.KeywordModel;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** How the keyword commands read a model file: on failure one line on the error stream naming the command and the file. */
final class KeywordModelLoader {

    private KeywordModelLoader() {
    }

    /**
     * The model of {@code file}, or empty after printing {@code "<command>: <file>: <what is wrong>"} to {@code err}.
     */
    static Optional<KeywordModel> load(String command, Path file, PrintWriter err) {
        try {
            return Optional.of(KeywordModel.load(file));
        } catch (IOException e) {
            err.println(command + ": " + CliErrors.describe(file, e));
            err.flush();
            return Optional.empty();
        }
    }

    /**
     * The models of {@code files} in order, or empty after printing, for the first file that cannot be read,
     * {@code "<command>: <file>: <what is wrong>"} to {@code err} (the files after it are not read).
     */
    static Optional<List<KeywordModel>> loadAll(String command, List<Path> files, PrintWriter err) {
        List<KeywordModel> models = new ArrayList<>();
        for (Path file : files) {
            Optional<KeywordModel> m = load(command, file, err);
            if (m.isEmpty()) {
                return Optional.empty();
            }
            models.add(m.get());
        }
        return Optional.of(models);
    }
}
