package org.rankcoding.audio.spotter;

import org.rankcoding.io.LoadedModel;
import org.rankcoding.io.TensorDType;
import org.rankcoding.nn.NetworkEnsemble;
import org.rankcoding.nn.RankCodingNetwork;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keyword models trained apart (other seeds, other recipes on the same data set) as one keyword model whose logits at
 * every frame are the mean of the members' logits ({@link NetworkEnsemble#averaged}). A spotter on it fires where the
 * members agree: a non-keyword that one member mistakes for a keyword has to fool the others as well, so averaging
 * lowers the false alarms at a given detection rate, at the cost of running every member (the ensemble's hidden size
 * is the sum of theirs). The result is an ordinary {@link KeywordModel}: {@link KeywordSpotter} runs it, and
 * {@link KeywordModel#save(RankCodingNetwork, org.rankcoding.rc.DecisionRuleSpec, List, org.rankcoding.audio.FrontEndConfig,
 * org.rankcoding.audio.FeatureNormalizer, Path)} writes it as a model file that every keyword command reads.
 *
 * <p>The members must hear alike and answer alike: the same words in the same order, the same front end, the same
 * feature standardisation (models trained on one data set with one front end share it) and the same decision rule,
 * which the ensemble keeps; and one network shape (input size, hidden size, layers, head).
 */
public final class KeywordEnsemble {

    /** Metadata key of the members' files, comma-separated, on the ensemble's {@link LoadedModel}. */
    public static final String KEY_MEMBERS = "kws.ensemble_members";

    private KeywordEnsemble() {
    }

    /**
     * The model whose logits are the mean of {@code members}' logits at every frame.
     *
     * @param members one or more keyword models; not modified (the result holds new weights)
     * @return the ensemble, deciding by the members' rule; its {@link LoadedModel#file()} names the first member's file
     *         with the number of members, and its metadata lists every member's file under {@value #KEY_MEMBERS}
     * @throws IllegalArgumentException if there are no members or two of them differ in words, front end, feature
     *                                  standardisation, decision rule or network shape (naming both files and what
     *                                  differs), or the stacked network would exceed the library's size limits
     */
    public static KeywordModel averaged(List<KeywordModel> members) {
        Objects.requireNonNull(members, "members is null");
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one keyword model, got none");
        }
        KeywordModel first = Objects.requireNonNull(members.get(0), "member 0 is null");
        List<RankCodingNetwork> networks = new ArrayList<>();
        List<String> files = new ArrayList<>();
        for (int k = 0; k < members.size(); k++) {
            KeywordModel m = Objects.requireNonNull(members.get(k), "member " + k + " is null");
            requireSame(first, m, "words", first.words(), m.words());
            requireSame(first, m, "front end", first.frontEnd(), m.frontEnd());
            if (!Arrays.equals(first.normalizer().mean(), m.normalizer().mean())
                    || !Arrays.equals(first.normalizer().std(), m.normalizer().std())) {
                throw new IllegalArgumentException("keyword models in an ensemble must share their feature standardisation, but "
                        + first.model().file() + " and " + m.model().file() + " differ (trained on different data sets?): "
                        + "train the members on one data set");
            }
            requireSame(first, m, "decision rule", first.model().decisionRule(), m.model().decisionRule());
            requireSame(first, m, "network shape", first.model().config(), m.model().config());
            networks.add(m.model().network());
            files.add(m.model().file().toString());
        }
        RankCodingNetwork ensemble = NetworkEnsemble.averaged(networks);
        Path name = Path.of(first.model().file() + " (ensemble of " + members.size() + ")");
        LoadedModel loaded = new LoadedModel(name, ensemble, first.model().decisionRule(), TensorDType.F64,
                Map.of(KEY_MEMBERS, String.join(",", files)));
        return new KeywordModel(loaded, first.words(), first.frontEnd(), first.normalizer());
    }

    private static void requireSame(KeywordModel first, KeywordModel other, String what, Object a, Object b) {
        if (!a.equals(b)) {
            throw new IllegalArgumentException("keyword models in an ensemble must share their " + what + ", but "
                    + first.model().file() + " has " + a + " and " + other.model().file() + " has " + b);
        }
    }
}
