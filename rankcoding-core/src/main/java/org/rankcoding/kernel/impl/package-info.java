/**
 * Internal: the fast {@link org.rankcoding.kernel.MatrixKernels} implementations (not exported by the module).
 * {@code BlockedKernels} is cache-blocked plain Java; {@code VectorKernels} (all in {@code double}) and
 * {@code Float32Kernels} (single-precision products, {@code double} everywhere else) use the incubating Vector API
 * and load only when {@code jdk.incubator.vector} is present. Applications choose among them through
 * {@link org.rankcoding.kernel.Kernels}, which loads them by name, so that this package depends on
 * {@code org.rankcoding.kernel} and not the reverse. Every implementation is tested against
 * {@link org.rankcoding.kernel.ReferenceKernels}.
 */
package org.rankcoding.kernel.impl;
