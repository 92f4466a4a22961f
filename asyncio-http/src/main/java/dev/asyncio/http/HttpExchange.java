package dev.asyncio.http;

import dev.asyncio.AsyncLoop;
import dev.asyncio.CancelledError;
import dev.asyncio.Future;
import dev.asyncio.TimerHandle;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

import java.util.ArrayDeque;

/**
 * One request and its response on an {@link HttpConnection}: the response head, the body buffer, the
 * decompressor, the task waiting for bytes and the read and total limits. Made by
 * {@link HttpConnection#send}, it lives until its response is closed or read to its end ({@link #finish}),
 * and a response holds it, not the connection: a response closed late never touches the connection's next
 * exchange. Everything runs on the loop's thread.
 *
 * <p>Body bytes are copied out of Netty's buffers as they arrive ({@link #onMessage}), so nothing here holds a
 * buffer that could leak, whatever the application does with the response. The connection stops reading
 * the socket while more than its {@code bufferLimit} bytes of body wait here ({@link #wantsMore()}).
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
final class HttpExchange {
    private static final long NO_CONTENT_LENGTH = -1;
    /** A reader that has not suspended for this many reads lets the other tasks run once. */
    static final int SHARE_AFTER_READS = 256;
    /** ... or once it was handed this many bytes without suspending. */
    static final long SHARE_AFTER_BYTES = 1 << 20;

    private final HttpConnection connection;
    private final AsyncLoop loop;
    /** The request, for error messages (its toString() only when one is made). */
    private final Object what;
    private final boolean keepAliveRequested;
    /** The connection's byte count when the request was sent. */
    private final long bytesAtStart;
    private boolean active = true;
    private HttpResponse head;
    private boolean informational;
    /** The body's bytes not handed out yet, as they came; made by the first body bytes. */
    private ArrayDeque<byte[]> content;
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

    HttpExchange(HttpConnection connection, Object what, boolean keepAliveRequested, long bytesAtStart) {
        this.connection = connection;
        this.loop = connection.loop();
        this.what = what;
        this.keepAliveRequested = keepAliveRequested;
        this.bytesAtStart = bytesAtStart;
    }

    /** The connection it runs on. */
    HttpConnection connection() {
        return connection;
    }

    AsyncLoop loop() {
        return loop;
    }

    /** The request, for messages. */
    Object what() {
        return what;
    }

    /** Whether it is still under way (its response not closed nor read to its end). */
    boolean active() {
        return active;
    }

    /** Whether the current exchange failed before a single byte of its response arrived. */
    boolean nothingReceived() {
        return connection.bytesIn() == bytesAtStart;
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
        while (content == null || content.isEmpty()) {
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
        connection.readingMayChange();
        return out;
    }

    /**
     * {@link #read} for a compressed body: decompresses at most {@code min(max, bufferLimit)} bytes of what
     * came, and waits for more compressed bytes only when those give nothing.
     */
    private byte[] readDecompressed(int max, Limits limits) {
        int most = Math.min(max, connection.bufferLimit());
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
                fail(new MalformedResponseError(what + ": the response body from " + connection.origin + " cannot be decompressed ("
                        + decompressor.encoding() + "): " + e.getMessage(), e));
                throw failure;
            } finally {
                buffered -= (int) (before - decompressor.pending());
            }
            if (n > 0) {
                received += n;
                connection.readingMayChange();
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
                    fail(new MalformedResponseError(what + ": the " + decompressor.encoding() + " body from " + connection.origin
                            + " ends before its compressed stream does, after " + received + " bytes", null));
                    throw failure;
                }
                return null;
            }
            connection.readingMayChange();
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
        connection.readingMayChange();
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
            dropBody();
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
     * {@link IllegalStateException}. Idempotent.
     */
    void finish() {
        if (!active) {
            return;
        }
        // A task still in awaitProgress (waiting, or woken by the body's last bytes but not yet resumed) must
        // learn that the response was closed under it; were the connection pooled, it would find the body
        // gone without an error, and the next exchange would find its stale waiter.
        boolean reading = waiter != null;
        boolean reusable = !reading && !connection.closed() && failure == null && complete && head != null
                && keepAliveRequested && HttpUtil.isKeepAlive(head) && head.status().code() != 101;
        active = false;
        head = null;
        dropBody();
        if (!reusable) {
            // Closing the channel will not wake a reader: the exchange is no longer active by then.
            if (failure == null) {
                failure = new IllegalStateException(what + ": the response was closed");
            }
            wake();
        }
        connection.ended(this, reusable);
    }

    private void dropBody() {
        content = null;
        offset = 0;
        endDecompression();
        buffered = 0;
    }

    /**
     * Ends the exchange if it is still under way, whatever state it is in, because its response became
     * unreachable unclosed ({@link UnclosedResponse}): the connection is closed, since what is left of the
     * body on it is unknown. Returns whether it was still under way.
     */
    boolean abandon(String why) {
        if (!active) {
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
        connection.abort();
    }

    /** Closes the connection because the client is closing; the exchange fails with {@code why} unless complete. */
    void closeForShutdown(RuntimeException why) {
        if (active && !complete) {
            fail(why);
        } else {
            connection.abort();
        }
    }

    private void wake() {
        Future<Void> w = waiter;
        if (w != null && !w.done()) {
            w.setResult(null);
        }
    }

    /**
     * Whether the connection should read the socket for this exchange: not while the body's unconsumed bytes
     * reach the limit, unless a reader is waiting for bytes (then what is here cannot give it anything: a
     * partial gzip header, say, with a tiny limit).
     */
    boolean wantsMore() {
        return !(active && buffered >= connection.bufferLimit() && (waiter == null || waiter.done() || yielding));
    }

    // ---------------------------------------------------------------- the response (Netty side)

    /** A decoded part of the response (Netty side); the caller releases {@code obj}. */
    void onMessage(HttpObject obj) {
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
                    if (content == null) {
                        content = new ArrayDeque<>();
                    }
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
        return new MalformedResponseError(what + ": malformed response from " + connection.origin + ": " + cause.getMessage(), cause);
    }

    /** The connection closed (Netty side): an exchange still waiting for its response fails. */
    void connectionClosed() {
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
    }

    private IncompleteBodyError incompleteBody() {
        String message = decompressor == null
                ? received + (expectedLength >= 0 ? " of " + expectedLength : "") + " body bytes"
                : wireReceived + " bytes of the " + decompressor.encoding() + " body (" + received + " decompressed so far)";
        return new IncompleteBodyError(what + ": the server closed the connection after " + message, received, null);
    }

    @Override
    public String toString() {
        return "<HttpExchange " + what + (active ? " active" : " ended") + " on " + connection + ">";
    }
}
