package org.rankcoding.nn;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.rankcoding.data.SequenceBatch;
import org.rankcoding.kernel.ReferenceKernels;
import org.rankcoding.rc.InferencePass;
import org.rankcoding.rc.RcTestSupport;
import org.rankcoding.rc.ReferenceRankCoding;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link NetworkEnsemble#averaged}: at every step and for every row, the ensemble's output is the head applied to the
 * mean of the members' logits, recovered here from each member's own probabilities (the log of a softmax is the logits
 * up to a constant per row, which the mean and the softmax cancel; the logit of a sigmoid is the logit), with the
 * slow reference kernels, for every head, one and two layers, one to four members and variable-length rows.
 */
class NetworkEnsembleTest {

    private static final double TOL = 1e-9;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (HeadType head : HeadType.values()) {
            for (int layers = 1; layers <= 2; layers++) {
                for (int members : new int[] {1, 2, 4}) {
                    out.add(Arguments.of(head, layers, members));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} layers={1} members={2}")
    @MethodSource("cases")
    void outputsAreTheHeadOfTheMeanLogits(HeadType head, int layers, int members) {
        int classes = head == HeadType.BINARY_SIGMOID ? 2 : 3;
        int inputSize = 3;
        int hidden = 5;
        List<RankCodingNetwork> nets = new ArrayList<>();
        for (int k = 0; k < members; k++) {
            nets.add(RcTestSupport.network(inputSize, hidden, layers, head, classes, 11 + k, 0.6));
        }
        double[] before = nets.get(0).parameters().tensors().get(0).data.clone();
        RankCodingNetwork ensemble = NetworkEnsemble.averaged(nets);
        assertEquals(members * hidden, ensemble.config().hiddenSize());
        assertArrayEquals(before, nets.get(0).parameters().tensors().get(0).data, "a member was modified");

        SplittableRandom rng = new SplittableRandom(5);
        int[] lengths = {6, 1, 4, 6, 3};
        SequenceBatch batch = RcTestSupport.batch(rng, inputSize, lengths, classes, 1.0, Double.NaN);
        int outputs = OutputHead.of(head, classes).outputs();
        int maxLength = 6;
        double[][][] memberP = new double[members][][];
        for (int k = 0; k < members; k++) {
            memberP[k] = probabilities(nets.get(k), batch, outputs, maxLength);
        }
        double[][] ensembleP = probabilities(ensemble, batch, outputs, maxLength);
        int compared = 0;
        for (int t = 0; t < maxLength; t++) {
            for (int r = 0; r < lengths.length; r++) {
                if (t >= lengths[r]) {
                    continue;
                }
                double[] meanLogit = new double[outputs];
                for (int k = 0; k < members; k++) {
                    for (int o = 0; o < outputs; o++) {
                        double p = memberP[k][t * lengths.length + r][o];
                        meanLogit[o] += (head == HeadType.SOFTMAX ? Math.log(p) : Math.log(p / (1 - p))) / members;
                    }
                }
                double[] expected = new double[outputs];
                ReferenceRankCoding.probabilities(OutputHead.of(head, classes), meanLogit, expected);
                double[] actual = ensembleP[t * lengths.length + r];
                for (int o = 0; o < outputs; o++) {
                    assertEquals(expected[o], actual[o], TOL, "step " + (t + 1) + " row " + r + " output " + o);
                }
                compared++;
            }
        }
        assertEquals(20, compared);
    }

    @Test
    void oneMemberIsACopy() {
        RankCodingNetwork net = RcTestSupport.network(2, 4, 2, HeadType.SOFTMAX, 3, 3, 0.5);
        RankCodingNetwork copy = NetworkEnsemble.averaged(List.of(net));
        for (int i = 0; i < net.parameters().tensors().size(); i++) {
            assertArrayEquals(net.parameters().tensors().get(i).data, copy.parameters().tensors().get(i).data, 0.0,
                    "tensor " + i);
        }
        assertTrue(copy != net);
    }

    @Test
    void refusesWhatItCannotStack() {
        RankCodingNetwork a = RcTestSupport.network(2, 4, 1, HeadType.SOFTMAX, 3, 1, 0.5);
        RankCodingNetwork b = RcTestSupport.network(2, 5, 1, HeadType.SOFTMAX, 3, 2, 0.5);
        IllegalArgumentException shapes = assertThrows(IllegalArgumentException.class, () -> NetworkEnsemble.averaged(List.of(a, b)));
        assertTrue(shapes.getMessage().contains("member 1"), shapes.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> NetworkEnsemble.averaged(List.of()));
        assertTrue(empty.getMessage().contains("at least one"), empty.getMessage());
        RankCodingNetwork tiny = new RankCodingNetwork(new NetworkConfig(1, 1, 1, HeadType.SOFTMAX, 2), 1);
        IllegalArgumentException tooWide = assertThrows(IllegalArgumentException.class,
                () -> NetworkEnsemble.averaged(Collections.nCopies(NetworkConfig.MAX_HIDDEN_SIZE + 1, tiny)));
        RankCodingNetwork wide = new RankCodingNetwork(new NetworkConfig(1, 200, 1, HeadType.SOFTMAX, 2), 1);
        IllegalArgumentException tooLarge = assertThrows(IllegalArgumentException.class,
                () -> NetworkEnsemble.averaged(Collections.nCopies(120, wide)));
        assertTrue(tooLarge.getMessage().contains("120 members of hidden size 200"), tooLarge.getMessage());
        assertTrue(tooWide.getMessage().contains("fewer or smaller"), tooWide.getMessage());
        ConvFrontEndConfig fe = new ConvFrontEndConfig(2, 3, 2, 8, 8);
        RankCodingNetwork conv = RcTestSupport.network(fe, 4, 1, HeadType.SOFTMAX, 3, 1, 0.5);
        IllegalArgumentException frontEnd = assertThrows(IllegalArgumentException.class, () -> NetworkEnsemble.averaged(List.of(conv)));
        assertTrue(frontEnd.getMessage().contains("front end"), frontEnd.getMessage());
    }

    /** Per {@code (step, row)} (index {@code t * rows + r}) the head's probabilities, every row run to its end. */
    private static double[][] probabilities(RankCodingNetwork net, SequenceBatch batch, int outputs, int maxLength) {
        double[][] p = new double[maxLength * batch.batchSize()][];
        new InferencePass(net, ReferenceKernels.INSTANCE).runToEnd(batch, 0.999999, (step, row, probs, off) -> {
            double[] copy = new double[outputs];
            System.arraycopy(probs, off, copy, 0, outputs);
            p[(step - 1) * batch.batchSize() + row] = copy;
        });
        return p;
    }
}
