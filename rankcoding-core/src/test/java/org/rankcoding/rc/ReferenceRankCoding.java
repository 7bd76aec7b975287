package org.rankcoding.rc;

import org.ejml.data.DMatrixRMaj;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.OutputHead;
import org.rankcoding.nn.Parameters;
import org.rankcoding.nn.RankCodingNetwork;

/**
 * A slow, obviously correct reference of rank-coding training, used as the oracle for
 * {@link RankCodingPass}: plain per-row loops, every row is run to its own end (no early exit, no
 * compaction), the first spike is found afterwards, the loss {@code CE - beta H} (via the head) is taken at
 * the decision step and back-propagated through time per row, with the gradient injected at the decision
 * step only. With a horizon {@code k} the recurrent gradient is cut so that only steps
 * {@code s-k+1 .. s} are visited.
 *
 * <p>The LSTM arithmetic is written out here from the textbook formulas (PyTorch gate order i, f, g, o)
 * and reads the weights by their PyTorch names, so it shares no code with {@code Lstm} or {@code Linear}.
 */
public final class ReferenceRankCoding {

    private ReferenceRankCoding() {
    }

    /** What the reference computed for one batch. */
    public static final class Result {
        /** Mean loss over the rows. */
        public double loss;
        /** Gradient of the mean loss, same layout as the network's parameters. */
        public Parameters gradients;
        /** Per-row first spike over the whole row (1-based), or {@link SpikeTimes#NO_SPIKE}. */
        public int[] firstSpike;
        /** Per-row decision step (1-based). */
        public int[] decisionStep;
        /** Per-row prediction at the decision step. */
        public int[] predictionAtDecision;
        /** Per-row prediction at the last step. */
        public int[] predictionAtLast;
        /** Per-row prediction at the first spike, or -1. */
        public int[] predictionAtSpike;
    }

    /** The forward trace of one row over its whole length. Indices: [t][layer][unit], t 0-based. */
    static final class Trace {
        double[][] x;          // [t][I]
        double[][][] h;        // [t][l][H]
        double[][][] c;        // [t][l][H]
        double[][][] gi, gf, gg, go;
        double[][] z;          // [t][K]
        double[][] p;          // [t][K]
    }

    static double sigmoid(double v) {
        return 1.0 / (1.0 + Math.exp(-v));
    }

    private static DMatrixRMaj w(Parameters params, String name) {
        return params.get(name);
    }

    /**
     * Runs one row over all its steps. Steps {@code t <= frozenUntil} (1-based) use {@code early}, later steps
     * use {@code late}; pass the same set twice (or {@code frozenUntil = 0}) for an ordinary forward pass.
     */
    static Trace forwardRow(RankCodingNetwork net, Parameters early, Parameters late, int frozenUntil,
                            SequenceBatch batch, int r) {
        int layers = net.config().layers();
        int hs = net.config().hiddenSize();
        int in0 = net.config().inputSize();
        int k = net.head().outputs();
        int len = batch.length(r);
        Trace tr = new Trace();
        tr.x = new double[len][in0];
        tr.h = new double[len][layers][hs];
        tr.c = new double[len][layers][hs];
        tr.gi = new double[len][layers][hs];
        tr.gf = new double[len][layers][hs];
        tr.gg = new double[len][layers][hs];
        tr.go = new double[len][layers][hs];
        tr.z = new double[len][k];
        tr.p = new double[len][k];
        double[] inputs = batch.inputArray();
        for (int t = 0; t < len; t++) {
            Parameters params = (t + 1) <= frozenUntil ? early : late;
            int off = batch.inputOffset(t, r);
            for (int i = 0; i < in0; i++) {
                tr.x[t][i] = inputs[off + i];
            }
            double[] below = tr.x[t];
            for (int l = 0; l < layers; l++) {
                DMatrixRMaj wih = w(params, "lstm.weight_ih_l" + l);
                DMatrixRMaj whh = w(params, "lstm.weight_hh_l" + l);
                DMatrixRMaj bih = w(params, "lstm.bias_ih_l" + l);
                DMatrixRMaj bhh = w(params, "lstm.bias_hh_l" + l);
                int inSize = below.length;
                for (int j = 0; j < hs; j++) {
                    double[] a = new double[4];
                    for (int gate = 0; gate < 4; gate++) {
                        int row = gate * hs + j;
                        double s = bih.get(0, row) + bhh.get(0, row);
                        for (int i = 0; i < inSize; i++) {
                            s += wih.get(row, i) * below[i];
                        }
                        if (t > 0) {
                            for (int i = 0; i < hs; i++) {
                                s += whh.get(row, i) * tr.h[t - 1][l][i];
                            }
                        }
                        a[gate] = s;
                    }
                    double ig = sigmoid(a[0]);
                    double fg = sigmoid(a[1]);
                    double gg = Math.tanh(a[2]);
                    double og = sigmoid(a[3]);
                    double cPrev = t > 0 ? tr.c[t - 1][l][j] : 0.0;
                    double cn = fg * cPrev + ig * gg;
                    tr.gi[t][l][j] = ig;
                    tr.gf[t][l][j] = fg;
                    tr.gg[t][l][j] = gg;
                    tr.go[t][l][j] = og;
                    tr.c[t][l][j] = cn;
                    tr.h[t][l][j] = og * Math.tanh(cn);
                }
                below = tr.h[t][l];
            }
            DMatrixRMaj rw = w(params, "readout.weight");
            DMatrixRMaj rb = w(params, "readout.bias");
            for (int q = 0; q < k; q++) {
                double s = rb.get(0, q);
                for (int j = 0; j < hs; j++) {
                    s += rw.get(q, j) * below[j];
                }
                tr.z[t][q] = s;
            }
            probabilities(net.head(), tr.z[t], tr.p[t]);
        }
        return tr;
    }

    /** The head's probabilities, written out independently of the head classes. */
    public static void probabilities(OutputHead head, double[] z, double[] p) {
        if (head.type() == HeadType.SOFTMAX) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (int q = 0; q < z.length; q++) {
                p[q] = Math.exp(z[q] - max);
                sum += p[q];
            }
            for (int q = 0; q < z.length; q++) {
                p[q] /= sum;
            }
        } else {
            for (int q = 0; q < z.length; q++) {
                p[q] = sigmoid(z[q]);
            }
        }
    }

    /** The spike rule written out: binary two-sided, otherwise the largest probability. */
    static boolean spikes(OutputHead head, double[] p, double theta) {
        if (head.type() == HeadType.BINARY_SIGMOID) {
            return p[0] > theta || p[0] < 1 - theta;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double v : p) {
            max = Math.max(max, v);
        }
        return max > theta;
    }

    static int predict(OutputHead head, double[] p) {
        if (head.type() == HeadType.BINARY_SIGMOID) {
            return p[0] > 0.5 ? 1 : 0;
        }
        int best = 0;
        for (int q = 1; q < p.length; q++) {
            if (p[q] > p[best]) {
                best = q;
            }
        }
        return best;
    }

    /** The confidence compared with theta: max(p, 1-p) for the binary head, else the largest probability. */
    static double confidence(OutputHead head, double[] p) {
        if (head.type() == HeadType.BINARY_SIGMOID) {
            return Math.max(p[0], 1 - p[0]);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double v : p) {
            max = Math.max(max, v);
        }
        return max;
    }

    /** First spike (1-based) of a trace over its whole length, or {@link SpikeTimes#NO_SPIKE}. */
    static int firstSpike(OutputHead head, Trace tr, double theta) {
        for (int t = 0; t < tr.p.length; t++) {
            if (spikes(head, tr.p[t], theta)) {
                return t + 1;
            }
        }
        return SpikeTimes.NO_SPIKE;
    }

    /**
     * The first decision of a decision rule over a trace of probabilities ({@code p[t - 1]} at step {@code t}), written
     * out from its definition: the first step {@code t >= m} such that each of the steps {@code t - k + 1 .. t} (all
     * {@code >= 1}) spikes at its own threshold and all {@code k} predict the same class, a class that does not abstain;
     * {@link SpikeTimes#NO_SPIKE} if there is none.
     */
    public static int firstDecision(OutputHead head, double[][] p, DecisionRuleSpec rule) {
        int k = rule.consecutive();
        for (int t = Math.max(k, rule.minSteps()); t <= p.length; t++) {
            int cls = predict(head, p[t - 1]);
            boolean agree = !rule.abstaining().contains(cls);
            for (int s = t - k + 1; s <= t && agree; s++) {
                agree = spikes(head, p[s - 1], rule.threshold().at(s)) && predict(head, p[s - 1]) == cls;
            }
            if (agree) {
                return t;
            }
        }
        return SpikeTimes.NO_SPIKE;
    }

    /**
     * The class a row answers under {@code rule}, written out: its prediction at its first decision {@code decision}
     * (1-based), or, without one ({@link SpikeTimes#NO_SPIKE}), at its last step {@code p[p.length - 1]}, or for
     * {@link UndecidedAnswer#MEAN_PROBABILITY} the prediction of its probabilities averaged over all its steps.
     */
    public static int answer(OutputHead head, double[][] p, int decision, DecisionRuleSpec rule) {
        if (decision != SpikeTimes.NO_SPIKE) {
            return predict(head, p[decision - 1]);
        }
        return predict(head, undecidedProbabilities(p, rule));
    }

    /** The probabilities a row without a decision answers with under {@code rule} (see {@link #answer}). */
    public static double[] undecidedProbabilities(double[][] p, DecisionRuleSpec rule) {
        if (rule.undecided() == UndecidedAnswer.LAST_STEP) {
            return p[p.length - 1].clone();
        }
        double[] mean = new double[p[0].length];
        for (double[] step : p) {
            for (int q = 0; q < mean.length; q++) {
                mean[q] += step[q];
            }
        }
        for (int q = 0; q < mean.length; q++) {
            mean[q] /= p.length;
        }
        return mean;
    }

    /** Per-row probabilities {@code [r][t][k]} of a forward pass over every step of every row. */
    public static double[][][] probabilities(RankCodingNetwork net, SequenceBatch batch) {
        double[][][] out = new double[batch.batchSize()][][];
        Parameters params = net.parameters();
        for (int r = 0; r < batch.batchSize(); r++) {
            out[r] = forwardRow(net, params, params, 0, batch, r).p;
        }
        return out;
    }

    /** Per-row confidences {@code [r][t]} of a forward pass over every step of every row. */
    public static double[][] confidences(RankCodingNetwork net, SequenceBatch batch) {
        double[][] out = new double[batch.batchSize()][];
        Parameters params = net.parameters();
        for (int r = 0; r < batch.batchSize(); r++) {
            Trace tr = forwardRow(net, params, params, 0, batch, r);
            out[r] = new double[tr.p.length];
            for (int t = 0; t < tr.p.length; t++) {
                out[r][t] = confidence(net.head(), tr.p[t]);
            }
        }
        return out;
    }

    /**
     * The reference training computation.
     *
     * @param horizon maximum number of steps back-propagated through, counting the decision step
     */
    public static Result compute(RankCodingNetwork net, SequenceBatch batch, double theta, LossMode mode, double beta,
                                 int horizon) {
        return compute(net, batch, DecisionRuleSpec.thresholdCrossing(theta), mode, beta, horizon);
    }

    /** As {@link #compute(RankCodingNetwork, SequenceBatch, double, LossMode, double, int)}, deciding by {@code rule}. */
    public static Result compute(RankCodingNetwork net, SequenceBatch batch, DecisionRuleSpec rule, LossMode mode,
                                 double beta, int horizon) {
        return compute(net, batch, rule, mode, beta, 0.0, horizon);
    }

    /**
     * As {@link #compute(RankCodingNetwork, SequenceBatch, DecisionRuleSpec, LossMode, double, int)}, with the prefix
     * loss of weight {@code gamma}: {@code gamma / n * CE(p_t, y)} at each of the {@code n = min(s, horizon)} steps
     * {@code t = s - n + 1 .. s} added to each row's loss.
     */
    public static Result compute(RankCodingNetwork net, SequenceBatch batch, DecisionRuleSpec rule, LossMode mode,
                                 double beta, double gamma, int horizon) {
        OutputHead head = net.head();
        Parameters params = net.parameters();
        int b = batch.batchSize();
        int layers = net.config().layers();
        int hs = net.config().hiddenSize();
        int k = head.outputs();
        Result res = new Result();
        res.gradients = params.zerosLike();
        res.firstSpike = new int[b];
        res.decisionStep = new int[b];
        res.predictionAtDecision = new int[b];
        res.predictionAtLast = new int[b];
        res.predictionAtSpike = new int[b];
        double lossSum = 0;
        double scale = 1.0 / b;
        for (int r = 0; r < b; r++) {
            Trace tr = forwardRow(net, params, params, 0, batch, r);
            int len = batch.length(r);
            int spike = firstDecision(head, tr.p, rule);
            int s = mode == LossMode.RANK_CODING && spike != SpikeTimes.NO_SPIKE ? spike : len;
            res.firstSpike[r] = spike;
            res.decisionStep[r] = s;
            res.predictionAtDecision[r] = spike == SpikeTimes.NO_SPIKE ? answer(head, tr.p, spike, rule)
                    : predict(head, tr.p[s - 1]);
            res.predictionAtLast[r] = predict(head, tr.p[len - 1]);
            res.predictionAtSpike[r] = spike == SpikeTimes.NO_SPIKE ? -1 : predict(head, tr.p[spike - 1]);

            double[] dz = new double[k];
            lossSum += head.lossAndGradient(tr.z[s - 1], 0, tr.p[s - 1], 0, batch.label(r), beta, scale, dz, 0);
            double[][] prefixDz = new double[s][];
            if (gamma > 0) {
                int n = Math.min(s, horizon);
                for (int t = s - n + 1; t <= s; t++) {
                    prefixDz[t - 1] = new double[k];
                    lossSum += gamma / n * head.lossAndGradient(tr.z[t - 1], 0, tr.p[t - 1], 0, batch.label(r), 0.0,
                            scale * gamma / n, prefixDz[t - 1], 0);
                }
            }
            backwardRow(net, params, res.gradients, tr, s, horizon, dz, prefixDz, layers, hs, k);
        }
        res.loss = lossSum / b;
        return res;
    }

    /** Full BPTT of one row from step {@code s} (1-based) with readout gradient {@code dz}. */
    private static void backwardRow(RankCodingNetwork net, Parameters params, Parameters grads, Trace tr, int s,
                                    int horizon, double[] dz, double[][] prefixDz, int layers, int hs, int k) {
        DMatrixRMaj rw = params.get("readout.weight");
        DMatrixRMaj grw = grads.get("readout.weight");
        DMatrixRMaj grb = grads.get("readout.bias");
        double[] dhTop = readoutBackward(rw, grb, grw, dz, tr.h[s - 1][layers - 1], hs, k);
        double[][] dhNext = new double[layers][hs];
        double[][] dcNext = new double[layers][hs];
        long lowest = Math.max(1L, (long) s - horizon + 1);
        for (int t = s; t >= lowest; t--) {
            int ti = t - 1;
            double[] dxAbove = null;
            for (int l = layers - 1; l >= 0; l--) {
                DMatrixRMaj wih = params.get("lstm.weight_ih_l" + l);
                DMatrixRMaj whh = params.get("lstm.weight_hh_l" + l);
                DMatrixRMaj gwih = grads.get("lstm.weight_ih_l" + l);
                DMatrixRMaj gwhh = grads.get("lstm.weight_hh_l" + l);
                DMatrixRMaj gbih = grads.get("lstm.bias_ih_l" + l);
                DMatrixRMaj gbhh = grads.get("lstm.bias_hh_l" + l);
                double[] xin = l == 0 ? tr.x[ti] : tr.h[ti][l - 1];
                double[] hPrev = ti > 0 ? tr.h[ti - 1][l] : new double[hs];
                double[] cPrev = ti > 0 ? tr.c[ti - 1][l] : new double[hs];
                double[] da = new double[4 * hs];
                double[] dcOut = new double[hs];
                double[] dhPrefix = l == layers - 1 ? readoutBackward(rw, grb, grw, prefixDz[ti], tr.h[ti][l], hs, k)
                        : null;
                for (int j = 0; j < hs; j++) {
                    double dh = dhNext[l][j];
                    if (l == layers - 1 && t == s) {
                        dh += dhTop[j];
                    }
                    if (dhPrefix != null) {
                        dh += dhPrefix[j];
                    }
                    if (dxAbove != null) {
                        dh += dxAbove[j];
                    }
                    double ig = tr.gi[ti][l][j];
                    double fg = tr.gf[ti][l][j];
                    double gg = tr.gg[ti][l][j];
                    double og = tr.go[ti][l][j];
                    double tc = Math.tanh(tr.c[ti][l][j]);
                    double dc = dcNext[l][j] + dh * og * (1 - tc * tc);
                    double dO = dh * tc;
                    double dI = dc * gg;
                    double dF = dc * cPrev[j];
                    double dG = dc * ig;
                    da[j] = dI * ig * (1 - ig);
                    da[hs + j] = dF * fg * (1 - fg);
                    da[2 * hs + j] = dG * (1 - gg * gg);
                    da[3 * hs + j] = dO * og * (1 - og);
                    dcOut[j] = dc * fg;
                }
                double[] dxin = new double[xin.length];
                double[] dhPrev = new double[hs];
                for (int row = 0; row < 4 * hs; row++) {
                    double d = da[row];
                    gbih.set(0, row, gbih.get(0, row) + d);
                    gbhh.set(0, row, gbhh.get(0, row) + d);
                    for (int i = 0; i < xin.length; i++) {
                        gwih.set(row, i, gwih.get(row, i) + d * xin[i]);
                        dxin[i] += d * wih.get(row, i);
                    }
                    for (int i = 0; i < hs; i++) {
                        gwhh.set(row, i, gwhh.get(row, i) + d * hPrev[i]);
                        dhPrev[i] += d * whh.get(row, i);
                    }
                }
                dhNext[l] = dhPrev;
                dcNext[l] = dcOut;
                dxAbove = dxin;
            }
        }
    }

    /** The readout's backward for output gradient {@code dz} at hidden state {@code h} (null for no gradient). */
    private static double[] readoutBackward(DMatrixRMaj rw, DMatrixRMaj grb, DMatrixRMaj grw, double[] dz, double[] h,
                                            int hs, int k) {
        if (dz == null) {
            return null;
        }
        double[] dh = new double[hs];
        for (int q = 0; q < k; q++) {
            grb.set(0, q, grb.get(0, q) + dz[q]);
            for (int j = 0; j < hs; j++) {
                grw.set(q, j, grw.get(q, j) + dz[q] * h[j]);
                dh[j] += dz[q] * rw.get(q, j);
            }
        }
        return dh;
    }

    /**
     * The mean loss when each row's loss is taken at the given step (1-based) and, for the truncated
     * gradient of a horizon {@code k}, the steps {@code t <= steps[r] - k} computed with the fixed parameters
     * {@code frozen} (their influence is detached). With {@code frozen == null} nothing is frozen.
     */
    public static double lossAtSteps(RankCodingNetwork net, SequenceBatch batch, int[] steps, double beta, int horizon,
                                     Parameters frozen) {
        return lossAtSteps(net, batch, steps, beta, 0.0, horizon, frozen);
    }

    /** As {@link #lossAtSteps(RankCodingNetwork, SequenceBatch, int[], double, int, Parameters)}, with the prefix loss of weight {@code gamma}. */
    public static double lossAtSteps(RankCodingNetwork net, SequenceBatch batch, int[] steps, double beta, double gamma,
                                     int horizon, Parameters frozen) {
        Parameters params = net.parameters();
        OutputHead head = net.head();
        double sum = 0;
        double[] dz = new double[head.outputs()];
        for (int r = 0; r < batch.batchSize(); r++) {
            int frozenUntil = frozen == null ? 0 : (int) Math.max(0L, (long) steps[r] - horizon);
            Trace tr = forwardRow(net, frozen == null ? params : frozen, params, frozenUntil, batch, r);
            int s = steps[r];
            sum += head.lossAndGradient(tr.z[s - 1], 0, tr.p[s - 1], 0, batch.label(r), beta, 1.0, dz, 0);
            int n = Math.min(s, horizon);
            for (int t = s - n + 1; gamma > 0 && t <= s; t++) {
                sum += gamma / n * head.crossEntropy(tr.z[t - 1], 0, tr.p[t - 1], 0, batch.label(r));
            }
        }
        return sum / batch.batchSize();
    }
}
