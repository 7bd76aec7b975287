package org.rankcoding.testing;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The API guard: the exported packages and public types of a module, compared with a committed list
 * ({@code api/<module>.txt} at the project root), so that exporting something new, or removing something, is a
 * deliberate act. The list has one line per exported package ({@code org.rankcoding.nn package}) and one per public
 * type in it ({@code org.rankcoding.nn.NetworkConfig record}, nested types with {@code $}), sorted. To accept a change,
 * run the module's tests with {@code -Drankcoding.api.write=true} (it rewrites the list) and commit the list.
 */
public final class ApiSurface {

    /** The system property that rewrites the committed list instead of comparing. */
    public static final String WRITE = "rankcoding.api.write";

    private ApiSurface() {
    }

    /**
     * The exported packages of the module compiled into {@code classes}: those its {@code module-info.class} exports,
     * or, for a module without one (a class-path library), every package with a class.
     */
    public static Set<String> exportedPackages(Path classes) throws IOException {
        Path info = classes.resolve("module-info.class");
        Set<String> packages = new TreeSet<>();
        if (Files.exists(info)) {
            try (InputStream in = Files.newInputStream(info)) {
                for (ModuleDescriptor.Exports e : ModuleDescriptor.read(in).exports()) {
                    if (!e.isQualified()) {
                        packages.add(e.source());
                    }
                }
            }
            return packages;
        }
        try (Stream<Path> files = Files.walk(classes)) {
            files.filter(f -> f.toString().endsWith(".class"))
                    .forEach(f -> packages.add(classes.relativize(f.getParent()).toString().replace('/', '.')));
        }
        return packages;
    }

    /** The lines of the API list of the classes in {@code classes}, loaded (not initialised) with this class loader. */
    public static List<String> describe(Path classes) throws IOException {
        Set<String> packages = exportedPackages(classes);
        Set<String> lines = new TreeSet<>();
        ClassLoader loader = ApiSurface.class.getClassLoader();
        for (String p : packages) {
            lines.add(p + " package");
            Path dir = classes.resolve(p.replace('.', '/'));
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String name = f.getFileName().toString();
                    if (!name.endsWith(".class") || name.equals("package-info.class")) {
                        continue;
                    }
                    String binary = p + "." + name.substring(0, name.length() - ".class".length());
                    Class<?> c;
                    try {
                        c = Class.forName(binary, false, loader);
                    } catch (ClassNotFoundException | LinkageError e) {
                        throw new IOException("cannot load " + binary + " to read its modifiers: " + e, e);
                    }
                    if (isPublicApi(c)) {
                        lines.add(binary + " " + kind(c));
                    }
                }
            }
        }
        return new ArrayList<>(lines);
    }

    private static boolean isPublicApi(Class<?> c) {
        if (c.isAnonymousClass() || c.isLocalClass() || c.isSynthetic()) {
            return false;
        }
        for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
            if (!Modifier.isPublic(k.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static String kind(Class<?> c) {
        if (c.isAnnotation()) {
            return "annotation";
        }
        if (c.isInterface()) {
            return "interface";
        }
        if (c.isEnum()) {
            return "enum";
        }
        if (c.isRecord()) {
            return "record";
        }
        return "class";
    }

    /**
     * Compares the API of {@code classes} with the committed list {@code listFile}; with {@value #WRITE} set, writes the
     * list instead.
     */
    public static void assertMatches(Path classes, Path listFile) throws IOException {
        List<String> actual = describe(classes);
        if (Boolean.getBoolean(WRITE)) {
            Files.createDirectories(listFile.toAbsolutePath().getParent());
            Files.write(listFile, actual, StandardCharsets.UTF_8);
            return;
        }
        List<String> committed = Files.exists(listFile) ? Files.readAllLines(listFile, StandardCharsets.UTF_8) : List.of();
        if (!committed.equals(actual)) {
            Set<String> added = new TreeSet<>(actual);
            committed.forEach(added::remove);
            Set<String> removed = new TreeSet<>(committed);
            actual.forEach(removed::remove);
            fail("the public API differs from the committed list " + listFile + ":\n  added:   " + added + "\n  removed: "
                    + removed + "\nIf the change is deliberate, run the tests with -D" + WRITE + "=true and commit the list.");
        }
    }
}
