package org.rankcoding.kernel;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

import java.util.Objects;

/**
 * A {@code rows x cols} matrix copied once into the form a {@link MatrixKernels} implementation multiplies
 * fastest, for use as the right operand {@code B} of many products {@code C += A B}
 * ({@link MatrixKernels#multAdd(int, double[], int, PreparedMatrix, double[], int)}): the weights of a layer,
 * prepared once per batch (training) or once per model (inference) and then used at every time step.
 *
 * <p>It always holds a row-major {@code double} copy; implementations that compute in single precision
 * ({@code Float32Kernels}) also keep a {@code float} copy packed in column panels, the layout BLAS libraries pack
 * their right operand in: panel {@code p} holds columns {@code [p w, (p+1) w)} of every row, row after row, for a
 * panel width {@code w} equal to their micro-kernel's tile width, and the last panel is padded with zero columns.
 * A micro-kernel then reads its panel of {@code B} as one contiguous stream and never needs a column tail. A
 * prepared matrix is a
 * snapshot: after the source changes, call {@link #set} again. It is filled from an EJML matrix, as it is
 * ({@link #set(DMatrixRMaj)}) or transposed ({@link #setTransposed}, e.g. a weight in PyTorch's layout): this is where
 * parameters cross from EJML into the kernels' arrays. Create one with
 * {@link MatrixKernels#prepare(int, int)}; any implementation accepts any prepared matrix (it falls back to
 * the {@code double} copy when the form it prefers is missing).
 *
 * <p>Not thread-safe while being {@link #set}; safe to share between threads for reading.
 */
public final class PreparedMatrix {

    private final int rows;
    private final int cols;
    private final double[] values;
    /** {@link #values} seen as an EJML matrix, for EJML's operations. */
    private final DMatrixRMaj view;
    private final float[] floats;
    private final int panelWidth;

    /**
     * A zero matrix, for a {@link MatrixKernels} implementation's {@link MatrixKernels#prepare}: users get theirs
     * from there.
     *
     * @param panelWidth columns per panel of the {@code float} copy (see the class comment), or 0 for no
     *                   {@code float} copy
     * @throws IllegalArgumentException for a negative dimension or panel width
     */
    public PreparedMatrix(int rows, int cols, int panelWidth) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("matrix shape " + rows + " x " + cols + " has a negative dimension");
        }
        if (panelWidth < 0) {
            throw new IllegalArgumentException("float panel width " + panelWidth + " is negative (0: no float copy)");
        }
        this.rows = rows;
        this.cols = cols;
        this.values = new double[Math.multiplyExact(rows, cols)];
        this.view = DMatrixRMaj.wrap(rows, cols, values);
        this.panelWidth = panelWidth;
        this.floats = panelWidth == 0 ? null
                : new float[Math.multiplyExact(rows, Math.multiplyExact(panels(cols, panelWidth), panelWidth))];
    }

    /** The number of panels of {@code width} columns that {@code cols} columns take (the last one padded). */
    private static int panels(int cols, int width) {
        return (cols + width - 1) / width;
    }

    /** Number of rows (the shared dimension of a product {@code A B}). */
    public int rows() {
        return rows;
    }

    /** Number of columns. */
    public int cols() {
        return cols;
    }

    /**
     * Copies the {@code rows x cols} row-major matrix starting at {@code src[off]} into every form held here.
     *
     * @throws IndexOutOfBoundsException if the source region does not fit in {@code src}
     */
    public void set(double[] src, int off) {
        Objects.requireNonNull(src, "src is null");
        Objects.checkFromIndexSize(off, values.length, src.length);
        System.arraycopy(src, off, values, 0, values.length);
        copyToFloats();
    }

    /**
     * Copies the rows of {@code top} and then those of {@code bottom} (the matrix {@code [top ; bottom]}) into every
     * form held here, from their {@code double} copies: e.g. the stacked recurrent and input weights of a fused LSTM
     * product, from their own prepared forms, without a staging copy.
     *
     * @throws IllegalArgumentException if either has a column count other than {@code cols}, or their rows do not add
     *                                  up to {@code rows}
     */
    public void setStacked(PreparedMatrix top, PreparedMatrix bottom) {
        Objects.requireNonNull(top, "top is null");
        Objects.requireNonNull(bottom, "bottom is null");
        if (top.cols != cols || bottom.cols != cols || top.rows + bottom.rows != rows) {
            throw new IllegalArgumentException("stacking " + top.rows + " x " + top.cols + " on " + bottom.rows + " x "
                    + bottom.cols + " does not give this " + rows + " x " + cols + " matrix");
        }
        System.arraycopy(top.values, 0, values, 0, top.values.length);
        System.arraycopy(bottom.values, 0, values, top.values.length, bottom.values.length);
        copyToFloats();
    }

    /**
     * Copies {@code src} ({@code rows x cols}) into every form held here.
     *
     * @throws IllegalArgumentException if the shape of {@code src} differs
     */
    public void set(DMatrixRMaj src) {
        Objects.requireNonNull(src, "src is null");
        requireShape(src, rows, cols, "");
        view.setTo(src);
        copyToFloats();
    }

    /**
     * Copies the transpose of {@code src} ({@code cols x rows}, e.g. a weight matrix in PyTorch's layout) into every
     * form held here; the transpose is EJML's ({@link CommonOps_DDRM#transpose(DMatrixRMaj, DMatrixRMaj)}).
     *
     * @throws IllegalArgumentException if the shape of {@code src} is not {@code cols x rows}
     */
    public void setTransposed(DMatrixRMaj src) {
        Objects.requireNonNull(src, "src is null");
        requireShape(src, cols, rows, " (the transpose of this matrix)");
        CommonOps_DDRM.transpose(src, view);
        copyToFloats();
    }

    private static void requireShape(DMatrixRMaj src, int rows, int cols, String what) {
        if (src.numRows != rows || src.numCols != cols) {
            throw new IllegalArgumentException("source matrix is " + src.numRows + " x " + src.numCols + ", expected "
                    + rows + " x " + cols + what);
        }
    }

    private void copyToFloats() {
        if (floats == null) {
            return;
        }
        // rounded to nearest, as the float32 kernels round their other operands; the padding columns stay zero
        int w = panelWidth;
        for (int c0 = 0, base = 0; c0 < cols; c0 += w, base += rows * w) {
            int width = Math.min(w, cols - c0);
            for (int r = 0; r < rows; r++) {
                int s = r * cols + c0;
                int d = base + r * w;
                for (int j = 0; j < width; j++) {
                    floats[d + j] = (float) values[s + j];
                }
            }
        }
    }

    /** Element {@code (r, c)} of the {@code double} copy. */
    public double get(int r, int c) {
        Objects.checkIndex(r, rows);
        Objects.checkIndex(c, cols);
        return values[r * cols + c];
    }

    /** The row-major {@code double} copy, for {@link MatrixKernels} implementations (read only). */
    public double[] values() {
        return values;
    }

    /**
     * The {@code float} copy in column panels of {@link #panelWidth()} columns (see the class comment), or
     * {@code null}, for {@link MatrixKernels} implementations (read only). Element {@code (r, c)} is at
     * {@code (c / w) * rows * w + r * w + c % w} for {@code w = panelWidth()}.
     */
    public float[] floats() {
        return floats;
    }

    /** Columns per panel of the {@code float} copy (0 if there is none). */
    public int panelWidth() {
        return panelWidth;
    }
}
