package dev.asyncio.http.websocket;

import io.netty.handler.codec.compression.DecompressionException;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Future;
import dev.asyncio.http.HttpServer;
import dev.asyncio.http.Router;
import dev.asyncio.test.AsyncTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * permessage-deflate (RFC 7692) on Netty's implementation, opt-in on both sides; the message size limit holds
 * for the inflated size.
 */
class WebSocketCompressionTest {
    private static final WebSocketOptions DEFLATE = WebSocketOptions.builder().compression(true).build();

    @AsyncTest
    void bothSidesAgreeAndMessagesTravelCompressedOnAnHttpServerRoute() {
        HttpServer server = HttpServer.start(new Router().websocket("/ws", DEFLATE, WebSocketTest::echo), "127.0.0.1", 0);
        try (WebSocket ws = WebSocketClient.connect("ws://127.0.0.1:" + server.port() + "/ws", DEFLATE)) {
            assertTrue(Deflate.negotiated(ws.channel()), "the server accepted the offer");
            WebSocketBridgeTest.Counter counter = new WebSocketBridgeTest.Counter();
            ws.channel().pipeline().addFirst(counter);
            String text = "all work and no play makes Jack a dull boy ".repeat(500);      // 21,500 bytes
            ws.send(text);
            assertEquals(new WebSocketMessage.Text(text), ws.receive());
            byte[] data = new byte[20_000];
            ws.send(data);
            assertEquals(new WebSocketMessage.Binary(data), ws.receive());
            assertTrue(counter.bytesRead < 4_000, "the echoes came compressed: " + counter.bytesRead + " bytes");
        } finally {
            server.close();
        }
    }

    @AsyncTest
    void eitherSideWithoutItSpeaksPlainly() {
        try (WsTestServer server = WsTestServer.start(WebSocketOptions.defaults(), WebSocketTest::echo);
             WebSocket ws = WebSocketClient.connect(server.url("/ws"), DEFLATE)) {
            assertFalse(Deflate.negotiated(ws.channel()), "a server that does not accept it");
            ws.send("plain");
            assertEquals(new WebSocketMessage.Text("plain"), ws.receive());
        }
        try (WsTestServer server = WsTestServer.start(DEFLATE, WebSocketTest::echo);
             WebSocket ws = WebSocketClient.connect(server.url("/ws"))) {
            assertFalse(Deflate.negotiated(ws.channel()), "a client that does not offer it");
            ws.send("plain");
            assertEquals(new WebSocketMessage.Text("plain"), ws.receive());
        }
    }

    @AsyncTest
    void aDeflateBombIsRefusedWith1009AtTheLimitNotInflatedWhole(AsyncLoop loop) {
        int limit = 64 << 10;
        Future<WebSocketClosedError> serverSaw = loop.createFuture();
        try (WsTestServer server = WsTestServer.start(WebSocketOptions.builder().compression(true).maxMessageSize(limit)
                .build(), ws -> serverSaw.setResult(assertThrows(WebSocketClosedError.class, ws::receive)));
             WebSocket ws = WebSocketClient.connect(server.url("/ws"), DEFLATE)) {
            ws.send(new byte[4 << 20]);         // 4 MiB of zeros: a frame of some 4 KiB compressed
            WebSocketMessage.Close close = assertInstanceOf(WebSocketMessage.Close.class, ws.receive());
            assertEquals(1009, close.code());
            WebSocketClosedError e = serverSaw.await();
            assertEquals(1009, e.code());
            assertTrue(e.getMessage().contains("larger than " + limit + " bytes"), e.getMessage());
            // Refused by the inflater at the limit (Netty's decoder stops there), not inflated whole and measured.
            DecompressionException refused = assertInstanceOf(DecompressionException.class, e.getCause());
            assertTrue(refused.getMessage().contains("maximum size"), refused.getMessage());
        }
    }
}
