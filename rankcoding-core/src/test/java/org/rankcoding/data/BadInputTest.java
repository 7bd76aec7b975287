package org.rankcoding.data;

import org.junit.jupiter.api.Test;
import org.rankcoding.eval.Evaluator;
import org.rankcoding.kernel.ReferenceKernels;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.Parameters;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.FirstSpikeDetector;
import org.rankcoding.rc.InferencePass;
import org.rankcoding.rc.LossMode;
import org.rankcoding.rc.RankCodingLoss;
import org.rankcoding.rc.RankCodingPass;
import org.rankcoding.train.Trainer;
import org.rankcoding.train.TrainerConfig;
import org.rankcoding.train.TrainingListener;

import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/**
 * Bad input is rejected at the boundary with an {@link IllegalArgumentException} whose message carries the
 * offending value.
 */
class BadInputTest {

    private static final RankCodingLoss RC = new RankCodingLoss(LossMode.RANK_CODING, 0.0);

    /** A valid batch: 2 rows, 3 steps, input size 2. */
    private static double[] inputs(int steps, int rows, int inputSize) {
        double[] in = new double[steps * rows * inputSize];
        for (int i = 0; i < in.length; i++) {
            in[i] = Math.sin(i);
        }
        return in;
    }

    /** A binary network (4 hidden units), a reference-kernel training pass over it and a gradient of its layout. */
    private record Rig(RankCodingNetwork net, RankCodingPass pass, Parameters g) {
        static Rig binary(int inputSize) {
            RankCodingNetwork net = new RankCodingNetwork(NetworkConfig.binary(inputSize, 4), 1);
            return new Rig(net, new RankCodingPass(net, ReferenceKernels.INSTANCE), net.parameters().zerosLike());
        }

        /** Asserts that the training pass (unlimited horizon) and a fresh inference pass both reject {@code b} at {@code theta}. */
        void assertPassesReject(SequenceBatch b, double theta, String... fragments) {
            assertIllegalArgument(() -> pass.gradients(b, theta, RC, RankCodingPass.UNLIMITED_HORIZON, g), fragments);
            assertIllegalArgument(() -> new InferencePass(net, ReferenceKernels.INSTANCE).earlyExit(b, theta), fragments);
        }
    }

    private static SequenceBatch batch(int rows, int steps, int inputSize, int numClasses, int... labels) {
        int[] lengths = new int[rows];
        Arrays.fill(lengths, steps);
        return new SequenceBatch(rows, steps, inputSize, inputs(steps, rows, inputSize), lengths, labels, numClasses, null);
    }

    // ------------------------------------------------------------------ non-finite inputs

    @Test
    void nonFiniteInputsAreRejected() {
        for (double bad : new double[]{Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            double[] in = inputs(3, 2, 2);
            in[(2 * 2 + 1) * 2 + 1] = bad; // step 3, row 1, input 1
            assertIllegalArgument(() -> new SequenceBatch(2, 3, 2, in, new int[]{3, 3}, new int[]{0, 1}, 2, null),
                    String.valueOf(bad), "row 1", "step 3");
            double[][] steps = {{0.1}, {bad}};
            assertIllegalArgument(() -> InMemorySequences.toBatch(List.of(new LabeledSequence(steps, 0)), 2), String.valueOf(bad));
        }
    }

    @Test
    void aNonFiniteValueInADataSetNamesTheSequenceByItsIndexInTheSource() {
        List<LabeledSequence> sequences = new java.util.ArrayList<>();
        for (int k = 0; k < 2_000; k++) {
            sequences.add(new LabeledSequence(new double[][]{{0.1, 0.2}, {0.3, 0.4}, {0.5, 0.6}}, k % 2));
        }
        sequences.set(1_234, new LabeledSequence(new double[][]{{0.1, 0.2}, {0.3, 0.4}, {0.5, Double.NaN}}, 0));
        // refused when the data set is built, before any shuffled batch could call it "row r"
        assertIllegalArgument(() -> new InMemorySequences(sequences, 2), "sequence 1234 (of 2000), step 3, input 1 is NaN");
        assertIllegalArgument(() -> new LabeledSequence(new double[][]{{Double.POSITIVE_INFINITY}}, 0).requireFinite("image 7"),
                "image 7, step 1, input 0 is Infinity, expected a finite value");
    }

    @Test
    void nonFiniteValuesInPaddingAreNeverRead() {
        double[] in = inputs(3, 2, 1);
        in[2 * 2 + 1] = Double.NaN; // step 3 of row 1, whose length is 2
        SequenceBatch b = assertDoesNotThrow(() -> new SequenceBatch(2, 3, 1, in, new int[]{3, 2}, new int[]{0, 1}, 2, null));
        RankCodingNetwork net = new RankCodingNetwork(NetworkConfig.binary(1, 3), 1);
        Parameters g = net.parameters().zerosLike();
        double loss = new RankCodingPass(net, ReferenceKernels.INSTANCE).gradients(b, 0.99, RC, RankCodingPass.UNLIMITED_HORIZON, g);
        assertTrue(Double.isFinite(loss) && g.allFinite(), "padding must not leak into the loss or the gradients");
    }

    // ------------------------------------------------------------------ shapes

    @Test
    void wrongShapesAreRejected() {
        // input array length: 37 values for 3 x 2 x 2 = 12
        assertIllegalArgument(() -> new SequenceBatch(2, 3, 2, new double[37], new int[]{3, 3}, new int[]{0, 1}, 2, null), "37", "12");
        // lengths / labels arrays of the wrong size
        assertIllegalArgument(() -> new SequenceBatch(2, 3, 2, inputs(3, 2, 2), new int[]{3, 3, 3}, new int[]{0, 1}, 2, null), "lengths", "3 entries");
        assertIllegalArgument(() -> new SequenceBatch(2, 3, 2, inputs(3, 2, 2), new int[]{3, 3}, new int[]{0, 1, 1, 0, 1}, 2, null), "labels", "5 entries");
        assertIllegalArgument(() -> new SequenceBatch(2, 3, 2, inputs(3, 2, 2), new int[]{3, 3}, new int[]{0, 1}, 2, new int[]{1, 1, 1, 1}),
                "optimalSteps", "4 entries");
        assertIllegalArgument(() -> new SequenceBatch(2, 3, 2, inputs(3, 2, 2), null, new int[]{0, 1}, 2, null), "lengths", "null");
        // lengths out of [1, maxLength]
        assertIllegalArgument(() -> new SequenceBatch(2, 3, 2, inputs(3, 2, 2), new int[]{3, 0}, new int[]{0, 1}, 2, null), "length 0");
        assertIllegalArgument(() -> new SequenceBatch(2, 3, 2, inputs(3, 2, 2), new int[]{4, 3}, new int[]{0, 1}, 2, null), "length 4");
        assertIllegalArgument(() -> new SequenceBatch(2, 3, 0, new double[0], new int[]{3, 3}, new int[]{0, 1}, 2, null), "inputSize = 0");
        assertIllegalArgument(() -> new SequenceBatch(2, 0, 2, new double[0], new int[]{3, 3}, new int[]{0, 1}, 2, null), "maxLength = 0");
        // sequences of different input sizes
        assertIllegalArgument(() -> new InMemorySequences(List.of(new LabeledSequence(new double[][]{{1, 2}}, 0),
                new LabeledSequence(new double[][]{{1, 2, 3}}, 1)), 2), "3", "2");
        assertIllegalArgument(() -> InMemorySequences.toBatch(List.of(new LabeledSequence(new double[][]{{1, 2}}, 0),
                new LabeledSequence(new double[][]{{1, 2, 3, 4, 5}}, 1)), 2), "5", "2");
        // ragged steps inside one sequence
        assertIllegalArgument(() -> new LabeledSequence(new double[][]{{1, 2}, {1, 2, 3}}, 0), "step 2", "3 values");
        assertIllegalArgument(() -> new LabeledSequence(new double[][]{{}}, 0), "step 1");
        assertIllegalArgument(() -> new LabeledSequence(new double[0][], 0), "0 steps");
    }

    @Test
    void aBatchWhoseInputSizeDiffersFromTheNetworkIsRejected() {
        Rig rig = Rig.binary(3);
        SequenceBatch b = batch(2, 3, 5, 2, 0, 1);
        rig.assertPassesReject(b, 0.9, "5", "3");
        assertIllegalArgument(() -> Evaluator.evaluate(rig.net(), List.of(b), 0.9, 1.0), "5", "3");
        // and a source whose input size differs from the network's
        InMemorySequences source = new InMemorySequences(List.of(new LabeledSequence(new double[][]{{1, 2, 3, 4, 5, 6, 7}}, 0)), 2);
        assertIllegalArgument(() -> new Trainer(TrainerConfig.builder().trainSequences(10).build())
                .train(NetworkConfig.binary(3, 4), source, List.of(), TrainingListener.NONE), "7", "3");
    }

    @Test
    void gradientsOfAnotherLayoutAreRejected() {
        RankCodingNetwork net = new RankCodingNetwork(NetworkConfig.binary(2, 4), 1);
        RankCodingNetwork other = new RankCodingNetwork(NetworkConfig.binary(2, 5), 1);
        RankCodingPass pass = new RankCodingPass(net, ReferenceKernels.INSTANCE);
        assertIllegalArgument(() -> pass.gradients(batch(2, 3, 2, 2, 0, 1), 0.9, RC, RankCodingPass.UNLIMITED_HORIZON,
                other.parameters().zerosLike()), "16x2", "20x2");
    }

    @Test
    void rowRangesOutsideTheBatchAreRejected() {
        Rig rig = Rig.binary(2);
        RankCodingPass pass = rig.pass();
        Parameters g = rig.g();
        SequenceBatch b = batch(3, 2, 2, 2, 0, 1, 0);
        assertIllegalArgument(() -> pass.gradients(b, 0, 7, 1.0, 0.9, RC, RankCodingPass.UNLIMITED_HORIZON, g), "7");
        assertIllegalArgument(() -> pass.gradients(b, -2, 2, 1.0, 0.9, RC, RankCodingPass.UNLIMITED_HORIZON, g), "-2");
        assertIllegalArgument(() -> pass.gradients(b, 2, 2, 1.0, 0.9, RC, RankCodingPass.UNLIMITED_HORIZON, g), "[2, 2)");
    }

    // ------------------------------------------------------------------ labels

    @Test
    void labelsOutOfRangeAreRejectedByTheBatch() {
        assertIllegalArgument(() -> batch(2, 3, 2, 3, 0, -1), "label -1");
        assertIllegalArgument(() -> batch(2, 3, 2, 3, 3, 0), "label 3");
        assertIllegalArgument(() -> batch(2, 3, 2, 2, 0, 2), "label 2"); // a binary task with label 2
        assertIllegalArgument(() -> new InMemorySequences(List.of(new LabeledSequence(new double[][]{{1}}, 0),
                new LabeledSequence(new double[][]{{1}}, 5)), 4), "label 5");
        assertIllegalArgument(() -> new InMemorySequences(List.of(new LabeledSequence(new double[][]{{1}}, -3)), 4), "label -3");
        assertIllegalArgument(() -> InMemorySequences.toBatch(List.of(new LabeledSequence(new double[][]{{1}}, 2)), 2), "label 2");
    }

    @Test
    void labelsOutOfRangeForTheNetworksHeadAreRejectedByThePass() {
        // The batch was built for 3 classes, so its own check passes; the network's head has fewer classes.
        // Without a check the head reads z[label] beyond the row's outputs (another row's value) or computes
        // softplus(z) - 2z for the binary head: a silently wrong loss and gradient.
        RankCodingNetwork binary = new RankCodingNetwork(NetworkConfig.binary(2, 4), 1);
        SequenceBatch label2 = batch(2, 3, 2, 3, 0, 2);
        assertIllegalArgument(() -> new RankCodingPass(binary, ReferenceKernels.INSTANCE).gradients(label2, 0.9, RC,
                RankCodingPass.UNLIMITED_HORIZON, binary.parameters().zerosLike()), "label 2");
    }

    @Test
    void labelsBeyondTheSoftmaxHeadsClassesAreRejectedByThePass() {
        RankCodingNetwork softmax = new RankCodingNetwork(new NetworkConfig(2, 4, 1, HeadType.SOFTMAX, 3), 1);
        SequenceBatch label4 = batch(2, 3, 2, 5, 4, 0);
        assertIllegalArgument(() -> new RankCodingPass(softmax, ReferenceKernels.INSTANCE).gradients(label4, 0.9, RC,
                RankCodingPass.UNLIMITED_HORIZON, softmax.parameters().zerosLike()), "label 4");
    }

    @Test
    void labelsBeyondTheNetworksClassesAreRejectedByTheEvaluator() {
        RankCodingNetwork binary = new RankCodingNetwork(NetworkConfig.binary(2, 4), 1);
        SequenceBatch label2 = batch(2, 3, 2, 3, 0, 2);
        assertIllegalArgument(() -> Evaluator.evaluate(binary, List.of(label2), 0.9, 1.0), "label 2");
    }

    @Test
    void aSourceWithAnotherClassCountIsRejectedByTheTrainer() {
        InMemorySequences source = new InMemorySequences(List.of(new LabeledSequence(new double[][]{{1}}, 0)), 7);
        assertIllegalArgument(() -> new Trainer(TrainerConfig.builder().trainSequences(10).build())
                .train(NetworkConfig.binary(1, 4), source, List.of(), TrainingListener.NONE), "7", "2");
        assertIllegalArgument(() -> new NetworkConfig(1, 4, 1, HeadType.BINARY_SIGMOID, 3), "3");
        assertIllegalArgument(() -> new NetworkConfig(1, 4, 1, HeadType.SOFTMAX, 1), "numClasses = 1");
        assertIllegalArgument(() -> new NetworkConfig(1, 0, 1, HeadType.SOFTMAX, 2), "hiddenSize = 0");
        assertIllegalArgument(() -> new NetworkConfig(1, 4, 0, HeadType.SOFTMAX, 2), "layers = 0");
        assertIllegalArgument(() -> new NetworkConfig(-1, 4, 1, HeadType.SOFTMAX, 2), "inputSize = -1");
    }

    // ------------------------------------------------------------------ thresholds

    @Test
    void thresholdsOutsideTheOpenIntervalAreRejectedEverywhere() {
        Rig rig = Rig.binary(2);
        SequenceBatch b = batch(2, 3, 2, 2, 0, 1);
        for (double theta : new double[]{0.5, 1.0, 0.25, 1.25, Double.NaN}) {
            String v = String.valueOf(theta);
            assertIllegalArgument(() -> new FirstSpikeDetector(rig.net().head(), theta), v);
            rig.assertPassesReject(b, theta, v);
            assertIllegalArgument(() -> new Evaluator(rig.net(), theta, 1.0), v);
            assertIllegalArgument(() -> TrainerConfig.builder().threshold(theta).build(), v);
        }
    }

    // ------------------------------------------------------------------ empty batches

    @Test
    void emptyBatchesAreRejected() {
        assertIllegalArgument(() -> new SequenceBatch(0, 3, 2, new double[0], new int[0], new int[0], 2, null), "batchSize = 0");
        assertIllegalArgument(() -> new InMemorySequences(List.of(), 2), "no sequences");
        assertIllegalArgument(() -> new InMemorySequences(null, 2), "no sequences");
        assertIllegalArgument(() -> InMemorySequences.toBatch(List.of(), 2), "empty");
        InMemorySequences data = new InMemorySequences(List.of(new LabeledSequence(new double[][]{{1}}, 0)), 2);
        assertIllegalArgument(() -> data.batches(0), "batchSize = 0");
        assertIllegalArgument(() -> data.nextBatch(0, new java.util.SplittableRandom(1)), "maxRows = 0");
        assertIllegalArgument(() -> new InMemorySequences(List.of(new LabeledSequence(new double[][]{{1}}, 0)), 1), "numClasses = 1");
    }

    // ------------------------------------------------------------------ trainer configuration

    private static void rejectsConfig(UnaryOperator<TrainerConfig.Builder> change, String... fragments) {
        assertIllegalArgument(() -> change.apply(TrainerConfig.builder()).build(), fragments);
    }

    @Test
    void badTrainerConfigurationsAreRejected() {
        rejectsConfig(b -> b.learningRate(0), "learningRate = 0.0");
        rejectsConfig(b -> b.learningRate(-1e-3), "learningRate = -0.001");
        rejectsConfig(b -> b.learningRate(Double.NaN), "learningRate = NaN");
        rejectsConfig(b -> b.learningRate(Double.POSITIVE_INFINITY), "learningRate = Infinity");
        rejectsConfig(b -> b.beta(Double.NaN), "beta = NaN");
        rejectsConfig(b -> b.beta(-0.5), "beta = -0.5");
        rejectsConfig(b -> b.beta(Double.POSITIVE_INFINITY), "beta = Infinity");
        rejectsConfig(b -> b.prefixLossWeight(-1), "prefixLossWeight = -1.0");
        rejectsConfig(b -> b.prefixLossWeight(Double.NaN), "prefixLossWeight = NaN");
        rejectsConfig(b -> b.batchSize(0), "batchSize = 0");
        rejectsConfig(b -> b.batchSize(-4), "batchSize = -4");
        rejectsConfig(b -> b.horizon(0), "horizon = 0");
        rejectsConfig(b -> b.horizon(-3), "horizon = -3");
        rejectsConfig(b -> b.trainSequences(0), "trainSequences = 0");
        rejectsConfig(b -> b.adamBeta1(1.0), "adamBeta1 = 1.0");
        rejectsConfig(b -> b.adamBeta2(-0.1), "adamBeta2 = -0.1");
        rejectsConfig(b -> b.adamEpsilon(0), "adamEpsilon = 0.0");
        rejectsConfig(b -> b.clipNorm(-1), "clipNorm = -1.0");
        rejectsConfig(b -> b.clipNorm(Double.NaN), "clipNorm = NaN");
        rejectsConfig(b -> b.validateEverySequences(0), "validateEverySequences = 0");
        rejectsConfig(b -> b.threads(0), "threads = 0");
        rejectsConfig(b -> b.lossMode(null), "null");
        rejectsConfig(b -> b.threshold(1.5), "1.5");
    }

    @Test
    void badLossAndHorizonArgumentsAreRejected() {
        assertIllegalArgument(() -> new RankCodingLoss(LossMode.RANK_CODING, Double.NaN), "NaN");
        assertIllegalArgument(() -> new RankCodingLoss(LossMode.RANK_CODING, -2.5), "-2.5");
        assertIllegalArgument(() -> new RankCodingLoss(LossMode.RANK_CODING, 0, -0.5), "prefix-loss weight = -0.5");
        assertIllegalArgument(() -> new RankCodingLoss(LossMode.RANK_CODING, 0, Double.POSITIVE_INFINITY),
                "prefix-loss weight = Infinity");
        assertIllegalArgument(() -> new RankCodingLoss(null, 0.0), "null");
        RankCodingNetwork net = new RankCodingNetwork(NetworkConfig.binary(2, 4), 1);
        RankCodingPass pass = new RankCodingPass(net, ReferenceKernels.INSTANCE);
        SequenceBatch b = batch(2, 3, 2, 2, 0, 1);
        assertIllegalArgument(() -> pass.gradients(b, 0.9, RC, 0, net.parameters().zerosLike()), "horizon = 0");
        assertIllegalArgument(() -> pass.gradients(b, 0.9, RC, -7, net.parameters().zerosLike()), "horizon = -7");
        assertIllegalArgument(() -> new Evaluator(net, 0.9, 0.0), "timingWindow = 0.0");
    }
}
