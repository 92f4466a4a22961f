package dev.asyncio.http.websocket;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Future;
import dev.asyncio.Task;
import dev.asyncio.test.AsyncTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A receiver that does not receive holds the sender back: the client reads its socket only for a waiting
 * receive, TCP fills up, and the server's send suspends instead of buffering the rest. (The server sends:
 * its frames are not masked, which under the PARANOID leak detector would cost a stack trace per 8 bytes.)
 */
class WebSocketBackpressureTest {
    private static final int PIECE = 64 << 10;
    private static final int COUNT = 256;           // 16 MiB, several times what loopback socket buffers hold

    @AsyncTest
    void aSlowReceiverSuspendsTheSenderAndACancelledSendSendsNothing(AsyncLoop loop) {
        Future<WebSocket> serverSide = loop.createFuture();
        Future<Void> finish = loop.createFuture();
        int[] sent = {0};
        long[] mostBuffered = {0};
        try (WsTestServer server = WsTestServer.start(WebSocketOptions.defaults(), ws -> {
            serverSide.setResult(ws);
            byte[] piece = new byte[PIECE];
            for (int i = 0; i < COUNT; i++) {
                piece[0] = (byte) i;
                ws.send(piece);
                sent[0]++;
                mostBuffered[0] = Math.max(mostBuffered[0], ws.bufferedAmount());
            }
            finish.await();
            ws.send("end");
            ws.receive();
        }); WebSocket client = WebSocketClient.connect(server.url("/ws"))) {
            WebSocket ws = serverSide.await();
            Task<Void> sender = server.handlers.getFirst();
            // Until the sender stops making progress: the socket buffers are full and send() waits.
            int unchanged = 0;
            int last = -1;
            for (int i = 0; i < 100_000 && unchanged < 200 && sent[0] < COUNT; i++) {
                Asyncio.sleep(0);
                unchanged = sent[0] == last && !ws.channel().isWritable() ? unchanged + 1 : 0;
                last = sent[0];
            }
            assertTrue(sent[0] < COUNT / 2, "send() waited once the socket buffers were full, after "
                    + sent[0] + " of " + COUNT + " messages");
            assertTrue(mostBuffered[0] <= (64 << 10) + PIECE + 16,
                    "never more than the high water mark and one message in the channel: " + mostBuffered[0]);

            Task<Void> cancelled = Asyncio.createTask(() -> ws.send("cancelled"));
            Asyncio.sleep(0);
            assertFalse(cancelled.done(), "waits like the other sender");
            cancelled.cancel();
            assertThrows(CancelledError.class, cancelled::await);

            int binaries = 0;
            boolean inOrder = true;
            for (; binaries < COUNT; binaries++) {
                if (!(client.receive() instanceof WebSocketMessage.Binary b) || b.data().length != PIECE
                        || b.data()[0] != (byte) binaries) {
                    inOrder = false;
                }
            }
            assertTrue(inOrder, "every message whole and in order");
            finish.setResult(null);
            assertEquals(new WebSocketMessage.Text("end"), client.receive(), "the cancelled send sent nothing");
            client.close();
            sender.await();
        }
    }
}
