package dev.asyncio.http;

import dev.asyncio.Asyncio;
import dev.asyncio.LoopGroup;
import dev.asyncio.Task;
import dev.asyncio.test.AsyncTest;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The code of docs/guides/http-server.md, run: each snippet region is what the guide shows. */
class HttpServerGuideTest {
    @TempDir
    Path publicDir;

    @AsyncTest(realTime = true)
    void helloWorld() {
        // snippet:hello
        Router router = new Router()
                .get("/hello/{name}", (request, response) ->
                        response.send(200, "hello " + request.pathParam("name") + "\n"));
        HttpServer server = HttpServer.start(router, "127.0.0.1", 0);     // suspends until it listens
        // end-snippet
        try (HttpClient client = HttpClient.create();
             HttpResponse r = client.get("http://127.0.0.1:" + server.port() + "/hello/ada")) {
            assertEquals("hello ada\n", r.text());
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void streamingBothWays() {
        // snippet:streaming
        Handler upload = (request, response) -> {
            long size = 0;
            for (byte[] chunk = request.read(); chunk != null; chunk = request.read()) {
                size += chunk.length;              // the socket is read only as fast as this loop takes chunks
            }
            response.header("Content-Type", "text/plain");
            for (int i = 1; i <= 3; i++) {
                response.write("line " + i + " of " + size + " bytes\n");   // chunked
                response.drain();                  // suspends while the client reads slower than we write
            }
            response.end();
        };
        // end-snippet
        HttpServer server = HttpServer.start(new Router().post("/upload", upload), "127.0.0.1", 0);
        try (HttpClient client = HttpClient.create();
             HttpResponse r = client.post("http://127.0.0.1:" + server.port() + "/upload", new byte[100_000], "application/octet-stream")) {
            assertEquals("line 1 of 100000 bytes\nline 2 of 100000 bytes\nline 3 of 100000 bytes\n", r.text());
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void serverSentEvents() {
        // snippet:events
        Handler clock = (request, response) -> {
            for (int tick = 1; tick <= 3; tick++) {
                response.sendEvent("tick", "tick " + tick);     // text/event-stream, flushed at once
                response.drain();
                Asyncio.sleep(0.01);
            }
            response.end();
        };
        // end-snippet
        HttpServer server = HttpServer.start(new Router().get("/clock", clock), "127.0.0.1", 0);
        try (HttpClient client = HttpClient.create();
             HttpResponse r = client.get("http://127.0.0.1:" + server.port() + "/clock")) {
            assertEquals("event: tick\ndata: tick 1\n\nevent: tick\ndata: tick 2\n\nevent: tick\ndata: tick 3\n\n", r.text());
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void middlewareStaticFilesAndLimits() throws Exception {
        Files.writeString(publicDir.resolve("index.html"), "<h1>hi</h1>");
        List<String> log = new ArrayList<>();
        // snippet:configured
        Router router = new Router()
                .use((request, response, next) -> {                   // logging and timing
                    double start = Asyncio.getRunningLoop().time();
                    try {
                        next.handle(request, response);
                    } finally {
                        log.add(request.method() + " " + request.path() + " " + response.status()
                                + String.format(" %.1f ms", (Asyncio.getRunningLoop().time() - start) * 1000));
                    }
                })
                .staticFiles("/", publicDir);                         // sendfile, Range, If-Modified-Since
        HttpServer server = HttpServer.builder(router)
                .limits(ServerLimits.builder()
                        .maxBodySize(64 * 1024)                       // 413 past it
                        .headerTimeout(5)                             // 408 for a slow head (slowloris)
                        .bodyDeadline(60)                             // 408 for a body dripping in for longer
                        .idleTimeout(30)                              // keep-alive connections with nothing to do
                        .build())
                .compression(true)                                    // gzip for clients that accept it
                .start("127.0.0.1", 0);
        // end-snippet
        try (HttpClient client = HttpClient.create();
             HttpResponse r = client.get("http://127.0.0.1:" + server.port() + "/")) {
            assertEquals("<h1>hi</h1>", r.text());
            assertTrue(log.getFirst().startsWith("GET / 200 "), log.toString());
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void gracefulShutdown() {
        HttpServer server = HttpServer.start((request, response) -> {
            Asyncio.sleep(0.05);
            response.send(200, "done");
        }, "127.0.0.1", 0);
        try (HttpClient client = HttpClient.create()) {
            Task<String> inFlight = Asyncio.createTask(() -> {
                try (HttpResponse r = client.get("http://127.0.0.1:" + server.port() + "/")) {
                    return r.text();
                }
            });
            while (server.connections() == 0) {
                Asyncio.sleep(0.001);
            }
            // snippet:shutdown
            server.shutdown(10);       // stop accepting; requests in flight get 10 s to finish, then are cut
            // end-snippet
            assertEquals("done", inFlight.await());
        }
    }

    @AsyncTest(realTime = true)
    void onAGroupOfLoops() {
        try (LoopGroup group = LoopGroup.create(2)) {
            // snippet:group
            HttpServer server = HttpServer.builder((request, response) ->
                    response.send(200, "served on " + Asyncio.getRunningLoop())
            ).start(group, "127.0.0.1", 0);     // every loop of the group serves the port
            // end-snippet
            try (HttpClient client = HttpClient.create();
                 HttpResponse r = client.get("http://127.0.0.1:" + server.port() + "/")) {
                assertTrue(r.text().startsWith("served on "));
            } finally {
                server.shutdown(10);             // on every loop
            }
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
