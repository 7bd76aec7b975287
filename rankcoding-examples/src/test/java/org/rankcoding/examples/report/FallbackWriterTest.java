package org.rankcoding.examples.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertRefusal;

/** A file that must not be lost goes to a fallback file when its own path fails at the end. */
class FallbackWriterTest {

    @Test
    void writesTheRequestedPathWhenItCan(@TempDir Path tmp) throws IOException {
        Path target = tmp.resolve("m.safetensors");
        FallbackWriter.Written w = FallbackWriter.write(target, tmp.resolve("fallback"), f -> Files.writeString(f, "model"));
        assertFalse(w.fellBack());
        assertEquals(target, w.file());
        assertEquals("model", Files.readString(target));
        w.requireRequested("--save-model", "the model"); // no exception
    }

    @Test
    void fallsBackWhenTheRequestedPathFails(@TempDir Path tmp) throws IOException {
        Path target = Files.createDirectories(tmp.resolve("m.safetensors")); // became a directory after the pre-flight
        Path fallbackDir = tmp.resolve("fallback");
        FallbackWriter.Written w = FallbackWriter.write(target, fallbackDir, f -> Files.writeString(f, "model"));
        assertTrue(w.fellBack());
        assertEquals(fallbackDir, w.file().getParent());
        assertTrue(w.file().getFileName().toString().startsWith("m-") && w.file().toString().endsWith(".safetensors"), w.file().toString());
        assertEquals("model", Files.readString(w.file()));
        assertRefusal(FallbackWriter.WrittenElsewhere.class, () -> w.requireRequested("--save-model", "the trained model"),
                "could not write --save-model " + target, "the trained model was written to " + w.file() + " instead");
    }

    @Test
    void reportsBothFailuresWhenTheFallbackFailsToo(@TempDir Path tmp) {
        IOException e = assertRefusal(IOException.class, () -> FallbackWriter.write(tmp.resolve("m"), tmp.resolve("fb"), f -> {
            throw new IOException("disk full writing " + f.getFileName());
        }), "disk full writing m-");
        assertEquals("disk full writing m", e.getSuppressed()[0].getMessage());
    }

    @Test
    void jsonIsWrittenAtomically(@TempDir Path tmp) throws IOException {
        Path json = tmp.resolve("sub/r.json");
        JsonOutput.write(json, java.util.Map.of("a", 1));
        assertEquals("{\n  \"a\": 1\n}\n", Files.readString(json));
        try (var files = Files.list(json.getParent())) {
            assertEquals(1, files.count(), "no temporary file left");
        }
    }
}
