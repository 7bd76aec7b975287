package org.rankcoding.io;

import java.util.Arrays;

/** Tensor shapes as {@code long[]}: element counts and display. */
final class Shapes {

    private Shapes() {
    }

    /** The product of the dimensions (callers check it for overflow where it comes from a file). */
    static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** The shape as {@code [a, b]}. */
    static String toString(long[] shape) {
        return Arrays.toString(shape);
    }
}
