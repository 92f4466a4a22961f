package dev.asyncio.http;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.Future;
import dev.asyncio.test.AsyncTest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.asyncio.http.RawServer.readHead;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The connect, read and total limits; each closes the connection it fired on. */
class TimeoutTest {
    @AsyncTest
    void aServerThatNeverAnswersIsAReadTimeoutErrorAndTheConnectionIsClosed() throws Exception {
        Future<Integer> serverSawEof = new Future<>();
        RawServer.serving((reader, writer) -> {
            readHead(reader);
            serverSawEof.setResult(reader.read(-1).length);
        }, (server, url) -> {
            try (HttpClient client = HttpClient.builder().timeout(ClientTimeout.DEFAULT.withRead(0.2)).build()) {
                ReadTimeoutError e = assertThrows(ReadTimeoutError.class, () -> client.get(url + "/"));
                assertEquals("GET " + url + "/: no data from the server for 0.200 s while waiting for the response",
                        e.getMessage());
                assertEquals(0.2, e.seconds());
                assertEquals(0, serverSawEof.await());
                assertEquals(0, client.openConnections());
            }
        });
    }

    @AsyncTest
    void theReadLimitCountsOnlyTimeSpentWaitingForBytes(AsyncLoop loop) throws Exception {
        TestServer.serving((req, reply) -> {
            reply.startChunked();
            for (int i = 0; i < 3; i++) {
                Asyncio.sleep(0.1);
                reply.chunk("piece " + i + ";");
            }
            Asyncio.sleep(5);                  // then a long silence
            reply.chunk("late");
            reply.end();
        }, server -> {
            ClientTimeout readHalfSecond = ClientTimeout.DEFAULT.withRead(0.5);
            try (HttpClient client = HttpClient.builder().timeout(readHalfSecond).build();
                 HttpResponse r = client.get(server.url("/drip"))) {
                StringBuilder got = new StringBuilder();
                for (int i = 0; i < 3; i++) {
                    Asyncio.sleep(1);            // the caller is busy: that is not the server's silence
                    got.append(new String(r.read(100), StandardCharsets.UTF_8));
                }
                assertEquals("piece 0;piece 1;piece 2;", got.toString());
                double before = loop.time();
                ReadTimeoutError e = assertThrows(ReadTimeoutError.class, () -> r.read(100));
                assertTrue(e.getMessage().endsWith("while reading the body"), e.getMessage());
                assertEquals(0.5, loop.time() - before, 0.05);
            }
        });
    }

    @AsyncTest
    void theTotalLimitCoversRedirectsAndTheBody() throws Exception {
        TestServer.serving((req, reply) -> {
            switch (req.uri()) {
                case "/start" -> {
                    Asyncio.sleep(0.3);
                    reply.status(302).header("Location", "/next").send("");
                }
                case "/next" -> {
                    Asyncio.sleep(0.3);
                    reply.send("too late");
                }
                default -> {
                    reply.startChunked();
                    while (true) {
                        reply.chunk("tick;");
                        Asyncio.sleep(0.1);
                    }
                }
            }
        }, server -> {
            try (HttpClient client = HttpClient.builder().timeout(ClientTimeout.DEFAULT.withTotal(0.5)).build()) {
                TotalTimeoutError e = assertThrows(TotalTimeoutError.class, () -> client.get(server.url("/start")));
                assertEquals("GET " + server.url("/next") + ": the request took longer than its total time limit of 0.500 s",
                        e.getMessage());
                HttpResponse dripping = client.get(server.url("/drip"));
                assertThrows(TotalTimeoutError.class, dripping::body, "a body that never ends, bytes or not");
                dripping.close();
                assertEquals(0, client.openConnections());
            }
        });
    }

    @AsyncTest
    void theConnectLimitCoversTheTlsHandshake() throws Exception {
        RawServer.serving((reader, writer) -> reader.read(-1), (server, url) -> {
            ClientTimeout connectQuickly = ClientTimeout.DEFAULT.withConnect(0.2);
            try (HttpClient client = HttpClient.builder().timeout(connectQuickly).build()) {
                String https = url.replace("http:", "https:") + "/";
                ConnectTimeoutError e = assertThrows(ConnectTimeoutError.class, () -> client.get(https));
                assertTrue(e.getMessage().endsWith("connecting to " + url.replace("http:", "https:")
                        + " took longer than 0.200 s"), e.getMessage());
                assertEquals(0, client.openConnections());
            }
        });
    }

    @AsyncTest
    void theConnectLimitCoversNameResolutionAndCancelsTheLookup(AsyncLoop loop) {
        List<String> lookups = new ArrayList<>();
        try (HttpClient client = HttpClient.builder()
                .resolver(host -> {
                    lookups.add(host);
                    Asyncio.sleep(Double.POSITIVE_INFINITY);      // a name server that never answers
                    throw new AssertionError("unreachable");
                })
                .timeout(ClientTimeout.DEFAULT.withConnect(3)).build()) {
            assertThrows(ConnectTimeoutError.class, () -> client.get("http://slow-dns.example/"));
            assertEquals(3.0, loop.time());
            assertEquals(List.of("slow-dns.example"), lookups);
            assertEquals(1, loop.allTasks().size(), "the lookup task was cancelled, only the test's is left");
            assertEquals(0, client.openConnections());
        }
    }

    @AsyncTest
    void waitingForAFreeConnectionCountsAgainstTheTotalLimit() throws Exception {
        TestServer.serving((req, reply) -> {
            Asyncio.sleep(1);
            reply.send("slow");
        }, server -> {
            try (HttpClient client = HttpClient.builder().maxConnections(1).build()) {
                dev.asyncio.Task<String> holder = Asyncio.createTask(() -> client.get(server.url("/hold")).text());
                Asyncio.sleep(0);
                HttpRequest impatient = HttpRequest.builder(server.url("/impatient"))
                        .timeout(ClientTimeout.DEFAULT.withTotal(0.2)).build();
                TotalTimeoutError e = assertThrows(TotalTimeoutError.class, () -> client.request(impatient));
                assertTrue(e.getMessage().endsWith("(waiting for a free connection): the request took longer than its "
                        + "total time limit of 0.200 s"), e.getMessage());
                assertEquals(0, client.waitingRequests());
                assertEquals("slow", holder.await());
                assertEquals(1, server.log().size(), "the impatient request was never sent");
            }
        });
    }

    @AsyncTest
    void timeLimitsMustBePositiveAndInfinityMeansNone() {
        assertThrows(IllegalArgumentException.class, () -> new ClientTimeout(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> ClientTimeout.DEFAULT.withRead(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> ClientTimeout.DEFAULT.withConnect(-1));
        assertEquals(new ClientTimeout(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY),
                ClientTimeout.NONE);
        assertEquals(new ClientTimeout(Double.POSITIVE_INFINITY, 30, 60), ClientTimeout.DEFAULT);
    }

    @org.junit.jupiter.api.Test
    void everyHttpTimeoutIsAnAsyncioTimeoutError() {
        org.junit.jupiter.api.Assertions.assertTrue(dev.asyncio.TimeoutError.class.isAssignableFrom(HttpTimeoutError.class));
        org.junit.jupiter.api.Assertions.assertTrue(dev.asyncio.TimeoutError.class.isAssignableFrom(ConnectTimeoutError.class));
        org.junit.jupiter.api.Assertions.assertTrue(dev.asyncio.TimeoutError.class.isAssignableFrom(ReadTimeoutError.class));
        org.junit.jupiter.api.Assertions.assertTrue(dev.asyncio.TimeoutError.class.isAssignableFrom(TotalTimeoutError.class));
    }
}
