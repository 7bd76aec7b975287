package org.rankcoding.examples.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.nn.Lstm;
import org.rankcoding.nn.compute.LstmBackwardStep;
import org.rankcoding.nn.compute.LstmGradients;
import org.rankcoding.nn.compute.LstmStep;
import org.rankcoding.nn.compute.LstmSteps;
import org.rankcoding.nn.compute.LstmWeights;
import org.rankcoding.nn.compute.WeightGradientBatch;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The backward pass of one LSTM layer over a sequence of {@link #STEPS} steps of {@link #ROWS} rows (a training
 * thread's share of a batch of 128 on two threads, input size 1), with the weight-gradient products either run at
 * every step ({@link #perStep}: {@code LstmSteps.backward} as the pass ran it before) or collected over the steps and
 * run once per {@link WeightGradientBatch#ROWS} rows ({@link #deferred}: as the pass runs it now). Both do the same
 * arithmetic, {@code 3 · 2 · ROWS · (I + H) · 4H} flops per step counting the forward's product once and the backward
 * as twice it; only the order of the additions into the gradients differs.
 *
 * <pre>
 * mvn -B -Pjmh -pl rankcoding-examples -am package -DskipTests
 * java -jar rankcoding-examples/target/benchmarks.jar WeightGradientBenchmark -f 3
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class WeightGradientBenchmark {

    /** Steps of the sequence. */
    static final int STEPS = 40;
    /** Rows per step. */
    static final int ROWS = 64;
    /** Input size of noise vs signal. */
    static final int INPUT = 1;

    @Param({"125", "256", "512"})
    int hidden;

    /** A name for {@link Kernels#select}. */
    @Param({"float32"})
    String kernelName;

    /** Rows a deferred batch collects before its products run ({@link WeightGradientBatch#ROWS} in training). */
    @Param({"512"})
    int deferredRows;

    private MatrixKernels kernels;
    private LstmWeights weights;
    private LstmStep[] tape;
    private LstmBackwardStep backward;
    private LstmGradients gradients;
    private WeightGradientBatch batch;

    @Setup
    public void setUp() {
        kernels = Kernels.select(kernelName);
        SplittableRandom rng = new SplittableRandom(42);
        weights = new LstmWeights(new Lstm(INPUT, hidden, rng), kernels);
        tape = new LstmStep[STEPS];
        double[] c = new double[ROWS * hidden];
        double[] h = new double[ROWS * hidden];
        for (int t = 0; t < STEPS; t++) {
            LstmStep step = new LstmStep(ROWS, INPUT, hidden);
            fill(rng, step.x());
            if (t == 0) {
                step.startFromZeroState();
            } else {
                System.arraycopy(h, 0, step.hPrev(), 0, h.length);
                System.arraycopy(c, 0, step.cPrev(), 0, c.length);
                step.continueFromPreviousState();
            }
            LstmSteps.forward(kernels, ROWS, step, weights, c, h);
            tape[t] = step;
        }
        backward = LstmBackwardStep.withoutInputGradient(ROWS, INPUT, hidden);
        fill(rng, backward.dh());
        fill(rng, backward.dc());
        gradients = new LstmGradients(INPUT, hidden);
        batch = WeightGradientBatch.forDenseInput(deferredRows, INPUT, hidden);
    }

    private static void fill(SplittableRandom rng, double[] a) {
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextDouble() - 0.5;
        }
    }

    /** The sequence's backward steps, each with its own weight-gradient products. */
    @Benchmark
    public void perStep(Blackhole bh) {
        for (int t = STEPS - 1; t >= 0; t--) {
            LstmStep step = tape[t];
            backward.selectAll(ROWS);
            backward.gatherInputs(step);
            LstmSteps.backward(kernels, step, backward, weights, gradients);
        }
        bh.consume(gradients.recurrentWeightsTransposed()[0]);
    }

    /** The sequence's backward steps with the weight-gradient products collected and run once per batch of rows. */
    @Benchmark
    public void deferred(Blackhole bh) {
        for (int t = STEPS - 1; t >= 0; t--) {
            LstmStep step = tape[t];
            backward.selectAll(ROWS);
            backward.gatherInputs(step);
            if (!batch.fits(ROWS, step.hasPreviousState())) {
                batch.flush(kernels, gradients);
            }
            LstmSteps.backward(kernels, step, backward, weights, gradients, batch);
        }
        batch.flush(kernels, gradients);
        bh.consume(gradients.recurrentWeightsTransposed()[0]);
    }
}
