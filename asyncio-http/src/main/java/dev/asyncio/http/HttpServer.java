package dev.asyncio.http;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Future;
import dev.asyncio.Task;
import dev.asyncio.TimerHandle;
import dev.asyncio.net.ConnectionError;
import dev.asyncio.net.channel.Channels;
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
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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
 * {@code Transfer-Encoding} is refused with 400 instead of having one silently dropped), its keep-alive
 * handler, its compressor ({@link Builder#compression}) and its chunked-write handler. A connection's
 * requests are answered one after the other, so that pipelined requests get their responses in order;
 * different connections' requests run at the same time. Keep-alive, chunked and fixed-length bodies both
 * ways, {@code Expect: 100-continue}, {@code HEAD}, {@code Date} and {@code Server} headers are handled here;
 * {@link ServerLimits} says what is refused and when clients are timed out.
 *
 * <p>A handler's exception becomes a {@code 500} with a body that says nothing about it, and is reported once
 * to the loop's exception handler. {@link #shutdown(double)} stops accepting and lets the requests in flight
 * finish within a grace period; {@link #close()} cuts everything at once.
 *
 * <p>Several loops: start one server per loop with the same handler ({@link Builder#start} on each loop);
 * sharing one port across loops needs {@code SO_REUSEPORT} or a loop group, which this server is ready for:
 * each connection is served on the loop its channel is registered with (see {@link #loopFor}).
 */
public final class HttpServer implements AutoCloseable {
    static final String KEEP_ALIVE = "http-keep-alive";
    static final String COMPRESSOR = "http-compressor";
    static final String CHUNKED_WRITER = "http-chunked-writer";
    static final String BYTE_WATCHER = "http-byte-watcher";

    private final AsyncLoop loop;
    private final Handler handler;
    private final ServerLimits limits;
    private final SslContext ssl;
    private final boolean compression;
    private final String serverName;
    private final List<Channel> listeners = new ArrayList<>();
    private final Set<Channel> channels = new LinkedHashSet<>();
    private final Map<Channel, ServerConnection> connections = new LinkedHashMap<>();
    private final Set<Task<?>> inFlight = new LinkedHashSet<>();
    private final Future<Void> closed;
    private boolean serving = true;
    private long dateSecond = -1;
    private String date;

    private HttpServer(AsyncLoop loop, Builder b) {
        this.loop = loop;
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
        return (InetSocketAddress) listeners.get(0).localAddress();
    }

    /** Whether it still accepts connections. */
    public boolean isServing() {
        return serving;
    }

    /** How many connections are open. */
    public int connections() {
        return channels.size();
    }

    /**
     * Stops accepting, then lets the requests in flight finish, for at most {@code graceSeconds}; then closes
     * every connection and cancels the handlers still running. Idle keep-alive connections close at once, busy
     * ones after their current response. Suspends the current task until every connection is closed.
     * Mirrors Go's {@code Server.Shutdown}.
     *
     * <p>Cancellation: the server is closed at once ({@link #close()}), then the {@link CancelledError} is thrown.
     */
    public void shutdown(double graceSeconds) {
        stopAccepting();
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

    /** Stops accepting and closes every connection now, cancelling the handlers still running. Idempotent. */
    @Override
    public void close() {
        stopAccepting();
        for (Channel ch : new ArrayList<>(channels)) {
            ch.close();
        }
        for (Task<?> t : new ArrayList<>(inFlight)) {
            t.cancel();
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
        if (!closed.done()) {
            Asyncio.shield(closed);
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
        if (!serving && channels.isEmpty() && inFlight.isEmpty() && !closed.done()) {
            closed.setResult(null);
        }
    }

    // ---------------------------------------------------------------- for the connections

    Handler handler() {
        return handler;
    }

    void started(Task<Void> task) {
        inFlight.add(task);
        task.addDoneCallback(t -> {
            inFlight.remove(task);
            checkClosed();
        });
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

    /** Tells the compressor (if any) whether it may compress the response about to be written on {@code ch}. */
    void compress(Channel ch, boolean allowed) {
        if (ch.pipeline().get(COMPRESSOR) instanceof Compressor c) {
            c.allowNext = allowed;
        }
    }

    /**
     * The loop that serves connection {@code ch}: the one its channel is registered with. Today that is this
     * server's loop; a loop group would register accepted channels with its other loops' event loops.
     */
    private AsyncLoop loopFor(Channel ch) {
        return loop;
    }

    // ---------------------------------------------------------------- Netty set-up

    /** Builds a connection's pipeline (the TLS handler first, when there is one). */
    private void pipeline(Channel ch) {
        ServerLimits l = limits;
        if (channels.size() >= l.maxConnections() || !serving) {
            refuseConnection(ch);
            return;
        }
        channels.add(ch);
        ServerConnection connection = new ServerConnection(this, loopFor(ch), l);
        connections.put(ch, connection);
        ch.closeFuture().addListener(f -> {
            channels.remove(ch);
            connections.remove(ch);
            checkClosed();
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
        p.addLast(KEEP_ALIVE, new HttpServerKeepAliveHandler());
        if (compression) {
            p.addLast(COMPRESSOR, new Compressor());
        }
        p.addLast(CHUNKED_WRITER, new ChunkedWriteHandler());
        p.addLast(connection);
    }

    /** One connection too many: a fixed 503, then closed. */
    private static void refuseConnection(Channel ch) {
        byte[] answer = ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 28\r\n"
                + "Connection: close\r\n\r\ntoo many connections, retry\n").getBytes(StandardCharsets.US_ASCII);
        ch.writeAndFlush(Unpooled.wrappedBuffer(answer)).addListener(ChannelFutureListener.CLOSE);
    }

    private void listen(String host, int port) {
        ServerBootstrap b = new ServerBootstrap()
                .group(loop.ioEventLoop(), loop.ioEventLoop())
                .channelFactory(Channels.serverSocket(loop.transport()))
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        pipeline(ch);
                    }
                });
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
        return "HttpServer[" + (listeners.isEmpty() ? "not listening" : listeners.get(0).localAddress())
                + (serving ? "" : ", closing") + ", " + channels.size() + " connections]";
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
    }
}
