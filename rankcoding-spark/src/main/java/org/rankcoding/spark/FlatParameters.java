package org.rankcoding.spark;

import org.ejml.data.DMatrixRMaj;
import org.rankcoding.nn.Parameters;

import java.util.List;

/** Parameters as one {@code double[]} (the tensors' values in the layout's order), to ship between JVMs exactly. */
final class FlatParameters {

    private FlatParameters() {
    }

    /** The values of {@code p}, tensor after tensor. */
    static double[] of(Parameters p) {
        double[] flat = new double[Math.toIntExact(p.count())];
        int at = 0;
        for (DMatrixRMaj t : p.tensors()) {
            int n = t.getNumElements();
            System.arraycopy(t.data, 0, flat, at, n);
            at += n;
        }
        return flat;
    }

    /** Writes {@code flat} into {@code p}. */
    static void copyInto(double[] flat, Parameters p) {
        requireSize(flat, p);
        int at = 0;
        for (DMatrixRMaj t : p.tensors()) {
            int n = t.getNumElements();
            System.arraycopy(flat, at, t.data, 0, n);
            at += n;
        }
    }

    /** Adds {@code flat} to {@code p} element by element (as EJML's {@code addEquals}). */
    static void addInto(double[] flat, Parameters p) {
        requireSize(flat, p);
        int at = 0;
        List<DMatrixRMaj> tensors = p.tensors();
        for (DMatrixRMaj t : tensors) {
            int n = t.getNumElements();
            double[] d = t.data;
            for (int j = 0; j < n; j++) {
                d[j] += flat[at + j];
            }
            at += n;
        }
    }

    private static void requireSize(double[] flat, Parameters p) {
        if (flat.length != p.count()) {
            throw new IllegalArgumentException(flat.length + " values for parameters of " + p.count()
                    + " values; the executor's network differs from the driver's");
        }
    }
}
