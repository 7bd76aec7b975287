package org.rankcoding.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README quotes the body of {@link ReadmeExample#main}; this keeps the quote and the compiled code identical. */
class ReadmeExampleInSyncTest {

    @Test
    void readmeQuotesTheCompiledExampleVerbatim() throws IOException {
        Path module = Path.of("").toAbsolutePath();
        String readme = Files.readString(module.resolveSibling("README.md"));
        List<String> source = Files.readAllLines(module.resolve("src/main/java/org/rankcoding/examples/ReadmeExample.java"));
        int start = -1;
        for (int i = 0; i < source.size(); i++) {
            if (source.get(i).contains("public static void main")) {
                start = i + 1;
                break;
            }
        }
        assertTrue(start > 0, "ReadmeExample has no main method");
        List<String> body = new ArrayList<>();
        for (int i = start; !source.get(i).equals("    }"); i++) {
            body.add(source.get(i).substring(Math.min(8, source.get(i).length())));
        }
        assertTrue(body.size() >= 10, "the example body is unexpectedly short: " + body.size() + " lines");
        String quoted = String.join("\n", body);
        assertTrue(readme.contains(quoted), "README.md does not quote the body of ReadmeExample.main verbatim; update the README");
        for (String line : source) {
            if (line.startsWith("import org.rankcoding")) {
                assertTrue(readme.contains(line), "README.md lacks " + line);
            }
        }
    }
}
