package org.rankcoding.train;

import java.util.function.IntConsumer;

/**
 * Runs a task once for each of a fixed number of parts ({@code 0 .. parts() - 1}), possibly on several threads at
 * once, and returns when every part has run. The update after each batch (summing the threads' partial gradients,
 * Adam, the divergence check) is element-wise, so cutting every tensor into {@link #parts()} contiguous chunks
 * ({@link org.rankcoding.nn.Parameters#partStart}) and running the chunks at once gives the same bits as one pass.
 */
interface PartRunner {

    /** One part, run on the calling thread. */
    PartRunner SERIAL = new PartRunner() {
        @Override
        public int parts() {
            return 1;
        }

        @Override
        public void run(IntConsumer task) {
            task.accept(0);
        }
    };

    /** The number of parts {@link #run} runs. */
    int parts();

    /**
     * Runs {@code task} for every part and returns when all have finished; a part's failure is rethrown (a
     * {@link RuntimeException} as it is) after the others have finished.
     */
    void run(IntConsumer task);
}
