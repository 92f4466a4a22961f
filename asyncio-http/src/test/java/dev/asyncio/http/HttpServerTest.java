package dev.asyncio.http;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.Event;
import dev.asyncio.test.AsyncTest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HttpServer's HTTP/1.1 behaviour, against the project's client and raw sockets. */
class HttpServerTest {
    static String url(HttpServer s, String path) {
        return "http://127.0.0.1:" + s.port() + path;
    }

    @AsyncTest(realTime = true)
    void answersTheProjectsClientWithDateAndServerHeaders() throws Exception {
        Router router = new Router().get("/hello/{name}", (rq, rs) -> rs.send(200, "hello " + rq.pathParam("name")));
        HttpServer server = HttpServer.start(router, "127.0.0.1", 0);
        try (HttpClient client = HttpClient.create(); HttpResponse r = client.get(url(server, "/hello/ada%20l"))) {
            assertEquals(200, r.status());
            assertEquals("hello ada l", r.text());
            assertNotNull(r.headers().get("date"));
            assertEquals("asyncio-java", r.headers().get("server"));
        } finally {
            server.close();
        }
    }

    /**
     * A whole response written outside a read burst, with no pipelined request behind it, is flushed once, at
     * once by its last write, with no flush callback scheduled (counted at the head of the pipeline, where every
     * flush passes). The request's unread end in the connection's inbox is no pipelined request.
     */
    @AsyncTest(realTime = true)
    void aWholeResponseIsFlushedOnce() throws Exception {
        int[] flushes = new int[1];
        dev.asyncio.Future<Integer> counted = Asyncio.getRunningLoop().createFuture();
        HttpServer server = HttpServer.start((rq, rs) -> {
            Asyncio.sleep(0);            // past the read burst that brought the request (it flushes at its end)
            rq.connection().channel().pipeline().addFirst(new io.netty.channel.ChannelOutboundHandlerAdapter() {
                @Override
                public void flush(io.netty.channel.ChannelHandlerContext ctx) {
                    flushes[0]++;
                    ctx.flush();
                }
            });
            rs.send(200, "ok");
            int atOnce = flushes[0];
            Asyncio.sleep(0);        // two loop steps: a flush scheduled for the end of this one has run
            Asyncio.sleep(0);
            counted.setResult(atOnce * 10 + flushes[0]);
        }, "127.0.0.1", 0);
        try (RawClient c = RawClient.open(server.port())) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(c.readResponse(false).endsWith("ok"));
            assertEquals(11, counted.await(), "flushed by send() itself (tens), and once in all (units)");
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void keepAliveCarriesSeveralRequestsOnOneConnection() throws Exception {
        List<Integer> ports = new ArrayList<>();
        HttpServer server = HttpServer.start((rq, rs) -> {
            ports.add(rq.remoteAddress().getPort());
            rs.send(200, "ok");
        }, "127.0.0.1", 0);
        try (HttpClient client = HttpClient.create()) {
            for (int i = 0; i < 3; i++) {
                try (HttpResponse r = client.get(url(server, "/"))) {
                    assertEquals("ok", r.text());
                }
            }
            assertEquals(1, ports.stream().distinct().count(), "one connection: " + ports);
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void pipelinedRequestsAreAnsweredInOrderEvenWhenTheFirstIsSlowest() throws Exception {
        Event release = new Event();
        HttpServer server = HttpServer.start((rq, rs) -> {
            if (rq.path().equals("/slow")) {
                release.await();
            }
            rs.send(200, rq.path());
        }, "127.0.0.1", 0);
        try (RawClient c = RawClient.open(server.port())) {
            c.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\n\r\nGET /last HTTP/1.1\r\nHost: x\r\n\r\n");
            Asyncio.createTask(() -> release.set());
            assertTrue(c.readResponse(false).endsWith("/slow"));
            assertTrue(c.readResponse(false).endsWith("/fast"));
            assertTrue(c.readResponse(false).endsWith("/last"));
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void bodyless304And204WithoutContentLengthKeepTheConnection() throws Exception {
        Router router = new Router()
                .get("/not-modified", (rq, rs) -> rs.status(304).end())
                .get("/no-content", (rq, rs) -> rs.send(204, new byte[0]))
                .get("/streamed-304", (rq, rs) -> {
                    rs.status(304).write(new byte[0]);      // a head without a length, then ended
                    rs.end();
                })
                .get("/ok", (rq, rs) -> rs.send(200, "ok"));
        HttpServer server = HttpServer.start(router, "127.0.0.1", 0);
        try (RawClient c = RawClient.open(server.port())) {
            for (String path : new String[] {"/not-modified", "/no-content", "/streamed-304"}) {
                c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
                String head = c.readResponse(true);
                assertFalse(head.toLowerCase().contains("connection: close"), path + ": " + head);
                assertFalse(head.toLowerCase().contains("transfer-encoding"), path + ": " + head);
                c.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
                assertTrue(c.readResponse(false).endsWith("\r\n\r\nok"), "the connection stayed open after " + path);
            }
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void chunkedRequestBodyIsReadAndAStreamedResponseIsChunked() throws Exception {
        HttpServer server = HttpServer.start((rq, rs) -> {
            byte[] body = rq.body();
            rs.header("Content-Type", "text/plain");
            rs.write("got ");
            rs.write(body);
            rs.end();
        }, "127.0.0.1", 0);
        try (RawClient c = RawClient.open(server.port())) {
            c.send("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
            String r = c.readResponse(false);
            assertTrue(r.startsWith("HTTP/1.1 200 OK\r\n"), r);
            assertTrue(r.toLowerCase().contains("transfer-encoding: chunked"), r);
            assertTrue(r.endsWith("4\r\ngot \r\n5\r\nabcde\r\n0\r\n\r\n"), r);
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void headGetsTheLengthButNoBody() throws Exception {
        HttpServer server = HttpServer.start(new Router().get("/", (rq, rs) -> rs.send(200, "twelve bytes")), "127.0.0.1", 0);
        try (RawClient c = RawClient.open(server.port())) {
            c.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
            String head = c.readResponse(true);
            assertTrue(head.contains("content-length: 12"), head);
            String get = c.readResponse(false);
            assertTrue(get.startsWith("HTTP/1.1 200 OK") && get.endsWith("twelve bytes"), get);
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void expectContinueIsAnsweredWhenTheHandlerReadsTheBody() throws Exception {
        HttpServer server = HttpServer.start((rq, rs) -> rs.send(200, "read " + rq.text()), "127.0.0.1", 0);
        try (RawClient c = RawClient.open(server.port())) {
            c.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            String cont = c.readResponse(true);
            assertTrue(cont.startsWith("HTTP/1.1 100 Continue\r\n"), cont);
            c.send("hello");
            assertTrue(c.readResponse(false).endsWith("read hello"));
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void aHandlerExceptionIsA500WithoutTheStackTraceAndIsReportedOnce(AsyncLoop loop) throws Exception {
        List<Map<String, Object>> reported = new ArrayList<>();
        loop.setExceptionHandler((l, context) -> reported.add(context));
        HttpServer server = HttpServer.start((rq, rs) -> {
            throw new IllegalStateException("secret detail");
        }, "127.0.0.1", 0);
        try (HttpClient client = HttpClient.create(); HttpResponse r = client.get(url(server, "/x"))) {
            assertEquals(500, r.status());
            String body = r.text();
            assertFalse(body.contains("secret") || body.contains("IllegalStateException"), body);
            assertEquals(1, reported.size());
            assertEquals("secret detail", ((Throwable) reported.get(0).get("exception")).getMessage());
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void headerInjectionInAResponseIsRefusedBeforeAnythingIsWritten() throws Exception {
        HttpServer server = HttpServer.start((rq, rs) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> rs.header("X-Name", "a\r\nSet-Cookie: evil=1"));
            assertTrue(e.getMessage().contains("CR, LF"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> rs.header("Bad Name", "v"));
            rs.send(200, "clean");
        }, "127.0.0.1", 0);
        try (HttpClient client = HttpClient.create(); HttpResponse r = client.get(url(server, "/"))) {
            assertEquals("clean", r.text());
            assertEquals(null, r.headers().get("set-cookie"));
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void routerAnswers404And405WithAllow() throws Exception {
        Router router = new Router()
                .get("/todos/{id}", (rq, rs) -> rs.send(200, "todo"))
                .delete("/todos/{id}", (rq, rs) -> rs.send(204, ""));
        HttpServer server = HttpServer.start(router, "127.0.0.1", 0);
        try (HttpClient client = HttpClient.create()) {
            try (HttpResponse r = client.get(url(server, "/nothing"))) {
                assertEquals(404, r.status());
            }
            try (HttpResponse r = client.request("POST", url(server, "/todos/1"))) {
                assertEquals(405, r.status());
                assertEquals("DELETE, GET, HEAD", r.headers().get("allow"));
            }
            try (HttpResponse r = client.request("DELETE", url(server, "/todos/1"))) {
                assertEquals(204, r.status());
            }
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void middlewareRunsInOrderAroundTheRouteAndMapsErrors() throws Exception {
        List<String> log = new ArrayList<>();
        Router router = new Router()
                .use((rq, rs, next) -> {
                    log.add("outer in");
                    next.handle(rq, rs);
                    log.add("outer out " + rs.status());
                })
                .use((rq, rs, next) -> {
                    try {
                        next.handle(rq, rs);
                    } catch (java.util.NoSuchElementException e) {
                        throw new ErrorResponse(404, "no such thing");
                    }
                })
                .get("/missing", (rq, rs) -> {
                    throw new java.util.NoSuchElementException("x");
                });
        HttpServer server = HttpServer.start(router, "127.0.0.1", 0);
        try (HttpClient client = HttpClient.create(); HttpResponse r = client.get(url(server, "/missing"))) {
            assertEquals(404, r.status());
            assertEquals("no such thing\n", r.text());
            assertEquals(List.of("outer in"), log, "the mapped error passes the outer middleware as an exception");
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void jsonInAndOut() throws Exception {
        HttpServer server = HttpServer.start((rq, rs) -> {
            Map<?, ?> in = (Map<?, ?>) rq.json();
            rs.json(201, Map.of("echo", in.get("name")));
        }, "127.0.0.1", 0);
        try (HttpClient client = HttpClient.create();
             HttpResponse r = client.request(HttpRequest.builder(url(server, "/")).method("POST").json(Map.of("name", "ada")).build())) {
            assertEquals(201, r.status());
            assertEquals(Map.of("echo", "ada"), r.json());
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void serverSentEventsAreStreamedAsTheyAreSent() throws Exception {
        Event second = new Event();
        HttpServer server = HttpServer.start((rq, rs) -> {
            rs.sendEvent(null, "first");
            second.await();
            rs.sendEvent("tick", "a\nb");
            rs.end();
        }, "127.0.0.1", 0);
        try (HttpClient client = HttpClient.create(); HttpResponse r = client.get(url(server, "/"))) {
            assertEquals("text/event-stream; charset=utf-8", r.headers().get("content-type"));
            assertEquals("data: first\n\n", new String(r.read(1000), StandardCharsets.UTF_8));
            second.set();
            assertEquals("event: tick\ndata: a\ndata: b\n\n", r.text());
        } finally {
            server.close();
        }
    }
}
