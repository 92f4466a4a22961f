package dev.asyncio.examples.fetch;

import dev.asyncio.Asyncio;
import dev.asyncio.http.ErrorResponse;
import dev.asyncio.http.HttpServer;
import dev.asyncio.http.Router;
import dev.asyncio.http.ServerRequest;
import dev.asyncio.http.ServerResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The fetcher's offline demo server, an {@link HttpServer}: it serves {@code /page/N} after a simulated
 * latency that is the same for a page every run (a seeded random delay between two bounds), with keep-alive
 * and gzip (the server's, for clients that accept it). One task per request, on the same loop as the fetcher.
 */
public final class PageServer {
    private static final long SEED = 2026;

    private final HttpServer server;
    private final double minLatency;
    private final double maxLatency;
    private int requests;

    private PageServer(double minLatency, double maxLatency) {
        this.minLatency = minLatency;
        this.maxLatency = maxLatency;
        Router router = new Router()
                .use((request, response, next) -> {
                    requests++;                            // every request, answered 404s included
                    next.handle(request, response);
                })
                .get("/page/{n}", this::page);
        this.server = HttpServer.builder(router).compression(true).start("127.0.0.1", 0);
    }

    /**
     * Starts serving on 127.0.0.1, on a free port, each page delayed by {@code minLatency} to
     * {@code maxLatency} seconds. Suspends the current task until the port is bound.
     */
    public static PageServer start(double minLatency, double maxLatency) {
        return new PageServer(minLatency, maxLatency);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** The URLs of pages 1 to {@code n}. */
    List<String> urls(int n) {
        List<String> urls = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            urls.add(baseUrl() + "/page/" + i);
        }
        return urls;
    }

    /** The latency of page {@code n}, in seconds. */
    double latency(int n) {
        return new SplittableRandom(SEED * 31 + n).nextDouble(minLatency, maxLatency);
    }

    /** Requests answered so far. */
    int requests() {
        return requests;
    }

    /** Stops listening, ends every connection and suspends until their tasks are done. */
    public void close() {
        server.close();
        server.waitClosed();
    }

    /** {@code GET /page/N}: the page after its latency (this request's task waits; the others go on). */
    private void page(ServerRequest request, ServerResponse response) {
        int n = pageNumber(request.pathParam("n"));
        if (n <= 0) {
            throw new ErrorResponse(404, "no such page");
        }
        Asyncio.sleep(latency(n));
        response.header("Content-Type", "text/html; charset=utf-8");
        response.send(200, page(n));
    }

    private static int pageNumber(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Page {@code n}: a little HTML, from one to nine paragraphs long. */
    static String page(int n) {
        StringBuilder sb = new StringBuilder("<!doctype html>\n<title>Page " + n + "</title>\n<h1>Page " + n + "</h1>\n");
        int paragraphs = 1 + n % 9;
        for (int i = 0; i < paragraphs; i++) {
            sb.append("<p>Paragraph ").append(i + 1).append(" of page ").append(n)
                    .append(": asyncio-java serves and fetches this on one thread.</p>\n");
        }
        return sb.toString();
    }
}
