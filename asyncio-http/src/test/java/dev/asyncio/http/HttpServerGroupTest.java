package dev.asyncio.http;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.IoTransport;
import dev.asyncio.LoopGroup;
import dev.asyncio.Task;
import dev.asyncio.http.websocket.WebSocket;
import dev.asyncio.http.websocket.WebSocketClient;
import dev.asyncio.http.websocket.WebSocketMessage;
import dev.asyncio.test.LeakDetection;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link HttpServer.Builder#start(LoopGroup, String, int)}: one port served by every loop of a 2-loop group, on
 * NIO (an acceptor hands connections round) and on epoll and io_uring where available (SO_REUSEPORT); requests
 * run on the loop of their connection, and a graceful shutdown covers every loop. No buffer leaks (PARANOID).
 */
class HttpServerGroupTest {
    /**
     * Connections opened at most until both loops got one. NIO deals them out in turn (2 are enough); with
     * SO_REUSEPORT the kernel picks a socket by a hash of the connection's ports, so 40 all landing on one loop
     * is a 2^-39 chance.
     */
    private static final int MAX_CONNECTIONS = 40;

    interface Body {
        void run(LoopGroup group) throws Exception;
    }

    private static void withGroup(IoTransport kind, Body body) {
        assumeTrue(kind.isAvailable(), () -> kind + " unavailable: " + kind.unavailabilityCause());
        LeakDetection.install();
        LeakDetection.collectLeaks();
        try (LoopGroup group = LoopGroup.builder().size(2).transport(kind).name("http-group").shutdownTimeout(10).build();
             AsyncLoop home = AsyncLoop.builder().transport(kind).build()) {
            home.runUntilComplete(() -> body.run(group));
        }
        assertEquals(List.of(), LeakDetection.collectLeaks());
    }

    @ParameterizedTest
    @EnumSource(value = IoTransport.class, names = {"NIO", "EPOLL", "IO_URING"})
    void requestsOverManyConnectionsRunOnBothLoops(IoTransport kind) {
        withGroup(kind, group -> {
            Set<AsyncLoop> ranOn = ConcurrentHashMap.newKeySet();
            HttpServer server = HttpServer.builder((rq, rs) -> {
                AsyncLoop loop = Asyncio.getRunningLoop();
                ranOn.add(loop);
                rs.send(200, "loop " + group.loops().indexOf(loop));
            }).start(group, "127.0.0.1", 0);
            try {
                int port = server.port();
                assertTrue(port > 0);
                int requests = 0;
                while (requests < MAX_CONNECTIONS && ranOn.size() < 2) {
                    try (RawClient c = RawClient.open(port)) {
                        c.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                        String all = c.readAll();
                        assertTrue(all.startsWith("HTTP/1.1 200 OK") && all.matches("(?s).*loop [01]$"), all);
                    }
                    requests++;
                }
                assertEquals(Set.copyOf(group.loops()), Set.copyOf(ranOn), "requests reached every loop");
                // The project's own client, keep-alive over a pool of connections, is answered too.
                try (HttpClient client = HttpClient.create()) {
                    for (int i = 0; i < 4; i++) {
                        try (HttpResponse r = client.get("http://127.0.0.1:" + port + "/")) {
                            assertEquals(200, r.status());
                        }
                    }
                }
            } finally {
                server.close();
                server.waitClosed();
            }
            assertFalse(server.isServing());
            assertEquals(0, server.connections());
        });
    }

    @ParameterizedTest
    @EnumSource(value = IoTransport.class, names = {"NIO", "EPOLL"})
    void aServerWhoseGroupIsClosedUnderItLeavesNoCallerWaiting(IoTransport kind) {
        withGroup(kind, group -> {
            HttpServer server = HttpServer.builder((rq, rs) -> rs.send(200, "ok")).start(group, "127.0.0.1", 0);
            Task<Void> waiting = Asyncio.createTask(() -> {
                server.waitClosed();
            });
            Asyncio.sleep(0);         // it waits now
            group.close();            // blocks this (the home) loop until the group's loops are closed
            Asyncio.timeout(5, () -> {
                waiting.await();
                server.shutdown(1);
                server.waitClosed();
            });
            server.close();
            assertFalse(server.isServing());
        });
    }

    @ParameterizedTest
    @EnumSource(value = IoTransport.class, names = {"NIO", "EPOLL", "IO_URING"})
    void gracefulShutdownFinishesARequestInFlightOnEachLoop(IoTransport kind) {
        withGroup(kind, group -> {
            AtomicReference<CompletableFuture<AsyncLoop>> entered = new AtomicReference<>();
            CompletableFuture<Void> release = new CompletableFuture<>();
            HttpServer server = HttpServer.builder((rq, rs) -> {
                entered.get().complete(Asyncio.getRunningLoop());
                Asyncio.await(release);
                rs.send(200, "finished");
            }).start(group, "127.0.0.1", 0);
            int port = server.port();
            List<RawClient> clients = new ArrayList<>();
            try {
                Set<AsyncLoop> busy = ConcurrentHashMap.newKeySet();
                while (clients.size() < MAX_CONNECTIONS && busy.size() < 2) {
                    CompletableFuture<AsyncLoop> next = new CompletableFuture<>();
                    entered.set(next);
                    RawClient c = RawClient.open(port);
                    clients.add(c);
                    c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                    busy.add(Asyncio.await(next));    // one request at a time: its handler is running now
                }
                assertEquals(Set.copyOf(group.loops()), busy, "a request in flight on every loop");
                entered.set(new CompletableFuture<>());
                Task<Void> stopping = Asyncio.createTask(() -> server.shutdown(30));
                Asyncio.sleep(0);
                assertFalse(server.isServing());
                release.complete(null);
                for (RawClient c : clients) {
                    String all = c.readAll();
                    assertTrue(all.startsWith("HTTP/1.1 200 OK") && all.toLowerCase().contains("connection: close")
                            && all.endsWith("finished"), all);
                }
                stopping.await();
                assertEquals(0, server.connections());
                assertThrows(dev.asyncio.net.ConnectionError.class, () -> RawClient.open(port), "no loop listens");
            } finally {
                for (RawClient c : clients) {
                    c.close();
                }
                server.close();
            }
        });
    }

    @ParameterizedTest
    @EnumSource(value = IoTransport.class, names = {"NIO", "EPOLL"})
    void aWebSocketOnAnyLoopHearsGoingAwayOnShutdown(IoTransport kind) {
        withGroup(kind, group -> {
            HttpServer server = HttpServer.builder(new Router().websocket("/ws", ws -> {
                while (ws.receive() instanceof WebSocketMessage.Text t) {
                    ws.send(t.text());
                }
            })).start(group, "127.0.0.1", 0);
            try (WebSocket ws = WebSocketClient.connect("ws://127.0.0.1:" + server.port() + "/ws")) {
                ws.send("hi");
                assertEquals(new WebSocketMessage.Text("hi"), ws.receive());
                Task<Void> stopping = Asyncio.createTask(() -> server.shutdown(30));
                assertEquals(new WebSocketMessage.Close(1001, "server shutting down"), ws.receive());
                stopping.await();
                assertEquals(0, server.connections());
            } finally {
                server.close();
            }
        });
    }
}
