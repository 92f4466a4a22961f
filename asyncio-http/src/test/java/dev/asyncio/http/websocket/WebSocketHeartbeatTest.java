package dev.asyncio.http.websocket;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.Future;
import dev.asyncio.test.AsyncTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The heartbeat: a ping every interval, read for even while the application is not in {@code receive()}; a
 * peer that does not answer within the pong timeout is told 1011 and dropped. Virtual time: the pong is awaited
 * at the pace of real time only while one is due (the peer answers in real time).
 */
class WebSocketHeartbeatTest {
    @AsyncTest
    void aPeerThatNeverAnswersIsClosedWith1011WhileNobodyReceivesAndReceiveSaysWhy(AsyncLoop loop) {
        Future<Void> hold = loop.createFuture();
        Future<WebSocketMessage> serverHeard = loop.createFuture();
        try (WsTestServer server = WsTestServer.start(WebSocketOptions.defaults(), ws -> {
            hold.await();       // does not read meanwhile: no pong comes back from this side
            serverHeard.setResult(ws.receive());
        })) {
            WebSocket ws = WebSocketClient.connect(server.url("/ws"),
                    WebSocketOptions.builder().heartbeat(10).pongTimeout(0.5).build());
            Asyncio.sleep(10.25);
            assertTrue(ws.isOpen(), "the first ping is out, its pong not yet due");
            Asyncio.sleep(1);
            assertTrue(ws.isClosed(), "dropped once the pong was 0.5 s late, though no task was in receive()");
            WebSocketClosedError e = assertThrows(WebSocketClosedError.class, ws::receive);
            assertEquals(1011, e.code());
            assertEquals("keepalive ping timeout", e.reason());
            assertTrue(e.getMessage().contains("did not answer a ping within 0.5 s"), e.getMessage());
            assertThrows(WebSocketClosedError.class, () -> ws.send("too late"));
            hold.setResult(null);
            assertEquals(new WebSocketMessage.Close(1011, "keepalive ping timeout"), serverHeard.await(),
                    "the peer, once it reads, learns why");
        }
    }

    @AsyncTest
    void aPeerThatAnswersKeepsTheConnectionWhileNobodyReceives() {
        try (WsTestServer server = WsTestServer.start(WebSocketOptions.defaults(), WebSocketTest::echo);
             WebSocket ws = WebSocketClient.connect(server.url("/ws"),
                     WebSocketOptions.builder().heartbeat(1).pongTimeout(0.5).build())) {
            Asyncio.sleep(10.5);        // ten pings, each answered in real time, nobody in receive()
            assertTrue(ws.isOpen());
            ws.send("still here");
            assertEquals(new WebSocketMessage.Text("still here"), ws.receive());
        }
    }

    @Test
    void thePongTimeoutIsTheIntervalUnlessSetAndMustBePositive() {
        assertEquals(30, WebSocketOptions.builder().heartbeat(30).build().pongTimeout());
        assertEquals(5, WebSocketOptions.builder().heartbeat(30).pongTimeout(5).build().pongTimeout());
        for (double bad : new double[]{0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> WebSocketOptions.builder().pongTimeout(bad));
            assertTrue(e.getMessage().contains("pongTimeout"), e.getMessage());
        }
        assertFalse(WebSocketOptions.defaults().heartbeat() > 0, "no heartbeat by default");
    }
}
