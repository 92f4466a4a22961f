package dev.asyncio.http;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Future;
import dev.asyncio.Task;
import dev.asyncio.test.AsyncTest;

import java.net.InetAddress;
import java.util.List;

import static dev.asyncio.http.RawServer.ascii;
import static dev.asyncio.http.RawServer.ok;
import static dev.asyncio.http.RawServer.readHead;
import static dev.asyncio.http.TestServer.serving;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What review 2 checked and found right, kept as tests so that it stays right: header injection, cancellation
 * while resolving and during the TLS handshake, HTTP/1.0 keep-alive, the retry rule, conflicting lengths,
 * 1xx responses, empty compressed bodies.
 */
class ReviewCoverageTest {
    @AsyncTest
    void lineBreaksInHeaderNamesValuesAndUrlsAreRejectedBeforeAnythingIsSent() {
        assertThrows(IllegalArgumentException.class,
                () -> HttpRequest.builder("http://a.example/").header("X-A", "1\r\nX-Injected: 2"));
        assertThrows(IllegalArgumentException.class,
                () -> HttpRequest.builder("http://a.example/").body(new byte[1], "text/plain\r\nX-Injected: 2"));
        assertThrows(IllegalArgumentException.class,
                () -> HttpRequest.builder("http://a.example/").header("X-A\r\nX-B", "1"));
        assertThrows(IllegalArgumentException.class, () -> HttpRequest.get("http://a.example/a\r\nb"));
        assertThrows(IllegalArgumentException.class, () -> HttpRequest.get("http://a.example/a b"));
    }

    @AsyncTest
    void cancellingDuringNameResolutionGivesThePerHostRoomToTheNextWaiter() throws Exception {
        serving((req, reply) -> reply.send("ok"), server -> {
            Future<Void> stuck = new Future<>();
            int[] lookups = {0};
            try (HttpClient client = HttpClient.builder().maxConnectionsPerHost(1)
                    .resolver(host -> {
                        if (lookups[0]++ == 0) {
                            stuck.await();
                        }
                        return List.of(InetAddress.getLoopbackAddress());
                    }).build()) {
                String url = "http://localhost:" + server.port() + "/";
                Task<String> first = Asyncio.createTask(() -> client.get(url).text());
                Task<String> second = Asyncio.createTask(() -> client.get(url).text());
                Asyncio.sleep(0.01);
                assertEquals(1, client.waitingRequests());
                first.cancel();
                assertThrows(CancelledError.class, first::await);
                assertEquals("ok", second.await());
                assertEquals(1, client.openConnections());
            }
        });
    }

    @AsyncTest
    void cancellingDuringTheTlsHandshakeClosesTheSocketAndFreesTheRoom() throws Exception {
        Future<Integer> serverSawEof = new Future<>();
        Future<Void> accepted = new Future<>();
        RawServer.serving((reader, writer) -> {
            accepted.setResult(null);
            serverSawEof.setResult(reader.read(-1).length);
        }, (server, url) -> {
            try (HttpClient client = HttpClient.create()) {
                Task<HttpResponse> t = Asyncio.createTask(() -> client.get(url.replace("http:", "https:") + "/"));
                accepted.await();
                Asyncio.sleep(0.05);
                assertEquals(1, client.openConnections());
                t.cancel();
                assertThrows(CancelledError.class, t::await);
                assertEquals(0, client.openConnections());
                assertTrue(serverSawEof.await() > 0, "the server got a ClientHello, then the end of the stream");
            }
        });
    }

    @AsyncTest
    void anHttp10ResponseIsPooledOnlyWithConnectionKeepAlive() throws Exception {
        int[] connections = {0};
        RawServer.serving((reader, writer) -> {
            connections[0]++;
            String head;
            while ((head = readHead(reader)) != null) {
                if (head.startsWith("GET /ka")) {
                    writer.write(ascii("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nka"));
                } else {
                    writer.write(ascii("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nno"));
                }
            }
        }, (server, url) -> {
            try (HttpClient client = HttpClient.create()) {
                assertEquals("no", client.get(url + "/plain").text());
                assertEquals(0, client.openConnections());
                assertEquals("ka", client.get(url + "/ka").text());
                assertEquals(1, client.idleConnections());
            }
        });
    }

    @AsyncTest
    void aReusedConnectionThatDiesAfterPartOfTheHeadIsNotRetried() throws Exception {
        int[] connections = {0};
        RawServer.serving((reader, writer) -> {
            connections[0]++;
            readHead(reader);
            writer.write(ok("first"));
            if (readHead(reader) != null) {
                writer.write(ascii("HTTP/1.1 200 OK\r\nContent-Le"));
                writer.drain();
                writer.close();
            }
        }, (server, url) -> {
            try (HttpClient client = HttpClient.create()) {
                assertEquals("first", client.get(url + "/a").text());
                assertThrows(ServerDisconnectedError.class, () -> client.get(url + "/b"));
                assertEquals(1, connections[0]);
                assertEquals(0, client.openConnections());
            }
        });
    }

    @AsyncTest
    void conflictingContentLengthsAreAMalformedResponseError() throws Exception {
        RawServer.serving((reader, writer) -> {
            readHead(reader);
            writer.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\nhello"));
            reader.read(-1);
        }, (server, url) -> {
            try (HttpClient client = HttpClient.create()) {
                assertThrows(MalformedResponseError.class, () -> client.get(url + "/").body());
                assertEquals(0, client.openConnections());
            }
        });
    }

    @AsyncTest
    void earlyHintsBeforeAResponseLeaveItsBodyAndAHeadsFramingIntact() throws Exception {
        RawServer.serving((reader, writer) -> {
            String head;
            while ((head = readHead(reader)) != null) {
                writer.write(ascii("HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n"));
                writer.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n" + (head.startsWith("HEAD") ? "" : "hello")));
            }
        }, (server, url) -> {
            try (HttpClient client = HttpClient.create()) {
                assertEquals("hello", client.get(url + "/").text());
                HttpResponse h = client.request("HEAD", url + "/");
                assertEquals(200, h.status());
                assertEquals(0, h.body().length);
                assertEquals("hello", client.get(url + "/").text());
                assertEquals(1, client.openConnections());
            }
        });
    }

    @AsyncTest
    void emptyBodiesMarkedGzipDecodeToNothingAndKeepTheConnection() throws Exception {
        RawServer.serving((reader, writer) -> {
            String head;
            while ((head = readHead(reader)) != null) {
                if (head.startsWith("HEAD")) {
                    writer.write(ascii("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 100\r\n\r\n"));
                } else if (head.startsWith("GET /204")) {
                    writer.write(ascii("HTTP/1.1 204 No Content\r\nContent-Encoding: gzip\r\n\r\n"));
                } else {
                    writer.write(ascii("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 0\r\n\r\n"));
                }
            }
        }, (server, url) -> {
            try (HttpClient client = HttpClient.create()) {
                assertEquals(0, client.request("HEAD", url + "/").body().length);
                assertEquals(0, client.get(url + "/204").body().length);
                assertEquals(0, client.get(url + "/empty").body().length);
                assertEquals(1, client.openConnections());
            }
        });
    }
}
