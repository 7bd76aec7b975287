package org.rankcoding.examples.cli;

import org.junit.jupiter.api.Test;
import org.rankcoding.data.Augmentation;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The text form of candidate augmentations: what it reads, that its text reads back, and what it refuses. */
class AugmentationSpecsTest {

    @Test
    void readsEverySettingAndWritesTextThatReadsBack() {
        List<Augmentation> list = AugmentationSpecs.parse("--a",
                "none; jitter=0.05 scaling=0.1 ;slice=0.9;warp=0.2;warp=0.1x3,jitter=0.01;crop=0.5;crop=0.3 slice=0.9");
        assertEquals(List.of(Augmentation.NONE, Augmentation.NONE.withJitter(0.05).withScaling(0.1),
                Augmentation.NONE.withWindowSlice(0.9), Augmentation.NONE.withWindowWarp(0.2, 2),
                Augmentation.NONE.withWindowWarp(0.1, 3).withJitter(0.01), Augmentation.NONE.withCrop(0.5),
                Augmentation.NONE.withCrop(0.3).withWindowSlice(0.9)), list);
        for (Augmentation a : list) {
            assertEquals(List.of(a), AugmentationSpecs.parse("--a", AugmentationSpecs.text(a)), AugmentationSpecs.text(a));
        }
        assertEquals("none", AugmentationSpecs.text(Augmentation.NONE));
        assertEquals("jitter=0.05 scaling=0.1", AugmentationSpecs.text(list.get(1)));
        assertEquals("jitter=0.01 warp=0.1x3.0", AugmentationSpecs.text(list.get(4)));
        assertEquals("slice=0.9 crop=0.3", AugmentationSpecs.text(list.get(6)));
        assertEquals(3, AugmentationSpecs.parse("--a", EarlyClassifyCommand.AUGMENTATIONS).size(), "the default parses");
    }

    @Test
    void refusesWhatItCannotReadNamingTheOptionAndTheCandidate() {
        for (String[] bad : new String[][] {{"", "an empty candidate"}, {"none;", "an empty candidate"},
                {"jitter", "not a setting key=value"}, {"jitter=0.1 jitter=0.2", "given twice"},
                {"speed=2", "unknown setting 'speed'"}, {"jitter=abc", "'abc' in 'jitter=abc' is not a number"},
                {"warp=0.1xq", "'q'"}, {"jitter=-1", "jitter = -1.0"}, {"slice=0", "slice = 0.0"},
                {"warp=0.1x1", "warpFactor = 1.0"}, {"none;none", "given twice"},
                {"slice=0.9;slice=0.9", "given twice"}, {"crop=1", "crop = 1.0"}, {"crop=0.2 crop=0.3", "given twice"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AugmentationSpecs.parse("--opt", bad[0]),
                    bad[0]);
            assertTrue(e.getMessage().startsWith("--opt: "), e.getMessage());
            assertTrue(e.getMessage().contains(bad[1]), "'" + bad[1] + "' expected in: " + e.getMessage());
        }
    }
}
