package dev.asyncio.net;

import dev.asyncio.Asyncio;
import dev.asyncio.AsyncLoop;
import dev.asyncio.Future;
import dev.asyncio.test.AsyncTest;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** LoopStats.openConnections counts both ends of a loopback connection until each is closed. */
class OpenConnectionsTest {
    @AsyncTest
    void bothEndsOfAConnectionCountUntilTheyClose() throws Exception {
        AsyncLoop loop = Asyncio.getRunningLoop();
        Future<Void> serverSideClosed = new Future<>();
        Server server = Streams.startServer((r, w) -> {
            w.write(r.readLine());
            r.read(1);                                            // until the client's EOF
            w.close();
            w.waitClosed();
            serverSideClosed.setResult(null);
        }, "127.0.0.1", 0);
        try {
            assertEquals(0, loop.stats().openConnections(), "a listening socket is not a connection");
            Connection c = Streams.openConnection("127.0.0.1", server.port());
            c.writer().write("hi\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("hi\n", new String(c.reader().readLine(), StandardCharsets.UTF_8));
            assertEquals(2, loop.stats().openConnections());
            c.writer().close();
            c.writer().waitClosed();
            serverSideClosed.await();
            assertEquals(0, loop.stats().openConnections());
        } finally {
            server.close();
            server.waitClosed();
        }
    }
}
