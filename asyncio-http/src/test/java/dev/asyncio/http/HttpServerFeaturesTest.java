package dev.asyncio.http;

import dev.asyncio.Asyncio;
import dev.asyncio.Event;
import dev.asyncio.Task;
import dev.asyncio.test.AsyncTest;
import io.netty.handler.codec.DateFormatter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Date;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static dev.asyncio.http.HttpServerTest.url;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Static files (sendfile, Range, If-Modified-Since, no traversal), gzip, TLS, shutdown, upgrade, backpressure; other clients. */
class HttpServerFeaturesTest {
    @TempDir
    Path dir;

    private Router files() throws Exception {
        Files.writeString(dir.resolve("hello.txt"), "0123456789");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/index.html"), "<p>index</p>");
        Files.setLastModifiedTime(dir.resolve("hello.txt"), FileTime.fromMillis(1_700_000_000_000L));
        Files.writeString(dir.getParent().resolve("secret-" + dir.getFileName() + ".txt"), "secret");
        return new Router().staticFiles("/static", dir);
    }

    @AsyncTest(realTime = true)
    void aFilesAttributesAreReadOffTheLoopSoASlowFileSystemDoesNotStallIt() throws Exception {
        BlockingPath slow = new BlockingPath(2);
        HttpServer server = HttpServer.start((rq, rs) -> rs.sendFile(slow.path), "127.0.0.1", 0);
        try (HttpClient client = HttpClient.create()) {
            // Runs on the loop: it can release the blocked read only if the loop is not the thread blocked in it.
            Task<Void> releaser = Asyncio.createTask(() -> {
                Asyncio.await(slow.entered);
                slow.release();
            });
            try (HttpResponse r = client.get(url(server, "/file.txt"))) {
                assertEquals(404, r.status());
            }
            releaser.await();
            assertFalse(slow.timedOut(), "the attribute read blocked the loop until it gave up");
        } finally {
            server.close();
        }
    }

    /**
     * A file that cannot be opened after its attributes were read (it vanished) is a whole 404, over TLS as on a
     * plain connection: it is opened before anything is written, not after a head with its Content-Length.
     */
    @AsyncTest(realTime = true)
    void aFileThatCannotBeOpenedIsA404NotAHeadAndACutConnection() throws Exception {
        Files.writeString(dir.resolve("gone.txt"), "0123456789");
        Path gone = BlockingPath.vanishing(dir.resolve("gone.txt"));
        HttpServer plain = HttpServer.start((rq, rs) -> rs.sendFile(gone), "127.0.0.1", 0);
        HttpServer tls = HttpServer.builder((rq, rs) -> rs.sendFile(gone))
                .ssl(TestCertificates.server(TestCertificates.SELF_SIGNED)).start("127.0.0.1", 0);
        try (HttpClient client = HttpClient.builder().ssl(TestCertificates.trusting(TestCertificates.SELF_SIGNED)).build()) {
            for (String url : List.of(url(plain, "/gone.txt"), "https://localhost:" + tls.port() + "/gone.txt")) {
                try (HttpResponse r = client.get(url)) {
                    assertEquals(404, r.status(), url);
                    assertEquals("Not Found\n", r.text(), url);
                }
            }
        } finally {
            plain.close();
            tls.close();
        }
    }

    @AsyncTest(realTime = true)
    void staticFilesAreServedWithRangeAndIfModifiedSince() throws Exception {
        HttpServer server = HttpServer.start(files(), "127.0.0.1", 0);
        try (RawClient c = RawClient.open(server.port())) {
            c.send("GET /static/hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            String whole = c.readResponse(false).toLowerCase();
            assertTrue(whole.startsWith("http/1.1 200 ok") && whole.endsWith("\r\n\r\n0123456789"), whole);
            assertTrue(whole.contains("content-type: text/plain; charset=utf-8"), whole);
            assertTrue(whole.contains("last-modified: " + DateFormatter.format(new Date(1_700_000_000_000L)).toLowerCase()), whole);

            c.send("GET /static/hello.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=2-4\r\n\r\n");
            String part = c.readResponse(false).toLowerCase();
            assertTrue(part.startsWith("http/1.1 206 partial content") && part.endsWith("\r\n\r\n234"), part);
            assertTrue(part.contains("content-range: bytes 2-4/10"), part);

            c.send("GET /static/hello.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=-3\r\n\r\n");
            assertTrue(c.readResponse(false).endsWith("\r\n\r\n789"));

            c.send("GET /static/hello.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=20-\r\n\r\n");
            String unsatisfiable = c.readResponse(false).toLowerCase();
            assertTrue(unsatisfiable.startsWith("http/1.1 416") && unsatisfiable.contains("content-range: bytes */10"), unsatisfiable);

            c.send("GET /static/hello.txt HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: "
                    + DateFormatter.format(new Date(1_700_000_000_000L)) + "\r\n\r\n");
            assertTrue(c.readResponse(true).startsWith("HTTP/1.1 304 Not Modified"));

            c.send("HEAD /static/hello.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /static/sub/ HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(c.readResponse(true).toLowerCase().contains("content-length: 10"));
            assertTrue(c.readResponse(false).endsWith("<p>index</p>"));
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void noPathLeadsOutOfTheDirectory() throws Exception {
        HttpServer server = HttpServer.start(files(), "127.0.0.1", 0);
        String secret = "secret-" + dir.getFileName() + ".txt";
        try (RawClient c = RawClient.open(server.port())) {
            for (String path : List.of("/static/../" + secret, "/static/%2e%2e/" + secret, "/static/..%2f" + secret,
                    "/static/sub/..%5c..%5c" + secret, "/static/%00", "/static/nothing")) {
                c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
                String r = c.readResponse(false);
                assertTrue(r.startsWith("HTTP/1.1 404") || r.startsWith("HTTP/1.1 400"), path + ": " + r);
                assertFalse(r.contains("secret\n") || r.endsWith("secret"), path + ": " + r);
            }
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void bodiesAreGzippedWhenTheClientAcceptsIt() throws Exception {
        String text = "compress me ".repeat(200);
        HttpServer server = HttpServer.builder((rq, rs) -> rs.send(200, text)).compression(true).start("127.0.0.1", 0);
        try {
            java.net.http.HttpClient jdk = java.net.http.HttpClient.newHttpClient();
            java.net.http.HttpResponse<byte[]> r = Asyncio.toThread(() -> jdk.send(
                    java.net.http.HttpRequest.newBuilder(URI.create(url(server, "/"))).header("Accept-Encoding", "gzip").build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray()));
            assertEquals("gzip", r.headers().firstValue("content-encoding").orElse(null));
            assertTrue(r.body().length < text.length() / 4, "compressed to " + r.body().length);
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
                assertEquals(text, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            java.net.http.HttpResponse<String> plain = Asyncio.toThread(() -> jdk.send(
                    java.net.http.HttpRequest.newBuilder(URI.create(url(server, "/"))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()));
            assertTrue(plain.headers().firstValue("content-encoding").isEmpty());
            assertEquals(text, plain.body());
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void theJdkClientPostsAChunkedBodyAndReadsAStreamedOne() throws Exception {
        HttpServer server = HttpServer.start((rq, rs) -> {
            byte[] body = rq.body();
            for (int i = 0; i < 3; i++) {
                rs.write("part" + i + ":" + body.length + ";");
                rs.drain();
            }
            rs.end();
        }, "127.0.0.1", 0);
        try {
            java.net.http.HttpClient jdk = java.net.http.HttpClient.newHttpClient();
            byte[] payload = new byte[100_000];
            java.net.http.HttpResponse<String> r = Asyncio.toThread(() -> jdk.send(
                    java.net.http.HttpRequest.newBuilder(URI.create(url(server, "/up")))
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(payload)))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()));
            assertEquals(200, r.statusCode());
            assertEquals("part0:100000;part1:100000;part2:100000;", r.body());
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void curlGetsAndPostsAndSeesHead() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed at /usr/bin/curl");
        HttpServer server = HttpServer.builder(new Router()
                .get("/hi", (rq, rs) -> rs.send(200, "hi curl"))
                .post("/echo", (rq, rs) -> rs.send(200, rq.text().toUpperCase()))).compression(true).start("127.0.0.1", 0);
        try {
            assertEquals("hi curl", curl("-s", "--compressed", url(server, "/hi")));
            assertEquals("ABC", curl("-s", "-H", "Expect: 100-continue", "--data-binary", "abc", url(server, "/echo")));
            String head = curl("-s", "-I", url(server, "/hi"));
            assertTrue(head.startsWith("HTTP/1.1 200 OK") && head.toLowerCase().contains("content-length: 7"), head);
        } finally {
            server.close();
        }
    }

    private static String curl(String... args) throws Exception {
        return Asyncio.toThread(() -> {
            List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/curl", "--max-time", "10"));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), out);
            return out;
        });
    }

    @AsyncTest(realTime = true)
    void httpsWithTheProjectsClient() throws Exception {
        HttpServer server = HttpServer.builder((rq, rs) -> rs.send(200, "over tls " + rq.path()))
                .ssl(TestCertificates.server(TestCertificates.SELF_SIGNED)).start("127.0.0.1", 0);
        try (HttpClient client = HttpClient.builder().ssl(TestCertificates.trusting(TestCertificates.SELF_SIGNED)).build();
             HttpResponse r = client.get("https://localhost:" + server.port() + "/x")) {
            assertEquals("over tls /x", r.text());
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void staticFilesOverTlsGoInChunks() throws Exception {
        byte[] big = new byte[200_000];
        new java.util.Random(1).nextBytes(big);
        Files.write(dir.resolve("big.bin"), big);
        HttpServer server = HttpServer.builder(new Router().staticFiles("/", dir))
                .ssl(TestCertificates.server(TestCertificates.SELF_SIGNED)).start("127.0.0.1", 0);
        try (HttpClient client = HttpClient.builder().ssl(TestCertificates.trusting(TestCertificates.SELF_SIGNED)).build();
             HttpResponse r = client.get("https://localhost:" + server.port() + "/big.bin")) {
            assertArrayEquals(big, r.body());
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void shutdownLetsTheRequestInFlightFinishAndRefusesNewConnections() throws Exception {
        Event entered = new Event();
        Event release = new Event();
        HttpServer server = HttpServer.start((rq, rs) -> {
            entered.set();
            release.await();
            rs.send(200, "finished");
        }, "127.0.0.1", 0);
        int port = server.port();
        try (HttpClient client = HttpClient.create()) {
            Task<String> inFlight = Asyncio.createTask(() -> {
                try (HttpResponse r = client.get(url(server, "/"))) {
                    return r.status() + " " + r.text() + " " + r.headers().get("connection");
                }
            });
            entered.await();
            Task<Void> stopping = Asyncio.createTask(() -> server.shutdown(30));
            Asyncio.sleep(0);
            assertFalse(server.isServing());
            assertThrows(dev.asyncio.net.ConnectionError.class, () -> RawClient.open(port));
            release.set();
            assertEquals("200 finished close", inFlight.await());
            stopping.await();
            assertEquals(0, server.connections());
        }
    }

    @AsyncTest(realTime = true)
    void shutdownLetsAJustAcceptedConnectionSendItsFirstRequest() throws Exception {
        HttpServer server = HttpServer.start((rq, rs) -> rs.send(200, "answered"), "127.0.0.1", 0);
        try (RawClient c = RawClient.open(server.port())) {
            while (server.connections() == 0) {
                Asyncio.sleep(0.001);     // until the server has accepted it
            }
            Task<Void> stopping = Asyncio.createTask(() -> server.shutdown(30));
            Asyncio.sleep(0);
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            String all = c.readAll();
            assertTrue(all.startsWith("HTTP/1.1 200 OK") && all.toLowerCase().contains("connection: close")
                    && all.endsWith("answered"), all);
            stopping.await();
        }
    }

    @AsyncTest(realTime = true)
    void shutdownCutsARequestStillRunningAfterTheGracePeriod() throws Exception {
        Event entered = new Event();
        HttpServer server = HttpServer.start((rq, rs) -> {
            entered.set();
            new Event().await();          // never answers
        }, "127.0.0.1", 0);
        try (RawClient c = RawClient.open(server.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            entered.await();
            server.shutdown(0.1);
            assertEquals("", c.readAll());
            assertEquals(0, server.connections());
        }
    }

    @AsyncTest(realTime = true)
    void aHandlerCanTakeTheConnectionOver() throws Exception {
        HttpServer server = HttpServer.start((rq, rs) -> {
            UpgradedConnection up = rq.upgrade();
            assertEquals("echo", up.request().headers().get("upgrade"));
            assertThrows(IllegalStateException.class, () -> rs.send(200, "too late"));
            up.request().release();
            // Speak raw bytes: switch the codec off and answer by hand.
            up.channel().pipeline().remove(io.netty.handler.codec.http.HttpRequestDecoder.class);
            up.channel().pipeline().remove(io.netty.handler.codec.http.HttpResponseEncoder.class);
            up.channel().writeAndFlush(io.netty.buffer.Unpooled.copiedBuffer(
                    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\nswitched", StandardCharsets.US_ASCII))
                    .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
        }, "127.0.0.1", 0);
        try (RawClient c = RawClient.open(server.port())) {
            c.send("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n");
            String all = c.readAll();
            assertTrue(all.startsWith("HTTP/1.1 101 Switching Protocols") && all.endsWith("\r\n\r\nswitched"), all);
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void aSlowHandlerPushesBackOnTheClientThroughTcp() throws Exception {
        Event go = new Event();
        long[] readBeforeGo = new long[1];
        HttpServer server = HttpServer.builder((rq, rs) -> {
            byte[] first = rq.read();
            go.await();
            long n = first.length;
            for (byte[] b = rq.read(); b != null; b = rq.read()) {
                n += b.length;
            }
            rs.send(200, "read " + n);
        }).limits(ServerLimits.builder().maxBodySize(64L << 20).bodyBuffer(16 * 1024).build()).start("127.0.0.1", 0);
        long total = 32L << 20;
        try (RawClient c = RawClient.open(server.port())) {
            c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + total + "\r\n\r\n");
            // The writer is told to wait (drain) long before 32 MiB went out: the server stopped reading.
            Task<Long> writer = Asyncio.createTask(() -> {
                byte[] block = new byte[64 * 1024];
                long sent = 0;
                while (sent < total) {
                    c.sendBytes(block);
                    sent += block.length;
                }
                return sent;
            });
            while (!c.writerPaused()) {
                Asyncio.sleep(0.01);
            }
            assertFalse(writer.done(), "the client could not send the whole body while the handler read nothing");
            go.set();
            assertEquals(total, writer.await());
            assertTrue(c.readResponse(false).endsWith("read " + total));
        } finally {
            server.close();
        }
    }
}
