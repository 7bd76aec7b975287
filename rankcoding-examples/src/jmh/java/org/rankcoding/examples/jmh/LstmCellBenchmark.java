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
import org.rankcoding.kernel.Kernels;
import org.rankcoding.kernel.MatrixKernels;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The element-wise LSTM cell forward ({@link MatrixKernels#lstmCell}: the gate activations, the state update,
 * {@code tanh(c)} and {@code h}) of 64 rows, a training thread's share of a batch of 128, for hidden sizes 125, 256
 * and 512: {@code float32} computes the activations in {@code float}, {@code vector} all in {@code double} (the
 * {@code float32} kernels' cell before it had its own). Each call first restores the pre-activations (an array copy
 * of {@code 64 x 4H} values, the same for both), since the cell overwrites them in place.
 *
 * <pre>
 * mvn -B -Pjmh -pl rankcoding-examples -am package -DskipTests
 * java -jar rankcoding-examples/target/benchmarks.jar LstmCellBenchmark -f 2
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LstmCellBenchmark {

    /** Rows per call. */
    static final int ROWS = 64;

    @Param({"125", "256", "512"})
    int hidden;

    /** A name for {@link Kernels#select}. */
    @Param({"float32", "vector"})
    String kernelName;

    private MatrixKernels kernels;
    private double[] pre;
    private double[] gates;
    private double[] cPrev;
    private double[] c;
    private double[] tanhC;
    private double[] h;

    @Setup
    public void setUp() {
        kernels = Kernels.select(kernelName);
        SplittableRandom rng = new SplittableRandom(42);
        pre = new double[ROWS * 4 * hidden];
        for (int i = 0; i < pre.length; i++) {
            pre[i] = (rng.nextDouble() - 0.5) * 6;
        }
        gates = new double[pre.length];
        cPrev = LstmStepBenchmark.random(rng, ROWS * hidden);
        c = new double[ROWS * hidden];
        tanhC = new double[ROWS * hidden];
        h = new double[ROWS * hidden];
    }

    /** One cell forward of 64 rows; returns an output element so the work cannot be eliminated. */
    @Benchmark
    public double forward() {
        System.arraycopy(pre, 0, gates, 0, pre.length);
        kernels.lstmCell(ROWS, hidden, gates, cPrev, c, tanhC, h);
        return h[0];
    }
}
