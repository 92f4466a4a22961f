package dev.asyncio.docs;

import dev.asyncio.examples.Examples;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The commands the docs give can run: every {@code ./mvnw} line (in a {@code sh} block or in backticks) names
 * modules that exist and an example that exists, without {@code -o} (offline fails on a fresh clone, whose
 * Maven repository is empty), and every script it names is an executable file of the repository.
 */
class CommandsTest {
    private static final Path REPO = Path.of("").toAbsolutePath().getParent();
    private static final Pattern SPAN = Pattern.compile("`([^`]+)`");
    private static final Pattern SCRIPT = Pattern.compile("^(\\.?[\\w-]+(?:/[\\w.-]+)*(?:\\.sh|/run))\\b");

    /** Each command of a document with its line: the lines of {@code sh} blocks, and backticked commands. */
    static List<String[]> commands(List<String> lines) {
        List<String[]> out = new ArrayList<>();
        boolean sh = false;
        boolean fenced = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher fence = Snippets.FENCE.matcher(line);
            if (fence.matches()) {
                sh = !fenced && fence.group(2).matches("sh|bash|shell");
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                String cmd = line.replaceAll("\\s+#.*$", "").strip();
                if (sh && !cmd.isEmpty() && !cmd.startsWith("#")) {
                    out.add(new String[] {String.valueOf(i + 1), cmd});
                }
                continue;
            }
            Matcher span = SPAN.matcher(line);
            while (span.find()) {
                String cmd = span.group(1).strip();
                if (cmd.startsWith("./mvnw") || SCRIPT.matcher(cmd).find() && cmd.contains("/")) {
                    out.add(new String[] {String.valueOf(i + 1), cmd});
                }
            }
        }
        return out;
    }

    /** What is wrong with one command, or {@code null}. */
    static String problem(String cmd, Path repo) {
        List<String> words = List.of(cmd.split("\\s+"));
        if (words.getFirst().equals("./mvnw") || words.getFirst().equals("mvn")) {
            if (words.contains("-o") || words.contains("--offline")) {
                return "-o: offline fails until every dependency was downloaded once";
            }
            for (int k = 0; k + 1 < words.size(); k++) {
                if (words.get(k).equals("-pl")) {
                    for (String module : words.get(k + 1).split(",")) {
                        if (!Files.isRegularFile(repo.resolve(module).resolve("pom.xml"))) {
                            return "no module " + module;
                        }
                    }
                }
            }
            for (String w : words) {
                // Examples itself (the list) is not an example; its main answers to its name
                if (w.startsWith("-Dexample=") && !w.contains("<") && !w.equals("-Dexample=Examples")) {
                    try {
                        Examples.find(w.substring("-Dexample=".length()));
                    } catch (IllegalArgumentException e) {
                        return e.getMessage();
                    }
                }
            }
            return null;
        }
        Matcher script = SCRIPT.matcher(cmd);
        if (script.find()) {
            Path file = repo.resolve(script.group(1));
            if (!Files.isRegularFile(file) || !Files.isExecutable(file)) {
                return "no executable " + script.group(1);
            }
        }
        return null;
    }

    @Test
    void everyCommandInTheDocsNamesWhatExists() throws IOException {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        List<Path> docs = new ArrayList<>(ApiNamesTest.documents());
        docs.add(REPO.resolve("benchmarks/README.md"));
        for (Path doc : docs) {
            for (String[] c : commands(Files.readAllLines(doc))) {
                checked++;
                String problem = problem(c[1], REPO);
                if (problem != null) {
                    wrong.add(REPO.relativize(doc) + ":" + c[0] + ": " + c[1] + ": " + problem);
                }
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(checked >= 20, "only " + checked + " commands found: is the scan broken?");
    }

    @Test
    void theCheckFindsWhatIsWrong() {
        assertEquals("-o: offline fails until every dependency was downloaded once",
                problem("./mvnw -q -o test -pl docs -am", REPO));
        assertEquals("no module nodocs", problem("./mvnw -q test -pl nodocs -am", REPO));
        assertTrue(problem("./mvnw -q -pl examples -am compile exec:exec -Dexample=Countdown", REPO)
                .contains("Countdown"));
        assertEquals("no executable benchmarks/run-all.sh", problem("benchmarks/run-all.sh quick", REPO));
        assertEquals(null, problem("./mvnw -q -pl examples -am compile exec:exec -Dexample=generators.Fibonacci", REPO));
        assertEquals(null, problem("benchmarks/run-core.sh quick", REPO));
        assertEquals(List.of("./mvnw verify", "benchmarks/echo/run.sh"), commands(List.of(
                "Run `./mvnw verify`, then `benchmarks/echo/run.sh`; not `q.shutdown()`.",
                "```sh", "# a comment", "```")).stream().map(c -> c[1]).toList());
    }
}
