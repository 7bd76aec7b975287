package org.rankcoding.testing;

import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Assertions on refusals: a call that must throw an exception of a given type whose message names the problem.
 * The library's rule is that every refusal says what was wrong (the value, the expected range, the likely cause),
 * so these assertions check the message, fragment by fragment, not only the exception's type.
 */
public final class Refusals {

    private Refusals() {
    }

    /**
     * Asserts that {@code call} throws an exception of {@code type} (or a subtype) with a non-blank message that
     * contains every one of {@code fragments}.
     *
     * @param type      the expected exception type
     * @param call      the call that must be refused
     * @param fragments texts the message must contain, each anywhere in it
     * @param <T>       the exception type
     * @return the exception, for further assertions
     */
    public static <T extends Throwable> T assertRefusal(Class<T> type, Executable call, String... fragments) {
        T e = assertThrows(type, call);
        String message = e.getMessage();
        assertTrue(message != null && !message.isBlank(), "the " + type.getSimpleName() + " needs a message");
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), "the message should contain '" + fragment + "': " + message);
        }
        return e;
    }

    /**
     * Asserts that {@code call} throws an {@link IllegalArgumentException} with a non-blank message that contains
     * every one of {@code fragments}: the refusal of bad arguments at the library's boundary.
     *
     * @param call      the call that must be refused
     * @param fragments texts the message must contain, each anywhere in it
     * @return the exception, for further assertions
     */
    public static IllegalArgumentException assertIllegalArgument(Executable call, String... fragments) {
        return assertRefusal(IllegalArgumentException.class, call, fragments);
    }
}
