/**
 * Inference with early exit. {@link org.rankcoding.infer.RankCodingModel} is an immutable, thread-safe model
 * ({@link org.rankcoding.io.ModelFiles#loadModel} reads one): {@code classify} decides a batch of sequences, each row
 * leaving the computation at its decision; {@link org.rankcoding.infer.StreamingSession} feeds one stream a step at a
 * time and reports the {@link org.rankcoding.infer.Decision} as soon as the rule fires. Both give the same decisions.
 */
package org.rankcoding.infer;
