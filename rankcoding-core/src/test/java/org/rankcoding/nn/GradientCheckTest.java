package org.rankcoding.nn;

import org.rankcoding.nn.compute.LstmStep;
import org.rankcoding.nn.compute.LstmBackwardStep;
import org.rankcoding.nn.compute.LstmGradients;
import org.rankcoding.nn.compute.LstmWeights;
import org.rankcoding.nn.compute.LstmSteps;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.kernel.ReferenceKernels;
import org.rankcoding.rc.DecisionRuleSpec;
import org.rankcoding.rc.LossMode;
import org.rankcoding.rc.RankCodingLoss;
import org.rankcoding.rc.RankCodingPass;
import org.rankcoding.rc.RcTestSupport;
import org.rankcoding.rc.ReferenceRankCoding;
import org.rankcoding.rc.SpikeTimes;
import org.rankcoding.rc.ThresholdSchedule;
import org.rankcoding.rc.TrainingSettings;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Central finite differences in double precision against every analytic gradient: the LSTM step, the
 * readout, the three heads (with and without the entropy reward), and the whole rank-coding loss through
 * BPTT at fixed decision steps (end-of-sequence on variable-length rows, and rank coding with spikes that
 * do not move under the perturbation). The truncated gradient of a horizon is checked against finite
 * differences of the loss with the steps before the horizon detached.
 */
class GradientCheckTest {

    private static final double EPS = 1e-6;
    private static final double TOL = 1e-6;
    /** Below this magnitude (|analytic| + |numeric|) the error is measured absolutely: rounding noise of the difference quotient. */
    private static final double FLOOR = 1e-3;
    private static final MatrixKernels K = ReferenceKernels.INSTANCE;

    /** Robust relative error: |a - n| / max(FLOOR, |a| + |n|). */
    static double relErr(double analytic, double numeric) {
        return Math.abs(analytic - numeric) / Math.max(FLOOR, Math.abs(analytic) + Math.abs(numeric));
    }

    static void check(String what, double analytic, double numeric) {
        if (!(relErr(analytic, numeric) <= TOL)) {
            fail(what + ": analytic " + analytic + ", numeric " + numeric + ", relative error " + relErr(analytic, numeric));
        }
    }

    /** Central difference of {@code f} with respect to {@code a[i]}. */
    static double numeric(double[] a, int i, DoubleSupplier f) {
        double old = a[i];
        a[i] = old + EPS;
        double lp = f.getAsDouble();
        a[i] = old - EPS;
        double lm = f.getAsDouble();
        a[i] = old;
        return (lp - lm) / (2 * EPS);
    }

    static double[] uniform(SplittableRandom rng, int n, double scale) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = (2 * rng.nextDouble() - 1) * scale;
        }
        return a;
    }

    // ------------------------------------------------------------------ LSTM step

    /** One LSTM step on n rows; L = sum wH * h + sum wC * c over the rows in {@code selected}. */
    private static final class LstmStepCase {
        final Lstm lstm;
        final int in;
        final int hs;
        final int n;
        final double[] x;
        final double[] hPrev;  // null for the first step
        final double[] cPrev;
        final double[] wH;
        final double[] wC;
        final int[] selected;  // forward rows that get a gradient, in gradient-row order

        LstmStepCase(long seed, int in, int hs, int n, boolean first, int[] selected) {
            SplittableRandom rng = new SplittableRandom(seed);
            this.lstm = new Lstm(in, hs, rng);
            for (DMatrixRMaj m : new DMatrixRMaj[]{lstm.weightIh(), lstm.weightHh(), lstm.biasIh(), lstm.biasHh()}) {
                System.arraycopy(uniform(rng, m.getNumElements(), 1.0), 0, m.data, 0, m.getNumElements());
            }
            this.in = in;
            this.hs = hs;
            this.n = n;
            this.x = uniform(rng, n * in, 1.5);
            this.hPrev = first ? null : uniform(rng, n * hs, 0.9);
            this.cPrev = first ? null : uniform(rng, n * hs, 2.0);
            this.wH = uniform(rng, n * hs, 1.0);
            this.wC = uniform(rng, n * hs, 1.0);
            this.selected = selected;
        }

        /** The forward step's buffers, filled from this case's input and previous state. */
        LstmStep step() {
            LstmStep s = new LstmStep(n, in, hs);
            System.arraycopy(x, 0, s.x(), 0, n * in);
            if (hPrev == null) {
                s.startFromZeroState();
            } else {
                System.arraycopy(hPrev, 0, s.hPrev(), 0, n * hs);
                System.arraycopy(cPrev, 0, s.cPrev(), 0, n * hs);
                s.continueFromPreviousState();
            }
            return s;
        }

        double loss() {
            int g4 = 4 * hs;
            LstmWeights w = new LstmWeights(lstm, K);
            double[] c = new double[n * hs];
            double[] h = new double[n * hs];
            LstmSteps.forward(K, n, step(), w, c, h);
            double l = 0;
            for (int r : selected) {
                for (int j = 0; j < hs; j++) {
                    l += wH[r * hs + j] * h[r * hs + j] + wC[r * hs + j] * c[r * hs + j];
                }
            }
            return l;
        }

        void verify(String name) {
            int g4 = 4 * hs;
            int nb = selected.length;
            LstmWeights weights = new LstmWeights(lstm, K);
            double[] c = new double[n * hs];
            double[] h = new double[n * hs];
            LstmStep forward = step();
            LstmSteps.forward(K, n, forward, weights, c, h);
            // gradient rows in the order of 'selected'
            boolean identity = nb == n;
            for (int j = 0; j < nb; j++) {
                identity &= selected[j] == j;
            }
            LstmBackwardStep b = LstmBackwardStep.withInputGradient(n, in, hs);
            if (identity) {
                b.selectAll(nb);
            } else {
                b.select(nb, selected);
            }
            b.gatherInputs(forward);
            double[] dh = b.dh();
            double[] dc = b.dc();
            for (int j = 0; j < nb; j++) {
                int r = selected[j];
                System.arraycopy(wH, r * hs, dh, j * hs, hs);
                System.arraycopy(wC, r * hs, dc, j * hs, hs);
            }
            double[] dx = b.dx();
            Arrays.fill(dx, Double.NaN); // must be overwritten
            double[] dhPrev = hPrev == null ? null : b.dhPrev();
            if (dhPrev != null) {
                Arrays.fill(dhPrev, Double.NaN);
            }
            LstmGradients g = new LstmGradients(in, hs);
            LstmSteps.backward(K, forward, b, weights, g);
            double[] gWihT = g.inputWeightsTransposed();
            double[] gWhhT = g.recurrentWeightsTransposed();
            double[] gBias = g.bias();

            DMatrixRMaj[] ws = {lstm.weightIh(), lstm.weightHh(), lstm.biasIh(), lstm.biasHh()};
            String[] names = {"weight_ih", "weight_hh", "bias_ih", "bias_hh"};
            for (int w = 0; w < 4; w++) {
                DMatrixRMaj m = ws[w];
                for (int i = 0; i < m.getNumElements(); i++) {
                    int row = i / m.numCols;
                    int col = i % m.numCols;
                    double ana = switch (w) {
                        case 0 -> gWihT[col * g4 + row];
                        case 1 -> hPrev == null ? 0.0 : gWhhT[col * g4 + row];
                        default -> gBias[i];
                    };
                    check(name + " " + names[w] + "[" + row + "," + col + "]", ana, numeric(m.data, i, this::loss));
                }
            }
            for (int j = 0; j < nb; j++) {
                int r = selected[j];
                for (int i = 0; i < in; i++) {
                    check(name + " x[" + r + "," + i + "]", dx[j * in + i], numeric(x, r * in + i, this::loss));
                }
                if (hPrev != null) {
                    for (int i = 0; i < hs; i++) {
                        check(name + " hPrev[" + r + "," + i + "]", dhPrev[j * hs + i], numeric(hPrev, r * hs + i, this::loss));
                        check(name + " cPrev[" + r + "," + i + "]", dc[j * hs + i], numeric(cPrev, r * hs + i, this::loss));
                    }
                }
            }
        }
    }

    @Test
    void lstmStepGradients() {
        new LstmStepCase(1, 1, 1, 1, false, new int[]{0}).verify("I=1 H=1 n=1");
        new LstmStepCase(2, 1, 1, 1, true, new int[]{0}).verify("I=1 H=1 n=1 first step");
        new LstmStepCase(3, 3, 2, 4, false, new int[]{0, 1, 2, 3}).verify("I=3 H=2 n=4");
        new LstmStepCase(4, 2, 5, 3, true, new int[]{0, 1, 2}).verify("I=2 H=5 n=3 first step");
        new LstmStepCase(5, 4, 3, 2, false, new int[]{0, 1}).verify("I=4 H=3 n=2");
    }

    @Test
    void lstmBackwardStepWithARowMapping() {
        // gradient rows are a subset of the forward rows, in a different order (how the pass truncates blocks)
        new LstmStepCase(6, 2, 3, 5, false, new int[]{3, 0, 4}).verify("rows {3,0,4} of 5");
        new LstmStepCase(7, 1, 2, 4, true, new int[]{2}).verify("row {2} of 4, first step");
    }

    @Test
    void lstmBackwardAccumulatesIntoTheGradients() {
        LstmStepCase c = new LstmStepCase(8, 2, 2, 2, false, new int[]{0, 1});
        int g4 = 8;
        LstmWeights w = new LstmWeights(c.lstm, K);
        double[] cc = new double[4];
        double[] h = new double[4];
        LstmStep forward = c.step();
        LstmSteps.forward(K, 2, forward, w, cc, h);
        double[][] once = new double[3][];
        double[][] twice = new double[3][];
        for (int rep = 0; rep < 2; rep++) {
            LstmGradients g = new LstmGradients(2, 2);
            double[] gW = g.inputWeightsTransposed();
            double[] gH = g.recurrentWeightsTransposed();
            double[] gB = g.bias();
            assertEquals(2 * g4, gW.length);
            for (int k = 0; k <= rep; k++) {
                LstmBackwardStep b = LstmBackwardStep.withoutInputGradient(2, 2, 2);
                b.selectAll(2);
                b.gatherInputs(forward);
                System.arraycopy(c.wH, 0, b.dh(), 0, 4);
                System.arraycopy(c.wC, 0, b.dc(), 0, 4);
                LstmSteps.backward(K, forward, b, w, g);
            }
            (rep == 0 ? once : twice)[0] = gW;
            (rep == 0 ? once : twice)[1] = gH;
            (rep == 0 ? once : twice)[2] = gB;
        }
        for (int a = 0; a < 3; a++) {
            for (int i = 0; i < once[a].length; i++) {
                assertEquals(2 * once[a][i], twice[a][i], 1e-12, "backwardStep must accumulate (+=) into gradient " + a);
            }
        }
    }

    // ------------------------------------------------------------------ Linear

    @Test
    void linearGradients() {
        int[][] shapes = {{1, 1, 1}, {3, 2, 4}, {5, 3, 2}};
        long seed = 20;
        for (int[] s : shapes) {
            int hIn = s[0];
            int kOut = s[1];
            int n = s[2];
            SplittableRandom rng = new SplittableRandom(seed++);
            Linear lin = new Linear(hIn, kOut, rng);
            double[] h = uniform(rng, n * hIn, 1.0);
            double[] wz = uniform(rng, n * kOut, 1.0);
            DoubleSupplier loss = () -> {
                double[] z = new double[n * kOut];
                lin.forward(n, h, z);
                double l = 0;
                for (int i = 0; i < z.length; i++) {
                    l += wz[i] * z[i];
                }
                return l;
            };
            double[] gW = new double[kOut * hIn];
            double[] gb = new double[kOut];
            double[] dh = new double[n * hIn + 3];
            Arrays.fill(dh, Double.NaN);
            for (int r = 0; r < n; r++) {
                lin.backwardRow(h, r * hIn, wz, r * kOut, gW, gb, dh, 3 + r * hIn);
            }
            String where = "Linear H=" + hIn + " K=" + kOut + " n=" + n;
            for (int i = 0; i < gW.length; i++) {
                check(where + " weight[" + i + "]", gW[i], numeric(lin.weight().data, i, loss));
            }
            for (int i = 0; i < gb.length; i++) {
                check(where + " bias[" + i + "]", gb[i], numeric(lin.bias().data, i, loss));
            }
            for (int i = 0; i < n * hIn; i++) {
                check(where + " h[" + i + "]", dh[3 + i], numeric(h, i, loss));
            }
        }
    }

    // ------------------------------------------------------------------ heads

    private static OutputHead[] heads() {
        return new OutputHead[]{BinarySigmoidHead.INSTANCE, new PerClassSigmoidHead(2), new PerClassSigmoidHead(3),
                new PerClassSigmoidHead(5), new SoftmaxHead(2), new SoftmaxHead(3), new SoftmaxHead(5)};
    }

    /** The head's loss value at {@code z[off..]} (p recomputed from z), unscaled. */
    private static double headLoss(OutputHead head, double[] z, int off, int label, double beta) {
        double[] p = new double[z.length];
        head.probabilities(z, off, p, off);
        return head.lossAndGradient(z, off, p, off, label, beta, 1.0, new double[z.length], off);
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    /** Independent probabilities. */
    private static double[] probs(OutputHead head, double[] z) {
        double[] p = new double[z.length];
        if (head.type() == HeadType.SOFTMAX) {
            double s = 0;
            for (int k = 0; k < z.length; k++) {
                p[k] = Math.exp(z[k]);
                s += p[k];
            }
            for (int k = 0; k < z.length; k++) {
                p[k] /= s;
            }
        } else {
            for (int k = 0; k < z.length; k++) {
                p[k] = sigmoid(z[k]);
            }
        }
        return p;
    }

    /** Cross-entropy computed from p with the textbook formula of each head. */
    private static double independentCe(OutputHead head, double[] p, int label) {
        switch (head.type()) {
            case BINARY_SIGMOID:
                return label == 1 ? -Math.log(p[0]) : -Math.log(1 - p[0]);
            case PER_CLASS_SIGMOID: {
                double s = 0;
                for (double v : p) {
                    s += Math.exp(v);
                }
                return -Math.log(Math.exp(p[label]) / s);
            }
            default:
                return -Math.log(p[label]);
        }
    }

    /** Entropy computed from p with the textbook formula of each head. */
    private static double independentEntropy(OutputHead head, double[] p) {
        double h = 0;
        if (head.type() == HeadType.SOFTMAX) {
            for (double v : p) {
                h -= v * Math.log(v);
            }
        } else {
            for (double v : p) {
                h -= v * Math.log(v) + (1 - v) * Math.log(1 - v);
            }
        }
        return h;
    }

    @Test
    void headLossGradients() {
        SplittableRandom rng = new SplittableRandom(30);
        for (OutputHead head : heads()) {
            int k = head.outputs();
            for (double beta : new double[]{0.0, 0.7}) {
                for (double scale : new double[]{1.0, 0.25}) {
                    for (int label = 0; label < head.numClasses(); label++) {
                        int off = 2;
                        double[] z = new double[off + k];
                        System.arraycopy(uniform(rng, k, 3.0), 0, z, off, k);
                        double[] p = new double[off + k];
                        head.probabilities(z, off, p, off);
                        double[] dz = new double[off + k + 1];
                        head.lossAndGradient(z, off, p, off, label, beta, scale, dz, off + 1);
                        int lab = label;
                        for (int q = 0; q < k; q++) {
                            double num = numeric(z, off + q, () -> headLoss(head, z, off, lab, beta));
                            check(head.type() + " K=" + k + " beta=" + beta + " label=" + label + " dz[" + q + "]",
                                    dz[off + 1 + q], scale * num);
                        }
                    }
                }
            }
        }
    }

    @Test
    void headEntropyTermAloneAndTheReturnedValue() {
        SplittableRandom rng = new SplittableRandom(31);
        for (OutputHead head : heads()) {
            int k = head.outputs();
            for (int rep = 0; rep < 4; rep++) {
                double beta = 0.2 + rep * 0.6;
                int label = rep % head.numClasses();
                double[] z = uniform(rng, k, 3.0);
                double[] p = new double[k];
                head.probabilities(z, 0, p, 0);
                double[] pInd = probs(head, z);
                for (int q = 0; q < k; q++) {
                    assertEquals(pInd[q], p[q], 1e-14, head.type() + " probabilities");
                }
                double[] dzBeta = new double[k];
                double[] dz0 = new double[k];
                double vBeta = head.lossAndGradient(z, 0, p, 0, label, beta, 1.0, dzBeta, 0);
                double v0 = head.lossAndGradient(z, 0, p, 0, label, 0.0, 1.0, dz0, 0);
                double ce = independentCe(head, pInd, label);
                double ent = independentEntropy(head, pInd);
                String where = head.type() + " K=" + k + " beta=" + beta;
                assertEquals(ce, v0, 1e-12 * Math.max(1, ce), where + ": value at beta 0 is the cross-entropy");
                assertEquals(ce - beta * ent, vBeta, 1e-12 * Math.max(1, Math.abs(ce - beta * ent)),
                        where + ": value is CE - beta * H(p)");
                assertEquals(ce, head.crossEntropy(z, 0, p, 0, label), 1e-12 * Math.max(1, ce), where + " crossEntropy()");
                assertEquals(ent, head.entropy(z, 0, p, 0), 1e-12, where + " entropy()");
                assertTrue(ent > 0, "the test needs a non-zero entropy");
                // the entropy term alone: dzBeta - dz0 = -beta dH/dz, with H computed independently from p(z)
                for (int q = 0; q < k; q++) {
                    double num = numeric(z, q, () -> independentEntropy(head, probs(head, z)));
                    check(where + " dH/dz[" + q + "]", -(dzBeta[q] - dz0[q]) / beta, num);
                }
            }
        }
    }

    // ------------------------------------------------------------------ whole network, fixed decision steps

    /** A network shape and batch for the whole-loss checks. */
    private record NetCase(int in, int hidden, int layers, HeadType head, int classes, int[] lengths) {
        @Override
        public String toString() {
            return "I=" + in + " H=" + hidden + " layers=" + layers + " " + head + " K=" + classes + " lengths=" + Arrays.toString(lengths);
        }
    }

    /**
     * A network of case {@code c} with a batch of its rows lengthened by {@code extraSteps} (so that spikes can happen
     * before the end) and the threshold at the 40% quantile of the batch's confidences.
     */
    private record Spiking(RankCodingNetwork net, SequenceBatch batch, double theta) {
        static Spiking of(NetCase c, long seed, int extraSteps) {
            SplittableRandom rng = new SplittableRandom(seed);
            RankCodingNetwork net = RcTestSupport.network(c.in, c.hidden, c.layers, c.head, c.classes, seed, 0.8);
            int[] lengths = Arrays.stream(c.lengths).map(l -> l + extraSteps).toArray();
            SequenceBatch batch = RcTestSupport.batch(rng, c.in, lengths, c.classes, 1.0, 0.0);
            return new Spiking(net, batch, RcTestSupport.thresholdAtQuantile(ReferenceRankCoding.confidences(net, batch), 0.4));
        }
    }

    private static final NetCase[] NET_CASES = {
            new NetCase(1, 1, 1, HeadType.BINARY_SIGMOID, 2, new int[]{1}),          // T = 1, batch = 1, hidden = 1
            new NetCase(1, 1, 2, HeadType.SOFTMAX, 2, new int[]{3}),                 // hidden = 1, 2 layers
            new NetCase(2, 3, 1, HeadType.BINARY_SIGMOID, 2, new int[]{4, 1, 6}),
            new NetCase(2, 3, 2, HeadType.SOFTMAX, 3, new int[]{5, 2, 3, 1}),
            new NetCase(3, 2, 2, HeadType.PER_CLASS_SIGMOID, 4, new int[]{3, 3}),
            new NetCase(2, 4, 1, HeadType.PER_CLASS_SIGMOID, 3, new int[]{6}),
            new NetCase(1, 2, 2, HeadType.BINARY_SIGMOID, 2, new int[]{1, 1, 1}),    // T = 1 everywhere
    };

    @Test
    void wholeLossThroughBpttEndOfSequenceOnVariableLengths() {
        long seed = 40;
        for (NetCase c : NET_CASES) {
            for (double beta : new double[]{0.0, 0.3}) {
                SplittableRandom rng = new SplittableRandom(seed);
                RankCodingNetwork net = RcTestSupport.network(c.in, c.hidden, c.layers, c.head, c.classes, seed++, 0.8);
                SequenceBatch batch = RcTestSupport.batch(rng, c.in, c.lengths, c.classes, 1.0, 0.0);
                RankCodingPass pass = new RankCodingPass(net, K);
                RankCodingLoss loss = new RankCodingLoss(LossMode.END_OF_SEQUENCE, beta);
                Parameters grads = net.parameters().zerosLike();
                Parameters scratch = net.parameters().zerosLike();
                pass.gradients(batch, 0.9, loss, RankCodingPass.UNLIMITED_HORIZON, grads);
                for (int r = 0; r < batch.batchSize(); r++) {
                    assertEquals(batch.length(r), pass.decisionStep(r), "EOS takes the loss at each row's own end");
                }
                String where = c + " beta=" + beta;
                DoubleSupplier f = () -> pass.gradients(batch, 0.9, loss, RankCodingPass.UNLIMITED_HORIZON, scratch);
                checkAll(net, grads, f, where);
            }
        }
    }

    private static void checkAll(RankCodingNetwork net, Parameters grads, DoubleSupplier f, String where) {
        Parameters params = net.parameters();
        double norm = 0;
        for (String name : params.names()) {
            DMatrixRMaj m = params.get(name);
            for (int i = 0; i < m.getNumElements(); i++) {
                double ana = grads.get(name).data[i];
                norm += ana * ana;
                check(where + " " + name + "[" + i + "]", ana, numeric(m.data, i, f));
            }
        }
        assertTrue(norm > 1e-12, "the gradient must not vanish, or the check proves nothing: " + where);
    }

    @Test
    void wholeLossThroughBpttRankCodingWithStableSpikes() {
        long seed = 60;
        int checked = 0;
        int skipped = 0;
        int spikedEarly = 0;
        for (NetCase c : NET_CASES) {
            for (double beta : new double[]{0.0, 0.3}) {
                Spiking f = Spiking.of(c, seed++, 3);
                RankCodingNetwork net = f.net();
                SequenceBatch batch = f.batch();
                double theta = f.theta();
                RankCodingPass pass = new RankCodingPass(net, K);
                RankCodingLoss loss = new RankCodingLoss(LossMode.RANK_CODING, beta);
                Parameters grads = net.parameters().zerosLike();
                Parameters scratch = net.parameters().zerosLike();
                pass.gradients(batch, theta, loss, RankCodingPass.UNLIMITED_HORIZON, grads);
                int b = batch.batchSize();
                int[] steps = new int[b];
                for (int r = 0; r < b; r++) {
                    steps[r] = pass.decisionStep(r);
                    if (pass.firstSpike(r) != SpikeTimes.NO_SPIKE && steps[r] < batch.length(r)) {
                        spikedEarly++;
                    }
                }
                Parameters params = net.parameters();
                String where = c + " beta=" + beta + " theta=" + theta;
                for (String name : params.names()) {
                    double[] d = params.get(name).data;
                    for (int i = 0; i < params.get(name).getNumElements(); i++) {
                        CentralDifference diff = centralDifference(pass, batch, theta, loss, scratch, steps, d, i);
                        if (!diff.stepsKept()) {
                            skipped++;
                            continue;
                        }
                        checked++;
                        check(where + " " + name + "[" + i + "]", grads.get(name).data[i], diff.numeric());
                    }
                }
            }
        }
        assertTrue(spikedEarly >= 5, "the batches must contain rows that decide by a spike before their end: " + spikedEarly);
        assertTrue(checked >= 0.9 * (checked + skipped), "most coordinates must keep their spike steps: checked " + checked
                + ", skipped " + skipped);
    }

    /**
     * The rank-coding loss is the loss at each row's decision step, whatever rule chose the step: with k = 2 consecutive
     * agreeing steps over a decreasing threshold schedule after a minimum of 2 steps, the analytic gradient equals the
     * central difference wherever the perturbation keeps every row's decision step.
     */
    @Test
    void wholeLossThroughBpttWithAConsecutiveRuleAtFixedDecisionSteps() {
        long seed = 90;
        int checked = 0;
        int skipped = 0;
        int decidedByRule = 0;
        for (NetCase c : NET_CASES) {
            SplittableRandom rng = new SplittableRandom(seed);
            RankCodingNetwork net = RcTestSupport.network(c.in, c.hidden, c.layers, c.head, c.classes, seed++, 1.5);
            int[] lengths = Arrays.stream(c.lengths).map(l -> l + 4).toArray();
            SequenceBatch batch = RcTestSupport.batch(rng, c.in, lengths, c.classes, 1.0, 0.0);
            // between two observed confidences, below three quarters of them: rows cross it on runs of steps
            double[] seen = Arrays.stream(ReferenceRankCoding.confidences(net, batch)).flatMapToDouble(Arrays::stream)
                    .filter(v -> v > 0.5 && v < 0.999).sorted().distinct().toArray();
            int q = seen.length / 4;
            double theta = seen.length < 2 ? 0.9 : (seen[q] + seen[q + 1]) / 2;
            DecisionRuleSpec spec = new DecisionRuleSpec(ThresholdSchedule.linear(Math.min(0.999, theta + 0.005), theta, 4), 2, 2);
            RankCodingPass pass = new RankCodingPass(net, K);
            TrainingSettings settings = new TrainingSettings(spec.rule(net.head()), new RankCodingLoss(LossMode.RANK_CODING, 0.2),
                    RankCodingPass.UNLIMITED_HORIZON, Integer.MAX_VALUE);
            int b = batch.batchSize();
            Parameters grads = net.parameters().zerosLike();
            Parameters scratch = net.parameters().zerosLike();
            DoubleSupplier loss = () -> pass.gradients(batch, 0, b, 1.0 / b, settings, scratch);
            pass.gradients(batch, 0, b, 1.0 / b, settings, grads);
            int[] steps = new int[b];
            for (int r = 0; r < b; r++) {
                steps[r] = pass.decisionStep(r);
                decidedByRule += pass.firstSpike(r) != SpikeTimes.NO_SPIKE && steps[r] < batch.length(r) ? 1 : 0;
            }
            Parameters params = net.parameters();
            for (String name : params.names()) {
                double[] d = params.get(name).data;
                for (int i = 0; i < params.get(name).getNumElements(); i++) {
                    double old = d[i];
                    d[i] = old + EPS;
                    double lp = loss.getAsDouble();
                    boolean same = sameSteps(pass, steps);
                    d[i] = old - EPS;
                    double lm = loss.getAsDouble();
                    same &= sameSteps(pass, steps);
                    d[i] = old;
                    if (!same) {
                        skipped++;
                        continue;
                    }
                    checked++;
                    check(c + " " + spec + " " + name + "[" + i + "]", grads.get(name).data[i], (lp - lm) / (2 * EPS));
                }
            }
        }
        assertTrue(decidedByRule >= 5, "rows must decide by the rule before their end: " + decidedByRule);
        assertTrue(checked >= 0.9 * (checked + skipped), "most coordinates must keep the decision steps: checked " + checked
                + ", skipped " + skipped);
    }

    /**
     * A central difference quotient of the whole unlimited-horizon loss along one coordinate.
     *
     * @param numeric    {@code (L(x + EPS) - L(x - EPS)) / (2 EPS)}
     * @param stepsKept  whether both perturbed passes kept every row's decision step (always true when no steps were given)
     */
    record CentralDifference(double numeric, boolean stepsKept) {
    }

    /**
     * Perturbs {@code d[i]} by {@code +-EPS}, runs {@code pass} over {@code batch} (unlimited horizon, gradients into
     * {@code scratch}) at each side, restores {@code d[i]} and returns the central difference quotient of the loss.
     *
     * @param steps the decision steps of the unperturbed pass, to check the perturbed passes against, or null for no check
     */
    static CentralDifference centralDifference(RankCodingPass pass, SequenceBatch batch, double theta, RankCodingLoss loss,
                                               Parameters scratch, int[] steps, double[] d, int i) {
        double old = d[i];
        d[i] = old + EPS;
        double lp = pass.gradients(batch, theta, loss, RankCodingPass.UNLIMITED_HORIZON, scratch);
        boolean same = steps == null || sameSteps(pass, steps);
        d[i] = old - EPS;
        double lm = pass.gradients(batch, theta, loss, RankCodingPass.UNLIMITED_HORIZON, scratch);
        same &= steps == null || sameSteps(pass, steps);
        d[i] = old;
        return new CentralDifference((lp - lm) / (2 * EPS), same);
    }

    static boolean sameSteps(RankCodingPass pass, int[] steps) {
        for (int r = 0; r < steps.length; r++) {
            if (pass.decisionStep(r) != steps[r]) {
                return false;
            }
        }
        return true;
    }

    @Test
    void horizonTruncatedGradientIsTheDerivativeWithEarlyStepsDetached() {
        long seed = 80;
        for (NetCase c : NET_CASES) {
            for (int horizon : new int[]{1, 2, 3}) {
                Spiking f = Spiking.of(c, seed++, 2);
                RankCodingNetwork net = f.net();
                SequenceBatch batch = f.batch();
                double theta = f.theta();
                double beta = 0.25;
                RankCodingPass pass = new RankCodingPass(net, K);
                Parameters grads = net.parameters().zerosLike();
                pass.gradients(batch, theta, new RankCodingLoss(LossMode.RANK_CODING, beta), horizon, grads);
                String where = c + " horizon=" + horizon;
                // against the reference of EarlyExitEquivalenceTest
                ReferenceRankCoding.Result ref = ReferenceRankCoding.compute(net, batch, theta, LossMode.RANK_CODING, beta, horizon);
                assertNull(RcTestSupport.compare(ref.gradients, grads, 1e-10), where);
                // and against finite differences of the loss at the same decision steps, with the steps
                // t <= s - horizon computed from frozen (unperturbed) weights
                int[] steps = new int[batch.batchSize()];
                for (int r = 0; r < steps.length; r++) {
                    steps[r] = pass.decisionStep(r);
                }
                Parameters frozen = net.parameters().copy();
                checkAll(net, grads, () -> ReferenceRankCoding.lossAtSteps(net, batch, steps, beta, horizon, frozen), where);
            }
        }
    }

    /**
     * The prefix loss ({@code gamma / n * CE} at each of the {@code n} back-propagated steps) is differentiated exactly:
     * in both loss modes, with an unlimited horizon and a horizon of 2, the pass's gradient equals the slow reference's
     * and the central difference of the loss at the pass's decision steps (steps beyond the horizon detached), and the
     * returned loss equals the reference's value.
     */
    @Test
    void prefixLossGradientIsTheDerivativeAtFixedDecisionSteps() {
        long seed = 90;
        double gamma = 0.7;
        double beta = 0.2;
        for (NetCase c : NET_CASES) {
            for (LossMode mode : LossMode.values()) {
                for (int horizon : new int[]{RankCodingPass.UNLIMITED_HORIZON, 2}) {
                    Spiking f = Spiking.of(c, seed++, 2);
                    RankCodingNetwork net = f.net();
                    SequenceBatch batch = f.batch();
                    double theta = f.theta();
                    RankCodingPass pass = new RankCodingPass(net, K);
                    Parameters grads = net.parameters().zerosLike();
                    double loss = pass.gradients(batch, theta, new RankCodingLoss(mode, beta, gamma), horizon, grads);
                    String where = c + " " + mode + " horizon=" + horizon;
                    ReferenceRankCoding.Result ref = ReferenceRankCoding.compute(net, batch,
                            DecisionRuleSpec.thresholdCrossing(theta), mode, beta, gamma, horizon);
                    assertNull(RcTestSupport.compare(ref.gradients, grads, 1e-10), where);
                    assertEquals(ref.loss, loss, 1e-12 * Math.max(1, Math.abs(loss)), where);
                    Parameters without = net.parameters().zerosLike();
                    pass.gradients(batch, theta, new RankCodingLoss(mode, beta), horizon, without);
                    assertNotNull(RcTestSupport.compare(without, grads, 1e-6), "the prefix term must change the gradient: " + where);
                    int[] steps = new int[batch.batchSize()];
                    for (int r = 0; r < steps.length; r++) {
                        steps[r] = pass.decisionStep(r);
                    }
                    Parameters frozen = horizon == RankCodingPass.UNLIMITED_HORIZON ? null : net.parameters().copy();
                    assertEquals(loss, ReferenceRankCoding.lossAtSteps(net, batch, steps, beta, gamma, horizon, frozen),
                            1e-12 * Math.max(1, Math.abs(loss)), where);
                    checkAll(net, grads, () -> ReferenceRankCoding.lossAtSteps(net, batch, steps, beta, gamma, horizon, frozen),
                            where);
                }
            }
        }
    }
}
