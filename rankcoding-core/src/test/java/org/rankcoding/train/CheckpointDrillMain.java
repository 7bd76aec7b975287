package org.rankcoding.train;

import org.rankcoding.data.BatchSource;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.rc.LossMode;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The child JVM of the SIGKILL drill ({@link CheckpointKillDrillTest}): trains a small model with a checkpoint every
 * few batches into a directory, resuming from the newest checkpoint there if there is one. It prints one line per
 * event on standard output, flushed at once: {@code start B} (B = 0 for a fresh run, else the batch of the checkpoint
 * resumed), {@code checkpoint B} after each checkpoint is complete, {@code done B} at the end.
 *
 * <p>Arguments: directory, loss mode, threads, checkpoint interval in batches, training budget in sequences.
 *
 * <p>A fixture of the test, not a tool: the test starts it in a child JVM on its own class path (the test classes), and
 * it trains with the tests' fixtures ({@link CheckpointFixtures}, {@code NoiseSignalTask}); so it stays in the test tree.
 */
public final class CheckpointDrillMain {

    /** Hidden size of the drill's network. */
    static final int HIDDEN = 24;

    private CheckpointDrillMain() {
    }

    /** The drill's configuration. */
    static TrainerConfig config(LossMode mode, int threads, long budget) {
        return CheckpointFixtures.config(mode, threads, budget).toBuilder().learningRate(3e-3).batchSize(32).build();
    }

    /** The drill's data: 1,000 sequences of lengths 10 to 30 in memory, so that the epoch order must be restored too. */
    static BatchSource source() {
        return NoiseSignalTask.dataset(21, 1000, 10, 30, 0.1, 0.5);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        LossMode mode = LossMode.valueOf(args[1]);
        int threads = Integer.parseInt(args[2]);
        long every = Long.parseLong(args[3]);
        long budget = Long.parseLong(args[4]);
        PrintStream out = System.out;
        TrainerConfig config = config(mode, threads, budget);
        NetworkConfig net = NetworkConfig.binary(1, HIDDEN);
        CheckpointPolicy policy = CheckpointPolicy.everyBatches(dir, every).withKeep(3).withRunInfo(Map.of("drill", "sigkill"));
        List<SequenceBatch> validation = NoiseSignalTask.dataset(22, 100, 10, 30, 0.1, 0.5).batches(50);
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onCheckpoint(TrainingProgress progress, Path file) {
                out.println("checkpoint " + progress.batches());
                out.flush();
            }
        };
        Trainer trainer = new Trainer(config);
        Optional<TrainingCheckpoint> latest = TrainingCheckpoint.latest(dir);
        out.println("start " + latest.map(c -> c.progress().batches()).orElse(0L));
        out.flush();
        TrainingResult result = latest.isPresent()
                ? trainer.resume(latest.get(), net, source(), validation, listener, policy)
                : trainer.train(net, source(), validation, listener, policy);
        out.println("done " + result.batches());
        out.flush();
    }
}
