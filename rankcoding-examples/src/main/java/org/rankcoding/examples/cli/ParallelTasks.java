package org.rankcoding.examples.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Independent tasks of a command (models tested side by side, networks trained at once) run on a few threads: the
 * results in task order, whatever finishes first, so a command's output does not depend on the thread count.
 */
final class ParallelTasks {

    private ParallelTasks() {
    }

    /**
     * Runs {@code tasks} on up to {@code workers} daemon threads named {@code name} (on the calling thread, in order,
     * for one worker) and returns their results in task order.
     *
     * @throws RuntimeException       the first failed task's, as it was thrown (in task order)
     * @throws IllegalStateException  for a task that threw a checked exception, or when interrupted
     */
    static <T> List<T> run(List<Callable<T>> tasks, int workers, String name) {
        List<T> out = new ArrayList<>(tasks.size());
        if (workers <= 1 || tasks.size() <= 1) {
            for (Callable<T> task : tasks) {
                out.add(call(task, name));
            }
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(workers, tasks.size()), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        try {
            for (Future<T> f : pool.invokeAll(tasks)) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + ": interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(name + " failed: " + cause, cause);
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> T call(Callable<T> task, String name) {
        try {
            return task.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(name + " failed: " + e, e);
        }
    }
}
