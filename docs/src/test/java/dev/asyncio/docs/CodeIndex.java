package dev.asyncio.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The classes a document may name, found by reflection: the project's compiled modules (every
 * {@code dev.asyncio} class on this module's test class path, nested ones included), the libraries on that
 * class path (Netty, JUnit), the JDK's {@code java.base} and {@code java.net.http}; plus, by file name only,
 * the classes of the repository that are not on the class path (other modules' tests, the benchmarks).
 */
final class CodeIndex {
    /** Methods every class has from {@code Object} that are never what a document means by a name. */
    private static final Set<String> OBJECT_ONLY = Set.of("wait", "notify", "notifyAll", "getClass", "finalize",
            "clone");

    private final Map<String, List<String>> project = new HashMap<>();
    private final Map<String, List<String>> libraries = new HashMap<>();
    private final Set<String> packages = new LinkedHashSet<>();
    private final Set<String> sourceOnly = new LinkedHashSet<>();
    private final Map<String, Class<?>> loaded = new HashMap<>();
    private final List<Class<?>> projectClasses = new ArrayList<>();

    private CodeIndex() {
    }

    /** The index of this JVM's class path and the JDK, and the source files under {@code repoRoot}. */
    static CodeIndex load(Path repoRoot) {
        CodeIndex index = new CodeIndex();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                index.scanDirectory(p);
            } else if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                index.scanJar(p);
            }
        }
        index.scanJdk();
        index.scanSources(repoRoot);
        for (List<String> names : index.project.values()) {
            for (String name : names) {
                Class<?> c = index.load(name);
                if (c != null) {
                    index.projectClasses.add(c);
                }
            }
        }
        if (index.projectClasses.stream().noneMatch(c -> c.getName().equals("dev.asyncio.Asyncio"))) {
            throw new IllegalStateException("dev.asyncio.Asyncio is not on the class path: the index would be empty");
        }
        return index;
    }

    private void scanDirectory(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(f -> f.toString().endsWith(".class"))
                    .forEach(f -> add(root.relativize(f).toString().replace(java.io.File.separatorChar, '/')));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void scanJar(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry e : java.util.Collections.list(file.entries())) {
                if (e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/")) {
                    add(e.getName());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(jar + ": " + e.getMessage(), e);
        }
    }

    private void scanJdk() {
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        for (String module : List.of("java.base", "java.net.http")) {
            Path root = jrt.getPath("/modules", module);
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(f -> f.toString().endsWith(".class"))
                        .forEach(f -> add(root.relativize(f).toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Records {@code a/b/C$D.class} under its simple names C and D (anonymous and local classes skipped). */
    private void add(String path) {
        String binary = path.substring(0, path.length() - ".class".length()).replace('/', '.');
        if (binary.endsWith("module-info") || binary.endsWith("package-info")) {
            return;
        }
        int dot = binary.lastIndexOf('.');
        if (dot > 0) {
            String pkg = binary.substring(0, dot);
            for (int d = pkg.length(); d > 0; d = pkg.lastIndexOf('.', d - 1)) {
                packages.add(pkg.substring(0, d));
            }
        }
        String simple = binary.substring(dot + 1);
        int dollar = simple.lastIndexOf('$');
        if (dollar >= 0) {
            simple = simple.substring(dollar + 1);
            if (simple.isEmpty() || Character.isDigit(simple.charAt(0))) {
                return;
            }
        }
        Map<String, List<String>> target = binary.startsWith("dev.asyncio.") ? project : libraries;
        target.computeIfAbsent(simple, k -> new ArrayList<>()).add(binary);
    }

    private void scanSources(Path repoRoot) {
        try (Stream<Path> files = Files.walk(repoRoot)) {
            files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> f.toString().contains("/src/") && !f.toString().contains("/target/")
                            && !f.toString().contains("/.git/"))
                    .forEach(f -> sourceOnly.add(f.getFileName().toString().replace(".java", "")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Class<?> load(String binaryName) {
        if (loaded.containsKey(binaryName)) {
            return loaded.get(binaryName);
        }
        Class<?> c;
        try {
            c = Class.forName(binaryName, false, CodeIndex.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            c = null;
        }
        loaded.put(binaryName, c);
        return c;
    }

    /** Every class of the compiled modules (package {@code dev.asyncio} and below). */
    List<Class<?>> projectClasses() {
        return projectClasses;
    }

    /**
     * The classes of that simple name: the project's if it has one (its {@code HttpClient} before the JDK's),
     * otherwise the libraries' and the JDK's, at most a few.
     */
    List<Class<?>> classes(String simpleName) {
        List<Class<?>> out = new ArrayList<>();
        for (String n : project.getOrDefault(simpleName, List.of())) {
            Class<?> c = load(n);
            if (c != null) {
                out.add(c);
            }
        }
        if (out.isEmpty()) {
            for (String n : libraries.getOrDefault(simpleName, List.of())) {
                Class<?> c = load(n);
                if (c != null && Modifier.isPublic(c.getModifiers())) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    /** Whether a class of that simple name has a source file in the repository (tests, benchmarks). */
    boolean hasSource(String simpleName) {
        return sourceOnly.contains(simpleName);
    }

    /** The class of that fully qualified (binary or canonical) name, or {@code null}. */
    Class<?> qualified(String name) {
        Class<?> c = load(name);
        int dot;
        String n = name;
        while (c == null && (dot = n.lastIndexOf('.')) > 0) {
            n = n.substring(0, dot) + '$' + n.substring(dot + 1);
            c = load(n);
        }
        return c;
    }

    boolean isPackage(String name) {
        return packages.contains(name);
    }

    /** The methods of {@code c} named {@code name}, public or not, inherited ones included (Object's waits excluded). */
    static List<Method> methods(Class<?> c, String name) {
        List<Method> out = new ArrayList<>();
        Set<Class<?>> seen = new LinkedHashSet<>();
        collectTypes(c, seen);
        for (Class<?> t : seen) {
            if (t == Object.class && OBJECT_ONLY.contains(name)) {
                continue;
            }
            for (Method m : t.getDeclaredMethods()) {
                if (m.getName().equals(name) && !m.isSynthetic()) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    /** The field, or nested class, or enum constant of {@code c} named {@code name}, inherited ones included. */
    static Class<?> nested(Class<?> c, String name) {
        Set<Class<?>> seen = new LinkedHashSet<>();
        collectTypes(c, seen);
        for (Class<?> t : seen) {
            for (Class<?> n : t.getDeclaredClasses()) {
                if (n.getSimpleName().equals(name)) {
                    return n;
                }
            }
        }
        return null;
    }

    static Field field(Class<?> c, String name) {
        Set<Class<?>> seen = new LinkedHashSet<>();
        collectTypes(c, seen);
        for (Class<?> t : seen) {
            for (Field f : t.getDeclaredFields()) {
                if (f.getName().equals(name) && !f.isSynthetic()) {
                    return f;
                }
            }
        }
        return null;
    }

    static List<Constructor<?>> constructors(Class<?> c) {
        return List.of(c.getDeclaredConstructors());
    }

    private static void collectTypes(Class<?> c, Set<Class<?>> seen) {
        if (c == null || !seen.add(c)) {
            return;
        }
        collectTypes(c.getSuperclass(), seen);
        for (Class<?> i : c.getInterfaces()) {
            collectTypes(i, seen);
        }
        if (c.isInterface()) {
            collectTypes(Object.class, seen);
        }
    }
}
