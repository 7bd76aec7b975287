package org.rankcoding.kernel.impl;

import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rankcoding.testing.Slow;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The vector kernels' exponential is accurate, and the LSTM cell of the vector and the float32 kernels gives the same
 * bits whether its code runs interpreted (a fresh copy of the class, never compiled) or compiled after a long warm-up.
 */
class VectorExpTest {

    private static final int LANES = DoubleVector.SPECIES_PREFERRED.length();

    private static double[] expOf(double[] x) {
        double[] out = new double[x.length];
        VectorExp.scaledExp(x, 0, 1.0, out, 0, x.length);
        return out;
    }

    @Test
    void expIsWithinFourUlpsOfStrictMath() {
        SplittableRandom rng = new SplittableRandom(5);
        double[] x = new double[LANES * 20000];
        for (int i = 0; i < x.length; i++) {
            x[i] = switch (i % 4) {
                case 0 -> (rng.nextDouble() * 2 - 1) * 700;
                case 1 -> (rng.nextDouble() * 2 - 1) * 20;
                case 2 -> (rng.nextDouble() * 2 - 1) * 1e-3;
                default -> Math.rint(rng.nextDouble() * 40 - 20) * Math.log(2) + (rng.nextDouble() - 0.5) * 1e-12;
            };
        }
        x[0] = 0;
        x[1] = 1;
        x[2] = -1;
        double[] y = expOf(x);
        for (int i = 0; i < x.length; i++) {
            double expected = StrictMath.exp(x[i]);
            double ulps = Math.abs(y[i] - expected) / Math.ulp(expected);
            if (!(ulps <= 4)) {
                fail("exp(" + x[i] + ") = " + y[i] + ", StrictMath gives " + expected + " (" + ulps + " ulps apart)");
            }
        }
        assertEquals(1.0, y[0], 0.0, "exp(0)");
    }

    @Test
    void expClampsInsteadOfOverflowing() {
        double[] x = new double[LANES];
        Arrays.fill(x, -800);
        x[0] = 800;
        x[1] = 709;
        x[2] = -708;
        double[] y = expOf(x);
        assertEquals(StrictMath.exp(709), y[0], Math.ulp(StrictMath.exp(709)) * 4, "exp(800) is clamped to exp(709)");
        assertTrue(Double.isFinite(y[1]) && y[1] > 8e307, "exp(709) = " + y[1]);
        assertTrue(y[2] > 0 && y[2] < 1e-307, "exp(-708) = " + y[2]);
        assertEquals(y[2], y[3], 0.0, "exp(-800) is clamped to exp(-708)");
    }

    /** The cell forward and backward of a fixed batch, by the given instance of the kernels (any class loader). */
    private static double[][] cell(Object kernels, Method forward, Method backward) throws Exception {
        int n = 5;
        int h = 37; // not a multiple of the lanes: the scalar tails run too
        SplittableRandom rng = new SplittableRandom(9);
        double[] gates = new double[n * 4 * h];
        for (int i = 0; i < gates.length; i++) {
            gates[i] = (rng.nextDouble() * 2 - 1) * 6;
        }
        double[] cPrev = new double[n * h];
        double[] dh = new double[n * h];
        double[] dc = new double[n * h];
        for (int i = 0; i < cPrev.length; i++) {
            cPrev[i] = (rng.nextDouble() * 2 - 1) * 3;
            dh[i] = rng.nextDouble() - 0.5;
            dc[i] = rng.nextDouble() - 0.5;
        }
        double[] c = new double[n * h];
        double[] tanhC = new double[n * h];
        double[] hOut = new double[n * h];
        double[] dGates = new double[n * 4 * h];
        forward.invoke(kernels, n, h, gates, cPrev, c, tanhC, hOut);
        backward.invoke(kernels, n, h, null, gates, cPrev, tanhC, dh, dc, dGates);
        return new double[][]{gates, c, tanhC, hOut, dc, dGates};
    }

    private static Method forwardOf(Class<?> k) throws NoSuchMethodException {
        return k.getMethod("lstmCell", int.class, int.class, double[].class, double[].class, double[].class,
                double[].class, double[].class);
    }

    private static Method backwardOf(Class<?> k) throws NoSuchMethodException {
        return k.getMethod("lstmCellBackward", int.class, int.class, int[].class, double[].class, double[].class,
                double[].class, double[].class, double[].class, double[].class);
    }

    /** Defines its own copy of every class of this package from the class files; delegates everything else. */
    private static final class KernelCopyLoader extends ClassLoader {
        private static final String PACKAGE = VectorKernels.class.getPackageName() + ".";

        KernelCopyLoader(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(PACKAGE) || name.substring(PACKAGE.length()).contains(".")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    String file = "/" + name.replace('.', '/') + ".class";
                    try (InputStream in = VectorKernels.class.getResourceAsStream(file)) {
                        if (in == null) {
                            throw new ClassNotFoundException(name + " (no " + file + ")");
                        }
                        byte[] bytes = in.readAllBytes();
                        c = defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }

    @Slow
    @ParameterizedTest
    @ValueSource(classes = {VectorKernels.class, Float32Kernels.class})
    void theCellGivesTheSameBitsInterpretedAndCompiled(Class<?> own) throws Exception {
        // compiled: warm the shared instance up until the JIT has long compiled it
        Object shared = own.getField("INSTANCE").get(null);
        for (int i = 0; i < 20000; i++) {
            cell(shared, forwardOf(own), backwardOf(own));
        }
        double[][] warm = cell(shared, forwardOf(own), backwardOf(own));

        // interpreted: a fresh copy of the kernel classes (defined anew by their own loader), called once
        ClassLoader fresh = new KernelCopyLoader(own.getClassLoader());
        Class<?> copy = fresh.loadClass(own.getName());
        assertTrue(copy != own, "the copy must be a distinct class");
        Object instance = copy.getField("INSTANCE").get(null);
        double[][] cold = cell(instance, forwardOf(copy), backwardOf(copy));
        String[] names = {"gate activations", "c", "tanh(c)", "h", "dc", "dGates"};
        for (int a = 0; a < warm.length; a++) {
            assertArrayEquals(warm[a], cold[a], names[a] + ": compiled and interpreted runs differ");
        }
    }
}
