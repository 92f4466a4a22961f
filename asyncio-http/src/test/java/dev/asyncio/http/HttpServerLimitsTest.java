package dev.asyncio.http;

import dev.asyncio.Asyncio;
import dev.asyncio.Event;
import dev.asyncio.Task;
import dev.asyncio.test.AsyncTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each of HttpServer's limits hit on purpose, and malformed requests: a clear 4xx answer, then the connection closes. */
class HttpServerLimitsTest {
    private static final Handler ECHO = (rq, rs) -> rs.send(200, "read " + rq.body().length);

    @org.junit.jupiter.api.Test
    void theBodyDeadlineDefaultsToNodesRequestTimeout() {
        assertEquals(300, ServerLimits.defaults().bodyDeadline(), "Node's http server requestTimeout default");
    }

    private static HttpServer start(ServerLimits limits) {
        return HttpServer.builder(ECHO).limits(limits).start("127.0.0.1", 0);
    }

    /** Sends {@code request} on a fresh connection and returns everything the server sent before closing. */
    private static String exchange(HttpServer server, String request) {
        try (RawClient c = RawClient.open(server.port())) {
            c.send(request);
            return c.readAll();
        }
    }

    private static void assertStatus(int status, String answer) {
        assertTrue(answer.startsWith("HTTP/1.1 " + status + " "), answer);
        assertTrue(answer.toLowerCase().contains("connection: close"), answer);
    }

    @AsyncTest(realTime = true)
    void aLongRequestLineIs414() {
        HttpServer server = start(ServerLimits.builder().maxRequestLine(64).build());
        try {
            assertStatus(414, exchange(server, "GET /" + "a".repeat(100) + " HTTP/1.1\r\nHost: x\r\n\r\n"));
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void aLargeHeaderIs431() {
        HttpServer server = start(ServerLimits.builder().maxHeaderSize(256).build());
        try {
            assertStatus(431, exchange(server, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(400) + "\r\n\r\n"));
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void tooManyHeaderFieldsIs431() {
        HttpServer server = start(ServerLimits.builder().maxHeaderCount(5).build());
        try {
            StringBuilder r = new StringBuilder("GET / HTTP/1.1\r\nHost: x\r\n");
            for (int i = 0; i < 6; i++) {
                r.append("X-").append(i).append(": v\r\n");
            }
            String answer = exchange(server, r.append("\r\n").toString());
            assertStatus(431, answer);
            assertTrue(answer.contains("more than 5 header fields"), answer);
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void aDeclaredBodyOverTheLimitIs413BeforeTheHandlerRuns() {
        HttpServer server = start(ServerLimits.builder().maxBodySize(10).build());
        try {
            assertStatus(413, exchange(server, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n"));
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void aChunkedBodyGrowingOverTheLimitIs413() {
        HttpServer server = start(ServerLimits.builder().maxBodySize(10).build());
        try {
            assertStatus(413, exchange(server, "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n"));
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void aSlowlorisHeadIsCutOffWith408() {
        HttpServer server = start(ServerLimits.builder().headerTimeout(0.2).build());
        try (RawClient c = RawClient.open(server.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n");    // and never the rest
            String answer = c.readAll();
            assertStatus(408, answer);
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void aBodyThatStopsComingIs408() {
        HttpServer server = start(ServerLimits.builder().bodyTimeout(0.2).build());
        try (RawClient c = RawClient.open(server.port())) {
            c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12345");
            assertStatus(408, c.readAll());
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void aBodyDrippingInUnderTheBodyTimeoutIsCutOffAtTheBodyDeadline() {
        // Wide margins (real time on a loaded machine): each wait (0.05 s) is far under the body timeout (5 s),
        // and the whole drip (40 x 0.05 s) far over the body deadline (0.5 s).
        HttpServer server = start(ServerLimits.builder().bodyTimeout(5).bodyDeadline(0.5).build());
        try (RawClient c = RawClient.open(server.port())) {
            c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 40\r\n\r\n");
            Task<Void> drip = Asyncio.createTask(() -> {
                try {
                    for (int i = 0; i < 40; i++) {
                        c.send("x");
                        Asyncio.sleep(0.05);
                    }
                } catch (dev.asyncio.net.ConnectionError closed) {
                    // the server cut the connection: what the test wants
                }
            });
            try {
                String answer = c.readAll();
                assertStatus(408, answer);
                assertTrue(answer.contains("the request body did not come within 0.5 s"), answer);
            } finally {
                drip.cancel();
            }
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void anIdleKeepAliveConnectionIsClosedWithoutAnAnswer() {
        HttpServer server = start(ServerLimits.builder().idleTimeout(0.2).build());
        try (RawClient c = RawClient.open(server.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(c.readResponse(false).endsWith("read 0"));
            assertEquals("", c.readAll(), "closed with nothing more sent");
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void oneConnectionOverTheMaximumIs503() {
        Event release = new Event();
        HttpServer server = HttpServer.builder((rq, rs) -> {
            release.await();
            rs.send(200, "ok");
        }).limits(ServerLimits.builder().maxConnections(1).build()).start("127.0.0.1", 0);
        try (RawClient first = RawClient.open(server.port())) {
            first.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            try (RawClient second = RawClient.open(server.port())) {
                assertStatus(503, second.readAll());
            }
            release.set();
            assertTrue(first.readResponse(false).endsWith("ok"));
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void aBadRequestLineIs400() {
        HttpServer server = start(ServerLimits.defaults());
        try {
            assertStatus(400, exchange(server, "GET\r\n\r\n"));
            assertStatus(400, exchange(server, "G@T / HTTP/1.1\r\nHost: x\r\n\r\n"));
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void aBadChunkSizeIs400() {
        HttpServer server = start(ServerLimits.defaults());
        try {
            assertStatus(400, exchange(server, "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n"));
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void contentLengthWithTransferEncodingIs400() {
        HttpServer server = start(ServerLimits.defaults());
        try {
            String answer = exchange(server, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3\r\nabc\r\n0\r\n\r\n");
            assertStatus(400, answer);
            assertTrue(answer.contains("both Content-Length and Transfer-Encoding"), answer);
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void aBadRequestAfterAGoodPipelinedOneIsAnsweredInItsTurn() {
        HttpServer server = start(ServerLimits.defaults());
        try (RawClient c = RawClient.open(server.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET\r\n\r\n");
            String all = c.readAll();
            assertTrue(all.startsWith("HTTP/1.1 200 OK"), all);
            assertTrue(all.contains("read 0HTTP/1.1 400 Bad Request"), all);
        } finally {
            server.close();
        }
    }
}
