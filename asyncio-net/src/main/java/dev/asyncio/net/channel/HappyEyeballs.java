package dev.asyncio.net.channel;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Future;
import dev.asyncio.TimerHandle;
import dev.asyncio.net.ConnectionError;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Connects a channel to the first of several addresses that answers: RFC 8305's "Happy Eyeballs", as
 * asyncio's {@code open_connection(..., happy_eyeballs_delay=, interleave=)}. An attempt is started on the
 * next address when the one before fails or has not connected within the {@linkplain #delay delay}, earlier
 * attempts going on meanwhile; the first to connect wins and the others are closed. With no delay (the
 * default, as in asyncio) the addresses are tried one after the other, each until it fails.
 *
 * <pre>{@code
 * Channel ch = new HappyEyeballs(loop).delay(HappyEyeballs.RFC8305_DELAY)
 *         .connect(HappyEyeballs.interleave(resolver.resolve(host), 1), port);
 * ch.pipeline().addLast(myBridge);          // a ChannelBridge: established() follows
 * }</pre>
 *
 * <p>The channels are of the loop's kind ({@link Channels}), registered on its event loop, with
 * {@code autoRead} off, {@code TCP_NODELAY} on (TCP only) and no connect timeout of Netty's own (the deadline
 * here is on the loop's clock); the winner comes back with an empty pipeline, so nothing it receives is read
 * before the caller's handlers are in place. Everything is timed on the loop's clock; on a virtual-time loop
 * the clock advances no faster than real time while a connect is under way ({@link AsyncLoop#markExternal}).
 *
 * <p>One instance makes one connection; it belongs to the loop and is used on its thread.
 */
public final class HappyEyeballs {
    /** RFC 8305's recommended "Connection Attempt Delay", in seconds. */
    public static final double RFC8305_DELAY = 0.25;

    /** Adds nothing: the caller sets the winner's pipeline up once it has won. */
    private static final ChannelHandler NOTHING = new ChannelInitializer<>() {
        @Override
        protected void initChannel(Channel ch) {
        }
    };

    private final AsyncLoop loop;
    private double delay = Double.POSITIVE_INFINITY;
    private double deadline = Double.POSITIVE_INFINITY;
    private Supplier<? extends RuntimeException> timedOut;
    private SocketAddress localAddress;
    private Consumer<? super Bootstrap> options;
    private String target;
    private boolean started;
    private RuntimeException aborted;
    private Future<Void> waiting;
    private boolean expired;
    private boolean staggerDue;

    /** A connection to be made on {@code loop}, the running loop. */
    public HappyEyeballs(AsyncLoop loop) {
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    /**
     * Seconds an attempt has to connect before the next address is tried alongside it;
     * {@code Double.POSITIVE_INFINITY} (the default) tries one address at a time. Mirrors
     * {@code happy_eyeballs_delay}.
     */
    public HappyEyeballs delay(double seconds) {
        if (!(seconds >= 0)) {
            throw new IllegalArgumentException("happyEyeballsDelay must be >= 0 seconds, got " + seconds);
        }
        this.delay = seconds;
        return this;
    }

    /**
     * Gives up at {@code loopTime} (on the loop's clock, {@link AsyncLoop#time()}) with {@code timedOut}'s
     * exception, closing every attempt. By default there is no deadline (as {@code loop.create_connection}).
     */
    public HappyEyeballs deadline(double loopTime, Supplier<? extends RuntimeException> timedOut) {
        this.deadline = loopTime;
        this.timedOut = Objects.requireNonNull(timedOut, "timedOut");
        return this;
    }

    /** Binds each attempt's channel to {@code address} first ({@code null}: the system chooses). */
    public HappyEyeballs localAddress(SocketAddress address) {
        this.localAddress = address;
        return this;
    }

    /**
     * What is connected to, for failure messages: {@code "cannot connect to https://example.org:443
     * (192.0.2.1)"} instead of {@code "cannot connect to 192.0.2.1:443"}.
     */
    public HappyEyeballs describedAs(String target) {
        this.target = target;
        return this;
    }

    /** Sets more options on each attempt's {@link Bootstrap} (water marks, half closure, ...). */
    public HappyEyeballs options(Consumer<? super Bootstrap> options) {
        this.options = options;
        return this;
    }

    /**
     * {@code addresses} with their families taking turns: the first {@code firstFamilyCount} addresses of
     * the first address's family, then one of the other family, one of the first, and so on (RFC 8305 section
     * 4; asyncio's {@code interleave}). 0 keeps the order as it is.
     */
    public static List<InetAddress> interleave(List<InetAddress> addresses, int firstFamilyCount) {
        if (firstFamilyCount < 0) {
            throw new IllegalArgumentException("interleave must be >= 0, got " + firstFamilyCount);
        }
        if (firstFamilyCount == 0 || addresses.isEmpty()) {
            return addresses;
        }
        boolean firstIsV6 = addresses.getFirst() instanceof Inet6Address;
        List<InetAddress> first = new ArrayList<>();
        List<InetAddress> other = new ArrayList<>();
        for (InetAddress a : addresses) {
            ((a instanceof Inet6Address) == firstIsV6 ? first : other).add(a);
        }
        List<InetAddress> out = new ArrayList<>(addresses.size());
        int f = Math.min(firstFamilyCount - 1, first.size());
        out.addAll(first.subList(0, f));
        Iterator<InetAddress> a = first.subList(f, first.size()).iterator();
        Iterator<InetAddress> b = other.iterator();
        while (a.hasNext() || b.hasNext()) {
            if (a.hasNext()) {
                out.add(a.next());
            }
            if (b.hasNext()) {
                out.add(b.next());
            }
        }
        return out;
    }

    /** {@link #connect(List)} to each of {@code addresses} on {@code port}, in this order. */
    public Channel connect(List<InetAddress> addresses, int port) {
        List<SocketAddress> out = new ArrayList<>(addresses.size());
        for (InetAddress a : addresses) {
            out.add(new InetSocketAddress(a, port));
        }
        return connect(out);
    }

    /**
     * Connects to the first of {@code addresses} that answers (TCP or, for Unix domain addresses, a Unix
     * socket), and returns its channel, active, with an empty pipeline and {@code autoRead} off. Suspends the
     * current task until one connected, every address failed, the deadline passed or {@link #abort} was called.
     *
     * <p>Cancellation: every attempt under way is closed and the {@link dev.asyncio.CancelledError} thrown.
     *
     * @throws ConnectionError the first address's failure ({@code ConnectionRefusedError}, ...), the others'
     *                         suppressed in it, if every address failed
     * @throws RuntimeException the deadline's exception, or {@link #abort}'s
     */
    public Channel connect(List<? extends SocketAddress> addresses) {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no address to connect to");
        }
        if (started) {
            throw new IllegalStateException("a HappyEyeballs makes one connection; this one was used already");
        }
        started = true;
        List<ChannelFuture> running = new ArrayList<>();
        TimerHandle deadlineTimer = deadline == Double.POSITIVE_INFINITY ? null : loop.callAt(deadline, () -> {
            expired = true;
            wake();
        });
        TimerHandle stagger = null;
        ConnectionError failed = null;       // the first failure, the others suppressed in it
        int next = 0;
        try {
            while (true) {
                if (aborted != null) {
                    throw aborted;
                }
                boolean canStart = next < addresses.size();
                if (canStart && (running.isEmpty() || staggerDue)) {
                    staggerDue = false;
                    running.add(start(addresses.get(next++)));
                    if (stagger != null) {
                        stagger.cancel();
                        stagger = null;
                    }
                    if (next < addresses.size() && delay != Double.POSITIVE_INFINITY) {
                        stagger = loop.callLater(delay, () -> {
                            staggerDue = true;
                            wake();
                        });
                    }
                    continue;     // a connect may fail at once (no descriptor, unreachable): look again
                }
                if (running.isEmpty()) {
                    throw failed;             // every address was tried, and failed
                }
                boolean changed = false;
                for (Iterator<ChannelFuture> it = running.iterator(); it.hasNext(); ) {
                    ChannelFuture f = it.next();
                    if (!f.isDone()) {
                        continue;
                    }
                    it.remove();
                    changed = true;
                    if (f.isSuccess()) {
                        Channel won = f.channel();
                        if (won.isActive()) {
                            return won;           // the others are closed below
                        }
                        f = null;                 // connected, then closed by the peer before it was looked at
                    }
                    ConnectionError e = failure(f, addresses);
                    if (failed == null) {
                        failed = e;
                    } else {
                        failed.addSuppressed(e);
                    }
                }
                if (changed) {
                    continue;
                }
                if (expired) {
                    throw timedOut.get();
                }
                if (staggerDue && canStart) {
                    continue;
                }
                await();
            }
        } finally {
            for (ChannelFuture f : running) {
                ChannelBridge.closeNow(f.channel());
            }
            if (deadlineTimer != null) {
                deadlineTimer.cancel();
            }
            if (stagger != null) {
                stagger.cancel();
            }
        }
    }

    private ConnectionError failure(ChannelFuture f, List<? extends SocketAddress> addresses) {
        if (f == null) {
            return new dev.asyncio.net.ConnectionResetError("the connection closed as soon as it was made", null);
        }
        ChannelBridge.closeNow(f.channel());
        String where = describe(f.channel(), addresses);
        if (target != null) {
            int colon = where.lastIndexOf(':');
            where = target + " (" + (colon > 0 ? where.substring(0, colon) : where) + ")";
        }
        RuntimeException e = NetErrors.toNetError(f.cause(), "cannot connect to " + where);
        return e instanceof ConnectionError ce ? ce : new ConnectionError(e.getMessage(), e);
    }

    private static String describe(Channel ch, List<? extends SocketAddress> addresses) {
        SocketAddress a = ch.remoteAddress();
        if (a == null && ch.attr(TARGET).get() != null) {
            a = ch.attr(TARGET).get();
        }
        if (a instanceof InetSocketAddress i && i.getAddress() != null) {
            String host = i.getAddress().getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + i.getPort();
        }
        return String.valueOf(a != null ? a : addresses);
    }

    private static final io.netty.util.AttributeKey<SocketAddress> TARGET =
            io.netty.util.AttributeKey.valueOf(HappyEyeballs.class, "target");

    /** Starts connecting to {@code address}; the connect's end wakes the racing task. */
    private ChannelFuture start(SocketAddress address) {
        boolean inet = address instanceof InetSocketAddress;
        Bootstrap b = new Bootstrap()
                .group(loop.ioEventLoop())
                .channelFactory(inet ? Channels.socket(loop.transport()) : Channels.domainSocket(loop.transport()))
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0)      // the deadline here applies, on the loop's clock
                .attr(TARGET, address)
                .disableResolver()
                .handler(NOTHING);
        if (inet) {
            b.option(ChannelOption.TCP_NODELAY, true);
        }
        if (options != null) {
            options.accept(b);
        }
        ChannelFuture connecting = localAddress != null && inet ? b.connect(address, localAddress) : b.connect(address);
        Future<Void> done = loop.createFuture();
        // The kernel connects in real time: on a virtual-time loop the clock must not jump past a limit meanwhile.
        loop.markExternal(done);
        LoopThreads.onLoop(loop, connecting, done, f -> {
            if (!done.done()) {
                done.setResult(null);
            }
            wake();
        });
        return connecting;
    }

    private void await() {
        Future<Void> w = loop.createFuture();
        waiting = w;
        try {
            w.await();
        } finally {
            waiting = null;
        }
    }

    private void wake() {
        Future<Void> w = waiting;
        if (w != null && !w.done()) {
            w.setResult(null);
        }
    }

    /**
     * Ends the connection being made with {@code why}, which {@link #connect} then throws (after closing
     * every attempt); a later {@code connect} throws it at once. Call it on the loop's thread.
     */
    public void abort(RuntimeException why) {
        Objects.requireNonNull(why, "why");
        if (aborted == null) {
            aborted = why;
            wake();
        }
    }

    @Override
    public String toString() {
        return "<HappyEyeballs delay=" + delay + (started ? " started" : "") + (aborted != null ? " aborted" : "") + ">";
    }
}
