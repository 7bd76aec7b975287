package org.rankcoding.examples.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * A JVM started without the Vector API module logs one WARN line naming the option, through the examples' logging
 * configuration, and only then; each case runs {@link KernelChoiceMain} in a child JVM on this build's class path.
 */
class VectorFallbackWarningTest {

    private static final String OPTION = "--add-modules jdk.incubator.vector";

    @Test
    void withoutTheModuleOneWarningNamesTheOptionAndTheFallback() throws Exception {
        List<String> lines = run(List.of());
        List<String> warnings = warnings(lines);
        assertEquals(1, warnings.size(), "one WARN line expected for two kernel choices: " + lines);
        String w = warnings.get(0);
        assertTrue(w.contains(OPTION), w);
        assertTrue(w.contains("'blocked'") && w.contains("slower"), w);
        assertTrue(w.contains("jdk.incubator.vector is not in the boot layer"), w);
        assertTrue(lines.contains("kernels=blocked"), lines.toString());
    }

    @Test
    void withTheModuleThereIsNoWarning() throws Exception {
        List<String> lines = run(List.of("--add-modules", "jdk.incubator.vector"));
        assertEquals(List.of(), warnings(lines), lines.toString());
        assertTrue(lines.contains("kernels=float32"), lines.toString());
    }

    @Test
    void aForcedFallbackIsNotWarnedAbout() throws Exception {
        List<String> lines = run(List.of("-Drankcoding.kernels=blocked"));
        assertEquals(List.of(), warnings(lines), lines.toString());
        assertTrue(lines.contains("kernels=blocked"), lines.toString());
    }

    private static List<String> warnings(List<String> lines) {
        List<String> w = new ArrayList<>();
        for (String line : lines) {
            if (line.contains(" WARN ") && line.contains("Vector API")) {
                w.add(line);
            }
        }
        return w;
    }

    /** The child's standard output and error lines. */
    private static List<String> run(List<String> jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), KernelChoiceMain.class.getName()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish in 60 s");
        assertEquals(0, p.exitValue(), out);
        return Arrays.asList(out.split("\\R"));
    }
}
