package dev.asyncio.http;

import dev.asyncio.Asyncio;
import dev.asyncio.test.AsyncTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A response that ends its connection (HTTP/1.0 without keep-alive, or Connection: close) and is larger than
 * the sockets' buffers must arrive whole: the connection may close only once it is written. And a client that
 * stops taking it does not hold the connection forever: it is closed after the idle timeout without progress.
 */
class CloseAfterLargeResponseTest {
    /** Well over what the loopback sockets' send and receive buffers hold together. */
    private static final int SIZE = 16 << 20;

    private static HttpServer start(ServerLimits limits) {
        return HttpServer.builder((rq, rs) -> rs.send(200, new byte[SIZE])).limits(limits).start("127.0.0.1", 0);
    }

    private static int bodyLength(String all) {
        return all.length() - (all.indexOf("\r\n\r\n") + 4);
    }

    private static int bodyLength(String request, ServerLimits limits, double pauseBeforeReading) {
        HttpServer server = start(limits);
        try (RawClient c = RawClient.open(server.port())) {
            c.send(request);
            if (pauseBeforeReading > 0) {
                Asyncio.sleep(pauseBeforeReading);
            }
            return bodyLength(c.readAll());
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void http10WithoutKeepAliveGetsTheWholeBody() {
        assertEquals(SIZE, bodyLength("GET / HTTP/1.0\r\nHost: x\r\n\r\n", ServerLimits.defaults(), 0));
    }

    @AsyncTest(realTime = true)
    void connectionCloseGetsTheWholeBody() {
        assertEquals(SIZE, bodyLength("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", ServerLimits.defaults(), 0));
    }

    @AsyncTest(realTime = true)
    void aClientThatStopsReadingTheLastResponseIsCutOffAfterTheIdleTimeout() {
        // The client reads nothing for 1.5 s: with a 0.2 s idle timeout the server gives up on the rest and closes
        // (real time: the server's timer and the client's pause race on purpose, with a wide margin).
        int got = bodyLength("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                ServerLimits.builder().idleTimeout(0.2).build(), 1.5);
        assertTrue(got < SIZE, "the connection was closed before the client took the rest: got " + got);
    }

    @AsyncTest(realTime = true)
    void aClientThatReadsSlowlyButSteadilyGetsTheWholeBodyPastTheIdleTimeout() {
        HttpServer server = start(ServerLimits.builder().idleTimeout(0.3).build());
        try (RawClient c = RawClient.open(server.port())) {
            c.send("GET / HTTP/1.0\r\nHost: x\r\n\r\n");
            Asyncio.sleep(0.1);          // well under the idle timeout: the server waits on while the client takes some
            assertEquals(SIZE, bodyLength(c.readAll()));
        } finally {
            server.close();
        }
    }

    /**
     * On a keep-alive connection the idle timer starts when the handler is done, while its large response may
     * still be going out: a client that takes it steadily, for longer than the idle timeout, gets all of it.
     */
    @AsyncTest(realTime = true)
    void aKeepAliveResponseStillGoingOutIsNotCutByTheIdleTimer() {
        assertEquals(SIZE, takeSlowly("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), "the response was cut by the idle timer");
    }

    /** The bound on a closing connection's last write counts bytes taken as progress: a steady client gets all. */
    @AsyncTest(realTime = true)
    void aClosingConnectionsLastResponseTakenSteadilyIsNotCutByItsBound() {
        assertEquals(SIZE, takeSlowly("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
                "the last response was cut before the client took it all");
    }

    /** Sends {@code request} to a server with a 0.3 s idle timeout and takes the body for about 0.8 s; its length. */
    private static int takeSlowly(String request) {
        HttpServer server = start(ServerLimits.builder().idleTimeout(0.3).build());
        try (RawClient c = RawClient.open(server.port())) {
            c.send(request);
            Asyncio.sleep(0.1);          // the handler is done; the body fills the buffers
            String head = c.readHead();
            assertTrue(head.startsWith("HTTP/1.1 200"), head);
            int got = 0;
            while (got < SIZE) {
                int n = c.readSome(SIZE - got);
                if (n == 0) {
                    break;               // the server closed the connection
                }
                got += n;
                if ((got & ((1 << 20) - 1)) < n) {
                    Asyncio.sleep(0.05); // about 0.8 s in all, well past the idle timeout, taking bytes throughout
                }
            }
            return got;
        } finally {
            server.close();
        }
    }
}
