package org.rankcoding.spark;

import org.rankcoding.io.LoadedModel;
import org.rankcoding.io.ModelFileException;
import org.rankcoding.io.ModelFiles;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.nn.Parameters;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.DecisionRule;
import org.rankcoding.rc.RankCodingPass;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The training workspaces of one executor JVM: per run, a pool of (network, training pass, gradient buffer), one per
 * task running at once, built on first use from the run's model file and reused for every later batch (only the weights
 * are copied in). The pools of the last few runs are kept; older ones are dropped.
 */
final class TrainingWorkspaces {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingWorkspaces.class);
    private static final int RUNS_KEPT = 4;
    private static final Map<String, ArrayDeque<Workspace>> POOLS = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Workspace>> eldest) {
            return size() > RUNS_KEPT;
        }
    };

    private TrainingWorkspaces() {
    }

    /** A network, its training pass and a gradient buffer, used by one task at a time. */
    static final class Workspace {
        final RankCodingNetwork network;
        final DecisionRule rule;
        final RankCodingPass pass;
        final Parameters gradients;

        Workspace(LoadedModel model, MatrixKernels kernels) {
            this.network = model.network();
            this.rule = model.decisionRule().rule(network.head());
            this.pass = new RankCodingPass(network, kernels);
            this.gradients = network.parameters().zerosLike();
        }
    }

    /**
     * A workspace of run {@code spec.runId()}, idle or new (built from {@code modelFile}, the run's initial model file).
     *
     * @throws ModelFileException if the model file is invalid
     */
    static Workspace borrow(TrainingSpec spec, byte[] modelFile) throws ModelFileException {
        synchronized (POOLS) {
            ArrayDeque<Workspace> pool = POOLS.get(spec.runId());
            if (pool != null && !pool.isEmpty()) {
                return pool.pop();
            }
        }
        MatrixKernels kernels = spec.matrixKernels();
        LoadedModel model = ModelFiles.fromBytes(modelFile, "training run " + spec.runId());
        LOG.info("training run {}: new workspace for {} with kernels {}", spec.runId(), model.network(),
                ExecutorKernels.describe(kernels));
        return new Workspace(model, kernels);
    }

    /** Gives {@code w} back to the pool of run {@code runId}. */
    static void release(String runId, Workspace w) {
        synchronized (POOLS) {
            POOLS.computeIfAbsent(runId, k -> new ArrayDeque<>()).push(w);
        }
    }

    /** The number of runs whose pools this JVM holds (for tests). */
    static int runsHeld() {
        synchronized (POOLS) {
            return POOLS.size();
        }
    }
}
