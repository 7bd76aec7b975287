package org.rankcoding.nn;

import org.ejml.data.DMatrixRMaj;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.kernel.PreparedMatrix;

/**
 * The part of a {@link ConvFrontEnd.Workspace} that only back-propagation needs: the gradient maps of one row and
 * the second stage's weights as the right operand of the input-gradient product. {@link #NONE} stands for a
 * workspace made for inference, and refuses use.
 */
final class ConvBackwardBuffers {

    /** The buffers of an inference workspace: none. */
    static final ConvBackwardBuffers NONE = new ConvBackwardBuffers();

    /** Gradient on the first stage's pre-activation map ({@code height x width x C}); all zero between calls. */
    final double[] dPre;
    /** Gradient on the first stage's features (two stages only). */
    final double[] dOut1;
    /** {@code weight2} ({@code C2 x C K K}) prepared as a right operand (two stages only). */
    final PreparedMatrix w2;
    /** Gradient on the second stage's pre-activation map (two stages only). */
    final double[] dPre2;
    /** Gradient on the second stage's patches (two stages only). */
    final double[] dPatches;

    private ConvBackwardBuffers() {
        this.dPre = null;
        this.dOut1 = null;
        this.w2 = null;
        this.dPre2 = null;
        this.dPatches = null;
    }

    /** Buffers for a front end of shape {@code c} whose dense products run on {@code kernels}. */
    ConvBackwardBuffers(ConvFrontEndConfig c, MatrixKernels kernels) {
        this.dPre = new double[c.height() * c.width() * c.channels()];
        int p1 = (c.height() / c.pool()) * (c.width() / c.pool());
        int patch = c.kernel() * c.kernel() * c.channels();
        boolean two = c.channels2() > 0;
        this.dOut1 = two ? new double[p1 * c.channels()] : null;
        this.w2 = two ? kernels.prepare(c.channels2(), patch) : null;
        this.dPre2 = two ? new double[p1 * c.channels2()] : null;
        this.dPatches = two ? new double[p1 * patch] : null;
    }

    /** Copies the second stage's weights into {@link #w2} (nothing to do for one stage or for {@link #NONE}). */
    void prepare(DMatrixRMaj weight2) {
        if (w2 != null) {
            w2.set(weight2);
        }
    }

    /**
     * Returns these buffers.
     *
     * @throws IllegalStateException for {@link #NONE}, the buffers of an inference workspace
     */
    ConvBackwardBuffers require() {
        if (this == NONE) {
            throw new IllegalStateException("this workspace was made for inference (newInferenceWorkspace); "
                    + "back-propagation needs one from newWorkspace");
        }
        return this;
    }
}
