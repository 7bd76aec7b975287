package org.rankcoding.examples.run;

import org.rankcoding.data.SequenceBatch;
import org.rankcoding.eval.Evaluation;
import org.rankcoding.eval.Evaluator;
import org.rankcoding.rc.DecisionRule;
import org.rankcoding.rc.DecisionRuleSpec;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.InferencePass;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * A trained model's evaluation on a test set together with the cost of early-exit inference over it, from one pass
 * over the test set ({@link #of}): each batch is built once, evaluated (every row to its end; a few batches at a time
 * on several threads, if given) and then run again with early exit under the clock, on one thread.
 *
 * @param evaluation       the evaluation on the test set (every sequence run to its end)
 * @param earlyExitSteps   example-steps the early-exit inference computed on the test set
 * @param earlyExitSeconds wall time of that early-exit inference (one thread)
 */
public record TimedEvaluation(Evaluation evaluation, long earlyExitSteps, double earlyExitSeconds) {

    /**
     * Evaluates {@code network} on {@code test} at threshold {@code theta} and times its early-exit inference, batch by
     * batch in one pass, on one thread.
     *
     * @param timingWindow normaliser of the timing-aware loss (for data with optimal steps; 1 otherwise)
     * @param progress     told the rows of every batch when it is done
     */
    public static TimedEvaluation of(RankCodingNetwork network, Iterable<SequenceBatch> test, double theta, double timingWindow,
                                     IntConsumer progress) {
        return of(network, test, DecisionRuleSpec.thresholdCrossing(theta), timingWindow, 1, progress);
    }

    /** As {@link #of(RankCodingNetwork, Iterable, double, double, IntConsumer)}, deciding by {@code rule}. */
    public static TimedEvaluation of(RankCodingNetwork network, Iterable<SequenceBatch> test, DecisionRuleSpec rule,
                                     double timingWindow, IntConsumer progress) {
        return of(network, test, rule, timingWindow, 1, progress);
    }

    /**
     * As {@link #of(RankCodingNetwork, Iterable, DecisionRuleSpec, double, IntConsumer)}, evaluating {@code threads}
     * batches at a time on {@code threads} threads ({@link Evaluator#addAll}: the evaluation does not depend on the
     * count); the early-exit inference is still timed on one thread, batch by batch.
     *
     * @param threads in [1, 1024]
     * @throws IllegalArgumentException for a bad thread count
     */
    public static TimedEvaluation of(RankCodingNetwork network, Iterable<SequenceBatch> test, DecisionRuleSpec rule,
                                     double timingWindow, int threads, IntConsumer progress) {
        Evaluator evaluator = new Evaluator(network, rule, timingWindow, threads);
        InferencePass pass = new InferencePass(network, Kernels.best());
        DecisionRule decides = rule.rule(network.head());
        long steps = 0;
        long nanos = 0;
        List<SequenceBatch> chunk = new ArrayList<>(threads);
        Iterator<SequenceBatch> batches = test.iterator();
        while (batches.hasNext()) {
            chunk.clear();
            while (chunk.size() < threads && batches.hasNext()) {
                chunk.add(batches.next());
            }
            evaluator.addAll(chunk);
            for (SequenceBatch b : chunk) {
                long start = System.nanoTime();
                steps += pass.earlyExit(b, decides).forwardExampleSteps();
                nanos += System.nanoTime() - start;
                progress.accept(b.batchSize());
            }
        }
        return new TimedEvaluation(evaluator.result(), steps, nanos / 1e9);
    }
}
