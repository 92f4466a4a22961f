package dev.asyncio.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExamplesTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/asyncio/examples");
    private static final Pattern MAIN = Pattern.compile(
            "public\\s+static\\s+void\\s+main\\s*\\(\\s*(final\\s+)?String\\s*(\\[\\s*]|\\.\\.\\.)\\s*\\w+\\s*\\)");

    /** Every source file with a main method, found without the index's help. */
    private static TreeSet<String> mainClassesInTheSources() throws IOException {
        TreeSet<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (MAIN.matcher(Files.readString(file)).find()
                        && !file.getFileName().toString().equals("Examples.java")) {
                    String relative = SOURCES.relativize(file).toString().replace('\\', '/');
                    names.add(relative.substring(0, relative.length() - ".java".length()).replace('/', '.'));
                }
            }
        }
        return names;
    }

    @Test
    void indexListsEveryMainClassOfTheSources() throws IOException {
        TreeSet<String> listed = new TreeSet<>(Examples.all().stream().map(Examples.Example::name).toList());
        assertEquals(mainClassesInTheSources(), listed, "every example must be a public top-level class with "
                + "'public static void main(String[] args)' (the index lists exactly those)");
        assertTrue(listed.size() >= 15, "the seed examples and Countdowns: " + listed);
    }

    @Test
    void everyExampleHasAOneSentenceDescriptionFromItsJavadoc() {
        for (Examples.Example e : Examples.all()) {
            String d = e.description();
            assertFalse(d.startsWith("("), e.name() + ": " + d);
            assertTrue(d.endsWith(".") && d.length() <= 130, e.name() + ": the first sentence of the class Javadoc is "
                    + "the example's one-line description in the index; keep it to 130 characters: " + d);
            assertFalse(d.contains("{@") || d.contains("<"), e.name() + ": tags left in " + d);
        }
    }

    @Test
    void indexPrintsTheCommandThenOneLinePerExampleCountdownsFirst() {
        List<String> lines = Captured.lines(Examples::printIndex);
        assertEquals("Examples; run one with " + Examples.COMMAND + ":", lines.getFirst());
        assertEquals(Examples.all().size() + 1, lines.size());
        assertTrue(lines.get(1).startsWith("  Countdowns  ") && lines.get(1).endsWith(
                "Three countdowns that sleep one second per step run concurrently: nine seconds of sleeping done in "
                        + "about three."), lines.get(1));
        assertTrue(lines.stream().anyMatch(l -> l.matches("  generators\\.Fibonacci +Fibonacci as a list of fixed "
                + "size, then as an infinite generator that the consumer stops \\(seed 000\\)\\.")), String.join("\n", lines));
    }

    @Test
    void examplesAreFoundBySimpleNameByPackageOrFullyQualified() {
        assertEquals("generators.Fibonacci", Examples.find("Fibonacci").name());
        assertEquals("generators.Fibonacci", Examples.find("generators.Fibonacci").name());
        assertEquals("Countdowns", Examples.find("dev.asyncio.examples.Countdowns").name());
    }

    @Test
    void anUnknownNameIsRejectedWithTheListOfExamples() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Examples.find("Fibonaci"));
        assertTrue(e.getMessage().startsWith("No example is called 'Fibonaci'. The examples are: Countdowns, "),
                e.getMessage());
        assertTrue(e.getMessage().contains("generators.Fibonacci"), e.getMessage());
    }

    @Test
    void mainRunsTheNamedExampleWithTheRestOfTheArguments() {
        List<String> viaIndex = Captured.stdout(() -> {
            try {
                Examples.main(new String[] {"Md5Service"});
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        });
        assertEquals(Captured.stdout(() -> dev.asyncio.examples.nanoservices.Md5Service.main(new String[0])), viaIndex);
        assertEquals("hello   -> 5d41402abc4b2a76b9719d911017c592", viaIndex.getFirst());
    }

    @Test
    void firstSentenceIsTakenFromTheJavadocRightAboveTheClass() {
        String source = """
                package x;

                /** Not this one. */
                import y;

                /**
                 * Runs {@code thing} with {@link Other#method() a label} and
                 * <em>emphasis</em>. Second sentence.
                 *
                 * <p>Details.
                 */
                @Deprecated
                public final class Demo {
                }
                """;
        assertEquals("Runs thing with a label and emphasis.", Examples.firstSentenceOfClassJavadoc(source, "Demo"));
        assertNull(Examples.firstSentenceOfClassJavadoc("public class Demo {}", "Demo"));
        assertNull(Examples.firstSentenceOfClassJavadoc("/** Doc. */ int x;\npublic class Demo {}", "Demo"));
    }
}
