package org.rankcoding.rc;

import org.rankcoding.data.SequenceBatch;
import org.rankcoding.kernel.Layouts;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.nn.ConvFrontEnd;
import org.rankcoding.nn.Linear;
import org.rankcoding.nn.Lstm;
import org.rankcoding.nn.LstmWeights;
import org.rankcoding.nn.OutputHead;
import org.rankcoding.nn.ParameterLayout;
import org.rankcoding.nn.Parameters;
import org.rankcoding.nn.RankCodingNetwork;

import java.util.Arrays;

/**
 * One pass of a {@link RankCodingNetwork} over a batch, with real early exit: forward step by step, rows
 * leave the active batch when they decide, the forward pass ends when every row has decided, and (when
 * training) the backward pass of each row starts at its own decision step.
 *
 * <h2>How rows leave</h2>
 * At step {@code t} only the active rows are computed; they are kept compacted (contiguous, in
 * ascending row order) so the matrix products run on {@code n_t x ...} blocks. When a row decides, its
 * loss gradient at the readout is turned into a gradient on its top hidden state and stored; the row is
 * then dropped from the next step's block. Because the active sets only shrink, the block of step
 * {@code t} contains exactly the rows whose backward pass visits step {@code t}, so the backward pass
 * runs on the same compacted blocks in reverse (or on a sub-block when a horizon truncates it).
 *
 * <h2>Ownership and threads</h2>
 * A pass owns its workspace (sized on first use, grown only, never shrunk) and is reused across
 * batches; steady-state calls allocate nothing. Per-row results ({@link #decisionStep(int)} etc.) are
 * valid until the next call. A pass reads the network's weights and must not run concurrently with an
 * update of them; use one pass per thread.
 */
public final class RankCodingPass {

    /** Back-propagate through every step before the decision (no horizon). */
    public static final int UNLIMITED_HORIZON = Integer.MAX_VALUE;

    private final RankCodingNetwork network;
    private final MatrixKernels kernels;
    private final OutputHead head;
    private final Linear readout;
    private final Lstm[] layers;
    private final int numLayers;
    private final int hidden;
    private final int outputs;
    private final int[] layerInput;
    /** Input size of the batches (the front end's pixels, or the first LSTM layer's input). */
    private final int networkInput;
    /** The convolutional front end, or null when the first LSTM layer reads the input. */
    private final ConvFrontEnd frontEnd;
    private final ConvFrontEnd.Workspace frontWs;
    private final ConvFrontEnd.Gradients frontGrads;
    /** Whether the front end reads the running sum of the inputs so far (an integrating front end). */
    private final boolean integrate;

    // compute-layout weights and gradient accumulators, per layer
    private final LstmWeights[] weights;
    private final double[][] gWihT;
    private final double[][] gWhhT;
    private final double[][] gBias;
    private final double[] gReadW;
    private final double[] gReadB;

    private int capRows;
    private int capSteps;
    // tape: [layer][slot] -> rows x dim
    private double[][][] tapeX;
    private double[][][] tapeHPrev;
    private double[][][] tapeCPrev;
    private double[][][] tapeGates;
    private double[][][] tapeTanhC;
    // active rows per slot (original row indices, ascending)
    private int[][] slotRows;
    private int[] slotCount;
    // sparse binary first-layer inputs per slot, CSR over the slot's rows (used when the batch is sparse)
    private int[][] slotStart;
    private int[][] slotIdx;
    private boolean sparseInput;
    /** Whether the first LSTM layer reads the sparse events itself (sparse input and no front end). */
    private boolean sparseLayer0;
    // with a front end: per slot, each feature's pooling choice, and the raw dense input (dense batches only)
    private ConvFrontEnd.Tape[] frontTape;
    private double[][] tapeRaw;
    private double[] dxFront;
    // forward scratch
    private double[][] cellOut;
    private double[] hTop;
    private double[] z;
    private double[] p;
    private double[] dz;
    private double[] dhLoss;
    // backward scratch
    private double[][] dhIn;
    private double[][] dcIn;
    private double[][] carriedDh;
    private double[][] carriedDc;
    private double[] dGates;
    private double[] dxAbove;
    private double[] gatherX;
    private double[] gatherH;
    private int[] gatherStart;
    private int[] gatherIdx = new int[0];
    // the backward step's sparse inputs by input: for input i, the gradient rows in which it was active
    private final int[] byInputStart;
    private int[] byInputRows = new int[0];
    private int[] backRows;
    private int[] backPrevRows;
    private int[] backFwdIdx;
    private int[] posPrev;

    // per-row results
    private int[] decisionStep;
    private int[] firstSpike;
    private int[] predictionAtDecision;
    private int[] predictionAtSpike;
    private int[] predictionAtLast;
    private double[] probabilitiesAtDecision;
    // System.nanoTime() at the end of each forward step of the last call (index = 0-based step)
    private long[] stepEndNanos = new long[0];
    private int lastForwardStep;
    private long forwardExampleSteps;
    /** Shown every computed step's probabilities during an {@link #infer} call, or null. */
    private StepObserver observer;
    private long backwardExampleSteps;
    private double lossSum;

    /**
     * @param network the network whose weights are read (not copied)
     * @param kernels the matrix kernels to compute with
     */
    public RankCodingPass(RankCodingNetwork network, MatrixKernels kernels) {
        this.network = network;
        this.kernels = kernels;
        this.head = network.head();
        this.readout = network.readout();
        this.layers = network.layers().toArray(new Lstm[0]);
        this.numLayers = layers.length;
        this.hidden = network.config().hiddenSize();
        this.outputs = head.outputs();
        this.layerInput = new int[numLayers];
        this.networkInput = network.config().inputSize();
        this.frontEnd = network.hasFrontEnd() ? network.frontEnd() : null;
        this.frontWs = frontEnd == null ? null : frontEnd.newWorkspace(kernels);
        this.frontGrads = frontEnd == null ? null : frontEnd.newGradients();
        this.integrate = frontEnd != null && frontEnd.config().integrate();
        this.weights = new LstmWeights[numLayers];
        this.gWihT = new double[numLayers][];
        this.gWhhT = new double[numLayers][];
        this.gBias = new double[numLayers][];
        for (int l = 0; l < numLayers; l++) {
            layerInput[l] = layers[l].inputSize();
            weights[l] = new LstmWeights(layers[l], kernels);
            gWihT[l] = new double[layerInput[l] * 4 * hidden];
            gWhhT[l] = new double[hidden * 4 * hidden];
            gBias[l] = new double[4 * hidden];
        }
        this.byInputStart = new int[layerInput[0] + 2];
        this.gReadW = new double[outputs * hidden];
        this.gReadB = new double[outputs];
        this.dz = new double[outputs];
        this.cellOut = new double[numLayers][0];
        this.tapeX = new double[numLayers][0][];
        this.tapeHPrev = new double[numLayers][0][];
        this.tapeCPrev = new double[numLayers][0][];
        this.tapeGates = new double[numLayers][0][];
        this.tapeTanhC = new double[numLayers][0][];
        this.slotRows = new int[0][];
        this.slotCount = new int[0];
        this.slotStart = new int[0][];
        this.slotIdx = new int[0][];
        this.frontTape = new ConvFrontEnd.Tape[0];
        this.tapeRaw = new double[0][];
        this.dhIn = new double[numLayers][0];
        this.dcIn = new double[numLayers][0];
        this.carriedDh = new double[numLayers][0];
        this.carriedDc = new double[numLayers][0];
        allocateRows(0);
    }

    /** The network this pass reads. */
    public RankCodingNetwork network() {
        return network;
    }

    /**
     * Training pass: forward with early exit, loss at each row's decision step, backward from each row's
     * decision step (at most {@code horizon} steps back). Writes the gradient of the mean loss over the
     * batch's rows into {@code gradients} (overwritten; same layout as the network's parameters).
     *
     * @param theta    spike threshold in (0.5, 1)
     * @param horizon  maximum number of steps to back-propagate through, counting the decision step itself
     *                 ({@code >= 1}), or {@link #UNLIMITED_HORIZON}
     * @return the mean loss over the batch's rows
     */
    public double gradients(SequenceBatch batch, double theta, RankCodingLoss loss, int horizon, Parameters gradients) {
        return gradients(batch, 0, batch.batchSize(), 1.0 / batch.batchSize(), theta, loss, horizon, gradients);
    }

    /**
     * Training pass over rows {@code [from, to)} of a batch, with each row's loss weighted by {@code lossScale}:
     * writes the gradient of {@code lossScale * sum of the rows' losses} into {@code gradients} (overwritten).
     * Splitting a batch into row ranges with {@code lossScale = 1 / batchSize} and adding the gradients gives
     * the whole batch's gradient; this is how training uses several threads.
     *
     * @return {@code lossScale * sum of the rows' losses}
     * @throws IllegalArgumentException for an empty or out-of-bounds row range or a bad threshold or horizon
     */
    public double gradients(SequenceBatch batch, int from, int to, double lossScale, double theta, RankCodingLoss loss,
                            int horizon, Parameters gradients) {
        return gradients(batch, from, to, lossScale, theta, loss, horizon, Integer.MAX_VALUE, gradients);
    }

    /**
     * As {@link #gradients(SequenceBatch, int, int, double, double, RankCodingLoss, int, Parameters)}, with every row cut
     * after {@code stepLimit} steps: a row longer than that ends there (its loss is taken there if it has not spiked
     * before), as if its sequence were {@code stepLimit} steps long. This is how a length curriculum
     * ({@link org.rankcoding.train.TrainerConfig#warmupSequencesPerStep()}) trains.
     *
     * @param stepLimit the most steps any row runs, {@code >= 1} ({@link Integer#MAX_VALUE} for no cut)
     */
    public double gradients(SequenceBatch batch, int from, int to, double lossScale, double theta, RankCodingLoss loss,
                            int horizon, int stepLimit, Parameters gradients) {
        if (stepLimit < 1) {
            throw new IllegalArgumentException("stepLimit = " + stepLimit + ", expected >= 1 (Integer.MAX_VALUE for no cut)");
        }
        checkBatch(batch);
        checkRange(batch, from, to);
        FirstSpikeDetector.requireThreshold(theta);
        if (horizon < 1) {
            throw new IllegalArgumentException("horizon = " + horizon + ", expected >= 1 (or UNLIMITED_HORIZON)");
        }
        network.parameters().requireSameLayout(gradients);
        for (int l = 0; l < numLayers; l++) {
            Arrays.fill(gWihT[l], 0.0);
            Arrays.fill(gWhhT[l], 0.0);
            Arrays.fill(gBias[l], 0.0);
        }
        Arrays.fill(gReadW, 0.0);
        Arrays.fill(gReadB, 0.0);
        if (frontGrads != null) {
            frontGrads.zero();
        }
        forward(batch, from, to, lossScale, theta, loss.exitsOnSpike(), true, loss, stepLimit);
        backward(from, to, horizon);
        writeGradients(gradients);
        return lossSum * lossScale;
    }

    /**
     * Inference pass without gradients. With {@code exitOnSpike}, rows leave at their first spike (early-exit
     * inference); without it every row runs to its own end, so the prediction at the last step is known too.
     *
     * @param theta spike threshold in (0.5, 1)
     */
    public void infer(SequenceBatch batch, double theta, boolean exitOnSpike) {
        infer(batch, theta, exitOnSpike, null);
    }

    /**
     * As {@link #infer(SequenceBatch, double, boolean)}, showing {@code observer} the head's probabilities of every
     * row at every step it is computed (rows in the order they are active, steps ascending). The observer sees the
     * values in the pass's own buffer and must not keep or modify them.
     *
     * @param observer called once per computed example-step, or {@code null}
     */
    public void infer(SequenceBatch batch, double theta, boolean exitOnSpike, StepObserver observer) {
        checkBatch(batch);
        FirstSpikeDetector.requireThreshold(theta);
        this.observer = observer;
        try {
            forward(batch, 0, batch.batchSize(), 0.0, theta, exitOnSpike, false, null, Integer.MAX_VALUE);
        } finally {
            this.observer = null;
        }
        backwardExampleSteps = 0;
    }

    private void checkBatch(SequenceBatch batch) {
        int expected = networkInput;
        if (batch.inputSize() != expected) {
            throw new IllegalArgumentException("batch input size is " + batch.inputSize() + " but the network expects " + expected
                    + " (NetworkConfig.inputSize)");
        }
        int classes = head.numClasses();
        for (int r = 0; r < batch.batchSize(); r++) {
            int label = batch.label(r);
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("row " + r + " has label " + label + ", but the network's head has " + classes
                        + " classes (labels 0.." + (classes - 1) + "); was the batch built for another task?");
            }
        }
    }

    private static void checkRange(SequenceBatch batch, int from, int to) {
        if (from < 0 || to > batch.batchSize() || from >= to) {
            throw new IllegalArgumentException("row range [" + from + ", " + to + ") is empty or outside the batch's rows [0, "
                    + batch.batchSize() + ")");
        }
    }

    /** Decision step (1-based) of row {@code r} in the last call: the step its loss / prediction was taken at. */
    public int decisionStep(int r) {
        return decisionStep[r];
    }

    /** First spike (1-based) of row {@code r}, or {@link SpikeTimes#NO_SPIKE} if it never crossed the threshold while computed. */
    public int firstSpike(int r) {
        return firstSpike[r];
    }

    /** Predicted class of row {@code r} at its decision step. */
    public int predictionAtDecision(int r) {
        return predictionAtDecision[r];
    }

    /** Predicted class of row {@code r} at its first spike, or -1 if it did not spike. */
    public int predictionAtSpike(int r) {
        return predictionAtSpike[r];
    }

    /** Predicted class of row {@code r} at its last step, or -1 if the row left before its end. */
    public int predictionAtLastStep(int r) {
        return predictionAtLast[r];
    }

    /**
     * Copies the head's probabilities of row {@code r} at its decision step in the last call into {@code out}
     * ({@code head.outputs()} values from index 0: one for the binary head, one per class otherwise).
     *
     * @throws IllegalArgumentException if {@code out} is shorter than the head's outputs
     */
    public void probabilitiesAtDecision(int r, double[] out) {
        if (out.length < outputs) {
            throw new IllegalArgumentException("out has " + out.length + " values, the head has " + outputs + " outputs");
        }
        System.arraycopy(probabilitiesAtDecision, r * outputs, out, 0, outputs);
    }

    /**
     * The {@link System#nanoTime()} read at the end of the forward step at which row {@code r} decided in the last
     * call (once per step, after every active row's output of that step was computed and checked). Subtract a
     * {@code nanoTime()} taken before the call to get the row's time to decision.
     */
    public long decisionNanoTime(int r) {
        return stepEndNanos[decisionStep[r] - 1];
    }

    /** Example-steps computed forward in the last call (each active row at each step counts once). */
    public long forwardExampleSteps() {
        return forwardExampleSteps;
    }

    /** Example-steps computed backward in the last call (0 for inference). */
    public long backwardExampleSteps() {
        return backwardExampleSteps;
    }

    /** Number of steps the forward pass of the last call ran (the batch ended early if below its length). */
    public int forwardSteps() {
        return lastForwardStep + 1;
    }

    // ------------------------------------------------------------------ workspace

    private void allocateRows(int n) {
        capRows = n;
        int h = hidden;
        for (int l = 0; l < numLayers; l++) {
            cellOut[l] = new double[n * h];
            dhIn[l] = new double[n * h];
            dcIn[l] = new double[n * h];
            carriedDh[l] = new double[n * h];
            carriedDc[l] = new double[n * h];
        }
        hTop = new double[n * h];
        z = new double[n * outputs];
        p = new double[n * outputs];
        dhLoss = new double[n * h];
        dGates = new double[n * 4 * h];
        int maxIn = h;
        for (int in : layerInput) {
            maxIn = Math.max(maxIn, in);
        }
        dxAbove = new double[n * h];
        dxFront = frontEnd == null ? null : new double[n * layerInput[0]];
        gatherX = new double[n * maxIn];
        gatherH = new double[n * h];
        gatherStart = new int[n + 1];
        backRows = new int[n];
        backPrevRows = new int[n];
        backFwdIdx = new int[n];
        posPrev = new int[n];
        decisionStep = new int[n];
        firstSpike = new int[n];
        predictionAtDecision = new int[n];
        predictionAtSpike = new int[n];
        predictionAtLast = new int[n];
        probabilitiesAtDecision = new double[n * outputs];
        // existing tape slots are reallocated at the new row capacity
        int steps = capSteps;
        capSteps = 0;
        slotRows = new int[0][];
        slotCount = new int[0];
        slotStart = new int[0][];
        slotIdx = new int[0][];
        frontTape = new ConvFrontEnd.Tape[0];
        tapeRaw = new double[0][];
        for (int l = 0; l < numLayers; l++) {
            tapeX[l] = new double[0][];
            tapeHPrev[l] = new double[0][];
            tapeCPrev[l] = new double[0][];
            tapeGates[l] = new double[0][];
            tapeTanhC[l] = new double[0][];
        }
        ensureSteps(steps);
    }

    private void ensureSteps(int steps) {
        if (steps <= capSteps) {
            return;
        }
        int n = capRows;
        int h = hidden;
        slotRows = Arrays.copyOf(slotRows, steps);
        slotCount = Arrays.copyOf(slotCount, steps);
        slotStart = Arrays.copyOf(slotStart, steps);
        slotIdx = Arrays.copyOf(slotIdx, steps);
        frontTape = Arrays.copyOf(frontTape, steps);
        tapeRaw = Arrays.copyOf(tapeRaw, steps);
        for (int s = capSteps; s < steps; s++) {
            slotRows[s] = new int[n];
            slotStart[s] = new int[n + 1];
            slotIdx[s] = new int[0];
            frontTape[s] = frontEnd == null ? null : frontEnd.newTape(n);
            tapeRaw[s] = null; // allocated on the first dense batch through a front end
        }
        for (int l = 0; l < numLayers; l++) {
            tapeX[l] = Arrays.copyOf(tapeX[l], steps);
            tapeHPrev[l] = Arrays.copyOf(tapeHPrev[l], steps);
            tapeCPrev[l] = Arrays.copyOf(tapeCPrev[l], steps);
            tapeGates[l] = Arrays.copyOf(tapeGates[l], steps);
            tapeTanhC[l] = Arrays.copyOf(tapeTanhC[l], steps);
            for (int s = capSteps; s < steps; s++) {
                tapeX[l][s] = new double[n * layerInput[l]];
                tapeHPrev[l][s] = new double[n * h];
                tapeCPrev[l][s] = new double[n * h];
                tapeGates[l][s] = new double[n * 4 * h];
                tapeTanhC[l][s] = new double[n * h];
            }
        }
        capSteps = steps;
    }

    private void ensureCapacity(int n, int steps) {
        if (n > capRows) {
            allocateRows(Math.max(n, capRows + capRows / 2));
        }
        ensureSteps(steps);
    }

    // ------------------------------------------------------------------ forward

    private void forward(SequenceBatch batch, int from, int to, double scale, double theta, boolean exitOnSpike,
                         boolean record, RankCodingLoss loss, int stepLimit) {
        int b = batch.batchSize();
        int steps = 0;
        for (int r = from; r < to; r++) {
            steps = Math.max(steps, Math.min(batch.length(r), stepLimit));
        }
        ensureCapacity(b, record ? steps : 2);
        if (stepEndNanos.length < steps) {
            stepEndNanos = new long[Math.max(steps, stepEndNanos.length + stepEndNanos.length / 2)];
        }
        for (int l = 0; l < numLayers; l++) {
            weights[l].refresh(layers[l]);
        }
        if (frontEnd != null) {
            frontEnd.prepare(frontWs);
        }
        forwardExampleSteps = 0;
        lossSum = 0;
        Arrays.fill(firstSpike, from, to, SpikeTimes.NO_SPIKE);
        Arrays.fill(predictionAtLast, from, to, -1);
        Arrays.fill(predictionAtSpike, from, to, -1);
        int[] first = slotRows[0];
        for (int r = from; r < to; r++) {
            first[r - from] = r;
        }
        slotCount[0] = to - from;
        int h = hidden;
        int k = outputs;
        sparseInput = batch.isSparse();
        sparseLayer0 = sparseInput && frontEnd == null;
        double[] in = sparseInput ? null : batch.inputArray();
        int inSize = batch.inputSize();
        for (int t = 0; t < steps; t++) {
            int s = record ? t : (t & 1);
            int n = slotCount[s];
            int[] active = slotRows[s];
            forwardExampleSteps += n;
            if (sparseInput) {
                gatherSparse(batch, t, active, n, s);
                if (frontEnd != null) {
                    frontEnd.forwardSparse(n, slotStart[s], slotIdx[s], frontWs, tapeX[0][s], frontTape[s]);
                }
            } else {
                double[] x0 = frontEnd == null ? tapeX[0][s] : rawSlot(s);
                for (int j = 0; j < n; j++) {
                    System.arraycopy(in, batch.inputOffset(integrate ? 0 : t, active[j]), x0, j * inSize, inSize);
                    for (int u = 1; integrate && u <= t; u++) {
                        int o = batch.inputOffset(u, active[j]);
                        for (int i = 0; i < inSize; i++) {
                            x0[j * inSize + i] += in[o + i];
                        }
                    }
                }
                if (frontEnd != null) {
                    frontEnd.forwardDense(n, x0, frontWs, tapeX[0][s], frontTape[s]);
                }
            }
            for (int l = 0; l < numLayers; l++) {
                double[] hOut = l < numLayers - 1 ? tapeX[l + 1][s] : hTop;
                double[] hPrev = t == 0 ? null : tapeHPrev[l][s];
                double[] cPrev = t == 0 ? null : tapeCPrev[l][s];
                if (l == 0 && sparseLayer0) {
                    layers[0].forwardStepSparse(kernels, n, slotStart[s], slotIdx[s], weights[0], hPrev, cPrev,
                            tapeGates[0][s], tapeTanhC[0][s], cellOut[0], hOut);
                } else {
                    layers[l].forwardStep(kernels, n, tapeX[l][s], weights[l], hPrev, cPrev,
                            tapeGates[l][s], tapeTanhC[l][s], cellOut[l], hOut);
                }
            }
            readout.forward(n, hTop, z);
            int next = record ? t + 1 : ((t + 1) & 1);
            int[] nextRows = t + 1 < steps ? slotRows[next] : null;
            int nNext = 0;
            for (int j = 0; j < n; j++) {
                int r = active[j];
                int zo = j * k;
                head.probabilities(z, zo, p, zo);
                if (observer != null) {
                    observer.step(t + 1, r, p, zo);
                }
                boolean crossed = head.crosses(p, zo, theta);
                int pred = head.predict(p, zo);
                if (crossed && firstSpike[r] == SpikeTimes.NO_SPIKE) {
                    firstSpike[r] = t + 1;
                    predictionAtSpike[r] = pred;
                }
                boolean last = t + 1 == Math.min(batch.length(r), stepLimit);
                if (last) {
                    predictionAtLast[r] = pred;
                }
                if (last || (exitOnSpike && crossed)) {
                    decisionStep[r] = t + 1;
                    predictionAtDecision[r] = pred;
                    System.arraycopy(p, zo, probabilitiesAtDecision, r * k, k);
                    if (loss != null) {
                        lossSum += loss.lossAndGradient(head, z, zo, p, zo, batch.label(r), scale, dz, 0);
                        readout.backwardRow(hTop, j * h, dz, 0, gReadW, gReadB, dhLoss, r * h);
                    }
                } else {
                    // stable compaction: this row's state goes to position nNext of the next step's block
                    copyState(s, next, j, nNext);
                    nextRows[nNext++] = r;
                }
            }
            stepEndNanos[t] = System.nanoTime();
            if (nNext == 0) {
                lastForwardStep = t;
                return;
            }
            slotCount[next] = nNext;
        }
        lastForwardStep = steps - 1;
    }

    /** Slot {@code s}'s raw dense input buffer (rows x input size), allocated at the row capacity on first use. */
    private double[] rawSlot(int s) {
        int need = capRows * networkInput;
        if (tapeRaw[s] == null || tapeRaw[s].length < need) {
            tapeRaw[s] = new double[need];
        }
        return tapeRaw[s];
    }

    /**
     * Gathers the sparse inputs of the {@code n} active rows at 0-based step {@code t} into slot {@code s}'s CSR arrays;
     * for an integrating front end, each row's events of steps {@code 0 .. t} (its running sum).
     */
    private void gatherSparse(SequenceBatch batch, int t, int[] active, int n, int s) {
        int base = batch.sparseCell(t, 0);
        if (!integrate) {
            slotIdx[s] = atLeast(slotIdx[s], eventCount(batch.sparseStart(), base, active, n));
            copyEvents(batch.sparseStart(), batch.sparseIndices(), base, active, n, slotStart[s], slotIdx[s]);
            return;
        }
        int[] start = batch.sparseStart();
        int[] idx = batch.sparseIndices();
        int total = 0;
        for (int u = 0; u <= t; u++) {
            total += eventCount(start, batch.sparseCell(u, 0), active, n);
        }
        int[] dst = slotIdx[s] = atLeast(slotIdx[s], total);
        int[] dstStart = slotStart[s];
        int q = 0;
        for (int j = 0; j < n; j++) {
            dstStart[j] = q;
            for (int u = 0; u <= t; u++) {
                int c = batch.sparseCell(u, active[j]);
                int len = start[c + 1] - start[c];
                System.arraycopy(idx, start[c], dst, q, len);
                q += len;
            }
        }
        dstStart[n] = q;
    }

    /** Copies rows {@code rows[0 .. nb)} of slot {@code t}'s sparse inputs, in that order, into the gather buffers. */
    private void gatherSparseRows(int t, int[] rows, int nb) {
        gatherIdx = atLeast(gatherIdx, eventCount(slotStart[t], 0, rows, nb));
        copyEvents(slotStart[t], slotIdx[t], 0, rows, nb, gatherStart, gatherIdx);
    }

    /** The number of events in the cells {@code base + sel[0 .. n)} of the CSR lists with cell starts {@code start}. */
    private static int eventCount(int[] start, int base, int[] sel, int n) {
        int total = 0;
        for (int j = 0; j < n; j++) {
            int c = base + sel[j];
            total += start[c + 1] - start[c];
        }
        return total;
    }

    /** Copies the cells {@code base + sel[0 .. n)} of the CSR lists ({@code start}, {@code idx}) into {@code dstStart[0 .. n]} / {@code dst}. */
    private static void copyEvents(int[] start, int[] idx, int base, int[] sel, int n, int[] dstStart, int[] dst) {
        int q = 0;
        for (int j = 0; j < n; j++) {
            int c = base + sel[j];
            int len = start[c + 1] - start[c];
            dstStart[j] = q;
            System.arraycopy(idx, start[c], dst, q, len);
            q += len;
        }
        dstStart[n] = q;
    }

    /** {@code a} if it holds {@code need} elements, else a new array of at least {@code need} and 1.5 times its length. */
    private static int[] atLeast(int[] a, int need) {
        return a.length >= need ? a : new int[Math.max(need, a.length + a.length / 2)];
    }

    /**
     * Transposes the by-row sparse inputs of {@code nb} gradient rows ({@code start}, {@code idx}) into the by-input
     * lists {@link #byInputStart} / {@link #byInputRows} (a counting sort by input; rows ascending within an input).
     */
    private void byInput(int[] start, int[] idx, int nb) {
        int inputs = layerInput[0];
        int total = start[nb];
        byInputRows = atLeast(byInputRows, total);
        int[] bs = byInputStart;
        Arrays.fill(bs, 0, inputs + 2, 0);
        for (int q = 0; q < total; q++) {
            bs[idx[q] + 2]++;
        }
        for (int i = 2; i <= inputs + 1; i++) {
            bs[i] += bs[i - 1];
        }
        // bs[i + 1] is now the start of input i; filling advances it to the start of input i + 1
        for (int j = 0; j < nb; j++) {
            for (int q = start[j]; q < start[j + 1]; q++) {
                byInputRows[bs[idx[q] + 1]++] = j;
            }
        }
    }

    /** Copies row {@code from} of step slot {@code s}'s outputs into row {@code to} of slot {@code next}'s previous state. */
    private void copyState(int s, int next, int from, int to) {
        int h = hidden;
        for (int l = 0; l < numLayers; l++) {
            double[] hOut = l < numLayers - 1 ? tapeX[l + 1][s] : hTop;
            System.arraycopy(hOut, from * h, tapeHPrev[l][next], to * h, h);
            System.arraycopy(cellOut[l], from * h, tapeCPrev[l][next], to * h, h);
        }
    }

    // ------------------------------------------------------------------ backward

    private void backward(int from, int to, int horizon) {
        int h = hidden;
        int top = numLayers - 1;
        backwardExampleSteps = 0;
        Arrays.fill(posPrev, from, to, -1);
        int nPrev = 0;
        for (int t = lastForwardStep; t >= 0; t--) {
            int n = slotCount[t];
            int[] active = slotRows[t];
            int nb = 0;
            for (int j = 0; j < n; j++) {
                int r = active[j];
                if ((long) decisionStep[r] - 1 - t < horizon) {
                    backRows[nb] = r;
                    backFwdIdx[nb] = j;
                    nb++;
                }
            }
            boolean identity = nb == n;
            for (int l = 0; l < numLayers; l++) {
                double[] dh = dhIn[l];
                double[] dc = dcIn[l];
                for (int jb = 0; jb < nb; jb++) {
                    int r = backRows[jb];
                    int pp = posPrev[r];
                    if (pp >= 0) {
                        System.arraycopy(carriedDh[l], pp * h, dh, jb * h, h);
                        System.arraycopy(carriedDc[l], pp * h, dc, jb * h, h);
                    } else if (l == top && decisionStep[r] - 1 == t) {
                        System.arraycopy(dhLoss, r * h, dh, jb * h, h);
                        Arrays.fill(dc, jb * h, jb * h + h, 0.0);
                    } else {
                        Arrays.fill(dh, jb * h, jb * h + h, 0.0);
                        Arrays.fill(dc, jb * h, jb * h + h, 0.0);
                    }
                }
            }
            for (int jb = 0; jb < nPrev; jb++) {
                posPrev[backPrevRows[jb]] = -1;
            }
            for (int jb = 0; jb < nb; jb++) {
                posPrev[backRows[jb]] = jb;
                backPrevRows[jb] = backRows[jb];
            }
            nPrev = nb;
            if (nb == 0) {
                continue;
            }
            backwardExampleSteps += nb;
            for (int l = top; l >= 0; l--) {
                double[] dh = dhIn[l];
                if (l < top) {
                    for (int i = 0; i < nb * h; i++) {
                        dh[i] += dxAbove[i];
                    }
                }
                int inSize = layerInput[l];
                double[] x = tapeX[l][t];
                double[] hPrev = t == 0 ? null : tapeHPrev[l][t];
                boolean sparse = l == 0 && sparseLayer0;
                if (!identity) {
                    if (sparse) {
                        gatherSparseRows(t, backFwdIdx, nb);
                    } else {
                        for (int jb = 0; jb < nb; jb++) {
                            System.arraycopy(x, backFwdIdx[jb] * inSize, gatherX, jb * inSize, inSize);
                        }
                        x = gatherX;
                    }
                    if (hPrev != null) {
                        for (int jb = 0; jb < nb; jb++) {
                            System.arraycopy(hPrev, backFwdIdx[jb] * h, gatherH, jb * h, h);
                        }
                        hPrev = gatherH;
                    }
                }
                double[] cPrev = t == 0 ? null : tapeCPrev[l][t];
                if (sparse) {
                    byInput(identity ? slotStart[t] : gatherStart, identity ? slotIdx[t] : gatherIdx, nb);
                    layers[0].backwardStepSparse(kernels, nb, identity ? null : backFwdIdx, byInputStart, byInputRows,
                            hPrev, cPrev,
                            tapeGates[0][t], tapeTanhC[0][t], dh, dcIn[0], dGates, weights[0], gWihT[0], gWhhT[0],
                            gBias[0], t > 0 ? carriedDh[0] : null);
                } else {
                    layers[l].backwardStep(kernels, nb, identity ? null : backFwdIdx, x, hPrev, cPrev,
                            tapeGates[l][t], tapeTanhC[l][t], dh, dcIn[l], dGates, weights[l], gWihT[l], gWhhT[l],
                            gBias[l], l > 0 ? dxAbove : dxFront, t > 0 ? carriedDh[l] : null);
                    if (l == 0 && frontEnd != null) {
                        backwardFrontEnd(t, nb, identity);
                    }
                }
                double[] swap = carriedDc[l];
                carriedDc[l] = dcIn[l];
                dcIn[l] = swap;
            }
        }
    }

    /** Accumulates the front end's gradients from {@link #dxFront} for the {@code nb} gradient rows of step slot {@code t}. */
    private void backwardFrontEnd(int t, int nb, boolean identity) {
        int[] sel = identity ? null : backFwdIdx;
        if (sparseInput) {
            if (!identity) {
                gatherSparseRows(t, backFwdIdx, nb);
            }
            frontEnd.backwardSparse(nb, sel, identity ? slotStart[t] : gatherStart, identity ? slotIdx[t] : gatherIdx,
                    dxFront, frontTape[t], frontWs, frontGrads);
        } else {
            frontEnd.backwardDense(nb, sel, tapeRaw[t], dxFront, frontTape[t], frontWs, frontGrads);
        }
    }

    private void writeGradients(Parameters gradients) {
        int g4 = 4 * hidden;
        ParameterLayout layout = gradients.layout();
        for (int l = 0; l < numLayers; l++) {
            ParameterLayout.LstmLayer p = layout.lstm(l);
            Layouts.transpose(gWihT[l], layerInput[l], g4, gradients.get(p.inputWeights()).data);
            Layouts.transpose(gWhhT[l], hidden, g4, gradients.get(p.recurrentWeights()).data);
            System.arraycopy(gBias[l], 0, gradients.get(p.inputBias()).data, 0, g4);
            System.arraycopy(gBias[l], 0, gradients.get(p.recurrentBias()).data, 0, g4);
        }
        System.arraycopy(gReadW, 0, gradients.get(layout.readout().weights()).data, 0, gReadW.length);
        System.arraycopy(gReadB, 0, gradients.get(layout.readout().bias()).data, 0, gReadB.length);
        if (frontEnd != null) {
            frontEnd.writeGradients(frontGrads, gradients);
        }
    }
}
