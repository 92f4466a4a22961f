package dev.asyncio.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Lists every example with its one-line description, or runs the example named by its first argument.
 *
 * <pre>{@code
 * ./mvnw -q -pl examples -am compile exec:exec -Dexample=Examples               # this list
 * ./mvnw -q -pl examples -am compile exec:exec -Dexample=Fibonacci              # by simple name
 * ./mvnw -q -pl examples -am compile exec:exec -Dexample=generators.Fibonacci   # or by package
 * }</pre>
 *
 * <p>Nothing here is a hand-kept list: every public class under {@code dev.asyncio.examples} with a
 * {@code public static void main(String[])} is an example, and its description is the first sentence of its
 * class Javadoc, read from the source file the build copies next to the class files.
 */
public final class Examples {
    private static final String ROOT = "dev.asyncio.examples";
    /** How to run one, as the README and the guides write it. */
    public static final String COMMAND = "./mvnw -q -pl examples -am compile exec:exec -Dexample=<name>";

    private Examples() {
    }

    /** One runnable example: its class and the first sentence of its Javadoc. */
    public record Example(Class<?> type, String description) {
        /** The name relative to {@code dev.asyncio.examples}: {@code Countdowns}, {@code generators.Fibonacci}. */
        public String name() {
            return type.getName().substring(ROOT.length() + 1);
        }
    }

    public static void main(String[] args) throws Throwable {
        if (args.length == 0 || args[0].equals(Examples.class.getSimpleName())) {
            printIndex(System.out);
            return;
        }
        Example example;
        try {
            example = find(args[0]);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        MethodHandle main = MethodHandles.publicLookup().findStatic(example.type(), "main",
                MethodType.methodType(void.class, String[].class));
        main.invokeExact(Arrays.copyOfRange(args, 1, args.length));
    }

    /** Prints every example, one per line: name, then description. */
    public static void printIndex(PrintStream out) {
        List<Example> all = all();
        int width = all.stream().mapToInt(e -> e.name().length()).max().orElse(0);
        out.println("Examples; run one with " + COMMAND + ":");
        for (Example e : all) {
            out.println("  " + e.name() + " ".repeat(width - e.name().length() + 2) + e.description());
        }
    }

    /**
     * The example called {@code name}: a simple class name, a name relative to {@code dev.asyncio.examples},
     * or a fully qualified one.
     *
     * @throws IllegalArgumentException if no example, or more than one, has that name; the message lists
     *                                  what there is
     */
    public static Example find(String name) {
        List<Example> all = all();
        List<Example> matches = all.stream()
                .filter(e -> e.type().getSimpleName().equals(name) || e.name().equals(name) || e.type().getName().equals(name))
                .toList();
        if (matches.size() == 1) {
            return matches.getFirst();
        }
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("No example is called '" + name + "'. The examples are: "
                    + String.join(", ", all.stream().map(Example::name).toList())
                    + " (-Dexample=Examples describes each).");
        }
        throw new IllegalArgumentException("'" + name + "' names several examples: "
                + String.join(", ", matches.stream().map(Example::name).toList()) + "; give the package too.");
    }

    /** Every example, those of the root package first, then by package and name. */
    public static List<Example> all() {
        List<Example> examples = new ArrayList<>();
        for (String className : classNames()) {
            Class<?> type;
            try {
                type = Class.forName(className, false, Examples.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                continue;
            }
            if (type != Examples.class && hasMain(type)) {
                examples.add(new Example(type, description(type)));
            }
        }
        examples.sort(Comparator.comparing((Example e) -> e.name().contains("."))
                .thenComparing(Example::name));
        return examples;
    }

    private static boolean hasMain(Class<?> type) {
        if (!Modifier.isPublic(type.getModifiers())) {
            return false;
        }
        try {
            Method main = type.getMethod("main", String[].class);
            return Modifier.isStatic(main.getModifiers()) && main.getReturnType() == void.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** The top-level classes under {@code dev.asyncio.examples}, from the directory or jar this class is in. */
    private static List<String> classNames() {
        Path location;
        try {
            location = Path.of(Examples.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the examples' classes", e);
        }
        try {
            if (Files.isDirectory(location)) {
                return classNamesUnder(location);
            }
            try (FileSystem jar = FileSystems.newFileSystem(location)) {
                return classNamesUnder(jar.getPath("/"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the examples in " + location, e);
        }
    }

    private static List<String> classNamesUnder(Path root) throws IOException {
        Path packageDir = root.resolve(ROOT.replace('.', '/'));
        try (Stream<Path> files = Files.walk(packageDir)) {
            return files.map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> p.endsWith(".class") && !p.contains("$"))
                    .map(p -> p.substring(p.startsWith("/") ? 1 : 0, p.length() - ".class".length()).replace('/', '.'))
                    .sorted()
                    .toList();
        }
    }

    /** The first sentence of the class Javadoc in {@code type}'s source file, or a note saying it is missing. */
    static String description(Class<?> type) {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".java")) {
            if (in == null) {
                return "(no source next to the class: rebuild with mvn compile)";
            }
            String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String first = firstSentenceOfClassJavadoc(source, type.getSimpleName());
            return first != null ? first : "(no class Javadoc)";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The first sentence of the Javadoc right above the declaration of {@code simpleName} in {@code source},
     * on one line, with inline tags and HTML reduced to their text; {@code null} if there is none.
     */
    static String firstSentenceOfClassJavadoc(String source, String simpleName) {
        Matcher decl = Pattern.compile("(?m)^public\\s+(?:(?:final|abstract|sealed|non-sealed|static)\\s+)*"
                + "(?:class|record|enum|interface)\\s+" + Pattern.quote(simpleName) + "\\b").matcher(source);
        if (!decl.find()) {
            return null;
        }
        String before = source.substring(0, decl.start());
        int end = before.lastIndexOf("*/");
        int start = before.lastIndexOf("/**");
        if (start < 0 || end < start || !before.substring(end + 2).replaceAll("@\\w+(\\([^)]*\\))?", "").isBlank()) {
            return null;
        }
        String text = before.substring(start + 3, end).lines()
                .map(line -> line.strip().replaceFirst("^\\*\\s?", ""))
                .takeWhile(line -> !line.startsWith("@") && !line.startsWith("<p>") && !line.startsWith("<pre>"))
                .reduce("", (a, b) -> a.isEmpty() ? b : a + " " + b)
                .replaceAll("\\{@(?:code|literal) ([^}]*)}", "$1")
                .replaceAll("\\{@link(?:plain)? (?:[^} ]+ )?([^}]+)}", "$1")
                .replaceAll("<[^>]+>", "")
                .replaceAll("\\s+", " ")
                .strip();
        Matcher sentence = Pattern.compile("^.*?[.!?](?=\\s|$)").matcher(text);
        String first = sentence.find() ? sentence.group() : text;
        return first.isEmpty() ? null : first;
    }
}
