package dev.asyncio.http.websocket;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.Future;
import dev.asyncio.Task;
import dev.asyncio.http.HttpServer;
import dev.asyncio.http.Router;
import dev.asyncio.test.AsyncTest;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A WebSocket is asyncio-net's channel bridge, like streams and the HTTP client and server: reads stop while
 * nobody wants messages, the writes of one loop step are flushed once, a call from a foreign thread fails
 * before it touches anything, and the connection counts once in the loop's open connections.
 */
class WebSocketBridgeTest {
    /** Counts the bytes read from the socket and the flushes asked of the channel, at the head of its pipeline. */
    static final class Counter extends ChannelDuplexHandler {
        long bytesRead;
        int flushes;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf b) {
                bytesRead += b.readableBytes();
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes++;
            ctx.flush();
        }
    }

    private static Counter count(WebSocket ws) {
        Counter c = new Counter();
        ws.channel().pipeline().addFirst("counter", c);
        return c;
    }

    @AsyncTest
    void aPeerFloodingMessagesNobodyReceivesIsStoppedByPausedReads(AsyncLoop loop) {
        int piece = 4 << 10;
        int limit = 16 << 10;
        int count = 1024;       // 4 MiB, more than the client reads before it stops
        int[] sent = {0};
        Future<Void> finish = loop.createFuture();
        try (WsTestServer server = WsTestServer.start(WebSocketOptions.defaults(), ws -> {
            byte[] data = new byte[piece];
            for (int i = 0; i < count; i++) {
                data[0] = (byte) i;
                ws.send(data);
                sent[0]++;
            }
            finish.await();
        }); WebSocket client = WebSocketClient.connect(server.url("/ws"),
                WebSocketOptions.builder().maxMessageSize(limit).build())) {
            Counter counter = count(client);
            // A ping whose pong never comes (the server does not read) keeps the client wanting to read: only the
            // messages piling up unreceived stop it.
            Task<Void> pinger = Asyncio.createTask(client::ping);
            int unchanged = 0;
            int last = -1;
            for (int i = 0; i < 100_000 && unchanged < 200 && sent[0] < count; i++) {
                Asyncio.sleep(0);
                unchanged = sent[0] == last ? unchanged + 1 : 0;
                last = sent[0];
            }
            assertTrue(sent[0] < count, "the server's send() waits: " + sent[0] + " of " + count + " sent");
            assertFalse(client.channel().config().isAutoRead(), "the client's bridge paused reading");
            assertTrue(counter.bytesRead < limit + (256 << 10),
                    "the client read the message limit and at most a few socket reads more, not what the server sent: "
                            + counter.bytesRead + " bytes read of " + (long) sent[0] * piece + " sent");
            long readWhilePaused = counter.bytesRead;
            for (int i = 0; i < 50; i++) {
                Asyncio.sleep(0);
            }
            assertEquals(readWhilePaused, counter.bytesRead, "nothing more is read while nobody receives");

            pinger.cancel();
            for (int i = 0; i < count; i++) {
                WebSocketMessage.Binary b = assertInstanceOf(WebSocketMessage.Binary.class, client.receive());
                assertEquals((byte) i, b.data()[0], "message " + i + " whole and in order");
            }
            finish.setResult(null);
            assertInstanceOf(WebSocketMessage.Close.class, client.receive());
        }
    }

    @AsyncTest
    void theMessagesOfOneLoopStepAreFlushedOnce() {
        try (WsTestServer server = WsTestServer.start(WebSocketOptions.defaults(), WebSocketTest::echo);
             WebSocket ws = WebSocketClient.connect(server.url("/ws"))) {
            Counter counter = count(ws);
            for (int i = 0; i < 10; i++) {
                ws.send("m" + i);
            }
            assertEquals(0, counter.flushes, "nothing flushed while the task runs");
            Asyncio.sleep(0);
            assertEquals(1, counter.flushes, "ten messages, one flush at the end of the step");
            for (int i = 0; i < 10; i++) {
                assertEquals(new WebSocketMessage.Text("m" + i), ws.receive());
            }
        }
    }

    @AsyncTest
    void aCallFromAnotherThreadFailsNamingTheWayIn() {
        try (WsTestServer server = WsTestServer.start(WebSocketOptions.defaults(), WebSocketTest::echo);
             WebSocket ws = WebSocketClient.connect(server.url("/ws"))) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Asyncio.toThread(() -> {
                try {
                    ws.send("from elsewhere");
                } catch (Throwable e) {
                    thrown.set(e);
                }
                return null;
            });
            IllegalStateException e = assertInstanceOf(IllegalStateException.class, thrown.get());
            assertTrue(e.getMessage().contains("callSoonThreadsafe"),
                    e.getMessage());
            ws.send("from the loop");
            assertEquals(new WebSocketMessage.Text("from the loop"), ws.receive(), "nothing was sent from the thread");
        }
    }

    @AsyncTest
    void aWebSocketCountsOnceAmongTheLoopsOpenConnections(AsyncLoop loop) {
        Future<Void> hold = loop.createFuture();
        HttpServer server = HttpServer.start(new Router().websocket("/ws", ws -> hold.await()), "127.0.0.1", 0);
        try {
            int before = loop.stats().openConnections();
            try (WebSocket ws = WebSocketClient.connect("ws://127.0.0.1:" + server.port() + "/ws")) {
                assertEquals(before + 2, loop.stats().openConnections(),
                        "the client's connection and the server's, the upgraded one counted once");
                hold.setResult(null);
                assertInstanceOf(WebSocketMessage.Close.class, ws.receive());
            }
        } finally {
            server.close();
        }
    }
}
