package dev.asyncio.http;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Future;
import dev.asyncio.Task;
import dev.asyncio.TimerHandle;
import dev.asyncio.net.ConnectionError;
import dev.asyncio.net.NameResolutionError;
import dev.asyncio.net.Resolver;
import dev.asyncio.net.SslError;
import dev.asyncio.net.internal.Channels;
import dev.asyncio.net.internal.Errors;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Makes new connections for an {@link HttpClient}: resolves the host with the client's {@link Resolver},
 * connects to each address in turn on the loop's own Netty event loop, and builds the pipeline
 * {@code [SslHandler] -> byte counter -> HttpClientCodec -> HttpConnection}; the connection decompresses
 * bodies itself, as they are read ({@link Decompressor}).
 */
final class Connector {
    private final AsyncLoop loop;
    private final Resolver resolver;
    /** The client's TLS context, or {@code null} for the default one. */
    private final SslContext ssl;
    private final HttpDecoderConfig decoderConfig;
    private final int bufferLimit;
    /** What waits on a connection being made now (a name lookup, a connect): {@link #close} ends them. */
    private final Set<Future<?>> underWay = new HashSet<>();
    /** Why connections are no longer made: the client closed; {@code null} while open. */
    private RuntimeException closed;

    Connector(AsyncLoop loop, Resolver resolver, SslContext ssl, HttpDecoderConfig decoderConfig, int bufferLimit) {
        this.loop = loop;
        this.resolver = resolver;
        this.ssl = ssl;
        this.decoderConfig = decoderConfig;
        this.bufferLimit = bufferLimit;
    }

    /**
     * A new connection to {@code origin}, connected (and TLS-handshaken). Suspends the current task until
     * the host is resolved and one of its addresses accepted the connection, or every address failed, or
     * the connect limit (or the request's deadline) passed.
     *
     * <p>Cancellation: the half-made connection is closed.
     *
     * @throws NameResolutionError  if the host name is unknown
     * @throws ConnectionError      if no address accepted ({@code ConnectionRefusedError}, ...)
     * @throws SslError             if the TLS handshake failed (certificate, host name)
     * @throws ConnectTimeoutError  if the connect limit passed
     * @throws TotalTimeoutError    if the request's deadline passed
     * @throws IllegalStateException if the client closed before or meanwhile
     */
    HttpConnection connect(ConnectionPool pool, Origin origin, Limits limits, Object what) {
        if (closed != null) {
            throw closed;
        }
        double connectSeconds = limits.timeout().connect();
        double connectBy = loop.time() + connectSeconds;
        boolean total = limits.deadline() <= connectBy;
        double by = total ? limits.deadline() : connectBy;
        Supplier<RuntimeException> timedOut = () -> total ? limits.totalExceeded(what + " (connecting to " + origin + ")")
                : new ConnectTimeoutError(what + ": connecting to " + origin + " took longer than "
                + Limits.seconds(connectSeconds), connectSeconds);

        SslContext context = origin.tls() ? (ssl != null ? ssl : DefaultTls.context()) : null;
        List<InetAddress> addresses = resolve(origin.host(), by, timedOut);
        if (addresses.isEmpty()) {
            throw new NameResolutionError("cannot resolve '" + origin.host() + "': no address", null);
        }
        ConnectionError first = null;
        for (InetAddress address : addresses) {
            try {
                return connect(pool, origin, context, new InetSocketAddress(address, origin.port()), by, timedOut);
            } catch (SslError e) {
                throw e;                  // the server answered: another address of it would not do better
            } catch (ConnectionError e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        throw first;
    }

    private List<InetAddress> resolve(String host, double by, Supplier<RuntimeException> timedOut) {
        InetAddress literal = Resolver.numeric(host);
        if (literal != null) {
            return List.of(literal);
        }
        // In a task of its own, so that the time limit can cancel it whatever resolver this is.
        Task<List<InetAddress>> lookup = loop.createTask(() -> resolver.resolve(host), "resolve " + host);
        boolean[] expired = new boolean[1];
        TimerHandle timer = by == Double.POSITIVE_INFINITY ? null : loop.callAt(by, () -> {
            if (!lookup.done()) {
                expired[0] = true;
                lookup.cancel("name resolution timed out");
            }
        });
        underWay.add(lookup);
        try {
            return lookup.await();
        } catch (CancelledError e) {
            Task<?> me = Asyncio.currentTask();
            if (me != null && me.cancelling() == 0) {
                if (expired[0]) {
                    throw timedOut.get();
                }
                if (closed != null) {
                    throw closed;
                }
            }
            throw e;
        } finally {
            underWay.remove(lookup);
            if (timer != null) {
                timer.cancel();
            }
        }
    }

    private HttpConnection connect(ConnectionPool pool, Origin origin, SslContext context, InetSocketAddress address,
                                   double by, Supplier<RuntimeException> timedOut) {
        Future<HttpConnection> ready = loop.createFuture();
        // The kernel connects in real time: on a virtual-time loop the clock must not jump past the limit meanwhile.
        loop.markExternal(ready);
        HttpConnection connection = new HttpConnection(loop, pool, origin, bufferLimit, ready);
        Bootstrap b = new Bootstrap()
                .group(loop.ioEventLoop())
                .channelFactory(Channels.socket(loop.transport()))
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0)      // our own limits apply, on the loop's clock
                .disableResolver()
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (context != null) {
                            ch.pipeline().addLast("tls", sslHandler(ch, context, origin));
                        }
                        ch.pipeline().addLast("bytes", connection.byteCounter());
                        ch.pipeline().addLast("http", new HttpClientCodec(decoderConfig, false, false));
                        ch.pipeline().addLast("client", connection);
                    }
                });
        ChannelFuture connecting = b.connect(address);
        connecting.addListener(f -> {
            if (!f.isSuccess() && !ready.done()) {
                ready.setException(Errors.toNetError(f.cause(), "cannot connect to " + origin
                        + " (" + address.getAddress().getHostAddress() + ")"));
            }
        });
        TimerHandle timer = by == Double.POSITIVE_INFINITY ? null : loop.callAt(by, () -> {
            if (!ready.done()) {
                ready.setException(timedOut.get());
            }
        });
        underWay.add(ready);
        try {
            return ready.await();
        } catch (Throwable t) {
            Channel ch = connecting.channel();
            ch.unsafe().close(ch.voidPromise());
            throw t;
        } finally {
            underWay.remove(ready);
            if (timer != null) {
                timer.cancel();
            }
        }
    }

    /**
     * Ends every connection being made, and any later one, with {@code why}: a name lookup under way is
     * cancelled, a connect or TLS handshake under way fails (its channel is closed by the task making it).
     */
    void close(RuntimeException why) {
        if (closed != null) {
            return;
        }
        closed = why;
        for (Future<?> f : List.copyOf(underWay)) {
            if (f instanceof Task<?> lookup) {
                lookup.cancel("the HttpClient was closed");
            } else if (!f.done()) {
                @SuppressWarnings("unchecked")
                Future<HttpConnection> ready = (Future<HttpConnection>) f;
                ready.setException(why);
            }
        }
    }

    /**
     * A client-side TLS handler for {@code origin}: SNI and the certificate check against its host name, on
     * whatever the context says (as Python's {@code check_hostname}); no handshake timer of its own, since
     * the connect limit covers the handshake.
     */
    private static SslHandler sslHandler(Channel ch, SslContext context, Origin origin) {
        SslHandler handler = context.newHandler(ch.alloc(), origin.host(), origin.port());
        SSLEngine engine = handler.engine();
        SSLParameters params = engine.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(params);
        handler.setHandshakeTimeoutMillis(0);
        return handler;
    }
}
