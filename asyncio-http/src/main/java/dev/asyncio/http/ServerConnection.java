package dev.asyncio.http;

import dev.asyncio.AsyncLoop;
import dev.asyncio.CancelledError;
import dev.asyncio.Future;
import dev.asyncio.Task;
import dev.asyncio.TimerHandle;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import dev.asyncio.net.channel.ChannelBridge;
import dev.asyncio.net.channel.NetErrors;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.FileRegion;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One connection of an {@link HttpServer}: the last handler of its channel's pipeline, after the TLS handler,
 * Netty's HTTP/1.1 request decoder and response encoder and the optional compressor (a chunked-write handler
 * joins them before it only when a file is sent over TLS). Everything runs on the loop's thread: Netty calls the handler methods there,
 * and the request's task calls the rest there.
 *
 * <p>Requests are answered one at a time, in the order they came: the next one's task starts only when the
 * previous response is finished, so pipelined requests get their responses in order. The channel reads
 * while the connection waits for a request, and
 * while a request body is still coming and fewer than {@link ServerLimits#bodyBuffer()} bytes of it wait for
 * the handler; past that TCP flow control pushes back on the client. Body bytes are copied out of Netty's
 * buffers as they arrive, so no buffer is held whatever the handler does.
 *
 * <p>The Netty-facing plumbing is asyncio-net's {@link ChannelBridge}: TLS establishment, the one read model
 * (reading on while {@link #wantsRead()} says so), the per-step flush and the error mapping.
 */
final class ServerConnection extends ChannelBridge {
    /** The end of a request body in {@link #inbox}. */
    private static final Object END = new Object();

    /** A request the decoder or a limit refused, answered in its turn and then the connection is closed. */
    private record Refused(int status, String message) {
    }

    private final HttpServer server;
    private final AsyncLoop loop;
    private final ServerLimits limits;

    /** Decoded requests not yet handled, in order: {@link HttpRequest} heads, body {@code byte[]}s, {@link #END}, {@link Refused}. */
    private final ArrayDeque<Object> inbox = new ArrayDeque<>();
    /** Body bytes in {@link #inbox}. */
    private int inboxBytes;
    /** Whether the decoder is in the middle of a request (its head came, its end not yet). */
    private boolean midRequest;
    /** The request being answered, or {@code null} between requests. */
    private Exchange current;
    private boolean closed;
    private boolean takenOver;
    /** The last response is being written; the connection closes once it is. */
    private boolean ending;
    /** Set by a graceful shutdown: close once the current response is done. */
    private boolean closeWhenIdle;

    /**
     * The idle or header timer: the loop time by which the next request head must have come (infinite: none
     * is running). The one {@link #headTimer} is scheduled at this deadline, so an idle connection wakes once
     * per idle period. It is not cancelled when a request comes (it then finds no deadline and stops), and is
     * rescheduled only when the deadline moves earlier than it (a request's first bytes on an idle connection:
     * the header deadline comes before the idle one) or when it fires before a deadline set later.
     */
    private double headDeadline = Double.POSITIVE_INFINITY;
    private TimerHandle headTimer;
    /** What the socket had not taken of the last response when the idle timer last found it writing, or -1. */
    private long idleUnsent = -1;
    /** Whether bytes of a request head came since the connection last became idle. */
    private boolean headStarted;

    /** The task waiting in {@link #nextBodyItem} or {@link #drain}. */
    private Future<Void> waiter;
    /** The current handler's task (of the last request started), until it is done. */
    private Task<Void> running;
    /** The compressor in the pipeline, or {@code null}. */
    private Object compressor;

    ServerConnection(HttpServer server, AsyncLoop loop, ServerLimits limits) {
        super(loop);
        this.server = server;
        this.loop = loop;
        this.limits = limits;
    }

    /** The handler's task still running on this connection, or {@code null}. */
    Task<Void> running() {
        return running;
    }

    void compressor(Object c) {
        compressor = c;
    }

    /** Tells the compressor (if any) whether it may compress the response about to be written. */
    void compress(boolean allowed) {
        HttpServer.compress(compressor, allowed);
    }

    /** Adds the chunked-write handler (for a {@code ChunkedInput}) ahead of this one, if it is not there yet. */
    void chunkedWriter() {
        ChannelPipeline p = channel().pipeline();
        if (p.get(HttpServer.CHUNKED_WRITER) == null) {
            p.addBefore(p.context(this).name(), HttpServer.CHUNKED_WRITER, new ChunkedWriteHandler());
        }
    }

    ServerLimits limits() {
        return limits;
    }

    HttpServer server() {
        return server;
    }

    /** An inbound handler for ahead of the decoder: notes that bytes of a request head started to come. */
    ChannelInboundHandlerAdapter byteWatcher() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext c, Object msg) {
                if (!headStarted && current == null && msg instanceof ByteBuf b && b.isReadable()) {
                    headStarted = true;
                    armHeadTimer(limits.headerTimeout());
                }
                c.fireChannelRead(msg);
            }
        };
    }

    // ---------------------------------------------------------------- Netty side

    @Override
    protected void established() {
        // The first request must come within the header timeout (the TLS handshake had one of its own).
        headStarted = true;
        armHeadTimer(limits.headerTimeout());
    }

    @Override
    protected void notEstablished(Throwable cause) {
        channel().close();       // a failed TLS handshake: nothing to answer
    }

    @Override
    protected void received(ChannelHandlerContext ctx, Object msg) {
        try {
            if (closed || takenOver) {
                return;
            }
            if (msg instanceof HttpRequest head) {
                DecoderResult result = head.decoderResult();
                if (result.isFailure()) {
                    inbox.add(refusal(result.cause()));
                    midRequest = false;
                } else if (head.headers().size() > limits.maxHeaderCount()) {
                    inbox.add(new Refused(431, "Request Header Fields Too Large: more than " + limits.maxHeaderCount()
                            + " header fields"));
                    midRequest = false;
                } else {
                    inbox.add(head);
                    midRequest = true;
                }
                cancelHeadTimer();
            }
            if (msg instanceof HttpContent content && midRequest) {
                if (content.decoderResult().isFailure()) {
                    inbox.add(refusal(content.decoderResult().cause()));
                    midRequest = false;
                } else {
                    ByteBuf b = content.content();
                    if (b.isReadable()) {
                        inbox.add(ByteBufUtil.getBytes(b));
                        inboxBytes += b.readableBytes();
                    }
                    if (content instanceof LastHttpContent) {
                        inbox.add(END);
                        midRequest = false;
                    }
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);     // a head keeps its headers; body bytes were copied
        }
        wake();
        if (current == null) {
            startNext();
        }
        updateReading();
    }

    private static Refused refusal(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return new Refused(414, "URI Too Long: the request line is over the limit");
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return new Refused(431, "Request Header Fields Too Large: the header is over the limit");
        }
        return new Refused(400, "Bad Request: " + (cause == null ? "malformed request" : cause.getMessage()));
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        wake();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        stopHeadTimer();
        inbox.clear();
        inboxBytes = 0;
        wake();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!NetErrors.isNetworkFailure(cause)) {
            // Not a peer going away: something in the pipeline broke; say so once, then drop the connection.
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("message", "HttpServer: error on connection " + channel());
            context.put("exception", cause);
            loop.callExceptionHandler(context);
        }
        ctx.close();
    }

    /**
     * Whether to read the socket: while waiting for a request, and while a request body is still coming with
     * fewer than {@link ServerLimits#bodyBuffer()} bytes of it waiting for the handler. {@link #updateReading()}
     * is called wherever that may change.
     */
    @Override
    protected boolean wantsRead() {
        if (closed || takenOver || ending) {
            return false;
        }
        return current == null ? inbox.isEmpty() : midRequest && inboxBytes < limits.bodyBuffer();
    }

    /** Flushes this step's writes once, at the end of the step (or of the current read burst). */
    void flushSoon() {
        scheduleFlush();
    }

    /**
     * Flushes a response's last write: now, unless a read burst is under way or a pipelined request waits
     * (their responses then join this one in one write at the end of the burst or step). A whole response thus
     * costs no flush callback of its own.
     */
    void flushLast() {
        if (inRead() || pipelined()) {
            scheduleFlush();
        } else {
            channel().flush();
        }
    }

    /** Whether a next request (or a refusal) waits in {@link #inbox} behind what is left of the current one. */
    private boolean pipelined() {
        for (Object o : inbox) {
            if (o instanceof HttpRequest || o instanceof Refused) {
                return true;
            }
        }
        return false;
    }

    private void wake() {
        Future<Void> w = waiter;
        if (w != null) {
            waiter = null;
            if (!w.done()) {
                w.setResult(null);
            }
        }
    }

    // ---------------------------------------------------------------- timers

    /** Sets the head deadline {@code seconds} from now; schedules the timer only if none runs early enough. */
    private void armHeadTimer(double seconds) {
        if (seconds == Double.POSITIVE_INFINITY) {
            headDeadline = seconds;
            return;
        }
        double now = loop.time();
        headDeadline = now + seconds;
        if (headTimer != null && headTimer.when() > headDeadline) {
            headTimer.cancel();
            headTimer = null;
        }
        if (headTimer == null) {
            headTimer = loop.callAt(headDeadline, this::headTimerFired);
        }
    }

    /** No head deadline any more (a request came); the timer, if running, finds none and stops. */
    private void cancelHeadTimer() {
        headDeadline = Double.POSITIVE_INFINITY;
    }

    /** Cancels the timer itself (the connection closed or was taken over). */
    private void stopHeadTimer() {
        headDeadline = Double.POSITIVE_INFINITY;
        if (headTimer != null) {
            headTimer.cancel();
            headTimer = null;
        }
    }

    private void headTimerFired() {
        headTimer = null;
        if (closed || takenOver || headDeadline == Double.POSITIVE_INFINITY) {
            return;
        }
        double now = loop.time();
        if (now < headDeadline) {
            headTimer = loop.callAt(headDeadline, this::headTimerFired);     // a later deadline was set since
            return;
        }
        headDeadline = Double.POSITIVE_INFINITY;
        if (current != null) {
            return;
        }
        if (headStarted) {
            refuseOutOfTurn(408, "Request Timeout: the request head did not come within " + limits.headerTimeout() + " s");
            return;
        }
        long unsent = unsent();
        if (unsent > 0 && unsent != idleUnsent) {
            // The last response is still going out (a large body the client is taking): not idle yet. Closing now
            // would drop its rest; wait another idle period, as long as the client takes some in each.
            idleUnsent = unsent;
            armHeadTimer(limits.idleTimeout());
            return;
        }
        channel().close();             // an idle keep-alive connection: nothing to answer
    }

    /** Idle between requests: the idle timer runs until bytes of the next request come. */
    private void becomeIdle() {
        headStarted = false;
        idleUnsent = -1;
        armHeadTimer(limits.idleTimeout());
    }

    // ---------------------------------------------------------------- requests

    /** Starts answering the next request in {@link #inbox}, if there is one and none is under way. */
    private void startNext() {
        while (current == null && !closed && !takenOver && !ending && !inbox.isEmpty()) {
            Object first = inbox.poll();
            if (first instanceof Refused r) {
                inbox.clear();
                inboxBytes = 0;
                respondAndClose(r.status(), r.message());
                return;
            }
            if (!(first instanceof HttpRequest head)) {
                continue;            // leftovers of a request whose body was discarded
            }
            Exchange ex = new Exchange(this, head);
            current = ex;
            cancelHeadTimer();
            long length = HttpUtil.getContentLength(head, -1L);
            if (length > limits.maxBodySize()) {
                ex.response.refuse(413, "Content Too Large: the body's " + length + " bytes are over the limit of "
                        + limits.maxBodySize());
                finish(ex);
                continue;
            }
            String expect = head.headers().get(HttpHeaderNames.EXPECT);
            if (expect != null && !expect.equalsIgnoreCase("100-continue")) {
                ex.response.refuse(417, "Expectation Failed: " + expect);
                finish(ex);
                continue;
            }
            Task<Void> task = loop.createTask(() -> run(ex), "http " + head.method() + " " + head.uri());
            ex.task = task;
            running = task;
            task.addDoneCallback(t -> {
                if (running == task) {
                    running = null;
                }
                server.taskDone(this);
            });
        }
        updateReading();
    }

    private void run(Exchange ex) {
        try {
            server.handler().handle(ex.request, ex.response);
        } catch (ErrorResponse e) {
            ex.response.failWith(e.status(), e.getMessage(), null);
        } catch (CancelledError e) {
            ex.response.abort();
            throw e;
        } catch (Throwable t) {
            if (!takenOver && !ex.response.clientGone()) {
                Map<String, Object> context = new LinkedHashMap<>();
                context.put("message", "HttpServer: the handler of " + ex.request.method() + " " + ex.request.target()
                        + " failed");
                context.put("exception", t);
                loop.callExceptionHandler(context);
            }
            ex.response.failWith(500, "Internal Server Error", t);
        } finally {
            finish(ex);
        }
    }

    /** Ends {@code ex}: finishes its response, drops what is left of its body, goes on with the next request. */
    private void finish(Exchange ex) {
        if (takenOver) {
            return;
        }
        if (!ex.response.finished() && !closed) {
            ex.response.end();
        }
        if (current == ex) {
            current = null;
        }
        boolean bodyLeft = discardBody();
        if (closed) {
            return;
        }
        if (bodyLeft || ex.response.closeAfter() || closeWhenIdle) {
            closeWhenWritten();
            return;
        }
        if (inbox.isEmpty()) {
            becomeIdle();
        }
        startNext();
    }

    /**
     * Closes the connection once everything written is on the wire ({@code Channel.close()} drops what the
     * socket has not taken: a large last response would be cut short). No request is read or started meanwhile.
     * A client that stops taking the response does not hold the connection forever: it is closed when no byte
     * of it left for {@link ServerLimits#idleTimeout()} seconds.
     */
    private void closeWhenWritten() {
        ending = true;
        updateReading();
        ChannelFuture written = channel().writeAndFlush(Unpooled.EMPTY_BUFFER);
        written.addListener(ChannelFutureListener.CLOSE);
        double timeout = limits.idleTimeout();
        if (timeout != Double.POSITIVE_INFINITY && !written.isDone()) {
            // Sampled on the loop's thread (a task may run on a thread of its own): the outbound buffer is Netty's.
            loop.callSoon(() -> watchLastWrite(written, unsent(), timeout));
        }
    }

    /** Closes the connection if {@code written} is still pending and made no progress for {@code timeout} s. */
    private void watchLastWrite(ChannelFuture written, long unsentBefore, double timeout) {
        if (written.isDone()) {
            return;
        }
        TimerHandle timer = loop.callLater(timeout, () -> {
            if (written.isDone()) {
                return;
            }
            long unsent = unsent();
            if (unsent != unsentBefore) {
                watchLastWrite(written, unsent, timeout);      // the client took some: wait on
            } else {
                channel().close();
            }
        });
        written.addListener(f -> timer.cancel());
    }

    /**
     * What the socket has not taken yet, as a number that changes whenever it takes some (0: nothing is queued).
     * Netty counts a message's bytes as pending until all of it is written, so what is left of the message being
     * written is added: the bytes of a buffer, the rest of a file being sent.
     */
    private long unsent() {
        ChannelOutboundBuffer b = channel().unsafe().outboundBuffer();
        if (b == null) {
            return 0;
        }
        long n = b.totalPendingWriteBytes();
        Object current = b.current();
        if (current instanceof ByteBuf buf) {
            n += buf.readableBytes();
        } else if (current instanceof ByteBufHolder h) {
            n += h.content().readableBytes();
        } else if (current instanceof FileRegion r) {
            n += r.count() - r.transferred();
        }
        return n;
    }

    /** Drops the rest of the current request's body; whether some of it has not even arrived (then close). */
    private boolean discardBody() {
        while (!inbox.isEmpty()) {
            Object o = inbox.peek();
            if (o instanceof HttpRequest || o instanceof Refused) {
                return false;
            }
            inbox.poll();
            if (o instanceof byte[] b) {
                inboxBytes -= b.length;
            } else if (o == END) {
                return false;
            }
        }
        return midRequest;
    }

    /**
     * The next item of the current request body: a {@code byte[]}, or {@link #END}. Suspends the current task
     * until one is here, the body timeout or the body deadline passes ({@link ErrorResponse} 408, and the
     * connection is closed after it) or the client goes ({@link dev.asyncio.net.ConnectionResetError}).
     *
     * <p>Cancellation: nothing is consumed; the connection is closed once the handler ends.
     */
    Object nextBodyItem(Exchange ex) {
        while (true) {
            if (takenOver) {
                throw new IllegalStateException("the connection was taken over; the body can no longer be read");
            }
            Object first = inbox.peek();
            if (first instanceof byte[] b) {
                inbox.poll();
                inboxBytes -= b.length;
                updateReading();
                return b;
            }
            if (first == END) {
                inbox.poll();
                return END;
            }
            if (first instanceof Refused r) {
                inbox.poll();
                inbox.clear();
                inboxBytes = 0;
                ex.response.closeAfterwards();
                throw new ErrorResponse(r.status(), r.message());
            }
            if (closed) {
                throw peerGone("the client closed the connection before the request body ended");
            }
            updateReading();
            double now = loop.time();
            if (Double.isNaN(ex.bodyDeadline)) {
                ex.bodyDeadline = now + limits.bodyDeadline();
            }
            double left = ex.bodyDeadline - now;
            boolean deadlineFirst = left < limits.bodyTimeout();
            if (left <= 0) {
                ex.response.closeAfterwards();
                throw bodyTimedOut(true);
            }
            Future<Void> w = loop.createFuture();
            waiter = w;
            loop.markExternal(w);
            double wait = Math.min(left, limits.bodyTimeout());
            TimerHandle timer = wait == Double.POSITIVE_INFINITY ? null
                    : loop.callLater(wait, () -> {
                        if (!w.done()) {
                            w.setException(bodyTimedOut(deadlineFirst));
                        }
                    });
            try {
                w.await();
            } catch (ErrorResponse timedOut) {
                ex.response.closeAfterwards();
                throw timedOut;
            } finally {
                if (timer != null) {
                    timer.cancel();
                }
                if (waiter == w) {
                    waiter = null;
                }
            }
        }
    }

    private ErrorResponse bodyTimedOut(boolean deadline) {
        return new ErrorResponse(408, deadline
                ? "Request Timeout: the request body did not come within " + limits.bodyDeadline() + " s"
                : "Request Timeout: no body bytes came within " + limits.bodyTimeout() + " s");
    }

    /**
     * Suspends the current task while the channel's outbound buffer is over its high-water mark; woken when
     * it drains or the connection closes.
     *
     * <p>Cancellation: nothing is lost; what was written stays queued.
     */
    void drain() {
        while (channel().isActive() && !channel().isWritable()) {
            Future<Void> w = loop.createFuture();
            waiter = w;
            loop.markExternal(w);
            try {
                w.await();
            } finally {
                if (waiter == w) {
                    waiter = null;
                }
            }
        }
        if (!channel().isActive()) {
            throw peerGone("the client closed the connection");
        }
    }

    /** The error a task gets when the client has gone; the one place that maps it (for the shared bridge). */
    RuntimeException peerGone(String what) {
        return new dev.asyncio.net.ConnectionResetError(what + " (" + channel().remoteAddress() + ")");
    }

    boolean isClosed() {
        return closed || !channel().isActive();
    }

    boolean midRequest() {
        return midRequest;
    }

    /** Whether the current request body has come completely (it may not all be read yet). */
    boolean bodyArrived() {
        return !midRequest;
    }

    // ---------------------------------------------------------------- answers outside an exchange

    /** Answers {@code status} to a request the decoder refused, then closes. */
    private void respondAndClose(int status, String message) {
        FullHttpResponse r = plainResponse(status, message);
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        channel().writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Answers {@code status} with no request to answer (a timeout before the head came), past the keep-alive
     * handler and the compressor, which count responses against requests; then closes.
     */
    private void refuseOutOfTurn(int status, String message) {
        FullHttpResponse r = plainResponse(status, message);
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        // Written from the compressor's context (if any): it goes to the encoder next, and past nothing else.
        ChannelHandlerContext afterEncoder = channel().pipeline().context(HttpServer.COMPRESSOR);
        (afterEncoder != null ? afterEncoder.writeAndFlush(r) : channel().writeAndFlush(r)).addListener(ChannelFutureListener.CLOSE);
    }

    FullHttpResponse plainResponse(int status, String message) {
        byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(body));
        server.standardHeaders(r.headers());
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return r;
    }

    // ---------------------------------------------------------------- shutdown and take-over

    /**
     * Graceful shutdown: closes now if the connection is idle between requests, else once the current response
     * is done. A connection that has not sent its first request yet, or is in the middle of sending a head,
     * is not idle (as in Go's {@code Server.Shutdown}): its request may be on the wire; the header timeout or
     * the grace period ends it if nothing comes.
     */
    void closeWhenIdle() {
        closeWhenIdle = true;
        if (current == null && !takenOver && !headStarted && inbox.isEmpty()) {
            channel().close();
        }
    }

    /** Whether a graceful shutdown asked it to close after the current response. */
    boolean closingWhenIdle() {
        return closeWhenIdle;
    }

    /** Whether a request is being answered on it. */
    boolean busy() {
        return current != null;
    }

    /**
     * Hands the connection to the current request's handler (see {@link ServerRequest#upgrade()}): stops the
     * timers and reads, takes this handler and the response-side helpers out of the pipeline.
     */
    UpgradedConnection takeOver(Exchange ex) {
        if (current != ex || ex.response.headSent()) {
            throw new IllegalStateException("a connection can be taken over only before its response is started");
        }
        takenOver = true;
        server.tookOver(ex.task);
        updateReading();         // autoRead off: the new owner reads when it wants
        stopHeadTimer();
        inbox.clear();
        inboxBytes = 0;
        ChannelPipeline p = channel().pipeline();
        for (String name : new String[] {HttpServer.COMPRESSOR, HttpServer.CHUNKED_WRITER,
                HttpServer.BYTE_WATCHER}) {
            if (p.get(name) != null) {
                p.remove(name);
            }
        }
        p.remove(this);
        return new UpgradedConnection(channel(), ex.request.fullRequest(), loop);
    }

    /** Whether {@link #takeOver} happened. */
    boolean takenOver() {
        return takenOver;
    }

    /** The current request head and its response. */
    static final class Exchange {
        final ServerRequest request;
        final ServerResponse response;
        /** The handler's task, once started. */
        Task<Void> task;
        /** The loop time by which the body must have come ({@link ServerLimits#bodyDeadline()}), from the first read. */
        double bodyDeadline = Double.NaN;

        Exchange(ServerConnection connection, HttpRequest head) {
            this.response = new ServerResponse(connection, this, head);
            this.request = new ServerRequest(connection, this, head);
        }
    }
}
