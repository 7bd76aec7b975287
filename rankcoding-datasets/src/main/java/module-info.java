/**
 * Data sets for rank-coded networks, served through the generic data API of {@code org.rankcoding}
 * ({@link org.rankcoding.data.BatchSource}, {@link org.rankcoding.data.SequenceBatch},
 * {@link org.rankcoding.data.InMemorySequences}): one package per file format or family of data sets.
 *
 * <ul>
 *   <li>{@link org.rankcoding.datasets.idx}: IDX files, raw or gzip-compressed, read strictly and bounded.</li>
 *   <li>{@link org.rankcoding.datasets.mnist}: the MNIST digits from their four standard IDX files.</li>
 *   <li>{@link org.rankcoding.datasets.latency}: images as latency-coded spike sequences (temporal MNIST), pulse or
 *       held, with distortion of the training images.</li>
 *   <li>{@link org.rankcoding.datasets.ucr}: time series of the UCR/UEA archive in the {@code .ts} format, with
 *       normalisation that never looks into a series' future.</li>
 * </ul>
 *
 * <p>New loaders (event cameras, ...) go into a package of
 * their own here, and produce core's types; the core module stays free of file formats and data sets.
 */
module org.rankcoding.datasets {
    requires transitive org.rankcoding;

    exports org.rankcoding.datasets.idx;
    exports org.rankcoding.datasets.mnist;
    exports org.rankcoding.datasets.latency;
    exports org.rankcoding.datasets.ucr;
}
