package org.rankcoding.data;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/** Stratified folds: a partition, balanced sizes, classes spread over the folds, splits, determinism, refusals. */
class StratifiedFoldsTest {

    private static int value(LabeledSequence s) {
        return (int) s.steps()[0][0];
    }

    private static int count(List<LabeledSequence> list, int label) {
        return (int) list.stream().filter(s -> s.label() == label).count();
    }

    @Test
    void foldsPartitionTheDataWithBalancedSizesAndClasses() {
        List<LabeledSequence> all = StratifiedSplitTest.data(23, 11, 3);
        StratifiedFolds folds = StratifiedFolds.of(all, 5, 3);
        assertEquals(5, folds.count());
        Set<Integer> seen = new HashSet<>();
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (List<LabeledSequence> fold : folds.folds()) {
            min = Math.min(min, fold.size());
            max = Math.max(max, fold.size());
            for (LabeledSequence s : fold) {
                assertTrue(seen.add(value(s)), "sequence " + value(s) + " in two folds");
            }
            for (int i = 1; i < fold.size(); i++) {
                assertTrue(value(fold.get(i - 1)) < value(fold.get(i)), "original order kept");
            }
            assertTrue(count(fold, 0) >= 4 && count(fold, 0) <= 5, "class 0 (23 of them) spread 4 or 5 per fold");
            assertTrue(count(fold, 1) >= 2 && count(fold, 1) <= 3, "class 1 (11) spread 2 or 3 per fold");
            assertTrue(count(fold, 2) <= 1, "class 2 (3) at most one per fold");
        }
        assertEquals(all.size(), seen.size(), "every sequence in a fold");
        assertTrue(max - min <= 1, "sizes differ by at most one: " + min + " .. " + max);
    }

    @Test
    void aSplitHoldsOutOneFoldAndTrainsOnTheRest() {
        List<LabeledSequence> all = StratifiedSplitTest.data(10, 10);
        StratifiedFolds folds = StratifiedFolds.of(all, 4, 1);
        for (int f = 0; f < 4; f++) {
            StratifiedSplit s = folds.split(f);
            assertEquals(folds.folds().get(f), s.validation());
            assertEquals(all.size(), s.train().size() + s.validation().size());
            Set<Integer> held = new HashSet<>();
            s.validation().forEach(x -> held.add(value(x)));
            s.train().forEach(x -> assertTrue(!held.contains(value(x)), "sequence " + value(x) + " on both sides"));
        }
        assertThrows(IndexOutOfBoundsException.class, () -> folds.split(4));
    }

    @Test
    void deterministicForASeedAndDifferentAcrossSeeds() {
        List<LabeledSequence> all = StratifiedSplitTest.data(30, 30);
        assertEquals(values(StratifiedFolds.of(all, 5, 9)), values(StratifiedFolds.of(all, 5, 9)));
        assertNotEquals(values(StratifiedFolds.of(all, 5, 9)), values(StratifiedFolds.of(all, 5, 10)));
    }

    @Test
    void refusals() {
        List<LabeledSequence> all = StratifiedSplitTest.data(2, 1);
        assertIllegalArgument(() -> StratifiedFolds.of(all, 1, 0), "folds = 1", "[2, 3]");
        assertIllegalArgument(() -> StratifiedFolds.of(all, 4, 0), "folds = 4", "[2, 3]");
        assertIllegalArgument(() -> StratifiedFolds.of(List.of(), 2, 0), "no sequences");
        List<LabeledSequence> negative = new ArrayList<>(all);
        negative.add(new LabeledSequence(new double[][]{{9}}, -1));
        assertIllegalArgument(() -> StratifiedFolds.of(negative, 2, 0), "label -1");
        assertEquals(3, StratifiedFolds.of(all, 3, 0).folds().stream().filter(f -> f.size() == 1).count(), "k = n: one each");
    }

    private static List<List<Integer>> values(StratifiedFolds folds) {
        return folds.folds().stream().map(f -> f.stream().map(StratifiedFoldsTest::value).toList()).toList();
    }
}
