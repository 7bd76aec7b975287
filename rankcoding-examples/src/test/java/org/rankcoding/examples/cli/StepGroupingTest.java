package org.rankcoding.examples.cli;

import org.junit.jupiter.api.Test;
import org.rankcoding.data.InMemorySequences;
import org.rankcoding.data.LabeledSequence;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.rankcoding.testing.Refusals.assertIllegalArgument;

/** {@link StepGrouping}: groups of w steps, channel-major, the last group padded with the last value seen. */
class StepGroupingTest {

    @Test
    void groupsStepsChannelMajorAndPadsTheLastGroupWithTheLastValue() {
        double[][] steps = {{1, 10}, {2, 20}, {3, 30}, {4, 40}, {5, 50}};
        InMemorySequences data = new InMemorySequences(List.of(new LabeledSequence(steps, 1), new LabeledSequence(
                new double[][] {{7, 70}}, 0)), 2);
        InMemorySequences grouped = StepGrouping.group(data, 2);
        double[][] g = grouped.sequences().get(0).steps();
        assertEquals(3, g.length, "ceil(5 / 2) groups");
        assertArrayEquals(new double[] {1, 2, 10, 20}, g[0]);
        assertArrayEquals(new double[] {3, 4, 30, 40}, g[1]);
        assertArrayEquals(new double[] {5, 5, 50, 50}, g[2], "the last group repeats the last value, never a later one");
        assertArrayEquals(new double[] {7, 7, 70, 70}, grouped.sequences().get(1).steps()[0]);
        assertEquals(1, grouped.sequences().get(0).label());
        assertEquals(4, grouped.inputSize());
        assertSame(data, StepGrouping.group(data, 1));
        assertIllegalArgument(() -> StepGrouping.group(data, 0), "steps per input = 0");
    }
}
