package org.rankcoding.infer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rankcoding.data.PixelRasters;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.data.SparseSpikes;
import org.rankcoding.io.ModelFiles;
import org.rankcoding.io.SaveOptions;
import org.rankcoding.io.TensorDType;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.RcTestSupport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link RankCodingModel#classify}: the decisions of a {@link StreamingSession}, row by row, with early exit. */
class BatchClassifyTest {

    private static final int INPUT = 3;

    /**
     * The decision of a session fed the first {@code min(length(r), maxSteps)} steps of row {@code r} of a dense batch,
     * stopping at the first spike, then finished.
     */
    static Decision stream(StreamingSession session, SequenceBatch batch, int r, int maxSteps) {
        session.reset();
        double[] x = new double[batch.inputSize()];
        int steps = Math.min(batch.length(r), maxSteps);
        for (int t = 0; t < steps; t++) {
            System.arraycopy(batch.inputArray(), batch.inputOffset(t, r), x, 0, x.length);
            Decision d = session.feed(x);
            if (d != StreamingSession.UNDECIDED) {
                assertSame(d, session.finish());
                return d;
            }
        }
        return session.finish();
    }

    /**
     * A threshold at which about half the rows of a dense batch spike, with no step's confidence near it: the
     * model's streamed confidences (largest class probability, {@code max(p, 1 - p)} for the binary head) at every
     * step, through {@link RcTestSupport#thresholdAtQuantile}.
     */
    static double mixingThreshold(RankCodingNetwork net, SequenceBatch batch) {
        StreamingSession probe = new RankCodingModel(net, 1 - 1e-15).newSession();
        double[] p = new double[net.head().outputs()];
        double[][] confidences = new double[batch.batchSize()][];
        for (int r = 0; r < batch.batchSize(); r++) {
            probe.reset();
            confidences[r] = new double[batch.length(r)];
            double[] x = new double[batch.inputSize()];
            for (int t = 0; t < batch.length(r); t++) {
                System.arraycopy(batch.inputArray(), batch.inputOffset(t, r), x, 0, x.length);
                probe.feed(x);
                probe.currentProbabilities(p);
                confidences[r][t] = p.length == 1 ? Math.max(p[0], 1 - p[0]) : Arrays.stream(p).max().orElseThrow();
            }
        }
        return RcTestSupport.thresholdAtQuantile(confidences, 0.5);
    }

    /** Checks {@code got} against a streaming run of every row (capped at {@code maxSteps}) and the call's counters. */
    private static void assertLikeStreaming(RankCodingModel model, SequenceBatch batch, int maxSteps, BatchDecisions got) {
        SequenceBatch dense = batch.toDense();
        StreamingSession session = model.newSession();
        assertEquals(batch.batchSize(), got.size());
        long stepSum = 0;
        long full = 0;
        for (int r = 0; r < batch.batchSize(); r++) {
            Decision want = stream(session, dense, r, maxSteps);
            Decision d = got.get(r);
            String row = "row " + r + " (length " + batch.length(r) + ", cap " + maxSteps + ")";
            assertEquals(want.label(), d.label(), row);
            assertEquals(want.step(), d.step(), row);
            assertEquals(want.spiked(), d.spiked(), row);
            // equal up to rounding: a batch computes its rows in blocks (with float32 kernels, to about 1e-7)
            assertArrayEquals(want.probabilities(), d.probabilities(), 1e-5, row);
            assertTrue(d.nanosToDecision() >= 0 && d.nanosToDecision() <= got.elapsedNanos(), row + ": " + d.nanosToDecision());
            stepSum += d.step();
            full += Math.min(batch.length(r), maxSteps);
        }
        assertEquals(stepSum, got.exampleSteps(), "each row is computed up to its decision step");
        assertEquals(full, got.fullExampleSteps());
        assertEquals(got.stream().mapToInt(Decision::step).max().orElseThrow(), got.forwardSteps());
        assertEquals(maxSteps, got.maxSteps());
        // the time to decision grows with the decision step: every row's clock runs from the start of the call
        for (Decision later : got) {
            for (Decision earlier : got) {
                if (later.step() > earlier.step()) {
                    assertTrue(later.nanosToDecision() >= earlier.nanosToDecision(), later + " after " + earlier);
                }
            }
        }
    }

    private static int classes(HeadType head) {
        return head == HeadType.BINARY_SIGMOID ? 2 : 4;
    }

    @ParameterizedTest
    @EnumSource(HeadType.class)
    void classifyDecidesLikeStreamingRowByRow(HeadType head) {
        SplittableRandom rng = new SplittableRandom(21);
        RankCodingNetwork net = RcTestSupport.network(INPUT, 6, 2, head, classes(head), 12, 1.5);
        for (int trial = 0; trial < 3; trial++) {
            SequenceBatch batch = RcTestSupport.batch(rng, INPUT, RcTestSupport.randomLengths(rng, 37, 15), classes(head), 1.0,
                    Double.NaN);
            double theta = mixingThreshold(net, batch);
            RankCodingModel model = new RankCodingModel(net, theta);
            BatchDecisions got = model.classify(batch);
            assertLikeStreaming(model, batch, Integer.MAX_VALUE, got);
            int spiked = got.spikedCount();
            assertTrue(spiked > 0 && spiked < batch.batchSize(), "the case mixes spiking and silent rows: " + spiked);
            assertTrue(got.exampleSteps() < got.fullExampleSteps(), "early exit saves work");
            assertEquals(Integer.MAX_VALUE, got.maxSteps());
        }
    }

    @ParameterizedTest
    @EnumSource(HeadType.class)
    void aCapDecidesTheRowsStillUndecidedThere(HeadType head) {
        SplittableRandom rng = new SplittableRandom(22);
        RankCodingNetwork net = RcTestSupport.network(INPUT, 6, 1, head, classes(head), 13, 1.5);
        SequenceBatch batch = RcTestSupport.batch(rng, INPUT, RcTestSupport.randomLengths(rng, 40, 15), classes(head), 1.0, 0.0);
        RankCodingModel model = new RankCodingModel(net, mixingThreshold(net, batch));
        BatchDecisions uncapped = model.classify(batch);
        int cap = 4;
        BatchDecisions capped = model.classify(batch, cap);
        assertLikeStreaming(model, batch, cap, capped);
        int atCap = 0;
        for (int r = 0; r < batch.batchSize(); r++) {
            Decision full = uncapped.get(r);
            Decision d = capped.get(r);
            assertTrue(d.step() <= cap);
            if (full.step() <= cap) {
                assertTrue(full.sameOutcome(d), "row " + r + " decided before the cap: the cap changes nothing");
            } else {
                assertEquals(cap, d.step(), "row " + r + " is still undecided at the cap and is decided there");
                assertFalse(d.spiked());
                atCap++;
            }
        }
        assertTrue(atCap > 0, "some rows are undecided at the cap");
        // a cap at or beyond the longest row is no cap
        BatchDecisions loose = model.classify(batch, batch.longestRow());
        for (int r = 0; r < batch.batchSize(); r++) {
            assertTrue(uncapped.get(r).sameOutcome(loose.get(r)), "row " + r);
        }
        // a cap of one step decides every row at step 1
        BatchDecisions one = model.classify(batch, 1);
        assertEquals(batch.batchSize(), one.exampleSteps());
        assertLikeStreaming(model, batch, 1, one);
    }

    /** A sparse binary batch of latency-coded random 3 x 4 images (every pixel fires once in 12 steps). */
    private static SequenceBatch sparseBatch(SplittableRandom rng, int rows, int classes) {
        byte[] pixels = new byte[rows * 12];
        int[] labels = new int[rows];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) rng.nextInt(256);
        }
        return SparseSpikes.toBatch(PixelRasters.pulses(pixels, 12, 12), labels, classes);
    }

    @ParameterizedTest
    @EnumSource(HeadType.class)
    void sparseBatchesDecideLikeTheirDenseForm(HeadType head) {
        SplittableRandom rng = new SplittableRandom(23);
        RankCodingNetwork net = RcTestSupport.network(12, 6, 2, head, classes(head), 14, 1.5);
        SequenceBatch sparse = sparseBatch(rng, 30, classes(head));
        assertTrue(sparse.isSparse());
        SequenceBatch dense = sparse.toDense();
        RankCodingModel model = new RankCodingModel(net, mixingThreshold(net, dense));
        for (int cap : new int[]{Integer.MAX_VALUE, 3}) {
            BatchDecisions got = model.classify(sparse, cap);
            assertLikeStreaming(model, sparse, cap, got);
            if (cap == Integer.MAX_VALUE) {
                assertTrue(got.spikedCount() > 0 && got.spikedCount() < sparse.batchSize(), "mixed: " + got.spikedCount());
            } else {
                assertTrue(got.stream().anyMatch(d -> !d.spiked() && d.step() == cap), "some rows are decided at the cap");
            }
            BatchDecisions viaDense = model.classify(dense, cap);
            for (int r = 0; r < sparse.batchSize(); r++) {
                assertEquals(viaDense.get(r).label(), got.get(r).label());
                assertEquals(viaDense.get(r).step(), got.get(r).step());
                assertEquals(viaDense.get(r).spiked(), got.get(r).spiked());
            }
        }
    }

    @Test
    void badInputGivesClearErrors() {
        RankCodingNetwork net = RcTestSupport.network(INPUT, 4, 1, HeadType.SOFTMAX, 3, 3, 1.0);
        RankCodingModel model = new RankCodingModel(net, 0.9);
        SplittableRandom rng = new SplittableRandom(4);
        SequenceBatch wrongSize = RcTestSupport.batch(rng, INPUT + 2, new int[]{3, 4}, 3, 1.0, 0.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.classify(wrongSize));
        assertTrue(e.getMessage().contains("input size is 5") && e.getMessage().contains("expects 3"), e.getMessage());
        SequenceBatch ok = RcTestSupport.batch(rng, INPUT, new int[]{3, 4}, 3, 1.0, 0.0);
        for (int cap : new int[]{0, -1, Integer.MIN_VALUE}) {
            e = assertThrows(IllegalArgumentException.class, () -> model.classify(ok, cap));
            assertTrue(e.getMessage().contains("maxSteps = " + cap) && e.getMessage().contains(">= 1"), e.getMessage());
        }
        SequenceBatch tooManyClasses = new SequenceBatch(1, 2, INPUT, new double[2 * INPUT], new int[]{2}, new int[]{5}, 7, null);
        e = assertThrows(IllegalArgumentException.class, () -> model.classify(tooManyClasses, 1));
        assertTrue(e.getMessage().contains("label"), e.getMessage());
        assertThrows(NullPointerException.class, () -> model.classify(null));
        // the model still works after rejected calls
        assertEquals(2, model.classify(ok).size());
        BatchDecisions got = model.classify(ok);
        assertThrows(UnsupportedOperationException.class, () -> got.set(0, got.get(1)));
    }

    @Test
    void aFinishedStreamTakesNoMoreSteps() {
        RankCodingNetwork net = RcTestSupport.network(INPUT, 4, 1, HeadType.BINARY_SIGMOID, 2, 3, 0.5);
        StreamingSession session = new RankCodingModel(net, 1 - 1e-12).newSession();
        double[] x = {0.1, 0.2, 0.3};
        assertSame(StreamingSession.UNDECIDED, session.feed(x));
        Decision forced = session.finish();
        assertFalse(forced.spiked());
        assertEquals(1, forced.step());
        assertSame(forced, session.finish());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> session.feed(x));
        assertTrue(e.getMessage().contains("reset()"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> session.currentProbabilities(new double[0]));
        session.reset();
        assertSame(StreamingSession.UNDECIDED, session.feed(x));
        assertEquals(1, session.steps());
    }

    @ParameterizedTest
    @EnumSource(HeadType.class)
    void aLoadedModelFileDecidesLikeTheOriginalNetwork(HeadType head, @TempDir Path dir) throws IOException {
        SplittableRandom rng = new SplittableRandom(24);
        RankCodingNetwork net = RcTestSupport.network(INPUT, 7, 2, head, classes(head), 15, 1.5);
        SequenceBatch batch = RcTestSupport.batch(rng, INPUT, RcTestSupport.randomLengths(rng, 25, 12), classes(head), 1.0, 0.0);
        double theta = mixingThreshold(net, batch);
        Path file = dir.resolve("model.safetensors");
        ModelFiles.save(net, theta, file, SaveOptions.DEFAULT.withDtype(TensorDType.F64));
        RankCodingModel original = new RankCodingModel(net, theta);
        RankCodingModel loaded = ModelFiles.loadModel(file);
        assertEquals(theta, loaded.threshold());
        BatchDecisions want = original.classify(batch);
        BatchDecisions got = loaded.classify(batch);
        StreamingSession a = original.newSession();
        StreamingSession b = loaded.newSession();
        for (int r = 0; r < batch.batchSize(); r++) {
            assertTrue(want.get(r).sameOutcome(got.get(r)), "row " + r + ": " + want.get(r) + " vs " + got.get(r));
            Decision sa = stream(a, batch, r, Integer.MAX_VALUE);
            Decision sb = stream(b, batch, r, Integer.MAX_VALUE);
            assertNotNull(sb);
            assertTrue(sa.sameOutcome(sb), "row " + r + " streamed");
        }
        assertEquals(want.exampleSteps(), got.exampleSteps());
    }
}
