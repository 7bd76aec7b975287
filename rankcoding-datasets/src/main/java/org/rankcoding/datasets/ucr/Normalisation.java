package org.rankcoding.datasets.ucr;

import java.util.Locale;

/**
 * The choice of normalisation for time series, by name (for command-line options such as
 * {@code --normalise train|causal|none}): each makes a {@link SeriesNormaliser} from the training set.
 */
public enum Normalisation {

    /** Per-channel mean and standard deviation of the training set: {@link TrainChannelStatistics}. */
    TRAIN("train") {
        @Override
        public SeriesNormaliser fit(TimeSeriesSet train) {
            return TrainChannelStatistics.fit(train);
        }
    },

    /** Running statistics of each series' own prefix: {@link CausalStandardiser} with its defaults. */
    CAUSAL("causal") {
        @Override
        public SeriesNormaliser fit(TimeSeriesSet train) {
            return new CausalStandardiser();
        }
    },

    /** The values as in the file. */
    NONE("none") {
        @Override
        public SeriesNormaliser fit(TimeSeriesSet train) {
            return series -> series;
        }
    };

    /**
     * The default: {@link #TRAIN}. Measured on validation splits taken from the training files only (30% of each
     * class, 5 seeds, the same small LSTM and fixed threshold for all three choices, on GunPoint, ItalyPowerDemand,
     * BasicMotions and JapaneseVowels), training-set statistics gave the best mean harmonic mean of accuracy and
     * earliness (0.55, against 0.50 without normalisation and 0.43 with causal per-series normalisation); causal
     * per-series normalisation lost most where a series' level carries the class (JapaneseVowels: 0.56 against 0.91).
     */
    public static final Normalisation DEFAULT = TRAIN;

    private final String optionValue;

    Normalisation(String optionValue) {
        this.optionValue = optionValue;
    }

    /**
     * Makes the normaliser, fitting it (where it fits anything) on the training set only.
     *
     * @param train the training series; never validation or test data
     * @return the normaliser, to apply to training, validation and test series alike
     */
    public abstract SeriesNormaliser fit(TimeSeriesSet train);

    /** The name on the command line: {@code train}, {@code causal} or {@code none}. */
    public String optionValue() {
        return optionValue;
    }

    /**
     * The normalisation named {@code value} (case-insensitive).
     *
     * @param value {@code train}, {@code causal} or {@code none}
     * @return the normalisation
     * @throws IllegalArgumentException for any other value, listing the allowed ones
     */
    public static Normalisation parse(String value) {
        for (Normalisation n : values()) {
            if (n.optionValue.equals(value == null ? null : value.toLowerCase(Locale.ROOT))) {
                return n;
            }
        }
        throw new IllegalArgumentException("normalisation '" + value + "' is unknown, expected train (per-channel statistics of"
                + " the training set), causal (running statistics of each series' prefix) or none");
    }
}
