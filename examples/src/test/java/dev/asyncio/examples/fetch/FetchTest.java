package dev.asyncio.examples.fetch;

import dev.asyncio.http.HttpClient;
import dev.asyncio.net.ConnectionRefusedError;
import dev.asyncio.test.AsyncTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fetcher end to end against its embedded server: the demo, URLs given, failures, progress, summary, options. */
class FetchTest {
    private static final Pattern SPEED_UP = Pattern.compile(
            "Speed-up: ([0-9.]+) fetches per second (\\d+) at a time, ([0-9.]+) one at a time: ([0-9.]+) times faster, on one thread\\.");

    private static List<String> lines(ByteArrayOutputStream bytes) {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static PrintStream to(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    @AsyncTest
    void theDemoFetchesTheEmbeddedServersPagesBothWaysAndPrintsTheSpeedUp() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long failed = Fetch.demo(FetchOptions.parse("--pages", "30", "--concurrency", "10"), false, to(bytes), 0.01, 0.03);
        assertEquals(0, failed);
        List<String> out = lines(bytes);
        assertTrue(out.getFirst().matches("No URLs given: serving 30 pages with 10 to 30 ms of simulated latency each at "
                + "http://127\\.0\\.0\\.1:\\d+, on this program's own loop\\."), out.getFirst());
        assertEquals("", out.get(1));
        assertEquals("Fetching all 30 pages, 10 at a time:", out.get(2));
        for (int i = 1; i <= 10; i++) {
            assertTrue(out.get(2 + i).matches("  " + 3 * i + "/30 done  [0-9.]+ req/s  0 errors  [0-9.]+ s"), out.get(2 + i));
        }
        assertTrue(out.get(13).matches("  fetched   30 URLs in [0-9.]+ s: [0-9.]+ per second, 10 at a time"), out.get(13));
        assertEquals("  statuses  200 x 30", out.get(14));
        assertEquals("  failures  none", out.get(15));
        long bodies = 0;
        for (int page = 1; page <= 30; page++) {
            bodies += PageServer.page(page).getBytes(StandardCharsets.UTF_8).length;
        }
        assertEquals("  bytes     " + Summary.bytes(bodies) + " of bodies (decompressed)", out.get(16));
        assertTrue(out.get(17).matches("  times     p50 \\d+ ms   p99 \\d+ ms   max \\d+ ms"), out.get(17));
        assertTrue(out.get(18).matches("  slowest +\\d+ ms  http://127\\.0\\.0\\.1:\\d+/page/\\d+"), out.get(18));
        assertTrue(out.contains("Fetching the same 30 pages one at a time:"), String.join("\n", out));
        Matcher m = SPEED_UP.matcher(out.getLast());
        assertTrue(m.matches(), out.getLast());
        assertEquals("10", m.group(2));
        assertTrue(Double.parseDouble(m.group(4)) > 3, "ten at a time beat one at a time: " + out.getLast());
    }

    @AsyncTest
    void withMorePagesThanItCanWaitForTheDemoFetchesOnlySomeOneAtATimeAndSaysSo() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Fetch.demo(FetchOptions.parse("--pages", "60"), false, to(bytes), 0.001, 0.002);
        List<String> out = lines(bytes);
        assertTrue(out.stream().anyMatch(l -> l.matches("Fetching the first 40 pages one at a time \\(all 60 would take "
                + "about 0 s\\):")), String.join("\n", out));
        assertTrue(out.stream().anyMatch(l -> l.startsWith("  fetched   40 URLs in ") && l.endsWith("one at a time")));
    }

    @AsyncTest
    void givenUrlsAreFetchedAndFailuresCountedAndNamed() {
        PageServer server = PageServer.start(0.001, 0.002);
        try {
            String base = server.baseUrl();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            long failed = Fetch.run(FetchOptions.parse("--plain", "--sequential", "--concurrency", "3",
                    base + "/page/1", base + "/page/2", base + "/missing", "http://127.0.0.1:1/", "not-a-url"),
                    false, to(bytes));
            assertEquals(4, failed, "two bad URLs, fetched twice");
            List<String> out = lines(bytes);
            assertEquals("Fetching 5 URLs, 3 at a time:", out.getFirst());
            assertTrue(out.contains("  failed not-a-url: InvalidUrlError: invalid URL 'not-a-url': no scheme (http:// or https://)"),
                    String.join("\n", out));
            assertTrue(out.stream().anyMatch(l -> l.startsWith("  failed http://127.0.0.1:1/: ConnectionRefusedError: ")));
            assertEquals(2, out.stream().filter(l -> l.equals("  statuses  200 x 2, 404 x 1")).count());
            assertEquals(2, out.stream().filter(l -> l.equals("  failures  2 (ConnectionRefusedError x 1, InvalidUrlError x 1)")).count());
            assertTrue(out.contains("Fetching the same 5 URLs one at a time:"));
            assertTrue(SPEED_UP.matcher(out.get(out.size() - 3)).matches(), out.get(out.size() - 3));
            assertEquals("4 of 10 fetches failed.", out.getLast());
            assertEquals(6, server.requests(), "the three URLs of the server, twice");
        } finally {
            server.close();
        }
    }

    @AsyncTest
    void aFailedFetchIsAResultNotAnException() {
        try (HttpClient client = HttpClient.create()) {
            FetchResult r = Fetch.fetchOne(client, "http://127.0.0.1:1/", 5);
            assertTrue(r.failed());
            assertTrue(r.error() instanceof ConnectionRefusedError, r.problem());
            assertEquals(0, r.status());
        }
    }

    @AsyncTest
    void onATerminalOneLineIsRedrawnAndFailuresGetLinesOfTheirOwn() {
        PageServer server = PageServer.start(0.001, 0.002);
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            Fetch.run(FetchOptions.parse(server.baseUrl() + "/page/1", "http://127.0.0.1:1/"), true, to(bytes));
            String out = bytes.toString(StandardCharsets.UTF_8);
            assertTrue(out.startsWith("Fetching 2 URLs, 20 at a time:\n\r  [........................] 0/2 done"), out);
            assertTrue(out.contains("\r  failed http://127.0.0.1:1/: ConnectionRefusedError"), out);
            assertTrue(out.contains("\r  [########################] 2/2 done"), out);
            String lastFrame = out.substring(out.lastIndexOf('\r') + 1, out.indexOf("\n  fetched"));
            assertTrue(lastFrame.matches("  \\[#{24}] 2/2 done  [0-9.]+ req/s  1 error  [0-9.]+ s *"), lastFrame);
        } finally {
            server.close();
        }
    }

    @Test
    void theSummaryTableShowsCountsStatusesBytesPercentilesAndTheSlowest() {
        List<FetchResult> results = new java.util.ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            results.add(new FetchResult("http://h/" + i, i % 10 == 0 ? 404 : 200, 1000, i / 1000.0, null));
        }
        results.add(new FetchResult("http://h/x", 0, 0, 2.5, new dev.asyncio.http.ReadTimeoutError("slow", 2)));
        Summary s = new Summary(results, 4.04, 20);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        s.print(to(bytes));
        assertEquals(List.of(
                "  fetched   101 URLs in 4.04 s: 25.0 per second, 20 at a time",
                "  statuses  200 x 90, 404 x 10",
                "  failures  1 (ReadTimeoutError x 1)",
                "  bytes     97.7 KiB of bodies (decompressed)",
                "  times     p50 51 ms   p99 100 ms   max 2500 ms",
                "  slowest   2500 ms  http://h/x",
                "             100 ms  http://h/100",
                "              99 ms  http://h/99"), lines(bytes));
    }

    @Test
    void optionsHaveDefaultsAndBadOnesAreNamed(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        FetchOptions none = FetchOptions.parse();
        assertEquals(new FetchOptions(List.of(), 20, false, 30, null, 300), none);
        Path file = dir.resolve("urls.txt");
        Files.writeString(file, "# my list\nhttp://a.example/\n\n  http://b.example/x  # trailing comment\n");
        assertEquals(new FetchOptions(List.of("http://c.example/", "http://a.example/", "http://b.example/x"), 5, true, 2.5,
                        false, 300),
                FetchOptions.parse("http://c.example/", "--file", file.toString(), "--concurrency", "5", "--sequential",
                        "--timeout", "2.5", "--plain"));
        assertEquals(true, FetchOptions.parse("--bar").bar());
        for (String[] bad : List.of(new String[] {"--concurrency", "0"}, new String[] {"--concurrency", "x"},
                new String[] {"--timeout", "-1"}, new String[] {"--timeout"}, new String[] {"--fast"},
                new String[] {"--file", dir.resolve("missing.txt").toString()})) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FetchOptions.parse(bad));
            assertTrue(e.getMessage().startsWith(bad[0]) || e.getMessage().startsWith("unknown option")
                    || e.getMessage().startsWith("cannot read --file"), e.getMessage());
        }
    }

    @Test
    void theFetcherIsTheExampleThatRunsByDefault() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        assertTrue(pom.contains("<example>Fetch</example>"), "./mvnw -q -pl examples -am compile exec:exec runs the fetcher");
    }

    /*
     * exec:exec pipes the child's standard streams unless told to inherit them; then System.console().isTerminal()
     * is false even in a terminal and the documented command never draws the bar. Checked by hand with
     *   script -qec "./mvnw -q -o -pl examples -am compile exec:exec -Dargs='--pages 30'" /dev/null
     * which draws the bar with this setting and prints plain "n/30 done" lines without it (review finding 8).
     */
    @Test
    void theExamplesRunWithTheCallersTerminalAsTheirStandardStreams() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        assertTrue(pom.contains("<inheritIo>true</inheritIo>"), "exec:exec must hand the terminal to Fetch's terminal check");
    }
}
