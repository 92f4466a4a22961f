package dev.asyncio.net;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.Context;
import dev.asyncio.LoopGroup;

import java.nio.file.Path;
import java.util.Objects;

/**
 * High-level connections as a reader and a writer; mirrors asyncio's {@code open_connection} and
 * {@code start_server}.
 *
 * <pre>{@code
 * Server server = Streams.startServer((reader, writer) -> {
 *     byte[] line = reader.readLine();
 *     writer.write(line);
 * }, "127.0.0.1", 0);
 *
 * try (Connection c = Streams.openConnection("127.0.0.1", server.port())) {
 *     c.writer().write("hi\n".getBytes());
 *     byte[] echoed = c.reader().readLine();
 * }
 * }</pre>
 *
 * <p>Streams are built on {@link Net}'s transports and protocols, exactly as in asyncio. Each connection a
 * server accepts runs its {@link ConnectionHandler} in a task of its own; the connection is closed when the
 * handler returns.
 */
public final class Streams {
    private Streams() {
    }

    /** {@link #openConnection(String, int, StreamOptions)} with default options. */
    public static Connection openConnection(String host, int port) {
        return openConnection(host, port, StreamOptions.defaults());
    }

    /**
     * Opens a connection (TLS if {@code options.ssl()} is set). Suspends the current task until it is
     * established. Mirrors {@code asyncio.open_connection}.
     *
     * <p>Cancellation: the {@link dev.asyncio.CancelledError} is thrown here and no connection is left open.
     *
     * @throws ConnectionRefusedError if nobody listens there
     * @throws NameResolutionError    if the host name is unknown
     * @throws SslError               if the TLS handshake fails
     * @throws ConnectionError        for any other network failure
     */
    public static Connection openConnection(String host, int port, StreamOptions options) {
        AsyncLoop loop = Asyncio.getRunningLoop();
        StreamReader reader = new StreamReader(options.limit());
        StreamReaderProtocol protocol = Net.createConnection(
                () -> new StreamReaderProtocol(loop, reader, null, null), host, port, options).protocol();
        return new Connection(reader, protocol.writer());
    }

    /**
     * Opens a connection to the Unix domain socket at {@code path}. Suspends the current task until it is
     * established. Mirrors {@code asyncio.open_unix_connection}.
     *
     * <p>Cancellation: as {@link #openConnection(String, int, StreamOptions)}.
     */
    public static Connection openUnixConnection(Path path, StreamOptions options) {
        AsyncLoop loop = Asyncio.getRunningLoop();
        StreamReader reader = new StreamReader(options.limit());
        StreamReaderProtocol protocol = Net.createUnixConnection(
                () -> new StreamReaderProtocol(loop, reader, null, null), path, options).protocol();
        return new Connection(reader, protocol.writer());
    }

    /** {@link #openUnixConnection(Path, StreamOptions)} with default options; suspends likewise. */
    public static Connection openUnixConnection(Path path) {
        return openUnixConnection(path, StreamOptions.defaults());
    }

    /** {@link #startServer(ConnectionHandler, String, int, ServerOptions)} with default options. */
    public static Server startServer(ConnectionHandler handler, String host, int port) {
        return startServer(handler, host, port, ServerOptions.defaults());
    }

    /**
     * Starts a server on {@code host:port} ({@code port} 0: any free port, see {@link Server#port()}) that
     * runs {@code handler} in a new task for each connection, in a copy of the caller's {@link Context}.
     * Suspends the current task until it listens.
     * Mirrors {@code asyncio.start_server}.
     *
     * <p>Cancellation: the {@link dev.asyncio.CancelledError} is thrown here and nothing is left listening.
     */
    public static Server startServer(ConnectionHandler handler, String host, int port, ServerOptions options) {
        Objects.requireNonNull(handler, "handler");
        AsyncLoop loop = Asyncio.getRunningLoop();
        Context starter = Context.copyCurrent(); // each handler runs in a copy of the caller's context
        return Net.createServer(
                server -> () -> new StreamReaderProtocol(loop, new StreamReader(options.limit()), handler, server, starter),
                host, port, options);
    }

    /** {@link #startServer(LoopGroup, ConnectionHandler, String, int, ServerOptions)} with default options. */
    public static Server startServer(LoopGroup group, ConnectionHandler handler, String host, int port) {
        return startServer(group, handler, host, port, ServerOptions.defaults());
    }

    /**
     * As {@link #startServer(ConnectionHandler, String, int, ServerOptions)}, but the connections are spread over
     * the loops of {@code group} (see {@link Net#createServer(LoopGroup, java.util.function.Supplier, String, int,
     * ServerOptions)} for how): each connection's handler runs in a task on the loop that owns the connection's
     * channel, and nothing of that connection runs on another loop. Handlers of different connections run on
     * several threads at once, so what they share must be thread-safe. The returned server belongs to the
     * calling task's loop; {@link Server#shutdown(double)} drains every loop. Suspends the current task until
     * the server listens.
     *
     * <pre>{@code
     * try (LoopGroup group = LoopGroup.create()) {                      // one loop per core
     *     Server server = Streams.startServer(group, EchoServer::echo, "0.0.0.0", 8888);
     *     server.serveForever();
     * }
     * }</pre>
     *
     * <p>Cancellation: the {@link dev.asyncio.CancelledError} is thrown here and nothing is left listening.
     *
     * @throws IllegalStateException if the group is closed
     */
    public static Server startServer(LoopGroup group, ConnectionHandler handler, String host, int port, ServerOptions options) {
        Objects.requireNonNull(handler, "handler");
        Context starter = Context.copyCurrent(); // each handler runs in a copy of the caller's context
        return Net.createServer(group,
                part -> () -> new StreamReaderProtocol(part.loop(), new StreamReader(options.limit()), handler, part, starter),
                host, port, options);
    }

    /**
     * Starts a server on the Unix domain socket at {@code path}; otherwise as
     * {@link #startServer(ConnectionHandler, String, int, ServerOptions)}. Suspends the current task until the
     * socket is bound. Mirrors {@code asyncio.start_unix_server}.
     *
     * <p>Cancellation: the {@link dev.asyncio.CancelledError} is thrown here and nothing is left listening.
     */
    public static Server startUnixServer(ConnectionHandler handler, Path path, ServerOptions options) {
        Objects.requireNonNull(handler, "handler");
        AsyncLoop loop = Asyncio.getRunningLoop();
        Context starter = Context.copyCurrent();
        return Net.createUnixServer(
                server -> () -> new StreamReaderProtocol(loop, new StreamReader(options.limit()), handler, server, starter),
                path, options);
    }

    /** {@link #startUnixServer(ConnectionHandler, Path, ServerOptions)} with default options; suspends likewise. */
    public static Server startUnixServer(ConnectionHandler handler, Path path) {
        return startUnixServer(handler, path, ServerOptions.defaults());
    }
}
