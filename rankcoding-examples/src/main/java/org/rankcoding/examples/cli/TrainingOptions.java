package org.rankcoding.examples.cli;

import org.rankcoding.rc.RankCodingPass;
import org.rankcoding.train.LearningRateSchedule;
import org.rankcoding.train.TrainerConfig;
import picocli.CommandLine.Option;

/**
 * Options shared by every training subcommand (a picocli mixin): the network's shape, the spike threshold and
 * entropy reward, the learning-rate schedule, the seed, back-propagation limits and threads. Options whose
 * defaults differ between tasks (batch size, learning rate, training budget) are declared by each command.
 */
public final class TrainingOptions {

    @Option(names = "--hidden", defaultValue = "125", paramLabel = "H", description = "LSTM hidden size (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--layers", defaultValue = "1", paramLabel = "L", description = "Stacked LSTM layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--lr-schedule", defaultValue = "CONSTANT", paramLabel = "SCHEDULE",
            description = "Learning-rate schedule over the budget: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    LearningRateSchedule schedule;

    @Option(names = "--threshold", defaultValue = "0.95", paramLabel = "THETA",
            description = "Spike threshold theta in (0.5, 1), for training and evaluation (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--beta", defaultValue = "0.0", paramLabel = "BETA",
            description = "Entropy reward of the RC loss, >= 0; larger values delay decisions (default: ${DEFAULT-VALUE}). "
                    + "An EOS-trained model always uses 0.")
    double beta;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "SEED",
            description = "Seed of the weights and of the data order (and of generated data) (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--horizon", defaultValue = "0", paramLabel = "STEPS",
            description = "Back-propagate at most STEPS steps from each decision step; 0 = unlimited (default: ${DEFAULT-VALUE}).")
    int horizon;

    @Option(names = "--clip", defaultValue = "0", paramLabel = "NORM",
            description = "Clip the global gradient norm to NORM; 0 = no clipping (default: ${DEFAULT-VALUE}).")
    double clip;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads computing each training batch's gradient; the toy tasks also test their two models side by "
                    + "side on up to N threads (default: the library's default, 2). Results are reproducible for a given seed "
                    + "and thread count.")
    Integer threads;

    /**
     * A trainer configuration builder holding these options (threshold, schedule, clipping, horizon, seed and, if
     * given, threads) on top of the library's defaults; the caller adds batch size, learning rate, budget, loss
     * mode and beta.
     *
     * @throws IllegalArgumentException for a bad {@code --horizon} (the other values are checked by {@code build()})
     */
    TrainerConfig.Builder configBuilder() {
        if (horizon < 0) {
            throw new IllegalArgumentException("--horizon = " + horizon + ", expected >= 1, or 0 for unlimited");
        }
        TrainerConfig.Builder b = TrainerConfig.builder().threshold(threshold).schedule(schedule).clipNorm(clip)
                .horizon(horizon == 0 ? RankCodingPass.UNLIMITED_HORIZON : horizon).seed(seed);
        if (threads != null) {
            b.threads(threads);
        }
        return b;
    }
}
