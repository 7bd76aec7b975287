package org.rankcoding.rc;

import org.rankcoding.nn.ConvFrontEnd;
import org.rankcoding.nn.ConvTape;
import org.rankcoding.nn.compute.LstmStep;
import org.rankcoding.nn.RankCodingNetwork;

import java.util.Arrays;

/**
 * The per-layer step buffers of a pass ({@link LstmStep}: input, previous state, gates, {@code tanh(c)}), with the
 * front end's record and its dense input when there is a front end, in step slots; plus each layer's new cell state
 * and the top layer's hidden state of the step being computed. Layer {@code l + 1}'s input in a slot is layer
 * {@code l}'s output there.
 *
 * <p>A {@linkplain #full full} tape (training) has one slot per step, kept for the backward pass; a
 * {@linkplain #rolling rolling} tape (inference) has two, used alternately: step {@code t} computes in slot
 * {@link #slot(int) slot(t)} and hands the rows that stay to slot {@code slot(t + 1)}. Buffers are sized on first use,
 * grown, never shrunk; not thread-safe.
 */
final class StepTape {

    /** {@code slot(t) = t & slotMask}: all ones for a full tape (slot t), 1 for a rolling one (slots 0, 1, 0, ...). */
    private final int slotMask;
    private final int numLayers;
    private final int hidden;
    private final int[] layerInput;
    private final int networkInput;
    private final ConvFrontEnd frontEnd;
    private int capRows = -1;
    private LstmStep[][] steps;
    private ConvTape[] front = new ConvTape[0];
    private double[][] raw = new double[0][];
    private double[][] cell;
    private double[] top;
    /** Each lower layer's unmasked hidden output of the step being computed, used while dropout is on. */
    private double[][] below;
    private boolean separateBelow;

    private StepTape(RankCodingNetwork network, int slotMask) {
        this.slotMask = slotMask;
        this.numLayers = network.layers().size();
        this.hidden = network.config().hiddenSize();
        this.layerInput = new int[numLayers];
        for (int l = 0; l < numLayers; l++) {
            layerInput[l] = network.layers().get(l).inputSize();
        }
        this.networkInput = network.config().inputSize();
        this.frontEnd = network.hasFrontEnd() ? network.frontEnd() : null;
        this.steps = new LstmStep[numLayers][0];
        this.cell = new double[numLayers][0];
        this.below = new double[numLayers][0];
        this.top = new double[0];
    }

    /** A tape with one slot per step, for training. */
    static StepTape full(RankCodingNetwork network) {
        return new StepTape(network, -1);
    }

    /** A tape with two alternating slots, for inference. */
    static StepTape rolling(RankCodingNetwork network) {
        return new StepTape(network, 1);
    }

    /** The slot of 0-based step {@code t}. */
    int slot(int t) {
        return t & slotMask;
    }

    /** The number of slots a pass of {@code steps} steps uses. */
    int slots(int steps) {
        return slotMask == 1 ? 2 : steps;
    }

    /** Makes room for {@code rows} rows and a pass of {@code steps} steps (a new row capacity reallocates every slot). */
    void ensure(int rows, int stepCount) {
        if (rows > capRows) {
            capRows = Math.max(rows, capRows + capRows / 2);
            for (int l = 0; l < numLayers; l++) {
                steps[l] = new LstmStep[0];
                cell[l] = new double[capRows * hidden];
                below[l] = new double[l < numLayers - 1 ? capRows * hidden : 0];
            }
            top = new double[capRows * hidden];
            front = new ConvTape[0];
            raw = new double[0][];
        }
        int slots = slots(stepCount);
        int have = front.length;
        if (slots <= have) {
            return;
        }
        front = Arrays.copyOf(front, slots);
        raw = Arrays.copyOf(raw, slots);
        for (int s = have; s < slots; s++) {
            front[s] = frontEnd == null ? null : frontEnd.newTape(capRows);
        }
        for (int l = 0; l < numLayers; l++) {
            steps[l] = Arrays.copyOf(steps[l], slots);
            for (int s = have; s < slots; s++) {
                steps[l][s] = new LstmStep(capRows, layerInput[l], hidden);
            }
        }
    }

    /** Layer {@code l}'s buffers in slot {@code s}. */
    LstmStep step(int l, int s) {
        return steps[l][s];
    }

    /**
     * Where layer {@code l} writes its hidden output in slot {@code s}: the next layer's input, or {@link #top()} for the
     * top layer; with {@link #separateLowerOutputs()}, a lower layer's own buffer instead (the next layer's input is then
     * written from it, masked by dropout).
     */
    double[] output(int l, int s) {
        if (l == numLayers - 1) {
            return top;
        }
        return separateBelow ? below[l] : steps[l + 1][s].x();
    }

    /**
     * Lower layers write their hidden output into buffers of their own, which the states carried to the next step are
     * taken from, so that the next layer's input can differ from it (dropout between layers). Until
     * {@link #sharedLowerOutputs()}.
     */
    void separateLowerOutputs() {
        separateBelow = true;
    }

    /** Lower layers write their hidden output straight into the next layer's input (the default). */
    void sharedLowerOutputs() {
        separateBelow = false;
    }

    /** Layer {@code l}'s new cell state of the step being computed. */
    double[] cell(int l) {
        return cell[l];
    }

    /** The top layer's hidden state of the step being computed (the readout's input). */
    double[] top() {
        return top;
    }

    /** The front end's record in slot {@code s}. */
    ConvTape front(int s) {
        return front[s];
    }

    /** Slot {@code s}'s dense front-end input (rows x input size), allocated on first use (dense batches only). */
    double[] raw(int s) {
        int need = capRows * networkInput;
        if (raw[s] == null || raw[s].length < need) {
            raw[s] = new double[need];
        }
        return raw[s];
    }

    /** Copies row {@code from}'s new state (hidden and cell, every layer) of slot {@code s} into row {@code to} of slot {@code next}'s previous state. */
    void carryState(int s, int next, int from, int to) {
        int h = hidden;
        for (int l = 0; l < numLayers; l++) {
            LstmStep dst = steps[l][next];
            System.arraycopy(output(l, s), from * h, dst.hPrev(), to * h, h);
            System.arraycopy(cell[l], from * h, dst.cPrev(), to * h, h);
        }
    }

    /** Copies row {@code from} of slot {@code s}'s front-end input into row {@code to} of slot {@code next}'s. */
    void carryRaw(int s, int next, int from, int to) {
        System.arraycopy(raw[s], from * networkInput, raw(next), to * networkInput, networkInput);
    }
}
