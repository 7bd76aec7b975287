package org.rankcoding.nn;

/**
 * The shape of an optional convolutional front end ({@link ConvFrontEnd}) that turns each step's input image
 * into features for the first LSTM layer, or {@link #NONE} for a network whose first LSTM layer reads the input
 * directly.
 *
 * <p>A front end reads a step's input as a {@code height x width} single-channel image (row-major, so the
 * network's input size must be {@code height * width}), convolves it with {@code channels} learned
 * {@code kernel x kernel} filters ("same" zero padding, stride 1, a bias per channel), max-pools each channel over
 * non-overlapping {@code pool x pool} windows (rows and columns that do not fill a window are dropped) and applies
 * a ReLU. With {@code channels2 > 0} a second stage does the same to that result: {@code channels2} filters of
 * {@code channels x kernel x kernel}, the same pooling, a ReLU. The first LSTM layer then reads
 * {@link #outputSize()} features per step, in PyTorch's flattening order (channel, pooled row, pooled column).
 *
 * <p>An <em>integrating</em> front end ({@code integrate = true}) convolves the running sum of the inputs so far
 * instead of the current step's input: at step {@code t} it sees {@code x_1 + ... + x_t}. Since the convolution is
 * linear, that is a first layer whose pre-activations integrate the input events without leak (a membrane that never
 * resets) before pooling and rectifying. For a latency code, in which each input fires once, the running sum at step
 * {@code t} is the set of inputs fired by {@code t}: the front end sees the cumulative image while the network is
 * fed the code itself, one event per pixel.
 *
 * <p>Its text form ({@link #toString()}, read back by {@link #parse(String)}) is {@code none} or
 * {@code conv:channels=C,kernel=K,pool=P,height=H,width=W}, followed by {@code ,channels2=D} for a second stage
 * and {@code ,integrate=true} for an integrating front end; model files and checkpoints store it so.
 *
 * <p>Every size has a maximum ({@link #MAX_CHANNELS}, {@link #MAX_KERNEL}, {@link #MAX_SIDE}) far above any real use,
 * and no buffer of the front end (a stage's pre-activation map, the second stage's patches and weight) may have more
 * elements than a Java array holds, so that a mistyped size is refused here with the bound in the message instead of
 * overflowing an {@code int} or the heap later.
 *
 * @param channels number of filters, 1 .. {@link #MAX_CHANNELS} (0 only in {@link #NONE})
 * @param kernel   filter side, odd, 1 .. {@link #MAX_KERNEL} (0 only in {@link #NONE})
 * @param pool     max-pooling window side, at least 1 and at most {@code min(height, width)} (0 only in {@link #NONE})
 * @param height   image height, 1 .. {@link #MAX_SIDE} (0 only in {@link #NONE})
 * @param width    image width, 1 .. {@link #MAX_SIDE} (0 only in {@link #NONE})
 * @param channels2 filters of the second stage (at most {@link #MAX_CHANNELS}), or 0 for a single stage; with a second
 *                 stage, {@code pool} must also
 *                 fit the first stage's pooled map
 * @param integrate whether the front end convolves the running sum of the inputs so far (false in {@link #NONE})
 */
public record ConvFrontEndConfig(int channels, int kernel, int pool, int height, int width, int channels2, boolean integrate) {

    /** Most filters of a stage: 4096 (image networks use 16 to 512). */
    public static final int MAX_CHANNELS = 4096;
    /** Largest filter side: 255 (image networks use 3 to 11; a filter larger than the image only pads). */
    public static final int MAX_KERNEL = 255;
    /** Largest image side: 4096, so that an image has at most {@link NetworkConfig#MAX_INPUT_SIZE} pixels. */
    public static final int MAX_SIDE = 4096;
    /** Most elements of one front-end buffer: {@code Integer.MAX_VALUE - 8}, the largest Java array. */
    public static final long MAX_BUFFER_ELEMENTS = Integer.MAX_VALUE - 8L;

    /** No front end: the first LSTM layer reads each step's input directly. */
    public static final ConvFrontEndConfig NONE = new ConvFrontEndConfig(0, 0, 0, 0, 0, 0, false);

    /** A single-stage front end (or {@link #NONE} when every size is 0). */
    public ConvFrontEndConfig(int channels, int kernel, int pool, int height, int width) {
        this(channels, kernel, pool, height, width, 0, false);
    }

    /** A front end that convolves each step's input (not integrating). */
    public ConvFrontEndConfig(int channels, int kernel, int pool, int height, int width, int channels2) {
        this(channels, kernel, pool, height, width, channels2, false);
    }

    private static final String NONE_TEXT = "none";
    private static final String PREFIX = "conv:";

    /** Validates every field: all zero ({@link #NONE}) or a valid front end. */
    public ConvFrontEndConfig {
        boolean none = channels == 0 && kernel == 0 && pool == 0 && height == 0 && width == 0 && channels2 == 0;
        if (none && integrate) {
            throw new IllegalArgumentException("integrate = true needs a front end (channels >= 1); NONE does not integrate");
        }
        if (!none) {
            requireSizes(channels, kernel, height, width, channels2);
            if (pool < 1 || pool > Math.min(height, width)) {
                throw new IllegalArgumentException("front end pool = " + pool + ", expected 1 .. " + Math.min(height, width)
                        + " (the smaller side of the " + height + " x " + width + " image)");
            }
            if (channels2 > 0 && pool > Math.min(height / pool, width / pool)) {
                throw new IllegalArgumentException("front end pool = " + pool + " is too large for a second stage: the first stage "
                        + "leaves a " + (height / pool) + " x " + (width / pool) + " map; expected pool <= "
                        + Math.min(height / pool, width / pool));
            }
            long features = channels2 == 0 ? (long) channels * (height / pool) * (width / pool)
                    : (long) channels2 * (height / pool / pool) * (width / pool / pool);
            if (features > Integer.MAX_VALUE / 8) {
                throw new IllegalArgumentException("front end gives " + features + " features per step, too many (at most "
                        + Integer.MAX_VALUE / 8 + "); use fewer channels or a larger pool");
            }
            requireBuffers(channels, kernel, pool, (long) height * width, channels2);
        }
    }

    /** Checks each size against its range (the pool, which depends on the image, is checked by the caller). */
    private static void requireSizes(int channels, int kernel, int height, int width, int channels2) {
        if (channels < 1 || channels > MAX_CHANNELS) {
            throw new IllegalArgumentException("front end channels = " + channels + ", expected >= 1 and <= " + MAX_CHANNELS);
        }
        if (kernel < 1 || kernel % 2 == 0 || kernel > MAX_KERNEL) {
            throw new IllegalArgumentException("front end kernel = " + kernel + ", expected an odd size >= 1 and <= " + MAX_KERNEL
                    + " (3, 5, ...) so that 'same' padding keeps the image size");
        }
        if (height < 1 || width < 1 || height > MAX_SIDE || width > MAX_SIDE) {
            throw new IllegalArgumentException("front end image is " + height + " x " + width + ", expected both sides >= 1 and <= "
                    + MAX_SIDE);
        }
        if (channels2 < 0 || channels2 > MAX_CHANNELS) {
            throw new IllegalArgumentException("front end channels2 = " + channels2 + ", expected >= 0 and <= " + MAX_CHANNELS
                    + " (0 for a single stage)");
        }
    }

    /** Refuses a front end one of whose buffers would hold more elements than a Java array. */
    private static void requireBuffers(int channels, int kernel, int pool, long pixels, int channels2) {
        long patch = (long) kernel * kernel * channels;
        long pooled = pixels / ((long) pool * pool);
        requireBuffer("front end channels = " + channels, "pre-activation map", pixels * channels);
        requireBuffer("front end channels2 = " + channels2, "second-stage patches", channels2 == 0 ? 0 : pooled * patch);
        requireBuffer("front end channels2 = " + channels2, "second-stage pre-activation map", pooled * channels2);
        requireBuffer("front end channels2 = " + channels2, "second-stage weight", patch * channels2);
    }

    private static void requireBuffer(String cause, String buffer, long elements) {
        if (elements > MAX_BUFFER_ELEMENTS) {
            throw new IllegalArgumentException(cause + " makes the " + buffer + " " + elements + " values, more than a Java "
                    + "array holds (" + MAX_BUFFER_ELEMENTS + "); use fewer channels, a smaller image or a larger pool");
        }
    }

    /**
     * A convolutional front end.
     *
     * @throws IllegalArgumentException for a bad size (the message names it and the expected range)
     */
    public static ConvFrontEndConfig conv(int channels, int kernel, int pool, int height, int width) {
        ConvFrontEndConfig c = new ConvFrontEndConfig(channels, kernel, pool, height, width);
        if (c.isNone()) {
            throw new IllegalArgumentException("a convolutional front end needs channels >= 1; use ConvFrontEndConfig.NONE for none");
        }
        return c;
    }

    /** Whether this is {@link #NONE}. */
    public boolean isNone() {
        return channels == 0;
    }

    /** Input size the front end reads per step: {@code height * width} (0 for {@link #NONE}). */
    public int inputSize() {
        return height * width;
    }

    /** A second stage of {@code channels2} filters on this single-stage front end's output. */
    public ConvFrontEndConfig withSecondStage(int channels2) {
        return new ConvFrontEndConfig(channels, kernel, pool, height, width, channels2, integrate);
    }

    /**
     * This front end, integrating its input ({@code true}) or reading each step's input alone ({@code false}).
     *
     * @throws IllegalArgumentException for {@code integrate = true} on {@link #NONE}
     */
    public ConvFrontEndConfig withIntegration(boolean integrate) {
        return new ConvFrontEndConfig(channels, kernel, pool, height, width, channels2, integrate);
    }

    /** Rows of the last stage's pooled map: {@code height / pool} (and again {@code / pool} with a second stage). */
    public int pooledHeight() {
        return isNone() ? 0 : channels2 == 0 ? height / pool : height / pool / pool;
    }

    /** Columns of the last stage's pooled map. */
    public int pooledWidth() {
        return isNone() ? 0 : channels2 == 0 ? width / pool : width / pool / pool;
    }

    /** Features per step given to the first LSTM layer: the last stage's channels times its pooled rows and columns. */
    public int outputSize() {
        return (channels2 == 0 ? channels : channels2) * pooledHeight() * pooledWidth();
    }

    /** Number of parameters: {@code channels * kernel^2 + channels}, plus {@code channels2 * channels * kernel^2 + channels2}. */
    public long parameterCount() {
        return (long) channels * kernel * kernel + channels + (long) channels2 * channels * kernel * kernel + channels2;
    }

    @Override
    public String toString() {
        return isNone() ? NONE_TEXT
                : PREFIX + "channels=" + channels + ",kernel=" + kernel + ",pool=" + pool + ",height=" + height + ",width=" + width
                + (channels2 == 0 ? "" : ",channels2=" + channels2) + (integrate ? ",integrate=true" : "");
    }

    /**
     * Reads the text form written by {@link #toString()}.
     *
     * @throws IllegalArgumentException if the text is not of that form or describes an invalid front end
     */
    public static ConvFrontEndConfig parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("front end text is null; expected '" + NONE_TEXT + "' or '" + PREFIX
                    + "channels=C,kernel=K,pool=P,height=H,width=W'");
        }
        String t = text.strip();
        if (t.equals(NONE_TEXT)) {
            return NONE;
        }
        String expected = "expected '" + NONE_TEXT + "' or '" + PREFIX + "channels=C,kernel=K,pool=P,height=H,width=W' (then "
                + "',channels2=D' for a second stage and ',integrate=true' for an integrating front end)";
        if (!t.startsWith(PREFIX)) {
            throw new IllegalArgumentException("front end '" + text + "' is not understood; " + expected);
        }
        String[] names = {"channels", "kernel", "pool", "height", "width", "channels2", "integrate"};
        int required = 5;
        String[] parts = t.substring(PREFIX.length()).split(",", -1);
        if (parts.length < required || parts.length > names.length) {
            throw new IllegalArgumentException("front end '" + text + "' has " + parts.length + " fields; " + expected);
        }
        int[] v = new int[names.length - 1];
        boolean integrating = false;
        int field = 0;
        for (int i = 0; i < parts.length; i++) {
            // the optional fields may each be left out: skip names that do not match a trailing part
            while (field >= required && field < names.length - 1 && !parts[i].startsWith(names[field] + "=")) {
                field++;
            }
            String want = field < names.length ? names[field] + "=" : "";
            if (field >= names.length || !parts[i].startsWith(want)) {
                throw new IllegalArgumentException("front end '" + text + "': field " + (i + 1) + " is '" + parts[i] + "'; " + expected);
            }
            String value = parts[i].substring(want.length());
            if (field == names.length - 1) {
                if (!value.equals("true") && !value.equals("false")) {
                    throw new IllegalArgumentException("front end '" + text + "': integrate is '" + value + "', expected true or false");
                }
                integrating = value.equals("true");
            } else {
                try {
                    v[field] = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("front end '" + text + "': " + names[field] + " is not an integer; " + expected, e);
                }
            }
            field++;
        }
        return conv(v[0], v[1], v[2], v[3], v[4]).withSecondStage(v[5]).withIntegration(integrating);
    }
}
