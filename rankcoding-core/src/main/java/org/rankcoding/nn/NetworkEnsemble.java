package org.rankcoding.nn;

import org.ejml.data.DMatrixRMaj;

import java.util.List;
import java.util.Objects;

/**
 * An ensemble of networks of one shape as a single network: {@link #averaged} stacks the members' LSTM units side by
 * side (hidden size {@code K H} for {@code K} members of hidden size {@code H}) with no connection between members, and
 * gives it a readout whose logits are the mean of the members' logits at every step. The result is an ordinary
 * {@link RankCodingNetwork}, so everything that takes one (early-exit and streaming inference, evaluation, threshold
 * sweeps and calibration, model files) serves the ensemble unchanged, and it decides, like any network, at the first
 * step where its averaged output crosses the threshold.
 *
 * <p>Why: on small training sets (the UCR/UEA archive's 36 to 270 series) networks trained from different seeds differ
 * widely, some failing to learn at all; averaging their logits removes much of that variance. Averaging logits rather
 * than probabilities keeps the ensemble a network: for a softmax head it is the normalised geometric mean of the
 * members' probabilities, for a sigmoid head the sigmoid of the mean logit.
 *
 * <p>Layout, member {@code k} of {@code K}, gate block {@code q} of (i, f, g, o), unit {@code j}: row {@code q K H + k H
 * + j} of every LSTM weight and bias holds the member's row {@code q H + j}; the recurrent weights (and the input weights
 * of stacked layers) are block-diagonal, the first layer's input weights side by side; readout column {@code k H + j}
 * holds the member's column {@code j} divided by {@code K}, the bias is the members' mean. The off-diagonal zeros are
 * computed like any weight (an ensemble of {@code K} costs about {@code K} times the compute of its members together);
 * they stay zero as long as the network is only used for inference: training the result would connect the members.
 */
public final class NetworkEnsemble {

    private NetworkEnsemble() {
    }

    /**
     * The network whose logits at every step are the mean of the members' logits for the same input.
     *
     * @param members at least one network, all with the same configuration and no convolutional front end; not
     *                modified
     * @return a new network of hidden size {@code members.size() * H} (a single member gives a copy of it)
     * @throws IllegalArgumentException if the list is empty, the configurations differ, a member has a front end, or
     *                                  the stacked network exceeds a limit of {@link NetworkConfig} (hidden size, matrix
     *                                  elements)
     */
    public static RankCodingNetwork averaged(List<RankCodingNetwork> members) {
        Objects.requireNonNull(members, "members is null");
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one member network, got none");
        }
        RankCodingNetwork first = Objects.requireNonNull(members.get(0), "member 0 is null");
        NetworkConfig c = first.config();
        for (int k = 1; k < members.size(); k++) {
            NetworkConfig other = Objects.requireNonNull(members.get(k), "member " + k + " is null").config();
            if (!other.equals(c)) {
                throw new IllegalArgumentException("ensemble members must share one configuration: member 0 is " + c
                        + ", member " + k + " is " + other);
            }
        }
        if (!c.frontEnd().isNone()) {
            throw new IllegalArgumentException("ensembles of networks with a convolutional front end are not supported (member "
                    + "configuration " + c + "): the front end's features are shared by the LSTM units of one network");
        }
        int count = members.size();
        long stacked = (long) count * c.hiddenSize();
        NetworkConfig ensembleConfig;
        try {
            if (stacked > NetworkConfig.MAX_HIDDEN_SIZE) {
                throw new IllegalArgumentException("hidden size " + stacked + " exceeds " + NetworkConfig.MAX_HIDDEN_SIZE);
            }
            ensembleConfig = new NetworkConfig(c.inputSize(), (int) stacked, c.layers(), c.head(), c.numClasses());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(count + " members of hidden size " + c.hiddenSize() + " stack to hidden size "
                    + stacked + ", which no network can have (" + e.getMessage() + "); use fewer or smaller members", e);
        }
        RankCodingNetwork ensemble = new RankCodingNetwork(ensembleConfig, first.seed());
        int h = c.hiddenSize();
        for (int l = 0; l < c.layers(); l++) {
            Lstm target = ensemble.layers().get(l);
            zero(target.weightIh(), target.weightHh());
            for (int k = 0; k < count; k++) {
                Lstm member = members.get(k).layers().get(l);
                int inputOffset = l == 0 ? 0 : k * h;
                copyGateRows(member.weightIh(), target.weightIh(), k, count, h, inputOffset);
                copyGateRows(member.weightHh(), target.weightHh(), k, count, h, k * h);
                copyGateColumns(member.biasIh(), target.biasIh(), k, count, h);
                copyGateColumns(member.biasHh(), target.biasHh(), k, count, h);
            }
        }
        DMatrixRMaj weight = ensemble.readout().weight();
        DMatrixRMaj bias = ensemble.readout().bias();
        zero(weight, bias);
        for (int k = 0; k < count; k++) {
            Linear member = members.get(k).readout();
            for (int o = 0; o < weight.numRows; o++) {
                for (int j = 0; j < h; j++) {
                    weight.set(o, k * h + j, member.weight().get(o, j) / count);
                }
            }
            for (int o = 0; o < bias.getNumElements(); o++) {
                bias.set(o, bias.get(o) + member.bias().get(o) / count);
            }
        }
        return ensemble;
    }

    private static void zero(DMatrixRMaj... matrices) {
        for (DMatrixRMaj m : matrices) {
            m.zero();
        }
    }

    /**
     * Copies the {@code 4H x cols} member matrix into the rows of member {@code k} of every gate block of the
     * {@code 4KH x cols'} target, at column {@code columnOffset}.
     */
    private static void copyGateRows(DMatrixRMaj member, DMatrixRMaj target, int k, int count, int h, int columnOffset) {
        int cols = member.numCols;
        for (int q = 0; q < 4; q++) {
            for (int j = 0; j < h; j++) {
                System.arraycopy(member.data, (q * h + j) * cols, target.data,
                        (q * count * h + k * h + j) * target.numCols + columnOffset, cols);
            }
        }
    }

    /** Copies the {@code 1 x 4H} member bias into member {@code k}'s entries of every gate block of the target. */
    private static void copyGateColumns(DMatrixRMaj member, DMatrixRMaj target, int k, int count, int h) {
        for (int q = 0; q < 4; q++) {
            System.arraycopy(member.data, q * h, target.data, q * count * h + k * h, h);
        }
    }
}
