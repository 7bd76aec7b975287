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
import org.rankcoding.nn.Lstm;
import org.rankcoding.nn.compute.LstmWeights;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Refreshing one layer's weight snapshot ({@link LstmWeights#refresh}, {@code float32} kernels, input size 1) at
 * hidden 125, 256 and 512: {@link #changed}, as a trainer does once per batch after the optimizer step (one weight
 * is nudged before each refresh, so every copy is made), and {@link #unchanged}, as an inference pass does at every
 * batch of a frozen model (the weights are only compared).
 *
 * <pre>
 * mvn -B -Pjmh -pl rankcoding-examples -am package -DskipTests
 * java -jar rankcoding-examples/target/benchmarks.jar WeightSnapshotBenchmark -f 2
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class WeightSnapshotBenchmark {

    @Param({"125", "256", "512"})
    int hidden;

    private Lstm lstm;
    private LstmWeights weights;
    private double nudge = 1e-9;

    @Setup
    public void setUp() {
        lstm = new Lstm(1, hidden, new SplittableRandom(42));
        weights = new LstmWeights(lstm, Kernels.select("float32"));
    }

    /** A refresh after the first recurrent weight changed: every form is copied again. */
    @Benchmark
    public LstmWeights changed() {
        lstm.weightHh().data[0] += nudge;
        nudge = -nudge;
        weights.refresh(lstm);
        return weights;
    }

    /** A refresh of unchanged weights: compared, not copied. */
    @Benchmark
    public LstmWeights unchanged() {
        weights.refresh(lstm);
        return weights;
    }
}
