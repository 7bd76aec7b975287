package org.rankcoding.audio;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/** The front end's choices as model-file metadata: every combination round-trips, and old files read as log-mel. */
class FrontEndConfigTest {

    private static final LogMelConfig MEL = LogMelConfig.speechCommands();

    @Test
    void everyChoiceRoundTripsThroughItsMetadata() {
        for (MelCompression c : List.of(MelCompression.log(), PcenConfig.paperDefaults(), new PcenConfig(0.1 + 0.2, 0.5, 0, 1, 1e-9))) {
            for (FeatureNormalization n : List.of(FeatureNormalization.trainingSet(), CausalNormalization.defaults(),
                    new CausalNormalization(7.0 / 3))) {
                FrontEndConfig config = new FrontEndConfig(MEL, c, n);
                Map<String, String> meta = config.optionsMetadata();
                assertEquals(List.of(FrontEndConfig.KEY_COMPRESSION, FrontEndConfig.KEY_NORMALIZATION), List.copyOf(meta.keySet()));
                assertEquals(config, FrontEndConfig.fromMetadata(MEL, meta::get));
            }
        }
        assertEquals(Map.of("kws.compression", "log", "kws.normalization", "training-set"), FrontEndConfig.speechCommands().optionsMetadata());
    }

    @Test
    void metadataWithoutTheKeysIsTodaysLogMelFrontEnd() {
        assertEquals(FrontEndConfig.logMel(MEL), FrontEndConfig.fromMetadata(MEL, key -> null));
        assertEquals(FrontEndConfig.logMel(MEL), FrontEndConfig.fromMetadata(MEL, Map.of("kws.log_mel", "16000,400")::get));
        assertEquals(FrontEndConfig.logMel(MEL), FrontEndConfig.fromMetadata(MEL, Map.of(FrontEndConfig.KEY_COMPRESSION, "")::get));
        Map<String, String> onlyPcen = new HashMap<>();
        onlyPcen.put(FrontEndConfig.KEY_COMPRESSION, PcenConfig.paperDefaults().toText());
        assertEquals(FrontEndConfig.logMel(MEL).withCompression(PcenConfig.paperDefaults()), FrontEndConfig.fromMetadata(MEL, onlyPcen::get));
        assertEquals(MelCompression.log(), FrontEndConfig.speechCommands().compression());
        assertEquals(FeatureNormalization.trainingSet(), FrontEndConfig.speechCommands().normalization());
    }

    @Test
    void badMetadataIsRefusedNamingTheKey() {
        assertIllegalArgument(() -> FrontEndConfig.fromMetadata(MEL, Map.of(FrontEndConfig.KEY_COMPRESSION, "mfcc")::get),
                "metadata key kws.compression", "'mfcc' is unknown");
        assertIllegalArgument(() -> FrontEndConfig.fromMetadata(MEL, Map.of(FrontEndConfig.KEY_COMPRESSION,
                "pcen(s=0.025,alpha=1.5,delta=2.0,r=0.5,epsilon=1.0E-6)")::get), "metadata key kws.compression", "PCEN alpha = 1.5");
        assertIllegalArgument(() -> FrontEndConfig.fromMetadata(MEL, Map.of(FrontEndConfig.KEY_NORMALIZATION, "causal(priorFrames=-1)")::get),
                "metadata key kws.normalization", "priorFrames = -1.0");
        assertThrows(NullPointerException.class, () -> new FrontEndConfig(MEL, null, FeatureNormalization.trainingSet()));
    }
}
