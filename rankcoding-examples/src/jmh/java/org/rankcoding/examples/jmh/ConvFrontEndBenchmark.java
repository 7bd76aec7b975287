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
import org.rankcoding.nn.ConvFrontEnd;
import org.rankcoding.nn.ConvFrontEndConfig;
import org.rankcoding.nn.ConvGradients;
import org.rankcoding.nn.ConvTape;

import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The temporal-MNIST convolutional front end (16 + 32 filters of 5 x 5, max-pool 2, 28 x 28 input, 1,568 features)
 * on one block of {@link #ROWS} rows of sparse binary input, each row {@link #pixels} distinct random pixels in the
 * central 20 x 20 (where a digit's pixels are): the forward pass alone ({@link #forward}, what inference computes per
 * step) and forward then backward ({@link #forwardBackward}, what training computes). With the default event fraction
 * every row of up to about 200 such pixels runs its second stage from its events, so this measures that path
 * (8, 24 and 64 pixels touch on average about 56, 106 and 136 of the 196 first-stage windows).
 *
 * <pre>
 * mvn -B -Pjmh -pl rankcoding-examples -am package -DskipTests
 * java -jar rankcoding-examples/target/benchmarks.jar ConvFrontEndBenchmark -f 3
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ConvFrontEndBenchmark {

    /** Rows of the block (a batch of 256 on one thread). */
    static final int ROWS = 256;

    /** Active pixels per row. */
    @Param({"8", "24", "64"})
    int pixels;

    /** A name for {@link Kernels#select}. */
    @Param({"float32"})
    String kernelName;

    private ConvFrontEnd frontEnd;
    private ConvFrontEnd.Workspace workspace;
    private ConvTape tape;
    private ConvGradients gradients;
    private int[] start;
    private int[] idx;
    private int[] sel;
    private double[] out;
    private double[] dOut;

    @Setup
    public void setUp() {
        MatrixKernels kernels = Kernels.select(kernelName);
        ConvFrontEndConfig config = ConvFrontEndConfig.conv(16, 5, 2, 28, 28).withSecondStage(32);
        frontEnd = new ConvFrontEnd(config, new SplittableRandom(1));
        workspace = frontEnd.newWorkspace(kernels);
        frontEnd.prepare(workspace);
        tape = frontEnd.newTape(ROWS);
        gradients = frontEnd.newGradients();
        SplittableRandom rng = new SplittableRandom(pixels);
        start = new int[ROWS + 1];
        idx = new int[ROWS * pixels];
        sel = new int[ROWS];
        for (int j = 0; j < ROWS; j++) {
            start[j] = j * pixels;
            sel[j] = j;
            TreeSet<Integer> set = new TreeSet<>();
            while (set.size() < pixels) {
                set.add((4 + rng.nextInt(20)) * 28 + 4 + rng.nextInt(20));
            }
            int q = j * pixels;
            for (int v : set) {
                idx[q++] = v;
            }
        }
        start[ROWS] = ROWS * pixels;
        out = new double[ROWS * frontEnd.outputSize()];
        dOut = new double[ROWS * frontEnd.outputSize()];
        for (int i = 0; i < dOut.length; i++) {
            dOut[i] = rng.nextDouble() - 0.5;
        }
    }

    /** The forward pass of the block's rows. */
    @Benchmark
    public void forward(Blackhole bh) {
        frontEnd.forwardSparse(ROWS, start, idx, workspace, out, tape);
        bh.consume(out[0]);
    }

    /** The forward pass, then the backward pass accumulating the front end's gradients. */
    @Benchmark
    public void forwardBackward(Blackhole bh) {
        frontEnd.forwardSparse(ROWS, start, idx, workspace, out, tape);
        frontEnd.backwardSparse(ROWS, sel, start, idx, dOut, tape, workspace, gradients);
        bh.consume(out[0]);
    }
}
