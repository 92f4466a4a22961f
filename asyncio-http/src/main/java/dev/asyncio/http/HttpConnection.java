package dev.asyncio.http;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Future;
import dev.asyncio.net.ConnectionResetError;
import dev.asyncio.net.channel.ChannelBridge;
import dev.asyncio.net.channel.NetErrors;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.ReferenceCountUtil;

/**
 * One HTTP/1.1 connection: the last handler of its channel's pipeline (after the TLS and HTTP codec handlers),
 * carrying one {@link HttpExchange} at a time. Everything runs on the loop's thread: Netty calls the handler
 * methods there, and tasks call the others there. The pool's bookkeeping of it (counted, idle since when)
 * is the {@link ConnectionPool}'s.
 *
 * <p>Establishing, reading and flushing are the {@link ChannelBridge}'s: the socket is read while the
 * connection is idle (so that a server closing it is noticed at once) and while a response is coming in, until
 * more than {@code bufferLimit} bytes of body wait to be consumed ({@link HttpExchange#wantsMore()}): then
 * reading stops and TCP flow control pushes back on the server, until the application has taken enough.
 */
final class HttpConnection extends ChannelBridge {
    private final ConnectionPool pool;
    final Origin origin;
    private final int bufferLimit;
    /** Completed when connected (and TLS done); failed or abandoned otherwise. */
    private final Future<HttpConnection> ready;

    private boolean closed;
    private int exchanges;
    /** Bytes read from the socket (decrypted), for telling a reused connection's silent death from a failure. */
    private long bytesIn;
    /** The exchange under way, or {@code null}. */
    private HttpExchange exchange;

    HttpConnection(AsyncLoop loop, ConnectionPool pool, Origin origin, int bufferLimit, Future<HttpConnection> ready) {
        super(loop);
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

    boolean closed() {
        return closed;
    }

    /** Whether it may carry a request now: open, and its socket still connected. */
    boolean usable() {
        return !closed && channel().isActive();
    }

    /** How many requests were sent on it. */
    int exchanges() {
        return exchanges;
    }

    long bytesIn() {
        return bytesIn;
    }

    int bufferLimit() {
        return bufferLimit;
    }

    // ---------------------------------------------------------------- establishing (Netty side)

    @Override
    protected void established() {
        if (ready.done()) {
            abort();             // the connecting task gave up (timeout, cancellation) meanwhile
            return;
        }
        if (channel().isActive()) {
            ready.setResult(this);
        }
    }

    @Override
    protected void notEstablished(Throwable cause) {
        if (!ready.done()) {
            ready.setException(NetErrors.toNetError(cause, "TLS handshake with " + origin + " failed"));
        }
        abort();
    }

    // ---------------------------------------------------------------- exchanges (task side)

    /**
     * Starts an exchange: writes {@code request} (which this takes, flushed at the end of the loop step) and
     * gets ready for the response. If the connection is closed already, the exchange fails at once with
     * {@link ServerDisconnectedError}.
     *
     * @throws IllegalStateException if an exchange is under way on it
     */
    HttpExchange send(FullHttpRequest request, Object what, boolean keepAliveRequested) {
        if (exchange != null) {
            request.release();
            throw new IllegalStateException("a request is already under way on " + this);
        }
        exchanges++;
        HttpExchange x = new HttpExchange(this, what, keepAliveRequested, bytesIn);
        exchange = x;
        Channel channel = channel();
        if (closed || !channel.isActive()) {
            request.release();
            x.fail(new ServerDisconnectedError(what + ": the server closed the connection before the request was sent"));
            return x;
        }
        channel.write(request).addListener(f -> {
            if (!f.isSuccess() && exchange == x) {
                x.fail(NetErrors.toNetError(f.cause(), what + ": cannot send the request"));
            }
        });
        scheduleFlush();
        updateReading();
        return x;
    }

    /** {@code x} ended ({@link HttpExchange#finish}): back to the pool if {@code reusable}, closed otherwise. */
    void ended(HttpExchange x, boolean reusable) {
        if (exchange == x) {
            exchange = null;
        }
        if (reusable) {
            pool.recycle(this);
            updateReading();      // idle, the socket is read so that a server closing it is noticed
        } else {
            abort();
        }
    }

    /** The exchange's buffer changed, so whether to read the socket may have. */
    void readingMayChange() {
        updateReading();
    }

    /** Closes the connection now and the pool forgets it; pending reads fail. Idempotent. */
    void abort() {
        markClosed();
        if (channel() != null) {
            // Around the pipeline: a graceful TLS close would wait for a close_notify that a broken exchange
            // does not deserve.
            ChannelBridge.closeNow(channel());
        }
    }

    /** Closes the connection because the client is closing; an exchange under way fails with {@code why}. */
    void closeForShutdown(RuntimeException why) {
        HttpExchange x = exchange;
        if (x != null) {
            x.closeForShutdown(why);
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

    @Override
    protected boolean wantsRead() {
        HttpExchange x = exchange;
        return !closed && (x == null || x.wantsMore());
    }

    // ---------------------------------------------------------------- the response (Netty side)

    @Override
    protected void received(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpObject obj)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            if (closed) {
                return;
            }
            HttpExchange x = exchange;
            if (x == null) {
                // A server may say nothing between exchanges; whatever it says cannot be trusted.
                abort();
                return;
            }
            x.onMessage(obj);
        } finally {
            ReferenceCountUtil.release(msg);
            updateReading();      // stops at once, inside the read burst, when the body's limit is reached
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        HttpExchange x = exchange;
        RuntimeException e = NetErrors.toNetError(cause, x != null ? x.what().toString() : "connection to " + origin);
        if (!ready.done()) {
            ready.setException(e);
        }
        if (x != null) {
            x.fail(e);
        } else {
            abort();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!ready.done()) {
            ready.setException(new ConnectionResetError("the connection to " + origin + " closed while it was being made"));
        }
        HttpExchange x = exchange;
        if (x != null) {
            x.connectionClosed();
        }
        markClosed();
        ctx.fireChannelInactive();
    }

    @Override
    public String toString() {
        return "<HttpConnection " + origin + (closed ? " closed" : pool.isIdle(this) ? " idle" : exchange != null ? " busy" : " open")
                + " requests=" + exchanges + ">";
    }
}
