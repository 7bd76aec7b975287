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
import org.rankcoding.kernel.PreparedMatrix;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The dense product {@code C += A B} with a prepared right operand ({@link MatrixKernels#multAdd(int, double[], int,
 * PreparedMatrix, double[], int)}), one thread, at the shapes that decide the LSTM's speed: {@code n x k x m} =
 * <ul>
 *   <li>{@code 256x1024x1024}: a large square-ish product, for GFLOP/s against a BLAS sgemm;</li>
 *   <li>{@code 64x513x2048}: one training thread's rows of the hidden-512 step forward ({@code [x | h] W});</li>
 *   <li>{@code 63x513x2048}: the same with a row count that is not a multiple of 4 (rank-coding training, where rows
 *       leave as they decide);</li>
 *   <li>{@code 256x1568x1024}: the first LSTM layer of the front-end model (1,568 features, hidden 256).</li>
 * </ul>
 * GFLOP/s = {@code 2 n k m} / the reported time per operation. Build and run (not part of the default build):
 * <pre>
 * mvn -B -Pjmh -pl rankcoding-examples -am package -DskipTests
 * java -jar rankcoding-examples/target/benchmarks.jar GemmBenchmark -f 3
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBenchmark {

    /** {@code n x k x m}: rows of {@code A}, the shared dimension, columns of {@code B}. */
    @Param({"256x1024x1024", "64x513x2048", "63x513x2048", "256x1568x1024"})
    String shape;

    /** {@code best} for {@link Kernels#best()}, or a name for {@link Kernels#select}. */
    @Param({"float32"})
    String kernelName;

    private MatrixKernels kernels;
    private int n;
    private double[] a;
    private PreparedMatrix b;
    private double[] c;

    @Setup
    public void setUp() {
        kernels = kernelName.equals("best") ? Kernels.best() : Kernels.select(kernelName);
        String[] dims = shape.split("x");
        n = Integer.parseInt(dims[0]);
        int k = Integer.parseInt(dims[1]);
        int m = Integer.parseInt(dims[2]);
        SplittableRandom rng = new SplittableRandom(42);
        a = LstmStepBenchmark.random(rng, n * k);
        b = kernels.prepare(k, m);
        b.set(LstmStepBenchmark.random(rng, k * m), 0);
        c = new double[n * m];
    }

    /** One product; returns an output element so the work cannot be eliminated. */
    @Benchmark
    public double multAdd() {
        kernels.multAdd(n, a, 0, b, c, 0);
        return c[c.length - 1];
    }
}
