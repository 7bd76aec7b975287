package org.rankcoding.kernel;

import java.util.Objects;

/**
 * The dense arithmetic of the LSTM step, forward and backward, on row-major {@code double} arrays.
 *
 * <p>Every matrix is addressed by a backing array, an offset of its first element and its shape; rows
 * are contiguous and the row stride equals the number of columns. Outputs are accumulated into
 * ({@code +=}), never overwritten, so a caller zeroes (or pre-fills with a bias) first. Inputs are
 * never modified. Output and input regions must not overlap. Implementations never allocate.
 *
 * <p>That is why the methods take up to nine parameters: each operand is an array and an offset, so that a caller
 * computes on a block of rows inside its reused buffers (a step slot of a tape, a row range of a batch) without
 * wrapping it in an object per call; the same holds for the helpers of the implementations, down to the GEMM tiles.
 *
 * <p>Implementations differ in speed, in the order of floating-point additions and in the precision of the
 * dense products: all take and return {@code double} values, but {@code Float32Kernels} multiplies in single
 * precision (operands rounded to {@code float}, products accumulated in {@code float} within one call, then
 * added to the {@code double} output), as PyTorch and most BLAS-backed trainers do. Each is tested against
 * {@link ReferenceKernels}; {@link #precision()} tells which contract applies.
 */
public interface MatrixKernels {

    /**
     * {@code C += A B}: {@code C} is {@code n x m}, {@code A} is {@code n x k}, {@code B} is {@code k x m}.
     *
     * @param a backing array of {@code A} (read)
     * @param b backing array of {@code B} (read)
     * @param c backing array of {@code C} (modified)
     */
    void multAdd(int n, int k, int m, double[] a, int aOff, double[] b, int bOff, double[] c, int cOff);

    /**
     * A new, zero {@code rows x cols} matrix in the form this implementation multiplies fastest as a right
     * operand; fill it with {@link PreparedMatrix#set}.
     */
    default PreparedMatrix prepare(int rows, int cols) {
        return new PreparedMatrix(rows, cols, 0);
    }

    /**
     * {@code C += A B} with a prepared {@code B} ({@code k x m}, {@code k = b.rows()}, {@code m = b.cols()}):
     * {@code C} is {@code n x m}, {@code A} is {@code n x k}. Same contract as
     * {@link #multAdd(int, int, int, double[], int, double[], int, double[], int)}.
     *
     * @param a backing array of {@code A} (read)
     * @param c backing array of {@code C} (modified)
     */
    default void multAdd(int n, double[] a, int aOff, PreparedMatrix b, double[] c, int cOff) {
        Objects.requireNonNull(a, "a is null");
        Objects.requireNonNull(b, "b is null");
        Objects.requireNonNull(c, "c is null");
        multAdd(n, b.rows(), b.cols(), a, aOff, b.values(), 0, c, cOff);
    }

    /**
     * {@code C += [A1 | A2] B} with a prepared {@code B} ({@code k x m}, {@code k = b.rows()}, {@code m = b.cols()}):
     * {@code A1} is the row-major {@code n x k1} matrix at {@code a1[0]}, {@code A2} the row-major
     * {@code n x (k - k1)} matrix at {@code a2[0]}, side by side, and {@code C} the row-major {@code n x m} matrix at
     * {@code c[0]}. This is the LSTM step's fused product of its previous hidden state and input with the stacked
     * recurrent and input weights. Same contract as
     * {@link #multAdd(int, int, int, double[], int, double[], int, double[], int)}; the default runs two products
     * (on the rows {@code [0, k1)} and {@code [k1, k)} of {@code B}'s {@code double} copy), an implementation may pack
     * both operands into one.
     *
     * @param a1 backing array of {@code A1} (read)
     * @param k1 columns of {@code A1}, in {@code [0, k]}
     * @param a2 backing array of {@code A2} (read)
     * @param c  backing array of {@code C} (modified)
     * @throws IllegalArgumentException if {@code k1} is outside {@code [0, b.rows()]}
     */
    default void multAddConcat(int n, double[] a1, int k1, double[] a2, PreparedMatrix b, double[] c) {
        Objects.requireNonNull(a1, "a1 is null");
        Objects.requireNonNull(a2, "a2 is null");
        Objects.requireNonNull(b, "b is null");
        Objects.requireNonNull(c, "c is null");
        int k = b.rows();
        if (k1 < 0 || k1 > k) {
            throw new IllegalArgumentException("A1 has " + k1 + " columns, expected 0 to " + k + " (the rows of B)");
        }
        int m = b.cols();
        multAdd(n, k1, m, a1, 0, b.values(), 0, c, 0);
        multAdd(n, k - k1, m, a2, 0, b.values(), k1 * m, c, 0);
    }

    /**
     * {@code C += A^T B}: {@code A} is {@code n x k}, {@code B} is {@code n x m}, {@code C} is {@code k x m}.
     * This is the weight-gradient product (sum over the {@code n} rows of a batch of outer products).
     *
     * @param a backing array of {@code A} (read)
     * @param b backing array of {@code B} (read)
     * @param c backing array of {@code C} (modified)
     */
    void multTransAAdd(int n, int k, int m, double[] a, int aOff, double[] b, int bOff, double[] c, int cOff);

    /**
     * Sparse-row product {@code C[r,:] += sum over j in rows(r) of B[j,:]}: the product of a binary
     * matrix given by its active column indices with {@code B} ({@code k x m}). Row {@code r} of the binary
     * matrix has active indices {@code idx[start[r] .. start[r+1])}; {@code C} is {@code n x m}.
     *
     * @param start row starts into {@code idx}, length at least {@code n + 1} (read)
     * @param idx   active column indices, each in {@code [0, k)} (read)
     * @param b     backing array of {@code B} (read)
     * @param c     backing array of {@code C} (modified)
     */
    void sparseMultAdd(int n, int m, int[] start, int[] idx, double[] b, int bOff, double[] c, int cOff);

    /**
     * {@link #sparseMultAdd(int, int, int[], int[], double[], int, double[], int)} with a prepared {@code B}
     * ({@code m = b.cols()}); sums rows of its {@code double} copy.
     */
    default void sparseMultAdd(int n, int[] start, int[] idx, PreparedMatrix b, double[] c, int cOff) {
        Objects.requireNonNull(start, "start is null");
        Objects.requireNonNull(idx, "idx is null");
        Objects.requireNonNull(b, "b is null");
        Objects.requireNonNull(c, "c is null");
        sparseMultAdd(n, b.cols(), start, idx, b.values(), 0, c, cOff);
    }

    /**
     * {@code c_r += a_r B} for {@code r = 0 .. n - 1}, in that order: {@code a_r} is the row {@code a[aStart[r] .. + k)},
     * {@code c_r} the row {@code c[cStart[r] .. + m)}, and {@code B} the {@code k x m} block whose row {@code t} is
     * {@code b[bOff + t * bStride .. + m)} (a column range of a wider row-major matrix when {@code bStride > m}). The
     * output rows may overlap; each adds to what the rows before it left. The event-driven convolution's forward
     * products: the features of the input positions that reach the same slots of a kernel row times those filter
     * slices. Computed in {@code double} by every implementation.
     *
     * @param aStart where each row of {@code A} starts in {@code a} (read, at least {@code n} entries)
     * @param a      backing array of {@code A}'s rows (read)
     * @param b      backing array of {@code B} (read)
     * @param cStart where each output row starts in {@code c} (read, at least {@code n} entries)
     * @param c      backing array of the output rows (modified)
     */
    void rowsTimesBlockAdd(int n, int k, int m, int[] aStart, double[] a, double[] b, int bOff, int bStride,
                           int[] cStart, double[] c);

    /**
     * The LSTM cell's nonlinearities and state update for {@code n} rows (the element-wise part of
     * {@code org.rankcoding.nn.compute.LstmSteps.forward}), with {@code H = hidden}:
     * <pre>
     *   i = sigmoid(a_i), f = sigmoid(a_f), g = tanh(a_g), o = sigmoid(a_o)
     *   c = f * c_prev + i * g,   tanhC = tanh(c),   h = o * tanhC
     * </pre>
     *
     * @param gates on entry the pre-activations {@code a = [a_i | a_f | a_g | a_o]}, {@code n x 4H}; on exit the
     *              activations {@code [i | f | g | o]} (modified)
     * @param cPrev previous cell state {@code n x H} (read), or {@code null} for zero
     * @param c     new cell state {@code n x H} (overwritten)
     * @param tanhC {@code tanh(c)}, {@code n x H} (overwritten)
     * @param h     new hidden state {@code n x H} (overwritten)
     */
    void lstmCell(int n, int hidden, double[] gates, double[] cPrev, double[] c, double[] tanhC, double[] h);

    /**
     * The whole LSTM forward step for {@code n} rows, with {@code H = stacked.cols() / 4}: the gate
     * pre-activations {@code bias + [h_prev | x] W} (each row of {@code gates} set to {@code bias}, then
     * {@link #multAddConcat} with {@code A1 = hPrev}, {@code k1 = H}, {@code A2 = x}; or, without a previous state,
     * {@link #multAdd(int, int, int, double[], int, double[], int, double[], int)} of {@code x} and the input rows of
     * {@code stacked}), then {@link #lstmCell}. This
     * default runs exactly those three steps; an implementation may keep the pre-activations in its own precision
     * between the product and the cell (they are not an output), as long as every output gets the bits those steps
     * give it (without a previous state, with the input rows of {@code stacked} prepared on their own).
     *
     * @param bias    the gate bias, {@code 4H} values (read)
     * @param hPrev   previous hidden state {@code n x H} (read), or {@code null} for zero (a sequence's first step)
     * @param x       the input {@code n x (stacked.rows() - H)} (read)
     * @param stacked the stacked recurrent and input weights, transposed: {@code (H + I) x 4H}
     * @param gates   the activations {@code [i | f | g | o]}, {@code n x 4H} (overwritten)
     * @param cPrev   previous cell state {@code n x H} (read), or {@code null} for zero
     * @param c       new cell state {@code n x H} (overwritten)
     * @param tanhC   {@code tanh(c)}, {@code n x H} (overwritten)
     * @param h       new hidden state {@code n x H} (overwritten)
     * @throws IllegalArgumentException if {@code stacked} has fewer than {@code H} rows or a column count that is not
     *                                  a multiple of 4, or {@code bias} is shorter than {@code 4H}
     */
    default void lstmForward(int n, double[] bias, double[] hPrev, double[] x, PreparedMatrix stacked, double[] gates,
                             double[] cPrev, double[] c, double[] tanhC, double[] h) {
        int hidden = LstmForwardShape.hidden(bias, x, stacked, gates, c, tanhC, h);
        int g4 = 4 * hidden;
        for (int r = 0; r < n; r++) {
            System.arraycopy(bias, 0, gates, r * g4, g4);
        }
        if (hPrev == null) {
            multAdd(n, stacked.rows() - hidden, g4, x, 0, stacked.values(), hidden * g4, gates, 0);
        } else {
            multAddConcat(n, hPrev, hidden, x, stacked, gates);
        }
        lstmCell(n, hidden, gates, cPrev, c, tanhC, h);
    }

    /**
     * The element-wise part of the LSTM backward step for {@code n} rows, with {@code H = hidden}. Row {@code j}
     * of {@code dh}, {@code dc} and {@code dGates} belongs to row {@code rows[j]} of the forward buffers
     * ({@code gates}, {@code cPrev}, {@code tanhC}); {@code rows == null} means the identity.
     * <pre>
     *   dc_t = dc + dh * o * (1 - tanhC^2)
     *   dA_i = dc_t * g * i (1 - i),   dA_f = dc_t * c_prev * f (1 - f)
     *   dA_g = dc_t * i * (1 - g^2),   dA_o = dh * tanhC * o (1 - o)
     *   dc  &lt;- dc_t * f                                   (the gradient w.r.t. c_prev)
     * </pre>
     *
     * @param gates  forward activations {@code [i | f | g | o]} (read)
     * @param cPrev  forward previous cell state (read), or {@code null} for zero
     * @param tanhC  forward {@code tanh(c)} (read)
     * @param dh     gradient w.r.t. {@code h}, {@code n x H} (read)
     * @param dc     in: gradient w.r.t. {@code c} from the next step; out: w.r.t. {@code c_prev} (modified)
     * @param dGates gradient w.r.t. the pre-activations, {@code n x 4H} (overwritten)
     */
    void lstmCellBackward(int n, int hidden, int[] rows, double[] gates, double[] cPrev, double[] tanhC, double[] dh,
                          double[] dc, double[] dGates);

    /**
     * The unit roundoff of the dense products: about {@code 1.1e-16} for implementations that compute in
     * {@code double}, about {@code 6e-8} for {@code Float32Kernels}. Finite-difference gradient checks need the
     * former.
     */
    default double precision() {
        return 0x1p-53;
    }

    /** A short name for logs and benchmark tables. */
    String name();
}
