package org.rankcoding.rc;

import org.ejml.data.DMatrixRMaj;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.nn.ConvFrontEndConfig;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.Parameters;
import org.rankcoding.nn.RankCodingNetwork;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Shared builders for the tests: random networks and batches. */
public final class RcTestSupport {

    private RcTestSupport() {
    }

    /** A network of the given shape whose weights are redrawn uniformly in {@code [-scale, scale]}. */
    public static RankCodingNetwork network(int inputSize, int hidden, int layers, HeadType head, int classes, long seed,
                                            double scale) {
        RankCodingNetwork net = new RankCodingNetwork(new NetworkConfig(inputSize, hidden, layers, head, classes), seed);
        SplittableRandom rng = new SplittableRandom(seed * 31 + 7);
        for (DMatrixRMaj m : net.parameters().tensors()) {
            for (int i = 0; i < m.getNumElements(); i++) {
                m.data[i] = (2 * rng.nextDouble() - 1) * scale;
            }
        }
        return net;
    }

    /**
     * A network with the convolutional front end {@code fe} (input size {@code fe.inputSize()}) whose weights are
     * redrawn uniformly in {@code [-scale, scale]}, except the front end's biases, drawn in {@code [-0.2, 0.6]}, and its
     * first filter, made non-negative: no channel is dead for every input.
     */
    public static RankCodingNetwork network(ConvFrontEndConfig fe, int hidden, int layers, HeadType head, int classes,
                                            long seed, double scale) {
        RankCodingNetwork net = new RankCodingNetwork(new NetworkConfig(fe.inputSize(), hidden, layers, head, classes, fe), seed);
        SplittableRandom rng = new SplittableRandom(seed * 31 + 7);
        for (DMatrixRMaj m : net.parameters().tensors()) {
            for (int i = 0; i < m.getNumElements(); i++) {
                m.data[i] = (2 * rng.nextDouble() - 1) * scale;
            }
        }
        DMatrixRMaj w = net.frontEnd().weight();
        for (int i = 0; i < w.numCols; i++) {
            w.data[i] = Math.abs(w.data[i]);
        }
        double[] b = net.frontEnd().bias().data;
        for (int i = 0; i < b.length; i++) {
            b[i] = -0.2 + 0.8 * rng.nextDouble();
        }
        if (fe.channels2() > 0) { // the same for the second stage
            DMatrixRMaj w2 = net.parameters().get(RankCodingNetwork.FRONT_END_PREFIX + "weight2");
            for (int i = 0; i < w2.numCols; i++) {
                w2.data[i] = Math.abs(w2.data[i]);
            }
            double[] b2 = net.parameters().get(RankCodingNetwork.FRONT_END_PREFIX + "bias2").data;
            for (int i = 0; i < b2.length; i++) {
                b2[i] = -0.2 + 0.8 * rng.nextDouble();
            }
        }
        return net;
    }

    /**
     * A batch with the given per-row lengths, standard normal inputs times {@code inputScale}, random labels
     * and padding filled with {@code padding} (NaN is allowed there: padding is never read).
     */
    public static SequenceBatch batch(SplittableRandom rng, int inputSize, int[] lengths, int numClasses, double inputScale,
                                      double padding) {
        int b = lengths.length;
        int max = Arrays.stream(lengths).max().orElseThrow();
        double[] in = new double[max * b * inputSize];
        Arrays.fill(in, padding);
        int[] labels = new int[b];
        for (int r = 0; r < b; r++) {
            labels[r] = rng.nextInt(numClasses);
            for (int t = 0; t < lengths[r]; t++) {
                for (int i = 0; i < inputSize; i++) {
                    in[(t * b + r) * inputSize + i] = gaussian(rng) * inputScale;
                }
            }
        }
        return new SequenceBatch(b, max, inputSize, in, lengths.clone(), labels, numClasses, null);
    }

    /** Random lengths in {@code [1, maxLength]}. */
    public static int[] randomLengths(SplittableRandom rng, int rows, int maxLength) {
        int[] l = new int[rows];
        for (int r = 0; r < rows; r++) {
            l[r] = 1 + rng.nextInt(maxLength);
        }
        return l;
    }

    /** A standard normal draw (Box-Muller). */
    public static double gaussian(SplittableRandom rng) {
        double u = rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
    }

    /**
     * A threshold in (0.5, 1) between two distinct observed confidence values, near the given quantile of
     * the per-row maximum confidence, so that roughly that fraction of rows never spikes and no confidence
     * equals the threshold.
     */
    public static double thresholdAtQuantile(double[][] confidences, double quantile) {
        double[] rowMax = new double[confidences.length];
        for (int r = 0; r < confidences.length; r++) {
            rowMax[r] = Arrays.stream(confidences[r]).max().orElseThrow();
        }
        double[] all = Arrays.stream(confidences).flatMapToDouble(Arrays::stream).filter(v -> v > 0.5 && v < 1).sorted()
                .distinct().toArray();
        Arrays.sort(rowMax);
        double target = rowMax[Math.min(rowMax.length - 1, (int) (quantile * rowMax.length))];
        // the midpoint between the largest observed value <= target and the next one
        int i = Arrays.binarySearch(all, target);
        if (i < 0) {
            i = -i - 2;
        }
        double lo = i >= 0 ? all[i] : 0.5;
        double hi = i + 1 < all.length ? all[i + 1] : 1.0;
        double theta = (lo + hi) / 2;
        return Math.min(Math.max(theta, 0.5 + 1e-9), 1 - 1e-12);
    }

    /** The largest absolute difference, relative to max(1, |expected|), between two gradient sets. */
    public static String compare(Parameters expected, Parameters actual, double tol) {
        for (String name : expected.names()) {
            DMatrixRMaj e = expected.get(name);
            DMatrixRMaj a = actual.get(name);
            for (int i = 0; i < e.getNumElements(); i++) {
                double d = Math.abs(e.data[i] - a.data[i]);
                if (!(d <= tol * Math.max(1.0, Math.abs(e.data[i])))) {
                    return name + "[" + i + "]: expected " + e.data[i] + " but was " + a.data[i];
                }
            }
        }
        return null;
    }

    /**
     * Runs early-exit inference over the sparse batch and its dense twin (two passes, so that each keeps its own
     * workspace) and asserts that every row decides at the same step with the same prediction.
     */
    public static void assertSameEarlyExit(InferencePass sparseInference, SequenceBatch sparse, InferencePass denseInference,
                                           SequenceBatch dense, double theta, String where) {
        RowOutcomes sparseOut = sparseInference.earlyExit(sparse, theta);
        RowOutcomes denseOut = denseInference.earlyExit(dense, theta);
        for (int r = 0; r < sparse.batchSize(); r++) {
            assertEquals(denseOut.decisionStep(r), sparseOut.decisionStep(r), "inference decision; " + where);
            assertEquals(denseOut.predictionAtDecision(r), sparseOut.predictionAtDecision(r), where);
        }
    }

    /** A sparse binary batch: each input of each computed cell is active with probability {@code density}. */
    public static SequenceBatch sparseBatch(SplittableRandom rng, int inputSize, int[] lengths, int classes, double density) {
        int b = lengths.length;
        int max = Arrays.stream(lengths).max().orElseThrow();
        int[] start = new int[max * b + 1];
        int[] idx = new int[max * b * inputSize];
        int q = 0;
        for (int t = 0; t < max; t++) {
            for (int r = 0; r < b; r++) {
                start[t * b + r] = q;
                for (int i = 0; i < inputSize; i++) {
                    // padding cells (t >= length) get events too: they must never be read
                    if (rng.nextDouble() < density) {
                        idx[q++] = i;
                    }
                }
            }
        }
        start[max * b] = q;
        int[] labels = new int[b];
        for (int r = 0; r < b; r++) {
            labels[r] = rng.nextInt(classes);
        }
        return SequenceBatch.sparseBinary(b, max, inputSize, start, Arrays.copyOf(idx, q), lengths.clone(), labels, classes,
                null);
    }
}
