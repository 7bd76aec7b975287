package org.rankcoding.spark;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardPlanTest {

    @Test
    void sharesCutEachBatchAsTheTrainersThreadsDo() {
        ShardPlan plan = new ShardPlan(new long[]{10, 9, 9}, 8, 50, 3);
        assertEquals(7, plan.batches());
        for (long b = 0; b < plan.batches(); b++) {
            int rows = plan.rows(b);
            int sum = 0;
            for (int s = 0; s < 3; s++) {
                int parts = Math.min(3, rows);
                int expected = s >= parts ? 0 : (int) ((long) (s + 1) * rows / parts - (long) s * rows / parts);
                assertEquals(expected, plan.share(s, rows));
                assertEquals(plan.share(s, rows), plan.picks(s, b).length);
                sum += plan.share(s, rows);
            }
            assertEquals(rows, sum);
        }
        assertEquals(2, plan.rows(6));
        assertEquals(0, plan.share(2, 2), "a batch of 2 rows over 3 shards takes nothing from the third");
    }

    @Test
    void eachShardVisitsEveryRowOncePerPassInANewOrder() {
        ShardPlan plan = new ShardPlan(new long[]{7, 7}, 4, 1000, 11);
        int[] seen = new int[7];
        int[] firstPass = new int[7];
        int[] secondPass = new int[7];
        // shard 0 gives 2 rows per batch: batches 0..3 hold its first 8 positions, so pass 1 is positions 0..6
        int position = 0;
        for (long b = 0; position < 14; b++) {
            for (int p : plan.picks(0, b)) {
                if (position < 7) {
                    firstPass[position] = p;
                    seen[p]++;
                } else if (position < 14) {
                    secondPass[position - 7] = p;
                }
                position++;
            }
        }
        for (int count : seen) {
            assertEquals(1, count);
        }
        int[] sorted = secondPass.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[]{0, 1, 2, 3, 4, 5, 6}, sorted);
        assertNotEquals(Arrays.toString(firstPass), Arrays.toString(secondPass));
    }

    @Test
    void picksDependOnlyOnTheBatchNumberAndSeed() {
        ShardPlan a = new ShardPlan(new long[]{100, 99}, 16, 5000, 5);
        ShardPlan b = new ShardPlan(new long[]{100, 99}, 16, 5000, 5);
        ShardPlan other = new ShardPlan(new long[]{100, 99}, 16, 5000, 6);
        assertArrayEquals(a.picks(1, 40), b.picks(1, 40));
        assertTrue(!Arrays.equals(a.picks(1, 40), other.picks(1, 40)));
    }

    @Test
    void emptyShardsAndBadSizesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ShardPlan(new long[]{3, 0}, 4, 10, 1));
        assertTrue(e.getMessage().contains("shard 1 has 0 rows"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ShardPlan(new long[]{}, 4, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> new ShardPlan(new long[]{3}, 0, 10, 1));
    }
}
