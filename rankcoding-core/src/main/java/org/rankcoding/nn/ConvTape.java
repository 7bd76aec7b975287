package org.rankcoding.nn;

/**
 * What the backward pass of a {@link ConvFrontEnd} needs of a forward pass over up to a given number of rows: each
 * feature's pooling choice per stage and, with two stages, the first stage's features. Made by
 * {@link ConvFrontEnd#newTape}; one per thread.
 */
public final class ConvTape {

    /** First-stage pooling choices, {@code rows x C*H1*W1}. */
    final int[] argmax1;
    /** First-stage features, position-major ({@code rows x H1*W1*C}; two stages only). */
    final double[] f1;
    /** Second-stage pooling choices, {@code rows x outputSize} (two stages only). */
    final int[] argmax2;

    ConvTape(ConvFrontEndConfig c, int rows) {
        int size1 = c.channels() * (c.height() / c.pool()) * (c.width() / c.pool());
        this.argmax1 = new int[rows * size1];
        boolean two = c.channels2() > 0;
        this.f1 = two ? new double[rows * size1] : null;
        this.argmax2 = two ? new int[rows * c.outputSize()] : null;
    }
}
