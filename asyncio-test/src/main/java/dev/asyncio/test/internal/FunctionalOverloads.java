package dev.asyncio.test.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Finds, by reflection, the public methods of a module that take a lambda: the raw material of this project's
 * guard against ambiguous overloads (a public overload must never make a lambda or method reference ambiguous
 * for callers). Not API: for the project's own tests.
 *
 * <p>Two overloads with the same number of parameters that take different functional interfaces at the same
 * position are the risk: a method reference to an overloaded method ({@code var::get}) fits both and Java
 * cannot pick one. {@link #pairs} lists every such place so that a test can compare it with a reviewed list;
 * {@link #takingLambdas} lists every public method that takes a functional interface, so that a test can check
 * that its compile-time guard calls each one.
 */
public final class FunctionalOverloads {
    private FunctionalOverloads() {
    }

    /** The public classes (nested ones included) of {@code anchor}'s package and its subpackages, except {@code .internal}. */
    public static List<Class<?>> publicClasses(Class<?> anchor) {
        String pkg = anchor.getPackageName();
        List<Class<?>> classes = new ArrayList<>();
        for (String name : classNames(anchor)) {
            if (!name.startsWith(pkg + ".") || name.contains(".internal.") || name.endsWith("module-info")) {
                continue;
            }
            Class<?> c;
            try {
                c = Class.forName(name, false, anchor.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalStateException("cannot load " + name, e);
            }
            if (isPublicApi(c)) {
                classes.add(c);
            }
        }
        return classes;
    }

    private static boolean isPublicApi(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers()) || k.isAnonymousClass() || k.isSynthetic()) {
                return false;
            }
        }
        return true;
    }

    /** Every class file name under the class-path entry (directory or jar) that holds {@code anchor}. */
    private static List<String> classNames(Class<?> anchor) {
        Path root;
        try {
            root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        try {
            if (Files.isDirectory(root)) {
                return namesUnder(root);
            }
            try (FileSystem jar = FileSystems.newFileSystem(root)) {
                return namesUnder(jar.getPath("/"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> namesUnder(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.map(p -> root.relativize(p).toString())
                    .filter(n -> n.endsWith(".class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .sorted()
                    .toList();
        }
    }

    /** The single abstract method of {@code type} if it is a functional interface, else {@code null}. */
    public static Method functionalMethod(Class<?> type) {
        if (!type.isInterface() || type.isAnnotation()) {
            return null;
        }
        Method found = null;
        for (Method m : type.getMethods()) {
            if (!Modifier.isAbstract(m.getModifiers()) || isObjectMethod(m)) {
                continue;
            }
            if (found != null && !(found.getName().equals(m.getName())
                    && Arrays.equals(found.getParameterTypes(), m.getParameterTypes()))) {
                return null;
            }
            found = m;
        }
        return found;
    }

    private static boolean isObjectMethod(Method m) {
        try {
            Object.class.getMethod(m.getName(), m.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** The public methods and constructors declared by {@code c}, grouped by name ({@code <init>} for constructors). */
    private static Map<String, List<Executable>> publicExecutables(Class<?> c) {
        Map<String, List<Executable>> byName = new TreeMap<>();
        for (Method m : c.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
                byName.computeIfAbsent(m.getName(), k -> new ArrayList<>()).add(m);
            }
        }
        if (!c.isInterface()) {
            for (var k : c.getDeclaredConstructors()) {
                if (Modifier.isPublic(k.getModifiers())) {
                    byName.computeIfAbsent("<init>", x -> new ArrayList<>()).add(k);
                }
            }
        }
        return byName;
    }

    /**
     * Every public method (or constructor) of {@code classes} with a functional-interface parameter, as
     * {@code "SimpleClassName.method"} (nested classes as {@code Outer.Inner}).
     */
    public static Set<String> takingLambdas(List<Class<?>> classes) {
        Set<String> out = new TreeSet<>();
        for (Class<?> c : classes) {
            publicExecutables(c).forEach((name, list) -> {
                for (Executable e : list) {
                    if (Arrays.stream(e.getParameterTypes()).anyMatch(t -> functionalMethod(t) != null)) {
                        out.add(displayName(c) + "." + name);
                    }
                }
            });
        }
        return out;
    }

    /**
     * Every place where overloads with the same number of parameters take different functional interfaces at
     * the same position, as {@code "Class.method(n args) #i: Fi1 | Fi2"} with the interfaces' simple names sorted.
     */
    public static Set<String> pairs(List<Class<?>> classes) {
        Set<String> out = new TreeSet<>();
        for (Class<?> c : classes) {
            publicExecutables(c).forEach((name, list) -> {
                Map<Integer, Map<Integer, Set<String>>> byArityAndPosition = new TreeMap<>();
                for (Executable e : list) {
                    Class<?>[] params = e.getParameterTypes();
                    for (int i = 0; i < params.length; i++) {
                        if (functionalMethod(params[i]) != null) {
                            byArityAndPosition.computeIfAbsent(params.length, k -> new TreeMap<>())
                                    .computeIfAbsent(i, k -> new TreeSet<>()).add(params[i].getSimpleName());
                        }
                    }
                }
                byArityAndPosition.forEach((arity, positions) -> positions.forEach((pos, fis) -> {
                    if (fis.size() > 1) {
                        out.add(displayName(c) + "." + name + "(" + arity + " args) #" + pos + ": " + String.join(" | ", fis));
                    }
                }));
            });
        }
        return out;
    }

    /**
     * The methods of {@link #takingLambdas} for {@code anchor}'s package that {@code guardSource} (a test's source
     * file) has no group of calls for, a group being marked by a line {@code // Class.method}.
     */
    public static Set<String> withoutCallGroup(Class<?> anchor, Path guardSource) {
        String source;
        try {
            source = Files.readString(guardSource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> missing = new TreeSet<>();
        for (String method : takingLambdas(publicClasses(anchor))) {
            if (!source.contains("// " + method + "\n")) {
                missing.add(method);
            }
        }
        return missing;
    }

    private static String displayName(Class<?> c) {
        return c.getEnclosingClass() == null ? c.getSimpleName() : displayName(c.getEnclosingClass()) + "." + c.getSimpleName();
    }
}
