package org.rankcoding.nn;

import org.ejml.data.DMatrixRMaj;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ordered set of named tensors: a network's weights, or gradients or optimizer moments of the same
 * shapes. Names follow PyTorch's ({@code lstm.weight_ih_l0}, {@code readout.weight}, ...); shapes are
 * PyTorch's (a bias is a {@code 1 x n} row).
 *
 * <p>The matrices are live views: {@link #get(String)} returns the stored matrix, which the caller may
 * modify in place (that is how optimizers update weights). Not thread-safe for concurrent modification.
 */
public final class Parameters {

    private final LinkedHashMap<String, DMatrixRMaj> tensors = new LinkedHashMap<>();

    /** Creates an empty set; tensors are added with {@link #add}. */
    public Parameters() {
    }

    /**
     * Adds a tensor under a new name.
     *
     * @throws IllegalArgumentException if the name is already used
     */
    public DMatrixRMaj add(String name, DMatrixRMaj tensor) {
        if (tensors.containsKey(name)) {
            throw new IllegalArgumentException("parameter name '" + name + "' is already used");
        }
        tensors.put(name, tensor);
        return tensor;
    }

    /**
     * The tensor stored under {@code name} (a live view).
     *
     * @throws IllegalArgumentException if there is none
     */
    public DMatrixRMaj get(String name) {
        DMatrixRMaj m = tensors.get(name);
        if (m == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "'; known: " + tensors.keySet());
        }
        return m;
    }

    /** The names, in order. */
    public List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(tensors.keySet()));
    }

    /** The tensors, in name order (live views). */
    public List<DMatrixRMaj> tensors() {
        return Collections.unmodifiableList(new ArrayList<>(tensors.values()));
    }

    /** Number of tensors. */
    public int size() {
        return tensors.size();
    }

    /** Total number of scalar values. */
    public long count() {
        long n = 0;
        for (DMatrixRMaj m : tensors.values()) {
            n += m.getNumElements();
        }
        return n;
    }

    /** A new set with the same names and shapes, all zero. */
    public Parameters zerosLike() {
        Parameters p = new Parameters();
        for (Map.Entry<String, DMatrixRMaj> e : tensors.entrySet()) {
            p.add(e.getKey(), new DMatrixRMaj(e.getValue().numRows, e.getValue().numCols));
        }
        return p;
    }

    /** A deep copy. */
    public Parameters copy() {
        Parameters p = new Parameters();
        for (Map.Entry<String, DMatrixRMaj> e : tensors.entrySet()) {
            p.add(e.getKey(), e.getValue().copy());
        }
        return p;
    }

    /** Sets every value to zero. */
    public void zero() {
        for (DMatrixRMaj m : tensors.values()) {
            m.zero();
        }
    }

    /**
     * Copies every value of {@code other}, which must have the same names and shapes.
     *
     * @throws IllegalArgumentException on a name or shape mismatch
     */
    public void setTo(Parameters other) {
        requireSameLayout(other);
        for (Map.Entry<String, DMatrixRMaj> e : tensors.entrySet()) {
            e.getValue().setTo(other.tensors.get(e.getKey()));
        }
    }

    /** The Euclidean norm over all values. */
    public double norm() {
        double sum = 0;
        for (DMatrixRMaj m : tensors.values()) {
            int n = m.getNumElements();
            for (int i = 0; i < n; i++) {
                sum += m.data[i] * m.data[i];
            }
        }
        return Math.sqrt(sum);
    }

    /** Multiplies every value by {@code factor}. */
    public void scale(double factor) {
        for (DMatrixRMaj m : tensors.values()) {
            int n = m.getNumElements();
            for (int i = 0; i < n; i++) {
                m.data[i] *= factor;
            }
        }
    }

    /** Whether every value is finite; otherwise the first offending name via {@link #firstNonFinite()}. */
    public boolean allFinite() {
        return firstNonFinite() == null;
    }

    /** The name of the first tensor holding a NaN or infinite value, or {@code null}. */
    public String firstNonFinite() {
        for (Map.Entry<String, DMatrixRMaj> e : tensors.entrySet()) {
            DMatrixRMaj m = e.getValue();
            int n = m.getNumElements();
            for (int i = 0; i < n; i++) {
                if (!Double.isFinite(m.data[i])) {
                    return e.getKey();
                }
            }
        }
        return null;
    }

    /**
     * Checks that {@code other} has the same names, order and shapes.
     *
     * @throws IllegalArgumentException naming the first difference
     */
    public void requireSameLayout(Parameters other) {
        if (!tensors.keySet().equals(other.tensors.keySet())) {
            throw new IllegalArgumentException("parameter names differ: " + tensors.keySet() + " vs " + other.tensors.keySet());
        }
        for (Map.Entry<String, DMatrixRMaj> e : tensors.entrySet()) {
            DMatrixRMaj a = e.getValue();
            DMatrixRMaj b = other.tensors.get(e.getKey());
            if (a.numRows != b.numRows || a.numCols != b.numCols) {
                throw new IllegalArgumentException("parameter '" + e.getKey() + "' has shape " + a.numRows + "x" + a.numCols
                        + " here but " + b.numRows + "x" + b.numCols + " in the other set");
            }
        }
    }
}
