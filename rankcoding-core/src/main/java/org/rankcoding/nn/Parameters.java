package org.rankcoding.nn;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The tensors of a {@link ParameterLayout}: a network's weights, or gradients or optimizer moments of the same
 * shapes. Names are PyTorch's ({@code lstm.weight_ih_l0}, {@code readout.weight}, ...); a bias is a {@code 1 x n}
 * row. A tensor is addressed by {@link ParameterHandle} ({@link #get(ParameterHandle)}: an index, no string lookup)
 * or, for tools and checkpoints, by name ({@link #get(String)}).
 *
 * <p>The matrices are live views: {@code get} returns the stored matrix, which the caller may modify in place
 * (that is how optimizers update weights). Not thread-safe for concurrent modification.
 */
public final class Parameters {

    private final ParameterLayout layout;
    private final DMatrixRMaj[] tensors;
    private final List<DMatrixRMaj> view;

    private Parameters(ParameterLayout layout, DMatrixRMaj[] tensors) {
        this.layout = layout;
        this.tensors = tensors;
        this.view = List.of(tensors);
    }

    /**
     * A set of all-zero tensors of {@code layout}'s shapes.
     *
     * @throws IllegalArgumentException if a tensor is too large for a matrix
     */
    public static Parameters zeros(ParameterLayout layout) {
        Objects.requireNonNull(layout, "layout is null");
        DMatrixRMaj[] ms = new DMatrixRMaj[layout.size()];
        for (int i = 0; i < ms.length; i++) {
            ParameterLayout.Spec s = layout.specs().get(i);
            if (s.rows() > Integer.MAX_VALUE || s.cols() > Integer.MAX_VALUE || s.elements() > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("parameter '" + s.name() + "' has shape " + s.shapeString()
                        + ", too large for a matrix (at most 2^31 - 9 values)");
            }
            ms[i] = new DMatrixRMaj((int) s.rows(), (int) s.cols());
        }
        return new Parameters(layout, ms);
    }

    /** A builder that gathers existing matrices (a network's layers' own) into a set of {@code layout}. */
    static Builder builder(ParameterLayout layout) {
        return new Builder(layout);
    }

    /** Binds matrices to the handles of a layout, checking each shape; {@link #build()} checks that all are bound. */
    static final class Builder {
        private final ParameterLayout layout;
        private final DMatrixRMaj[] tensors;

        private Builder(ParameterLayout layout) {
            this.layout = layout;
            this.tensors = new DMatrixRMaj[layout.size()];
        }

        /** Binds {@code matrix} (kept, not copied) to {@code handle}'s tensor. */
        Builder put(ParameterHandle handle, DMatrixRMaj matrix) {
            ParameterLayout.Spec s = layout.spec(handle);
            if (matrix.numRows != s.rows() || matrix.numCols != s.cols()) {
                throw new IllegalStateException("parameter '" + s.name() + "' is a " + matrix.numRows + " x " + matrix.numCols
                        + " matrix, but the layout says " + s.rows() + " x " + s.cols() + " (shape " + s.shapeString() + ")");
            }
            if (tensors[handle.index()] != null) {
                throw new IllegalStateException("parameter '" + s.name() + "' is bound twice");
            }
            tensors[handle.index()] = matrix;
            return this;
        }

        /** The set; every tensor of the layout must be bound. */
        Parameters build() {
            for (int i = 0; i < tensors.length; i++) {
                if (tensors[i] == null) {
                    throw new IllegalStateException("parameter '" + layout.names().get(i) + "' was never bound");
                }
            }
            return new Parameters(layout, tensors.clone());
        }
    }

    /** The layout: names, shapes and order. */
    public ParameterLayout layout() {
        return layout;
    }

    /**
     * The tensor {@code handle} addresses (a live view).
     *
     * @throws IllegalArgumentException if the handle belongs to a layout unequal to this set's
     */
    public DMatrixRMaj get(ParameterHandle handle) {
        Objects.requireNonNull(handle, "handle is null");
        return tensors[layout.check(handle).index()];
    }

    /**
     * The tensor stored under {@code name} (a live view).
     *
     * @throws IllegalArgumentException if there is none
     */
    public DMatrixRMaj get(String name) {
        Objects.requireNonNull(name, "name is null");
        return tensors[layout.handle(name).index()];
    }

    /** The names, in order. */
    public List<String> names() {
        return layout.names();
    }

    /** The tensors, in name order (live views, in an unmodifiable list). */
    public List<DMatrixRMaj> tensors() {
        return view;
    }

    /** Number of tensors. */
    public int size() {
        return tensors.length;
    }

    /** Total number of scalar values. */
    public long count() {
        long n = 0;
        for (DMatrixRMaj m : tensors) {
            n += m.getNumElements();
        }
        return n;
    }

    /** A new set with the same layout, all zero. */
    public Parameters zerosLike() {
        DMatrixRMaj[] ms = new DMatrixRMaj[tensors.length];
        for (int i = 0; i < ms.length; i++) {
            ms[i] = new DMatrixRMaj(tensors[i].numRows, tensors[i].numCols);
        }
        return new Parameters(layout, ms);
    }

    /** A deep copy. */
    public Parameters copy() {
        DMatrixRMaj[] ms = new DMatrixRMaj[tensors.length];
        for (int i = 0; i < ms.length; i++) {
            ms[i] = tensors[i].copy();
        }
        return new Parameters(layout, ms);
    }

    /** Sets every value to zero. */
    public void zero() {
        for (DMatrixRMaj m : tensors) {
            m.zero();
        }
    }

    /**
     * Copies every value of {@code other}, which must have the same names and shapes.
     *
     * @throws IllegalArgumentException on a name or shape mismatch
     */
    public void setTo(Parameters other) {
        Objects.requireNonNull(other, "other is null");
        requireSameLayout(other);
        for (int i = 0; i < tensors.length; i++) {
            tensors[i].setTo(other.tensors[i]);
        }
    }

    /**
     * The Euclidean norm over all values: the square root of one running sum of squares over the tensors in layout
     * order (a loop rather than EJML's per-matrix norms, whose scaling would round differently).
     */
    public double norm() {
        double sum = 0;
        for (DMatrixRMaj m : tensors) {
            int n = m.getNumElements();
            for (int i = 0; i < n; i++) {
                sum += m.data[i] * m.data[i];
            }
        }
        return Math.sqrt(sum);
    }

    /** Multiplies every value by {@code factor}. */
    public void scale(double factor) {
        for (DMatrixRMaj m : tensors) {
            CommonOps_DDRM.scale(factor, m);
        }
    }

    /** Whether every value is finite; otherwise the first offending name via {@link #firstNonFinite()}. */
    public boolean allFinite() {
        return firstNonFinite() == null;
    }

    /**
     * The name of the first tensor holding a NaN or infinite value, or {@code null}. Training checks every weight
     * after every update, so this is a branch-free pass: {@code x * 0.0} is zero for a finite {@code x} and NaN
     * otherwise, summed in four independent chains (about four times as fast as a test per value).
     */
    public String firstNonFinite() {
        for (int t = 0; t < tensors.length; t++) {
            if (!allFinite(tensors[t].data, 0, tensors[t].getNumElements())) {
                return layout.names().get(t);
            }
        }
        return null;
    }

    /**
     * As {@link #firstNonFinite()} over chunk {@code part} of every tensor only (the values
     * {@code [partStart(n, part, parts), partStart(n, part + 1, parts))} of a tensor of {@code n} values), so that
     * several threads can check the chunks of one set of tensors at once: a value is non-finite in the whole exactly
     * when it is in one of the chunks.
     *
     * @param part  the chunk, in {@code [0, parts)}
     * @param parts the number of chunks each tensor is cut into, {@code >= 1}
     * @return the name of the first tensor (in layout order) whose chunk holds a NaN or infinite value, or null
     * @throws IllegalArgumentException for {@code parts < 1} or a part outside {@code [0, parts)}
     */
    public String firstNonFinite(int part, int parts) {
        requirePart(part, parts);
        for (int t = 0; t < tensors.length; t++) {
            int n = tensors[t].getNumElements();
            int from = partStart(n, part, parts);
            if (!allFinite(tensors[t].data, from, partStart(n, part + 1, parts))) {
                return layout.names().get(t);
            }
        }
        return null;
    }

    /**
     * The first of the {@code n} values of a tensor that chunk {@code part} of {@code parts} near-equal contiguous chunks
     * holds: {@code floor(n * part / parts)} (so chunk {@code part} is {@code [partStart(n, part, parts),
     * partStart(n, part + 1, parts))} and {@code partStart(n, parts, parts) = n}). Element-wise work over
     * {@link #tensors()} (the gradient sum, Adam, the divergence check) splits its tensors this way across threads.
     *
     * @param n     the tensor's number of values, {@code >= 0}
     * @param part  in {@code [0, parts]}
     * @param parts the number of chunks, {@code >= 1}
     * @throws IllegalArgumentException for a negative {@code n}, {@code parts < 1} or a part outside {@code [0, parts]}
     */
    public static int partStart(int n, int part, int parts) {
        if (n < 0 || parts < 1 || part < 0 || part > parts) {
            throw new IllegalArgumentException("partStart(n = " + n + ", part = " + part + ", parts = " + parts
                    + "): expected n >= 0, parts >= 1 and part in [0, parts]");
        }
        return (int) ((long) n * part / parts);
    }

    private static void requirePart(int part, int parts) {
        if (parts < 1 || part < 0 || part >= parts) {
            throw new IllegalArgumentException("part = " + part + " of parts = " + parts + ", expected parts >= 1 and part in [0, "
                    + "parts)");
        }
    }

    /** Whether {@code d[from .. to)} holds only finite values (see {@link #firstNonFinite()}). */
    private static boolean allFinite(double[] d, int from, int to) {
        double a0 = 0;
        double a1 = 0;
        double a2 = 0;
        double a3 = 0;
        int i = from;
        for (; i + 3 < to; i += 4) {
            a0 += d[i] * 0.0;
            a1 += d[i + 1] * 0.0;
            a2 += d[i + 2] * 0.0;
            a3 += d[i + 3] * 0.0;
        }
        for (; i < to; i++) {
            a0 += d[i] * 0.0;
        }
        return a0 + a1 + a2 + a3 == 0.0;
    }

    /**
     * Checks that {@code other} has the same names, order and shapes.
     *
     * @throws IllegalArgumentException naming the first difference
     */
    public void requireSameLayout(Parameters other) {
        Objects.requireNonNull(other, "other is null");
        if (!names().equals(other.names())) {
            throw new IllegalArgumentException("parameter names differ: " + names() + " vs " + other.names());
        }
        for (int i = 0; i < tensors.length; i++) {
            DMatrixRMaj a = tensors[i];
            DMatrixRMaj b = other.tensors[i];
            if (a.numRows != b.numRows || a.numCols != b.numCols) {
                throw new IllegalArgumentException("parameter '" + names().get(i) + "' has shape " + a.numRows + "x"
                        + a.numCols + " here but " + b.numRows + "x" + b.numCols + " in the other set");
            }
        }
    }

    @Override
    public String toString() {
        return "Parameters" + Arrays.toString(names().toArray()) + " (" + count() + " values)";
    }
}
