package dev.asyncio.http;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Future;
import dev.asyncio.Task;
import dev.asyncio.TimerHandle;
import dev.asyncio.net.ConnectionError;
import dev.asyncio.LoopGroup;
import dev.asyncio.net.channel.Channels;
import dev.asyncio.net.channel.RoundRobinLoops;
import dev.asyncio.net.channel.NetErrors;
import dev.asyncio.net.channel.Tls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.unix.UnixChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpContentEncoder;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.ssl.SslContext;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An HTTP/1.1 server on the running loop: each request is answered by a {@link Handler} in a task of its own;
 * mirrors aiohttp.web's {@code AppRunner}/{@code TCPSite} and Go's {@code http.Server}.
 *
 * <pre>{@code
 * Router router = new Router();
 * router.get("/hello/{name}", (request, response) -> response.send(200, "hello " + request.pathParam("name")));
 * HttpServer server = HttpServer.start(router, "127.0.0.1", 8080);
 * server.serveForever();
 * }</pre>
 *
 * <p>Built on Netty's HTTP/1.1 request decoder and response encoder (the two halves of
 * {@code HttpServerCodec}, taken apart so that a request with both {@code Content-Length} and
 * {@code Transfer-Encoding} is refused with 400 instead of having one silently dropped), its compressor
 * ({@link Builder#compression}) and, for a file sent over TLS, its chunked-write handler; whether a connection is
 * kept alive is decided here from the request and the response, as Netty's keep-alive handler would. A connection's
 * requests are answered one after the other, so that pipelined requests get their responses in order;
 * different connections' requests run at the same time. Keep-alive, chunked and fixed-length bodies both
 * ways, {@code Expect: 100-continue}, {@code HEAD}, {@code Date} and {@code Server} headers are handled here;
 * {@link ServerLimits} says what is refused and when clients are timed out.
 *
 * <p>A handler's exception becomes a {@code 500} with a body that says nothing about it, and is reported once
 * to the loop's exception handler. {@link #shutdown(double)} stops accepting and lets the requests in flight
 * finish within a grace period; {@link #close()} cuts everything at once.
 *
 * <p>Several loops: {@link Builder#start(LoopGroup, String, int)} serves one port on every loop of a
 * {@link LoopGroup}, the way asyncio-net's group servers do: on epoll and io_uring each loop listens on a socket of
 * its own bound with {@code SO_REUSEPORT} (the kernel spreads the connections); on NIO the group's first loop
 * accepts and hands each connection to the next loop in turn. Each connection, its requests' tasks and its
 * handlers stay on the loop its channel is registered with; {@link #shutdown(double)} and {@link #close()} cover
 * every loop. A group closed under the server ({@link LoopGroup#close()}) closes its connections and cancels its
 * handlers with its loops; the server then counts as closed: {@link #waitClosed()}, {@link #shutdown(double)} and
 * {@link #close()} return at once.
 *
 * <p>Upgraded connections (WebSockets) are ended first on shutdown and close: their handlers are cancelled, so
 * that a WebSocket says {@code 1001} (going away) to its peer before its connection closes.
 */
public final class HttpServer implements AutoCloseable {
    static final String COMPRESSOR = "http-compressor";
    static final String CHUNKED_WRITER = "http-chunked-writer";
    static final String BYTE_WATCHER = "http-byte-watcher";
    /**
     * How long {@link #close()} lets a cancelled upgraded handler (a WebSocket) take to write its close frame and
     * close its connection before the server closes the connection itself (a peer that does not read).
     */
    static final double UPGRADED_CLOSE_SECONDS = 1.0;

    private final AsyncLoop loop;
    private final Handler handler;
    private final ServerLimits limits;
    private final SslContext ssl;
    private final boolean compression;
    private final String serverName;
    private final List<Channel> listeners = new ArrayList<>();
    /**
     * The live connections: open, or closed with their handler's task still running. A connection's running
     * task is its {@link ServerConnection#running()}: no per-request set of tasks to keep up.
     */
    private final Map<Channel, ServerConnection> connections = new LinkedHashMap<>();
    /** The handlers that took their connection over ({@link ServerRequest#upgrade()}) and still run. */
    private final Set<Task<?>> upgraded = new LinkedHashSet<>();
    private final Future<Void> closed;
    /** {@link #closed}, for a group server's home loop (completed on this part's loop). */
    private final CompletableFuture<Void> closedForGroup = new CompletableFuture<>();
    /** Open connections: this server's, or shared by all parts of a group server (maxConnections is for all). */
    private final AtomicInteger open;
    /** A group server's one-loop parts (empty for a one-loop server), and its group. */
    private final List<HttpServer> parts;
    private final LoopGroup group;
    private TimerHandle upgradedCut;
    private boolean serving = true;
    private long dateSecond = -1;
    private String date;

    private HttpServer(AsyncLoop loop, Builder b) {
        this(loop, b, null, new AtomicInteger());
    }

    private HttpServer(AsyncLoop loop, Builder b, LoopGroup group, AtomicInteger open) {
        this.loop = loop;
        this.group = group;
        this.open = open;
        this.parts = new ArrayList<>();
        this.handler = b.handler;
        this.limits = b.limits;
        this.ssl = b.ssl;
        this.compression = b.compression;
        this.serverName = b.serverName;
        this.closed = loop.createFuture();
    }

    /**
     * Starts a server with the default limits, no TLS and no compression. Suspends the current task until it
     * listens on {@code host}:{@code port} (0: a free port, see {@link #port()}).
     *
     * <p>Cancellation: nothing is left listening.
     *
     * @throws ConnectionError if the address cannot be bound
     */
    public static HttpServer start(Handler handler, String host, int port) {
        return builder(handler).start(host, port);
    }

    /** A builder for a server answering with {@code handler}. */
    public static Builder builder(Handler handler) {
        return new Builder(Objects.requireNonNull(handler, "handler"));
    }

    /** The port listened on. */
    public int port() {
        return address().getPort();
    }

    /** The address listened on. */
    public InetSocketAddress address() {
        HttpServer first = parts.isEmpty() ? this : parts.get(0);   // a group server's first part listens
        return (InetSocketAddress) first.listeners.get(0).localAddress();
    }

    /** Whether it still accepts connections (not once closed, nor once the {@link LoopGroup} it runs on is). */
    public boolean isServing() {
        return serving && (group == null || !group.isClosed());
    }

    /** How many connections are open (on every loop, for a server on a {@link LoopGroup}). */
    public int connections() {
        return open.get();
    }

    /**
     * Stops accepting, then lets the requests in flight finish, for at most {@code graceSeconds}; then closes
     * every connection and cancels the handlers still running. Idle keep-alive connections close at once, busy
     * ones after their current response; upgraded ones (WebSockets) are never idle, so their handlers are
     * cancelled at once (a WebSocket sends {@code 1001}, going away, and closes). Suspends the current task until
     * every connection is closed. Mirrors Go's {@code Server.Shutdown}. On a {@link LoopGroup}, every loop does
     * this for its own connections, all at once.
     *
     * <p>Cancellation: the server is closed at once ({@link #close()}), then the {@link CancelledError} is thrown.
     */
    public void shutdown(double graceSeconds) {
        if (!parts.isEmpty()) {
            serving = false;
            try {
                onEveryPart(part -> part.shutdown(graceSeconds));
            } catch (CancelledError e) {
                close();
                throw e;
            }
            return;
        }
        stopAccepting();
        // Upgraded connections have no "idle": their handlers are told to go (a WebSocket sends 1001) at once.
        for (Task<?> t : new ArrayList<>(upgraded)) {
            t.cancel();
        }
        for (ServerConnection c : new ArrayList<>(connections.values())) {
            c.closeWhenIdle();
        }
        TimerHandle cut = graceSeconds == Double.POSITIVE_INFINITY ? null : loop.callLater(graceSeconds, this::close);
        try {
            waitClosedInternal();
        } catch (CancelledError e) {
            close();
            throw e;
        } finally {
            if (cut != null) {
                cut.cancel();
            }
        }
    }

    /**
     * Stops accepting and closes every connection now, cancelling the handlers still running. Upgraded
     * connections go first: their handlers are cancelled (a WebSocket sends {@code 1001}, going away, and
     * closes) and their connections closed once that is written, or after {@value #UPGRADED_CLOSE_SECONDS}
     * seconds at the latest. Does not suspend; idempotent. On a {@link LoopGroup}, each loop closes its own
     * connections.
     */
    @Override
    public void close() {
        if (!parts.isEmpty()) {
            serving = false;
            for (HttpServer part : parts) {
                try {
                    part.loop.callSoonThreadsafe(part::close);
                } catch (IllegalStateException loopClosed) {
                    part.closedForGroup.complete(null);   // the group closed: its loops closed every channel
                }
            }
            return;
        }
        stopAccepting();
        // Cancel the upgraded handlers before closing anything, so that their close frames can still go out.
        for (Task<?> t : new ArrayList<>(upgraded)) {
            t.cancel();
        }
        List<Channel> taken = new ArrayList<>();
        for (Map.Entry<Channel, ServerConnection> e : connections.entrySet()) {
            if (e.getValue().takenOver()) {
                taken.add(e.getKey());
            }
        }
        List<ServerConnection> live = new ArrayList<>(connections.values());
        for (ServerConnection c : live) {
            if (!c.takenOver()) {
                c.channel().close();
            }
        }
        for (ServerConnection c : live) {
            Task<Void> t = c.running();
            if (t != null) {
                t.cancel();
            }
        }
        if (!taken.isEmpty() && upgradedCut == null) {
            upgradedCut = loop.callLater(UPGRADED_CLOSE_SECONDS, () -> taken.forEach(Channel::close));
        }
        checkClosed();
    }

    /**
     * Suspends the current task until the server is closed and all its connections are. Cancellation: only the
     * wait ends.
     */
    public void waitClosed() {
        waitClosedInternal();
    }

    /** Suspends the current task until the server is closed (by another task). Cancellation: the server is closed. */
    public void serveForever() {
        try {
            waitClosedInternal();
        } catch (CancelledError e) {
            close();
            throw e;
        }
    }

    private void waitClosedInternal() {
        if (!parts.isEmpty()) {
            CompletableFuture<?>[] all = parts.stream().map(p -> p.closedForGroup).toArray(CompletableFuture<?>[]::new);
            Asyncio.await(CompletableFuture.allOf(all));    // cancelling the wait cancels only this combined future
            return;
        }
        if (!closed.done()) {
            Asyncio.shield(closed);
        }
    }

    /**
     * Runs {@code action} on every part of a group server, each in a task of its own loop, all at once, and
     * suspends until all are done. Cancellation cancels the parts' tasks too; a part whose loop is closed (its
     * group closed first) is skipped.
     */
    private void onEveryPart(Consumer<HttpServer> action) {
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (HttpServer part : parts) {
            try {
                running.add(group.runOn(part.loop, () -> action.accept(part)));
            } catch (IllegalStateException groupClosed) {
                part.closedForGroup.complete(null);
            }
        }
        try {
            Asyncio.await(CompletableFuture.allOf(running.toArray(new CompletableFuture<?>[0])).handle((v, e) -> null));
        } catch (CancelledError e) {
            running.forEach(f -> f.cancel(false));
            throw e;
        }
    }

    private void stopAccepting() {
        if (!serving) {
            return;
        }
        serving = false;
        for (Channel l : listeners) {
            l.close();
        }
        checkClosed();
    }

    private void checkClosed() {
        if (!serving && connections.isEmpty() && !closed.done()) {
            if (upgradedCut != null) {
                upgradedCut.cancel();
            }
            closed.setResult(null);
            closedForGroup.complete(null);
        }
    }

    // ---------------------------------------------------------------- for the connections

    Handler handler() {
        return handler;
    }

    /** {@code task}'s handler took its connection over: it is cancelled first when the server closes. */
    void tookOver(Task<Void> task) {
        if (task != null && upgraded.add(task)) {
            task.addDoneCallback(t -> upgraded.remove(task));
        }
    }

    /** {@code connection}'s handler task is done: a closed connection is no longer live. */
    void taskDone(ServerConnection connection) {
        if (!connection.channel().isOpen() && connection.running() == null) {
            connections.remove(connection.channel());
            checkClosed();
        }
    }

    /** Adds {@code Date} and {@code Server} unless the handler set them. */
    void standardHeaders(HttpHeaders h) {
        if (!h.contains(HttpHeaderNames.DATE)) {
            long now = System.currentTimeMillis();
            if (now / 1000 != dateSecond) {
                dateSecond = now / 1000;
                date = DateFormatter.format(new Date(now));
            }
            h.set(HttpHeaderNames.DATE, date);
        }
        if (serverName != null && !h.contains(HttpHeaderNames.SERVER)) {
            h.set(HttpHeaderNames.SERVER, serverName);
        }
    }

    /** Tells {@code compressor} (if there is one) whether it may compress the response about to be written. */
    static void compress(Object compressor, boolean allowed) {
        if (compressor instanceof Compressor c) {
            c.allowNext = allowed;
        }
    }

    // ---------------------------------------------------------------- Netty set-up

    /** Builds a connection's pipeline (the TLS handler first, when there is one). */
    private void pipeline(Channel ch) {
        ServerLimits l = limits;
        if (!serving) {
            refuseConnection(ch);
            return;
        }
        if (open.incrementAndGet() > l.maxConnections()) {
            open.decrementAndGet();
            refuseConnection(ch);
            return;
        }
        // This server's loop is the one ch is registered with (a group server hands ch to the part of its loop).
        ServerConnection connection = new ServerConnection(this, loop, l);
        connections.put(ch, connection);
        ch.closeFuture().addListener(f -> {
            open.decrementAndGet();
            if (connection.running() == null) {       // else it stays live until its task is done (taskDone)
                connections.remove(ch);
                checkClosed();
            }
        });
        ChannelPipeline p = ch.pipeline();
        if (ssl != null) {
            // The handshake gets the header timeout; ALPN is the context's (an ApplicationProtocolConfig offering http/1.1).
            double t = l.headerTimeout();
            p.addLast(Tls.serverHandler(ch, ssl, t == Double.POSITIVE_INFINITY ? 0 : t, List.of()));
        }
        p.addLast(BYTE_WATCHER, connection.byteWatcher());
        p.addLast(new Decoder(new HttpDecoderConfig().setMaxInitialLineLength(l.maxRequestLine())
                .setMaxHeaderSize(l.maxHeaderSize()).setMaxChunkSize(16 * 1024)));
        p.addLast(new HttpResponseEncoder());
        // No keep-alive handler (ServerResponse decides from the request and the response) and no chunked-write
        // handler unless a file is sent over TLS (ServerConnection.chunkedWriter()): each costs every request.
        if (compression) {
            Compressor c = new Compressor();
            p.addLast(COMPRESSOR, c);
            connection.compressor(c);
        }
        p.addLast(connection);
    }

    /** One connection too many: a fixed 503, then closed. */
    private static void refuseConnection(Channel ch) {
        byte[] answer = ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 28\r\n"
                + "Connection: close\r\n\r\ntoo many connections, retry\n").getBytes(StandardCharsets.US_ASCII);
        ch.writeAndFlush(Unpooled.wrappedBuffer(answer)).addListener(ChannelFutureListener.CLOSE);
    }

    private void listen(String host, int port) {
        listen(host, port, loop.ioEventLoop(), ch -> this, false);
    }

    /**
     * Listens on {@code host}:{@code port} from a task of this server's loop, handing accepted channels to
     * {@code children} and each to the server {@code partOf} names for it (this one, or a group server's part of
     * the channel's loop), with {@code SO_REUSEPORT} if {@code reusePort}.
     */
    private void listen(String host, int port, EventLoopGroup children, Function<Channel, HttpServer> partOf,
                        boolean reusePort) {
        ServerBootstrap b = new ServerBootstrap()
                .group(loop.ioEventLoop(), children)
                .channelFactory(Channels.serverSocket(loop.transport()))
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        partOf.apply(ch).pipeline(ch);
                    }
                });
        if (reusePort) {
            b.option(UnixChannelOption.SO_REUSEPORT, true);
        }
        ChannelFuture bound = b.bind(host, port);
        Future<Channel> done = loop.createFuture();
        bound.addListener(f -> {
            Runnable complete = () -> {
                if (done.done()) {
                    return;
                }
                if (f.isSuccess()) {
                    done.setResult(bound.channel());
                } else {
                    done.setException(NetErrors.toNetError(f.cause(), "cannot listen on " + host + ":" + port));
                }
            };
            if (loop.ioEventLoop().inEventLoop()) {
                complete.run();
            } else {
                loop.callSoonThreadsafe(complete);
            }
        });
        try {
            listeners.add(done.await());
        } catch (Throwable t) {
            bound.channel().close();
            throw t;
        }
    }

    @Override
    public String toString() {
        if (!parts.isEmpty()) {
            return "HttpServer[" + (listeners.isEmpty() && parts.get(0).listeners.isEmpty() ? "not listening" : address())
                    + (serving ? "" : ", closing") + ", " + parts.size() + " loops, " + open.get() + " connections]";
        }
        return "HttpServer[" + (listeners.isEmpty() ? "not listening" : listeners.get(0).localAddress())
                + (serving ? "" : ", closing") + ", " + connections.size() + " connections]";
    }

    /**
     * Netty's request decoder, refusing a request with both {@code Content-Length} and
     * {@code Transfer-Encoding} (Netty would drop the length and go on; RFC 9112 allows either, and refusing
     * closes the request-smuggling door).
     */
    private static final class Decoder extends HttpRequestDecoder {
        Decoder(HttpDecoderConfig config) {
            super(config);
        }

        @Override
        protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
            throw new IllegalArgumentException("both Content-Length and Transfer-Encoding: chunked");
        }
    }

    /** Netty's compressor, told per response whether it may compress (never files or event streams). */
    private static final class Compressor extends HttpContentCompressor {
        boolean allowNext = true;

        @Override
        protected HttpContentEncoder.Result beginEncode(HttpResponse response, String acceptEncoding) throws Exception {
            boolean allowed = allowNext;
            allowNext = true;
            return allowed ? super.beginEncode(response, acceptEncoding) : null;
        }
    }

    /** Builds and starts an {@link HttpServer}. */
    public static final class Builder {
        private final Handler handler;
        private ServerLimits limits = ServerLimits.defaults();
        private SslContext ssl;
        private boolean compression;
        private String serverName = "asyncio-java";

        private Builder(Handler handler) {
            this.handler = handler;
        }

        /** The limits; {@link ServerLimits#defaults()} unless set. */
        public Builder limits(ServerLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Serves HTTPS with {@code context} (a server context; for ALPN, build it with an
         * {@code ApplicationProtocolConfig} that offers {@code http/1.1}).
         */
        public Builder ssl(SslContext context) {
            if (context != null && context.isClient()) {
                throw new IllegalArgumentException("a server needs a server SslContext (SslContextBuilder.forServer)");
            }
            this.ssl = context;
            return this;
        }

        /** Whether to gzip (or deflate) response bodies for clients that accept it; off unless set. */
        public Builder compression(boolean on) {
            this.compression = on;
            return this;
        }

        /** The {@code Server} header's value ({@code asyncio-java} unless set; {@code null}: none). */
        public Builder serverName(String name) {
            this.serverName = name;
            return this;
        }

        /**
         * Starts the server on the running loop. Suspends the current task until it listens on
         * {@code host}:{@code port} (0: a free port).
         *
         * <p>Cancellation: nothing is left listening.
         *
         * @throws ConnectionError if the address cannot be bound
         */
        public HttpServer start(String host, int port) {
            AsyncLoop loop = Asyncio.getRunningLoop();
            HttpServer server = new HttpServer(loop, this);
            server.listen(host, port);
            return server;
        }

        /**
         * Starts the server on every loop of {@code group}, all listening on {@code host}:{@code port} (0: a free
         * port, the same on every loop); the returned server is controlled from the running loop (which need not
         * be one of the group's). On epoll and io_uring each loop listens with {@code SO_REUSEPORT}; on NIO the
         * group's first loop accepts and hands connections round the loops. A connection's requests are handled
         * on its loop; {@link ServerLimits#maxConnections()} counts the connections of all loops. Suspends the
         * current task until every loop listens.
         *
         * <p>Cancellation: nothing is left listening.
         *
         * @throws ConnectionError       if the address cannot be bound
         * @throws IllegalStateException if the group is closed
         */
        public HttpServer start(LoopGroup group, String host, int port) {
            Objects.requireNonNull(group, "group");
            AsyncLoop home = Asyncio.getRunningLoop();
            if (group.isClosed()) {
                throw new IllegalStateException(group + " is closed: a server cannot listen on it");
            }
            AtomicInteger open = new AtomicInteger();
            HttpServer server = new HttpServer(home, this, group, open);
            Map<EventLoop, HttpServer> partOfLoop = new IdentityHashMap<>();
            for (AsyncLoop loop : group.loops()) {
                // Made on its own loop, whose future it holds.
                HttpServer part = Asyncio.await(group.runOn(loop, () -> new HttpServer(loop, this, null, open)));
                server.parts.add(part);
                partOfLoop.put(loop.ioEventLoop(), part);
                // Waits on the part's loop until the part is closed. Closing the group cancels every task of its
                // loops, this one too: the part then counts as closed, so that no waitClosed() waits forever.
                group.runOn(loop, () -> {
                    try {
                        Asyncio.shield(part.closed);
                    } finally {
                        part.closedForGroup.complete(null);
                    }
                });
            }
            // Not modified from here on; each loop's thread reads it for every channel it is handed.
            Function<Channel, HttpServer> partOf = ch -> {
                HttpServer part = partOfLoop.get(ch.eventLoop());
                if (part == null) {
                    throw new IllegalStateException("channel " + ch + " is registered with a loop outside " + group);
                }
                return part;
            };
            try {
                if (RoundRobinLoops.reusePort(group)) {
                    int chosen = port;
                    for (HttpServer part : server.parts) {
                        int p = chosen;
                        Asyncio.await(group.runOn(part.loop,
                                () -> part.listen(host, p, part.loop.ioEventLoop(), partOf, true)));
                        chosen = part.port();
                    }
                } else {
                    HttpServer acceptor = server.parts.get(0);
                    RoundRobinLoops children = new RoundRobinLoops(group);
                    Asyncio.await(group.runOn(acceptor.loop, () -> acceptor.listen(host, port, children, partOf, false)));
                }
            } catch (Throwable t) {
                server.close();
                throw t;
            }
            return server;
        }
    }
}
