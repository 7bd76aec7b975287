/**
 * The matrix kernels every product runs on, behind one contract: {@link org.rankcoding.kernel.MatrixKernels}. The
 * {@link org.rankcoding.kernel.Kernels} class chooses the fastest available implementation (float32 products on the
 * Vector API when the JVM has {@code --add-modules jdk.incubator.vector}, scalar {@code double} kernels otherwise, with
 * one warning) or the one named by the system property {@code rankcoding.kernels};
 * {@link org.rankcoding.kernel.ReferenceKernels} is the slow, obviously correct oracle the fast kernels are tested
 * against. Most users never touch this package; pass a {@code MatrixKernels} to a trainer or a model only to force a
 * choice.
 */
package org.rankcoding.kernel;
