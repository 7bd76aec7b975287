package org.rankcoding.kernel;

import org.ejml.data.DMatrixRMaj;

import java.util.Arrays;
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
        if (floats != null && top.panelWidth == panelWidth && bottom.panelWidth == panelWidth) {
            stackPanels(top, bottom);
        } else {
            copyToFloats();
        }
    }

    /**
     * The {@code float} panels of {@code [top ; bottom]} from theirs: each panel is the top's panel followed by the
     * bottom's (the same roundings as rounding the joined {@code double} copy, without rounding again).
     */
    private void stackPanels(PreparedMatrix top, PreparedMatrix bottom) {
        int w = panelWidth;
        int t = top.rows * w;
        int b = bottom.rows * w;
        for (int p = 0, n = panels(cols, w); p < n; p++) {
            System.arraycopy(top.floats, p * t, floats, p * (t + b), t);
            System.arraycopy(bottom.floats, p * b, floats, p * (t + b) + t, b);
        }
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
     * form held here. The transpose reads eight rows of {@code src} side by side and writes each run of eight
     * {@code values} in one go: with a power-of-two row length (a 4H-row weight), a column-by-column transpose (EJML's
     * below its block size, e.g. at hidden 256) makes every write miss the cache; above it this loop is about as fast
     * as EJML's blocked transpose.
     *
     * @throws IllegalArgumentException if the shape of {@code src} is not {@code cols x rows}
     */
    public void setTransposed(DMatrixRMaj src) {
        Objects.requireNonNull(src, "src is null");
        requireShape(src, cols, rows, " (the transpose of this matrix)");
        transposeFrom(src.data);
        copyToFloats();
    }

    /**
     * Whether the {@code double} copy holds exactly the values of {@code src} (same shape, equal elements as
     * {@link Double#equals} compares them, so {@code 0.0} and {@code -0.0} differ), as {@link #set(DMatrixRMaj)} leaves
     * it: a caller that refreshes a snapshot from a source that may not have changed since (a frozen model, batch
     * after batch) can skip the copies. Reads both matrices once at most, stopping at the first difference.
     */
    public boolean matches(DMatrixRMaj src) {
        Objects.requireNonNull(src, "src is null");
        return src.numRows == rows && src.numCols == cols
                && Arrays.equals(values, 0, values.length, src.data, 0, values.length);
    }

    /** {@code values = src^T} for {@code src}, {@code cols x rows} row-major: eight rows of {@code src} per pass. */
    private void transposeFrom(double[] src) {
        int sr = cols;
        int sc = rows;
        int i0 = 0;
        for (; i0 + 8 <= sr; i0 += 8) {
            for (int j = 0; j < sc; j++) {
                int d = j * sr + i0;
                int s = i0 * sc + j;
                values[d] = src[s];
                values[d + 1] = src[s + sc];
                values[d + 2] = src[s + 2 * sc];
                values[d + 3] = src[s + 3 * sc];
                values[d + 4] = src[s + 4 * sc];
                values[d + 5] = src[s + 5 * sc];
                values[d + 6] = src[s + 6 * sc];
                values[d + 7] = src[s + 7 * sc];
            }
        }
        for (; i0 < sr; i0++) {
            for (int j = 0; j < sc; j++) {
                values[j * sr + i0] = src[i0 * sc + j];
            }
        }
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
        // rounded to nearest, as the float32 kernels round their other operands; the padding columns stay zero.
        // Row by row, so that the double copy is read as one stream (its row's part of every panel in turn).
        int w = panelWidth;
        int full = cols - cols % w;
        int panelSize = rows * w;
        for (int r = 0; r < rows; r++) {
            int s = r * cols;
            int d = r * w;
            for (int c0 = 0; c0 < full; c0 += w, d += panelSize) {
                for (int j = 0; j < w; j++) {
                    floats[d + j] = (float) values[s + c0 + j];
                }
            }
            for (int c = full; c < cols; c++) {
                floats[d + c - full] = (float) values[s + c];
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
