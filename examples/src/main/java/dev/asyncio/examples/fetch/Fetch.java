package dev.asyncio.examples.fetch;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.Task;
import dev.asyncio.http.ClientTimeout;
import dev.asyncio.http.HttpClient;
import dev.asyncio.http.HttpRequest;
import dev.asyncio.http.HttpResponse;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Fetches many URLs at once with a live progress bar and a summary; with no arguments, races an offline demo
 * server both ways.
 *
 * <pre>{@code
 * ./mvnw -q -pl examples -am compile exec:exec                                   # the offline demo
 * ./mvnw -q -pl examples -am compile exec:exec -Dexample=Fetch -Dargs="--sequential https://example.org/ https://example.com/"
 * ./mvnw -q -pl examples -am compile exec:exec -Dexample=Fetch -Dargs="--file urls.txt --concurrency 50"
 * }</pre>
 *
 * <p>Every fetch is a plain, top-to-bottom method ({@link #fetchOne}); {@code --concurrency} tasks run it,
 * each taking the next URL when it is done, all on one thread. With no URL, the program serves pages with
 * 50 to 200 ms of simulated latency on its own loop ({@link PageServer}), fetches 300 of them 20 at a time,
 * then some of them one at a time, and prints how much faster the first way was. The exit code tells a script
 * how the fetches went, as wget's does: 8 when a server answered with a status other than 2xx (unless
 * {@code --no-fail}), 4 for a network failure, 28 when a time limit ran out, ... ({@link ExitCode}, and
 * {@code --help}).
 */
public final class Fetch {
    /** The demo: how many pages it fetches one at a time at most, so that it ends in seconds. */
    static final int SEQUENTIAL_DEMO_PAGES = 40;
    static final double MIN_LATENCY = 0.05;
    static final double MAX_LATENCY = 0.2;

    private Fetch() {
    }

    public static void main(String[] args) {
        int code = execute(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Does what {@code args} ask, printing to {@code out} (and a bad command line to {@code err}); returns the exit code. */
    static int execute(String[] args, PrintStream out, PrintStream err) {
        FetchOptions options;
        try {
            options = FetchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("Fetch: " + e.getMessage() + "\n" + FetchOptions.USAGE);
            return ExitCode.USAGE.code;
        }
        if (options.help()) {
            out.println(FetchOptions.USAGE);
            return ExitCode.OK.code;
        }
        boolean bar = options.bar() != null ? options.bar() : System.console() != null && System.console().isTerminal();
        return Asyncio.run(() -> run(options, bar, out));
    }

    /** Runs what {@code options} ask, printing to {@code out}; returns the exit code ({@link ExitCode}). */
    static int run(FetchOptions options, boolean bar, PrintStream out) {
        if (options.urls().isEmpty()) {
            return demo(options, bar, out, MIN_LATENCY, MAX_LATENCY);
        }
        try (HttpClient client = client(options)) {
            List<String> urls = options.urls();
            out.println("Fetching " + count(urls.size(), "URL") + ", " + atATime(options.concurrency()) + ":");
            Summary together = fetchAll(client, urls, options.concurrency(), options.timeout(), bar, out);
            together.print(out);
            List<FetchResult> all = new ArrayList<>(together.results());
            if (options.sequential()) {
                out.println();
                out.println("Fetching the same " + count(urls.size(), "URL") + " one at a time:");
                Summary alone = fetchAll(client, urls, 1, options.timeout(), bar, out);
                alone.print(out);
                out.println();
                out.println(speedUp(together, alone));
                all.addAll(alone.results());
            }
            return conclude(all, options.failOnStatus(), out);
        }
    }

    /**
     * Says how many fetches failed or got a status other than 2xx, and with which exit code the program ends
     * (nothing when all went well); returns that code.
     */
    static int conclude(List<FetchResult> results, boolean failOnStatus, PrintStream out) {
        long failed = results.stream().filter(FetchResult::failed).count();
        long notOk = results.stream().filter(FetchResult::notOk).count();
        ExitCode code = ExitCode.of(results, failOnStatus);
        if (failed > 0 || notOk > 0) {
            out.println();
        }
        if (failed > 0) {
            out.println(failed + " of " + results.size() + " fetches failed.");
        }
        if (notOk > 0) {
            out.println(notOk + " of " + results.size() + " fetches got a status other than 2xx"
                    + (failOnStatus ? "." : " (--no-fail: the exit code ignores them)."));
        }
        if (code != ExitCode.OK) {
            out.println("Exit code " + code.code + ": " + code.meaning + ".");
        }
        return code.code;
    }

    /**
     * The offline demo: serves {@code options.pages()} pages on this loop, fetches them all
     * {@code options.concurrency()} at a time, then up to {@link #SEQUENTIAL_DEMO_PAGES} of them one at a
     * time, and prints the speed-up; returns the exit code.
     */
    static int demo(FetchOptions options, boolean bar, PrintStream out, double minLatency, double maxLatency) {
        PageServer server = PageServer.start(minLatency, maxLatency);
        try (HttpClient client = client(options)) {
            int pages = options.pages();
            List<String> urls = server.urls(pages);
            out.printf(Locale.ROOT, "No URLs given: serving %s with %.0f to %.0f ms of simulated latency each at %s, "
                    + "on this program's own loop.%n", count(pages, "page"), minLatency * 1000, maxLatency * 1000,
                    server.baseUrl());
            out.println();
            out.println("Fetching all " + count(pages, "page") + ", " + atATime(options.concurrency()) + ":");
            Summary together = fetchAll(client, urls, options.concurrency(), options.timeout(), bar, out);
            together.print(out);

            int alone = Math.min(pages, SEQUENTIAL_DEMO_PAGES);
            out.println();
            if (alone < pages) {
                double all = 0;
                for (int i = 1; i <= pages; i++) {
                    all += server.latency(i);
                }
                out.printf(Locale.ROOT, "Fetching the first %d pages one at a time (all %d would take about %.0f s):%n",
                        alone, pages, all);
            } else {
                out.println("Fetching the same " + count(pages, "page") + " one at a time:");
            }
            Summary sequential = fetchAll(client, urls.subList(0, alone), 1, options.timeout(), bar, out);
            sequential.print(out);
            out.println();
            out.println(speedUp(together, sequential));
            List<FetchResult> all = new ArrayList<>(together.results());
            all.addAll(sequential.results());
            return conclude(all, options.failOnStatus(), out);
        } finally {
            server.close();
        }
    }

    private static HttpClient client(FetchOptions options) {
        return HttpClient.builder()
                .maxConnections(Math.max(100, options.concurrency()))
                .timeout(ClientTimeout.DEFAULT.withTotal(options.timeout()))
                .build();
    }

    // snippet:fetchAll
    /**
     * Fetches every URL, {@code concurrency} at a time: that many tasks each take the next URL until none
     * is left. Suspends until all are done; returns the results in the order of {@code urls}.
     */
    static Summary fetchAll(HttpClient client, List<String> urls, int concurrency, double timeout, boolean bar,
                            PrintStream out) {
        AsyncLoop loop = Asyncio.getRunningLoop();
        FetchResult[] results = new FetchResult[urls.size()];
        Progress progress = new Progress(out, bar, urls.size(), loop);
        int[] next = {0};                  // shared by the workers: one thread, so no lock
        double start = loop.time();
        List<Task<Void>> workers = new ArrayList<>();
        for (int w = 0; w < Math.min(concurrency, urls.size()); w++) {
            workers.add(Asyncio.createTask(() -> {
                while (next[0] < urls.size()) {
                    int i = next[0]++;
                    results[i] = fetchOne(client, urls.get(i), timeout);
                    progress.finished(results[i]);
                }
            }, "worker " + w));
        }
        Asyncio.gather(workers);           // suspends until every worker ran out of URLs
        progress.end();
        return new Summary(Arrays.asList(results), loop.time() - start, concurrency);
    }
    // end-snippet

    // snippet:fetchOne
    /** Fetches one URL and counts its body bytes as they stream in; a failure is a result, not an exception. */
    static FetchResult fetchOne(HttpClient client, String url, double timeout) {
        AsyncLoop loop = Asyncio.getRunningLoop();
        double start = loop.time();
        HttpRequest request;
        try {
            request = HttpRequest.builder(url).timeout(ClientTimeout.DEFAULT.withTotal(timeout)).build();
        } catch (IllegalArgumentException badUrl) {
            return new FetchResult(url, 0, 0, 0, badUrl);
        }
        try (HttpResponse response = client.request(request)) {     // suspends until the head arrives
            long bytes = 0;
            for (byte[] chunk : response.chunks()) {                    // suspends until each piece arrives
                bytes += chunk.length;
            }
            return new FetchResult(url, response.status(), bytes, loop.time() - start, null);
        } catch (RuntimeException e) {                                  // refused, timed out, TLS, malformed...
            return new FetchResult(url, 0, 0, loop.time() - start, e);
        }
    }
    // end-snippet

    /** "19.2 times faster" with the rates it comes from. */
    static String speedUp(Summary together, Summary alone) {
        double factor = alone.rate() > 0 ? together.rate() / alone.rate() : 0;
        return String.format(Locale.ROOT, "Speed-up: %.1f fetches per second %s, %.1f one at a time: %.1f times faster, "
                + "on one thread.", together.rate(), atATime(together.concurrency()), alone.rate(), factor);
    }

    private static String atATime(int concurrency) {
        return concurrency == 1 ? "one at a time" : concurrency + " at a time";
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
