package dev.asyncio.http;

import dev.asyncio.AsyncLoop;
import dev.asyncio.CancelledError;
import dev.asyncio.Future;
import dev.asyncio.TimerHandle;
import dev.asyncio.net.ConnectionResetError;
import dev.asyncio.net.internal.Errors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;

/**
 * One HTTP/1.1 connection: the last handler of its channel's pipeline (after the TLS and HTTP codec handlers)
 * and the state of the one exchange under way on it. Everything runs on the loop's
 * thread: Netty calls the handler methods there, and tasks call the exchange methods there.
 *
 * <p>The channel does not read on its own ({@code autoRead} off). A read is kept pending while the connection
 * is idle (so that a server closing it is noticed at once) and while a response is coming in, until more than
 * {@code bufferLimit} bytes of body wait to be consumed: then reading stops and TCP flow control pushes back
 * on the server, until the application has taken enough. Body bytes are copied out of Netty's buffers as they
 * arrive, so nothing here holds a buffer that could leak, whatever the application does with the response.
 *
 * <p>A gzip or deflate body waits here compressed, and is decompressed in {@link #read} only as far as the
 * reader asks, at most {@code bufferLimit} bytes at a time ({@link Decompressor}): the limit on unconsumed
 * bytes then holds for compressed bytes, and no more decompressed bytes exist than the reader took, whatever
 * the compression ratio.
 *
 * <p>A request's total limit holds whatever the server does: its deadline is checked on every read, before
 * bytes already here are handed out and again whenever a wait ends, not only by a timer that acts while a read
 * waits (bytes arriving in the same loop iteration as the deadline would win that race every time, and a
 * server that never pauses, or a small gzip body that inflates to gigabytes, would let a read go on past it).
 * And a reader served from buffered bytes yields to the loop's other tasks every {@link #SHARE_AFTER_READS}
 * reads or {@link #SHARE_AFTER_BYTES} bytes, so that it cannot keep the loop to itself.
 */
final class HttpConnection extends ChannelInboundHandlerAdapter {
    private static final long NO_CONTENT_LENGTH = -1;
    /** A reader that has not suspended for this many reads lets the other tasks run once. */
    static final int SHARE_AFTER_READS = 256;
    /** ... or once it was handed this many bytes without suspending. */
    static final long SHARE_AFTER_BYTES = 1 << 20;

    private final AsyncLoop loop;
    private final ConnectionPool pool;
    final Origin origin;
    private final int bufferLimit;
    /** Completed when connected (and TLS done); failed or abandoned otherwise. */
    private final Future<HttpConnection> ready;
    private Channel channel;

    /** Counted by the pool: set once connected and handed to it, until {@link #closed}. */
    boolean adopted;
    /** In the pool's idle sets. */
    boolean idle;
    double idleSince;
    private boolean closed;
    private int exchanges;
    /** Bytes read from the socket (decrypted), for telling a reused connection's silent death from a failure. */
    private long bytesIn;
    private boolean readPaused = true;

    // ---------------------------------------------------------------- the current exchange
    private boolean active;
    /** The request under way, for error messages (its toString() only when one is made). */
    private Object what;
    private boolean keepAliveRequested;
    private long bytesAtStart;
    private HttpResponse head;
    private boolean informational;
    private final ArrayDeque<byte[]> content = new ArrayDeque<>();
    /** Undoes the body's content coding as it is read; {@code null} for a body handed out as it came. */
    private Decompressor decompressor;
    /** Whether the connection ended before the body did (the failure is then an {@link IncompleteBodyError}). */
    private boolean cutShort;
    /** Read offset into the first chunk of {@link #content}. */
    private int offset;
    private int buffered;
    /** Body bytes that came off the wire (compressed ones included). */
    private long wireReceived;
    /** Body bytes received (decompressed as far as they were read) so far. */
    private long received;
    private long expectedLength = NO_CONTENT_LENGTH;
    private boolean complete;
    private RuntimeException failure;
    private Future<Void> waiter;
    /** Whether {@link #waiter} only lets the other tasks run ({@link #share}): the reader waits for no bytes. */
    private boolean yielding;
    /** Reads, and bytes they handed out, since the reading task last suspended: when to {@link #share}. */
    private int readsWithoutPause;
    private long bytesWithoutPause;

    HttpConnection(AsyncLoop loop, ConnectionPool pool, Origin origin, int bufferLimit, Future<HttpConnection> ready) {
        this.loop = loop;
        this.pool = pool;
        this.origin = origin;
        this.bufferLimit = bufferLimit;
        this.ready = ready;
    }

    /** Counts the bytes that come out of TLS (or off the socket), ahead of the HTTP decoder. */
    ChannelInboundHandlerAdapter byteCounter() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof ByteBuf b) {
                    bytesIn += b.readableBytes();
                }
                ctx.fireChannelRead(msg);
            }
        };
    }

    Channel channel() {
        return channel;
    }

    AsyncLoop loop() {
        return loop;
    }

    boolean closed() {
        return closed;
    }

    /** Whether it may carry a request now: open, and its socket still connected. */
    boolean usable() {
        return !closed && channel.isActive();
    }

    /** How many requests were sent on it. */
    int exchanges() {
        return exchanges;
    }

    // ---------------------------------------------------------------- establishing (Netty side)

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl == null) {
            established();
        } else {
            ssl.handshakeFuture().addListener(f -> {
                if (f.isSuccess()) {
                    established();
                } else if (!ready.done()) {
                    ready.setException(Errors.toNetError(f.cause(), "TLS handshake with " + origin + " failed"));
                    abort();
                }
            });
            ctx.read();          // autoRead is off: the server's handshake messages must be asked for
        }
        ctx.fireChannelActive();
    }

    private void established() {
        if (ready.done()) {
            abort();             // the connecting task gave up (timeout, cancellation) meanwhile
            return;
        }
        if (channel.isActive()) {
            ready.setResult(this);
        }
    }

    // ---------------------------------------------------------------- an exchange (task side)

    /**
     * Starts an exchange: writes {@code request} (which this takes) and gets ready for the response. If the
     * connection is closed already, the exchange fails at once with {@link ServerDisconnectedError}.
     */
    void send(FullHttpRequest request, Object what, boolean keepAliveRequested) {
        if (active) {
            request.release();
            throw new IllegalStateException("a request is already under way on " + this);
        }
        active = true;
        this.what = what;
        this.keepAliveRequested = keepAliveRequested;
        bytesAtStart = bytesIn;
        exchanges++;
        head = null;
        informational = false;
        content.clear();
        offset = 0;
        buffered = 0;
        received = 0;
        wireReceived = 0;
        endDecompression();
        cutShort = false;
        expectedLength = NO_CONTENT_LENGTH;
        complete = false;
        failure = null;
        if (closed || !channel.isActive()) {
            request.release();
            failure = new ServerDisconnectedError(what + ": the server closed the connection before the request was sent");
            abort();
            return;
        }
        int exchange = exchanges;
        channel.writeAndFlush(request).addListener(f -> {
            if (!f.isSuccess() && active && exchanges == exchange) {
                fail(Errors.toNetError(f.cause(), what + ": cannot send the request"));
            }
        });
        resumeReading();
    }

    /** Whether the current exchange failed before a single byte of its response arrived. */
    boolean nothingReceived() {
        return bytesIn == bytesAtStart;
    }

    /**
     * Suspends the current task until the response head has arrived, and returns it. Woken by the head, by
     * the end of the exchange (the connection closing, a decoding error), or by the read or total limit.
     *
     * <p>Cancellation: the connection is closed.
     *
     * @throws RuntimeException what ended the exchange: {@link ServerDisconnectedError},
     *                          {@link MalformedResponseError}, a timeout, a network error
     */
    HttpResponse awaitHead(Limits limits) {
        while (head == null) {
            if (failure != null) {
                throw failure;
            }
            awaitProgress(limits);
        }
        return head;
    }

    /**
     * The next body bytes, at most {@code max}, or {@code null} at the end of the body. Suspends the current
     * task until some are there, the body ends, or the exchange fails (the read or total limit included).
     * Bytes that arrived before a failure are handed out before it is thrown, but none once the request's
     * deadline has passed: then the read fails with {@link TotalTimeoutError} even if bytes are here. After
     * {@link #SHARE_AFTER_READS} reads or {@link #SHARE_AFTER_BYTES} bytes without suspending, a read first
     * suspends the task once to let the loop's other tasks run.
     *
     * <p>Cancellation: the connection is closed, and later reads throw {@link IllegalStateException}.
     */
    byte[] read(int max, Limits limits) {
        if (readsWithoutPause >= SHARE_AFTER_READS || bytesWithoutPause >= SHARE_AFTER_BYTES) {
            share();
        }
        // Before bytes already here are handed out: they must not carry a read past the deadline.
        checkDeadline(limits);
        byte[] out = decompressor != null ? readDecompressed(max, limits) : readBuffered(max, limits);
        if (out != null) {
            readsWithoutPause++;
            bytesWithoutPause += out.length;
        }
        return out;
    }

    /** {@link #read} for a body handed out as it came. */
    private byte[] readBuffered(int max, Limits limits) {
        while (content.isEmpty()) {
            if (failure != null) {
                throw failure;
            }
            if (complete) {
                return null;
            }
            awaitProgress(limits);
        }
        byte[] first = content.peekFirst();
        int available = first.length - offset;
        byte[] out;
        if (offset == 0 && available <= max) {
            out = content.pollFirst();
        } else {
            int n = Math.min(available, max);
            out = java.util.Arrays.copyOfRange(first, offset, offset + n);
            offset += n;
            if (offset == first.length) {
                content.pollFirst();
                offset = 0;
            }
        }
        buffered -= out.length;
        resumeReading();
        return out;
    }

    /**
     * {@link #read} for a compressed body: decompresses at most {@code min(max, bufferLimit)} bytes of what
     * came, and waits for more compressed bytes only when those give nothing.
     */
    private byte[] readDecompressed(int max, Limits limits) {
        int most = Math.min(max, bufferLimit);
        while (true) {
            if (decompressor == null) {
                // The response was closed (by another task) while this one waited or was about to resume.
                throw failure != null ? failure : new IllegalStateException(what + ": the response was closed");
            }
            long before = decompressor.pending();
            // Sized for what the compressed bytes here may give, so that a small body does not cost the whole limit.
            byte[] out = new byte[(int) Math.min(most, Math.max(8192, before * 4))];
            int n;
            try {
                n = decompressor.inflate(out, 0, out.length);
            } catch (java.util.zip.DataFormatException e) {
                fail(new MalformedResponseError(what + ": the response body from " + origin + " cannot be decompressed ("
                        + decompressor.encoding() + "): " + e.getMessage(), e));
                throw failure;
            } finally {
                buffered -= (int) (before - decompressor.pending());
            }
            if (n > 0) {
                received += n;
                resumeReading();
                return n == out.length ? out : java.util.Arrays.copyOf(out, n);
            }
            if (failure != null) {
                if (cutShort) {
                    failure = incompleteBody();     // with the count of what could be decompressed
                }
                throw failure;
            }
            if (complete) {
                if (!decompressor.atEnd()) {
                    fail(new MalformedResponseError(what + ": the " + decompressor.encoding() + " body from " + origin
                            + " ends before its compressed stream does, after " + received + " bytes", null));
                    throw failure;
                }
                return null;
            }
            resumeReading();
            awaitProgress(limits);
        }
    }

    /** Body bytes received so far in this exchange: for a compressed body, as many as were decompressed. */
    long received() {
        return received;
    }

    /** Whether the body is being decompressed as it is read. */
    boolean decompressing() {
        return decompressor != null;
    }

    /** Whether some bytes of a body came, compressed or not. */
    boolean bodyReceived() {
        return wireReceived > 0;
    }

    private void endDecompression() {
        if (decompressor != null) {
            decompressor.close();
            decompressor = null;
        }
    }

    /** Whether the whole body has arrived (it may not all be consumed yet). */
    boolean complete() {
        return complete;
    }

    /**
     * Suspends the current task until something happens to the exchange (bytes, its end, a failure), or its read
     * or total limit runs out; then checks the deadline, since bytes that came in the same loop iteration as the
     * deadline wake the task before the timer can fail the exchange.
     *
     * <p>Cancellation: the exchange fails and the connection is closed.
     */
    private void awaitProgress(Limits limits) {
        Future<Void> w = startWaiting();
        // A server answers in real time: on a virtual-time loop the clock must not jump past a read timeout
        // while the answer is on its way.
        loop.markExternal(w);
        double readAt = loop.time() + limits.timeout().read();
        boolean total = limits.deadline() <= readAt;
        double at = total ? limits.deadline() : readAt;
        TimerHandle timer = at == Double.POSITIVE_INFINITY ? null : loop.callAt(at, () -> {
            if (!w.done()) {
                fail(total ? limits.totalExceeded(what) : readTimeout(limits));
            }
        });
        resumeReading();
        suspendOn(w, timer);
        checkDeadline(limits);
    }

    /**
     * Lets every other ready task run once, then goes on: for a reader that keeps finding bytes here (a server
     * that never pauses, a body that inflates a thousandfold) and would otherwise never suspend. Meanwhile the
     * reader counts as waiting, so that closing the response fails it instead of pooling the connection under
     * it, but reading the socket stays paused while the read buffer is full.
     *
     * <p>Cancellation: as {@link #awaitProgress}.
     */
    private void share() {
        Future<Void> w = startWaiting();
        yielding = true;
        loop.callSoon(() -> {
            if (!w.done()) {
                w.setResult(null);
            }
        });
        suspendOn(w, null);
    }

    private Future<Void> startWaiting() {
        if (waiter != null) {
            throw new IllegalStateException("another task is already reading this response");
        }
        Future<Void> w = loop.createFuture();
        waiter = w;
        return w;
    }

    private void suspendOn(Future<Void> w, TimerHandle timer) {
        try {
            w.await();
        } catch (CancelledError e) {
            fail(new IllegalStateException(what + ": the response was abandoned: a task reading it was cancelled"));
            // Nothing more is handed out, not even what had come: the body is in an unknown state now.
            content.clear();
            offset = 0;
            endDecompression();
            buffered = 0;
            throw e;
        } finally {
            if (waiter == w) {
                waiter = null;
            }
            yielding = false;
            readsWithoutPause = 0;
            bytesWithoutPause = 0;
            if (timer != null) {
                timer.cancel();
            }
        }
    }

    /**
     * Fails the exchange with a {@link TotalTimeoutError} if its deadline has passed (or with what failed it
     * before, if something did), and throws that.
     */
    private void checkDeadline(Limits limits) {
        if (limits.expired(loop.time())) {
            fail(limits.totalExceeded(what));
            throw failure;
        }
    }

    private ReadTimeoutError readTimeout(Limits limits) {
        double s = limits.timeout().read();
        return new ReadTimeoutError(what + ": no data from the server for " + Limits.seconds(s)
                + (head == null ? " while waiting for the response" : " while reading the body"), s);
    }

    /**
     * Ends the exchange, whatever its state: the connection goes back to the pool if the whole response
     * arrived and both sides allow keep-alive, and is closed otherwise. Unconsumed body bytes are dropped. A
     * task waiting for more of the body (another task than the one closing the response) fails with an
     * {@link IllegalStateException}.
     */
    void finish() {
        if (!active) {
            return;
        }
        // A task still in awaitProgress (waiting, or woken by the body's last bytes but not yet resumed) must
        // learn that the response was closed under it; were the connection pooled, it would find the body
        // gone without an error, and the next exchange would find its stale waiter.
        boolean reading = waiter != null;
        boolean reusable = !reading && !closed && failure == null && complete && head != null && keepAliveRequested
                && HttpUtil.isKeepAlive(head) && head.status().code() != 101;
        active = false;
        head = null;
        content.clear();
        endDecompression();
        buffered = 0;
        if (reusable) {
            pool.recycle(this);
            resumeReading();      // idle, a read stays pending so that a server closing it is noticed
        } else {
            // Closing the channel below will not wake a reader: the exchange is no longer active by then.
            if (failure == null) {
                failure = new IllegalStateException(what + ": the response was closed");
            }
            wake();
            abort();
        }
    }

    /**
     * Ends exchange number {@code exchange} if it is still under way, whatever state it is in, because its
     * response became unreachable unclosed ({@link UnclosedResponse}): the connection is closed, since what is
     * left of the body on it is unknown. Returns whether it was still under way.
     */
    boolean abandon(int exchange, String why) {
        if (!active || exchanges != exchange) {
            return false;
        }
        if (failure == null) {
            failure = new IllegalStateException(why);
        }
        finish();
        return true;
    }

    /** The exchange fails with {@code e} (unless it failed already) and the connection is closed. */
    void fail(RuntimeException e) {
        if (failure == null) {
            failure = e;
        }
        wake();
        abort();
    }

    /** Closes the connection now and the pool forgets it; pending reads fail. Idempotent. */
    void abort() {
        markClosed();
        if (channel != null) {
            // Around the pipeline: a graceful TLS close would wait for a close_notify that a broken exchange
            // does not deserve.
            channel.unsafe().close(channel.voidPromise());
        }
    }

    /** Closes the connection because the client is closing; an exchange under way fails with {@code why}. */
    void closeForShutdown(RuntimeException why) {
        if (active && !complete) {
            fail(why);
        } else {
            abort();
        }
    }

    private void markClosed() {
        if (!closed) {
            closed = true;
            pool.forget(this);
        }
    }

    private void wake() {
        Future<Void> w = waiter;
        if (w != null && !w.done()) {
            w.setResult(null);
        }
    }

    private void resumeReading() {
        if (readPaused && wantsRead()) {
            readPaused = false;
            channel.read();
        }
    }

    /**
     * Whether to read the socket: not while the body's unconsumed bytes reach the limit, unless a reader is
     * waiting for bytes (then what is here cannot give it anything: a partial gzip header, say, with a tiny
     * limit).
     */
    private boolean wantsRead() {
        return !closed && !(active && buffered >= bufferLimit && (waiter == null || waiter.done() || yielding));
    }

    // ---------------------------------------------------------------- the response (Netty side)

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpObject obj)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            if (closed) {
                return;
            }
            if (!active) {
                // A server may say nothing between exchanges; whatever it says cannot be trusted.
                abort();
                return;
            }
            DecoderResult result = obj.decoderResult();
            if (result.isFailure()) {
                fail(decodingFailed(result.cause()));
                return;
            }
            if (obj instanceof HttpResponse h) {
                if (h.status().codeClass() == HttpStatusClass.INFORMATIONAL && h.status().code() != 101) {
                    informational = true;     // 100 Continue, 103 Early Hints: the real response follows
                } else if (head == null) {
                    head = h;
                    decompressor = Decompressor.forEncoding(h.headers().get(HttpHeaderNames.CONTENT_ENCODING));
                    if (decompressor != null) {
                        // What the application gets is no longer encoded, and its length is not known.
                        h.headers().remove(HttpHeaderNames.CONTENT_ENCODING);
                        h.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
                    }
                    String length = h.headers().get(HttpHeaderNames.CONTENT_LENGTH);
                    if (length != null) {
                        try {
                            expectedLength = Long.parseLong(length.trim());
                        } catch (NumberFormatException ignored) {
                            // the decoder has judged the framing already; this is only for messages
                        }
                    }
                    wake();
                } else {
                    fail(new MalformedResponseError(what + ": a second response arrived before the first ended", null));
                    return;
                }
            }
            if (obj instanceof HttpContent c) {
                if (informational) {
                    if (c instanceof LastHttpContent) {
                        informational = false;
                    }
                    return;
                }
                ByteBuf data = c.content();
                int n = data.readableBytes();
                if (n > 0) {
                    byte[] bytes = ByteBufUtil.getBytes(data);
                    if (decompressor != null) {
                        long before = decompressor.pending();
                        decompressor.feed(bytes);           // bytes after the compressed stream's end are dropped
                        buffered += (int) (decompressor.pending() - before);
                    } else {
                        content.add(bytes);
                        buffered += n;
                        received += n;
                    }
                    wireReceived += n;
                }
                if (c instanceof LastHttpContent) {
                    complete = true;
                }
                wake();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private RuntimeException decodingFailed(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return new HeadersTooLargeError(what + ": the response's status line is too long (" + cause.getMessage() + ")", cause);
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return new HeadersTooLargeError(what + ": the response's header block is too large (" + cause.getMessage() + ")", cause);
        }
        if (cause instanceof PrematureChannelClosureException) {
            return new ServerDisconnectedError(what + ": the server closed the connection in the middle of the response head", cause);
        }
        return new MalformedResponseError(what + ": malformed response from " + origin + ": " + cause.getMessage(), cause);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (wantsRead()) {
            ctx.read();
        } else {
            readPaused = true;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        RuntimeException e = Errors.toNetError(cause, what != null ? what.toString() : "connection to " + origin);
        if (!ready.done()) {
            ready.setException(e);
        }
        if (active) {
            fail(e);
        } else {
            abort();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!ready.done()) {
            ready.setException(new ConnectionResetError("the connection to " + origin + " closed while it was being made"));
        }
        if (active && !complete && failure == null) {
            if (head == null) {
                failure = new ServerDisconnectedError(what + ": the server closed the connection "
                        + (nothingReceived() ? "without sending a response" : "in the middle of the response head"));
            } else {
                cutShort = true;
                failure = incompleteBody();
            }
            wake();
        }
        markClosed();
        ctx.fireChannelInactive();
    }

    private IncompleteBodyError incompleteBody() {
        String message = decompressor == null
                ? received + (expectedLength >= 0 ? " of " + expectedLength : "") + " body bytes"
                : wireReceived + " bytes of the " + decompressor.encoding() + " body (" + received + " decompressed so far)";
        return new IncompleteBodyError(what + ": the server closed the connection after " + message, received, null);
    }

    @Override
    public String toString() {
        return "<HttpConnection " + origin + (closed ? " closed" : idle ? " idle" : active ? " busy" : " open")
                + " requests=" + exchanges + ">";
    }
}
