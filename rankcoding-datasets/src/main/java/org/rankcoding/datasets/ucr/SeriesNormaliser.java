package org.rankcoding.datasets.ucr;

import java.util.ArrayList;
import java.util.List;

/**
 * Normalises time series without looking into their future: the value at step {@code t} of the result depends on
 * the series' values at steps up to {@code t} only (and on constants fixed before, such as statistics of the training
 * set), so an early decision at step {@code t} uses nothing the model could not have seen by then.
 *
 * <p>Implementations: {@link TrainChannelStatistics} (per-channel mean and standard deviation of the training set) and
 * {@link CausalStandardiser} (running statistics of each series' own prefix); {@link Normalisation} picks one by name.
 * Missing values (NaN) stay missing; fill them afterwards with {@link MissingValues}.
 */
public interface SeriesNormaliser {

    /**
     * Normalises one series.
     *
     * @param series {@code [channel][step]}, NaN where missing; not modified
     * @return a new array of the same shape, NaN where the input is missing
     * @throws IllegalArgumentException when the series does not fit the normaliser (another number of channels)
     */
    double[][] normalise(double[][] series);

    /**
     * Normalises every series of a set.
     *
     * @param set the series
     * @return a new set with the same name, classes and labels
     * @throws IllegalArgumentException when the set does not fit the normaliser
     */
    default TimeSeriesSet apply(TimeSeriesSet set) {
        List<double[][]> out = new ArrayList<>(set.size());
        for (int i = 0; i < set.size(); i++) {
            out.add(normalise(set.series(i)));
        }
        return set.withSeries(out);
    }
}
