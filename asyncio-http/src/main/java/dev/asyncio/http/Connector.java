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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Makes new connections for an {@link HttpClient}: resolves the host with the client's {@link Resolver},
 * connects to its addresses in a staggered race (RFC 8305, "Happy Eyeballs") on the loop's own Netty event
 * loop, and builds the pipeline
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
    static final double CONNECTION_ATTEMPT_DELAY = 0.25;
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

        SslContext context = origin.tls() ? (ssl != null ? ssl : DefaultTls.context()) : null;
        List<InetAddress> addresses = resolve(origin.host(), by, timedOut);
        if (addresses.isEmpty()) {
            throw new NameResolutionError("cannot resolve '" + origin.host() + "': no address", null);
        }
        return race(pool, origin, context, interleaved(addresses), by, timedOut);
    }

    /**
     * {@code addresses} with the address families taking turns, the first address's family first (RFC 8305
     * section 4), so that a family that does not work on this network costs one connection attempt delay.
     */
    static List<InetAddress> interleaved(List<InetAddress> addresses) {
        List<InetAddress> first = new ArrayList<>();
        List<InetAddress> other = new ArrayList<>();
        Class<?> family = addresses.getFirst().getClass();
        for (InetAddress a : addresses) {
            (a.getClass() == family ? first : other).add(a);
        }
        if (other.isEmpty()) {
            return addresses;
        }
        List<InetAddress> out = new ArrayList<>(addresses.size());
        for (int i = 0; i < Math.max(first.size(), other.size()); i++) {
            if (i < first.size()) {
                out.add(first.get(i));
            }
            if (i < other.size()) {
                out.add(other.get(i));
            }
        }
        return out;
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

    /** One connection being made to one address: its channel's connect and what the attempt ends with. */
    private final class Attempt {
        /** Completed once connected and TLS done, failed otherwise. */
        final Future<HttpConnection> ready;
        final ChannelFuture connecting;

        Attempt(Future<HttpConnection> ready, ChannelFuture connecting) {
            this.ready = ready;
            this.connecting = connecting;
        }

        /** Whether the TCP connection is made (the TLS handshake may still be under way). */
        boolean connected() {
            return connecting.isSuccess();
        }

        /** Gives up on it: its channel is closed, and a connection it made, made later or handed out is closed. */
        void close() {
            underWay.remove(ready);
            if (!ready.done()) {
                ready.cancel();           // a handshake ending later then closes what it made (see HttpConnection)
            } else if (!ready.cancelled()) {
                ready.exception();        // its failure, if any, is no news: the race ended otherwise
            }
            Channel ch = connecting.channel();
            ch.unsafe().close(ch.voidPromise());
        }
    }

    /**
     * Connects to the first of {@code addresses} that answers, RFC 8305's "Happy Eyeballs": an attempt is
     * started on the next address when the one before fails or has not connected within
     * {@link #CONNECTION_ATTEMPT_DELAY}, earlier attempts going on meanwhile; the first to connect wins and
     * the others are closed; the TLS handshake then goes on with the winner alone. Everything is timed on the
     * loop's clock, against {@code by}. Suspends the current task until a connection is ready, every address
     * failed, or {@code by} passed.
     *
     * <p>Cancellation: every attempt under way is closed.
     */
    private HttpConnection race(ConnectionPool pool, Origin origin, SslContext context, List<InetAddress> addresses,
                                double by, Supplier<RuntimeException> timedOut) {
        List<Attempt> running = new ArrayList<>();
        Wakeup wakeup = new Wakeup();
        TimerHandle deadline = by == Double.POSITIVE_INFINITY ? null : loop.callAt(by, wakeup::expire);
        TimerHandle stagger = null;
        RuntimeException failed = null;       // the first failure, the others suppressed in it
        int next = 0;
        try {
            while (true) {
                // Once an attempt reached its host, no other address is tried unless it fails.
                boolean canStart = next < addresses.size() && !(running.size() == 1 && running.getFirst().connected());
                if (canStart && (running.isEmpty() || wakeup.staggerDue)) {
                    wakeup.staggerDue = false;
                    running.add(start(pool, origin, context, new InetSocketAddress(addresses.get(next++), origin.port()),
                            wakeup));
                    if (stagger != null) {
                        stagger.cancel();
                    }
                    stagger = next < addresses.size() ? loop.callLater(CONNECTION_ATTEMPT_DELAY, wakeup::staggerPassed) : null;
                }
                if (running.isEmpty()) {
                    throw failed;             // every address was tried, and failed
                }
                boolean changed = false;
                for (Iterator<Attempt> it = running.iterator(); it.hasNext(); ) {
                    Attempt a = it.next();
                    if (!a.ready.done()) {
                        continue;
                    }
                    it.remove();
                    changed = true;
                    Throwable e = a.ready.exception();
                    if (e == null) {
                        underWay.remove(a.ready);
                        return a.ready.result();          // the others are closed below
                    }
                    a.close();
                    if (!(e instanceof ConnectionError ce) || e instanceof SslError) {
                        // The server answered (another address of it would not do better), or the client closed.
                        throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
                    }
                    if (failed == null) {
                        failed = ce;
                    } else {
                        failed.addSuppressed(e);
                    }
                }
                for (Attempt a : running) {
                    if (a.connected() && running.size() > 1) {
                        // This one reached its host: the slower ones are not needed, whatever TLS then says.
                        running.remove(a);
                        closeAll(running);
                        running.add(a);
                        changed = true;
                        break;
                    }
                }
                if (changed) {
                    continue;
                }
                if (wakeup.expired) {
                    throw timedOut.get();
                }
                if (wakeup.staggerDue && canStart) {
                    continue;
                }
                wakeup.await(loop);
            }
        } finally {
            closeAll(running);
            if (deadline != null) {
                deadline.cancel();
            }
            if (stagger != null) {
                stagger.cancel();
            }
        }
    }

    private static void closeAll(List<Attempt> attempts) {
        for (Attempt a : attempts) {
            a.close();
        }
        attempts.clear();
    }

    /** What wakes the task racing connection attempts: an attempt that connected or ended, or a timer. */
    private static final class Wakeup {
        private Future<Void> waiting;
        boolean expired;
        boolean staggerDue;

        void expire() {
            expired = true;
            wake();
        }

        void staggerPassed() {
            staggerDue = true;
            wake();
        }

        void wake() {
            Future<Void> w = waiting;
            if (w != null && !w.done()) {
                w.setResult(null);
            }
        }

        void await(AsyncLoop loop) {
            Future<Void> w = loop.createFuture();
            waiting = w;
            try {
                w.await();
            } finally {
                waiting = null;
            }
        }
    }

    /** Starts connecting to {@code address}; {@code wakeup} hears when the TCP connect ends and when it is ready. */
    private Attempt start(ConnectionPool pool, Origin origin, SslContext context, InetSocketAddress address,
                          Wakeup wakeup) {
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
        ChannelFuture connecting;
        try {
            connecting = b.connect(address);
        } catch (RuntimeException e) {
            ready.cancel();               // a pending external future would slow a virtual clock for good
            throw e;
        }
        connecting.addListener(f -> {
            if (!f.isSuccess() && !ready.done()) {
                ready.setException(Errors.toNetError(f.cause(), "cannot connect to " + origin
                        + " (" + address.getAddress().getHostAddress() + ")"));
            }
            wakeup.wake();
        });
        ready.addDoneCallback(f -> wakeup.wake());
        underWay.add(ready);
        return new Attempt(ready, connecting);
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
