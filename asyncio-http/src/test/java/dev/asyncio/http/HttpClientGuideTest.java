package dev.asyncio.http;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Task;
import dev.asyncio.net.ConnectionRefusedError;
import dev.asyncio.net.NameResolutionError;
import dev.asyncio.net.SslError;
import dev.asyncio.test.AsyncTest;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static dev.asyncio.http.TestServer.serving;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The code of docs/guides/http-client.md, run against local servers. */
class HttpClientGuideTest {
    private static final TestServer.Handler API = (req, reply) -> {
        switch (req.uri()) {
            case "/items" -> reply.status(201).header("Content-Type", "application/json")
                    .send(Json.write(Map.of("id", 7, "got", Json.parse(req.text()),
                            "auth", String.valueOf(req.headers().get("Authorization")))));
            case "/big" -> {
                reply.startChunked();
                for (int i = 0; i < 100; i++) {
                    reply.chunk("x".repeat(10_000));
                }
                reply.end();
            }
            case "/slow" -> {
                Asyncio.sleep(5);
                reply.send("late");
            }
            case "/missing" -> reply.status(404).send("no");
            default -> reply.header("Content-Type", "text/html; charset=utf-8").send("<h1>hello</h1>");
        }
    };

    @AsyncTest
    void aFirstRequest() throws Exception {
        serving(API, server -> {
            String url = server.url("/");
            String line;
            String page;
            // snippet:first-request
            try (HttpClient client = HttpClient.create()) {               // belongs to the running loop
                try (HttpResponse r = client.get(url)) {                    // suspends until the head arrives
                    line = r.status() + " " + r.headers().get("content-type");
                    page = r.text();                                        // suspends until the body is in
                }
            }
            // end-snippet
            assertEquals("200 text/html; charset=utf-8", line);
            assertEquals("<h1>hello</h1>", page);
        });
    }

    @AsyncTest
    void postingJson() throws Exception {
        serving(API, server -> {
            String url = server.url("");
            String token = "t0k3n";
            try (HttpClient client = HttpClient.create()) {
                Map<?, ?> item;
                // snippet:post-json
                HttpRequest create = HttpRequest.builder(url + "/items")
                        .method("POST")
                        .header("Authorization", "Bearer " + token)
                        .json(Map.of("name", "lamp", "price", 12.5))       // Content-Type: application/json
                        .build();
                try (HttpResponse r = client.request(create)) {
                    item = (Map<?, ?>) r.raiseForStatus().json();          // Map, List, String, Long, Double...
                }
                // end-snippet
                assertEquals(7L, item.get("id"));
                assertEquals(Map.of("name", "lamp", "price", 12.5), item.get("got"));
                assertEquals("Bearer t0k3n", item.get("auth"));
            }
        });
    }

    @AsyncTest
    void streamingABody() throws Exception {
        serving(API, server -> {
            String url = server.url("");
            try (HttpClient client = HttpClient.create()) {
                // snippet:streaming
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                long size = 0;
                try (HttpResponse r = client.get(url + "/big")) {
                    for (byte[] chunk : r.chunks()) {          // suspends until the next piece arrives
                        sha.update(chunk);                     // never more than 64 KiB waiting here
                        size += chunk.length;
                    }
                }
                String digest = HexFormat.of().formatHex(sha.digest());
                // end-snippet
                assertEquals(1_000_000, size);
                assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest("x".repeat(1_000_000).getBytes())), digest);
            }
        });
    }

    @AsyncTest
    void configuringTheClient() throws Exception {
        serving(API, server -> {
            // snippet:configure
            HttpClient client = HttpClient.builder()
                    .maxConnections(50)                    // open at once, all origins together (100)
                    .maxConnectionsPerHost(10)             // open at once to one scheme://host:port (no limit)
                    .idleTimeout(30)                       // seconds a keep-alive connection waits for reuse (15)
                    .timeout(ClientTimeout.DEFAULT.withTotal(10))
                    .maxRedirects(5)                       // (10)
                    .build();
            // end-snippet
            try (client) {
                List<Task<String>> pages = List.of(
                        Asyncio.createTask(() -> client.get(server.url("/a")).text()),
                        Asyncio.createTask(() -> client.get(server.url("/b")).text()));
                assertEquals(List.of("<h1>hello</h1>", "<h1>hello</h1>"), Asyncio.gather(pages));
            }
        });
    }

    @AsyncTest
    void timeLimits() throws Exception {
        serving(API, server -> {
            String url = server.url("");
            try (HttpClient client = HttpClient.create()) {
                String outcome;
                // snippet:timeouts
                HttpRequest impatient = HttpRequest.builder(url + "/slow")
                        .timeout(ClientTimeout.DEFAULT.withRead(0.5))   // half a second without a byte is too long
                        .build();
                try (HttpResponse r = client.request(impatient)) {
                    outcome = r.text();
                } catch (ReadTimeoutError e) {
                    outcome = "gave up: " + e.getMessage();            // the connection was closed, not pooled
                }
                // end-snippet
                assertTrue(outcome.startsWith("gave up: GET " + url + "/slow: no data from the server for 0.500 s"), outcome);
            }
        });
    }

    /** The error handling the guide shows, as a method. */
    // snippet:errors
    static String fetchOrExplain(HttpClient client, String url) {
        try (HttpResponse r = client.get(url)) {
            return r.raiseForStatus().text();
        } catch (HttpStatusError e) {
            return "the server said " + e.status();
        } catch (NameResolutionError | ConnectionRefusedError e) {
            return "nobody there: " + e.getMessage();
        } catch (SslError e) {
            return "not the server it claims to be: " + e.getMessage();
        } catch (HttpTimeoutError e) {
            return "too slow: " + e.getMessage();
        }
    }
    // end-snippet

    @AsyncTest
    void errorsNamedForWhatHappened() throws Exception {
        serving(API, server -> {
            try (HttpClient client = HttpClient.create()) {
                assertEquals("<h1>hello</h1>", fetchOrExplain(client, server.url("/")));
                assertEquals("the server said 404", fetchOrExplain(client, server.url("/missing")));
                assertTrue(fetchOrExplain(client, "http://127.0.0.1:1/").startsWith("nobody there: cannot connect"));
                assertTrue(fetchOrExplain(client, "https://127.0.0.1:" + server.port() + "/")
                        .startsWith("not the server it claims to be: "));
            }
        });
    }

    @AsyncTest
    void trustingACertificate() throws Exception {
        SslContext serverTls = TestCertificates.server(TestCertificates.SELF_SIGNED);
        java.security.cert.X509Certificate myCertificate = TestCertificates.SELF_SIGNED.getCertificate();
        serving(API, serverTls, server -> {
            String url = "https://localhost:" + server.port() + "/";
            String page;
            // snippet:tls
            SslContext trustMine = SslContextBuilder.forClient()
                    .trustManager(myCertificate)          // or a PEM file; the JDK's authorities otherwise
                    .build();
            try (HttpClient client = HttpClient.builder().ssl(trustMine).build()) {
                page = client.get(url).text();            // the host name is checked against the certificate
            }
            // end-snippet
            assertEquals("<h1>hello</h1>", page);
        });
    }

    @AsyncTest
    void cancellingADownload() throws Exception {
        serving((req, reply) -> {
            reply.startChunked();
            while (true) {
                reply.chunk("tick ");
                Asyncio.sleep(0.1);
            }
        }, server -> {
            String url = server.url("");
            try (HttpClient client = HttpClient.create()) {
                // snippet:cancel
                Task<String> download = Asyncio.createTask(() -> client.get(url + "/endless").text());
                Asyncio.sleep(1);
                download.cancel();            // its connection is closed: half a body cannot be reused
                // end-snippet
                assertThrows(CancelledError.class, download::await);
                assertEquals(0, client.openConnections());
            }
        });
    }
}
