/**
 * Evaluation of trained networks: {@link org.rankcoding.eval.Evaluator} measures an
 * {@link org.rankcoding.eval.Evaluation} (accuracy at the decision and at the last step, decision-step statistics,
 * earliness, the harmonic mean of accuracy and earliness, the timing-aware loss), on several threads with results that
 * do not depend on the count. {@link org.rankcoding.eval.ThresholdSweep} gives the accuracy-versus-decision-step curve
 * over thresholds from one pass, and {@link org.rankcoding.eval.ThresholdCalibrator} picks an operating point on
 * validation data for an {@link org.rankcoding.eval.OperatingGoal}.
 */
package org.rankcoding.eval;
