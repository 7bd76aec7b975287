package org.rankcoding.examples.cli;

/** A task's data cannot be loaded; the driver prints the message after the task's name and exits with status 1. */
final class DataUnavailable extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param message what is missing or wrong, and what to do about it */
    DataUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
