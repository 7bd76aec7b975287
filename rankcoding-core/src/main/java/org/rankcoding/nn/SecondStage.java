package org.rankcoding.nn;

import org.ejml.data.DMatrixRMaj;

import java.util.Arrays;

/**
 * The second stage of a two-stage {@link ConvFrontEnd}: for each row, its pre-activation map computed either from
 * the row's events ({@link EventConvStage}, when the row touches at most a given number of the first stage's pooled
 * positions) or densely ({@link PatchConvStage}), then max-pooling and ReLU ({@link PoolRelu}); backward, the pooling's
 * routing and then the same path. The choice depends on the row's input only, so a row's backward pass takes the path
 * of its forward pass.
 */
final class SecondStage {

    private final PatchConvStage dense;
    private final EventConvStage events;
    /** Max-pooling and ReLU of either path's pre-activation map (channel-major: the front end's output). */
    private final PoolRelu pooling;
    /** The most touched positions with which a row runs from its events (-1: never). */
    private final int eventLimit;
    private final int size1;

    /**
     * @param eventFraction the largest fraction of the first stage's pooled positions a row may touch to run from
     *                      its events (negative: never; 1: always)
     */
    SecondStage(ConvFrontEndConfig config, double eventFraction) {
        int h1 = config.height() / config.pool();
        int w1 = config.width() / config.pool();
        this.pooling = PoolRelu.channelMajor(config.channels2(), w1, config.pool(), config.pooledHeight(),
                config.pooledWidth());
        this.dense = new PatchConvStage(config);
        this.events = new EventConvStage(config);
        this.eventLimit = eventFraction < 0 ? -1 : (int) Math.floor(eventFraction * h1 * w1);
        this.size1 = config.channels() * h1 * w1;
    }

    /** Prepares the event path's state in {@code ws} (after the workspace's weights and biases are in place). */
    void prepare(ConvFrontEnd.Workspace ws, DMatrixRMaj weight2) {
        ws.events.prepare(weight2, ws.bias);
        events.prepareBase(ws.events, ws.bias2);
    }

    /**
     * Forward of row {@code row}, whose first-stage features are in the tape and whose touched positions are in
     * {@code ws.touched}: features to {@code out[off ..]}, pooling choices to the tape.
     */
    void forward(ConvFrontEnd.Workspace ws, ConvTape tape, int row, double[] out, int off) {
        if (ws.touched.count() <= eventLimit) {
            events.forward(tape.f1, row * size1, ws.touched, ws.events, ws.kernels, ws.pre2);
        } else {
            dense.forward(tape.f1, row * size1, ws);
        }
        pooling.forward(ws.pre2, out, tape.argmax2, off);
    }

    /**
     * Backward of row {@code row} from {@code dOut[dOff ..]}: the first-stage feature gradients go to
     * {@code ws.back.dOut1}; call {@link #fold} after the last row of a call.
     */
    void backward(double[] dOut, int dOff, ConvTape tape, int row, ConvFrontEnd.Workspace ws,
                  ConvGradients g) {
        double[] dPre2 = ws.back.dPre2;
        Arrays.fill(dPre2, 0.0);
        boolean any = pooling.route(dOut, dOff, tape.argmax2, row * pooling.size(), dPre2, g.bias2);
        Arrays.fill(ws.back.dOut1, 0.0);
        if (!any) {
            return;
        }
        if (ws.touched.count() <= eventLimit) {
            events.backward(tape, row, ws.touched, ws.events, ws.kernels, dPre2, ws.back.dOut1);
        } else {
            dense.backward(tape, row, ws, g);
        }
    }

    /** Adds what the event path accumulated over a backward call to {@code g}. */
    void fold(ConvFrontEnd.Workspace ws, ConvGradients g) {
        events.fold(ws.events, g.weight2T, g.bias);
    }
}
