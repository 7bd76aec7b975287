package org.rankcoding.arch;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The core's structure as docs/architecture.md describes it, read from its sources: no cycle between packages, the
 * internal packages not exported, no main class of 400 lines or more.
 */
class PackageDependencyTest {

    private static final Path MAIN = Path.of("src", "main", "java");
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(org\\.rankcoding[\\w.]*);", Pattern.MULTILINE);
    private static final Pattern QUALIFIED = Pattern.compile("\\b(org\\.rankcoding(?:\\.[a-z]\\w*)+)\\.[A-Z]");
    private static final Pattern COMMENT_OR_STRING = Pattern.compile("/\\*.*?\\*/|//[^\\n]*|\"(?:[^\"\\\\]|\\\\.)*\"", Pattern.DOTALL);

    @Test
    void noCycleBetweenPackages() {
        Map<String, Set<String>> deps = dependencies(sources());
        assertTrue(deps.size() >= 8, "found the core's packages: " + deps.keySet());
        assertEquals(List.of(), cycles(deps), "package cycles in " + deps);
    }

    @Test
    void cycleFinderFindsCycles() {
        Map<String, Set<String>> deps = new TreeMap<>();
        deps.put("a", Set.of("b"));
        deps.put("b", Set.of("c"));
        deps.put("c", Set.of("a"));
        deps.put("d", Set.of("a"));
        assertEquals(List.of(List.of("a", "b", "c")), cycles(deps));
    }

    @Test
    void internalPackagesAreNotExported() throws IOException {
        String moduleInfo = Files.readString(MAIN.resolve("module-info.java"));
        String code = COMMENT_OR_STRING.matcher(moduleInfo).replaceAll("");
        for (String internal : List.of("org.rankcoding.kernel.impl", "org.rankcoding.nn.compute")) {
            assertFalse(code.contains("exports " + internal + ";"), internal + " is internal: " + moduleInfo);
            assertTrue(Files.isDirectory(MAIN.resolve(internal.replace('.', '/'))), internal + " exists");
        }
        assertTrue(code.contains("exports org.rankcoding.rc;"), "the API packages are exported: " + moduleInfo);
    }

    @Test
    void noMainClassOf400LinesOrMore() {
        Map<Path, Integer> longest = new TreeMap<>();
        for (Path p : sources()) {
            int lines = read(p).split("\n", -1).length - 1;
            if (lines >= 400) {
                longest.put(p, lines);
            }
        }
        assertEquals(Map.of(), longest, "main classes of 400 lines or more");
    }

    /** The core's main source files. */
    private static List<Path> sources() {
        assertTrue(Files.isDirectory(MAIN), "run from the module directory: " + MAIN.toAbsolutePath());
        try (Stream<Path> s = Files.walk(MAIN)) {
            return s.filter(p -> p.toString().endsWith(".java") && !p.endsWith("module-info.java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Package to the other packages of the library it names in imports or qualified names in code. */
    private static Map<String, Set<String>> dependencies(List<Path> files) {
        Map<String, String> text = new HashMap<>();
        Set<String> packages = new TreeSet<>();
        for (Path p : files) {
            String s = read(p);
            Matcher m = PACKAGE.matcher(s);
            assertTrue(m.find(), "package declaration in " + p);
            packages.add(m.group(1));
            text.merge(m.group(1), s, String::concat);
        }
        Map<String, Set<String>> deps = new TreeMap<>();
        text.forEach((pkg, s) -> {
            Set<String> to = new TreeSet<>();
            Matcher imports = IMPORT.matcher(s);
            while (imports.find()) {
                String owner = owningPackage(imports.group(1), packages);
                if (owner != null) {
                    to.add(owner);
                }
            }
            Matcher qualified = QUALIFIED.matcher(COMMENT_OR_STRING.matcher(s).replaceAll(""));
            while (qualified.find()) {
                if (packages.contains(qualified.group(1))) {
                    to.add(qualified.group(1));
                }
            }
            to.remove(pkg);
            deps.put(pkg, to);
        });
        return deps;
    }

    /** The longest known package that {@code name} (a class, a nested class or a static member) starts with. */
    private static String owningPackage(String name, Set<String> packages) {
        for (String n = name; n.contains("."); n = n.substring(0, n.lastIndexOf('.'))) {
            if (packages.contains(n)) {
                return n;
            }
        }
        return null;
    }

    /** The strongly connected components of more than one package (Tarjan), each sorted, in order of their first. */
    static List<List<String>> cycles(Map<String, Set<String>> deps) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<List<String>> out = new ArrayList<>();
        for (String v : new TreeSet<>(deps.keySet())) {
            if (!index.containsKey(v)) {
                connect(v, deps, index, low, stack, out);
            }
        }
        out.sort((a, b) -> a.get(0).compareTo(b.get(0)));
        return out;
    }

    private static void connect(String v, Map<String, Set<String>> deps, Map<String, Integer> index, Map<String, Integer> low,
                                Deque<String> stack, List<List<String>> out) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        for (String w : new TreeSet<>(deps.getOrDefault(v, Set.of()))) {
            if (!index.containsKey(w)) {
                connect(w, deps, index, low, stack, out);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (stack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                component.sort(null);
                out.add(component);
            }
        }
    }
}
