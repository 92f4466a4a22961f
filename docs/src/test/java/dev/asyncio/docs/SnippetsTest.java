package dev.asyncio.docs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checker itself: a guide that drifts from its source, or shows unmarked code, fails. */
class SnippetsTest {
    @TempDir
    Path repo;

    private static final String SOURCE = """
            package demo;

            class Demo {
                // snippet:outer
                void outer() {
                    // snippet:inner
                    int x = 1;
                    // end-snippet
                    System.out.println(x);
                }
                // end-snippet
            }
            """;

    private Snippets.Report check(String guide) throws IOException {
        Files.createDirectories(repo.resolve("src/demo"));
        Files.writeString(repo.resolve("src/demo/Demo.java"), SOURCE);
        Files.createDirectories(repo.resolve("docs/guides"));
        Files.writeString(repo.resolve("docs/guides/guide.md"), guide);
        return Snippets.check(repo.resolve("docs"), repo);
    }

    private static String only(Snippets.Report report) {
        assertEquals(1, report.problems().size(), report.describe());
        return report.problems().getFirst().toString();
    }

    @Test
    void blockEqualToItsRegionPasses() throws IOException {
        Snippets.Report report = check("""
                # Guide

                <!-- snippet: src/demo/Demo.java#outer -->
                ```java
                void outer() {
                    int x = 1;
                    System.out.println(x);
                }
                ```

                <!-- snippet: src/demo/Demo.java#inner -->
                ```java
                int x = 1;
                ```

                ```sh
                mvn test
                ```
                """);
        assertEquals(List.of(), report.problems(), report.describe());
        assertEquals(2, report.javaBlocks());
    }

    @Test
    void driftedBlockFailsNamingTheGuideTheBlockAndTheDifference() throws IOException {
        String problem = only(check("""
                Text.
                <!-- snippet: src/demo/Demo.java#outer -->
                ```java
                void outer() {
                    int x = 2;
                    System.out.println(x);
                }
                ```
                """));
        assertTrue(problem.startsWith("docs/guides/guide.md:3: java block at line 3 differs from src/demo/Demo.java#outer"),
                problem);
        assertTrue(problem.contains("line 2 of the block is\n          int x = 2;\n    but the source has\n          int x = 1;"),
                problem);
    }

    @Test
    void blockMissingALineFails() throws IOException {
        String problem = only(check("""
                <!-- snippet: src/demo/Demo.java#outer -->
                ```java
                void outer() {
                    int x = 1;
                    System.out.println(x);
                ```
                """));
        assertTrue(problem.contains("the block has 3 lines, the region 4"), problem);
    }

    @Test
    void javaBlockWithoutAMarkerFails() throws IOException {
        String problem = only(check("""
                Some code:

                ```java
                int x = 1;
                ```
                """));
        assertTrue(problem.startsWith("docs/guides/guide.md:3: java block at line 3 has no snippet marker"), problem);
    }

    @Test
    void markerSeparatedFromItsBlockFails() throws IOException {
        Snippets.Report report = check("""
                <!-- snippet: src/demo/Demo.java#inner -->

                ```java
                int x = 1;
                ```
                """);
        assertEquals(2, report.problems().size(), report.describe());
        assertTrue(report.problems().get(0).toString().contains("is not directly followed by a ```java block"),
                report.describe());
        assertTrue(report.problems().get(1).toString().contains("has no snippet marker"), report.describe());
    }

    @Test
    void unknownRegionOrFileFails() throws IOException {
        String region = only(check("""
                <!-- snippet: src/demo/Demo.java#nope -->
                ```java
                int x = 1;
                ```
                """));
        assertTrue(region.contains("src/demo/Demo.java has no region '// snippet:nope'; it has inner, outer"), region);
        String file = only(check("""
                <!-- snippet: src/demo/Missing.java#inner -->
                ```java
                int x = 1;
                ```
                """));
        assertTrue(file.contains("no file src/demo/Missing.java"), file);
    }

    @Test
    void malformedMarkerFails() throws IOException {
        Snippets.Report report = check("""
                <!-- snippet: src/demo/Demo.java -->
                ```java
                int x = 1;
                ```
                """);
        assertTrue(report.problems().getFirst().toString().contains("malformed snippet marker"), report.describe());
    }

    @Test
    void guidesInSubfoldersAreCheckedAndBuildOutputIsNot() throws IOException {
        Files.createDirectories(repo.resolve("docs/more/deeper"));
        Files.writeString(repo.resolve("docs/more/deeper/echo-server.md"), "```java\nunmarked();\n```\n");
        Files.createDirectories(repo.resolve("docs/target"));
        Files.writeString(repo.resolve("docs/target/copy.md"), "```java\nunmarked();\n```\n");
        String problem = only(check("No code here.\n"));
        assertTrue(problem.startsWith("docs/more/deeper/echo-server.md:1:"), problem);
    }

    @Test
    void unclosedRegionInTheSourceIsReported() throws IOException {
        Files.createDirectories(repo.resolve("src/demo"));
        Files.writeString(repo.resolve("src/demo/Broken.java"), "// snippet:a\nint a;\n");
        String problem = only(check("""
                <!-- snippet: src/demo/Broken.java#a -->
                ```java
                int a;
                ```
                """));
        assertTrue(problem.contains("never ends region 'a'"), problem);
    }

    @Test
    void relativeLinksMustNameExistingFiles() throws IOException {
        String problem = only(check("""
                See [the source](../../src/demo/Demo.java), [a section](#a-guide), [the web](https://example.com),
                [a heading elsewhere](../../src/demo/Demo.java#outer) and [a moved file](../../src/demo/Gone.java).

                ```text
                [not a link](in/a/code/block.md)
                ```

                # A guide
                """));
        assertTrue(problem.startsWith("docs/guides/guide.md:2: link to ../../src/demo/Gone.java: no such file"), problem);
    }

    @Test
    void anchorsMustNameAHeading() throws IOException {
        Files.createDirectories(repo.resolve("docs"));
        Files.writeString(repo.resolve("docs/other.md"), "# Other\n\n## The `Foo.bar()` rules, again\n");
        Snippets.Report report = check("""
                # Guide

                ## A section

                [ok](#a-section), [ok too](../other.md#the-foobar-rules-again), [gone](#no-section),
                [gone too](../other.md#the-rules)
                """);
        assertEquals(2, report.problems().size(), report.describe());
        assertTrue(report.problems().get(0).toString().contains("link to #no-section: no such heading"), report.describe());
        assertTrue(report.problems().get(1).toString().contains("link to ../other.md#the-rules: no such heading in ../other.md"),
                report.describe());
    }

    @Test
    void dedentKeepsRelativeIndentationAndBlankLines() {
        assertEquals(List.of("if (x) {", "", "    y();", "}"),
                Snippets.dedent(List.of("        if (x) {", "   ", "            y();   ", "        }")));
    }
}
