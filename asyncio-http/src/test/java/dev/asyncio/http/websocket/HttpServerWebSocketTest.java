package dev.asyncio.http.websocket;

import dev.asyncio.Asyncio;
import dev.asyncio.http.HttpClient;
import dev.asyncio.http.HttpResponse;
import dev.asyncio.http.HttpServer;
import dev.asyncio.http.Router;
import dev.asyncio.test.AsyncTest;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** WebSocket routes on {@link HttpServer}: {@link Router#websocket} next to ordinary routes on the same port. */
class HttpServerWebSocketTest {
    @AsyncTest
    void aRouterServesWebSocketsAndPlainRequestsOnOnePort() {
        Router router = new Router()
                .get("/hello", (rq, rs) -> rs.send(200, "hello"))
                .websocket("/rooms/{room}", WebSocketOptions.builder().subprotocols(List.of("chat")).build(), ws -> {
                    while (ws.receive() instanceof WebSocketMessage.Text t) {
                        ws.send("room echo: " + t.text());
                    }
                });
        HttpServer server = HttpServer.start(router, "127.0.0.1", 0);
        try {
            String base = "127.0.0.1:" + server.port();
            try (WebSocket ws = WebSocketClient.connect("ws://" + base + "/rooms/blue",
                    WebSocketOptions.builder().subprotocols(List.of("chat")).build())) {
                assertEquals("chat", ws.subprotocol());
                ws.send("hi");
                assertEquals(new WebSocketMessage.Text("room echo: hi"), ws.receive());
            }
            try (HttpClient http = HttpClient.create()) {
                try (HttpResponse r = http.get("http://" + base + "/hello")) {
                    assertEquals("hello", r.text());
                }
                try (HttpResponse r = http.get("http://" + base + "/rooms/blue")) {
                    assertEquals(426, r.status(), "a plain GET on a WebSocket route");
                    assertEquals("websocket", r.headers().get("Upgrade"));
                }
            }
            WebSocketHandshakeError e = org.junit.jupiter.api.Assertions.assertThrows(WebSocketHandshakeError.class,
                    () -> WebSocketClient.connect("ws://" + base + "/nowhere"));
            assertEquals(404, e.status());
        } finally {
            server.close();
        }
    }

    @AsyncTest
    void aHandlerSeesTheUpgradeRequestsPathParametersQueryAndHeaders() {
        // snippet:request
        Router router = new Router().websocket("/rooms/{room}", ws -> {
            WebSocketRequest r = ws.request();
            if (!"secret".equals(r.header("X-Token"))) {
                ws.close(WebSocketCloseCodes.POLICY_VIOLATION, "not allowed");
                return;
            }
            String room = r.pathParam("room");
            String user = r.query("user");
            // end-snippet
            ws.send(room + " " + user + " " + r.path() + " " + r.target() + " "
                    + r.headerValues("x-tag") + " " + r.pathParams() + " " + r.queryParams() + " "
                    + r.remoteAddress().getAddress().getHostAddress() + " " + unmodifiable(r));
            ws.receive();
        });
        HttpServer server = HttpServer.start(router, "127.0.0.1", 0);
        try {
            String url = "ws://127.0.0.1:" + server.port() + "/rooms/blue%20sky?user=ann";
            try (WebSocket ws = WebSocketClient.connect(url, WebSocketOptions.builder()
                    .header("X-Token", "secret").header("X-Tag", "a").build())) {
                assertEquals(new WebSocketMessage.Text("blue sky ann /rooms/blue sky /rooms/blue%20sky?user=ann [a] "
                        + "{room=blue sky} {user=[ann]} 127.0.0.1 unmodifiable"), ws.receive());
                assertEquals(null, ws.request(), "the client side has no upgrade request of its own");
            }
            try (WebSocket ws = WebSocketClient.connect(url)) {
                assertEquals(new WebSocketMessage.Close(WebSocketCloseCodes.POLICY_VIOLATION, "not allowed"), ws.receive(),
                        "no token: the handler refused");
            }
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void theJdkClientTalksToARouterRoute() throws Exception {
        HttpServer server = HttpServer.start(new Router().websocket("/ws", ws -> {
            WebSocketMessage m = ws.receive();
            ws.send("got " + ((WebSocketMessage.Text) m).text());
            assertInstanceOf(WebSocketMessage.Close.class, ws.receive());
        }), "127.0.0.1", 0);
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            CompletableFuture<String> heard = new CompletableFuture<>();
            CompletableFuture<String> closed = new CompletableFuture<>();
            java.net.http.WebSocket jdk = Asyncio.await(http.newWebSocketBuilder().buildAsync(
                    URI.create("ws://127.0.0.1:" + server.port() + "/ws"), new java.net.http.WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data, boolean last) {
                            heard.complete(data.toString());
                            w.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(java.net.http.WebSocket w, int code, String reason) {
                            closed.complete(code + " " + reason);
                            return null;
                        }
                    }));
            Asyncio.await(jdk.sendText("ping", true));
            assertEquals("got ping", Asyncio.await(heard));
            Asyncio.await(jdk.sendClose(1000, "thanks"));
            assertEquals("1000 thanks", Asyncio.await(closed));
            assertTrue(jdk.isInputClosed());
        } finally {
            server.close();
        }
    }

    /** A server whose WebSocket route echoes until the peer goes; the client has seen one echo when it returns. */
    private static WebSocket connectToEchoRoute(HttpServer server) {
        WebSocket ws = WebSocketClient.connect("ws://127.0.0.1:" + server.port() + "/ws");
        ws.send("hi");
        assertEquals(new WebSocketMessage.Text("hi"), ws.receive());      // its handler is running
        return ws;
    }

    private static HttpServer echoServer() {
        return HttpServer.start(new Router().websocket("/ws", ws -> {
            while (ws.receive() instanceof WebSocketMessage.Text t) {
                ws.send(t.text());
            }
        }), "127.0.0.1", 0);
    }

    @AsyncTest
    void closingTheServerTellsWebSocketPeersItIsGoingAway() {
        HttpServer server = echoServer();
        try (WebSocket ws = connectToEchoRoute(server)) {
            server.close();       // the handler is cancelled first: 1001 goes out before the connection closes
            assertEquals(new WebSocketMessage.Close(1001, "server shutting down"), ws.receive());
            server.waitClosed();
            assertEquals(0, server.connections());
        } finally {
            server.close();
        }
    }

    @AsyncTest
    void aGracefulShutdownTellsWebSocketPeersItIsGoingAwayAtOnce() {
        HttpServer server = echoServer();
        try (WebSocket ws = connectToEchoRoute(server)) {
            dev.asyncio.Task<Void> stopping = Asyncio.createTask(() -> server.shutdown(30));
            // Not at the end of the grace period: a WebSocket is never idle, so it is told to go at once.
            assertEquals(new WebSocketMessage.Close(1001, "server shutting down"), ws.receive());
            stopping.await();
            assertEquals(0, server.connections());
        } finally {
            server.close();
        }
    }

    /** Whether a WebSocketRequest's query parameters refuse changes (it is immutable), the map and its lists. */
    private static String unmodifiable(WebSocketRequest r) {
        try {
            r.queryParams().put("x", java.util.List.of());
            return "the map can be changed";
        } catch (UnsupportedOperationException expected) {
            // as it should
        }
        try {
            r.queryParams().get("user").add("eve");
            return "a list can be changed";
        } catch (UnsupportedOperationException expected) {
            return "unmodifiable";
        }
    }
}
