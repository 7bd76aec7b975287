/**
 * The MNIST digits: {@link org.rankcoding.datasets.mnist.Mnist#load} reads the four standard IDX files (raw or
 * {@code .gz}) of a directory that {@code scripts/fetch-mnist} filled, checking their sizes and labels.
 *
 * <p>This package belongs to the module {@code rankcoding-datasets}, the home of the project's data-set loaders: one
 * package per file format or family of data sets, each producing the generic data API of {@code org.rankcoding.data}
 * (a new loader, for example of the UCR archive's {@code .ts} time series, goes into a package of its own there).
 */
package org.rankcoding.datasets.mnist;
