/**
 * IDX files, the format of MNIST and its relatives: {@link org.rankcoding.datasets.idx.IdxReader} reads any IDX file,
 * raw or gzip-compressed (a strict gzip reader checks every member's CRC and length), into an
 * {@link org.rankcoding.datasets.idx.IdxData} or, for unsigned-byte image stacks, an
 * {@link org.rankcoding.datasets.idx.IdxImages}. Every defect of a file's contents is an
 * {@link org.rankcoding.datasets.idx.IdxFormatException} naming the file, the offset and the problem.
 *
 * <p>This package belongs to the module {@code rankcoding-datasets}, the home of the project's data-set loaders: one
 * package per file format or family of data sets, each producing the generic data API of {@code org.rankcoding.data}
 * (a new loader, for example of the UCR archive's {@code .ts} time series, goes into a package of its own there).
 */
package org.rankcoding.datasets.idx;
