package org.rankcoding.examples.jmh;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
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
 * Where EJML serves and where the library's own kernels do: EJML's {@code CommonOps_DDRM} against the
 * {@link MatrixKernels} for the LSTM step's products, and against hand-written loops for two operations that run
 * once per batch (a weight transpose when the compute layout is prepared, and the Adam update).
 *
 * <p>Products, at batch {@code n} rows, shared dimension {@code k} and {@code m} columns ({@code 2 n k m} flops):
 * <ul>
 *   <li>{@code 256x125x500}: a batch of 256 rows times {@code weight_hh^T} of a hidden-125 layer ({@code H x 4H});</li>
 *   <li>{@code 256x256x1024}: the same at hidden 256.</li>
 * </ul>
 * {@link #ejmlMultAdd} is {@code CommonOps_DDRM.multAdd} ({@code C += A B}, double); {@link #float32MultAdd} is the
 * default kernels' product with a prepared right operand (single-precision products); {@link #vectorMultAdd} the
 * Vector API kernels in double. The weight-gradient product {@code C += A^T B} ({@code A} is {@code n x k},
 * {@code B} is {@code n x m}): {@link #ejmlMultTransA} against {@link #float32MultTransA} and {@link #vectorMultTransA}.
 *
 * <p>Per-batch operations at hidden {@code H} (from the product shape's {@code k}): {@link #ejmlTranspose} and
 * {@link #loopTranspose} transpose {@code weight_hh} ({@code 4H x H}); {@link #adamLoop} is the loop of
 * {@code org.rankcoding.train.Adam#update} over {@code weight_hh}, {@link #adamEjml} the same update composed of
 * EJML's element-wise operations (two temporaries, eleven passes over memory).
 *
 * <p>Build and run (not part of the default build; a brief, indicative run):
 * <pre>
 * mvn -B -Pjmh -pl rankcoding-examples -am package -DskipTests
 * java -jar rankcoding-examples/target/benchmarks.jar EjmlBoundaryBenchmark -f 1 -wi 2 -w 1 -i 3 -r 1
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class EjmlBoundaryBenchmark {

    /** {@code n x k x m}: rows of the batch, shared dimension, columns. */
    @Param({"256x125x500", "256x256x1024"})
    String shape;

    private static final double LR = 1e-3;
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;

    private MatrixKernels float32;
    private MatrixKernels vector;
    private int n;
    private int k;
    private int m;
    private DMatrixRMaj a;
    private DMatrixRMaj b;
    private DMatrixRMaj c;
    private DMatrixRMaj gradA;
    private DMatrixRMaj gradB;
    private DMatrixRMaj gradC;
    private PreparedMatrix prepared;
    private DMatrixRMaj weight;
    private DMatrixRMaj weightT;
    private DMatrixRMaj grad;
    private DMatrixRMaj moment1;
    private DMatrixRMaj moment2;
    private DMatrixRMaj tmp1;
    private DMatrixRMaj tmp2;
    private long step;

    @Setup
    public void setUp() {
        String[] dims = shape.split("x");
        n = Integer.parseInt(dims[0]);
        k = Integer.parseInt(dims[1]);
        m = Integer.parseInt(dims[2]);
        float32 = Kernels.select("float32");
        vector = Kernels.select("vector");
        SplittableRandom rng = new SplittableRandom(42);
        a = random(rng, n, k);
        b = random(rng, k, m);
        c = new DMatrixRMaj(n, m);
        prepared = float32.prepare(k, m);
        prepared.set(b);
        gradA = random(rng, n, k);
        gradB = random(rng, n, m);
        gradC = new DMatrixRMaj(k, m);
        weight = random(rng, m, k); // weight_hh: 4H x H
        weightT = new DMatrixRMaj(k, m);
        grad = random(rng, m, k);
        moment1 = new DMatrixRMaj(m, k);
        moment2 = new DMatrixRMaj(m, k);
        tmp1 = new DMatrixRMaj(m, k);
        tmp2 = new DMatrixRMaj(m, k);
    }

    private static DMatrixRMaj random(SplittableRandom rng, int rows, int cols) {
        DMatrixRMaj x = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < x.getNumElements(); i++) {
            x.set(i, rng.nextDouble() - 0.5);
        }
        return x;
    }

    // ---- the LSTM step's products

    /** EJML, double: {@code C += A B}. */
    @Benchmark
    public DMatrixRMaj ejmlMultAdd() {
        CommonOps_DDRM.multAdd(a, b, c);
        return c;
    }

    /** Default kernels ({@code float32}), prepared right operand: {@code C += A B}. */
    @Benchmark
    public DMatrixRMaj float32MultAdd() {
        float32.multAdd(n, a.data, 0, prepared, c.data, 0);
        return c;
    }

    /** Vector API kernels in double: {@code C += A B}. */
    @Benchmark
    public DMatrixRMaj vectorMultAdd() {
        vector.multAdd(n, k, m, a.data, 0, b.data, 0, c.data, 0);
        return c;
    }

    /** EJML, double: {@code C += A^T B} (the weight gradient). */
    @Benchmark
    public DMatrixRMaj ejmlMultTransA() {
        CommonOps_DDRM.multAddTransA(gradA, gradB, gradC);
        return gradC;
    }

    /** Default kernels ({@code float32}): {@code C += A^T B}. */
    @Benchmark
    public DMatrixRMaj float32MultTransA() {
        float32.multTransAAdd(n, k, m, gradA.data, 0, gradB.data, 0, gradC.data, 0);
        return gradC;
    }

    /** Vector API kernels in double: {@code C += A^T B}. */
    @Benchmark
    public DMatrixRMaj vectorMultTransA() {
        vector.multTransAAdd(n, k, m, gradA.data, 0, gradB.data, 0, gradC.data, 0);
        return gradC;
    }

    // ---- once per batch: a transpose when preparing the compute layout

    /** EJML's transpose of {@code weight_hh} ({@code 4H x H}), as {@code PreparedMatrix.setTransposed} does. */
    @Benchmark
    public DMatrixRMaj ejmlTranspose() {
        CommonOps_DDRM.transpose(weight, weightT);
        return weightT;
    }

    /** The hand-written transpose loop the library used before ({@code Layouts.transpose}). */
    @Benchmark
    public DMatrixRMaj loopTranspose() {
        double[] src = weight.data;
        double[] dst = weightT.data;
        int rows = weight.numRows;
        int cols = weight.numCols;
        for (int r = 0; r < rows; r++) {
            for (int q = 0; q < cols; q++) {
                dst[q * rows + r] = src[r * cols + q];
            }
        }
        return weightT;
    }

    // ---- once per batch: the Adam update of one tensor

    /** The fused loop of {@code Adam.update}: one pass over the four arrays. */
    @Benchmark
    public DMatrixRMaj adamLoop() {
        step++;
        double c1 = 1 - Math.pow(BETA1, step);
        double c2 = 1 - Math.pow(BETA2, step);
        double[] w = weight.data;
        double[] g = grad.data;
        double[] mm = moment1.data;
        double[] vv = moment2.data;
        int len = weight.getNumElements();
        for (int j = 0; j < len; j++) {
            double gj = g[j];
            mm[j] = BETA1 * mm[j] + (1 - BETA1) * gj;
            vv[j] = BETA2 * vv[j] + (1 - BETA2) * gj * gj;
            w[j] -= LR * (mm[j] / c1) / (Math.sqrt(vv[j] / c2) + EPS);
        }
        return weight;
    }

    /**
     * The same update from EJML's element-wise operations, in the loop's order of operations except for the square
     * root ({@code elementPower(x, 0.5)} calls {@code Math.pow}).
     */
    @Benchmark
    public DMatrixRMaj adamEjml() {
        step++;
        double c1 = 1 - Math.pow(BETA1, step);
        double c2 = 1 - Math.pow(BETA2, step);
        CommonOps_DDRM.add(BETA1, moment1, 1 - BETA1, grad, moment1);   // m = b1 m + (1 - b1) g
        CommonOps_DDRM.scale(1 - BETA2, grad, tmp1);                   // (1 - b2) g
        CommonOps_DDRM.elementMult(tmp1, grad);                        // ((1 - b2) g) g
        CommonOps_DDRM.add(BETA2, moment2, 1.0, tmp1, moment2);        // v = b2 v + (1 - b2) g g
        CommonOps_DDRM.divide(moment1, c1, tmp1);                      // m / c1
        CommonOps_DDRM.scale(LR, tmp1);                                // lr (m / c1)
        CommonOps_DDRM.divide(moment2, c2, tmp2);                      // v / c2
        CommonOps_DDRM.elementPower(tmp2, 0.5, tmp2);                  // sqrt(v / c2)
        CommonOps_DDRM.add(tmp2, EPS);                                 // + eps
        CommonOps_DDRM.elementDiv(tmp1, tmp2);                         // lr (m / c1) / (sqrt(v / c2) + eps)
        CommonOps_DDRM.subtractEquals(weight, tmp1);                   // w -= ...
        return weight;
    }
}
