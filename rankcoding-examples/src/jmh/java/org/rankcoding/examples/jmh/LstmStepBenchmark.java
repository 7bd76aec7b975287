package org.rankcoding.examples.jmh;

import org.rankcoding.nn.compute.LstmSteps;
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
import org.rankcoding.nn.Linear;
import org.rankcoding.nn.Lstm;
import org.rankcoding.nn.compute.LstmBackwardStep;
import org.rankcoding.nn.compute.LstmGradients;
import org.rankcoding.nn.compute.LstmStep;
import org.rankcoding.nn.compute.LstmWeights;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The LSTM step of rank-coding training and inference, one call per operation, at batch 128 and input size 1 (the
 * noise-vs-signal shape), for hidden sizes 64, 125 (the reference), 256 and 512:
 * <ul>
 *   <li>{@link #forwardStep}: {@link LstmSteps#forward}, {@code 2 B (I + H) 4H} flops;</li>
 *   <li>{@link #backwardStep}: {@link LstmSteps#backward} with the weight gradients and the gradient on the previous
 *       hidden state (as in a one-layer pass), counted as twice the forward flops;</li>
 *   <li>{@link #readout}: {@link Linear#forward} of the binary readout ({@code H -> 1}).</li>
 * </ul>
 * Divide the flops by the reported time per operation for GFLOP/s. Kernels: {@code float32} (the default of
 * {@link Kernels#best()}, single-precision products) and {@code vector} (the same Vector API code shape in
 * {@code double}); the forks add the Vector API module, as {@code mvn exec:java} does.
 *
 * <p>Build and run (not part of the default build):
 * <pre>
 * mvn -B -Pjmh -pl rankcoding-examples -am package -DskipTests
 * java -jar rankcoding-examples/target/benchmarks.jar -f 1 -wi 2 -i 3
 * java -jar rankcoding-examples/target/benchmarks.jar LstmStepBenchmark.forwardStep -p hidden=125 -p kernelName=blocked
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LstmStepBenchmark {

    /** Rows per step (the reference training batch). */
    static final int BATCH = 128;
    /** Input size of noise vs signal. */
    static final int INPUT = 1;

    @Param({"64", "125", "256", "512"})
    int hidden;

    /** {@code best} for {@link Kernels#best()}, or a name for {@link Kernels#select} ({@code float32}, {@code vector}, {@code blocked}, {@code reference}). */
    @Param({"float32", "vector"})
    String kernelName;

    private MatrixKernels kernels;
    private Lstm lstm;
    private Linear linear;
    private LstmWeights weights;
    private LstmStep step;
    private LstmBackwardStep backward;
    private LstmGradients gradients;
    private double[] c;
    private double[] h;
    private double[] z;

    @Setup
    public void setUp() {
        kernels = kernelName.equals("best") ? Kernels.best() : Kernels.select(kernelName);
        SplittableRandom rng = new SplittableRandom(42);
        int g4 = 4 * hidden;
        lstm = new Lstm(INPUT, hidden, rng);
        linear = new Linear(hidden, 1, rng);
        weights = new LstmWeights(lstm, kernels);
        step = new LstmStep(BATCH, INPUT, hidden);
        System.arraycopy(random(rng, BATCH * INPUT), 0, step.x(), 0, BATCH * INPUT);
        System.arraycopy(random(rng, BATCH * hidden), 0, step.hPrev(), 0, BATCH * hidden);
        System.arraycopy(random(rng, BATCH * hidden), 0, step.cPrev(), 0, BATCH * hidden);
        step.continueFromPreviousState();
        c = new double[BATCH * hidden];
        h = new double[BATCH * hidden];
        z = new double[BATCH];
        // realistic activations for the backward step
        LstmSteps.forward(kernels, BATCH, step, weights, c, h);
        backward = LstmBackwardStep.withoutInputGradient(BATCH, INPUT, hidden);
        backward.selectAll(BATCH);
        backward.gatherInputs(step);
        System.arraycopy(random(rng, BATCH * hidden), 0, backward.dh(), 0, BATCH * hidden);
        System.arraycopy(random(rng, BATCH * hidden), 0, backward.dc(), 0, BATCH * hidden);
        gradients = new LstmGradients(INPUT, hidden);
    }

    /** {@code n} values uniform in [-0.5, 0.5) (shared with {@link GemmBenchmark}). */
    static double[] random(SplittableRandom rng, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rng.nextDouble() - 0.5;
        }
        return a;
    }

    /** One forward step of 128 rows; returns an output element so the work cannot be eliminated. */
    @Benchmark
    public double forwardStep() {
        LstmSteps.forward(kernels, BATCH, step, weights, c, h);
        return h[0];
    }

    /**
     * One backward step of 128 rows. {@code dc} is updated in place ({@code dc <- (dc + dh o (1 - tanh^2 c)) f}, which
     * stays bounded since {@code f < 1}) and the weight gradients accumulate, as over the steps of a pass.
     */
    @Benchmark
    public void backwardStep(Blackhole bh) {
        LstmSteps.backward(kernels, step, backward, weights, gradients);
        bh.consume(backward.dhPrev()[0]);
    }

    /** The binary readout of 128 rows. */
    @Benchmark
    public double readout() {
        linear.forward(BATCH, h, z);
        return z[0];
    }
}
