package org.rankcoding.examples.kernel;

import org.rankcoding.kernel.Kernels;

/** Child JVM of {@link VectorFallbackWarningTest}: chooses the kernels twice and prints the choice. */
public final class KernelChoiceMain {

    private KernelChoiceMain() {
    }

    /**
     * Chooses the kernels twice (the warning must appear once) and prints {@code kernels=NAME}.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        Kernels.best();
        System.out.println("kernels=" + Kernels.best().name());
    }
}
