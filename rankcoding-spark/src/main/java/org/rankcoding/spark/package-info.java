/**
 * Rank-coded networks on Apache Spark. {@link org.rankcoding.spark.RankCodingClassifier} (a Spark ML
 * {@code Estimator}) trains on a DataFrame of sequences with synchronous data-parallel Adam, and
 * {@link org.rankcoding.spark.RankCodingClassificationModel} (a {@code Model}) scores DataFrames with early exit; both
 * work in {@code Pipeline}s and are saved with the library's model file inside the stage folder.
 * {@link org.rankcoding.spark.ShardedTrainer} is the plain API underneath ({@code JavaRDD} of
 * {@link org.rankcoding.spark.SequenceRow}s in, network out), {@link org.rankcoding.spark.ShardedBatchSource} serves
 * the same batches on one machine, and {@link org.rankcoding.spark.SequenceRows} turns library data into rows and
 * DataFrames. See docs/spark.md for executor options and when distributing pays.
 */
package org.rankcoding.spark;
