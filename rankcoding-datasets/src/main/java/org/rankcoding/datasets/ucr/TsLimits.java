package org.rankcoding.datasets.ucr;

/**
 * The bounds that {@link TsReader} enforces while it reads, so that no file, however damaged or hostile, makes it
 * allocate more than these sizes allow. A header that declares more (say {@code @seriesLength 2000000000}) is refused
 * at its line, before any series is read; data that exceed a bound are refused at the line where they do, with the
 * bound and the name of the limit in the message.
 *
 * <p>The {@link #DEFAULT defaults} are far above every data set of the UCR/UEA archive (its longest series has a few
 * thousand steps, its largest data sets tens of thousands of series, its lines at most a few hundred thousand
 * characters) and keep the memory of one file below about 1 GB.
 *
 * @param maxLineChars    the longest line accepted, in characters, in {@code [64, 2^28]}; the line buffer never grows
 *                        beyond it
 * @param maxSeries       the most series (data lines) in one file, at least 1
 * @param maxSeriesLength the most values per dimension of one series, at least 1
 * @param maxDimensions   the most dimensions (channels) of a series, at least 1
 * @param maxTotalValues  the most values in the whole file (all series, dimensions and steps), at least 1
 */
public record TsLimits(int maxLineChars, int maxSeries, int maxSeriesLength, int maxDimensions, long maxTotalValues) {

    /** The longest line that can be allowed at all: 2^28 characters (512 MB of line buffer). */
    public static final int MAX_LINE_CHARS = 1 << 28;

    /**
     * The default limits: lines of at most 2^24 (16.7 million) characters, 1,000,000 series of at most 1,000,000 steps
     * in at most 10,000 dimensions, and at most 2^26 (67 million) values in all (512 MB of doubles).
     */
    public static final TsLimits DEFAULT = new TsLimits(1 << 24, 1_000_000, 1_000_000, 10_000, 1L << 26);

    /**
     * Validates the limits.
     *
     * @throws IllegalArgumentException for a limit out of its range
     */
    public TsLimits {
        if (maxLineChars < 64 || maxLineChars > MAX_LINE_CHARS) {
            throw new IllegalArgumentException("maxLineChars = " + maxLineChars + ", expected in [64, " + MAX_LINE_CHARS + "]");
        }
        requirePositive("maxSeries", maxSeries);
        requirePositive("maxSeriesLength", maxSeriesLength);
        requirePositive("maxDimensions", maxDimensions);
        requirePositive("maxTotalValues", maxTotalValues);
    }

    private static void requirePositive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " = " + value + ", expected >= 1");
        }
    }
}
