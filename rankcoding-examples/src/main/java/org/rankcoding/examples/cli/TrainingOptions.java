package org.rankcoding.examples.cli;

import org.rankcoding.data.BatchSource;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.train.CheckpointPolicy;
import org.rankcoding.train.LearningRateSchedule;
import org.rankcoding.train.StoppingMetric;
import org.rankcoding.train.Trainer;
import org.rankcoding.train.TrainerConfig;
import org.rankcoding.train.TrainingCheckpoint;
import org.rankcoding.train.TrainingListener;
import org.rankcoding.train.TrainingResult;
import org.rankcoding.rc.DecisionRuleSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Options shared by every training subcommand (a picocli mixin): the network's shape, the decision rule (spike
 * threshold, {@link DecisionRuleOptions}) and
 * entropy reward, the learning-rate schedule, the seed, back-propagation limits, threads, regularisation and early
 * stopping ({@code --weight-decay}, {@code --dropout}, {@code --input-dropout}, {@code --patience},
 * {@code --stopping-metric}; their ranges are checked by the library's {@code TrainerConfig}), and training checkpoints
 * ({@code --checkpoint-dir}, {@code --checkpoint-every}, {@code --checkpoint-every-sequences}, {@code --checkpoint-keep},
 * {@code --resume}; see
 * {@link #train}). Options whose defaults differ between tasks (batch size, learning rate, training budget) are
 * declared by each command.
 */
public final class TrainingOptions {

    @Range(min = 1, max = 65536)
    @Option(names = "--hidden", defaultValue = "125", paramLabel = "H", description = "LSTM hidden size (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Range(min = 1, max = 64)
    @Option(names = "--layers", defaultValue = "1", paramLabel = "L", description = "Stacked LSTM layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--lr-schedule", defaultValue = "CONSTANT", paramLabel = "SCHEDULE",
            description = "Learning-rate schedule over the budget: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    LearningRateSchedule schedule;

    @Range(min = 0, max = 1e9, note = "0 for none")
    @Option(names = "--step-warmup", defaultValue = "0", paramLabel = "N",
            description = "Length curriculum: cut training sequences after 1 + s / N steps, s being the sequences trained so far, "
                    + "so training starts on the first step alone and the sequences grow by a step every N sequences "
                    + "(default: ${DEFAULT-VALUE}, none). Cheap first epochs for models that decide early; evaluation never cuts.")
    long stepWarmup;

    @Range(min = 0.5, max = 1, above = true, below = true)
    @Option(names = "--threshold", defaultValue = "0.95", paramLabel = "THETA",
            description = "Spike threshold theta in (0.5, 1), for training and evaluation (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Mixin
    DecisionRuleOptions rule;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Range(min = 0, max = 10)
    @Option(names = "--beta", defaultValue = "0.0", paramLabel = "BETA",
            description = "Entropy reward of the RC loss, >= 0; larger values delay decisions (default: ${DEFAULT-VALUE}). "
                    + "An EOS-trained model always uses 0.")
    double beta;

    @Range(min = 0, max = 100, note = "0 for none")
    @Option(names = "--prefix-loss", defaultValue = "0", paramLabel = "GAMMA",
            description = "Prefix-loss weight: add GAMMA times the mean cross-entropy over every step before the decision "
                    + "(the decision step included) to each row's loss, so the outputs before a decision learn the class "
                    + "too (default: ${DEFAULT-VALUE}; 0 is the paper's loss).")
    double prefixLoss;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "SEED",
            description = "Seed of the weights and of the data order (and of generated data) (default: ${DEFAULT-VALUE}).")
    long seed;

    @Range(min = 0, max = 1e6, note = "0 for unlimited")
    @Option(names = "--horizon", defaultValue = "0", paramLabel = "STEPS",
            description = "Back-propagate at most STEPS steps from each decision step; 0 = unlimited (default: ${DEFAULT-VALUE}).")
    int horizon;

    @Range(min = 0, max = 1e6, note = "0 for no clipping")
    @Option(names = "--clip", defaultValue = "0", paramLabel = "NORM",
            description = "Clip the global gradient norm to NORM; 0 = no clipping (default: ${DEFAULT-VALUE}).")
    double clip;

    @Range(min = 0, max = 1, note = "0 for none")
    @Option(names = "--weight-decay", defaultValue = "0", paramLabel = "WD",
            description = "Decoupled weight decay (AdamW): every update first shrinks each weight by the factor 1 - lr x WD; "
                    + ">= 0 (default: ${DEFAULT-VALUE}, none; typical 1e-4 .. 1e-1).")
    double weightDecay;

    @Range(min = 0, max = 1, below = true, note = "0 for none")
    @Option(names = "--dropout", defaultValue = "0", paramLabel = "P",
            description = "Dropout probability in [0, 1) on the hidden state passed from each stacked LSTM layer to the next "
                    + "(needs --layers >= 2), one mask per sequence, training only (default: ${DEFAULT-VALUE}, none).")
    double dropout;

    @Range(min = 0, max = 1, below = true, note = "0 for none")
    @Option(names = "--input-dropout", defaultValue = "0", paramLabel = "P",
            description = "Dropout probability in [0, 1) on every input value at every step, training only "
                    + "(default: ${DEFAULT-VALUE}, none).")
    double inputDropout;

    @Range(min = 0, max = 1, below = true, note = "0 for none")
    @Option(names = "--weight-average", defaultValue = "0", paramLabel = "DECAY",
            description = "Keep an exponential moving average of the weights with this decay in [0, 1) and validate, "
                    + "test and save the average (Polyak averaging; it spans about 1 / (1 - DECAY) batches, typical "
                    + "0.99 .. 0.999) (default: ${DEFAULT-VALUE}, none).")
    double weightAverage;

    @Range(min = 0, max = 1000000, note = "0 for no early stopping")
    @Option(names = "--patience", defaultValue = "0", paramLabel = "N",
            description = "Early stopping: stop after N validations in a row without an improvement of --stopping-metric and "
                    + "keep the weights of the best validation; needs validation data (default: ${DEFAULT-VALUE}, none).")
    int patience;

    @Option(names = "--stopping-metric", defaultValue = "ACCURACY", paramLabel = "METRIC",
            description = "What --patience watches on validation: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    StoppingMetric stoppingMetric;

    @Range(min = 1, max = 256)
    @PerProcessor
    @Option(names = "--threads", paramLabel = "N",
            description = "Threads computing each training batch's gradient; validations, test evaluations and threshold "
                    + "sweeps run their batches on N threads too (their results do not depend on N); the toy tasks also test "
                    + "their two models side by side on up to N threads, and keyword-spotting decodes its clips on N threads "
                    + "(default: the library's default, 2; keyword-spotting decodes on every processor). Results are "
                    + "reproducible for a given seed and thread count.")
    Integer threads;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR",
            description = "Write training checkpoints into DIR, one subdirectory per model (DIR/rc, DIR/eos), every "
                    + "--checkpoint-every batches and after the last batch. Without --resume, DIR/MODEL must hold no checkpoints.")
    Path checkpointDir;

    @Range(min = 0, max = 1e12, note = "0 for none by batches")
    @Option(names = "--checkpoint-every", defaultValue = "200", paramLabel = "N",
            description = "With --checkpoint-dir: a checkpoint every N batches (0: not by batches), and one after the last "
                    + "(default: ${DEFAULT-VALUE}).")
    long checkpointEvery;

    @Range(min = 0, max = 1e15, note = "0 for none by sequences")
    @Option(names = "--checkpoint-every-sequences", defaultValue = "0", paramLabel = "N",
            description = "With --checkpoint-dir: also a checkpoint whenever the sequences trained cross a multiple of N "
                    + "(default: ${DEFAULT-VALUE}, not by sequences).")
    long checkpointEverySequences;

    @Range(min = 1, max = 1000)
    @Option(names = "--checkpoint-keep", defaultValue = "2", paramLabel = "K",
            description = "With --checkpoint-dir: keep the newest K checkpoints of each model (default: ${DEFAULT-VALUE}).")
    int checkpointKeep;

    @Option(names = "--resume",
            description = "Resume from the newest checkpoint of each model in --checkpoint-dir (bit-identical to an uninterrupted "
                    + "run). The other options must be those of the interrupted run; a model whose checkpoint is final is not "
                    + "trained again.")
    boolean resume;

    /**
     * A trainer configuration builder holding these options (threshold, schedule, clipping, horizon, seed,
     * regularisation, early stopping and, if given, threads) on top of the library's defaults; the caller adds batch
     * size, learning rate, budget, loss mode and beta.
     *
     * The values are in their declared ranges ({@link OptionBounds}); the builder's {@code build()} checks them together.
     */
    TrainerConfig.Builder configBuilder() {
        TrainerConfig.Builder b = TrainerConfig.builder().decisionRule(decisionRule()).schedule(schedule).clipNorm(clip).seed(seed)
                .warmupSequencesPerStep(stepWarmup).weightDecay(weightDecay).dropout(dropout).inputDropout(inputDropout)
                .prefixLossWeight(prefixLoss).averageDecay(weightAverage)
                .patience(patience).stoppingMetric(stoppingMetric);
        if (horizon > 0) {
            b.horizon(horizon); // 0: the builder's default, unlimited
        }
        if (threads != null) {
            b.threads(threads);
        }
        return b;
    }

    /** The classes that never decide ({@link #abstaining(List)}); none by default. */
    private List<Integer> abstaining = List.of();

    /**
     * Sets the classes that never decide (see {@link org.rankcoding.rc.AbstainingClasses}), for a command that knows its
     * class names before it calls {@link #configBuilder()}.
     */
    void abstaining(List<Integer> classes) {
        this.abstaining = List.copyOf(classes);
    }

    /**
     * The decision rule of training and evaluation: threshold crossing at {@code --threshold}, or the schedule of
     * {@code --threshold-schedule}, with {@code --consecutive}, {@code --min-steps} and the command's abstaining
     * classes.
     *
     * @throws IllegalArgumentException for both {@code --threshold} and {@code --threshold-schedule}, or a bad value
     */
    DecisionRuleSpec decisionRule() {
        if (rule.hasSchedule() && thresholdGiven()) {
            throw new IllegalArgumentException("--threshold and --threshold-schedule both set the threshold; give one of them");
        }
        DecisionRuleSpec base;
        try {
            base = DecisionRuleSpec.thresholdCrossing(threshold);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--threshold: " + e.getMessage(), e);
        }
        return rule.applyTo(base).withAbstaining(abstaining);
    }

    /** The threshold for a banner, followed by the decision rule when it is not threshold crossing. */
    String ruleText() {
        DecisionRuleSpec r = decisionRule();
        return r.isThresholdCrossing() ? String.valueOf(r.startThreshold())
                : r.startThreshold() + " (decision rule " + r + ")";
    }

    /** Whether {@code --threshold} was on the command line (not only its default). */
    private boolean thresholdGiven() {
        picocli.CommandLine.ParseResult parsed = command == null || command.commandLine() == null ? null
                : command.commandLine().getParseResult();
        return parsed != null && parsed.hasMatchedOption("--threshold");
    }

    /**
     * Checks the checkpoint options.
     *
     * @throws IllegalArgumentException for {@code --resume} without {@code --checkpoint-dir} (the intervals and the count
     *                                  are in their declared ranges, {@link OptionBounds})
     */
    void checkCheckpointOptions() {
        if (resume && checkpointDir == null) {
            throw new IllegalArgumentException("--resume needs --checkpoint-dir DIR, the checkpoint directory of the run to resume");
        }
    }

    /** With {@code --resume}: whether a model must have a checkpoint to resume. */
    enum Resume {
        /** The model must have a checkpoint (the first model of a run, or its only one). */
        REQUIRED,
        /** The model may have none and then starts afresh (a later model of a run interrupted before it started). */
        IF_PRESENT
    }

    /** A checkpointed training run that cannot go on; the command prints the message and exits with status 1. */
    static final class CheckpointFailure extends Exception {
        private static final long serialVersionUID = 1L;

        CheckpointFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Trains one model. Without {@code --checkpoint-dir}, exactly {@code trainer.train(network, source, validation,
     * listener)}. With it, the run writes checkpoints into {@code DIR/model}; with {@code --resume} it continues from
     * the newest checkpoint there instead (and returns at once if that checkpoint is final).
     *
     * @param model       the model's name, also its subdirectory ("rc", "eos")
     * @param runInfo     the task's options that the trainer's configuration does not hold (data, generator); a resumed
     *                    checkpoint must have been written with the same
     * @param checkpoint  with {@code --resume}: whether this model must have a checkpoint, or may have none yet (it then
     *                    starts afresh), as the second model of a run interrupted during the first
     * @param out         where a line about the resumed checkpoint goes
     * @throws CheckpointFailure if there is nothing to resume, the checkpoint belongs to other options or is invalid, the
     *                           directory already holds another run, a checkpoint cannot be written, or training diverges
     */
    TrainingResult train(Trainer trainer, NetworkConfig network, BatchSource source, List<SequenceBatch> validation,
                         TrainingListener listener, String model, Map<String, String> runInfo, Resume checkpoint,
                         PrintWriter out) throws CheckpointFailure {
        if (checkpointDir == null) {
            return trainer.train(network, source, validation, listener);
        }
        Path dir = checkpointDir.resolve(model);
        CheckpointPolicy policy = CheckpointPolicy.everyBatches(dir, checkpointEvery).withEverySequences(checkpointEverySequences)
                .withKeep(checkpointKeep).withRunInfo(runInfo);
        try {
            Optional<TrainingCheckpoint> latest = resume ? TrainingCheckpoint.latest(dir) : Optional.empty();
            if (resume && latest.isEmpty() && checkpoint == Resume.REQUIRED) {
                throw new CheckpointFailure("--resume: no checkpoint to resume in " + dir + " (checkpoint files are named "
                        + TrainingCheckpoint.fileFor(dir, 0).getFileName().toString().replace("000000000000", "<batches>")
                        + "); run without --resume to start training", null);
            }
            if (latest.isEmpty()) {
                return trainer.train(network, source, validation, listener, policy);
            }
            TrainingCheckpoint c = latest.get();
            c.requireCompatible(trainer.config(), network, source, runInfo);
            out.printf(Locale.ROOT, "%s: resuming from %s (batch %,d, %,d of %,d sequences)%s%n", model, c.file(), c.progress().batches(),
                    c.progress().sequences(), c.config().trainSequences(), c.complete() ? ": already finished, not trained again"
                            : c.stoppedEarly() ? ": stopped early (--patience), not trained again" : "");
            out.flush();
            return trainer.resume(c, network, source, validation, listener, policy);
        } catch (IllegalArgumentException | IllegalStateException | IOException e) {
            throw new CheckpointFailure(e.getMessage(), e);
        }
    }
}
