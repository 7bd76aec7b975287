package org.rankcoding.audio.augment;

import org.rankcoding.audio.AudioClip;
import org.rankcoding.audio.DataSplit;
import org.rankcoding.audio.FeatureNormalizer;
import org.rankcoding.audio.LogMelConfig;
import org.rankcoding.audio.FrontEndConfig;
import org.rankcoding.audio.FrontEndStream;
import org.rankcoding.audio.MelFilterBank;
import org.rankcoding.audio.VtlpFilterBanks;
import org.rankcoding.audio.VtlpWarp;
import org.rankcoding.audio.SpeechCommands;
import org.rankcoding.audio.WavReader;
import org.rankcoding.data.DataChecksum;
import org.rankcoding.data.EpochOrder;
import org.rankcoding.data.EpochSource;
import org.rankcoding.data.SequenceBatch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

/**
 * Training batches made on the fly from raw clips, each clip augmented anew every time it is served: the way a keyword
 * spotter learns to hear voices, rooms and microphones it never heard. Use it for training only; validate and test on
 * the plain features ({@link org.rankcoding.audio.SpeechCommandsFeatures}), standardised with the same
 * {@link FeatureNormalizer}.
 *
 * <h2>Per batch</h2>
 * The rows are the next clips of a shuffled epoch ({@link EpochOrder}: the epoch's order is drawn from the generator
 * when an epoch starts). Then each row goes through the steps below. The random numbers come from the generator passed
 * to {@link #nextBatch}, after the order's own draws: every row's, row by row and step by step in this order, before
 * any row is computed (no draw depends on a clip's samples), so that the rows can be computed on several threads
 * ({@link #parallelism}) with the same result:
 * <ol>
 *   <li>a rejection item may be spliced with another clip of its class ({@link #spliceFragments}, off by default: no
 *   draw);</li>
 *   <li>the clip's samples are augmented ({@link WaveformAugmenter}: speed, pitch, shift, reverberation, noise, gain,
 *   with its draws);</li>
 *   <li>turned into frames by the front end ({@link FrontEndStream}: mel energies through a filter bank warped by a
 *   factor drawn from the VTLP grid ({@link VtlpFilterBanks#draw}, one draw; none for {@link VtlpWarp#NONE}),
 *   compressed (log or PCEN) and normalised (training-set statistics, or causally per clip));</li>
 *   <li>masked ({@link SpecAugment}, with its draws).</li>
 * </ol>
 * Every row has the same length (the frames of one clip, 98 for 1 s at 16 kHz with the defaults), so the batch is
 * dense with no padding. With {@link WaveformAugmentation#NONE}, {@link VtlpWarp#NONE} and {@link SpecAugment#NONE} nothing is drawn besides
 * the epoch order, and the batches are bit-identical to those of an {@link org.rankcoding.data.InMemorySequences} over
 * the clips' plain standardised features given the same generator.
 *
 * <h2>Position and data</h2>
 * As an {@link EpochSource}: {@link #savePosition()}, {@link #restorePosition} and {@link #reset()} are the epoch
 * order's, so a run resumed from a checkpoint serves exactly the batches the uninterrupted run would have (the
 * augmentation's numbers come from the trainer's generator, which the checkpoint saves). The {@link #fingerprint()}
 * names the clips' checksum, the front end, the normaliser, the augmentations (the splicing only when on) and the noise recordings, so a
 * checkpoint cannot be resumed on other data or with another augmentation.
 *
 * <h2>Cost and threads</h2>
 * Memory: the clips as 16-bit samples ({@link ClipSet}: 32 KB per 1 s clip, about what their plain features take).
 * Time: the augmentation and the features of every row of every batch, on the calling thread and, with
 * {@link #parallelism}, on as many more threads as asked for, which live for one batch; with
 * {@link WaveformAugmentation#typical()} and {@link SpecAugment#typical()} about four times the features' cost alone
 * (a few milliseconds per 1 s clip on a 2-core machine). The scratch buffers and the rows' draws are reused from batch
 * to batch; only the batch itself (and, with more than one thread, the batch's threads) is allocated. Not thread-safe:
 * one thread calls it.
 */
public final class AugmentedClipSource implements EpochSource {

    /** The most threads {@link #parallelism} takes. */
    public static final int MAX_THREADS = 1024;

    private final ClipSet clips;
    private final FrontEndConfig frontEndConfig;
    private final FeatureNormalizer normalizer;
    private final VtlpFilterBanks banks;
    private final int hop;
    private final int bands;
    private final WaveformAugmenter augmenter;
    private final SpecAugment specAugment;
    private final EpochOrder epochs;
    private final int frames;
    /** One per thread, the first on the calling thread; grown by {@link #parallelism}. */
    private RowWorker[] workers;
    /** The draws of the current batch's rows, reused from batch to batch. */
    private RowDraws[] draws = new RowDraws[0];
    private FragmentSplicing splicing = FragmentSplicing.NONE;
    private int[] partners = new int[0];
    private String fingerprint;

    /**
     * @param clips       the training clips
     * @param frontEndConfig the front end; its sample rate must be the clips'
     * @param normalizer  the per-band statistics (fitted on the plain training features), one per mel band
     * @param vtlp        the grid of vocal-tract-length warping factors, one drawn per clip ({@link VtlpWarp#NONE}: none)
     * @param augmenter   the waveform augmentation, at the clips' sample rate (owned by this source from now on: it is
     *                    not thread-safe)
     * @param specAugment the masks applied to the standardised features
     * @throws IllegalArgumentException for sample rates that differ, a normaliser of another size, or clips shorter than
     *                                  one analysis window
     */
    public AugmentedClipSource(ClipSet clips, FrontEndConfig frontEndConfig, FeatureNormalizer normalizer, VtlpWarp vtlp,
                               WaveformAugmenter augmenter, SpecAugment specAugment) {
        Objects.requireNonNull(clips, "clips is null");
        Objects.requireNonNull(frontEndConfig, "frontEndConfig is null; use FrontEndConfig.speechCommands() for the defaults");
        Objects.requireNonNull(vtlp, "vtlp is null; use VtlpWarp.NONE for no warping");
        LogMelConfig frontEnd = frontEndConfig.mel();
        Objects.requireNonNull(normalizer, "normalizer is null; fit one on the plain training features (SpeechCommandsFeatures.normalizer())");
        Objects.requireNonNull(augmenter, "augmenter is null; use new WaveformAugmenter(WaveformAugmentation.NONE, rate) for none");
        Objects.requireNonNull(specAugment, "specAugment is null; use SpecAugment.NONE for no masks");
        if (frontEnd.sampleRate() != clips.sampleRate() || augmenter.sampleRate() != clips.sampleRate()) {
            throw new IllegalArgumentException("sample rates differ: clips " + clips.sampleRate() + " Hz, front end "
                    + frontEnd.sampleRate() + " Hz, augmenter " + augmenter.sampleRate() + " Hz; they must be one rate");
        }
        if (normalizer.size() != frontEnd.melBands()) {
            throw new IllegalArgumentException("the normalizer has " + normalizer.size() + " features but the front end "
                    + frontEnd.melBands() + " mel bands; fit the normalizer on features of this front end");
        }
        this.frames = frontEnd.frames(clips.length());
        if (frames < 1) {
            throw new IllegalArgumentException("clips of " + clips.length() + " samples are shorter than one window of "
                    + frontEnd.windowLength() + " samples; they give no frame");
        }
        this.clips = clips;
        this.frontEndConfig = frontEndConfig;
        this.normalizer = normalizer;
        this.banks = new VtlpFilterBanks(frontEnd, vtlp);
        this.hop = frontEnd.hopLength();
        this.augmenter = augmenter;
        this.specAugment = specAugment;
        this.epochs = new EpochOrder(clips.size());
        this.workers = new RowWorker[] {new RowWorker(augmenter)};
        this.bands = workers[0].frontEnd.bands();
    }

    /**
     * The training source of one split of a Speech Commands data set: its clips read with {@link WavReader} (padded or
     * cut to 1 s) and, when the augmentation adds noise, the data set's {@link SpeechCommands#backgroundNoiseFiles()}.
     *
     * @param data        the data set
     * @param split       the split to serve (normally {@link DataSplit#TRAINING})
     * @param frontEnd    the front end
     * @param normalizer  the per-band statistics (normally {@code data.load(frontEnd, threads).normalizer()})
     * @param vtlp        the grid of vocal-tract-length warping factors ({@link VtlpWarp#NONE}: none)
     * @param waveform    the waveform augmentation
     * @param specAugment the masks
     * @throws IOException              for a clip or noise file that cannot be read or has another sample rate
     * @throws IllegalArgumentException for an empty split, an augmentation that adds noise to a data set without
     *                                  noise recordings, or the constructor's refusals
     */
    public static AugmentedClipSource fromSplit(SpeechCommands data, DataSplit split, FrontEndConfig frontEnd,
                                                FeatureNormalizer normalizer, VtlpWarp vtlp, WaveformAugmentation waveform,
                                                SpecAugment specAugment) throws IOException {
        Objects.requireNonNull(data, "data is null");
        Objects.requireNonNull(split, "split is null");
        Objects.requireNonNull(frontEnd, "frontEnd is null; use FrontEndConfig.speechCommands() for the defaults");
        Objects.requireNonNull(waveform, "waveform is null; use WaveformAugmentation.NONE for none");
        var splitClips = data.clips(split);
        if (splitClips.isEmpty()) {
            throw new IllegalArgumentException("the " + split.name().toLowerCase(Locale.ROOT) + " split of " + data.root()
                    + " has no clips of the words " + data.words());
        }
        int rate = frontEnd.mel().sampleRate();
        List<AudioClip> noises = new ArrayList<>();
        if (waveform.usesNoise()) {
            if (data.backgroundNoiseFiles().isEmpty()) {
                throw new IllegalArgumentException("noiseProbability = " + waveform.noiseProbability() + " but " + data.root()
                        + " has no " + SpeechCommands.BACKGROUND_NOISE + "/*.wav files; add noise recordings there or set "
                        + "noiseProbability to 0");
            }
            for (Path f : data.backgroundNoiseFiles()) {
                noises.add(WavReader.read(f, rate));
            }
        }
        ClipSet clips = ClipSet.read(splitClips, data.words().size(), rate);
        return new AugmentedClipSource(clips, frontEnd, normalizer, vtlp, new WaveformAugmenter(waveform, rate, noises), specAugment);
    }

    /** Number of clips. */
    public int size() {
        return clips.size();
    }

    /** The waveform augmentation. */
    public WaveformAugmentation waveformAugmentation() {
        return augmenter.augmentation();
    }

    /** The masks. */
    public SpecAugment specAugment() {
        return specAugment;
    }

    /** The splicing of rejection items ({@link FragmentSplicing#NONE} unless {@link #spliceFragments} set one). */
    public FragmentSplicing fragmentSplicing() {
        return splicing;
    }

    /**
     * Makes rejection items of word fragments from now on: each item of {@code splicing.label()} is, with its
     * probability, spliced with another clip of that label before the waveform augmentation ({@link FragmentSplicing}).
     * Set it before the first batch: the fingerprint names it, so a checkpoint cannot be resumed with another splicing.
     *
     * @param splicing the splicing ({@link FragmentSplicing#NONE}: none, the default)
     * @return this source
     * @throws IllegalArgumentException when splicing is on and no clip has its label (the message names the label and
     *                                  the class count), or the clips are shorter than 2 samples
     */
    public AugmentedClipSource spliceFragments(FragmentSplicing splicing) {
        Objects.requireNonNull(splicing, "splicing is null; use FragmentSplicing.NONE for none");
        int[] found = new int[0];
        if (!splicing.isNone()) {
            found = IntStream.range(0, clips.size()).filter(i -> clips.label(i) == splicing.label()).toArray();
            if (found.length == 0) {
                throw new IllegalArgumentException("fragment splicing of class " + splicing.label() + ", but none of the "
                        + clips.size() + " clips (" + clips.numClasses() + " classes) has that label; give the rejection "
                        + "class of the task (1, _unknown_, in the 12-class task)");
            }
            if (clips.length() < 2) {
                throw new IllegalArgumentException("fragment splicing needs clips of at least 2 samples, these have "
                        + clips.length());
            }
        }
        this.splicing = splicing;
        this.partners = found;
        this.fingerprint = null;
        return this;
    }

    /**
     * Computes each batch's rows on up to {@code threads} threads from now on (the calling thread is the first; the
     * others live for one batch). The batches are bit-identical for every thread count: the random numbers of all rows
     * are drawn first, in row order on the calling thread, and a row's computation depends only on its clip and its
     * draws. Each further thread holds the scratch of one row (a waveform augmenter, a front end, a clip and its
     * features).
     *
     * @param threads in [1, {@value #MAX_THREADS}] (default 1; typically the trainer's thread count)
     * @return this source
     * @throws IllegalArgumentException for a count out of range
     */
    public AugmentedClipSource parallelism(int threads) {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads = " + threads + ", expected in [1, " + MAX_THREADS
                    + "] (typically the trainer's thread count)");
        }
        RowWorker[] w = Arrays.copyOf(workers, threads);
        for (int i = workers.length; i < threads; i++) {
            w[i] = new RowWorker(augmenter.copy());
        }
        workers = w;
        return this;
    }

    /** Threads each batch's rows are computed on. */
    public int parallelism() {
        return workers.length;
    }

    @Override
    public int inputSize() {
        return bands;
    }

    @Override
    public int numClasses() {
        return clips.numClasses();
    }

    @Override
    public SequenceBatch nextBatch(int maxRows, RandomGenerator rng) {
        Objects.requireNonNull(rng, "rng is null");
        int rows = epochs.take(maxRows, rng);
        if (draws.length < rows) {
            int have = draws.length;
            draws = Arrays.copyOf(draws, rows);
            for (int r = have; r < rows; r++) {
                draws[r] = new RowDraws(specAugment.drawCount());
            }
        }
        // every draw of every row first, in row order: the same numbers for any thread count
        for (int r = 0; r < rows; r++) {
            RowDraws d = draws[r];
            d.clip = epochs.order()[epochs.start() + r];
            d.splice[0] = -1;
            if (!splicing.isNone() && clips.label(d.clip) == splicing.label()) {
                splicing.draw(partners, clips.length(), rng, d.splice);
            }
            augmenter.draw(clips.length(), rng, d.wave);
            d.bank = banks.draw(rng);
            specAugment.draw(frames, bands, rng, d.masks);
        }
        double[] inputs = new double[frames * rows * bands];
        int[] lengths = new int[rows];
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            lengths[r] = frames;
            labels[r] = clips.label(draws[r].clip);
        }
        int used = Math.min(workers.length, rows);
        AtomicInteger next = new AtomicInteger();
        if (used <= 1) {
            computeRows(workers[0], next, rows, inputs);
        } else {
            computeInParallel(used, next, rows, inputs);
        }
        return new SequenceBatch(rows, frames, bands, inputs, lengths, labels, clips.numClasses(), null);
    }

    /** The rows of a batch on {@code used} threads, the calling thread one of them; any failure is rethrown here. */
    private void computeInParallel(int used, AtomicInteger next, int rows, double[] inputs) {
        ExecutorService pool = Executors.newFixedThreadPool(used - 1, r -> {
            Thread t = new Thread(r, "rankcoding-augment");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>(used - 1);
            for (int i = 1; i < used; i++) {
                RowWorker w = workers[i];
                futures.add(pool.submit(() -> computeRows(w, next, rows, inputs)));
            }
            computeRows(workers[0], next, rows, inputs);
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while augmenting a batch", e);
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException re) {
                        throw re;
                    }
                    if (cause instanceof Error error) {
                        throw error;
                    }
                    throw new IllegalStateException("augmentation worker failed", cause);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Takes the next row not yet taken until none is left, each computed with {@code w}'s scratch. */
    private void computeRows(RowWorker w, AtomicInteger next, int rows, double[] inputs) {
        for (int r = next.getAndIncrement(); r < rows; r = next.getAndIncrement()) {
            w.compute(draws[r], r, rows, inputs);
        }
    }

    /** The random numbers of one row of a batch. */
    private static final class RowDraws {
        int clip;
        /** The partner clip ({@code -1}: not spliced) and the offset. */
        final int[] splice = {-1, 0};
        final WaveformDraws wave = new WaveformDraws();
        MelFilterBank bank;
        final int[] masks;

        RowDraws(int maskValues) {
            masks = new int[maskValues];
        }
    }

    /** One thread's scratch for computing rows: confined to one thread during a batch. */
    private final class RowWorker {
        final WaveformAugmenter augmenter;
        final FrontEndStream frontEnd;
        final float[] wave;
        final float[] partnerWave;
        final double[] features;

        RowWorker(WaveformAugmenter augmenter) {
            this.augmenter = augmenter;
            this.frontEnd = new FrontEndStream(frontEndConfig, normalizer);
            this.wave = new float[clips.length()];
            this.partnerWave = new float[clips.length()];
            this.features = new double[frames * frontEndConfig.mel().melBands()];
        }

        /** Row {@code r} of a batch of {@code rows}: splice, waveform augmentation, front end, masks, into the inputs. */
        void compute(RowDraws d, int r, int rows, double[] inputs) {
            clips.decode(d.clip, wave);
            if (d.splice[0] >= 0) {
                clips.decode(d.splice[0], partnerWave);
                FragmentSplicing.splice(wave, clips.length(), partnerWave, d.splice[1]);
            }
            augmenter.apply(wave, d.wave);
            frontEnd.reset();
            for (int t = 0; t < frames; t++) {
                frontEnd.nextFrame(wave, t * hop, d.bank, features, t * bands);
            }
            specAugment.apply(features, frames, bands, d.masks);
            for (int t = 0; t < frames; t++) {
                System.arraycopy(features, t * bands, inputs, (t * rows + r) * bands, bands);
            }
        }
    }

    @Override
    public EpochOrder epochOrder() {
        return epochs;
    }

    /**
     * {@code "N clips of S samples at R Hz in C classes (checksum X), front end ..., normalizer (checksum Y), waveform
     * augmentation (...), noise ..., SpecAugment (...)"}; computed once, at the first call.
     */
    @Override
    public Optional<String> fingerprint() {
        if (fingerprint == null) {
            String stats = new DataChecksum().add(normalizer.mean()).add(normalizer.std()).hex();
            fingerprint = String.format(Locale.ROOT, "%d clips of %d samples at %d Hz in %d classes (checksum %s), front end %s,"
                            + " normalizer (checksum %s), waveform augmentation (%s), %s, VTLP %s, SpecAugment (%s)", clips.size(),
                    clips.length(), clips.sampleRate(), clips.numClasses(), clips.checksum(), frontEndConfig, stats,
                    augmenter.augmentation(), augmenter.noiseDescription(), banks.warp(), specAugment);
            if (!splicing.isNone()) {
                fingerprint += ", fragment splicing (" + splicing + ")";
            }
        }
        return Optional.of(fingerprint);
    }

    /** What messages call this source: its class and size. */
    @Override
    public String toString() {
        return "AugmentedClipSource of " + size() + " clips";
    }
}
