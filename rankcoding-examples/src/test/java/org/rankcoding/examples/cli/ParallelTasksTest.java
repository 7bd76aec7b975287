package org.rankcoding.examples.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ParallelTasks}: results in task order for any worker count, failures rethrown, one worker on the caller. */
class ParallelTasksTest {

    @Test
    void resultsComeInTaskOrderWhateverFinishesFirst() {
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int v = i;
            tasks.add(() -> {
                Thread.sleep(5L * (6 - v)); // later tasks finish first
                return v;
            });
        }
        for (int workers : new int[] {1, 2, 3, 10}) {
            assertEquals(List.of(0, 1, 2, 3, 4, 5), ParallelTasks.run(tasks, workers, "test"), workers + " workers");
        }
    }

    @Test
    void oneWorkerRunsOnTheCallingThreadAndSeveralDoNot() {
        Thread caller = Thread.currentThread();
        List<Callable<Thread>> tasks = List.of(Thread::currentThread, Thread::currentThread);
        assertEquals(List.of(caller, caller), ParallelTasks.run(tasks, 1, "test"));
        List<Thread> threads = ParallelTasks.run(tasks, 2, "rankcoding-x");
        for (Thread t : threads) {
            assertTrue(t != caller && t.getName().equals("rankcoding-x"), t.getName());
        }
    }

    @Test
    void failuresAreRethrown() {
        IllegalArgumentException bad = new IllegalArgumentException("bad value");
        for (int workers : new int[] {1, 2}) {
            List<Callable<Integer>> tasks = List.of(() -> 1, () -> {
                throw bad;
            });
            assertSame(bad, assertThrows(IllegalArgumentException.class, () -> ParallelTasks.run(tasks, workers, "test")));
            List<Callable<Integer>> checked = List.of(() -> 1, () -> {
                throw new IOException("disk");
            });
            IllegalStateException wrapped = assertThrows(IllegalStateException.class, () -> ParallelTasks.run(checked, workers, "job"));
            assertTrue(wrapped.getMessage().contains("job failed") && wrapped.getCause() instanceof IOException, wrapped.getMessage());
        }
    }
}
