package dev.asyncio.net;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.ContextVar;
import dev.asyncio.CancelledError;
import dev.asyncio.Future;
import dev.asyncio.Task;
import dev.asyncio.test.AsyncTest;
import dev.asyncio.test.OrderedSteps;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Streams over real loopback sockets: CPython's test_streams connection cases. */
class StreamsTest {
    static byte[] b(String s) {
        return s.getBytes(US_ASCII);
    }

    static String s(byte[] b) {
        return new String(b, US_ASCII);
    }

    /** The body of a test that runs against a server. */
    @FunctionalInterface
    interface ServerBody {
        void run(Server server) throws Exception;
    }

    /**
     * Runs {@code body} against a server, then closes it and waits until every connection and its task is
     * finished, as {@code async with server:} does; so no test leaves a connection task behind.
     */
    static void serving(ConnectionHandler handler, ServerOptions options, ServerBody body) throws Exception {
        Server server = Streams.startServer(handler, "127.0.0.1", 0, options);
        boolean ok = false;
        try {
            body.run(server);
            ok = true;
        } finally {
            server.close();
            if (!ok) {
                server.abortClients();
            }
            server.waitClosed();
        }
    }

    static void serving(ConnectionHandler handler, ServerBody body) throws Exception {
        serving(handler, ServerOptions.defaults(), body);
    }

    /** Echoes whatever arrives until EOF. */
    static void echoChunks(StreamReader reader, StreamWriter writer) {
        byte[] chunk;
        while ((chunk = reader.read(65536)).length > 0) {
            writer.write(chunk);
            writer.drain();
        }
    }

    /** Echoes lines until EOF. */
    static void echoLines(StreamReader reader, StreamWriter writer) {
        for (byte[] line : reader) {
            writer.write(line);
            writer.drain();
        }
    }

    @AsyncTest
    void echoRoundTripOverLoopback() throws Exception {
        serving(StreamsTest::echoLines, server -> {
            assertTrue(server.port() > 0);
            assertEquals(List.of(new InetSocketAddress("127.0.0.1", server.port())), server.sockets());
            try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
                c.writer().write(b("hello\n"));
                c.writer().writeLines(List.of(b("wor"), b("ld\n")));
                c.writer().drain();
                assertEquals("hello\n", s(c.reader().readLine()));
                assertEquals("world\n", s(c.reader().readLine()));
                c.writer().writeEof();
                assertEquals(0, c.reader().readLine().length);
                assertTrue(c.reader().atEof());
            }
        });
    }

    @AsyncTest
    void hostNamesAreResolvedOffTheLoop() throws Exception {
        serving(StreamsTest::echoLines, server -> {
            try (Connection c = Streams.openConnection("localhost", server.port())) {
                c.writer().write(b("via name\n"));
                assertEquals("via name\n", s(c.reader().readLine()));
            }
        });
    }

    @AsyncTest
    void eachConnectionRunsInItsOwnTask() throws Exception {
        Set<Task<?>> handlers = new LinkedHashSet<>();
        Future<Void> bothIn = new Future<>();
        serving((r, w) -> {
            handlers.add(Asyncio.currentTask());
            if (handlers.size() == 2) {
                bothIn.setResult(null);
            }
            bothIn.await();                 // both handlers wait at once: they are separate tasks
            w.write(r.readLine());
        }, server -> {
            Connection a = Streams.openConnection("127.0.0.1", server.port());
            Connection bc = Streams.openConnection("127.0.0.1", server.port());
            a.writer().write(b("a\n"));
            bc.writer().write(b("b\n"));
            assertEquals("a\n", s(a.reader().readLine()));
            assertEquals("b\n", s(bc.reader().readLine()));
            assertEquals(2, handlers.size());
            assertEquals(0, a.reader().read(1).length, "the connection closes when the handler returns");
            a.close();
            bc.close();
            server.close();
            server.waitClosed();
        });
    }

    @AsyncTest
    void extraInfoNamesBothEnds() throws Exception {
        serving((r, w) -> w.write(b(w.getExtraInfo("peername") + "\n")), server -> {
            try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
                InetSocketAddress local = (InetSocketAddress) c.writer().getExtraInfo("sockname");
                InetSocketAddress peer = (InetSocketAddress) c.writer().getExtraInfo("peername");
                assertEquals(server.port(), peer.getPort());
                assertEquals(local.toString() + "\n", s(c.reader().readLine()));
                assertInstanceOf(Channel.class, c.writer().getExtraInfo("channel"));
                assertEquals(null, c.writer().getExtraInfo("peercert"));
                assertEquals("none", c.writer().getExtraInfo("cipher", "none"));
            }
        });
    }

    @AsyncTest
    void halfCloseLetsTheServerAnswerAfterEof() throws Exception {
        serving((r, w) -> {
            byte[] all = r.read(-1);
            w.write(b("got " + all.length + " bytes"));
        }, server -> {
            try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
                assertTrue(c.writer().canWriteEof());
                c.writer().write(new byte[100_000]);
                c.writer().writeEof();
                assertEquals("got 100000 bytes", s(c.reader().read(-1)));
            }
        });
    }

    @AsyncTest
    void readExactlyGetsIncompleteReadWhenThePeerClosesMidway() throws Exception {
        serving((r, w) -> w.write(b("12345")), server -> {
            try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
                IncompleteReadError e = assertThrows(IncompleteReadError.class, () -> c.reader().readExactly(10));
                assertEquals("12345", s(e.partial()));
                assertEquals(10, e.expected());
            }
        });
    }

    @AsyncTest
    void connectingWhereNobodyListensIsRefused() throws Exception {
        int port;
        try (Server server = Streams.startServer((r, w) -> { }, "127.0.0.1", 0)) {
            port = server.port();
        }
        ConnectionRefusedError e = assertThrows(ConnectionRefusedError.class,
                () -> Streams.openConnection("127.0.0.1", port));
        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
    }

    @AsyncTest
    void unknownHostNameIsANameResolutionError() throws Exception {
        assertThrows(NameResolutionError.class, () -> Streams.openConnection("no-such-host.invalid", 80));
    }

    @AsyncTest
    void badArgumentsAreRejectedBeforeAnyIo() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> Streams.openConnection("127.0.0.1", 70000));
        assertThrows(IllegalArgumentException.class, () -> Streams.openConnection("", 80));
        assertThrows(IllegalArgumentException.class, () -> StreamOptions.builder().limit(0));
        assertThrows(IllegalArgumentException.class, () -> Streams.startServer((r, w) -> { }, "127.0.0.1", -1));
    }

    @AsyncTest
    void writeAfterCloseIsAClearError() throws Exception {
        serving(StreamsTest::echoLines, server -> {
            Connection c = Streams.openConnection("127.0.0.1", server.port());
            c.writer().close();
            assertTrue(c.writer().isClosing());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.writer().write(b("late\n")));
            assertTrue(e.getMessage().contains("close"), e.getMessage());
            c.writer().waitClosed();
        });
    }

    @AsyncTest
    void writeAfterWriteEofIsAClearError() throws Exception {
        serving(StreamsTest::echoLines, server -> {
            try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
                c.writer().writeEof();
                assertThrows(IllegalStateException.class, () -> c.writer().write(b("late\n")));
            }
        });
    }

    @AsyncTest
    void resetByPeerSurfacesAsConnectionResetErrorOnReadAndDrain() throws Exception {
        serving((r, w) -> {
            r.readLine();
            Channel ch = (Channel) w.getExtraInfo("channel");
            ch.config().setOption(ChannelOption.SO_LINGER, 0);     // close() now sends a RST
            w.transport().abort();
        }, server -> {
            try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
                c.writer().write(b("go\n"));
                ConnectionResetError e = assertThrows(ConnectionResetError.class, () -> c.reader().read(100));
                assertTrue(e.getMessage().toLowerCase().contains("reset"), e.getMessage());
                assertThrows(ConnectionResetError.class, () -> c.writer().drain());
                assertThrows(ConnectionResetError.class, () -> c.writer().write(b("more")));
                ConnectionResetError closed = assertThrows(ConnectionResetError.class, () -> c.writer().waitClosed());
                assertTrue(closed.getMessage().toLowerCase().contains("reset"), closed.getMessage());
            }
        });
    }

    @AsyncTest
    void handlerExceptionGoesToTheExceptionHandlerAndClosesTheConnection(AsyncLoop loop) throws Exception {
        List<Map<String, Object>> reported = new ArrayList<>();
        loop.setExceptionHandler((l, context) -> reported.add(context));
        IllegalStateException boom = new IllegalStateException("boom");
        serving((r, w) -> {
            r.readLine();
            throw boom;
        }, server -> {
            try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
                c.writer().write(b("x\n"));
                assertEquals(0, c.reader().read(10).length);
            }
            server.close();
            server.waitClosed();
        });
        assertEquals(1, reported.size());
        assertEquals("Unhandled exception in client_connected_cb", reported.get(0).get("message"));
        assertEquals(boom, reported.get(0).get("exception"));
    }

    @AsyncTest
    void readLinePastTheLimitOverASocketDropsTheLongLine() throws Exception {
        ServerOptions small = ServerOptions.builder().limit(16).build();
        serving((r, w) -> {
            try {
                r.readLine();
                w.write(b("unexpected\n"));
            } catch (LimitOverrunError e) {
                w.write(b("overrun\n"));
            }
            w.write(r.readLine());
        }, small, server -> {
            try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
                c.writer().write(b("a line much longer than sixteen bytes\nshort\n"));
                assertEquals("overrun\n", s(c.reader().readLine()));
                assertEquals("short\n", s(c.reader().readLine()));
            }
        });
    }

    @AsyncTest
    void cancelWhileReadingLeavesTheConnectionUsableAndTheDataBuffered(OrderedSteps steps) throws Exception {
        serving(StreamsTest::echoChunks, server -> {
            try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
                c.writer().write(b("partial"));
                Task<byte[]> reading = Asyncio.createTask(() -> {
                    steps.expect(1);
                    return c.reader().readLine();
                });
                while (c.reader().buffered() < 7) {
                    Asyncio.sleep(0.001);
                }
                steps.expect(2);
                reading.cancel();
                assertThrows(CancelledError.class, reading::await);
                c.writer().write(b(" line\n"));
                assertEquals("partial line\n", s(c.reader().readLine()));
                steps.finish(3);
            }
        });
    }

    @AsyncTest
    void cancellingOpenConnectionLeavesNoConnectionBehind() throws Exception {
        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        Future<Void> serverSawEof = new Future<>();
        serving((r, w) -> {
            seen.add("accepted");
            byte[] rest = r.read(-1);
            seen.add("eof after " + rest.length + " bytes");
            serverSawEof.setResult(null);
        }, server -> {
            Task<Connection> opening = Asyncio.createTask(() -> Streams.openConnection("127.0.0.1", server.port()));
            Asyncio.sleep(0);           // opening is now suspended in the connect
            assertFalse(opening.done());
            opening.cancel();
            assertThrows(CancelledError.class, opening::await);
            serverSawEof.await();       // the client side was closed: the server reads EOF
            assertEquals(List.of("accepted", "eof after 0 bytes"), List.copyOf(seen));
        });
    }

    @AsyncTest
    void serveForeverCancelledEndsEveryConnectionAndItsTask(OrderedSteps steps) throws Exception {
        Future<Void> handlerWaiting = new Future<>();
        Server server = Streams.startServer((r, w) -> {
            try {
                handlerWaiting.setResult(null);
                Asyncio.sleep(Double.POSITIVE_INFINITY);      // an idle client: only a cancellation ends this
            } catch (CancelledError e) {
                steps.expect(3);
                throw e;
            }
        }, "127.0.0.1", 0);
        Task<Void> serving = Asyncio.createTask(server::serveForever);
        Connection c = Streams.openConnection("127.0.0.1", server.port());
        handlerWaiting.await();
        steps.expect(1);
        assertTrue(server.isServing());
        serving.cancel();
        steps.expect(2);
        assertThrows(CancelledError.class, serving::await);
        steps.expect(4);
        assertFalse(server.isServing());
        assertEquals(List.of(), server.sockets());
        assertEquals(0, c.reader().read(1).length, "the client sees the connection closed");
        c.close();
        server.waitClosed();
        steps.finish(5);
    }

    @AsyncTest
    void closeMakesServeForeverReturnAndRefusesNewConnections() throws Exception {
        Server server = Streams.startServer(StreamsTest::echoLines, "127.0.0.1", 0);
        int port = server.port();
        Task<Void> serving = Asyncio.createTask(server::serveForever);
        Asyncio.sleep(0);
        server.close();
        serving.await();
        assertThrows(ConnectionRefusedError.class, () -> Streams.openConnection("127.0.0.1", port));
        assertThrows(IllegalStateException.class, server::serveForever);
        server.waitClosed();
    }

    @AsyncTest
    void closeLeavesAcceptedConnectionsOpenUntilCloseClients() throws Exception {
        Server server = Streams.startServer(StreamsTest::echoLines, "127.0.0.1", 0);
        try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
            c.writer().write(b("before\n"));
            assertEquals("before\n", s(c.reader().readLine()));
            server.close();
            c.writer().write(b("after close\n"));
            assertEquals("after close\n", s(c.reader().readLine()));
            Task<Void> waiting = Asyncio.createTask(server::waitClosed);
            Asyncio.sleep(0);
            assertFalse(waiting.done());
            server.closeClients();
            assertEquals(0, c.reader().read(1).length);
            waiting.await();
        }
    }

    @AsyncTest
    void aServerOnAHostNameListensOnEveryAddressOfItOnOnePort() throws Exception {
        Server server = Streams.startServer(StreamsTest::echoLines, "localhost", 0);
        List<InetSocketAddress> sockets = server.sockets();
        assertTrue(!sockets.isEmpty());
        for (InetSocketAddress a : sockets) {
            assertTrue(a.getAddress().isLoopbackAddress(), a.toString());
            assertEquals(server.port(), a.getPort(), "port 0 is chosen once, for every address: " + sockets);
            try (Connection c = Streams.openConnection(a.getAddress().getHostAddress(), a.getPort())) {
                c.writer().write(b("via " + a.getAddress().getHostAddress() + "\n"));
                assertEquals("via " + a.getAddress().getHostAddress() + "\n", s(c.reader().readLine()));
            }
        }
        server.close();
        server.waitClosed();
    }

    @AsyncTest
    void aServerWithNoHostListensOnEveryInterface() throws Exception {
        Server server = Streams.startServer(StreamsTest::echoLines, null, 0);
        assertTrue(server.sockets().get(0).getAddress().isAnyLocalAddress(), server.sockets().toString());
        try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
            c.writer().write(b("any\n"));
            assertEquals("any\n", s(c.reader().readLine()));
        }
        server.close();
        server.waitClosed();
    }

    @AsyncTest
    void twoServersOnOnePortIsAClearError() throws Exception {
        try (Server server = Streams.startServer(StreamsTest::echoLines, "127.0.0.1", 0)) {
            ServerOptions noReuse = ServerOptions.builder().reuseAddress(false).build();
            ConnectionError e = assertThrows(ConnectionError.class,
                    () -> Streams.startServer(StreamsTest::echoLines, "127.0.0.1", server.port(), noReuse));
            assertTrue(e.getMessage().contains("cannot listen on"), e.getMessage());
            assertNotEquals(0, server.port());
        }
    }

    /**
     * asyncio registers a server's accept callback in the context of the task that called start_server, and
     * each connection's handler task copies it, so a ContextVar set before start_server is seen by every
     * handler. Here the handler task is created from a Netty callback and copies the loop thread's own
     * context (StreamReaderProtocol.java:64), so it sees nothing the starting task set.
     */

    @AsyncTest
    void connectionHandlersRunInACopyOfTheContextThatStartedTheServer() throws Exception {
        ContextVar<String> service = new ContextVar<>("service");
        service.set("echo-v1");
        Future<String> seen = new Future<>();
        StreamsTest.serving((r, w) -> seen.setResult(service.get("unset")), server -> {
            try (Connection _ = Streams.openConnection("127.0.0.1", server.port())) {
                assertEquals("echo-v1", seen.await());
            }
        });
    }

    @AsyncTest
    void serveForeverCancelledAbortsAClientThatStopsReadingAfterTheGracePeriod(AsyncLoop loop) throws Exception {
        Future<Void> stuck = new Future<>();
        Server server = Streams.startServer((r, w) -> {
            w.write(new byte[16 << 20]);                  // far more than the socket buffers take
            stuck.setResult(null);
            w.drain();                                    // never returns: the client does not read
        }, "127.0.0.1", 0);
        Task<Void> serving = Asyncio.createTask(server::serveForever);
        Connection c = Streams.openConnection("127.0.0.1", server.port());
        stuck.await();
        double cancelledAt = loop.time();
        serving.cancel();
        assertThrows(CancelledError.class, serving::await);  // returns: the unflushable connection was aborted
        assertTrue(loop.time() - cancelledAt >= Server.CLOSE_GRACE_SECONDS, "aborted only after the grace period");
        assertEquals(List.of(), server.sockets());
        c.writer().transport().abort();
        server.waitClosed();
    }
}
