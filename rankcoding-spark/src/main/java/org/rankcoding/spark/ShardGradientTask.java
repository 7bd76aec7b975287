package org.rankcoding.spark;

import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.rankcoding.data.InMemorySequences;
import org.rankcoding.data.LabeledSequence;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.rc.TrainingSettings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The executor side of one data-parallel batch: shard {@code i} (the partition) computes the gradient of its share of
 * the batch ({@link ShardPlan#picks}) with the broadcast weights, rows leaving the computation at their decision (early
 * exit inside every partition), and returns one {@link ShardGradient} (none for a shard without rows in the batch).
 */
final class ShardGradientTask implements Function2<Integer, Iterator<SequenceRow>, Iterator<ShardGradient>> {

    private static final long serialVersionUID = 1L;

    private final ShardPlan plan;
    private final TrainingSpec spec;
    private final Broadcast<byte[]> modelFile;
    private final Broadcast<double[]> weights;
    private final long batch;
    private final int stepLimit;

    /**
     * @param modelFile the run's initial model file (the network's configuration and decision rule)
     * @param weights   the weights to compute the gradient at, flat
     * @param batch     the batch number (0-based)
     * @param stepLimit the step cut of the batch's sequences ({@link Integer#MAX_VALUE} for none)
     */
    ShardGradientTask(ShardPlan plan, TrainingSpec spec, Broadcast<byte[]> modelFile, Broadcast<double[]> weights,
                      long batch, int stepLimit) {
        this.plan = plan;
        this.spec = spec;
        this.modelFile = modelFile;
        this.weights = weights;
        this.batch = batch;
        this.stepLimit = stepLimit;
    }

    @Override
    public Iterator<ShardGradient> call(Integer shard, Iterator<SequenceRow> data) throws Exception {
        int rows = plan.rows(batch);
        int share = plan.share(shard, rows);
        if (share == 0) {
            return Collections.emptyIterator();
        }
        List<SequenceRow> all = new ArrayList<>();
        data.forEachRemaining(all::add);
        List<LabeledSequence> chosen = plan.sequences(all, shard, batch);
        SequenceBatch b = InMemorySequences.toBatch(chosen, spec.numClasses());
        TrainingWorkspaces.Workspace w = TrainingWorkspaces.borrow(spec, modelFile.value());
        try {
            FlatParameters.copyInto(weights.value(), w.network.parameters());
            TrainingSettings settings = new TrainingSettings(w.rule, spec.loss(), spec.horizon(), stepLimit);
            double loss = w.pass.gradients(b, 0, share, 1.0 / rows, settings, w.gradients);
            long decisions = 0;
            long full = 0;
            for (int r = 0; r < share; r++) {
                decisions += w.pass.decisionStep(r);
                full += Math.min(b.length(r), stepLimit);
            }
            return List.of(new ShardGradient(shard, FlatParameters.of(w.gradients), loss, w.pass.forwardExampleSteps(),
                    w.pass.backwardExampleSteps(), decisions, share, full)).iterator();
        } finally {
            TrainingWorkspaces.release(spec.runId(), w);
        }
    }
}
