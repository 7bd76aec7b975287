package org.rankcoding.kernel.impl;

import org.rankcoding.kernel.PreparedMatrix;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Conversions between the row-major layouts of a matrix: the parameters' layout (PyTorch's) and the transposed
 * layout the kernels read, for matrices held as bare arrays (gradient accumulators written back into their
 * parameters). Used when weights are prepared or gradients written out, never per step. The transpose is EJML's
 * ({@link CommonOps_DDRM#transpose(DMatrixRMaj, DMatrixRMaj)}, cache-blocked for large matrices), on views of the
 * arrays; {@link PreparedMatrix#setTransposed} does the same for a prepared right operand.
 */
public final class Layouts {

    private Layouts() {
    }

    /**
     * Writes the transpose of the row-major {@code rows x cols} matrix {@code src} into {@code dst} as a row-major
     * {@code cols x rows} matrix: {@code dst[c * rows + r] = src[r * cols + c]}.
     *
     * @param src  at least {@code rows * cols} values (read)
     * @param rows rows of {@code src}
     * @param cols columns of {@code src}
     * @param dst  at least {@code rows * cols} values (overwritten there); must not be {@code src}
     */
    public static void transpose(double[] src, int rows, int cols, double[] dst) {
        CommonOps_DDRM.transpose(DMatrixRMaj.wrap(rows, cols, src), DMatrixRMaj.wrap(cols, rows, dst));
    }
}
