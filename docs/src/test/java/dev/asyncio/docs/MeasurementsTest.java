package dev.asyncio.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A measured number in the docs (a time in nanoseconds, a rate in requests per second, a ratio such as "1.34x"
 * or "3.3 to 3.6 times") says in the same paragraph which command measured it, so that a reader can run it
 * again and a number cannot outlive its benchmark unnoticed (design.md once gave "~85 ns a switch" with no
 * source, beside the README's 120 ns). Code blocks (program output) are not prose and are skipped.
 */
class MeasurementsTest {
    private static final Path REPO = Path.of("").toAbsolutePath().getParent();

    static final Pattern MEASUREMENT = Pattern.compile(
            "\\b\\d[\\d,.]*\\s?(ns|requests/s|req/s)\\b|\\b\\d+(\\.\\d+)?x\\b|\\b\\d+(\\.\\d+)?( to \\d+(\\.\\d+)?)? times\\b");
    /** A command line in backticks: {@code ./mvnw ...} or a script {@code path/to/x.sh [args]}; or the README's. */
    static final Pattern COMMAND = Pattern.compile("`(\\./mvnw [^`]*|[\\w./-]+\\.sh\\b[^`]*)`|the first command");

    /** The paragraphs of prose of a Markdown text (fenced blocks dropped), each with its first line number. */
    static List<String> paragraphs(String markdown) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean fenced = false;
        String[] lines = markdown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                line = "";
            }
            if (fenced || line.isBlank() || line.startsWith("#")) {
                if (!current.isEmpty()) {
                    out.add(current.toString());
                    current.setLength(0);
                }
                continue;
            }
            if (current.isEmpty()) {
                current.append(i + 1).append(": ");
            }
            current.append(line).append('\n');
        }
        if (!current.isEmpty()) {
            out.add(current.toString());
        }
        return out;
    }

    static List<String> unsourced(String markdown) {
        List<String> out = new ArrayList<>();
        for (String paragraph : paragraphs(markdown)) {
            if (MEASUREMENT.matcher(paragraph).find() && !COMMAND.matcher(paragraph).find()) {
                out.add(paragraph.strip());
            }
        }
        return out;
    }

    @Test
    void everyMeasuredNumberInTheDocsNamesItsCommand() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path doc : ApiNamesTest.documents()) {
            for (String p : unsourced(Files.readString(doc))) {
                found.add(REPO.relativize(doc) + ":" + p);
            }
        }
        assertEquals(List.of(), found, "name the command that measured each number (a `benchmarks/...sh` script "
                + "or a `./mvnw ... exec:exec` line) in its paragraph");
    }

    @Test
    void theCheckFlagsANumberWithoutItsCommand() {
        assertEquals(List.of("3: A task switch costs ~85 ns."), unsourced("""
                # Title

                A task switch costs ~85 ns.

                A task switch costs 120 ns (`benchmarks/run-core.sh`), 1.34x the floor.

                ```text
                switch 119.6 ns
                ```

                The loop polls I/O every 200 µs and waits 250 ms between connection attempts.
                """));
        assertTrue(unsourced("It was 3.3 to 3.6 times as fast, measured by `benchmarks/http/run.sh`.").isEmpty());
        assertTrue(unsourced("1.2x, by `./mvnw -q -pl benchmarks -am package`.").isEmpty());
        assertEquals(1, unsourced("Built by `exec:exec`, at ~85 ns a switch.").size(), "a goal is not a command");
        assertEquals(1, unsourced("It was 3.3 to 3.6 times as fast.").size());
    }
}
