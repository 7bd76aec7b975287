package org.rankcoding.datasets.latency;

import org.rankcoding.data.BatchSource;
import org.rankcoding.data.DataChecksum;
import org.rankcoding.data.EpochOrder;
import org.rankcoding.data.EpochSource;
import org.rankcoding.data.InMemorySequences;
import org.rankcoding.data.LabeledSequence;
import org.rankcoding.data.ResumableSource;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.data.SparseSpikes;
import org.rankcoding.datasets.idx.IdxImages;

import java.util.Locale;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Images served as latency-coded sequences (temporal MNIST): each image becomes {@code N} binary step
 * vectors of {@code rows * cols} inputs, encoded by a {@link LatencyEncoder} from intensities
 * {@code p / 255}, when a batch is built.
 *
 * <p>Why not an {@link InMemorySequences}: dense sequences of the whole MNIST training set would take
 * {@code 60000 x 20 x 784} doubles, 7.5 GB. Here the data stay bytes (47 MB) and batches are built on demand,
 * by default as {@linkplain SequenceBatch#sparseBinary sparse binary batches}: every pixel fires exactly once,
 * so a batch of 256 rows holds {@code 256 x 784} indices (0.8 MB), and the network's first layer adds up the
 * input weights of the pixels that fire instead of multiplying by a 784-wide mostly-zero vector. Dense batches
 * ({@code 20 x 256 x 784} doubles, 32 MB) are available for comparison
 * ({@link #withBatchForm withBatchForm(BatchForm.DENSE)}).
 * {@link #withCoding} serves the {@linkplain SpikeCoding#HELD held} form instead, in which a pixel stays active from
 * its spike step to the last step (up to {@code 20 x 784} events per digit).
 *
 * <p>As a {@link BatchSource} it serves shuffled epochs like {@link InMemorySequences}: each epoch visits every
 * image once in an order drawn from the trainer's generator; the last batch of an epoch may be smaller. For
 * evaluation, {@link #batch(int, int)} cuts the data in its own order.
 *
 * <p>Not thread-safe (it keeps the position in the current epoch). As a {@link ResumableSource} it saves that
 * position in training checkpoints, so that a resumed run continues the epoch where it stopped. The images and labels are not copied
 * and must not be modified while the source is in use.
 */
public final class LatencyCodedImages implements EpochSource {

    private final IdxImages images;
    private final int[] labels;
    private final int numClasses;
    private final LatencyEncoder encoder;
    /** Spike step of each pixel value 0..255: {@code encoder.spikeStep(p / 255.0)}. */
    private final int[] stepOfPixel = new int[256];
    private final EpochOrder epochs;
    private final BatchForm form;
    /** Distortion of training batches, or null. */
    private final ImageDistortion distortion;
    /** Pulse (each pixel fires once) or held (each pixel stays on from its spike step). */
    private final SpikeCoding coding;
    /** The {@link #fingerprint()}, computed at its first call. */
    private String fingerprint;

    /**
     * A source of {@linkplain BatchForm#SPARSE sparse}, {@linkplain SpikeCoding#PULSE pulse}-coded, undistorted batches
     * (the withers choose otherwise).
     *
     * @param images     the images (not copied)
     * @param labels     one label per image, each in {@code [0, numClasses)} (not copied)
     * @param numClasses number of classes, at least 2 (10 for MNIST)
     * @param encoder    the latency code ({@code new LatencyEncoder()} for temporal MNIST's 20 steps)
     * @throws IllegalArgumentException for a null argument, a count mismatch or a label out of range
     */
    public LatencyCodedImages(IdxImages images, int[] labels, int numClasses, LatencyEncoder encoder) {
        this(images, labels, numClasses, encoder, BatchForm.SPARSE, null, SpikeCoding.PULSE);
    }

    private LatencyCodedImages(IdxImages images, int[] labels, int numClasses, LatencyEncoder encoder, BatchForm form,
                               ImageDistortion distortion, SpikeCoding coding) {
        if (images == null || labels == null || encoder == null) {
            throw new IllegalArgumentException("images, labels and encoder must all be given, got "
                    + images + ", " + (labels == null ? "null" : labels.length + " labels") + ", " + encoder);
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses = " + numClasses + ", expected >= 2");
        }
        if (labels.length != images.count()) {
            throw new IllegalArgumentException(images.count() + " images but " + labels.length + " labels, expected one label per image");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("image " + i + " has label " + labels[i] + ", expected in [0, " + (numClasses - 1) + "]");
            }
        }
        this.images = images;
        this.labels = labels;
        this.numClasses = numClasses;
        this.encoder = encoder;
        for (int p = 0; p < 256; p++) {
            stepOfPixel[p] = encoder.spikeStep(p / 255.0);
        }
        this.epochs = new EpochOrder(images.count());
        this.form = form;
        this.distortion = distortion;
        this.coding = coding;
    }

    /**
     * A source over the same images whose training batches ({@link #nextBatch}) are distorted afresh each time an
     * image is served, with draws from the trainer's generator; {@link #batch(int, int)} (evaluation) stays
     * undistorted. The new source starts a fresh epoch; this one is unchanged.
     *
     * @param distortion the distortion, or {@code null} for none
     * @return a new source
     */
    public LatencyCodedImages withTrainingDistortion(ImageDistortion distortion) {
        return new LatencyCodedImages(images, labels, numClasses, encoder, form,
                distortion == null || distortion.isIdentity() ? null : distortion, coding);
    }

    /**
     * A source over the same images served in the given {@link SpikeCoding}: {@link SpikeCoding#PULSE} (the default)
     * lists each pixel at its spike step only, {@link SpikeCoding#HELD} at every step from its spike step to the last
     * (the cumulative image of the pixels fired so far). Training and evaluation batches and {@link #spikes(int)} all
     * follow it. The new source starts a fresh epoch and keeps this one's distortion; this one is unchanged.
     *
     * @param coding the coding
     * @return a new source
     * @throws IllegalArgumentException for a null coding
     */
    public LatencyCodedImages withCoding(SpikeCoding coding) {
        if (coding == null) {
            throw new IllegalArgumentException("coding is null, expected PULSE or HELD");
        }
        return new LatencyCodedImages(images, labels, numClasses, encoder, form, distortion, coding);
    }

    /**
     * A source over the same images whose batches (training and evaluation) take the given form. The new source starts
     * a fresh epoch and keeps this one's coding and distortion; this one is unchanged.
     *
     * @param form the batch form
     * @return a new source
     * @throws IllegalArgumentException for a null form
     */
    public LatencyCodedImages withBatchForm(BatchForm form) {
        if (form == null) {
            throw new IllegalArgumentException("batch form is null, expected SPARSE or DENSE");
        }
        return new LatencyCodedImages(images, labels, numClasses, encoder, form, distortion, coding);
    }

    /** The spike coding of the batches ({@link SpikeCoding#PULSE} unless {@link #withCoding} chose otherwise). */
    public SpikeCoding coding() {
        return coding;
    }

    /** The distortion of training batches, or {@code null}. */
    public ImageDistortion trainingDistortion() {
        return distortion;
    }

    /** The form of the batches ({@link BatchForm#SPARSE} unless {@link #withBatchForm} chose otherwise). */
    public BatchForm batchForm() {
        return form;
    }

    /** Number of images. */
    public int size() {
        return images.count();
    }

    /** Number of steps of every sequence (the encoder's {@code N}). */
    public int steps() {
        return encoder.steps();
    }

    @Override
    public int inputSize() {
        return images.pixelsPerImage();
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    /** Label of image {@code i}. */
    public int label(int i) {
        return labels[i];
    }

    @Override
    public SequenceBatch nextBatch(int maxRows, RandomGenerator rng) {
        int rows = epochs.take(maxRows, rng);
        if (distortion == null) {
            return build(epochs.order(), epochs.start(), rows);
        }
        int size = inputSize();
        byte[] px = new byte[rows * size];
        int[] base = new int[rows];
        for (int r = 0; r < rows; r++) {
            distortion.apply(images.pixels(), epochs.order()[epochs.start() + r] * size, images.rows(), images.cols(), px, r * size, rng);
            base[r] = r * size;
        }
        return build(px, base, epochs.order(), epochs.start(), rows);
    }

    @Override
    public EpochOrder epochOrder() {
        return epochs;
    }

    /**
     * {@code "N images of R x C in K classes, S steps, CODING coding (checksum X)"}, followed by the training
     * distortion if there is one; the checksum covers every pixel, every label and the encoder's step of every pixel
     * value. Computed once, at the first call (about 20 ms for MNIST's 60,000 digits); the batch form, which changes
     * no value, is not part of it.
     */
    @Override
    public Optional<String> fingerprint() {
        if (fingerprint == null) {
            DataChecksum sum = new DataChecksum().add(images.pixels(), 0, images.pixels().length).add(labels).add(stepOfPixel);
            fingerprint = String.format(Locale.ROOT, "%d images of %d x %d in %d classes, %d steps, %s coding%s (checksum %s)",
                    size(), images.rows(), images.cols(), numClasses, steps(), coding.name().toLowerCase(Locale.ROOT),
                    distortion == null ? "" : ", training distortion " + distortion, sum.hex());
        }
        return Optional.of(fingerprint);
    }

    /** What messages call this source: its class and size. */
    @Override
    public String toString() {
        return "LatencyCodedImages of " + size() + " images";
    }

    /**
     * Images {@code from .. to-1}, in order, as one batch (for evaluation).
     *
     * @return a new batch owned by the caller, {@code to - from} rows of {@code steps()} steps
     * @throws IllegalArgumentException unless {@code 0 <= from < to <= size()}
     */
    public SequenceBatch batch(int from, int to) {
        if (from < 0 || to <= from || to > size()) {
            throw new IllegalArgumentException("rows [" + from + ", " + to + "), expected 0 <= from < to <= " + size());
        }
        int[] rows = new int[to - from];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = from + r;
        }
        return build(rows, 0, rows.length);
    }

    /** Image {@code i}'s spike raster in CSR form (a new object owned by the caller). */
    public SparseSpikes spikes(int i) {
        checkImage(i);
        int size = inputSize();
        int[] s = new int[size];
        byte[] px = images.pixels();
        for (int j = 0; j < size; j++) {
            s[j] = stepOfPixel[px[i * size + j] & 0xFF];
        }
        SparseSpikes pulses = SparseSpikes.ofSpikeSteps(s, steps());
        return coding == SpikeCoding.HELD ? pulses.held() : pulses;
    }

    /** Image {@code i} as a labelled dense sequence (a new object owned by the caller). */
    public LabeledSequence sequence(int i) {
        return spikes(i).toSequence(labels[i]);
    }

    private void checkImage(int i) {
        if (i < 0 || i >= size()) {
            throw new IndexOutOfBoundsException("image " + i + ", expected in [0, " + size() + ")");
        }
    }

    /** The batch of images {@code ids[from .. from+n)}: input {@code j} of row {@code r} is 1 at step t+1 iff pixel j fires then. */
    private SequenceBatch build(int[] ids, int from, int n) {
        int size = inputSize();
        int[] base = new int[n];
        for (int r = 0; r < n; r++) {
            base[r] = ids[from + r] * size;
        }
        return build(images.pixels(), base, ids, from, n);
    }

    /** As {@link #build(int[], int, int)}, row {@code r}'s pixels read from {@code px[base[r] ..]}. */
    private SequenceBatch build(byte[] px, int[] base, int[] ids, int from, int n) {
        int steps = steps();
        int[] lengths = new int[n];
        int[] rowLabels = new int[n];
        for (int r = 0; r < n; r++) {
            lengths[r] = steps;
            rowLabels[r] = labels[ids[from + r]];
        }
        return form == BatchForm.SPARSE ? buildSparse(px, base, n, lengths, rowLabels) : buildDense(px, base, n, lengths, rowLabels);
    }

    /**
     * A counting sort of the batch's pixel events by (step, row), pixels ascending within a cell. A pulse code has one
     * event per pixel, at its spike step; a held code one at each step from the spike step to the last.
     */
    private SequenceBatch buildSparse(byte[] px, int[] base, int n, int[] lengths, int[] rowLabels) {
        int size = inputSize();
        int steps = steps();
        long events = (long) n * size * (coding == SpikeCoding.HELD ? steps : 1);
        if (events > Integer.MAX_VALUE - 8) {
            long perRow = events / n;
            throw new IllegalArgumentException("a batch of " + n + " rows x up to " + perRow + " events = " + events
                    + " events does not fit one array; use batches of at most " + ((Integer.MAX_VALUE - 8) / perRow) + " rows");
        }
        int cells = steps * n;
        int[] start = new int[cells + 1];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < size; j++) {
                int t = stepOfPixel[px[base[r] + j] & 0xFF] - 1;
                for (int u = t, last = lastStep(t); u <= last; u++) {
                    start[u * n + r + 1]++;
                }
            }
        }
        for (int c = 0; c < cells; c++) {
            start[c + 1] += start[c];
        }
        int[] fill = java.util.Arrays.copyOf(start, cells);
        int[] idx = new int[start[cells]];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < size; j++) {
                int t = stepOfPixel[px[base[r] + j] & 0xFF] - 1;
                for (int u = t, last = lastStep(t); u <= last; u++) {
                    idx[fill[u * n + r]++] = j;
                }
            }
        }
        return SequenceBatch.sparseBinary(n, steps, size, start, idx, lengths, rowLabels, numClasses, null);
    }

    private SequenceBatch buildDense(byte[] px, int[] base, int n, int[] lengths, int[] rowLabels) {
        int size = inputSize();
        int steps = steps();
        long values = (long) steps * n * size;
        if (values > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a batch of " + n + " rows x " + steps + " steps x " + size + " inputs = " + values
                    + " values does not fit one array; use batches of at most " + ((Integer.MAX_VALUE - 8) / ((long) steps * size)) + " rows");
        }
        double[] inputs = new double[(int) values];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < size; j++) {
                int t = stepOfPixel[px[base[r] + j] & 0xFF] - 1;
                for (int u = t, last = lastStep(t); u <= last; u++) {
                    inputs[(u * n + r) * size + j] = 1.0;
                }
            }
        }
        return new SequenceBatch(n, steps, size, inputs, lengths, rowLabels, numClasses, null);
    }

    /** The last 0-based step at which a pixel spiking at 0-based step {@code t} is active under the coding. */
    private int lastStep(int t) {
        return coding == SpikeCoding.HELD ? steps() - 1 : t;
    }
}
