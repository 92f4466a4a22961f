package dev.asyncio.http;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Event;
import dev.asyncio.Future;
import dev.asyncio.Task;
import dev.asyncio.net.ConnectionRefusedError;
import dev.asyncio.net.NameResolutionError;
import dev.asyncio.net.Server;
import dev.asyncio.net.Streams;
import dev.asyncio.test.AsyncTest;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.asyncio.http.RawServer.ascii;
import static dev.asyncio.http.RawServer.ok;
import static dev.asyncio.http.RawServer.readHead;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every way a request can fail names what happened, and leaves no broken connection in the pool. */
class ResponseErrorsTest {
    @AsyncTest
    void urlsThatCannotBeFetchedAreRejectedBeforeAnythingIsSent() {
        try (HttpClient client = HttpClient.create()) {
            for (String[] bad : List.of(
                    new String[] {"example.org/x", "no scheme"},
                    new String[] {"ftp://example.org/", "the scheme must be http or https, not ftp"},
                    new String[] {"http:///path", "no host"},
                    new String[] {"http://exa mple.org/", "Illegal character in authority"},
                    new String[] {"http://example.org:0/", "the port must be 1-65535, got 0"},
                    new String[] {"http://user:pw@example.org/", "user information in the URL is not supported"})) {
                InvalidUrlError e = assertThrows(InvalidUrlError.class, () -> client.get(bad[0]), bad[0]);
                assertTrue(e.getMessage().startsWith("invalid URL '" + bad[0] + "': ") && e.getMessage().contains(bad[1]),
                        e.getMessage());
                assertEquals(bad[0], e.url());
            }
            assertEquals(0, client.openConnections());
        }
    }

    @AsyncTest
    void aRefusedConnectionIsAConnectionRefusedError() {
        int port;
        try (Server s = Streams.startServer((r, w) -> { }, "127.0.0.1", 0)) {
            port = s.port();
        }
        try (HttpClient client = HttpClient.create()) {
            ConnectionRefusedError e = assertThrows(ConnectionRefusedError.class, () -> client.get("http://127.0.0.1:" + port + "/"));
            assertTrue(e.getMessage().startsWith("cannot connect to http://127.0.0.1:" + port), e.getMessage());
            assertEquals(0, client.openConnections());
        }
    }

    @AsyncTest
    void anUnknownHostIsTheResolversNameResolutionError() {
        NameResolutionError unknown = new NameResolutionError("cannot resolve 'nowhere.invalid'", null);
        List<String> asked = new java.util.ArrayList<>();
        try (HttpClient client = HttpClient.builder().resolver(host -> {
            asked.add(host);
            throw unknown;
        }).build()) {
            assertSame(unknown, assertThrows(NameResolutionError.class, () -> client.get("http://NoWhere.invalid/")));
            assertEquals(List.of("nowhere.invalid"), asked);
            assertEquals(0, client.openConnections(), "the room reserved for the connection was given back");
        }
    }

    @AsyncTest
    void aHostNameIsResolvedByTheSystemResolverByDefault() throws Exception {
        TestServer.serving((req, reply) -> reply.send(req.headers().get("Host")), server -> {
            try (HttpClient client = HttpClient.create()) {
                assertEquals("localhost:" + server.port(), client.get("http://localhost:" + server.port() + "/").text());
            }
        });
    }

    @AsyncTest
    void garbageInsteadOfAResponseIsAMalformedResponseError() throws Exception {
        RawServer.serving((reader, writer) -> {
            readHead(reader);
            writer.write(ascii("SSH-2.0-OpenSSH_9.2\r\n\r\n"));
        }, (server, url) -> {
            try (HttpClient client = HttpClient.create()) {
                MalformedResponseError e = assertThrows(MalformedResponseError.class, () -> client.get(url + "/"));
                assertTrue(e.getMessage().startsWith("GET " + url + "/: malformed response from " + url), e.getMessage());
                assertEquals(0, client.openConnections());
            }
        });
    }

    @AsyncTest
    void aBadChunkSizeIsAMalformedResponseErrorWhileReadingTheBody() throws Exception {
        RawServer.serving((reader, writer) -> {
            readHead(reader);
            writer.write(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n"));
            reader.read(-1);
        }, (server, url) -> {
            try (HttpClient client = HttpClient.create(); HttpResponse r = client.get(url + "/")) {
                assertEquals(200, r.status());
                assertEquals("hello", new String(r.read(100), StandardCharsets.US_ASCII));
                assertThrows(MalformedResponseError.class, () -> r.read(100));
                assertEquals(0, client.openConnections());
            }
        });
    }

    @AsyncTest
    void headersOverTheLimitAreAHeadersTooLargeError() throws Exception {
        RawServer.serving((reader, writer) -> {
            while (readHead(reader) != null) {
                writer.write(ascii("HTTP/1.1 200 OK\r\nX-Big: " + "b".repeat(2000) + "\r\nContent-Length: 2\r\n\r\nok"));
            }
        }, (server, url) -> {
            try (HttpClient client = HttpClient.builder().maxHeaderSize(1024).build()) {
                HeadersTooLargeError e = assertThrows(HeadersTooLargeError.class, () -> client.get(url + "/"));
                assertTrue(e.getMessage().contains("header block is too large"), e.getMessage());
                assertEquals(0, client.openConnections());
            }
            try (HttpClient client = HttpClient.create()) {
                assertEquals("ok", client.get(url + "/").text(), "64 KiB of headers are fine by default");
            }
        });
        RawServer.serving((reader, writer) -> {
            readHead(reader);
            writer.write(ascii("HTTP/1.1 200 " + "O".repeat(10_000) + "\r\n\r\n"));
        }, (server, url) -> {
            try (HttpClient client = HttpClient.create()) {
                HeadersTooLargeError e = assertThrows(HeadersTooLargeError.class, () -> client.get(url + "/"));
                assertTrue(e.getMessage().contains("status line is too long"), e.getMessage());
            }
        });
    }

    @AsyncTest
    void aServerClosingMidBodyHandsOutWhatCameThenAnIncompleteBodyError() throws Exception {
        RawServer.serving((reader, writer) -> {
            readHead(reader);
            writer.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + "x".repeat(300)));
            writer.drain();
            Asyncio.sleep(0.05);
            writer.close();
        }, (server, url) -> {
            try (HttpClient client = HttpClient.create(); HttpResponse r = client.get(url + "/")) {
                assertArrayEquals(ascii("x".repeat(300)), r.read(1000));
                IncompleteBodyError e = assertThrows(IncompleteBodyError.class, () -> r.read(1000));
                assertEquals(300, e.received());
                assertTrue(e.getMessage().endsWith("closed the connection after 300 of 1000 body bytes"), e.getMessage());
                assertSame(e, assertThrows(IncompleteBodyError.class, () -> r.read(1000)), "it stays failed");
                assertEquals(0, client.openConnections());
            }
        });
    }

    @AsyncTest
    void aChunkedBodyCutShortIsAnIncompleteBodyErrorFromBody() throws Exception {
        RawServer.serving((reader, writer) -> {
            readHead(reader);
            writer.write(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nhalf\r\n"));
            writer.drain();
            writer.close();
        }, (server, url) -> {
            try (HttpClient client = HttpClient.create(); HttpResponse r = client.get(url + "/")) {
                assertEquals(4, assertThrows(IncompleteBodyError.class, r::body).received());
            }
        });
    }

    @AsyncTest
    void aBodyReadUntilTheConnectionClosesIsComplete() throws Exception {
        RawServer.serving((reader, writer) -> {
            readHead(reader);
            writer.write(ascii("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nall of it"));
            writer.drain();
            writer.close();
        }, (server, url) -> {
            try (HttpClient client = HttpClient.create(); HttpResponse r = client.get(url + "/")) {
                assertEquals("all of it", r.text());
                assertEquals(0, client.openConnections());
            }
        });
    }

    @AsyncTest
    void aServerClosingBeforeAnswering() throws Exception {
        RawServer.serving((reader, writer) -> {
            readHead(reader);
            writer.write(ascii("HTTP/1.1 200 O"));
            writer.close();
        }, (server, url) -> {
            try (HttpClient client = HttpClient.create()) {
                ServerDisconnectedError e = assertThrows(ServerDisconnectedError.class, () -> client.get(url + "/"));
                assertTrue(e.getMessage().endsWith("in the middle of the response head"), e.getMessage());
            }
        });
        RawServer.serving((reader, writer) -> {
            readHead(reader);
            writer.close();
        }, (server, url) -> {
            try (HttpClient client = HttpClient.create()) {
                ServerDisconnectedError e = assertThrows(ServerDisconnectedError.class, () -> client.get(url + "/"));
                assertTrue(e.getMessage().endsWith("without sending a response"), e.getMessage());
            }
        });
    }

    @AsyncTest
    void aBodyThatIsNotGzipIsAMalformedResponseError() throws Exception {
        RawServer.serving((reader, writer) -> {
            readHead(reader);
            writer.write(ascii("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 20\r\n\r\nthis is not gzip....."));
            reader.read(-1);
        }, (server, url) -> {
            try (HttpClient client = HttpClient.create(); HttpResponse r = client.get(url + "/")) {
                MalformedResponseError e = assertThrows(MalformedResponseError.class, r::body);
                assertTrue(e.getMessage().contains("cannot be decompressed"), e.getMessage());
                assertEquals(0, client.openConnections());
            }
        });
    }

    @AsyncTest
    void cancellingATaskMidBodyClosesThatConnection() throws Exception {
        Future<Integer> serverSawEof = new Future<>();
        RawServer.serving((reader, writer) -> {
            readHead(reader);
            writer.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nsome"));
            serverSawEof.setResult(reader.read(-1).length);
        }, (server, url) -> {
            try (HttpClient client = HttpClient.create()) {
                HttpResponse r = client.get(url + "/");
                Task<byte[]> reading = Asyncio.createTask(r::body);
                Asyncio.sleep(0.05);
                reading.cancel();
                assertThrows(CancelledError.class, reading::await);
                assertEquals(0, serverSawEof.await(), "the client closed its end");
                assertEquals(0, client.openConnections());
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.read(10));
                assertTrue(e.getMessage().contains("a task reading it was cancelled"), e.getMessage());
                r.close();
            }
        });
    }

    @AsyncTest
    void cancellingWhileWaitingForTheHeadClosesThatConnection() throws Exception {
        Future<Integer> serverSawEof = new Future<>();
        RawServer.serving((reader, writer) -> {
            readHead(reader);
            serverSawEof.setResult(reader.read(-1).length);
        }, (server, url) -> {
            try (HttpClient client = HttpClient.create()) {
                Task<HttpResponse> asking = Asyncio.createTask(() -> client.get(url + "/"));
                Asyncio.sleep(0.05);
                asking.cancel();
                assertThrows(CancelledError.class, asking::await);
                assertEquals(0, serverSawEof.await());
                assertEquals(0, client.openConnections());
            }
        });
    }

    @AsyncTest
    void bytesFromTheServerBetweenResponsesCloseTheIdleConnection() throws Exception {
        RawServer.serving((reader, writer) -> {
            readHead(reader);
            writer.write(ok("one"));
            writer.drain();
            Asyncio.sleep(0.02);
            writer.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nextra"));
            reader.read(-1);
        }, (server, url) -> {
            try (HttpClient client = HttpClient.create()) {
                assertEquals("one", client.get(url + "/").text());
                assertEquals(1, client.idleConnections());
                Asyncio.sleep(0.1);
                assertEquals(0, client.openConnections(), "an answer nobody asked for: the connection cannot be trusted");
            }
        });
    }

    @AsyncTest
    void closingAResponseFailsATaskReadingItAtOnce() throws Exception {
        TestServer.serving((req, reply) -> {
            reply.startWithLength(100);
            reply.chunk("part");
            Asyncio.sleep(Double.POSITIVE_INFINITY);
        }, server -> {
            try (HttpClient client = HttpClient.create()) {
                HttpResponse r = client.get(server.url("/"));
                Task<byte[]> reading = Asyncio.createTask(r::body);
                Asyncio.sleep(0.05);
                r.close();                        // a "stop this download" from another task
                List<Object> outcome = Asyncio.gather(true, Asyncio.createTask(() -> Asyncio.waitFor(reading, 1)));
                IllegalStateException e = assertInstanceOf(IllegalStateException.class, outcome.getFirst());
                assertEquals("GET " + server.url("/") + ": the response was closed", e.getMessage());
                assertEquals(0, client.openConnections());
            }
        });
    }

    @AsyncTest
    void closingAResponseJustAfterItsLastBytesWokeTheReaderStillFailsTheReader() throws Exception {
        Event sendTheRest = new Event();
        TestServer.serving((req, reply) -> {
            reply.startWithLength(8);
            reply.chunk("part");
            sendTheRest.await();
            reply.chunk("rest");                  // the whole body is in: the reader is woken
            Asyncio.sleep(Double.POSITIVE_INFINITY);
        }, server -> {
            try (HttpClient client = HttpClient.create()) {
                HttpResponse r = client.get(server.url("/"));
                Task<byte[]> reading = Asyncio.createTask(r::body);
                Asyncio.sleep(0.05);
                assertFalse(reading.done(), "waiting for the rest of the body");
                Task<Void> closing = Asyncio.createTask(() -> {
                    sendTheRest.set();
                    while (!r.exchange().complete()) {
                        Asyncio.sleep(0);         // runs before the woken reader does, in the same pass
                    }
                    assertFalse(reading.done());
                    r.close();
                    return null;
                });
                closing.await();
                List<Object> outcome = Asyncio.gather(true, Asyncio.createTask(() -> Asyncio.waitFor(reading, 1)));
                IllegalStateException e = assertInstanceOf(IllegalStateException.class, outcome.getFirst(),
                        "a reader must not get a body cut short without an error");
                assertEquals("GET " + server.url("/") + ": the response was closed", e.getMessage());
                assertEquals(0, client.openConnections(), "closed under a reader: the connection is not pooled");
            }
        });
    }

    @AsyncTest
    void afterACancelledReadNothingMoreIsHandedOutNotEvenBytesThatHadCome() throws Exception {
        Event sendMore = new Event();
        TestServer.serving((req, reply) -> {
            reply.startWithLength(100);
            sendMore.await();
            reply.chunk("part");                  // wakes the reader, which is cancelled before it runs
            Asyncio.sleep(Double.POSITIVE_INFINITY);
        }, server -> {
            try (HttpClient client = HttpClient.create()) {
                HttpResponse r = client.get(server.url("/"));
                Task<byte[]> reading = Asyncio.createTask(() -> r.read(100));
                Asyncio.sleep(0.05);
                sendMore.set();
                while (r.exchange().received() == 0) {
                    Asyncio.sleep(0);
                }
                assertFalse(reading.done());
                reading.cancel();
                assertThrows(CancelledError.class, reading::await);
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.read(100),
                        "the body is in an unknown state: \"part\" is not handed out");
                assertTrue(e.getMessage().endsWith("a task reading it was cancelled"), e.getMessage());
                assertEquals(0, client.openConnections());
            }
        });
    }

    @AsyncTest
    void aRequestOnAClosedClientOrAnotherLoopIsAnIllegalStateException() {
        HttpClient client = HttpClient.create();
        client.close();
        assertInstanceOf(IllegalStateException.class, assertThrows(RuntimeException.class, () -> client.get("http://127.0.0.1:1/")));
    }
}
