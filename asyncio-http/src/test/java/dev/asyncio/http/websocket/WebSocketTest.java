package dev.asyncio.http.websocket;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Future;
import dev.asyncio.Task;
import dev.asyncio.test.AsyncTest;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The WebSocket connection, client and server side, over loopback on the test's loop. */
class WebSocketTest {
    /** Echoes every message until the peer closes. */
    static void echo(WebSocket ws) {
        // snippet:echo
        while (true) {
            switch (ws.receive()) {
                case WebSocketMessage.Text t -> ws.send(t.text());
                case WebSocketMessage.Binary b -> ws.send(b.data());
                case WebSocketMessage.Close c -> {
                    return;
                }
            }
        }
        // end-snippet
    }

    @AsyncTest
    void echoesTextAndBinaryWithTheAgreedSubprotocolAndExtraHeaders() {
        WebSocketOptions serverOptions = WebSocketOptions.builder().subprotocols(List.of("chat")).build();
        try (WsTestServer server = WsTestServer.start(serverOptions, WebSocketTest::echo)) {
            // snippet:client
            WebSocketOptions options = WebSocketOptions.builder().subprotocols(List.of("x-other", "chat"))
                    .header("X-Token", "t0k3n").build();
            try (WebSocket ws = WebSocketClient.connect(server.url("/ws"), options)) {
                assertEquals("chat", ws.subprotocol());
                ws.send("héllo");
                assertEquals(new WebSocketMessage.Text("héllo"), ws.receive());
                byte[] data = {0, 1, 2, (byte) 255};
                ws.send(data);
                assertEquals(new WebSocketMessage.Binary(data.clone()), ws.receive());
                ws.send("");
                assertEquals(new WebSocketMessage.Text(""), ws.receive());
            }
            // end-snippet
            assertEquals("t0k3n", server.requests.getFirst().get("X-Token"));
        }
    }

    @AsyncTest
    void fragmentsAreJoinedIntoOneMessageWithAPingBetweenThem() {
        try (WsTestServer server = WsTestServer.start(WebSocketOptions.defaults(), WebSocketTest::echo);
             WebSocket ws = WebSocketClient.connect(server.url("/ws"))) {
            ws.channel().write(new TextWebSocketFrame(false, 0, "hel"));
            ws.channel().write(new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[]{1, 2})));
            ws.channel().write(new ContinuationWebSocketFrame(false, 0, "lo "));
            ws.channel().writeAndFlush(new ContinuationWebSocketFrame(true, 0, "wörld"));
            assertEquals(new WebSocketMessage.Text("hello wörld"), ws.receive());
            ws.channel().write(new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[]{1})));
            ws.channel().writeAndFlush(new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[]{2, 3})));
            assertEquals(new WebSocketMessage.Binary(new byte[]{1, 2, 3}), ws.receive());
        }
    }

    @AsyncTest
    void aMessageOverTheLimitClosesWith1009WhetherOneFrameOrFragments() {
        List<WebSocketClosedError> serverSaw = new ArrayList<>();
        WebSocketHandler handler = ws -> {
            try {
                echo(ws);
            } catch (WebSocketClosedError e) {
                serverSaw.add(e);
            }
        };
        WebSocketOptions small = WebSocketOptions.builder().maxMessageSize(1000).build();
        try (WsTestServer server = WsTestServer.start(small, handler)) {
            try (WebSocket ws = WebSocketClient.connect(server.url("/ws"))) {
                ws.send("x".repeat(1000));
                assertEquals(1000, ((WebSocketMessage.Text) ws.receive()).text().length(), "at the limit: taken");
                ws.send("x".repeat(1001));
                WebSocketMessage.Close close = assertInstanceOf(WebSocketMessage.Close.class, ws.receive());
                assertEquals(1009, close.code());
                assertEquals("message larger than 1000 bytes", close.reason());
                WebSocketClosedError after = assertThrows(WebSocketClosedError.class, ws::receive);
                assertEquals(1009, after.code());
            }
            try (WebSocket ws = WebSocketClient.connect(server.url("/ws"))) {
                ws.channel().write(new TextWebSocketFrame(false, 0, "y".repeat(600)));
                ws.channel().writeAndFlush(new ContinuationWebSocketFrame(true, 0, "y".repeat(600)));
                assertEquals(1009, assertInstanceOf(WebSocketMessage.Close.class, ws.receive()).code());
            }
        }
        assertEquals(2, serverSaw.size());
        for (WebSocketClosedError e : serverSaw) {
            assertEquals(1009, e.code());
            assertTrue(e.getMessage().contains("message larger than 1000 bytes"), e.getMessage());
        }
    }

    @AsyncTest
    void invalidUtf8InATextMessageClosesWith1007() {
        List<WebSocketClosedError> serverSaw = new ArrayList<>();
        try (WsTestServer server = WsTestServer.start(WebSocketOptions.defaults(), ws -> {
            try {
                echo(ws);
            } catch (WebSocketClosedError e) {
                serverSaw.add(e);
            }
        }); WebSocket ws = WebSocketClient.connect(server.url("/ws"))) {
            ws.send("fine");
            assertEquals(new WebSocketMessage.Text("fine"), ws.receive());
            ws.channel().writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(new byte[]{'a', (byte) 0xC3, 0x28})));
            WebSocketMessage.Close close = assertInstanceOf(WebSocketMessage.Close.class, ws.receive());
            assertEquals(1007, close.code());
            assertEquals("invalid UTF-8 in a text message", close.reason());
        }
        assertEquals(1, serverSaw.size());
        assertEquals(1007, serverSaw.getFirst().code());
        assertTrue(serverSaw.getFirst().getMessage().contains("not valid UTF-8"), serverSaw.getFirst().getMessage());
    }

    @AsyncTest
    void pingSuspendsUntilThePongAndEitherSideAnswersPingsWhileReceiving() {
        Future<Void> serverPinged = Asyncio.getRunningLoop().createFuture();
        try (WsTestServer server = WsTestServer.start(WebSocketOptions.defaults(), ws -> {
            assertEquals(new WebSocketMessage.Text("ping me"), ws.receive());
            ws.ping();                       // answered by the client while its task waits in receive
            serverPinged.setResult(null);
            echo(ws);
        }); WebSocket ws = WebSocketClient.connect(server.url("/ws"))) {
            ws.send("ping me");
            Task<WebSocketMessage> receiving = Asyncio.createTask(ws::receive);
            serverPinged.await();
            assertFalse(receiving.done());
            ws.ping();                       // answered by the server while it waits in receive (echo)
            ws.ping();
            ws.send("after");
            assertEquals(new WebSocketMessage.Text("after"), receiving.await());
        }
    }

    @AsyncTest
    void theClientClosesWithACodeAndTheServerSeesItThenSendFails() {
        List<WebSocketMessage> serverGot = new ArrayList<>();
        List<WebSocketClosedError> serverAfter = new ArrayList<>();
        try (WsTestServer server = WsTestServer.start(WebSocketOptions.defaults(), ws -> {
            serverGot.add(ws.receive());
            serverGot.add(ws.receive());
            serverAfter.add(assertThrows(WebSocketClosedError.class, ws::receive));
            serverAfter.add(assertThrows(WebSocketClosedError.class, () -> ws.send("late")));
        })) {
            WebSocket ws = WebSocketClient.connect(server.url("/ws"));
            // snippet:close
            ws.send("last words");
            ws.close(4000, "bye now");
            assertTrue(ws.isClosed());
            assertFalse(ws.isOpen());
            assertEquals(new WebSocketMessage.Close(4000, "bye now"), ws.peerClose(), "the server echoes the code");
            // end-snippet
            assertEquals(new WebSocketMessage.Close(4000, "bye now"), ws.receive(),
                    "a receive after close() still gets the peer's answer once");
            assertEquals(4000, assertThrows(WebSocketClosedError.class, ws::receive).code());
            assertThrows(WebSocketClosedError.class, () -> ws.send("too late"));
            ws.close();                      // idempotent
            server.handlers.getFirst().await();
        }
        assertEquals(List.of(new WebSocketMessage.Text("last words"), new WebSocketMessage.Close(4000, "bye now")), serverGot);
        assertEquals(4000, serverAfter.get(0).code());
        assertEquals("bye now", serverAfter.get(0).reason());
    }

    @AsyncTest
    void theServerClosesWithACodeAndTheClientSeesItAfterTheMessagesBefore() {
        try (WsTestServer server = WsTestServer.start(WebSocketOptions.defaults(), ws -> {
            ws.send("one");
            ws.send("two");
            ws.close(WebSocketCloseCodes.GOING_AWAY, "shutting down");
            assertEquals(new WebSocketMessage.Close(1001, "shutting down"), ws.peerClose());
        }); WebSocket ws = WebSocketClient.connect(server.url("/ws"))) {
            assertEquals(new WebSocketMessage.Text("one"), ws.receive());
            assertEquals(new WebSocketMessage.Text("two"), ws.receive());
            assertEquals(new WebSocketMessage.Close(1001, "shutting down"), ws.receive());
            WebSocketClosedError e = assertThrows(WebSocketClosedError.class, () -> ws.send("x"));
            assertEquals(1001, e.code());
            server.handlers.getFirst().await();
        }
    }

    @AsyncTest
    void aHandlerThatThrowsClosesWith1011AndOneThatReturnsWith1000(AsyncLoop loop) {
        List<Map<String, Object>> reported = new ArrayList<>();
        loop.setExceptionHandler((l, context) -> reported.add(context));
        try (WsTestServer server = WsTestServer.start(WebSocketOptions.defaults(), ws -> {
            if (ws.receive() instanceof WebSocketMessage.Text t && t.text().equals("fail")) {
                throw new IllegalStateException("boom: not for the wire");
            }
        })) {
            try (WebSocket ws = WebSocketClient.connect(server.url("/ws"))) {
                ws.send("fail");
                assertEquals(new WebSocketMessage.Close(1011, "internal error"), ws.receive(),
                        "the exception's message is not sent");
            }
            try (WebSocket ws = WebSocketClient.connect(server.url("/ws"))) {
                ws.send("fine");
                assertEquals(new WebSocketMessage.Close(1000, ""), ws.receive());
            }
            assertTrue(loop.isRunning());
        }
        assertEquals(1, reported.size(), "reported once to the loop's exception handler");
        assertEquals("boom: not for the wire", ((Throwable) reported.getFirst().get("exception")).getMessage());
    }

    @AsyncTest
    void anAbruptDisconnectFailsReceiveAndSendWith1006() {
        try (WsTestServer server = WsTestServer.start(WebSocketOptions.defaults(), ws -> {
            ws.receive();
            ws.abort();                       // the TCP connection goes, no close frame
        }); WebSocket ws = WebSocketClient.connect(server.url("/ws"))) {
            ws.send("go away");
            WebSocketClosedError e = assertThrows(WebSocketClosedError.class, ws::receive);
            assertEquals(1006, e.code());
            assertTrue(e.getMessage().contains("ended without a close frame"), e.getMessage());
            assertEquals(1006, assertThrows(WebSocketClosedError.class, () -> ws.send("x")).code());
            assertThrows(WebSocketClosedError.class, ws::ping);
            assertTrue(ws.isClosed());
        }
    }

    @AsyncTest
    void aCancelledReceiveTakesNoMessage() {
        try (WsTestServer server = WsTestServer.start(WebSocketOptions.defaults(), WebSocketTest::echo);
             WebSocket ws = WebSocketClient.connect(server.url("/ws"))) {
            Task<WebSocketMessage> first = Asyncio.createTask(ws::receive);
            Asyncio.sleep(0);
            first.cancel();
            assertThrows(CancelledError.class, first::await);
            ws.send("kept");
            assertEquals(new WebSocketMessage.Text("kept"), ws.receive());
        }
    }

    @AsyncTest
    void theHandshakeRefusedNamesTheStatus() {
        try (WsTestServer server = WsTestServer.start(WebSocketOptions.defaults(), WebSocketTest::echo)) {
            WebSocketHandshakeError e = assertThrows(WebSocketHandshakeError.class,
                    () -> WebSocketClient.connect(server.url("/nothing-here")));
            assertEquals(404, e.status());
            assertTrue(e.getMessage().contains("404"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> WebSocketClient.connect("http://127.0.0.1/ws"));
        assertThrows(IllegalArgumentException.class, () -> WebSocketClient.connect("ws://127.0.0.1/ws#frag"));
    }

    @AsyncTest(realTime = true)
    void nobodyListeningAndNobodyAnsweringAreClearErrors() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThrows(dev.asyncio.net.ConnectionRefusedError.class,
                () -> WebSocketClient.connect("ws://127.0.0.1:" + port + "/ws"));
        // Accepted by the kernel (backlog), never answered: the handshake limit ends it.
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            dev.asyncio.net.ConnectionError e = assertThrows(dev.asyncio.net.ConnectionError.class,
                    () -> WebSocketClient.connect("ws://127.0.0.1:" + silent.getLocalPort() + "/ws",
                            WebSocketOptions.builder().handshakeTimeout(0.2).build()));
            assertTrue(e.getMessage().contains("was not open within 0.2 s"), e.getMessage());
        }
    }

    @AsyncTest
    void closeCodesThatOnlyReportAreRefused() {
        try (WsTestServer server = WsTestServer.start(WebSocketOptions.defaults(), WebSocketTest::echo);
             WebSocket ws = WebSocketClient.connect(server.url("/ws"))) {
            for (int code : new int[]{1005, 1006, 1015, 999, 1004, 2999, 5000}) {
                assertThrows(IllegalArgumentException.class, () -> ws.close(code, ""), String.valueOf(code));
            }
            assertThrows(IllegalArgumentException.class, () -> ws.close(1000, "r".repeat(124)));
            assertTrue(ws.isOpen());
        }
    }

    @AsyncTest
    void aConnectionUpgradedWithoutARouteHasItsRequestButNoPathParameters() {
        try (WsTestServer server = WsTestServer.start(WebSocketOptions.defaults(), ws -> {
            WebSocketRequest r = ws.request();
            ws.send(r.path() + " " + r.query("q") + " " + r.pathParams() + " " + r.pathParam("x") + " "
                    + r.header("X-Token") + " " + r);
            ws.receive();
        }); WebSocket ws = WebSocketClient.connect(server.url("/ws/x?q=1"),
                WebSocketOptions.builder().header("X-Token", "t").build())) {
            assertEquals(new WebSocketMessage.Text("/ws/x 1 {} null t GET /ws/x?q=1"), ws.receive());
        }
    }
}
