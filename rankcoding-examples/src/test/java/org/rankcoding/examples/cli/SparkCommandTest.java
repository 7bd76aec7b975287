package org.rankcoding.examples.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.examples.CliRun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spark command in local mode: trains and scores through Spark and agrees with the library's own inference. */
class SparkCommandTest {

    @TempDir
    Path dir;

    @Test
    void trainsAndScoresInLocalModeLikeTheLibrary() throws IOException {
        Path json = dir.resolve("spark.json");
        CliRun run = CliRun.of("spark", "--train", "600", "--test", "200", "--epochs", "2", "--hidden", "16",
                "--threshold", "0.8", "--json", json.toString());
        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(run.out().contains("decisions equal to the library's classify") && run.out().contains("200 of 200"),
                run.out());
        Map<String, String> values = flatJson(json);
        assertEquals("noise-vs-signal", values.get("task"));
        assertEquals("600", values.get("train_sequences"));
        assertEquals("200", values.get("same_as_library"));
        assertEquals("10", values.get("train_batches"), "2 epochs of 600 rows in batches of 128");
        long forward = Long.parseLong(values.get("forward_example_steps"));
        long full = Long.parseLong(values.get("full_example_steps"));
        assertTrue(forward > 0 && forward <= full && full == 1200L * 40, values.toString());
    }

    @Test
    void anUnknownTaskIsAUsageError() {
        CliRun run = CliRun.of("spark", "--task", "speech");
        assertEquals(2, run.code());
        assertTrue(run.err().contains("--task = 'speech', expected noise-vs-signal or temporal-mnist"), run.err());
    }

    private static Map<String, String> flatJson(Path file) throws IOException {
        Map<String, String> values = new HashMap<>();
        try (JsonParser p = new JsonFactory().createParser(file.toFile())) {
            String key = null;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME) {
                    key = p.currentName();
                } else if (t.isScalarValue() && key != null) {
                    values.put(key, p.getText());
                }
            }
        }
        return values;
    }
}
