package org.rankcoding.infer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.RcTestSupport;
import org.rankcoding.testing.Slow;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The drill: one {@link RankCodingModel} shared by 8 threads gives exactly (label, step, spiked flag and
 * probabilities bit for bit) the decisions of a sequential run, for 8 x 1,000 streaming sessions and for batch
 * classification from 8 threads at once.
 *
 * <p>Bit for bit with the {@code blocked} kernels and with the automatic ({@code float32}) ones: every operation of
 * both rounds the same way interpreted and compiled (the vector kernels' exponential is built from exactly rounded
 * operations for that reason; see {@code VectorExpTest}), so a run that starts cold equals a warm one.
 */
@Slow
class ConcurrencyDrillTest {

    private static final int THREADS = 8;
    private static final int STREAMS_PER_THREAD = 1_000;
    private static final int INPUT = 4;
    private static final int MAX_LENGTH = 12;
    private static final int BATCH_ROWS = 50;

    private static RankCodingNetwork net;
    private static double theta;
    /** The drill's data as batches of {@link #BATCH_ROWS} rows; stream {@code s} is row {@code s % BATCH_ROWS} of batch {@code s / BATCH_ROWS}. */
    private static List<SequenceBatch> batches;

    @BeforeAll
    static void shareOneModel() {
        net = RcTestSupport.network(INPUT, 16, 1, HeadType.SOFTMAX, 3, 31, 0.8);
        SplittableRandom rng = new SplittableRandom(32);
        batches = new ArrayList<>();
        for (int b = 0; b < THREADS * STREAMS_PER_THREAD / BATCH_ROWS; b++) {
            batches.add(RcTestSupport.batch(rng, INPUT, RcTestSupport.randomLengths(rng, BATCH_ROWS, MAX_LENGTH), 3, 1.0, 0.0));
        }
        theta = BatchClassifyTest.mixingThreshold(net, batches.get(0));
    }

    /** The shared model, with the named kernels ("" for the automatic choice). */
    private static RankCodingModel model(String kernels) {
        return new RankCodingModel(net, theta, Kernels.select(kernels));
    }

    /** Tolerance on the probabilities: none, every kernel set is reproducible bit for bit. */
    private static double tolerance(String kernels) {
        return 0.0;
    }

    /** Streams {@code [from, to)}, each in a new session, fed until its decision; every other one is run on to its end. */
    private static Decision[] streamRange(RankCodingModel model, int from, int to) {
        Decision[] out = new Decision[to - from];
        double[] x = new double[INPUT];
        for (int s = from; s < to; s++) {
            SequenceBatch batch = batches.get(s / BATCH_ROWS);
            int r = s % BATCH_ROWS;
            StreamingSession session = model.newSession();
            Decision d = StreamingSession.UNDECIDED;
            for (int t = 0; t < batch.length(r) && (d == StreamingSession.UNDECIDED || s % 2 == 0); t++) {
                System.arraycopy(batch.inputArray(), batch.inputOffset(t, r), x, 0, INPUT);
                Decision next = session.feed(x);
                assertTrue(d == StreamingSession.UNDECIDED || d == next, "feeding on keeps the first decision");
                d = next;
            }
            out[s - from] = session.finish();
        }
        return out;
    }

    /** Runs the tasks on {@link #THREADS} threads released together, returning their results in task order. */
    private static <T> List<T> concurrently(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CyclicBarrier start = new CyclicBarrier(tasks.size());
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return task.call();
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(30, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertSame(Decision want, Decision got, double tolerance, String what) {
        String message = what + ": sequential " + want + ", concurrent " + got;
        if (tolerance == 0) {
            assertTrue(want.sameOutcome(got), message);
        } else {
            assertEquals(want.label(), got.label(), message);
            assertEquals(want.step(), got.step(), message);
            assertEquals(want.spiked(), got.spiked(), message);
            assertArrayEquals(want.probabilities(), got.probabilities(), tolerance, message);
        }
    }

    @ParameterizedTest(name = "kernels \"{0}\"")
    @ValueSource(strings = {"blocked", ""})
    void eightThreadsStreamingAThousandSessionsEachMatchASequentialRun(String kernels) throws Exception {
        RankCodingModel model = model(kernels);
        Decision[] sequential = streamRange(model, 0, THREADS * STREAMS_PER_THREAD);
        List<Callable<Decision[]>> tasks = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            int from = i * STREAMS_PER_THREAD;
            tasks.add(() -> streamRange(model, from, from + STREAMS_PER_THREAD));
        }
        List<Decision[]> parallel = concurrently(tasks);
        int spiked = 0;
        for (int i = 0; i < THREADS; i++) {
            for (int j = 0; j < STREAMS_PER_THREAD; j++) {
                int s = i * STREAMS_PER_THREAD + j;
                assertSame(sequential[s], parallel.get(i)[j], tolerance(kernels), "stream " + s);
                spiked += sequential[s].spiked() ? 1 : 0;
            }
        }
        assertTrue(spiked > 0 && spiked < sequential.length, "the drill mixes spiking and silent streams: " + spiked);
    }

    /** The step cap of batch {@code b}: every other batch is capped below its longest rows. */
    private static int cap(int b) {
        return b % 2 == 0 ? MAX_LENGTH - 3 : Integer.MAX_VALUE;
    }

    @ParameterizedTest(name = "kernels \"{0}\"")
    @ValueSource(strings = {"blocked", ""})
    void eightThreadsClassifyingBatchesAtOnceMatchASequentialRun(String kernels) throws Exception {
        RankCodingModel model = model(kernels);
        List<BatchDecisions> sequential = new ArrayList<>();
        for (int b = 0; b < batches.size(); b++) {
            sequential.add(model.classify(batches.get(b), cap(b)));
        }
        List<Callable<List<BatchDecisions>>> tasks = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            int offset = i;
            tasks.add(() -> {
                // every thread classifies every batch, each starting at a different one, so that calls overlap
                List<BatchDecisions> out = new ArrayList<>(batches.size());
                for (int k = 0; k < batches.size(); k++) {
                    out.add(null);
                }
                for (int k = 0; k < batches.size(); k++) {
                    int b = (k + offset * 3) % batches.size();
                    out.set(b, model.classify(batches.get(b), cap(b)));
                }
                return out;
            });
        }
        List<List<BatchDecisions>> parallel = concurrently(tasks);
        for (int i = 0; i < THREADS; i++) {
            for (int b = 0; b < batches.size(); b++) {
                BatchDecisions want = sequential.get(b);
                BatchDecisions got = parallel.get(i).get(b);
                assertEquals(want.exampleSteps(), got.exampleSteps(), "batch " + b + " on thread " + i);
                for (int r = 0; r < want.size(); r++) {
                    assertSame(want.get(r), got.get(r), tolerance(kernels), "row " + r + " of batch " + b + " on thread " + i);
                }
            }
        }
    }
}
