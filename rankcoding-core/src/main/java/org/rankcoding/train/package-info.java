/**
 * Training: {@link org.rankcoding.train.TrainerConfig} (every setting, validated, with the defaults in one builder) and
 * {@link org.rankcoding.train.Trainer} (trains a network from a {@link org.rankcoding.data.BatchSource}, on several
 * threads, bit-identical from run to run for a given thread count) are where to start; the run's outcome is a
 * {@link org.rankcoding.train.TrainingResult}. Checkpoints ({@link org.rankcoding.train.CheckpointPolicy},
 * {@link org.rankcoding.train.TrainingCheckpoint}) let a run resume bit for bit;
 * {@link org.rankcoding.train.TrainingGrid} trains a grid of entropy rewards and thresholds;
 * {@link org.rankcoding.train.OptimizerStep} is the update after each batch (clipping, Adam, the learning-rate
 * schedule), shared with training loops outside the trainer, such as the Spark module's.
 */
package org.rankcoding.train;
