package org.rankcoding.train;

import org.rankcoding.eval.Evaluation;
import org.rankcoding.nn.Parameters;

import java.util.List;
import java.util.Optional;

/**
 * Early stopping on validation ({@link TrainerConfig#patience()}): follows the validations of a run, keeps a copy of
 * the weights of the best one (by {@link TrainerConfig#stoppingMetric()}, strictly higher to improve) and says when
 * {@code patience} validations in a row brought no improvement. Everything but the best weights follows from the
 * validation history, which checkpoints keep; the best weights are saved in checkpoints too, so a resumed run stops
 * exactly where the uninterrupted one would and gives back the same weights. Inactive (does nothing, keeps nothing)
 * when the patience is 0. Owned by one run.
 */
final class EarlyStopping {

    private final int patience;
    private final StoppingMetric metric;
    private Parameters best;
    private double bestScore = Double.NEGATIVE_INFINITY;
    private int bestIndex = -1;
    private int seen;
    private int sinceBest;

    EarlyStopping(TrainerConfig config) {
        this.patience = config.patience();
        this.metric = config.stoppingMetric();
    }

    /** Whether early stopping is on. */
    boolean active() {
        return patience > 0;
    }

    /**
     * Records the next validation, {@code e} of the weights {@code current} (copied if they are the best so far).
     *
     * @return whether the run should stop now
     */
    boolean observe(Evaluation e, Parameters current) {
        if (!active()) {
            return false;
        }
        if (score(e)) {
            best = best == null ? current.copy() : best;
            best.setTo(current);
        }
        return stopped();
    }

    /** Updates the counters with validation {@code e}; returns whether it is the new best. */
    private boolean score(Evaluation e) {
        double s = metric.score(e);
        boolean better = s > bestScore; // NaN never improves
        if (better) {
            bestScore = s;
            bestIndex = seen;
            sinceBest = 0;
        } else {
            sinceBest++;
        }
        seen++;
        return better;
    }

    /** Whether {@code patience} validations in a row brought no improvement. */
    boolean stopped() {
        return active() && sinceBest >= patience;
    }

    /**
     * Whether a run of {@code config} with the validation {@code history} has stopped early (its last {@code patience}
     * validations brought no improvement).
     */
    static boolean stoppedAfter(TrainerConfig config, List<ValidationRecord> history) {
        EarlyStopping s = new EarlyStopping(config);
        if (s.active()) {
            for (ValidationRecord r : history) {
                s.score(r.evaluation());
            }
        }
        return s.stopped();
    }

    /**
     * Continues from a checkpoint: replays the validation {@code history} and takes the saved best weights.
     *
     * @throws IllegalArgumentException if the history has a best validation but no best weights were saved
     */
    void restore(List<ValidationRecord> history, Optional<Parameters> savedBest) {
        if (!active()) {
            return;
        }
        for (ValidationRecord r : history) {
            score(r.evaluation());
        }
        if (bestIndex >= 0 && savedBest.isEmpty()) {
            throw new IllegalArgumentException("the checkpoint's run stops early (patience " + patience + ") and has a best "
                    + "validation, but the checkpoint holds no best weights; resume a checkpoint written with early stopping");
        }
        best = savedBest.map(Parameters::copy).orElse(null);
    }

    /** The weights of the best validation so far (live), if early stopping is on and there was one. */
    Optional<Parameters> bestWeights() {
        return Optional.ofNullable(best);
    }

    /** The index in the run's validation history of the best validation, or -1. */
    int bestIndex() {
        return bestIndex;
    }

    /** The score of the best validation so far ({@code -Infinity} before any). */
    double bestScore() {
        return bestScore;
    }

    /** Validations since the best one. */
    int sinceBest() {
        return sinceBest;
    }
}
