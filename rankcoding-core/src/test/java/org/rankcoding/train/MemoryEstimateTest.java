package org.rankcoding.train;

import org.junit.jupiter.api.Test;
import org.rankcoding.data.InMemorySequences;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.nn.ConvFrontEndConfig;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.RankCodingNetwork;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/**
 * The memory estimate of a training run: close to what a real run allocates, checked before anything large is
 * allocated, refused with the figures when it cannot fit the heap, and quiet for the sizes the tasks use.
 */
class MemoryEstimateTest {

    private static TrainerConfig config(int batch, int threads, long sequences) {
        return TrainerConfig.builder().batchSize(batch).threads(threads).trainSequences(sequences).learningRate(1e-3)
                .validateEverySequences(1_000_000).seed(3).build();
    }

    @Test
    void aNetworkTooBigForTheHeapIsRefusedBeforeItIsAllocated() {
        // 4H x H = 80000 x 20000 doubles per layer: 12.8 GB of parameters, several times that with Adam and the passes;
        // without the estimate, creating the network runs out of memory
        NetworkConfig huge = new NetworkConfig(1, 20_000, 1, HeadType.BINARY_SIGMOID, 2);
        InMemorySequences data = NoiseSignalTask.dataset(1, 8, 5, 5, 0.3, 0.1);
        Trainer trainer = new Trainer(config(8, 2, 8));
        assertEquals(Runtime.getRuntime().maxMemory(), trainer.heapLimit());
        assertIllegalArgument(() -> trainer.train(huge, data, List.of(), TrainingListener.NONE), "training needs about",
                "GB of heap but at most", "hiddenSize = 20000", "layers = 1", "threads = 2", "before the first batch", "per-thread gradients",
                "smaller hidden size", "-Xmx");
        RankCodingNetwork small = new RankCodingNetwork(NetworkConfig.binary(1, 64), 1);
        assertIllegalArgument(() -> trainer.withHeapLimit(100_000).continueTraining(small, data, List.of(), TrainingListener.NONE),
                "of heap but at most 97.7 KB", "hiddenSize = 64");
    }

    @Test
    void theWeightAverageAndTheBestWeightsAreCountedWhenOn() {
        NetworkConfig net = new NetworkConfig(1, 64, 2, HeadType.BINARY_SIGMOID, 2);
        TrainerConfig plain = config(32, 1, 64);
        long params = MemoryEstimate.parameterCount(net) * Double.BYTES;
        long base = MemoryEstimate.of(net, plain, 20).bytes();
        assertEquals(base + 2 * params, MemoryEstimate.of(net, plain.toBuilder().averageDecay(0.99).build(), 20).bytes());
        assertEquals(base + 3 * params, MemoryEstimate.of(net, plain.toBuilder().averageDecay(0.99).patience(2).build(), 20)
                .bytes());
        assertTrue(MemoryEstimate.of(net, plain, 20).terms().stream()
                .noneMatch(t -> t.name().equals("weight average and best weights")));
    }

    @Test
    void aBatchLongerThanTheHeapAllowsIsRefusedAtItsFirstBatchWithTheStepCount() {
        NetworkConfig net = new NetworkConfig(1, 64, 2, HeadType.BINARY_SIGMOID, 2);
        TrainerConfig cfg = config(32, 1, 64);
        long before = MemoryEstimate.of(net, cfg, 0).bytes();
        long tenSteps = MemoryEstimate.of(net, cfg, 10).bytes();
        long limit = (before + tenSteps) / 2;
        Trainer trainer = new Trainer(cfg).withHeapLimit(limit);
        trainer.train(net, NoiseSignalTask.dataset(1, 64, 4, 4, 0.3, 0.1), List.of(), TrainingListener.NONE); // fits
        assertIllegalArgument(() -> trainer.train(net, NoiseSignalTask.dataset(1, 64, 10, 10, 0.3, 0.1), List.of(),
                TrainingListener.NONE), "batches of 10 steps", "forward tape", "batchSize = 32");
    }

    @Test
    void theSizesTheTasksUseFitAModestHeap() {
        long mb = 1L << 20;
        // temporal MNIST defaults: 784 inputs, H = 125, batch 256, 2 threads, 20 steps
        MemoryEstimate mnist = MemoryEstimate.of(new NetworkConfig(784, 125, 1, HeadType.PER_CLASS_SIGMOID, 10),
                config(256, 2, 1), 20);
        mnist.requireFits(512 * mb);
        assertTrue(mnist.bytes() > 100 * mb && mnist.bytes() < 250 * mb, mnist.toString());
        assertEquals("forward tape", mnist.terms().get(0).name(), mnist.toString());
        // noise vs signal defaults: 1 input, H = 125, batch 128, 40 steps
        MemoryEstimate toy = MemoryEstimate.of(NetworkConfig.binary(1, 125), config(128, 2, 1), 40);
        toy.requireFits(512 * mb);
        // a two-stage front end
        ConvFrontEndConfig conv = ConvFrontEndConfig.conv(16, 5, 2, 28, 28).withSecondStage(32);
        MemoryEstimate front = MemoryEstimate.of(new NetworkConfig(784, 125, 2, HeadType.SOFTMAX, 10, conv), config(64, 2, 1), 20);
        front.requireFits(512 * mb);
    }

    @Test
    void everyValidConfigurationGivesAFiniteEstimateAndAnOverflowingBufferIsRefused() {
        NetworkConfig widest = new NetworkConfig(NetworkConfig.MAX_INPUT_SIZE, 8, NetworkConfig.MAX_LAYERS, HeadType.SOFTMAX,
                NetworkConfig.MAX_CLASSES);
        MemoryEstimate e = MemoryEstimate.of(widest, config(Integer.MAX_VALUE, 1024, 1), Integer.MAX_VALUE);
        assertEquals(Long.MAX_VALUE, e.bytes());
        assertIllegalArgument(() -> e.requireFits(Long.MAX_VALUE), "batchSize = 2147483647", "more than a Java array holds");
        assertIllegalArgument(() -> MemoryEstimate.of(NetworkConfig.binary(1, 8), config(8, 1, 1), -1), "steps = -1");
        assertIllegalArgument(() -> MemoryEstimate.of(null, config(8, 1, 1), 1), "required");
        assertIllegalArgument(() -> new Trainer(config(8, 1, 1)).withHeapLimit(0), "heap limit = 0");
    }

    @Test
    void theEstimateIsWithinAFactorOfOneAndAHalfOfARealRunsAllocation() throws ReflectiveOperationException {
        NetworkConfig net = new NetworkConfig(1, 64, 2, HeadType.BINARY_SIGMOID, 2);
        int batch = 64;
        int steps = 40;
        TrainerConfig cfg = config(batch, 1, batch); // one thread: every allocation happens on this thread
        InMemorySequences data = NoiseSignalTask.dataset(1, batch, steps, steps, 0.3, 0.1);
        // the reference kernels allocate nothing per step even before the JIT has compiled them (the Vector API's do,
        // until C2 removes their boxes): what a run allocates after a warm-up is its buffers and the source's batch
        MatrixKernels kernels = Kernels.select("reference");
        Trainer trainer = new Trainer(cfg, kernels);
        new Trainer(config(batch, 1, 20L * batch), kernels).train(net, data, List.of(), TrainingListener.NONE);
        long start = allocatedBytes();
        trainer.train(net, data, List.of(), TrainingListener.NONE);
        long measured = allocatedBytes() - start;
        long estimate = MemoryEstimate.of(net, cfg, steps).bytes();
        double ratio = (double) estimate / measured;
        assertTrue(ratio > 1 / 1.5 && ratio < 1.5, "estimate " + MemoryEstimate.format(estimate) + ", measured "
                + MemoryEstimate.format(measured) + " (ratio " + ratio + "): " + MemoryEstimate.of(net, cfg, steps));
    }

    /**
     * This thread's allocated bytes, by {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes} (reached by
     * reflection: the core module does not read {@code jdk.management}).
     */
    private static long allocatedBytes() throws ReflectiveOperationException {
        Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Class<?> type = Class.forName("com.sun.management.ThreadMXBean");
        return (Long) type.getMethod("getThreadAllocatedBytes", long.class).invoke(bean, Thread.currentThread().getId());
    }
}
