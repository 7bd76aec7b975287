package org.rankcoding.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** What tests ask of the machine's tools: whether a program (espeak-ng, sox, flite) is installed. */
public final class Tools {

    private Tools() {
    }

    /** Whether an executable named {@code tool} is in a directory of the {@code PATH}. */
    public static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }
}
