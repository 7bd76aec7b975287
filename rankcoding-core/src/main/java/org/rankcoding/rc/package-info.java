/**
 * Rank coding itself: the training pass that runs each row forward until its decision (its first spike) and
 * back-propagates from there, and the rules that decide. {@link org.rankcoding.rc.DecisionRuleSpec} is where most
 * users start: threshold crossing (the paper's rule), a per-step threshold schedule, k consecutive agreeing steps, a
 * minimum number of steps; the same rule serves training, batch inference, streaming, evaluation and sweeps.
 * {@link org.rankcoding.rc.RankCodingLoss} is the loss at the decision (with the entropy reward and the optional prefix
 * loss), {@link org.rankcoding.rc.LossMode} chooses rank coding or the end-of-sequence baseline, and
 * {@link org.rankcoding.rc.RankCodingPass} computes a batch's gradient (the {@link org.rankcoding.train.Trainer} runs
 * it; use it directly to write a training loop of your own).
 */
package org.rankcoding.rc;
