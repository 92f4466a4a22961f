package dev.asyncio.bench.httpserver;

import dev.asyncio.AsyncLoop;
import dev.asyncio.IoTransport;
import dev.asyncio.http.HttpServer;
import dev.asyncio.http.Router;

import java.util.Map;

/**
 * asyncio-java in the HTTP server benchmark: {@link HttpServer} with a {@link Router} on one {@link AsyncLoop}
 * (the process is pinned to one CPU), each request answered by a task, as an application would write it.
 * {@code GET /} sends "Hello, World!" as {@code text/plain}; {@code GET /json} answers
 * {@code response.json(200, document)}, which encodes the document with the project's JSON writer for every
 * request. Arguments: {@link ServerArgs}.
 */
public final class AsyncioHttpServer {
    private AsyncioHttpServer() {
    }

    public static void main(String[] args) throws Exception {
        ServerArgs a = ServerArgs.parse(args);
        Map<?, ?> payload = a.payloadMap();
        byte[] plain = ServerArgs.PLAIN;
        Router router = new Router()
                .get("/", (request, response) -> {
                    response.header("Content-Type", "text/plain");
                    response.send(200, plain);
                })
                .get("/json", (request, response) -> response.json(200, payload));
        IoTransport transport = a.epoll() ? IoTransport.EPOLL : IoTransport.NIO;
        try (AsyncLoop loop = AsyncLoop.builder().transport(transport).build()) {
            loop.runUntilComplete(() -> {
                HttpServer server = HttpServer.start(router, ServerArgs.HOST, a.port());
                a.ready("asyncio-java HttpServer");
                server.serveForever();
            });
        }
    }
}
