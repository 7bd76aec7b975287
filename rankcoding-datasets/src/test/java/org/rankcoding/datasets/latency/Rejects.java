package org.rankcoding.datasets.latency;

import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The refusal assertion of this package's tests. */
final class Rejects {

    private Rejects() {
    }

    /** Asserts an IllegalArgumentException whose message contains every one of {@code fragments}. */
    static void rejects(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        String msg = e.getMessage();
        assertTrue(msg != null && !msg.isBlank(), "the exception needs a message");
        for (String f : fragments) {
            assertTrue(msg.contains(f), "message should contain '" + f + "': " + msg);
        }
    }
}
