package org.rankcoding.examples.cli;

import org.rankcoding.data.Augmentation;
import org.rankcoding.data.AugmentedSource;
import org.rankcoding.data.BatchSource;
import org.rankcoding.data.LabeledSequence;
import org.rankcoding.data.StratifiedSplit;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Optional;

/**
 * Options of training commands over a small in-memory training set (a picocli mixin): a stratified validation split
 * taken from the training set ({@code --validation-fraction}) and time-series augmentation of the training batches
 * ({@code --crop}, {@code --slice}, {@code --jitter}, {@code --scaling}, {@code --warp-window}, {@code --warp-factor}). A command that includes it calls
 * {@link #split} on its training sequences and {@link #augment} on its training source; the ranges are checked by
 * {@link #check} (the fraction) and by the library's {@link Augmentation} (the others).
 */
public final class SmallDataOptions {

    @Range(min = 0, max = 1, below = true, note = "0 for no validation split")
    @Option(names = "--validation-fraction", defaultValue = "0", paramLabel = "F",
            description = "Take this fraction of each class of the training set, in (0, 1), for validation (stratified, chosen "
                    + "by --seed; at least one per class of two or more series); 0 for none (default: ${DEFAULT-VALUE}).")
    double validationFraction;

    @Range(min = 0, max = 100, note = "0 for none")
    @Option(names = "--jitter", defaultValue = "0", paramLabel = "SIGMA",
            description = "Augmentation: add Gaussian noise of standard deviation SIGMA to every training value "
                    + "(default: ${DEFAULT-VALUE}, none).")
    double jitter;

    @Range(min = 0, max = 100, note = "0 for none")
    @Option(names = "--scaling", defaultValue = "0", paramLabel = "SIGMA",
            description = "Augmentation: multiply each training series' channels by factors 1 + SIGMA x N(0, 1) "
                    + "(default: ${DEFAULT-VALUE}, none).")
    double scaling;

    @Range(min = 0, max = 1, below = true, note = "0 for none")
    @Option(names = "--warp-window", defaultValue = "0", paramLabel = "FRACTION",
            description = "Augmentation: stretch or squeeze a random window of FRACTION of each training series' length by "
                    + "--warp-factor, the length kept; in [0, 1) (default: ${DEFAULT-VALUE}, none).")
    double warpWindow;

    @Range(min = 1, max = 100, above = true)
    @Option(names = "--warp-factor", defaultValue = "2", paramLabel = "FACTOR",
            description = "With --warp-window: the window is stretched by FACTOR or squeezed by 1/FACTOR, > 1 "
                    + "(default: ${DEFAULT-VALUE}).")
    double warpFactor;

    @Range(min = 0, max = 1, above = true, note = "1 for none")
    @Option(names = "--slice", defaultValue = "1", paramLabel = "FRACTION",
            description = "Augmentation: window slicing, a random window of FRACTION of each training series' length "
                    + "stretched to the whole length (so a series starts at a random offset), in (0, 1] (default: "
                    + "${DEFAULT-VALUE}, none).")
    double slice;

    @Range(min = 0, max = 1, below = true, note = "0 for none")
    @Option(names = "--crop", defaultValue = "0", paramLabel = "FRACTION",
            description = "Augmentation: drop a random number of steps, up to FRACTION of each training series' length, from "
                    + "its start, the rest kept at its time scale (so a series starts at a random point), in [0, 1) "
                    + "(default: ${DEFAULT-VALUE}, none).")
    double crop;

    /**
     * Checks the options (before any data is read).
     *
     * @throws IllegalArgumentException for a bad augmentation value (the numbers are in their declared ranges, {@link OptionBounds})
     */
    public void check() {
        augmentation();
    }

    /** The augmentation the options describe (possibly {@link Augmentation#NONE}'s settings). */
    public Augmentation augmentation() {
        return new Augmentation(jitter, scaling, warpWindow, warpFactor, slice, crop);
    }

    /**
     * The stratified split of {@code training} that {@code --validation-fraction} asks for, chosen by {@code seed}; empty
     * for a fraction of 0.
     */
    public Optional<StratifiedSplit> split(List<LabeledSequence> training, long seed) {
        check();
        return validationFraction == 0 ? Optional.empty() : Optional.of(StratifiedSplit.of(training, validationFraction, seed));
    }

    /** {@code source} augmented as the options say, or {@code source} itself when they ask for nothing. */
    public BatchSource augment(BatchSource source) {
        Augmentation a = augmentation();
        return a.isNone() ? source : new AugmentedSource(source, a);
    }
}
