package org.rankcoding.train;

import java.util.Objects;

import org.rankcoding.nn.ConvFrontEndConfig;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.compute.WeightGradientBatch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * How many bytes of heap training a network of a given shape with a given {@link TrainerConfig} needs, term by term,
 * for batches of at most a given number of steps; and the refusal when that does not fit a heap.
 *
 * <p>The terms follow what a {@link Trainer} allocates: the parameters; the gradient sum and Adam's two moments; the
 * weight average and its swap buffer ({@link TrainerConfig#averageDecay()}) and early stopping's best weights, when on; and,
 * once per thread ({@link TrainerConfig#threads()}), a partial gradient and the pass's gradient accumulators, the
 * pass's copy of the LSTM weights in the kernels' layout (with a {@code float} copy padded to 32 columns, the most any
 * kernel uses, and the stacked recurrent and input weights of the fused product where a layer has one), the forward tape (every layer's input, previous state, gates and {@code tanh(c)} for every row of the
 * batch at every step, and the front end's record), the backward pass's buffers and the front end's workspace. The
 * forward tape grows with the number of steps, the rest does not. The batches themselves and the data set are the
 * source's and are not counted. The estimate errs on the high side; measured against a real training run it is within
 * a factor of 1.5.
 *
 * <p>Immutable. Sizes are counted in {@code long}, so any valid configuration gives a finite estimate.
 */
public final class MemoryEstimate {

    private static final long DOUBLE = Double.BYTES;
    private static final long INT = Integer.BYTES;
    /** The widest {@code float} padding of a prepared matrix's rows (two 16-lane vectors). */
    private static final long FLOAT_PADDING = 32;
    /** How many terms a refusal names. */
    private static final int NAMED_TERMS = 3;

    /** One term of the estimate: what it is and how many bytes it takes. */
    public record Term(String name, long bytes) {
        /** Refuses a null name. */
        public Term {
            Objects.requireNonNull(name, "name is null");
        }

        @Override
        public String toString() {
            return name + " " + MemoryEstimate.format(bytes);
        }
    }

    private final NetworkConfig network;
    private final TrainerConfig trainer;
    private final int steps;
    private final List<Term> terms;

    private MemoryEstimate(NetworkConfig network, TrainerConfig trainer, int steps, List<Term> terms) {
        this.network = network;
        this.trainer = trainer;
        this.steps = steps;
        this.terms = List.copyOf(terms);
    }

    /**
     * The estimate for training a network of shape {@code network} with {@code trainer}'s batch size and threads on
     * batches of at most {@code steps} steps (0 for what is allocated before the first batch).
     *
     * @throws IllegalArgumentException for a null configuration or a negative step count
     */
    public static MemoryEstimate of(NetworkConfig network, TrainerConfig trainer, int steps) {
        if (network == null || trainer == null) {
            throw new IllegalArgumentException("MemoryEstimate.of(" + network + ", " + trainer + ", " + steps
                    + "): the network and trainer configurations are required");
        }
        if (steps < 0) {
            throw new IllegalArgumentException("steps = " + steps + ", expected >= 0");
        }
        long params = parameterCount(network);
        long threads = trainer.threads();
        long rows = trainer.batchSize();
        List<Term> terms = new ArrayList<>();
        terms.add(new Term("parameters", params * DOUBLE));
        terms.add(new Term("gradient and Adam moments", 3 * params * DOUBLE));
        terms.add(new Term("per-thread gradients", product(threads, 2 * params * DOUBLE)));
        terms.add(new Term("per-thread weight copies", product(threads, preparedWeightBytes(network))));
        terms.add(new Term("forward tape", product(threads, rows, steps, tapeBytesPerRowStep(network))));
        terms.add(new Term("backward buffers", product(threads, rows, backwardBytesPerRow(network))));
        terms.add(new Term("deferred weight-gradient rows", product(threads, Math.max(rows, WeightGradientBatch.ROWS),
                deferredBytesPerRow(network))));
        terms.add(new Term("front-end workspace", product(threads, frontEndWorkspaceBytes(network.frontEnd()))));
        long copies = (trainer.averageDecay() > 0 ? 2 : 0) + (trainer.patience() > 0 ? 1 : 0);
        if (copies > 0) {
            terms.add(new Term("weight average and best weights", copies * params * DOUBLE));
        }
        terms.sort(Comparator.comparingLong(Term::bytes).reversed());
        return new MemoryEstimate(network, trainer, steps, terms);
    }

    /** The total, in bytes ({@link Long#MAX_VALUE} if it exceeds a {@code long}). */
    public long bytes() {
        long sum = 0;
        for (Term t : terms) {
            sum = sum > Long.MAX_VALUE - t.bytes() ? Long.MAX_VALUE : sum + t.bytes();
        }
        return sum;
    }

    /** The product of non-negative factors, or {@link Long#MAX_VALUE} if it exceeds a {@code long}. */
    private static long product(long... factors) {
        long p = 1;
        try {
            for (long f : factors) {
                p = Math.multiplyExact(p, f);
            }
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
        return p;
    }

    /** The terms, largest first. */
    public List<Term> terms() {
        return terms;
    }

    /** The number of steps per batch the estimate is for. */
    public int steps() {
        return steps;
    }

    /**
     * Refuses a training run that does not fit {@code heapBytes} of heap, with the estimate, the heap, the largest terms
     * and what to do.
     *
     * @param heapBytes the heap the run may use, such as {@code Runtime.getRuntime().maxMemory()}
     * @throws IllegalArgumentException if {@link #bytes()} exceeds {@code heapBytes}, or if a buffer of one row per batch
     *                                  row would hold more elements than a Java array
     */
    public void requireFits(long heapBytes) {
        ConvFrontEndConfig f = network.frontEnd();
        long firstStage = f.isNone() ? 0 : (long) f.channels() * (f.height() / f.pool()) * (f.width() / f.pool());
        long widest = Math.max(Math.max(4L * network.hiddenSize(), network.inputSize()), firstStage);
        if ((long) trainer.batchSize() * widest > NetworkConfig.MAX_MATRIX_ELEMENTS) {
            throw new IllegalArgumentException("batchSize = " + trainer.batchSize() + " makes a step buffer of " + widest
                    + " values per row hold " + (long) trainer.batchSize() * widest + " values, more than a Java array holds ("
                    + NetworkConfig.MAX_MATRIX_ELEMENTS + "); use a smaller batch");
        }
        long need = bytes();
        if (need <= heapBytes) {
            return;
        }
        StringBuilder largest = new StringBuilder();
        for (int i = 0; i < Math.min(NAMED_TERMS, terms.size()); i++) {
            largest.append(i == 0 ? "" : ", ").append(terms.get(i));
        }
        throw new IllegalArgumentException("training needs about " + format(need) + " of heap but at most " + format(heapBytes)
                + " is available (hiddenSize = " + network.hiddenSize() + ", layers = " + network.layers() + ", batchSize = "
                + trainer.batchSize() + ", threads = " + trainer.threads() + ", "
                + (steps == 0 ? "before the first batch" : "batches of " + steps + " steps") + "); largest: " + largest
                + "; use a smaller hidden size, fewer layers, a smaller batch, fewer threads or shorter sequences, or give "
                + "Java more heap (-Xmx)");
    }

    @Override
    public String toString() {
        return format(bytes()) + " " + terms;
    }

    /** Parameters of the network: every LSTM layer's, the readout's and the front end's. */
    static long parameterCount(NetworkConfig n) {
        long h = n.hiddenSize();
        long sum = 0;
        for (int l = 0; l < n.layers(); l++) {
            sum += 4 * h * (layerInput(n, l) + h) + 8 * h;
        }
        return sum + n.readoutSize() * (h + 1) + n.frontEnd().parameterCount();
    }

    private static long layerInput(NetworkConfig n, int layer) {
        return layer == 0 ? n.lstmInputSize() : n.hiddenSize();
    }

    /**
     * One pass's prepared LSTM weights: {@code W_ih}, {@code W_hh}, each as is and transposed, in doubles and floats,
     * plus the stacked {@code [W_hh^T ; W_ih^T]} where the input is no wider than the hidden state.
     */
    private static long preparedWeightBytes(NetworkConfig n) {
        long g4 = 4L * n.hiddenSize();
        long sum = 0;
        for (int l = 0; l < n.layers(); l++) {
            long in = layerInput(n, l);
            long h = n.hiddenSize();
            long doubles = 2 * g4 * (in + h) + g4;
            long floats = in * padded(g4) + h * padded(g4) + g4 * padded(in) + g4 * padded(h);
            if (in <= h) {
                doubles += (in + h) * g4;
                floats += (in + h) * padded(g4);
            }
            sum += doubles * DOUBLE + floats * Float.BYTES;
        }
        return sum;
    }

    private static long padded(long cols) {
        return (cols + FLOAT_PADDING - 1) / FLOAT_PADDING * FLOAT_PADDING;
    }

    /** The forward tape of one row at one step: every layer's step buffers, the front end's record, the active rows. */
    private static long tapeBytesPerRowStep(NetworkConfig n) {
        long h = n.hiddenSize();
        long sum = 2 * INT;
        for (int l = 0; l < n.layers(); l++) {
            sum += (layerInput(n, l) + 7 * h) * DOUBLE;
        }
        ConvFrontEndConfig f = n.frontEnd();
        if (!f.isNone()) {
            long size1 = (long) f.channels() * (f.height() / f.pool()) * (f.width() / f.pool());
            sum += n.inputSize() * DOUBLE + size1 * INT;
            if (f.channels2() > 0) {
                sum += size1 * DOUBLE + (long) f.outputSize() * INT;
            }
        }
        return sum;
    }

    /**
     * One row of every layer's deferred weight-gradient products (input, previous hidden state and gate gradients;
     * the first layer's for dense input, the larger of its two kinds).
     */
    private static long deferredBytesPerRow(NetworkConfig n) {
        long h = n.hiddenSize();
        long sum = 0;
        for (int l = 0; l < n.layers(); l++) {
            sum += (layerInput(n, l) + 5 * h) * DOUBLE;
        }
        return sum;
    }

    /** The backward pass's buffers of one row, and the row's state, outputs and outcomes. */
    private static long backwardBytesPerRow(NetworkConfig n) {
        long h = n.hiddenSize();
        long sum = 4 * INT + 5 * INT + (n.layers() + 1) * h * DOUBLE + 3L * n.readoutSize() * DOUBLE;
        for (int l = 0; l < n.layers(); l++) {
            long in = layerInput(n, l);
            sum += (2 * in + 9 * h) * DOUBLE;
        }
        return sum;
    }

    /**
     * One pass's front-end workspace: the stages' maps and patches, forward and backward, and with a second stage
     * its event-driven form's buffers (products of up to every position, the spread and gather copies of the weights,
     * the weight-gradient accumulator and prefix sums).
     */
    private static long frontEndWorkspaceBytes(ConvFrontEndConfig f) {
        if (f.isNone()) {
            return 0;
        }
        long pixels = (long) f.height() * f.width();
        long pooled = (long) (f.height() / f.pool()) * (f.width() / f.pool());
        long patch = (long) f.kernel() * f.kernel() * f.channels();
        long doubles = 2 * pixels * f.channels() + 2 * f.parameterCount();
        if (f.channels2() > 0) {
            doubles += 2 * pooled * patch + 2 * pooled * f.channels2() + pooled * f.channels();
            long wide = (long) f.kernel() * f.kernel() * f.channels2();
            long side = (long) (f.height() / f.pool() + 1) * (f.width() / f.pool() + 1);
            doubles += pooled * wide + 2 * pooled * f.channels() + pooled * f.channels2() + side * f.channels2()
                    + 6 * f.channels() * wide + wide;
        }
        return doubles * DOUBLE + pixels * (DOUBLE + INT);
    }

    /** {@code bytes} for people: {@code 512 B}, {@code 3.2 MB}, {@code 1.5 GB} (powers of 1024). */
    static String format(long bytes) {
        String[] units = {"B", "KB", "MB", "GB", "TB", "PB", "EB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
