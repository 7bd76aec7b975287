/**
 * Images as latency-coded spike sequences (temporal MNIST): {@link org.rankcoding.datasets.latency.LatencyEncoder}
 * turns intensities into spike steps, brightest first; {@link org.rankcoding.datasets.latency.LatencyCodedImages}
 * serves a stack of images as a resumable {@link org.rankcoding.data.BatchSource} of sparse (or dense) binary batches,
 * in either {@link org.rankcoding.datasets.latency.SpikeCoding}, with an optional
 * {@link org.rankcoding.datasets.latency.ImageDistortion} of the training images drawn afresh each time an image is
 * served. The rasters are core's {@link org.rankcoding.data.SparseSpikes}.
 *
 * <p>This package belongs to the module {@code rankcoding-datasets}, the home of the project's data-set loaders: one
 * package per file format or family of data sets, each producing the generic data API of {@code org.rankcoding.data}
 * (a new loader, for example of the UCR archive's {@code .ts} time series, goes into a package of its own there).
 */
package org.rankcoding.datasets.latency;
