package org.rankcoding.io;

import org.rankcoding.infer.RankCodingModel;
import org.rankcoding.kernel.Kernels;
import org.rankcoding.kernel.MatrixKernels;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.DecisionRuleSpec;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A model read by {@link ModelFiles#load(Path)}: the network with the file's weights, its decision rule and the
 * file's metadata.
 *
 * @param file      the file it was read from
 * @param network   a new network holding the file's weights; owned by the caller (it may be trained further)
 * @param decisionRule the decision rule stored with it (threshold crossing at the stored threshold for a file
 *                  without one)
 * @param dtype     the element type the tensors were stored in
 * @param metadata  every entry of the file's {@code __metadata__}, the library's keys and any extra ones
 *                  (unmodifiable, in file order)
 */
public record LoadedModel(Path file, RankCodingNetwork network, DecisionRuleSpec decisionRule, TensorDType dtype,
                          Map<String, String> metadata) {

    /** Copies the metadata into an unmodifiable map that keeps its order. */
    public LoadedModel {
        Objects.requireNonNull(file, "file is null");
        Objects.requireNonNull(network, "network is null");
        Objects.requireNonNull(decisionRule, "decisionRule is null");
        Objects.requireNonNull(dtype, "dtype is null");
        Objects.requireNonNull(metadata, "metadata is null");
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** The spike threshold theta stored with it, in (0.5, 1): the decision rule's threshold at step 1. */
    public double threshold() {
        return decisionRule.startThreshold();
    }

    /** The network's configuration (input size, hidden size, layers, head, classes). */
    public NetworkConfig config() {
        return network.config();
    }

    /** The metadata entry {@code key}, or {@code null} if the file has none. */
    public String metadata(String key) {
        Objects.requireNonNull(key, "key is null");
        return metadata.get(key);
    }

    /**
     * An immutable early-exit inference model of the network with the stored decision rule (a copy: later changes of
     * {@link #network()} do not affect it), computing with the fastest kernels.
     */
    public RankCodingModel model() {
        return model(Kernels.best());
    }

    /** As {@link #model()}, computing with the given kernels. */
    public RankCodingModel model(MatrixKernels kernels) {
        Objects.requireNonNull(kernels, "kernels is null");
        return new RankCodingModel(network, decisionRule, kernels, source());
    }

    /** How errors of inference name this model: {@code model file '<file>'}. */
    public String source() {
        return "model file '" + file + "'";
    }
}
