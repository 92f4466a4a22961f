package dev.asyncio.examples.fetch;

import dev.asyncio.http.HttpClient;
import dev.asyncio.net.ConnectionRefusedError;
import dev.asyncio.net.Server;
import dev.asyncio.net.Streams;
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
import java.util.zip.GZIPOutputStream;

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
        int code = Fetch.demo(FetchOptions.parse("--pages", "30", "--concurrency", "10"), false, to(bytes), 0.01, 0.03);
        assertEquals(0, code);
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
            int code = Fetch.run(FetchOptions.parse("--plain", "--sequential", "--concurrency", "3",
                    base + "/page/1", base + "/page/2", base + "/missing", "http://127.0.0.1:1/", "not-a-url"),
                    false, to(bytes));
            assertEquals(4, code, "a refused connection (4) comes before a 404 (8) and a bad URL (1)");
            List<String> out = lines(bytes);
            assertEquals("Fetching 5 URLs, 3 at a time:", out.getFirst());
            assertTrue(out.contains("  failed not-a-url: InvalidUrlError: invalid URL 'not-a-url': no scheme (http:// or https://)"),
                    String.join("\n", out));
            assertTrue(out.stream().anyMatch(l -> l.startsWith("  failed http://127.0.0.1:1/: ConnectionRefusedError: ")));
            assertEquals(2, out.stream().filter(l -> l.equals("  statuses  200 x 2, 404 x 1")).count());
            assertEquals(2, out.stream().filter(l -> l.equals("  failures  2 (ConnectionRefusedError x 1, InvalidUrlError x 1)")).count());
            assertEquals(2, out.stream().filter(l -> l.equals("  status 404 for " + base + "/missing")).count());
            assertTrue(out.contains("Fetching the same 5 URLs one at a time:"));
            assertEquals(List.of("", "4 of 10 fetches failed.", "2 of 10 fetches got a status other than 2xx.",
                    "Exit code 4: " + ExitCode.NETWORK.meaning + "."), out.subList(out.size() - 4, out.size()));
            assertTrue(SPEED_UP.matcher(out.get(out.size() - 5)).matches(), out.get(out.size() - 5));
            assertEquals(6, server.requests(), "the three URLs of the server, twice");
        } finally {
            server.close();
        }
    }

    @AsyncTest
    void aTenthOfTheUrlsMissingMakesTheExitCode8AndNoFailTurnsThatOff() {
        PageServer server = PageServer.start(0.001, 0.002);
        try {
            List<String> args = new java.util.ArrayList<>(List.of("--plain", "--concurrency", "20"));
            args.addAll(server.urls(150));
            for (int i = 1; i <= 10; i++) {
                args.add(server.baseUrl() + "/missing/" + i);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            assertEquals(8, Fetch.run(FetchOptions.parse(args.toArray(String[]::new)), false, to(bytes)));
            List<String> out = lines(bytes);
            assertTrue(out.contains("  statuses  200 x 150, 404 x 10"), String.join("\n", out));
            assertTrue(out.contains("  failures  none"), String.join("\n", out));
            assertEquals(10, out.stream().filter(l -> l.matches("  status 404 for http://127\\.0\\.0\\.1:\\d+/missing/\\d+")).count());
            assertEquals(List.of("", "10 of 160 fetches got a status other than 2xx.",
                    "Exit code 8: a server answered with a status other than 2xx (404, 500, ...), unless --no-fail."),
                    out.subList(out.size() - 3, out.size()));

            args.add(0, "--no-fail");
            ByteArrayOutputStream ignored = new ByteArrayOutputStream();
            assertEquals(0, Fetch.run(FetchOptions.parse(args.toArray(String[]::new)), false, to(ignored)));
            assertEquals("10 of 160 fetches got a status other than 2xx (--no-fail: the exit code ignores them).",
                    lines(ignored).getLast());
        } finally {
            server.close();
        }
    }

    /** A server that never pauses: one gzip member of 64 MiB of zeros after another, as fast as the socket takes them. */
    private static Server gzipBomb() throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                gz.write(zeros);
            }
        }
        byte[] member = zipped.toByteArray();
        byte[] chunk = new byte[member.length + 16];
        byte[] size = (Integer.toHexString(member.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(size, 0, chunk, 0, size.length);
        System.arraycopy(member, 0, chunk, size.length, member.length);
        byte[] framed = java.util.Arrays.copyOf(chunk, size.length + member.length + 2);
        framed[framed.length - 2] = '\r';
        framed[framed.length - 1] = '\n';
        return Streams.startServer((reader, writer) -> {
            reader.readUntil("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            writer.write("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            try {
                while (true) {
                    writer.write(framed);
                    writer.drain();             // suspends only while the socket is full
                }
            } catch (dev.asyncio.net.ConnectionError clientGone) {
                // the client closed the connection at its deadline: that is how this exchange ends
            }
        }, "127.0.0.1", 0);
    }

    @AsyncTest(realTime = true, timeout = 20)
    void theTimeoutEndsAFetchOfAGzipBombThatNeverEndsWithExitCode28() throws Exception {
        Server server = gzipBomb();
        try {
            String url = "http://127.0.0.1:" + server.port() + "/bomb";
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            assertEquals(28, Fetch.run(FetchOptions.parse("--plain", "--timeout", "0.5", url), false, to(bytes)));
            List<String> out = lines(bytes);
            assertTrue(out.contains("  failed " + url + ": TotalTimeoutError: GET " + url + ": the request took longer "
                    + "than its total time limit of 0.500 s"), String.join("\n", out));
            assertEquals("Exit code 28: " + ExitCode.TIMEOUT.meaning + ".", out.getLast());
        } finally {
            server.close();
            server.abortClients();
            server.waitClosed();
        }
    }

    @Test
    void helpPrintsTheOptionsAndEveryExitCodeAndABadCommandLineIsExitCode2() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, Fetch.execute(new String[] {"--help"}, to(out), to(err)));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("--no-fail "), help);
        for (ExitCode c : ExitCode.values()) {
            assertTrue(help.contains(String.format("  %2d  %s%n", c.code, c.meaning)), c + " in\n" + help);
        }
        assertEquals("", err.toString(StandardCharsets.UTF_8));

        assertEquals(2, Fetch.execute(new String[] {"--fast"}, to(out), to(err)));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("Fetch: unknown option --fast\nusage: Fetch "));
    }

    @Test
    void eachKindOfFailureHasItsExitCodeAndTheLowestButOneWins() {
        FetchResult ok = new FetchResult("u", 200, 1, 0, null);
        FetchResult missing = new FetchResult("u", 404, 1, 0, null);
        FetchResult redirectNotFollowed = new FetchResult("u", 304, 0, 0, null);
        assertEquals(ExitCode.OK, ExitCode.of(ok, true));
        assertEquals(ExitCode.HTTP_ERROR, ExitCode.of(missing, true));
        assertEquals(ExitCode.HTTP_ERROR, ExitCode.of(redirectNotFollowed, true));
        assertEquals(ExitCode.OK, ExitCode.of(missing, false));
        assertEquals(ExitCode.TIMEOUT, ExitCode.ofFailure(new dev.asyncio.http.TotalTimeoutError("t", 1)));
        assertEquals(ExitCode.TIMEOUT, ExitCode.ofFailure(new dev.asyncio.http.ReadTimeoutError("t", 1)));
        assertEquals(ExitCode.TLS, ExitCode.ofFailure(new dev.asyncio.net.SslError("bad certificate", null)));
        assertEquals(ExitCode.NETWORK, ExitCode.ofFailure(new ConnectionRefusedError("refused", null)));
        assertEquals(ExitCode.NETWORK, ExitCode.ofFailure(new dev.asyncio.http.IncompleteBodyError("cut", 3, null)));
        assertEquals(ExitCode.PROTOCOL, ExitCode.ofFailure(new dev.asyncio.http.MalformedResponseError("bad", null)));
        assertEquals(ExitCode.PROTOCOL, ExitCode.ofFailure(new dev.asyncio.http.TooManyRedirectsError("loop", List.of())));
        assertEquals(ExitCode.OTHER, ExitCode.ofFailure(new IllegalArgumentException("not a URL")));

        FetchResult timedOut = new FetchResult("u", 0, 0, 1, new dev.asyncio.http.TotalTimeoutError("t", 1));
        FetchResult badUrl = new FetchResult("u", 0, 0, 0, new IllegalArgumentException("not a URL"));
        assertEquals(ExitCode.OK, ExitCode.of(List.of(ok, ok), true));
        assertEquals(ExitCode.OTHER, ExitCode.of(List.of(ok, badUrl), true));
        assertEquals(ExitCode.HTTP_ERROR, ExitCode.of(List.of(badUrl, timedOut, missing), true));
        assertEquals(ExitCode.TIMEOUT, ExitCode.of(List.of(badUrl, timedOut, missing), false));
    }

    @Test
    void theReadmeSaysWhatEachExitCodeMeans() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        int at = readme.indexOf("The fetcher's exit code");
        assertTrue(at >= 0, "README.md explains the fetcher's exit codes");
        String paragraph = readme.substring(at, readme.indexOf("\n\n", at));
        for (ExitCode c : ExitCode.values()) {
            assertTrue(paragraph.matches("(?s).*\\b" + c.code + " .*"), c + " (" + c.code + ") in\n" + paragraph);
        }
        assertTrue(paragraph.contains("--no-fail") && paragraph.contains("--help"), paragraph);
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
        assertEquals(new FetchOptions(List.of(), 20, false, 30, null, 300, true, false), none);
        assertEquals(false, FetchOptions.parse("--no-fail").failOnStatus());
        assertEquals(true, FetchOptions.parse("--help").help());
        assertEquals(true, FetchOptions.parse("-h").help());
        Path file = dir.resolve("urls.txt");
        Files.writeString(file, "# my list\nhttp://a.example/\n\n  http://b.example/x  # trailing comment\n");
        assertEquals(new FetchOptions(List.of("http://c.example/", "http://a.example/", "http://b.example/x"), 5, true, 2.5,
                        false, 300, true, false),
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
