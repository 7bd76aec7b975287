package org.rankcoding.io;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.data.InMemorySequences;
import org.rankcoding.data.LabeledSequence;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.train.CheckpointPolicy;
import org.rankcoding.train.Trainer;
import org.rankcoding.train.TrainerConfig;
import org.rankcoding.train.TrainingCheckpoint;
import org.rankcoding.train.TrainingListener;
import org.rankcoding.train.TrainingProgress;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failure drills of checkpoint writing: the directory becomes read-only (really, where permissions bind the test's
 * user; simulated through {@link AtomicFiles#fault} otherwise, as for root), the disk fills up in the middle of a write
 * (simulated: a write throws "No space left on device" after part of the file is on disk), and the directory path is a
 * regular file. In every case training stops with an {@link IOException} that names the checkpoint and the cause, the
 * previous checkpoint stays byte for byte intact and loadable, and no temporary file is left behind.
 */
class CheckpointFaultDrillTest {

    private static final NetworkConfig NET = NetworkConfig.binary(1, 6);

    @AfterEach
    void clearFault() {
        AtomicFiles.fault = null;
    }

    private static TrainerConfig config() {
        return TrainerConfig.builder().learningRate(1e-2).batchSize(16).trainSequences(16 * 20).threads(1).seed(3).build();
    }

    private static InMemorySequences data() {
        SplittableRandom rng = new SplittableRandom(5);
        List<LabeledSequence> list = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int label = i % 2;
            double[][] steps = new double[6][1];
            for (double[] s : steps) {
                s[0] = (label == 1 ? 0.3 : -0.3) + 0.5 * rng.nextGaussian();
            }
            list.add(new LabeledSequence(steps, label));
        }
        return new InMemorySequences(list, 2);
    }

    /** Runs {@code action} right after the first checkpoint has been written. */
    private static TrainingListener afterFirstCheckpoint(IoAction action) {
        return new TrainingListener() {
            boolean done;

            @Override
            public void onCheckpoint(TrainingProgress progress, Path file) {
                if (!done) {
                    done = true;
                    try {
                        action.run();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        };
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    /**
     * Trains with a checkpoint every 5 batches, breaking the directory after the first one; checks the failure of the
     * second and that the first survives.
     *
     * @return the exception's message
     */
    private static String drill(Path dir, IoAction breakIt, IoAction repair) throws IOException {
        Path first = TrainingCheckpoint.fileFor(dir, 5);
        IOException e;
        try {
            e = assertThrows(IOException.class, () -> new Trainer(config(), Kernels.select("blocked")).train(NET, data(), List.of(),
                    afterFirstCheckpoint(breakIt), CheckpointPolicy.everyBatches(dir, 5)));
        } finally {
            repair.run();
        }
        assertTrue(e.getMessage().startsWith("could not write the checkpoint " + TrainingCheckpoint.fileFor(dir, 10)
                + " after batch 10: "), e.getMessage());
        assertTrue(e.getMessage().contains("The earlier checkpoints are intact, latest: " + first), e.getMessage());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(first), files.toList(), "only the first checkpoint, no temporary file");
        }
        TrainingCheckpoint survivor = TrainingCheckpoint.load(first);
        assertEquals(5, survivor.progress().batches());
        return e.getMessage();
    }

    @Test
    void aDirectoryMadeReadOnlyKeepsThePreviousCheckpoint(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("checkpoints");
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        boolean bites = !Files.isWritable(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Assumptions.assumeTrue(bites, "skipped: permissions do not bind this user (running as root?); "
                + "aReadOnlyDirectoryIsSimulatedForRoot covers the case with an injected fault");
        String message = drill(dir, () -> Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x")),
                () -> Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x")));
        assertTrue(message.contains("AccessDeniedException"), message);
        System.out.println("DRILL read-only directory (real permissions): " + message);
    }

    @Test
    void aReadOnlyDirectoryIsSimulatedForRoot(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("checkpoints");
        AtomicFiles.Fault denied = new AtomicFiles.Fault() {
            @Override
            public void beforeCreate(Path file) throws IOException {
                throw new AccessDeniedException(file.toString(), null, "Permission denied");
            }
        };
        String message = drill(dir, () -> AtomicFiles.fault = denied, () -> AtomicFiles.fault = null);
        assertTrue(message.contains("AccessDeniedException") && message.contains("Permission denied"), message);
        System.out.println("DRILL read-only directory (simulated): " + message);
    }

    @Test
    void aFullDiskInTheMiddleOfAWriteKeepsThePreviousCheckpointAndCleansUp(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("checkpoints");
        long[] written = new long[1];
        int[] calls = new int[1];
        List<Path> partial = new ArrayList<>();
        AtomicFiles.Fault full = new AtomicFiles.Fault() {
            @Override
            public void beforeWrite(long position, int bytes) throws IOException {
                if (++calls[0] == 3) { // the length prefix and the header are on disk, the tensors are next
                    try (Stream<Path> files = Files.list(dir)) {
                        files.filter(p -> TensorFile.temporaryTarget(p.getFileName().toString()) != null).forEach(partial::add);
                    }
                    written[0] = position;
                    throw new FileSystemException(partial.isEmpty() ? dir.toString() : partial.get(0).toString(), null,
                            "No space left on device");
                }
            }
        };
        byte[][] before = new byte[1][];
        String message = drill(dir, () -> {
            before[0] = Files.readAllBytes(TrainingCheckpoint.fileFor(dir, 5));
            AtomicFiles.fault = full;
        }, () -> AtomicFiles.fault = null);
        assertTrue(message.contains("No space left on device"), message);
        assertEquals(1, partial.size(), "a partial temporary file existed when the disk filled up: " + partial);
        assertTrue(written[0] > 0, "part of the file was written");
        assertTrue(Files.notExists(partial.get(0)), "the partial temporary file was deleted");
        assertArrayEquals(before[0], Files.readAllBytes(TrainingCheckpoint.fileFor(dir, 5)), "the previous checkpoint is unchanged");
        System.out.println("DRILL full disk after " + written[0] + " bytes of " + partial.get(0).getFileName() + ": " + message);
    }

    @Test
    void aDirectoryPathThatIsARegularFileIsRefusedUpFront(@TempDir Path tmp) throws IOException {
        Path notADirectory = Files.writeString(tmp.resolve("checkpoints"), "a file");
        IOException e = assertThrows(IOException.class, () -> new Trainer(config()).train(NET, data(), List.of(),
                TrainingListener.NONE, CheckpointPolicy.everyBatches(notADirectory, 5)));
        assertTrue(e.getMessage().contains(notADirectory + " exists but is not a directory"), e.getMessage());
        assertEquals("a file", Files.readString(notADirectory));
    }
}
