package dev.asyncio.examples.fetch;

import dev.asyncio.Asyncio;
import dev.asyncio.net.IncompleteReadError;
import dev.asyncio.net.LimitOverrunError;
import dev.asyncio.net.Server;
import dev.asyncio.net.StreamReader;
import dev.asyncio.net.StreamWriter;
import dev.asyncio.net.Streams;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * The fetcher's offline demo server: HTTP/1.1 on this project's own streams, serving {@code /page/N} after a
 * simulated latency that is the same for a page every run (a seeded random delay between two bounds), with
 * keep-alive and gzip. One task per connection, on the same loop as the fetcher; a few dozen lines, because
 * it only needs to understand GET.
 */
public final class PageServer {
    private static final long SEED = 2026;
    private static final byte[] CRLF2 = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Server server;
    private final double minLatency;
    private final double maxLatency;
    private int requests;

    private PageServer(double minLatency, double maxLatency) {
        this.minLatency = minLatency;
        this.maxLatency = maxLatency;
        this.server = Streams.startServer(this::serve, "127.0.0.1", 0);
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
        server.abortClients();
        server.waitClosed();
    }

    /** One connection: requests one after the other (keep-alive) until the client closes it. */
    private void serve(StreamReader reader, StreamWriter writer) {
        while (true) {
            String head;
            try {
                head = new String(reader.readUntil(CRLF2), StandardCharsets.ISO_8859_1);
            } catch (IncompleteReadError | LimitOverrunError e) {
                return;                                    // the client left (or sent nonsense)
            }
            List<String> lines = head.strip().lines().toList();
            String[] requestLine = lines.getFirst().split(" ");
            boolean close = false;
            boolean gzip = false;
            for (String line : lines.subList(1, lines.size())) {
                String h = line.toLowerCase(Locale.ROOT);
                close |= h.startsWith("connection:") && h.contains("close");
                gzip |= h.startsWith("accept-encoding:") && h.contains("gzip");
            }
            int page = requestLine.length == 3 ? pageNumber(requestLine[1]) : -1;
            byte[] body;
            String status;
            if (page > 0 && requestLine[0].equals("GET")) {
                Asyncio.sleep(latency(page));              // the simulated work: this connection's task waits
                status = "200 OK";
                body = page(page).getBytes(StandardCharsets.UTF_8);
            } else {
                status = "404 Not Found";
                body = "no such page\n".getBytes(StandardCharsets.UTF_8);
                gzip = false;
            }
            if (gzip) {
                body = gzip(body);
            }
            requests++;
            writer.write(("HTTP/1.1 " + status + "\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: "
                    + body.length + (gzip ? "\r\nContent-Encoding: gzip" : "") + (close ? "\r\nConnection: close" : "")
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            writer.write(body);
            writer.drain();
            if (close) {
                return;
            }
        }
    }

    private static int pageNumber(String target) {
        if (!target.startsWith("/page/")) {
            return -1;
        }
        try {
            return Integer.parseInt(target.substring("/page/".length()));
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

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 32);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
