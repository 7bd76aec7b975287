package org.rankcoding.train;

import java.util.random.RandomGenerator;

/**
 * The trainer's data generator: SplitMix64 with a state that can be saved and restored, so that a training run resumed
 * from a checkpoint draws exactly the numbers the uninterrupted run would have drawn.
 *
 * <p>It produces the same numbers as {@code new java.util.SplittableRandom(seed)} (which keeps its state private):
 * the state advances by {@code gamma} per {@link #nextLong()} or {@link #nextInt()}, whose outputs are the JDK's
 * 64-bit and 32-bit mixing functions of the new state; every other method is
 * {@link RandomGenerator}'s default built on those two, as in {@code SplittableRandom}. A test checks the equality.
 * Not thread-safe.
 */
final class SplitMix64 implements RandomGenerator {

    /** The increment {@code new SplittableRandom(seed)} uses: the odd integer closest to 2^64 / phi. */
    static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long state;
    private final long gamma;

    /** The generator {@code new SplittableRandom(seed)} is. */
    SplitMix64(long seed) {
        this(seed, GOLDEN_GAMMA);
    }

    /**
     * A generator continuing from a saved {@link #state()} and {@link #gamma()}.
     *
     * @throws IllegalArgumentException if {@code gamma} is even (SplitMix64 needs an odd increment)
     */
    SplitMix64(long state, long gamma) {
        if ((gamma & 1) == 0) {
            throw new IllegalArgumentException("gamma = " + gamma + ", expected an odd number");
        }
        this.state = state;
        this.gamma = gamma;
    }

    /** The current state (the seed after all draws so far). */
    long state() {
        return state;
    }

    /** The increment. */
    long gamma() {
        return gamma;
    }

    @Override
    public long nextLong() {
        long z = state += gamma;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    @Override
    public int nextInt() {
        long z = state += gamma;
        z = (z ^ (z >>> 33)) * 0x62a9d9ed799705f5L;
        return (int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 32);
    }
}
