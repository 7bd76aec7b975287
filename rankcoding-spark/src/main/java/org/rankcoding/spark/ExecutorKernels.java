package org.rankcoding.spark;

import org.rankcoding.kernel.Kernels;
import org.rankcoding.kernel.MatrixKernels;

/** The kernels an executor computes with, as the driver named them, and how they are reported in the executor's log. */
final class ExecutorKernels {

    private ExecutorKernels() {
    }

    /**
     * The kernels named {@code name} ({@link Kernels#select(String)}), or for a blank name the fastest this JVM has
     * ({@link Kernels#best()}, which warns once where the Vector API module is missing).
     */
    static MatrixKernels named(String name) {
        return name.isBlank() ? Kernels.best() : Kernels.select(name);
    }

    /** {@code "float32 (Vector API available)"}: the kernels' name and whether this JVM has the Vector API. */
    static String describe(MatrixKernels kernels) {
        return kernels.name() + " (Vector API " + (Kernels.vectorAvailable() ? "available" : "unavailable") + ")";
    }
}
