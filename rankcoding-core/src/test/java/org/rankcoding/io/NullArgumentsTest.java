package org.rankcoding.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.Proxy;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every public constructor and method of the library's exported packages refuses a null argument with a
 * {@link NullPointerException} or {@link IllegalArgumentException} whose message names the parameter, never a bare
 * {@code NullPointerException} from deep inside. For each reference parameter the call is made with {@code null}
 * there and non-null stand-ins everywhere else (simple values, empty arrays and collections, a proxy of an interface,
 * an object made without its constructor); the receiver of an instance method is such a stand-in too, so the null
 * checks must come first, before any other work.
 */
class NullArgumentsTest {

    /**
     * Parameters where {@code null} is part of the documented contract, as {@code Class#method(parameter)}: each
     * documented "or null" in the parameter's javadoc.
     */
    private static final Set<String> NULL_ALLOWED = Set.of(
            // "per-row optimal decision steps (1-based) or null": a batch without optimal steps
            "SequenceBatch#<init>(optimalSteps)",
            "SequenceBatch#sparseBinary(optimalSteps)",
            // "or null for none": a resumed run that writes no further checkpoints
            "Trainer#resume(checkpoints)",
            // "progress, or null"
            "TrainingGrid#run(listener)",
            // "or null without a validation set" / "or null when the data has no optimal steps"
            "TrainingResult#<init>(lastValidation)",
            "Evaluation#<init>(timing)",
            // "the values of an F64 tensor, or null" and of an I64 tensor: exactly one of the two is given
            "TensorFile$Tensor#<init>(doubles)",
            "TensorFile$Tensor#<init>(longs)",
            // "previous cell state, or null for zero" (MatrixKernels' contract)
            "ReferenceKernels#lstmCell(cPrev)",
            "MatrixKernels#lstmForward(cPrev)",
            "MatrixKernels#lstmForward(hPrev)",
            "ReferenceKernels#lstmCellBackward(cPrev)",
            "LstmCellScalar#update(cPrev)",
            "LstmCellScalar#backward(cPrev)",
            // the rows of a backward step: null for every row in order (MatrixKernels' contract)
            "ReferenceKernels#lstmCellBackward(rows)",
            // an exception's cause may be absent (Throwable's convention)
            "ModelFileException#<init>(cause)",
            // "null or blank means automatic", as the system property chooses
            "Kernels#select(name)");

    /**
     * Interfaces whose methods the library calls and users implement: their default methods are no-op callbacks,
     * where a null is never passed by the library and ignoring it is the implementation's choice.
     */
    private static final Set<Class<?>> CALLBACKS = Set.of(org.rankcoding.train.TrainingListener.class,
            org.rankcoding.train.TrainingGrid.Listener.class);

    @TempDir
    Path dir;

    /** Calls that could not be made: no stand-in for another parameter or the receiver (an abstract class). */
    private final List<String> unchecked = new ArrayList<>();

    @Test
    void everyPublicEntryPointNamesANullArgument() throws Exception {
        List<String> failures = new ArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        for (Class<?> type : exportedTypes()) {
            List<Executable> entries = new ArrayList<>();
            if (!Modifier.isAbstract(type.getModifiers())) {
                entries.addAll(List.of(type.getConstructors()));
            }
            for (Method m : type.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic() && !m.isBridge() && !Modifier.isAbstract(m.getModifiers())
                        && !isEquals(m) && !isEnumValueOf(type, m) && !CALLBACKS.contains(type)) {
                    entries.add(m);
                }
            }
            entries.sort(Comparator.comparing(Executable::toString));
            for (Executable e : entries) {
                Parameter[] ps = e.getParameters();
                for (int i = 0; i < ps.length; i++) {
                    if (ps[i].getType().isPrimitive() || NULL_ALLOWED.contains(key(type, e, ps[i]))) {
                        continue;
                    }
                    calls.incrementAndGet();
                    String problem = callWithNull(type, e, i);
                    if (problem != null) {
                        failures.add(key(type, e, ps[i]) + ": " + problem);
                    }
                }
            }
        }
        assertTrue(ps() && calls.get() > 100, "parameter names are compiled in and the API has entry points: " + calls);
        assertEquals("", String.join("\n", failures), failures.size() + " of " + calls + " null arguments are not named");
        assertTrue(unchecked.size() * 20 < calls.get(), "at most one call in 20 without stand-ins: " + unchecked);
    }

    /** Whether the compiler kept parameter names (-parameters), without which no message could be checked. */
    private static boolean ps() throws NoSuchMethodException {
        return MetadataNumbers.class.getConstructor(Path.class).getParameters()[0].isNamePresent();
    }

    /** {@code equals(null)} is false by the contract of {@link Object#equals}. */
    private static boolean isEquals(Method m) {
        return m.getName().equals("equals") && m.getParameterCount() == 1 && m.getParameterTypes()[0] == Object.class;
    }

    /** An enum's {@code valueOf(String)}, made by the compiler: its NullPointerException says "Name is null". */
    private static boolean isEnumValueOf(Class<?> type, Method m) {
        return type.isEnum() && m.getName().equals("valueOf") && m.getParameterCount() == 1 && m.getParameterTypes()[0] == String.class;
    }

    private static String key(Class<?> type, Executable e, Parameter p) {
        return type.getName().substring(type.getPackageName().length() + 1) + "#" + (e instanceof Constructor<?> ? "<init>" : e.getName()) + "(" + p.getName() + ")";
    }

    /** What is wrong with calling {@code e} with null at parameter {@code index}, or null if the refusal names it. */
    private String callWithNull(Class<?> type, Executable e, int index) {
        Parameter[] ps = e.getParameters();
        Object[] args = new Object[ps.length];
        try {
            for (int i = 0; i < ps.length; i++) {
                args[i] = i == index ? null : standIn(ps[i].getType());
            }
            Object receiver = e instanceof Method m && !Modifier.isStatic(m.getModifiers()) ? standIn(type) : null;
            if (e instanceof Constructor<?> c) {
                c.newInstance(args);
            } else {
                ((Method) e).invoke(receiver, args);
            }
            return "accepted null";
        } catch (NoStandIn n) {
            unchecked.add(key(type, e, ps[index]));
            return null; // no stand-in for another parameter or the receiver: not checked, but counted
        } catch (InvocationTargetException t) {
            Throwable cause = t.getCause();
            String name = ps[index].getName();
            String message = cause.getMessage();
            if (!(cause instanceof NullPointerException || cause instanceof IllegalArgumentException)) {
                return "threw " + cause;
            }
            if (message == null || message.isBlank()) {
                return "a " + cause.getClass().getSimpleName() + " without a message";
            }
            if (message.contains("because \"") || !message.contains(name)) {
                return "message does not name '" + name + "': " + cause;
            }
            return null;
        } catch (ReflectiveOperationException | RuntimeException x) {
            return "could not be called: " + x;
        }
    }

    /** Thrown when there is no non-null stand-in for a type. */
    private static final class NoStandIn extends Exception {
        private static final long serialVersionUID = 1L;
    }

    /** A non-null value of {@code type}. */
    private Object standIn(Class<?> type) throws NoStandIn {
        if (type == int.class || type == long.class || type == short.class || type == byte.class) {
            return type == int.class ? (Object) 1 : type == long.class ? (Object) 1L : type == short.class ? (Object) (short) 1 : (Object) (byte) 1;
        } else if (type == double.class || type == float.class) {
            return type == double.class ? (Object) 0.9 : (Object) 0.9f;
        } else if (type == boolean.class) {
            return false;
        } else if (type == char.class) {
            return 'a';
        } else if (type == String.class || type == CharSequence.class) {
            return "x";
        } else if (type == Path.class) {
            return dir.resolve("x");
        } else if (type.isArray()) {
            return Array.newInstance(type.getComponentType(), 0);
        } else if (type == List.class || type == java.util.Collection.class || type == Iterable.class) {
            return List.of();
        } else if (type == Map.class) {
            return Map.of();
        } else if (type == Set.class) {
            return Set.of();
        } else if (type == Optional.class) {
            return Optional.empty();
        } else if (type == Class.class) {
            return Object.class;
        } else if (type == Object.class) {
            return new Object();
        } else if (type.isEnum()) {
            return type.getEnumConstants()[0];
        } else if (Number.class.isAssignableFrom(type) && type.getName().startsWith("java.lang.")) {
            return type == Integer.class ? (Object) 1 : type == Long.class ? (Object) 1L : (Object) 0.9;
        } else if (type.isInterface() && !type.isSealed()) {
            return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, defaults());
        } else if (type.isSealed()) {
            for (Class<?> sub : type.getPermittedSubclasses()) {
                try {
                    return standIn(sub);
                } catch (NoStandIn n) {
                    // try the next one
                }
            }
            throw new NoStandIn();
        } else if (!Modifier.isAbstract(type.getModifiers()) && !type.getName().startsWith("java.")) {
            return allocate(type);
        }
        throw new NoStandIn();
    }

    /** A proxy's behaviour: default methods run, other methods return zero values. */
    private static InvocationHandler defaults() {
        return (proxy, method, args) -> {
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            Class<?> r = method.getReturnType();
            if (r == boolean.class) {
                return false;
            } else if (r == int.class || r == long.class || r == double.class || r == float.class || r == short.class || r == byte.class) {
                return r == int.class ? (Object) 1 : r == long.class ? (Object) 1L : r == double.class ? (Object) 0.9
                        : r == float.class ? (Object) 0.9f : r == short.class ? (Object) (short) 1 : (Object) (byte) 1;
            } else if (r == char.class) {
                return 'a';
            }
            return r == String.class ? "x" : r == Optional.class ? Optional.empty() : null;
        };
    }

    /** An instance of {@code type} made without running a constructor (its fields are zero): a receiver or argument. */
    private static Object allocate(Class<?> type) throws NoStandIn {
        try {
            Class<?> unsafeType = Class.forName("sun.misc.Unsafe");
            Field f = unsafeType.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return unsafeType.getMethod("allocateInstance", Class.class).invoke(f.get(null), type);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new NoStandIn();
        }
    }

    /** The public classes, records, enums and interfaces of the packages the library's module exports. */
    private static List<Class<?>> exportedTypes() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(MetadataNumbers.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor module = ModuleFinder.of(classes).findAll().iterator().next().descriptor();
        List<Class<?>> out = new ArrayList<>();
        for (ModuleDescriptor.Exports e : module.exports()) {
            if (e.isQualified()) {
                continue;
            }
            Path folder = classes.resolve(e.source().replace('.', '/'));
            List<Path> files;
            try (Stream<Path> s = Files.list(folder)) {
                files = s.filter(p -> p.toString().endsWith(".class") && !p.getFileName().toString().equals("package-info.class"))
                        .sorted().toList();
            }
            for (Path p : files) {
                String name = p.getFileName().toString();
                Class<?> c = Class.forName(e.source() + "." + name.substring(0, name.length() - ".class".length()), false,
                        NullArgumentsTest.class.getClassLoader());
                if (isPublicApi(c)) {
                    out.add(c);
                }
            }
        }
        assertTrue(out.size() > 20, "found the exported types: " + out);
        return out;
    }

    private static boolean isPublicApi(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers()) || k.isAnonymousClass() || k.isSynthetic()) {
                return false;
            }
        }
        return true;
    }
}
