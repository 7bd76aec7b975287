package org.rankcoding.examples.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;

/**
 * Draws a progress bar on one line of a stream (standard error) with carriage returns, and lets other
 * output (log lines on standard output) be written "above" it: {@link #runAbove} erases the bar's line,
 * runs the writer while no redraw can happen, and the next redraw starts on a fresh line. This keeps log
 * lines and the bar from being interleaved on one terminal line.
 *
 * <p>Thread-safe: the bar redraws from its own thread.
 */
final class StderrBarConsumer implements ProgressBarConsumer {

    private final PrintStream out;
    private final int width;
    private int shown;

    /**
     * @param out   where the bar is drawn
     * @param width maximum rendered length in characters
     */
    StderrBarConsumer(PrintStream out, int width) {
        this.out = out;
        this.width = width;
    }

    /**
     * A progress bar of the examples' style (ASCII, redrawn every 250 ms) drawn on standard error.
     *
     * @param label    the task name shown on the bar
     * @param max      the count at 100%
     * @param consumer where it is drawn, e.g. {@code new StderrBarConsumer(System.err, terminalWidth())}
     */
    static ProgressBar bar(String label, long max, StderrBarConsumer consumer) {
        return new ProgressBarBuilder().setTaskName(label).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250).setConsumer(consumer).build();
    }

    /**
     * A width that fits the terminal: the terminal's width as the progress-bar library measures it (through
     * JLine), or 100 when it cannot be measured; at most 160.
     */
    static int terminalWidth() {
        int w;
        try {
            w = new ConsoleProgressBarConsumer(System.err).getMaxRenderedLength();
        } catch (RuntimeException | LinkageError e) {
            w = 100;
        }
        return w < 40 ? 100 : Math.min(160, w);
    }

    @Override
    public int getMaxRenderedLength() {
        return width;
    }

    @Override
    public synchronized void accept(String rendered) {
        String line = rendered.length() > width ? rendered.substring(0, width) : rendered;
        StringBuilder sb = new StringBuilder(width + 2).append('\r').append(line);
        for (int i = line.length(); i < shown; i++) {
            sb.append(' ');
        }
        out.print(sb);
        out.flush();
        shown = line.length();
    }

    /** Erases the bar's line, runs {@code writer} (which should end its output with a newline) and returns. */
    synchronized void runAbove(Runnable writer) {
        erase();
        writer.run();
    }

    /** Logs {@code message} at info level, above the bar drawn by {@code consumer} if there is one ({@code null}: none). */
    static void info(StderrBarConsumer consumer, org.slf4j.Logger log, String message) {
        if (consumer != null) {
            consumer.runAbove(() -> log.info(message));
        } else {
            log.info(message);
        }
    }

    private void erase() {
        if (shown > 0) {
            out.print('\r' + " ".repeat(shown) + '\r');
            out.flush();
            shown = 0;
        }
    }

    @Override
    public synchronized void close() {
        if (shown > 0) {
            out.println();
            out.flush();
            shown = 0;
        }
    }
}
