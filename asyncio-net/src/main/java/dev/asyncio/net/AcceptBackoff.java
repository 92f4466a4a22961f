package dev.asyncio.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The first handler of a listening channel: when accepting fails (typically EMFILE, "Too many open files",
 * once the process is out of descriptors, or ENFILE/ENOBUFS/ENOMEM), it stops accepting for a while and
 * tries again, and reports the failure through the loop's exception handler, at most once every
 * {@value #REPORT_INTERVAL_SECONDS} seconds. Connections already accepted are served meanwhile; the
 * connections that wait stay in the kernel's accept queue (the listen backlog) until descriptors free up.
 *
 * <p>Why by hand: Netty's own {@code ServerBootstrapAcceptor} pauses accepting for a fixed second but then
 * passes every failure on to the pipeline's tail, which logs each one as a warning; the pause is not
 * configurable. This handler consumes the failure instead, so the acceptor and the tail never see it. The
 * delays are Go's {@code net/http.Server.Serve} ones: 5 ms after a failure, doubled after each further
 * failure up to 1 s, back to 5 ms once an accept succeeds; so a server retries quickly when a few
 * descriptors free up and at most once a second during a long shortage. CPython's asyncio waits a fixed
 * second ({@code ACCEPT_RETRY_DELAY}) and reports every failure ("socket.accept() out of system resource").
 */
final class AcceptBackoff extends ChannelInboundHandlerAdapter {
    static final long MIN_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    static final long MAX_DELAY_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final long REPORT_INTERVAL_SECONDS = 10;
    private static final long REPORT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(REPORT_INTERVAL_SECONDS);

    private final Consumer<Map<String, Object>> report;
    private final LongSupplier nanoTime;
    private final Object server;
    private final BooleanSupplier serving;
    /** The pause after the next failure; 0 while accepting works. */
    private long delayNanos;
    private ScheduledFuture<?> resume;
    private boolean reportedOnce;
    private long lastReportNanos;
    /** Failures since the last report that were not reported (rate limit). */
    private long unreported;

    /**
     * @param report   where failures go: the loop's {@code callExceptionHandler}
     * @param nanoTime the clock of the report rate limit
     * @param server   named in the reports
     * @param serving  whether the server still means to listen: a listener closed while it does was closed
     *                 by Netty, not by {@code Server.close()}, and that is reported
     */
    AcceptBackoff(Consumer<Map<String, Object>> report, LongSupplier nanoTime, Object server, BooleanSupplier serving) {
        this.report = report;
        this.nanoTime = nanoTime;
        this.server = server;
        this.serving = serving;
    }

    /**
     * Loads what reporting an accept failure needs while descriptors are still available. The JDK's log
     * formatter stamps each record with the local time, and the time-zone rules load {@code tzdb.dat} on
     * first use: if that first use is the report of an EMFILE, the file cannot be opened and the rules'
     * class stays broken for the life of the JVM, failing every later log record.
     */
    static void prepareReporting() {
        try {
            ZoneId.systemDefault().getRules();
        } catch (RuntimeException | LinkageError e) {
            // Then the reports fail as they would anyway; the loop contains that.
        }
    }

    /** The pause now in force (0 if accepting works); for tests. */
    long delayNanos() {
        return delayNanos;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        delayNanos = 0;             // an accept worked: the next failure starts the backoff over
        ctx.fireChannelRead(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Channel listener = ctx.channel();
        delayNanos = delayNanos == 0 ? MIN_DELAY_NANOS : Math.min(delayNanos * 2, MAX_DELAY_NANOS);
        if (listener.isOpen() && listener.config().isAutoRead()) {
            listener.config().setAutoRead(false);
            resume = ctx.executor().schedule(() -> {
                resume = null;
                if (listener.isOpen()) {
                    listener.config().setAutoRead(true);     // accepts again at once if connections wait
                }
            }, delayNanos, TimeUnit.NANOSECONDS);
        }
        reportRateLimited(listener, cause);
    }

    private void reportRateLimited(Channel listener, Throwable cause) {
        long now = nanoTime.getAsLong();
        if (reportedOnce && now - lastReportNanos < REPORT_INTERVAL_NANOS) {
            unreported++;
            return;
        }
        String message = "socket.accept() failed on " + listener.localAddress() + ": accepting paused for "
                + TimeUnit.NANOSECONDS.toMillis(delayNanos) + " ms, then retried (backing off up to "
                + TimeUnit.NANOSECONDS.toMillis(MAX_DELAY_NANOS) + " ms); at most one report every "
                + REPORT_INTERVAL_SECONDS + " s"
                + (unreported > 0 ? " (" + unreported + " more failures since the last report)" : "");
        reportedOnce = true;
        lastReportNanos = now;
        unreported = 0;
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("message", message);
        context.put("exception", cause);
        context.put("socket", listener);
        context.put("server", server);
        report.accept(context);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ScheduledFuture<?> r = resume;
        if (r != null) {
            r.cancel(false);
            resume = null;
        }
        if (serving.getAsBoolean()) {
            // Netty's NIO transport closes a listening channel when accepting throws something else than an
            // IOException (an Error creating the accepted channel, say): the server no longer accepts there.
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("message", "The listening socket " + ctx.channel() + " was closed by a failure: the server "
                    + "no longer accepts connections on it");
            context.put("socket", ctx.channel());
            context.put("server", server);
            report.accept(context);
        }
        ctx.fireChannelInactive();
    }
}
