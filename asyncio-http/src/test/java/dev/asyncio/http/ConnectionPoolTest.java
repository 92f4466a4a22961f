package dev.asyncio.http;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Task;
import dev.asyncio.test.AsyncTest;
import dev.asyncio.test.OrderedSteps;
import dev.asyncio.test.internal.BlackHole;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static dev.asyncio.http.RawServer.ok;
import static dev.asyncio.http.RawServer.readHead;
import static dev.asyncio.http.TestServer.serving;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keep-alive reuse, the limits per origin and in total, the FIFO queue, and what closes a connection. */
class ConnectionPoolTest {
    @AsyncTest
    void sequentialRequestsReuseOneKeepAliveConnection() throws Exception {
        serving((req, reply) -> reply.send("page " + req.uri()), server -> {
            try (HttpClient client = HttpClient.create()) {
                for (int i = 0; i < 5; i++) {
                    try (HttpResponse r = client.get(server.url("/" + i))) {
                        assertEquals("page /" + i, r.text());
                    }
                }
                assertEquals(1, server.accepted());
                assertEquals(List.of(1, 1, 1, 1, 1), server.log().stream().map(TestServer.Request::connection).toList());
                assertEquals(1, client.openConnections());
                assertEquals(1, client.idleConnections());
            }
        });
    }

    @AsyncTest
    void closingAResponseBeforeItsBodyArrivedClosesTheConnection() throws Exception {
        serving((req, reply) -> {
            if (req.uri().equals("/slow")) {
                reply.startWithLength(10);
                reply.chunk("12345");
                Asyncio.sleep(Double.POSITIVE_INFINITY);       // the other half never comes
            }
            reply.send("quick");
        }, server -> {
            try (HttpClient client = HttpClient.create()) {
                HttpResponse slow = client.get(server.url("/slow"));
                assertEquals("12345", new String(slow.read(5)));
                slow.close();
                assertEquals(0, client.openConnections(), "half a body cannot be skipped: the connection is closed");
                try (HttpResponse r = client.get(server.url("/quick"))) {
                    assertEquals("quick", r.text());
                }
                assertEquals(2, server.accepted());
            }
        });
    }

    @AsyncTest
    void closingAResponseWhoseWholeBodyArrivedKeepsTheConnection() throws Exception {
        serving((req, reply) -> reply.send("x".repeat(1000)), server -> {
            try (HttpClient client = HttpClient.create()) {
                HttpResponse first = client.get(server.url("/a"));
                Asyncio.sleep(0.05);             // the whole (small) body arrives meanwhile
                first.close();
                assertEquals(1, client.idleConnections());
                try (HttpResponse r = client.get(server.url("/b"))) {
                    assertEquals(1000, r.body().length);
                }
                assertEquals(1, server.accepted());
            }
        });
    }

    @AsyncTest
    void thePerHostLimitQueuesRequestsFirstComeFirstServed() throws Exception {
        List<String> served = new ArrayList<>();
        serving((req, reply) -> {
            served.add(req.uri());
            Asyncio.sleep(0.1);
            reply.send(req.uri());
        }, server -> {
            try (HttpClient client = HttpClient.builder().maxConnectionsPerHost(2).build()) {
                List<Task<String>> tasks = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    String path = "/" + i;
                    tasks.add(Asyncio.createTask(() -> {
                        try (HttpResponse r = client.get(server.url(path))) {
                            return r.text();
                        }
                    }));
                }
                Asyncio.sleep(0.05);
                assertEquals(2, client.openConnections());
                assertEquals(4, client.waitingRequests());
                assertEquals(List.of("/0", "/1", "/2", "/3", "/4", "/5"), Asyncio.gather(tasks));
                // Two at a time, in the order asked (within a pair, the server reads whichever socket it sees first).
                assertEquals(java.util.Set.of("/0", "/1"), java.util.Set.copyOf(served.subList(0, 2)), served.toString());
                assertEquals(java.util.Set.of("/2", "/3"), java.util.Set.copyOf(served.subList(2, 4)), served.toString());
                assertEquals(java.util.Set.of("/4", "/5"), java.util.Set.copyOf(served.subList(4, 6)), served.toString());
                assertEquals(2, server.accepted(), "the two connections were reused by the waiters");
                assertEquals(2, server.maxBusy());
            }
        });
    }

    @AsyncTest
    void theTotalLimitSpansOriginsAndAnIdleConnectionMakesRoomForAnotherOrigin() throws Exception {
        serving((req, reply) -> {
            Asyncio.sleep(0.1);
            reply.send("a");
        }, a -> serving((req, reply) -> reply.send("b"), b -> {
            try (HttpClient client = HttpClient.builder().maxConnections(2).build()) {
                Task<String> a1 = Asyncio.createTask(() -> client.get(a.url("/1")).text());
                Task<String> a2 = Asyncio.createTask(() -> client.get(a.url("/2")).text());
                Task<String> b1 = Asyncio.createTask(() -> client.get(b.url("/1")).text());
                Asyncio.sleep(0.05);
                assertEquals(1, client.waitingRequests(), "b waits: two connections to a are all there may be");
                assertEquals(List.of("a", "a", "b"), Asyncio.gather(a1, a2, b1));
                assertEquals(2, client.openConnections());
                assertEquals(1, client.openConnections(a.url("/")), "one idle connection to a was closed for b");
                assertEquals(1, client.openConnections(b.url("/")));
                assertEquals(1, a.open());
            }
        }));
    }

    @AsyncTest
    void aCancelledWaiterLeavesNoTrace(OrderedSteps steps) throws Exception {
        serving((req, reply) -> {
            if (req.uri().equals("/hold")) {
                Asyncio.sleep(0.1);
            }
            reply.send(req.uri());
        }, server -> {
            try (HttpClient client = HttpClient.builder().maxConnections(1).build()) {
                Task<String> holder = Asyncio.createTask(() -> client.get(server.url("/hold")).text());
                Task<String> cancelled = Asyncio.createTask(() -> {
                    steps.expect(1);
                    try {
                        return client.get(server.url("/never")).text();
                    } catch (CancelledError e) {
                        steps.expect(2);
                        throw e;
                    }
                });
                Task<String> next = Asyncio.createTask(() -> client.get(server.url("/next")).text());
                Asyncio.sleep(0.05);
                assertEquals(2, client.waitingRequests());
                cancelled.cancel();
                assertThrows(CancelledError.class, cancelled::await);
                steps.expect(3);
                assertEquals(1, client.waitingRequests());
                assertEquals("/hold", holder.await());
                assertEquals("/next", next.await());
                steps.finish(4);
                assertEquals(List.of("/hold", "/next"), server.log().stream().map(TestServer.Request::uri).toList());
                assertEquals(1, server.accepted());
            }
        });
    }

    @AsyncTest
    void aConnectionGrantedToATaskCancelledBeforeItRanGoesToTheNextWaiter() throws Exception {
        serving((req, reply) -> reply.send(req.uri()), server -> {
            try (HttpClient client = HttpClient.builder().maxConnections(1).build()) {
                try (HttpResponse r = client.get(server.url("/warm"))) {
                    r.body();
                }
                HttpResponse held = client.get(server.url("/held"));
                Task<String> granted = Asyncio.createTask(() -> client.get(server.url("/granted")).text());
                Task<String> after = Asyncio.createTask(() -> client.get(server.url("/after")).text());
                Asyncio.sleep(0);
                Asyncio.sleep(0);
                assertEquals(2, client.waitingRequests());
                held.body();                  // read to the end: the connection goes to 'granted' at once
                granted.cancel();             // ... which is cancelled before it could use it
                assertThrows(CancelledError.class, granted::await);
                assertEquals("/after", after.await());
                assertEquals(1, server.accepted());
                assertEquals(0, client.waitingRequests());
            }
        });
    }

    @AsyncTest
    void anIdleConnectionClosedByTheServerIsNoticedAndNotUsed() throws Exception {
        serving((req, reply) -> {
            reply.send("once");
            if (req.uri().equals("/then-close")) {
                Asyncio.sleep(0.01);
                reply.closeConnection();     // keep-alive promised, then closed while idle
            }
        }, server -> {
            try (HttpClient client = HttpClient.create()) {
                client.get(server.url("/then-close")).body();
                assertEquals(1, client.idleConnections());
                Asyncio.sleep(0.1);
                assertEquals(0, client.idleConnections(), "the pending read saw the server close it");
                assertEquals(0, client.openConnections());
                assertEquals("once", client.get(server.url("/again")).text());
                assertEquals(2, server.accepted());
            }
        });
    }

    @AsyncTest
    void aGetIsRetriedOnceWhenAReusedConnectionDiesBeforeAnyByteOfItsResponse() throws Exception {
        int[] connections = {0};
        RawServer.serving((reader, writer) -> {
            int n = ++connections[0];
            readHead(reader);
            writer.write(ok("first of " + n));
            if (n == 1 && readHead(reader) != null) {
                writer.close();      // the second request on this connection: closed unanswered, as an idle timeout would
            }
            while (readHead(reader) != null) {
                writer.write(ok("more of " + n));
            }
        }, (server, url) -> {
            try (HttpClient client = HttpClient.create()) {
                assertEquals("first of 1", client.get(url + "/a").text());
                assertEquals("first of 2", client.get(url + "/b").text(), "sent again, on a new connection");
                assertEquals(2, connections[0]);
            }
        });
    }

    @AsyncTest
    void aPostIsNotRetriedAndTheFailureSaysWhatHappened() throws Exception {
        RawServer.serving((reader, writer) -> {
            readHead(reader);
            writer.write(ok("first"));
            String second = readHead(reader);
            if (second != null) {
                writer.close();
            }
        }, (server, url) -> {
            try (HttpClient client = HttpClient.create()) {
                assertEquals("first", client.get(url + "/a").text());
                ServerDisconnectedError e = assertThrows(ServerDisconnectedError.class,
                        () -> client.post(url + "/order", new byte[0], null));
                assertTrue(e.getMessage().contains("POST " + url + "/order")
                        && e.getMessage().contains("closed the connection without sending a response"), e.getMessage());
                assertEquals(0, client.openConnections());
            }
        });
    }

    @AsyncTest
    void idleConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
        serving((req, reply) -> reply.send("ok"), server -> {
            try (HttpClient client = HttpClient.builder().idleTimeout(5).build()) {
                client.get(server.url("/1")).body();
                Asyncio.sleep(4);
                client.get(server.url("/2")).body();
                assertEquals(1, server.accepted());
                Asyncio.sleep(4);
                assertEquals(1, client.idleConnections(), "used four seconds ago: kept");
                Asyncio.sleep(2);
                assertEquals(0, client.idleConnections());
                Asyncio.sleep(0.05);
                assertEquals(0, server.open());
            }
        });
    }

    @AsyncTest
    void connectionCloseFromEitherSideIsHonoured() throws Exception {
        serving((req, reply) -> {
            if (req.uri().equals("/server-closes")) {
                reply.header("Connection", "close");
            }
            reply.send("bye");
        }, server -> {
            try (HttpClient client = HttpClient.create()) {
                assertEquals("bye", client.get(server.url("/server-closes")).text());
                assertEquals(0, client.openConnections());
                HttpRequest closing = HttpRequest.builder(server.url("/client-closes")).header("Connection", "close").build();
                assertEquals("bye", client.request(closing).text());
                assertEquals(0, client.openConnections());
                assertEquals(2, server.accepted());
            }
        });
    }

    @AsyncTest
    void closingTheClientFailsResponsesBeingReadAndRequestsWaiting() throws Exception {
        serving((req, reply) -> {
            reply.startWithLength(100);
            reply.chunk("part");
            Asyncio.sleep(Double.POSITIVE_INFINITY);
        }, server -> {
            HttpClient client = HttpClient.builder().maxConnections(1).build();
            HttpResponse reading = client.get(server.url("/1"));
            Task<HttpResponse> waiting = Asyncio.createTask(() -> client.get(server.url("/2")));
            Task<byte[]> body = Asyncio.createTask(reading::body);
            Asyncio.sleep(0.05);
            client.close();
            assertEquals("the HttpClient was closed", assertThrows(IllegalStateException.class, body::await).getMessage());
            assertEquals("the HttpClient was closed", assertThrows(IllegalStateException.class, waiting::await).getMessage());
            assertThrows(IllegalStateException.class, () -> client.get(server.url("/3")));
            assertEquals(0, client.openConnections());
        });
    }

    @AsyncTest
    void closingTheClientEndsAConnectionStillBeingMade() throws Exception {
        try (BlackHole hole = BlackHole.at("127.0.0.2", 0)) {
            HttpClient client = HttpClient.create();
            Task<HttpResponse> t = Asyncio.createTask(() -> client.get("http://127.0.0.2:" + hole.port() + "/"));
            Asyncio.sleep(0.1);
            assertEquals(1, client.openConnections(), "connecting");
            client.close();
            List<Object> outcome = Asyncio.gather(true, Asyncio.createTask(() -> Asyncio.waitFor(t, 1)));
            assertTrue(outcome.getFirst() instanceof IllegalStateException, "the request ended with " + outcome.getFirst());
            assertEquals("the HttpClient was closed", ((IllegalStateException) outcome.getFirst()).getMessage());
            assertEquals(0, client.openConnections(), "the room taken for the connection was given back");
        }
    }

    @AsyncTest
    void closingTheClientEndsANameLookupUnderWay() throws Exception {
        HttpClient client = HttpClient.builder()
                .resolver(host -> {
                    Asyncio.sleep(1000);            // a resolver that does not answer within the test's time
                    throw new AssertionError("the lookup should have been cancelled");
                })
                .build();
        Task<HttpResponse> t = Asyncio.createTask(() -> client.get("http://slow.example/"));
        Asyncio.sleep(0.1);
        client.close();
        List<Object> outcome = Asyncio.gather(true, Asyncio.createTask(() -> Asyncio.waitFor(t, 1)));
        assertEquals("the HttpClient was closed", ((IllegalStateException) outcome.getFirst()).getMessage());
        assertEquals(0, client.openConnections());
    }

    /** Runs {@code body} while collecting what is logged to {@code dev.asyncio.http}. */
    private static List<LogRecord> logged(TestServer.ServerBody body, TestServer server) throws Exception {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger("dev.asyncio.http");
        Handler collect = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(collect);
        try {
            body.run(server);
        } finally {
            logger.removeHandler(collect);
        }
        return records;
    }

    /** Collects garbage until {@code until} is done (the cleaner thread runs on its own), for at most 10 s. */
    private static void collectGarbageUntil(Task<?> until) {
        for (int i = 0; i < 200 && !until.done(); i++) {
            System.gc();
            Asyncio.sleep(0.05);
        }
    }

    @AsyncTest(realTime = true)      // the garbage collector and the cleaner thread take real time
    void aForgottenResponseFreesItsConnectionOnceCollectedAndWarnsWithItsUrl() throws Exception {
        serving((req, reply) -> reply.send("body"), server -> {
            List<LogRecord> warnings = logged(s -> {
                try (HttpClient client = HttpClient.builder().maxConnections(1).build()) {
                    assertEquals(200, client.get(server.url("/forgotten")).status());    // body never read, never closed
                    Task<String> next = Asyncio.createTask(() -> client.get(server.url("/next")).text());
                    collectGarbageUntil(next);
                    assertEquals("body", Asyncio.waitFor(next, 1));
                    assertEquals(2, server.accepted(), "the forgotten response's connection was closed, not reused");
                }
            }, server);
            assertEquals(1, warnings.size(), String.valueOf(warnings));
            assertEquals(Level.WARNING, warnings.getFirst().getLevel());
            String message = warnings.getFirst().getMessage();
            assertTrue(message.startsWith("Unclosed response: the response 200 from " + server.url("/forgotten")), message);
        });
    }

    @AsyncTest(realTime = true)
    void aResponseReadToItsEndAndThenCollectedLeavesItsReusedConnectionAlone() throws Exception {
        serving((req, reply) -> reply.send("body " + req.uri()), server -> {
            List<LogRecord> warnings = logged(s -> {
                try (HttpClient client = HttpClient.create()) {
                    assertEquals("body /1", client.get(server.url("/1")).text());      // read to its end: released
                    try (HttpResponse second = client.get(server.url("/2"))) {     // on the same connection
                        Task<Void> gc = Asyncio.createTask(() -> Asyncio.sleep(0.5));
                        collectGarbageUntil(gc);
                        assertEquals("body /2", second.text());
                    }
                    assertEquals(1, server.accepted());
                    assertEquals(1, client.idleConnections());
                }
            }, server);
            assertEquals(List.of(), warnings);
        });
    }

    @AsyncTest
    void closingFromAnotherThreadThrowsAndLeavesTheClientAndItsResponsesAsTheyWere() throws Exception {
        serving((req, reply) -> {
            if (req.uri().equals("/1")) {
                Asyncio.sleep(0.2);
            }
            reply.send("late " + req.uri());
        }, server -> {
            HttpClient client = HttpClient.builder().maxConnections(1).build();
            Task<String> holder = Asyncio.createTask(() -> client.get(server.url("/1")).text());
            Task<String> waiter = Asyncio.createTask(() -> client.get(server.url("/2")).text());
            Asyncio.sleep(0.05);
            assertEquals(1, client.waitingRequests());
            Throwable fromThread = Asyncio.toThread(() -> {
                try {
                    client.close();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            assertTrue(fromThread instanceof IllegalStateException
                    && fromThread.getMessage().startsWith("HttpClient.close() was called from thread '")
                    && fromThread.getMessage().contains("callSoonThreadsafe"), String.valueOf(fromThread));
            assertFalse(client.isClosed(), "a call from the wrong thread touches nothing");
            assertEquals(1, client.waitingRequests());
            client.close();                     // on the loop's thread: fails the waiter and the holder
            List<Object> outcome = Asyncio.gather(true, Asyncio.createTask(() -> Asyncio.waitFor(waiter, 2)),
                    Asyncio.createTask(() -> Asyncio.waitFor(holder, 2)));
            assertEquals("the HttpClient was closed", ((IllegalStateException) outcome.get(0)).getMessage());
            assertEquals("the HttpClient was closed", ((IllegalStateException) outcome.get(1)).getMessage());
        });
    }

    @AsyncTest
    void closingAResponseFromAnotherThreadThrowsAndKeepsItOpen() throws Exception {
        serving((req, reply) -> reply.send("body"), server -> {
            try (HttpClient client = HttpClient.create()) {
                HttpResponse r = client.get(server.url("/"));
                Throwable fromThread = Asyncio.toThread(() -> {
                    try {
                        r.close();
                        return null;
                    } catch (Throwable t) {
                        return t;
                    }
                });
                assertTrue(fromThread instanceof IllegalStateException
                        && fromThread.getMessage().startsWith("HttpResponse.close() was called from thread '"), String.valueOf(fromThread));
                assertFalse(r.isClosed());
                assertEquals("body", r.text());
                assertEquals(1, client.idleConnections());
            }
        });
    }
}
