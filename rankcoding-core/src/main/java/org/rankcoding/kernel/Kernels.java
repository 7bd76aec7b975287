package org.rankcoding.kernel;

import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the fastest {@link MatrixKernels} implementation available in this JVM.
 *
 * <p>Without a forced choice, {@link #best()} returns {@code Float32Kernels} (single-precision products, like
 * PyTorch) when the JVM has the incubating Vector API module (start it with
 * {@code --add-modules jdk.incubator.vector}) and the Vector API classes load, otherwise
 * {@code BlockedKernels}. The system property {@value #PROPERTY} forces a choice: {@code reference},
 * {@code blocked}, {@code vector} (Vector API, all in {@code double}) or {@code float32} (an empty value means
 * automatic). The choice is logged at debug level, except one case: when the automatic choice falls back to
 * {@code blocked} because the Vector API is unavailable, the first call of {@link #best()} logs one WARN line that
 * names the JVM option and the measured slowdown.
 */
public final class Kernels {

    /** System property forcing an implementation: {@code reference}, {@code blocked}, {@code vector} or {@code float32}. */
    public static final String PROPERTY = "rankcoding.kernels";

    /** Name of the incubating Vector API module. */
    public static final String VECTOR_MODULE = "jdk.incubator.vector";

    private static final String VECTOR_CLASS = "org.rankcoding.kernel.impl.VectorKernels";
    private static final String FLOAT32_CLASS = "org.rankcoding.kernel.impl.Float32Kernels";
    private static final String BLOCKED_CLASS = "org.rankcoding.kernel.impl.BlockedKernels";
    private static final String ALLOWED = "reference, blocked, vector, float32";

    private static final Logger LOG = LoggerFactory.getLogger(Kernels.class);

    /**
     * The outcome of loading {@code VectorKernels} and {@code Float32Kernels}: instances, or the reason they are
     * unavailable.
     */
    private static final class VectorHolder {
        static final MatrixKernels INSTANCE;
        static final MatrixKernels FLOAT32;
        static final String PROBLEM;

        static {
            MatrixKernels instance = null;
            MatrixKernels float32 = null;
            String problem = null;
            if (!vectorModulePresent()) {
                problem = "module " + VECTOR_MODULE + " is not in the boot layer (run the JVM with --add-modules "
                        + VECTOR_MODULE + ")";
            } else {
                try {
                    instance = load(VECTOR_CLASS);
                    float32 = load(FLOAT32_CLASS);
                } catch (Throwable t) { // LinkageError, ReflectiveOperationException, ...
                    problem = "loading the Vector API kernels failed: " + t;
                    instance = null;
                    float32 = null;
                }
            }
            INSTANCE = instance;
            FLOAT32 = float32;
            PROBLEM = problem;
        }
    }

    /** The last selection: the property value it was made for, and its result. */
    private static final class Choice {
        final String key;
        final MatrixKernels kernels;

        Choice(String key, MatrixKernels kernels) {
            this.key = key;
            this.kernels = kernels;
        }
    }

    private static volatile Choice last;

    /** Set by the first automatic choice that fell back to {@code blocked}: the WARN line is logged once per JVM. */
    private static final AtomicBoolean FALLBACK_WARNED = new AtomicBoolean();

    /**
     * How much slower the {@code blocked} fallback is than the default {@code float32} kernels, as measured on the
     * project's 2-core benchmark machine (docs/benchmarks.md, "Without the Vector API module").
     */
    static final String FALLBACK_SLOWDOWN =
            "measured 7 to 11 times slower in training and batch inference (hidden 125 and 256, one thread)";

    private Kernels() {
    }

    /**
     * The implementation to use: the one forced by the system property {@value #PROPERTY}, if set, else the
     * fastest available ({@code float32} when the Vector API module is present and loads, {@code blocked}
     * otherwise). The property is read at every call; the instances are stateless and safe to share between
     * threads.
     *
     * @throws IllegalArgumentException if the property names no implementation
     * @throws IllegalStateException    if the property forces {@code vector} or {@code float32} but it is unavailable
     */
    public static MatrixKernels best() {
        String key = System.getProperty(PROPERTY);
        Choice c = last;
        if (c != null && Objects.equals(c.key, key)) {
            return c.kernels;
        }
        MatrixKernels chosen = select(key);
        if (key == null || key.isBlank()) {
            if (VectorHolder.PROBLEM != null && FALLBACK_WARNED.compareAndSet(false, true)) {
                LOG.warn(fallbackWarning(VectorHolder.PROBLEM));
            }
            LOG.debug("Matrix kernels: {} (automatic{})", chosen.name(),
                    VectorHolder.PROBLEM == null ? "" : "; vector unavailable: " + VectorHolder.PROBLEM);
        } else {
            LOG.debug("Matrix kernels: {} (forced by -D{}={})", chosen.name(), PROPERTY, key);
        }
        last = new Choice(key, chosen);
        return chosen;
    }

    /**
     * The line logged at WARN level when the automatic choice falls back to the scalar {@code blocked} kernels.
     *
     * @param problem why the Vector API kernels are unavailable
     * @return one line naming the cause (with the JVM option when the module is missing) and the measured slowdown
     */
    static String fallbackWarning(String problem) {
        return "Vector API unavailable: " + problem + "; using the scalar 'blocked' kernels, " + FALLBACK_SLOWDOWN
                + " than the default 'float32' kernels (README, \"Use it\"; -D" + PROPERTY
                + "=blocked chooses them knowingly and silences this line)";
    }

    /**
     * The implementation named by {@code name}, as the system property {@value #PROPERTY} would choose it:
     * {@code null} or blank means automatic, otherwise {@code reference}, {@code blocked}, {@code vector} or
     * {@code float32}
     * (case and surrounding spaces ignored).
     *
     * @throws IllegalArgumentException if {@code name} names no implementation
     * @throws IllegalStateException    if {@code name} is {@code vector} or {@code float32} but the Vector API is
     *                                  unavailable
     */
    public static MatrixKernels select(String name) {
        if (name == null || name.isBlank()) {
            MatrixKernels f = VectorHolder.FLOAT32;
            return f != null ? f : BlockedHolder.INSTANCE;
        }
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "reference":
                return ReferenceKernels.INSTANCE;
            case "blocked":
                return BlockedHolder.INSTANCE;
            case "vector":
                MatrixKernels v = VectorHolder.INSTANCE;
                if (v == null) {
                    throw new IllegalStateException("Kernels 'vector' requested but unavailable: " + VectorHolder.PROBLEM);
                }
                return v;
            case "float32":
                MatrixKernels f = VectorHolder.FLOAT32;
                if (f == null) {
                    throw new IllegalStateException("Kernels 'float32' requested but unavailable: " + VectorHolder.PROBLEM);
                }
                return f;
            default:
                throw new IllegalArgumentException("Unknown value '" + name + "' of " + PROPERTY
                        + "; allowed: " + ALLOWED);
        }
    }

    /**
     * Whether {@code VectorKernels} is usable in this JVM: the module {@value #VECTOR_MODULE} is in the boot layer
     * (with the code on the module path or on the class path) and the class loaded.
     */
    public static boolean vectorAvailable() {
        return VectorHolder.INSTANCE != null;
    }

    /**
     * The {@code INSTANCE} of an implementation class. The implementations live in the module's internal package
     * {@code org.rankcoding.kernel.impl}, which depends on this package and not the reverse; the Vector API ones can
     * only be loaded this way anyway, since their module is optional.
     */
    private static MatrixKernels load(String className) throws ReflectiveOperationException {
        Class<?> cls = Class.forName(className, true, Kernels.class.getClassLoader());
        return (MatrixKernels) cls.getField("INSTANCE").get(null);
    }

    /** The blocked kernels (pure Java, always available). */
    private static final class BlockedHolder {
        static final MatrixKernels INSTANCE;

        static {
            try {
                INSTANCE = load(BLOCKED_CLASS);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    private static boolean vectorModulePresent() {
        ModuleLayer boot = ModuleLayer.boot();
        if (boot.findModule(VECTOR_MODULE).isPresent()) {
            return true;
        }
        // In a custom layer (e.g. a plugin host), look at the layer of this module too.
        ModuleLayer own = Kernels.class.getModule().getLayer();
        return own != null && own.findModule(VECTOR_MODULE).isPresent();
    }
}
