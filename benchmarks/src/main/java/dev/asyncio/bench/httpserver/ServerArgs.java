package dev.asyncio.bench.httpserver;

import dev.asyncio.http.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * What every Java server of the HTTP server benchmark ({@code benchmarks/http-server/run.sh}) is started with:
 * {@code PORT TRANSPORT PAYLOAD}: the port on 127.0.0.1, {@code NIO} or {@code EPOLL}, and the path of the
 * 1 KiB JSON document that {@code GET /json} answers (each server parses it once at start-up into its own
 * JSON model and encodes it again for every request, as a handler answering with an object does).
 * {@code GET /} answers {@link #PLAIN}.
 *
 * @param port the port to listen on, on 127.0.0.1
 * @param epoll whether to use Netty's native epoll transport rather than NIO
 * @param payloadText the JSON document's text
 */
record ServerArgs(int port, boolean epoll, String payloadText) {
    /** The plaintext answer, as in the TechEmpower plaintext test. */
    static final byte[] PLAIN = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    static final String HOST = "127.0.0.1";

    static ServerArgs parse(String[] args) throws IOException {
        if (args.length != 3) {
            throw new IllegalArgumentException("arguments: PORT NIO|EPOLL PAYLOAD.json");
        }
        String transport = args[1].toUpperCase(Locale.ROOT);
        if (!transport.equals("NIO") && !transport.equals("EPOLL")) {
            throw new IllegalArgumentException("transport must be NIO or EPOLL, not " + args[1]);
        }
        return new ServerArgs(Integer.parseInt(args[0]), transport.equals("EPOLL"),
                Files.readString(Path.of(args[2]), StandardCharsets.UTF_8));
    }

    /** The document as the project's own JSON model: maps (key order kept), lists, longs, strings, booleans. */
    Map<?, ?> payloadMap() {
        return (Map<?, ?>) Json.parse(payloadText);
    }

    void ready(String what) {
        System.out.println(what + " listening on " + HOST + ":" + port + (epoll ? " (epoll)" : " (nio)"));
    }
}
