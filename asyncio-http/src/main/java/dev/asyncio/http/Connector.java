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
import dev.asyncio.net.channel.ChannelBridge;
import dev.asyncio.net.channel.HappyEyeballs;
import dev.asyncio.net.channel.Tls;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.ssl.SslContext;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Makes new connections for an {@link HttpClient}: resolves the host with the client's {@link Resolver},
 * connects to its addresses in a staggered race (RFC 8305, "Happy Eyeballs": asyncio-net's
 * {@link HappyEyeballs}, the address families taking turns) on the loop's own Netty event loop, and builds
 * the pipeline
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
    /**
     * How long an attempt to one address has to connect before the next address is tried alongside it: RFC
     * 8305's recommended "Connection Attempt Delay".
     */
    static final double CONNECTION_ATTEMPT_DELAY = HappyEyeballs.RFC8305_DELAY;
    /**
     * What a connection being made now waits on (a name lookup's task, a {@link HappyEyeballs} race, a TLS
     * handshake's future): {@link #close} ends them.
     */
    private final Set<Object> underWay = new HashSet<>();
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
     * the connect limit (or the request's deadline) passed. An address that does not answer within
     * {@link #CONNECTION_ATTEMPT_DELAY} does not hold the next one up: see {@link #race}.
     *
     * <p>Cancellation: the half-made connections are closed.
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

        SslContext context = origin.tls() ? (ssl != null ? ssl : Tls.defaultClientContext()) : null;
        List<InetAddress> addresses = resolve(origin.host(), by, timedOut);
        if (addresses.isEmpty()) {
            throw new NameResolutionError("cannot resolve '" + origin.host() + "': no address", null);
        }
        return race(pool, origin, context, addresses, by, timedOut);
    }

    /**
     * The addresses of {@code host}: a literal at once, a name through the client's resolver. Suspends the
     * current task until the resolver answers or the time {@code by} (on the loop's clock) comes, when
     * {@code timedOut}'s error is thrown.
     *
     * <p>Cancellation: the lookup, which runs in a task of its own, is cancelled too.
     */
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

    /**
     * Connects to the first of {@code addresses} that answers (RFC 8305, see {@link HappyEyeballs}), then sets
     * the winner's pipeline up and, for HTTPS, waits for the TLS handshake, all by the time {@code by}.
     * Suspends the current task until a connection is ready, every address failed, or {@code by} passed.
     *
     * <p>Cancellation: every attempt under way, and the connection being set up, are closed.
     */
    private HttpConnection race(ConnectionPool pool, Origin origin, SslContext context, List<InetAddress> addresses,
                                double by, Supplier<RuntimeException> timedOut) {
        HappyEyeballs eyeballs = new HappyEyeballs(loop).delay(CONNECTION_ATTEMPT_DELAY).deadline(by, timedOut)
                .describedAs(origin.toString());
        underWay.add(eyeballs);
        Channel ch;
        try {
            ch = eyeballs.connect(HappyEyeballs.interleave(addresses, 1), origin.port());
        } finally {
            underWay.remove(eyeballs);
        }
        Future<HttpConnection> ready = loop.createFuture();
        // The TLS handshake goes on in real time: on a virtual-time loop the clock must not jump past the limit.
        loop.markExternal(ready);
        HttpConnection connection = new HttpConnection(loop, pool, origin, bufferLimit, ready);
        TimerHandle deadline = by == Double.POSITIVE_INFINITY ? null : loop.callAt(by, () -> {
            if (!ready.done()) {
                ready.setException(timedOut.get());
            }
        });
        underWay.add(ready);
        try {
            if (context != null) {
                // No handshake timer of its own: the connect limit covers the handshake.
                ch.pipeline().addLast("tls", Tls.clientHandler(ch, context, origin.host(), origin.port(), true, 0, List.of()));
            }
            ch.pipeline().addLast("bytes", connection.byteCounter());
            ch.pipeline().addLast("http", new HttpClientCodec(decoderConfig, false, false));
            ch.pipeline().addLast("client", connection);
            return ready.await();
        } catch (Throwable t) {
            if (!ready.done()) {
                ready.cancel();           // a pending external future would slow a virtual clock for good
            }
            ChannelBridge.closeNow(ch);
            throw t;
        } finally {
            underWay.remove(ready);
            if (deadline != null) {
                deadline.cancel();
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
        for (Object o : List.copyOf(underWay)) {
            if (o instanceof Task<?> lookup) {
                lookup.cancel("the HttpClient was closed");
            } else if (o instanceof HappyEyeballs race) {
                race.abort(why);
            } else if (o instanceof Future<?> f && !f.done()) {
                @SuppressWarnings("unchecked")
                Future<HttpConnection> ready = (Future<HttpConnection>) f;
                ready.setException(why);
            }
        }
    }
}
