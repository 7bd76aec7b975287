package org.rankcoding.audio.spotter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rankcoding.audio.FeatureNormalizer;
import org.rankcoding.audio.PcenConfig;
import org.rankcoding.infer.Decision;
import org.rankcoding.io.LoadedModel;
import org.rankcoding.io.TensorDType;
import org.rankcoding.nn.HeadType;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.RankCodingNetwork;
import org.rankcoding.rc.DecisionRuleSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.audio.spotter.ToneSpotting.HOP;
import static org.rankcoding.audio.spotter.ToneSpotting.clip;
import static org.rankcoding.audio.spotter.ToneSpotting.concat;
import static org.rankcoding.audio.spotter.ToneSpotting.events;
import static org.rankcoding.audio.spotter.ToneSpotting.silence;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/** {@link KeywordEnsemble} on the hand-built tone model ({@link ToneSpotting}), whose logits the tests know. */
class KeywordEnsembleTest {

    private static final KeywordModel TONES = ToneSpotting.model();

    /** Two tone clips, low then high, between silences. */
    private static float[] recording() {
        return concat(silence(40 * HOP), clip(0, 200, 300), silence(30 * HOP), clip(1, 350, 300), silence(40 * HOP));
    }

    /** The tone model with its weights changed by {@code edit}, under another file name. */
    private static KeywordModel variant(String file, java.util.function.Consumer<RankCodingNetwork> edit) {
        RankCodingNetwork net = new RankCodingNetwork(TONES.model().config(), 1);
        net.parameters().setTo(TONES.model().network().parameters());
        edit.accept(net);
        LoadedModel m = new LoadedModel(Path.of(file), net, TONES.model().decisionRule(), TensorDType.F64, Map.of());
        return new KeywordModel(m, TONES.words(), TONES.frontEnd(), TONES.normalizer());
    }

    @Test
    void copiesOfOneModelDecideExactlyAsIt() {
        KeywordModel ensemble = KeywordEnsemble.averaged(List.of(TONES, TONES, TONES));
        assertEquals(3 * TONES.model().config().hiddenSize(), ensemble.model().config().hiddenSize());
        assertEquals(TONES.words(), ensemble.words());
        assertEquals(TONES.model().decisionRule(), ensemble.model().decisionRule());
        List<KeywordEvent> alone = events(KeywordSpotter.builder(TONES), recording());
        assertEquals(2, alone.size(), "the tone model hears both tones: " + alone);
        List<KeywordEvent> averaged = events(KeywordSpotter.builder(ensemble), recording());
        assertEquals(alone.size(), averaged.size());
        for (int i = 0; i < alone.size(); i++) {
            assertEquals(alone.get(i).word(), averaged.get(i).word());
            assertEquals(alone.get(i).sample(), averaged.get(i).sample(), "event " + i + ": the same frame");
            assertEquals(alone.get(i).confidence(), averaged.get(i).confidence(), 1e-9);
        }
        assertEquals("tone-network,tone-network,tone-network", ensemble.model().metadata(KeywordEnsemble.KEY_MEMBERS));
        KeywordModel fresh = ToneSpotting.model();
        for (int i = 0; i < fresh.model().network().parameters().tensors().size(); i++) {
            assertArrayEquals(fresh.model().network().parameters().tensors().get(i).data,
                    TONES.model().network().parameters().tensors().get(i).data, "a member's tensor " + i + " was modified");
        }
        assertArrayEquals(fresh.normalizer().std(), TONES.normalizer().std(), "a member's statistics were modified");
    }

    @Test
    void aMemberThatDoesNotHearAWordHalvesItsLogitAndDelaysTheDecision() {
        // the second member's readout ignores the high tone's cell: the ensemble's logit of "high" is 5 tanh(c), not 10 tanh(c)
        KeywordModel deafToHigh = variant("deaf-to-high", net -> net.parameters().get("readout.weight").data[2 + 1] = 0.0);
        KeywordModel ensemble = KeywordEnsemble.averaged(List.of(TONES, deafToHigh));
        float[] high = clip(1, 200, 600);
        Decision alone = ToneSpotting.classifyClip(TONES, high);
        Decision together = ToneSpotting.classifyClip(ensemble, high);
        assertNotNull(alone);
        assertNotNull(together, "half the logit still crosses 0.9 within a 600 ms tone");
        assertEquals(1, alone.label());
        assertEquals(1, together.label());
        assertTrue(together.step() > alone.step() + 5, "alone at frame " + alone.step() + ", together at " + together.step());
        // and the low tone, which both members hear alike, is decided exactly as by either of them
        float[] low = clip(0, 200, 300);
        assertEquals(ToneSpotting.classifyClip(TONES, low).step(), ToneSpotting.classifyClip(ensemble, low).step());
    }

    @Test
    void theEnsembleIsSavedAndReadLikeAnyKeywordModel(@TempDir Path dir) throws IOException {
        KeywordModel ensemble = KeywordEnsemble.averaged(List.of(TONES, variant("other", net -> net.parameters().get("readout.bias")
                .data[2] = 0.5)));
        Path file = dir.resolve("ensemble.safetensors");
        KeywordModel.save(ensemble.model().network(), ensemble.model().decisionRule(), ensemble.words(), ensemble.frontEnd(),
                ensemble.normalizer(), file);
        KeywordModel read = KeywordModel.load(file);
        assertEquals(ensemble.model().config(), read.model().config());
        for (int i = 0; i < read.model().network().parameters().tensors().size(); i++) {
            assertArrayEquals(ensemble.model().network().parameters().tensors().get(i).data,
                    read.model().network().parameters().tensors().get(i).data, "tensor " + i);
        }
        assertEquals(events(KeywordSpotter.builder(ensemble), recording()), events(KeywordSpotter.builder(read), recording()));
    }

    @Test
    void membersThatHearOrAnswerDifferentlyAreRefusedNamingBothFiles() {
        assertIllegalArgument(() -> KeywordEnsemble.averaged(List.of()), "at least one");
        KeywordModel otherWords = new KeywordModel(TONES.model(), List.of("hi", "lo", "_silence_"), TONES.frontEnd(), TONES.normalizer());
        assertIllegalArgument(() -> KeywordEnsemble.averaged(List.of(TONES, otherWords)), "words", "[low, high, _silence_]",
                "[hi, lo, _silence_]");
        KeywordModel pcen = new KeywordModel(TONES.model(), TONES.words(),
                TONES.frontEnd().withCompression(new PcenConfig(0.04, 0.9, 1.5, 0.4, 1e-5)), TONES.normalizer());
        assertIllegalArgument(() -> KeywordEnsemble.averaged(List.of(TONES, pcen)), "front end");
        double[] std = TONES.normalizer().std().clone();
        std[3] = 2.0;
        KeywordModel otherStats = new KeywordModel(TONES.model(), TONES.words(), TONES.frontEnd(),
                new FeatureNormalizer(TONES.normalizer().mean(), std));
        assertIllegalArgument(() -> KeywordEnsemble.averaged(List.of(TONES, otherStats)), "feature standardisation",
                "different data sets");
        LoadedModel stricter = new LoadedModel(Path.of("stricter"), TONES.model().network(), DecisionRuleSpec.thresholdCrossing(0.95),
                TensorDType.F64, Map.of());
        assertIllegalArgument(() -> KeywordEnsemble.averaged(List.of(TONES,
                new KeywordModel(stricter, TONES.words(), TONES.frontEnd(), TONES.normalizer()))), "decision rule", "tone-network", "stricter");
        RankCodingNetwork wider = new RankCodingNetwork(new NetworkConfig(40, 3, 1, HeadType.SOFTMAX, 3), 1);
        LoadedModel w = new LoadedModel(Path.of("wider"), wider, TONES.model().decisionRule(), TensorDType.F64, Map.of());
        assertIllegalArgument(() -> KeywordEnsemble.averaged(List.of(TONES,
                new KeywordModel(w, TONES.words(), TONES.frontEnd(), TONES.normalizer()))), "network shape", "wider");
    }
}
