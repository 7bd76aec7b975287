package org.rankcoding.kernel;

import java.util.Locale;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the fastest {@link MatrixKernels} implementation available in this JVM.
 *
 * <p>Without a forced choice, {@link #best()} returns {@link VectorKernels} when the JVM has the incubating
 * Vector API module (start it with {@code --add-modules jdk.incubator.vector}) and that class loads, otherwise
 * {@link BlockedKernels}. The system property {@value #PROPERTY} forces a choice: {@code reference},
 * {@code blocked} or {@code vector} (an empty value means automatic). The choice is logged at debug level.
 */
public final class Kernels {

    /** System property forcing an implementation: {@code reference}, {@code blocked} or {@code vector}. */
    public static final String PROPERTY = "rankcoding.kernels";

    /** Name of the incubating Vector API module. */
    public static final String VECTOR_MODULE = "jdk.incubator.vector";

    private static final String VECTOR_CLASS = "org.rankcoding.kernel.VectorKernels";
    private static final String ALLOWED = "reference, blocked, vector";

    private static final Logger LOG = LoggerFactory.getLogger(Kernels.class);

    /** The outcome of loading {@link VectorKernels}: an instance, or the reason it is unavailable. */
    private static final class VectorHolder {
        static final MatrixKernels INSTANCE;
        static final String PROBLEM;

        static {
            MatrixKernels instance = null;
            String problem = null;
            if (!vectorModulePresent()) {
                problem = "module " + VECTOR_MODULE + " is not in the boot layer (run the JVM with --add-modules "
                        + VECTOR_MODULE + ")";
            } else {
                try {
                    Class<?> cls = Class.forName(VECTOR_CLASS, true, Kernels.class.getClassLoader());
                    instance = (MatrixKernels) cls.getField("INSTANCE").get(null);
                } catch (Throwable t) { // LinkageError, ReflectiveOperationException, ...
                    problem = "loading " + VECTOR_CLASS + " failed: " + t;
                }
            }
            INSTANCE = instance;
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

    private Kernels() {
    }

    /**
     * The implementation to use: the one forced by the system property {@value #PROPERTY}, if set, else the
     * fastest available ({@code vector} when the Vector API module is present and loads, {@code blocked}
     * otherwise). The property is read at every call; the instances are stateless and safe to share between
     * threads.
     *
     * @throws IllegalArgumentException if the property names no implementation
     * @throws IllegalStateException    if the property forces {@code vector} but it is unavailable
     */
    public static MatrixKernels best() {
        String key = System.getProperty(PROPERTY);
        Choice c = last;
        if (c != null && Objects.equals(c.key, key)) {
            return c.kernels;
        }
        MatrixKernels chosen = select(key);
        if (key == null || key.isBlank()) {
            LOG.debug("Matrix kernels: {} (automatic{})", chosen.name(),
                    VectorHolder.PROBLEM == null ? "" : "; vector unavailable: " + VectorHolder.PROBLEM);
        } else {
            LOG.debug("Matrix kernels: {} (forced by -D{}={})", chosen.name(), PROPERTY, key);
        }
        last = new Choice(key, chosen);
        return chosen;
    }

    /**
     * The implementation named by {@code name}, as the system property {@value #PROPERTY} would choose it:
     * {@code null} or blank means automatic, otherwise {@code reference}, {@code blocked} or {@code vector}
     * (case and surrounding spaces ignored).
     *
     * @throws IllegalArgumentException if {@code name} names no implementation
     * @throws IllegalStateException    if {@code name} is {@code vector} but the Vector API is unavailable
     */
    public static MatrixKernels select(String name) {
        if (name == null || name.isBlank()) {
            MatrixKernels v = VectorHolder.INSTANCE;
            return v != null ? v : BlockedKernels.INSTANCE;
        }
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "reference":
                return ReferenceKernels.INSTANCE;
            case "blocked":
                return BlockedKernels.INSTANCE;
            case "vector":
                MatrixKernels v = VectorHolder.INSTANCE;
                if (v == null) {
                    throw new IllegalStateException("Kernels 'vector' requested but unavailable: " + VectorHolder.PROBLEM);
                }
                return v;
            default:
                throw new IllegalArgumentException("Unknown value '" + name + "' of " + PROPERTY
                        + "; allowed: " + ALLOWED);
        }
    }

    /**
     * Whether {@link VectorKernels} is usable in this JVM: the module {@value #VECTOR_MODULE} is in the boot layer
     * (with the code on the module path or on the class path) and the class loaded.
     */
    public static boolean vectorAvailable() {
        return VectorHolder.INSTANCE != null;
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
