package dev.asyncio.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The repository's front door: the README's set-up commands, the CI script that must run the same test
 * command, the README's code, and the wrapper's one-line "no JDK 25" check.
 */
class RepositoryTest {
    private static final Path REPO = Path.of("").toAbsolutePath().getParent();

    /** The commands of the README's first code block, comments stripped. */
    private static List<String> setUpCommands() throws IOException {
        List<String> lines = Files.readAllLines(REPO.resolve("README.md"));
        List<String> commands = new ArrayList<>();
        int i = 0;
        while (i < lines.size() && !lines.get(i).startsWith("```")) {
            i++;
        }
        for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
            String cmd = lines.get(i).replaceAll("\\s+#.*$", "").strip();
            if (!cmd.isEmpty()) {
                commands.add(cmd);
            }
        }
        return commands;
    }

    @Test
    void theReadmeOpensWithTwoCommandsTheDemoThenTheTests() throws IOException {
        List<String> lines = Files.readAllLines(REPO.resolve("README.md"));
        assertTrue(lines.get(0).startsWith("# "), "a title first");
        assertTrue(lines.stream().skip(1).filter(l -> !l.isBlank()).findFirst().orElse("").startsWith("```"),
                "the set-up commands come right after the title");
        List<String> commands = setUpCommands();
        assertEquals(2, commands.size(), commands.toString());
        assertTrue(commands.get(0).startsWith("./mvnw ") && commands.get(0).contains("exec:exec"), commands.get(0));
        assertTrue(commands.get(1).startsWith("./mvnw verify"), commands.get(1));
    }

    /**
     * A guide that speaks of "the README's first command" names the example that command runs: the default
     * {@code <example>} of examples/pom.xml (guide 5 once called the countdowns the first command; it is the
     * fetcher).
     */
    @Test
    void aGuideThatCitesTheReadmesFirstCommandNamesTheExampleItRuns() throws IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<example>(\\w+)</example>")
                .matcher(Files.readString(REPO.resolve("examples/pom.xml")));
        assertTrue(m.find(), "examples/pom.xml has a default <example>");
        String example = m.group(1);
        assertTrue(setUpCommands().getFirst().contains("exec:exec") && !setUpCommands().getFirst().contains("-Dexample="),
                "the README's first command runs the default example");
        java.util.regex.Pattern cites = java.util.regex.Pattern.compile(
                "(?i)(README'?s first command|first command of the\\s+README)");
        List<String> wrong = new ArrayList<>();
        List<Path> docs = new ArrayList<>(ApiNamesTest.documents());
        docs.add(REPO.resolve("examples/pom.xml"));
        for (Path doc : docs) {
            for (String paragraph : Files.readString(doc).split("\\n\\s*\\n")) {
                if (cites.matcher(paragraph).find() && !paragraph.contains(example)) {
                    wrong.add(REPO.relativize(doc) + ": " + paragraph.strip());
                }
            }
        }
        assertEquals(List.of(), wrong, "the README's first command runs " + example);
    }

    @Test
    void ciRunsExactlyTheReadmesTestCommand() throws IOException {
        String test = setUpCommands().get(1);
        List<String> ci = Files.readAllLines(REPO.resolve(".ci/run")).stream()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.startsWith("set ") && !l.startsWith("cd "))
                .toList();
        assertEquals(List.of(test), ci, "the README's test command, and nothing else");
        assertTrue(test.startsWith("./mvnw verify") && test.contains("consumer/run-all.sh"), test);
    }

    @Test
    void theReadmesJavaCodeIsCompiledSource() {
        Snippets.Report report = Snippets.checkFiles(List.of(REPO.resolve("README.md")), REPO);
        assertTrue(report.problems().isEmpty(), report.describe());
        assertTrue(report.javaBlocks() >= 1, "the README shows an example");
    }

    @Test
    void withoutAJdk25TheWrapperCheckSaysWhatToInstallInOneLine() throws Exception {
        Process none = startCheck("/nonexistent/jdks");
        String out = new String(none.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(none.waitFor(30, TimeUnit.SECONDS));
        assertEquals(1, none.exitValue());
        assertEquals(1, out.lines().count(), out);
        assertTrue(out.contains("needs JDK 25") && out.contains("install"), out);
    }

    @Test
    void theWrapperCheckFindsTheJdkThatRunsTheseTestsAndPrintsItsHomeForMavenToRunOn() throws Exception {
        Path jdkHome = Path.of(System.getProperty("java.home"));
        Process found = startCheck(jdkHome.getParent().toString());
        String out = new String(found.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(found.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, found.exitValue(), out);
        assertEquals(1, out.lines().count(), out);
        Path printed = Path.of(out.strip());
        assertEquals(jdkHome.getParent(), printed.getParent(), "a JDK under the root searched: " + out);
        assertTrue(Files.isExecutable(printed.resolve("bin/javac")), "a JDK's home: " + out);
    }

    /** Runs the check with only {@code roots} to search and a home without ~/.m2/toolchains.xml. */
    private static Process startCheck(String roots) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(REPO.resolve(".mvn/require-jdk25").toString()).redirectErrorStream(true);
        pb.environment().put("ASYNCIO_JDK_ROOTS", roots);
        pb.environment().put("HOME", Files.createTempDirectory("no-toolchains").toString());
        pb.environment().remove("ASYNCIO_SKIP_JDK_CHECK");
        return pb.start();
    }
}
