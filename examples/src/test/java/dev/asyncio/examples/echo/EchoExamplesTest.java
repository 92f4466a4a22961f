package dev.asyncio.examples.echo;

import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.IoTransport;
import dev.asyncio.LoopGroup;
import dev.asyncio.Task;
import dev.asyncio.net.Connection;
import dev.asyncio.net.ConnectionRefusedError;
import dev.asyncio.net.Server;
import dev.asyncio.net.ServerOptions;
import dev.asyncio.net.Streams;
import dev.asyncio.test.AsyncTest;
import dev.asyncio.test.ListenBacklog;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The echo examples end to end: the client against both servers, and Ctrl-C (cancelling main) shutting down cleanly. */
class EchoExamplesTest {
    private static PrintStream capture(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    /** Runs the client against {@code server} served by {@code serve}, then cancels the serving task as Ctrl-C does. */
    private static void echoThenStop(Server server, Serve serve) throws Exception {
        ByteArrayOutputStream serverOut = new ByteArrayOutputStream();
        ByteArrayOutputStream clientOut = new ByteArrayOutputStream();
        int port = server.port();
        String listening = "serving on " + server.sockets() + "; SIGTERM or Ctrl-C stops";
        Task<Void> main = Asyncio.createTask(() -> serve.serve(server, 0, capture(serverOut)), "main");
        List<String> echoes = EchoClient.talk("127.0.0.1", port, List.of("hello", "wörld", "x".repeat(50_000)),
                capture(clientOut));
        assertEquals(List.of("hello", "wörld", "x".repeat(50_000)), echoes);
        assertTrue(clientOut.toString(StandardCharsets.UTF_8).startsWith("sent hello, got back hello\n"));

        Connection idle = Streams.openConnection("127.0.0.1", port);   // a client that never leaves by itself
        idle.writer().write("still here".getBytes(StandardCharsets.UTF_8));
        assertEquals("still here", new String(idle.reader().read(100), StandardCharsets.UTF_8));

        main.cancel();                                                  // what Ctrl-C does to Asyncio.run's task
        assertThrows(CancelledError.class, main::await);
        assertEquals(List.of(listening, "draining", "stopped"), serverOut.toString(StandardCharsets.UTF_8).lines().toList());
        assertFalse(server.isServing());
        assertEquals(0, idle.reader().read(1).length, "the idle connection was closed when the grace (0 s) was over");
        idle.close();
        assertThrows(ConnectionRefusedError.class, () -> Streams.openConnection("127.0.0.1", port));
        server.waitClosed();
    }

    /** EchoServer.serve or ProtocolEchoServer.serve. */
    @FunctionalInterface
    interface Serve {
        void serve(Server server, double graceSeconds, PrintStream out);
    }

    @AsyncTest
    void streamsEchoServerEchoesAndStopsCleanlyOnCtrlC() throws Exception {
        echoThenStop(EchoServer.start("127.0.0.1", 0, ServerOptions.DEFAULT_BACKLOG), EchoServer::serve);
    }

    @AsyncTest
    void protocolEchoServerEchoesAndStopsCleanlyOnCtrlC() throws Exception {
        echoThenStop(ProtocolEchoServer.start("127.0.0.1", 0, ServerOptions.DEFAULT_BACKLOG), ProtocolEchoServer::serve);
    }

    @AsyncTest
    void bothServersServeOnALoopGroupAndDrainOnCancellation() throws Exception {
        try (LoopGroup group = LoopGroup.builder().size(2).name("echo-test").build()) {
            echoThenStop(EchoServer.start(group, "127.0.0.1", 0, ServerOptions.DEFAULT_BACKLOG), EchoServer::serve);
            echoThenStop(ProtocolEchoServer.start(group, "127.0.0.1", 0, ServerOptions.DEFAULT_BACKLOG),
                    ProtocolEchoServer::serve);
        }
    }

    @AsyncTest
    void theClientReportsARefusedConnection() {
        int port;
        try (Server s = EchoServer.start("127.0.0.1", 0, ServerOptions.DEFAULT_BACKLOG)) {
            port = s.port();
        }
        assertThrows(ConnectionRefusedError.class,
                () -> EchoClient.talk("127.0.0.1", port, List.of("anyone?"), capture(new ByteArrayOutputStream())));
    }

    @Test
    void optionsAreParsedAndBadOnesNamed() {
        int max = ServerOptions.DEFAULT_BACKLOG;
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(new EchoOptions("127.0.0.1", 8888, max, IoTransport.NIO, cores, 10.0, List.of()), EchoOptions.parse());
        assertEquals(new EchoOptions("0.0.0.0", 9000, max, IoTransport.NIO, cores, 10.0, List.of("a", "b")),
                EchoOptions.parse("--host", "0.0.0.0", "a", "--port", "9000", "b"));
        assertEquals(new EchoOptions("127.0.0.1", 8888, 7, IoTransport.IO_URING, 3, 0.5, List.of()),
                EchoOptions.parse(true, "--backlog", "7", "--transport", "io_uring", "--loops", "3", "--grace", "0.5"));
        assertEquals("--loops is a server option",
                assertThrows(IllegalArgumentException.class, () -> EchoOptions.parse("--loops", "2")).getMessage());
        assertEquals("--loops must be 1-1024, got 0",
                assertThrows(IllegalArgumentException.class, () -> EchoOptions.parse(true, "--loops", "0")).getMessage());
        assertEquals("--grace must be a finite number of seconds >= 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> EchoOptions.parse(true, "--grace", "-1")).getMessage());
        assertEquals(IoTransport.EPOLL, EchoOptions.parse("--transport", "EPOLL").transport());
        assertEquals("--port needs a number, got 'http'",
                assertThrows(IllegalArgumentException.class, () -> EchoOptions.parse("--port", "http")).getMessage());
        assertEquals("--port must be 0-65535, got 70000",
                assertThrows(IllegalArgumentException.class, () -> EchoOptions.parse("--port", "70000")).getMessage());
        assertEquals("--host needs a value",
                assertThrows(IllegalArgumentException.class, () -> EchoOptions.parse("--host")).getMessage());
        assertEquals("unknown option --verbose",
                assertThrows(IllegalArgumentException.class, () -> EchoOptions.parse("--verbose")).getMessage());
        assertEquals("--backlog must be 1-2147483647, got 0",
                assertThrows(IllegalArgumentException.class, () -> EchoOptions.parse(true, "--backlog", "0")).getMessage());
        assertEquals("--backlog is a server option",
                assertThrows(IllegalArgumentException.class, () -> EchoOptions.parse("--backlog", "5")).getMessage());
        assertEquals("--transport must be nio, epoll or io_uring, got 'kqueue'",
                assertThrows(IllegalArgumentException.class, () -> EchoOptions.parse("--transport", "kqueue")).getMessage());
    }

    @AsyncTest
    void theServersListenWithTheBacklogTheyAreGiven() {
        try (Server s = EchoServer.start("127.0.0.1", 0, 7); Server p = ProtocolEchoServer.start("127.0.0.1", 0, 9)) {
            assertEquals(7, ListenBacklog.of(s.port()));
            assertEquals(9, ListenBacklog.of(p.port()));
        }
        try (Server s = EchoServer.start("127.0.0.1", 0, ServerOptions.DEFAULT_BACKLOG)) {
            assertEquals(ServerOptions.DEFAULT_BACKLOG, ListenBacklog.of(s.port()), "the system's maximum");
        }
    }
}
