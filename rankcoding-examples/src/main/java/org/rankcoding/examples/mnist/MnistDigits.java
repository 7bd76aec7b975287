package org.rankcoding.examples.mnist;

import org.rankcoding.data.BatchSource;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.datasets.idx.IdxImages;
import org.rankcoding.datasets.idx.IdxReader;
import org.rankcoding.datasets.latency.BatchForm;
import org.rankcoding.datasets.latency.ImageDistortion;
import org.rankcoding.datasets.latency.LatencyCodedImages;
import org.rankcoding.datasets.latency.LatencyEncoder;
import org.rankcoding.datasets.latency.SpikeCoding;
import org.rankcoding.datasets.mnist.Mnist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A set of MNIST digits (or digits in MNIST's file format), latency-coded: each image becomes {@code bins} binary steps,
 * brightest pixels first, built batch by batch and never held as dense sequences. The one place in the examples that
 * uses the library's IDX, MNIST, latency-coding and image-distortion classes.
 */
public final class MnistDigits {

    /** Classes of MNIST: the ten digits. */
    public static final int CLASSES = Mnist.NUM_CLASSES;
    /** Side of an MNIST image in pixels. */
    public static final int SIDE = Mnist.SIDE;
    /** Steps of the latency code of temporal MNIST. */
    public static final int DEFAULT_BINS = LatencyEncoder.DEFAULT_STEPS;
    /** Base name of the training images' file. */
    public static final String TRAIN_IMAGES = Mnist.TRAIN_IMAGES;
    /** Base name of the training labels' file. */
    public static final String TRAIN_LABELS = Mnist.TRAIN_LABELS;

    /** Reads the four MNIST files of a directory (raw or .gz). */
    @FunctionalInterface
    public interface Loader {
        /** The training and test images and labels of {@code dir}. */
        Mnist load(Path dir) throws IOException;
    }

    /** The loader of the real data set: the four files of MNIST, with MNIST's sizes checked. */
    public static final Loader MNIST_FILES = Mnist::load;

    /**
     * How digits become steps, checked on construction.
     *
     * @param bins         steps of the latency code
     * @param input        how each step is fed: the indices of the pixels that fire, or a dense vector over all pixels
     * @param spikeCoding  {@code pulse} or {@code held} (see {@link SpikeCoding#parse})
     * @param shift        training augmentation: random shift of up to this many pixels, 0 for none
     * @param elasticAlpha training augmentation: scale of an elastic distortion, 0 for none
     * @param elasticSigma smoothing of the elastic displacement field
     */
    public record Coding(int bins, BatchForm input, String spikeCoding, int shift, double elasticAlpha, double elasticSigma) {

        /** @throws IllegalArgumentException for bins, spike coding or distortion out of range */
        public Coding {
            new LatencyEncoder(bins);
            SpikeCoding.parse(spikeCoding);
            new ImageDistortion(shift, elasticAlpha, elasticSigma);
        }

        /** The coding for the training data without augmentation (the test digits are never distorted). */
        Coding undistorted() {
            return new Coding(bins, input, spikeCoding, 0, 0, elasticSigma);
        }
    }

    /**
     * The digits of a run: those trained on, those validated on after every epoch, and those tested on at the end. The
     * validation digits are held out of the training file (see {@link #load}), never taken from the test file.
     *
     * @param train      the digits trained on
     * @param validation the held-out training digits validated on, empty for no validation
     * @param test       the test digits, used only for the final test
     */
    public record Splits(MnistDigits train, Optional<MnistDigits> validation, MnistDigits test) {

        /** Refuses a null component, naming it. */
        public Splits {
            Objects.requireNonNull(train, "train is null");
            Objects.requireNonNull(validation, "validation is null");
            Objects.requireNonNull(test, "test is null");
        }

        /** Number of validation digits, 0 for none. */
        public int validationSize() {
            return validation.map(MnistDigits::size).orElse(0);
        }
    }

    private final IdxImages images;
    private final LatencyCodedImages coded;
    private final LatencyEncoder encoder;

    /** @param labels one per image (a count mismatch is refused) */
    private MnistDigits(IdxImages images, int[] labels, Coding coding) {
        this.images = images;
        this.encoder = new LatencyEncoder(coding.bins());
        this.coded = new LatencyCodedImages(images, labels, CLASSES, encoder)
                .withBatchForm(coding.input())
                .withTrainingDistortion(new ImageDistortion(coding.shift(), coding.elasticAlpha(), coding.elasticSigma()))
                .withCoding(SpikeCoding.parse(coding.spikeCoding()));
    }

    /**
     * Loads the four files of {@code dir} with {@code loader} and splits them into the digits of a run.
     *
     * <h2>Which digits</h2>
     * The last {@code validationCount} digits of the training file are held out for validation: they are never trained
     * on, and the test file is never used for validation. The digits trained on are the first {@code trainLimit} of the
     * rest ({@code null}: all of it), so a limit counts digits trained on, and the held-out digits are the same for every
     * limit and every seed. The test digits are the first {@code testLimit} of the test file ({@code null}: all); only the
     * training digits are augmented.
     *
     * @param validationCount digits held out of the training file for validation, 0 for none
     * @throws IOException              when the files cannot be read
     * @throws IllegalArgumentException naming {@code --validation-limit}, {@code --train-limit} or {@code --test-limit}
     *                                  when the limits leave no digit to train on or ask for more digits than there are
     */
    public static Splits load(Loader loader, Path dir, Integer trainLimit, int validationCount, Integer testLimit, Coding coding)
            throws IOException {
        Mnist mnist = loader.load(dir);
        IdxImages all = mnist.trainImages();
        int trainable = trainable(all.count(), trainLimit, validationCount);
        IdxImages train = range(all, 0, trainLimit == null ? trainable : trainLimit);
        IdxImages test = first("--test-limit", "test", mnist.testImages(), testLimit);
        Optional<MnistDigits> validation = validationCount == 0 ? Optional.empty()
                : Optional.of(new MnistDigits(range(all, trainable, all.count()),
                Arrays.copyOfRange(mnist.trainLabels(), trainable, all.count()), coding.undistorted()));
        return new Splits(new MnistDigits(train, Arrays.copyOf(mnist.trainLabels(), train.count()), coding), validation,
                new MnistDigits(test, Arrays.copyOf(mnist.testLabels(), test.count()), coding.undistorted()));
    }

    /**
     * How many digits of a training file of {@code size} are left to train on when its last {@code validationCount} are
     * held out, checked against {@code trainLimit}.
     *
     * @throws IllegalArgumentException naming the option when nothing is left to train on or the limit asks for more
     */
    static int trainable(int size, Integer trainLimit, int validationCount) {
        if (validationCount < 0) {
            throw new IllegalArgumentException("--validation-limit = " + validationCount + ", expected >= 0 (0 for no validation)");
        }
        if (validationCount >= size) {
            throw new IllegalArgumentException("--validation-limit = " + validationCount + " would hold out all " + size
                    + " training digits for validation and leave none to train on; give at most " + (size - 1) + " (0 for no validation)");
        }
        int left = size - validationCount;
        if (trainLimit != null && trainLimit > left) {
            throw new IllegalArgumentException("--train-limit = " + trainLimit + ", but the training set has only " + size + " digits"
                    + (validationCount == 0 ? "" : ", and --validation-limit = " + validationCount + " holds out the last " + validationCount
                    + " for validation, so at most " + left + " are left to train on; lower --train-limit or --validation-limit"));
        }
        return left;
    }

    /**
     * The training digits of {@code dir} (its training images and labels only), as sparse pulse-coded events over
     * {@code bins} steps.
     *
     * @throws NoSuchFileException      naming the missing file or directory and how to fetch MNIST
     * @throws IOException              when a file cannot be read
     * @throws IllegalArgumentException when the images and labels do not fit together
     */
    public static MnistDigits trainingDigits(Path dir, int bins) throws IOException {
        IdxImages images = IdxReader.readImages(trainingFile(dir, TRAIN_IMAGES));
        int[] labels = IdxReader.readLabels(trainingFile(dir, TRAIN_LABELS));
        return new MnistDigits(images, labels, new Coding(bins, BatchForm.SPARSE, "pulse", 0, 0, 4));
    }

    /** {@code dir/baseName} (raw or .gz), or a {@link NoSuchFileException} saying how to fetch it. */
    private static Path trainingFile(Path dir, String baseName) throws IOException {
        Path file = Mnist.locate(dir, baseName);
        if (file == null) {
            String where = Files.isDirectory(dir) ? baseName + "[.gz] is missing in " + dir
                    : "directory " + dir + (Files.exists(dir) ? " is not a directory" : " does not exist");
            throw new NoSuchFileException(dir.toString(), null, where + ". Run scripts/fetch-mnist " + dir + " to fetch MNIST");
        }
        return file;
    }

    /** Images {@code from .. to - 1} of {@code images} (itself when that is all of them). */
    private static IdxImages range(IdxImages images, int from, int to) {
        if (from == 0 && to == images.count()) {
            return images;
        }
        int size = images.pixelsPerImage();
        return new IdxImages(to - from, images.rows(), images.cols(), Arrays.copyOfRange(images.pixels(), from * size, to * size));
    }

    /** The first {@code limit} images (all when {@code limit} is null). */
    private static IdxImages first(String option, String set, IdxImages images, Integer limit) {
        if (limit == null || limit == images.count()) {
            return images;
        }
        if (limit > images.count()) {
            throw new IllegalArgumentException(option + " = " + limit + ", but the " + set + " set has only " + images.count() + " digits");
        }
        return range(images, 0, limit);
    }

    /** Number of digits. */
    public int size() {
        return coded.size();
    }

    /** Inputs per step: {@code rows x cols}. */
    public int inputSize() {
        return coded.inputSize();
    }

    /** Image height in pixels. */
    public int rows() {
        return images.rows();
    }

    /** Image width in pixels. */
    public int cols() {
        return images.cols();
    }

    /** The digits as a training source (shuffled each epoch, augmented if the coding says so; resumable from checkpoints). */
    public BatchSource source() {
        return coded;
    }

    /** Digits {@code from .. to - 1} as one batch, undistorted. */
    public SequenceBatch batch(int from, int to) {
        return coded.batch(from, to);
    }

    /** The label of digit {@code i}. */
    public int label(int i) {
        return coded.label(i);
    }

    /** The step (1-based) at which each pixel of digit {@code i} fires, 0 for never. */
    public int[] spikeSteps(int i) {
        return encoder.spikeSteps(images.intensities(i));
    }

    /** The training augmentation in words, or {@code null} for none. */
    public String distortion() {
        ImageDistortion d = coded.trainingDistortion();
        return d == null ? null : d.toString();
    }

    /** The spike coding's name in lower case: {@code pulse} or {@code held}. */
    public String spikeCoding() {
        return coded.coding().name().toLowerCase(Locale.ROOT);
    }

    /**
     * The first {@code count} digits as batches of {@code rowsPerBatch} rows, each built (encoded) when asked for and not
     * kept, so that a validation or test set costs no memory between uses.
     */
    public List<SequenceBatch> batches(int count, int rowsPerBatch) {
        return new LazyBatches(count, rowsPerBatch);
    }

    private final class LazyBatches extends AbstractList<SequenceBatch> {
        private final int count;
        private final int rowsPerBatch;

        LazyBatches(int count, int rowsPerBatch) {
            this.count = count;
            this.rowsPerBatch = rowsPerBatch;
        }

        @Override
        public SequenceBatch get(int index) {
            if (index < 0 || index >= size()) {
                throw new IndexOutOfBoundsException("batch " + index + " of " + size());
            }
            int from = index * rowsPerBatch;
            return coded.batch(from, Math.min(count, from + rowsPerBatch));
        }

        @Override
        public int size() {
            return (count + rowsPerBatch - 1) / rowsPerBatch;
        }
    }
}
