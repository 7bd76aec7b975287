package org.rankcoding.data;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/** The stratified validation split: proportions per class, at least one per class, determinism, order, refusals. */
class StratifiedSplitTest {

    /** {@code counts[c]} sequences of class c, interleaved; each sequence's single value is its index. */
    static List<LabeledSequence> data(int... counts) {
        List<LabeledSequence> out = new ArrayList<>();
        int[] left = counts.clone();
        boolean any = true;
        while (any) {
            any = false;
            for (int c = 0; c < counts.length; c++) {
                if (left[c]-- > 0) {
                    out.add(new LabeledSequence(new double[][]{{out.size()}}, c));
                    any = true;
                }
            }
        }
        return out;
    }

    private static int count(List<LabeledSequence> list, int label) {
        return (int) list.stream().filter(s -> s.label() == label).count();
    }

    @Test
    void eachClassGivesItsShareAndAtLeastOne() {
        List<LabeledSequence> all = data(50, 20, 3, 2, 1);
        StratifiedSplit s = StratifiedSplit.of(all, 0.2, 7);
        int[] expected = {10, 4, 1, 1, 0};
        for (int c = 0; c < expected.length; c++) {
            assertEquals(expected[c], count(s.validation(), c), "class " + c + " in validation");
            assertEquals(count(all, c) - expected[c], count(s.train(), c), "class " + c + " in training");
        }
        assertEquals(all.size(), s.train().size() + s.validation().size());
    }

    @Test
    void aLargeFractionStillLeavesEveryClassInTraining() {
        StratifiedSplit s = StratifiedSplit.of(data(4, 2, 3), 0.9, 1);
        for (int c = 0; c < 3; c++) {
            assertTrue(count(s.train(), c) >= 1, "class " + c + " keeps a training sequence");
            assertTrue(count(s.validation(), c) >= 1, "class " + c + " has a validation sequence");
        }
    }

    @Test
    void deterministicForASeedDifferentAcrossSeedsAndInTheOriginalOrder() {
        List<LabeledSequence> all = data(30, 30);
        StratifiedSplit a = StratifiedSplit.of(all, 0.3, 11);
        StratifiedSplit b = StratifiedSplit.of(all, 0.3, 11);
        StratifiedSplit c = StratifiedSplit.of(all, 0.3, 12);
        assertEquals(values(a.validation()), values(b.validation()));
        assertEquals(values(a.train()), values(b.train()));
        assertNotEquals(values(a.validation()), values(c.validation()));
        for (List<LabeledSequence> part : List.of(a.train(), a.validation())) {
            List<Double> v = values(part);
            for (int i = 1; i < v.size(); i++) {
                assertTrue(v.get(i) > v.get(i - 1), "original order kept");
            }
        }
        assertEquals(18, a.validation().size());
    }

    private static List<Double> values(List<LabeledSequence> list) {
        return list.stream().map(s -> s.steps()[0][0]).toList();
    }

    @Test
    void inMemoryDataSetsSplitIntoDataSets() {
        InMemorySequences data = new InMemorySequences(data(10, 10, 10), 3);
        StratifiedSplit s = StratifiedSplit.of(data, 0.2, 3);
        assertEquals(24, s.trainSet(data.numClasses()).size());
        assertEquals(6, s.validationSet(data.numClasses()).size());
        assertEquals(3, s.validationSet(data.numClasses()).numClasses());
    }

    @Test
    void badFractionsAndUnsplittableDataAreRefused() {
        List<LabeledSequence> all = data(5, 5);
        assertIllegalArgument(() -> StratifiedSplit.of(all, 0, 1), "validation fraction = 0.0", "(0, 1)");
        assertIllegalArgument(() -> StratifiedSplit.of(all, 1, 1), "validation fraction = 1.0", "(0, 1)");
        assertIllegalArgument(() -> StratifiedSplit.of(all, Double.NaN, 1), "validation fraction = NaN");
        assertIllegalArgument(() -> StratifiedSplit.of(List.of(), 0.2, 1), "no sequences");
        assertIllegalArgument(() -> StratifiedSplit.of(data(1, 1, 1), 0.5, 1), "no class has two");
    }
}
