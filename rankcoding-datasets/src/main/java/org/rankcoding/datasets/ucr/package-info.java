/**
 * Time series of the UCR/UEA classification archive in the {@code .ts} format of sktime and aeon.
 *
 * <ul>
 *   <li>{@link org.rankcoding.datasets.ucr.TsReader} reads a {@code .ts} file (univariate or multivariate, equal or
 *       variable length, missing values as {@code ?}) strictly and within {@link org.rankcoding.datasets.ucr.TsLimits}
 *       into a {@link org.rankcoding.datasets.ucr.TimeSeriesSet}; every defect is a
 *       {@link org.rankcoding.datasets.ucr.TsFormatException} naming the file, the line and the field.
 *       {@link org.rankcoding.datasets.ucr.UcrDataset#load} reads both files of a data set's given split and checks
 *       that they describe one problem.</li>
 *   <li>{@link org.rankcoding.datasets.ucr.Normalisation} chooses a normalisation that never looks into a series'
 *       future: {@link org.rankcoding.datasets.ucr.TrainChannelStatistics} (per channel, fitted on the training set
 *       only) or {@link org.rankcoding.datasets.ucr.CausalStandardiser} (each series' running prefix statistics).</li>
 *   <li>{@link org.rankcoding.datasets.ucr.TimeSeriesSet#toSequences} converts to the core's
 *       {@link org.rankcoding.data.InMemorySequences}, filling missing values by a
 *       {@link org.rankcoding.datasets.ucr.MissingValues} policy.</li>
 * </ul>
 *
 * <p>Typical use, with statistics taken from the training file only:
 * <pre>{@code
 * UcrDataset gunPoint = UcrDataset.load(Path.of("ucr/GunPoint"));   // GunPoint_TRAIN.ts and GunPoint_TEST.ts
 * SeriesNormaliser norm = Normalisation.TRAIN.fit(gunPoint.train());
 * InMemorySequences train = norm.apply(gunPoint.train()).toSequences(MissingValues.CARRY_FORWARD);
 * InMemorySequences test = norm.apply(gunPoint.test()).toSequences(MissingValues.CARRY_FORWARD);
 * }</pre>
 *
 * <p>This package belongs to the module {@code rankcoding-datasets}, the home of the project's data-set loaders: one
 * package per file format or family of data sets, each producing the generic data API of {@code org.rankcoding.data}.
 */
package org.rankcoding.datasets.ucr;
