package org.rankcoding.datasets.latency;

/**
 * How a latency code presents an input's spike to the network over the steps.
 *
 * <p>Both forms carry exactly the same information at every step: what the network may know at step {@code t} is
 * which inputs have spiked by {@code t} and when. They differ in what the first layer has to do with it.
 * {@link #PULSE} is the code of the paper: an input is active at its spike step only, so the network must integrate
 * the events in its state. {@link #HELD} keeps an input active from its spike step to the last step (a step function
 * instead of a pulse), so that at step {@code t} the input is the set of all inputs that have spiked by {@code t}
 * (for an image, the cumulative image of the brightest pixels). For a model whose first layer is linear before its
 * non-linearity, such as a convolutional front end, the held form equals a first layer that integrates its input
 * events without leak (an integrate-and-fire membrane that never resets).
 *
 * <p>Cost: a pulse code has one event per input; a held code has {@code N - s + 1} events for an input spiking at
 * step {@code s} of {@code N}. With early exit most sequences stop after a few steps, where the two differ little.
 */
public enum SpikeCoding {
    /** An input is active at its spike step only (one event per input): the code of the paper. */
    PULSE,
    /** An input stays active from its spike step to the last step. */
    HELD;

    /**
     * The coding named {@code text}, case-insensitive ({@code pulse} or {@code held}).
     *
     * @throws IllegalArgumentException for any other text, naming it ({@code spikeCoding = TEXT}) and listing the names
     */
    public static SpikeCoding parse(String text) {
        if (text != null) {
            for (SpikeCoding c : values()) {
                if (c.name().equalsIgnoreCase(text.trim())) {
                    return c;
                }
            }
        }
        throw new IllegalArgumentException("spikeCoding = " + text + ", expected pulse or held (in any case)");
    }
}
