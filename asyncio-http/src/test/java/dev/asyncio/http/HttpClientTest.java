package dev.asyncio.http;

import dev.asyncio.Asyncio;
import dev.asyncio.test.AsyncTest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import static dev.asyncio.http.TestServer.serving;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests and their bodies: status and headers, text and charsets, JSON, chunked and compressed bodies. */
class HttpClientTest {
    static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    static byte[] deflate(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out)) {
            z.write(data);
        }
        return out.toByteArray();
    }

    @AsyncTest
    void getReturnsStatusHeadersAndBodyAndSendsTheUsualHeaders() throws Exception {
        serving((req, reply) -> reply.status(201).header("X-Thing", "a").header("x-thing", "b")
                .header("Content-Type", "text/plain; charset=utf-8").send("héllo " + req.uri()), server -> {
            try (HttpClient client = HttpClient.create();
                 HttpResponse r = client.get(server.url("/path?q=1&r=%20"))) {
                assertEquals(201, r.status());
                assertEquals("Created", r.reason());
                assertEquals("HTTP/1.1", r.version());
                assertTrue(r.ok());
                assertEquals(List.of("a", "b"), r.headers().getAll("X-THING"));
                assertEquals("a", r.headers().get("x-thing"));
                assertEquals("text/plain", r.contentType());
                assertEquals("héllo /path?q=1&r=%20", r.text());
                assertEquals(r.url().toString(), server.url("/path?q=1&r=%20"));
                assertEquals(List.of(), r.history());
            }
            TestServer.Request seen = server.log().getFirst();
            assertEquals("GET", seen.method());
            assertEquals("127.0.0.1:" + server.port(), seen.headers().get("Host"));
            assertEquals("gzip, deflate", seen.headers().get("Accept-Encoding"));
            assertEquals("asyncio-java/0.1", seen.headers().get("User-Agent"));
        });
    }

    @AsyncTest
    void textIsDecodedWithTheCharsetOfContentTypeAndUtf8ByDefault() throws Exception {
        serving((req, reply) -> {
            if (req.uri().equals("/latin1")) {
                reply.header("Content-Type", "text/plain; charset=ISO-8859-1").send("café".getBytes(StandardCharsets.ISO_8859_1));
            } else {
                reply.send("café");
            }
        }, server -> {
            try (HttpClient client = HttpClient.create()) {
                try (HttpResponse r = client.get(server.url("/latin1"))) {
                    assertEquals(StandardCharsets.ISO_8859_1, r.charset());
                    assertEquals("café", r.text());
                }
                try (HttpResponse r = client.get(server.url("/default"))) {
                    assertEquals(StandardCharsets.UTF_8, r.charset());
                    assertEquals("café", r.text());
                    assertEquals("café", r.text(), "the body is kept: a second call gives the same text");
                }
            }
        });
    }

    @AsyncTest
    void postSendsTheBodyWithItsLengthAndJsonComesBackParsed() throws Exception {
        serving((req, reply) -> reply.header("Content-Type", "application/json").send(
                Json.write(Map.of("method", req.method(), "type", String.valueOf(req.headers().get("Content-Type")),
                        "length", req.headers().getInt("Content-Length"), "got", Json.parse(req.text())))), server -> {
            try (HttpClient client = HttpClient.create()) {
                HttpRequest post = HttpRequest.builder(server.url("/items")).method("POST")
                        .json(Map.of("name", "lamp", "tags", List.of("a", "b"))).build();
                try (HttpResponse r = client.request(post)) {
                    Map<?, ?> answer = (Map<?, ?>) r.json();
                    assertEquals("POST", answer.get("method"));
                    assertEquals("application/json", answer.get("type"));
                    assertEquals((long) post.body().length, answer.get("length"));
                    assertEquals(Map.of("name", "lamp", "tags", List.of("a", "b")), answer.get("got"));
                }
            }
        });
    }

    @AsyncTest
    void aChunkedBodyComesOutPieceByPieceAsItArrives() throws Exception {
        serving((req, reply) -> {
            reply.startChunked();
            for (String piece : List.of("one ", "two ", "three")) {
                Asyncio.sleep(0.05);
                reply.chunk(piece);
            }
            reply.end();
        }, server -> {
            try (HttpClient client = HttpClient.create();
                 HttpResponse r = client.get(server.url("/chunked"))) {
                assertEquals(-1, r.contentLength());
                List<String> pieces = new ArrayList<>();
                for (byte[] chunk : r.chunks()) {
                    pieces.add(new String(chunk, StandardCharsets.UTF_8));
                }
                assertEquals(List.of("one ", "two ", "three"), pieces);
                assertTrue(r.consumed());
                assertTrue(r.isClosed(), "read to the end: the connection went back to the pool");
                assertEquals(1, client.idleConnections());
            }
        });
    }

    @AsyncTest
    void gzipAndDeflateBodiesAreDecompressed() throws Exception {
        byte[] text = "compress me ".repeat(1000).getBytes(StandardCharsets.UTF_8);
        serving((req, reply) -> {
            boolean gz = req.uri().equals("/gzip");
            reply.header("Content-Encoding", gz ? "gzip" : "deflate").send(gz ? gzip(text) : deflate(text));
        }, server -> {
            try (HttpClient client = HttpClient.create()) {
                for (String path : List.of("/gzip", "/deflate", "/gzip")) {
                    try (HttpResponse r = client.get(server.url(path))) {
                        assertArrayEquals(text, r.body(), path);
                        assertFalse(r.headers().contains("Content-Encoding"), "the body is no longer encoded");
                    }
                }
                assertEquals(1, server.accepted(), "compressed bodies keep the connection reusable");
            }
        });
    }

    @AsyncTest
    void readHandsOutAtMostNBytesThenAnEmptyArrayAtTheEnd() throws Exception {
        serving((req, reply) -> reply.send("0123456789"), server -> {
            try (HttpClient client = HttpClient.create();
                 HttpResponse r = client.get(server.url("/"))) {
                assertEquals(10, r.contentLength());
                assertEquals("0123", new String(r.read(4), StandardCharsets.US_ASCII));
                assertEquals("456789", new String(r.read(-1), StandardCharsets.US_ASCII));
                assertEquals(0, r.read(4).length);
                assertThrows(IllegalStateException.class, r::body, "read piece by piece: body() cannot give it all");
                assertThrows(IllegalArgumentException.class, () -> r.read(0));
            }
        });
    }

    @AsyncTest
    void responsesWithoutBodyGiveTheirConnectionBackAtOnce() throws Exception {
        serving((req, reply) -> {
            if (req.uri().equals("/nothing")) {
                reply.status(204).send(new byte[0]);
            } else {
                reply.send("a body a HEAD does not get");
            }
        }, server -> {
            try (HttpClient client = HttpClient.create()) {
                HttpResponse noContent = client.get(server.url("/nothing"));      // never closed by hand
                assertEquals(204, noContent.status());
                assertTrue(noContent.isClosed());
                assertEquals(1, client.idleConnections());
                HttpResponse head = client.request("HEAD", server.url("/page"));
                assertEquals(200, head.status());
                assertEquals(26, head.contentLength());
                assertEquals(0, head.body().length);
                assertTrue(head.isClosed());
                assertEquals(1, server.accepted());
            }
        });
    }

    @AsyncTest
    void lettersBeyondAsciiInTheUrlArePercentEncodedOnTheWire() throws Exception {
        serving((req, reply) -> reply.send(req.uri()), server -> {
            try (HttpClient client = HttpClient.create()) {
                assertEquals("/caf%C3%A9?q=%C3%BC", client.get(server.url("/caf\u00e9?q=\u00fc")).text());
                assertEquals("/already%20encoded", client.get(server.url("/already%20encoded")).text());
            }
        });
    }

    @AsyncTest
    void hostNamesWithAnUnderscoreOrLettersBeyondAsciiAreAccepted() throws Exception {
        serving((req, reply) -> reply.send(req.headers().get("Host")), server -> {
            List<String> asked = new ArrayList<>();
            try (HttpClient client = HttpClient.builder().resolver(host -> {
                asked.add(host);
                return List.of(java.net.InetAddress.getLoopbackAddress());
            }).build()) {
                int port = server.port();
                assertEquals("my_service:" + port, client.get("http://my_service:" + port + "/health").text());
                assertEquals("xn--caf-dma.example:" + port, client.get("http://Caf\u00e9.example:" + port + "/").text());
                assertEquals("xn--caf-dma.example:" + port, client.get("http://caf%C3%A9.example:" + port + "/").text());
                assertEquals(List.of("my_service", "xn--caf-dma.example"), asked, "the same origin: one connection");
            }
            for (String[] bad : List.of(new String[] {"http://my_service:99999/", "the port must be 1-65535, got 99999"},
                    new String[] {"http://my_service:8o/", "the port must be 1-65535, got 8o"},
                    new String[] {"http://u@my_service/", "user information in the URL is not supported"},
                    new String[] {"http://a..b_c/", "the host 'a..b_c' is not a valid host name"},
                    new String[] {"http://a%00b_c/", "the host 'a%00b_c' is not a valid host name"})) {
                InvalidUrlError e = assertThrows(InvalidUrlError.class, () -> HttpRequest.get(bad[0]), bad[0]);
                assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
            }
        });
    }

    @AsyncTest
    void theEmptyBodyOfA204StaysEmptyAfterItsConnectionIsReused() throws Exception {
        serving((req, reply) -> {
            if (req.uri().equals("/nothing")) {
                reply.status(204).send(new byte[0]);
            } else {
                reply.send("something");
            }
        }, server -> {
            try (HttpClient client = HttpClient.create()) {
                HttpResponse nothing = client.get(server.url("/nothing"));
                assertEquals(204, nothing.status());
                assertEquals("something", client.get(server.url("/something")).text());
                assertEquals(1, server.accepted(), "the 204's connection was reused");
                assertEquals("", nothing.text());
                assertEquals(0, nothing.body().length);
            }
        });
    }

    @AsyncTest
    void bodyAllocatesForTheBytesThatCameNotForWhatContentLengthClaims() throws Exception {
        RawServer.serving((reader, writer) -> {
            RawServer.readHead(reader);
            writer.write(RawServer.ascii("HTTP/1.1 200 OK\r\nContent-Length: 2000000000\r\n\r\nfirst piece"));
            writer.drain();
            Asyncio.sleep(0.05);
            writer.write(RawServer.ascii("second piece"));
            writer.drain();
            Asyncio.sleep(0.05);
            writer.close();
        }, (server, url) -> {
            try (HttpClient client = HttpClient.create()) {
                HttpResponse r = client.get(url + "/");
                var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
                long before = threads.getCurrentThreadAllocatedBytes();
                IncompleteBodyError e = assertThrows(IncompleteBodyError.class, r::body);
                long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                assertTrue(allocated < 64 << 20, "body() allocated " + allocated + " bytes for 23 bytes of body");
                assertEquals(23, e.received());
            }
        });
    }

    @AsyncTest
    void aBodyLongerThanMaxBodySizeIsABodyTooLargeErrorRaisedWithoutWaitingForTheRest() throws Exception {
        serving((req, reply) -> {
            reply.startChunked();
            for (int i = 0; i < 4; i++) {
                reply.chunk("0123456789");
            }
            if (req.uri().equals("/endless")) {
                Asyncio.sleep(Double.POSITIVE_INFINITY);    // and more to come, as far as the client knows
            }
            reply.end();
        }, server -> {
            assertThrows(IllegalArgumentException.class, () -> HttpClient.builder().maxBodySize(0));
            try (HttpClient client = HttpClient.builder().maxBodySize(25).build()) {
                HttpResponse r = client.get(server.url("/endless"));
                BodyTooLargeError e = assertThrows(BodyTooLargeError.class, r::body);
                assertEquals("GET " + server.url("/endless") + ": the body is longer than 25 bytes, the client's "
                        + "maxBodySize", e.getMessage());
                assertEquals(25, e.limit());
                assertTrue(r.isClosed());
                assertEquals(0, client.openConnections());

                try (HttpResponse whole = client.get(server.url("/40"))) {
                    assertThrows(BodyTooLargeError.class, whole::text);
                }
                try (HttpResponse pieces = client.get(server.url("/40"))) {
                    long[] total = {0};
                    BodyTooLargeError streamed = assertThrows(BodyTooLargeError.class, () -> {
                        for (byte[] chunk : pieces.chunks()) {
                            total[0] += chunk.length;
                        }
                    }, "read piece by piece, a body has the same limit");
                    assertEquals("GET " + server.url("/40") + ": the body is longer than 25 bytes, the client's "
                            + "maxBodySize", streamed.getMessage());
                    assertTrue(total[0] <= 25, total[0] + " bytes handed out");
                }
            }
            try (HttpClient client = HttpClient.create(); HttpResponse r = client.get(server.url("/40"))) {
                assertEquals(40, r.body().length, "no limit but an array's by default");
                assertEquals(Integer.MAX_VALUE - 8, HttpResponse.MAX_BODY);
            }
        });
    }

    @AsyncTest
    void raiseForStatusThrowsForClientAndServerErrors() throws Exception {
        serving((req, reply) -> reply.status(Integer.parseInt(req.uri().substring(1))).send("status"), server -> {
            try (HttpClient client = HttpClient.create()) {
                HttpResponse fine = client.get(server.url("/200"));
                assertEquals(fine, fine.raiseForStatus());
                fine.close();
                HttpResponse missing = client.get(server.url("/404"));
                assertFalse(missing.ok());
                HttpStatusError e = assertThrows(HttpStatusError.class, missing::raiseForStatus);
                assertEquals(404, e.status());
                assertEquals("404 Not Found for " + server.url("/404"), e.getMessage());
                assertTrue(missing.isClosed());
            }
        });
    }

    @AsyncTest
    void requestsRunConcurrentlyFromManyTasks() throws Exception {
        serving((req, reply) -> {
            Asyncio.sleep(0.1);
            reply.send(req.uri());
        }, server -> {
            try (HttpClient client = HttpClient.create()) {
                List<dev.asyncio.Task<String>> tasks = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    String path = "/" + i;
                    tasks.add(Asyncio.createTask(() -> {
                        try (HttpResponse r = client.get(server.url(path))) {
                            return r.text();
                        }
                    }));
                }
                List<String> bodies = Asyncio.gather(tasks);
                for (int i = 0; i < 20; i++) {
                    assertEquals("/" + i, bodies.get(i));
                }
                assertEquals(20, server.maxBusy(), "all twenty were in the server at once");
                assertEquals(20, client.idleConnections());
            }
        });
    }
}
