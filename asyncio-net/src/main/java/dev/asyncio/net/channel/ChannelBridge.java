package dev.asyncio.net.channel;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Context;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslHandler;

/**
 * The last handler of a channel's pipeline, where Netty's events meet a loop's tasks and protocols: the one
 * home of what every channel-backed connection needs (streams, protocols, the HTTP client and server).
 * Everything runs on the loop's thread, which is the channel's event loop.
 *
 * <ul>
 *   <li><b>Establishing.</b> {@link #established()} is called once the channel is active and, when an
 *   {@link SslHandler} is in the pipeline, its handshake succeeded; {@link #notEstablished} when the
 *   handshake failed. The handler may be added before the channel is active (a server's child) or after (a
 *   channel {@link HappyEyeballs} connected): both work.</li>
 *   <li><b>Reading: one model.</b> The channel reads while {@link #wantsRead()} says so, by Netty's
 *   {@code autoRead} (a read burst then takes as many socket reads as Netty's allocator allows, and stops at
 *   once when reading is paused from inside it). {@link #setReadPaused(boolean)} sets the owner's wish; a subclass with more conditions overrides {@link #wantsRead()} and calls
 *   {@link #updateReading()} when they change. Once the peer's FIN was seen, the socket's read interest is
 *   left alone (epoll has dropped it, and re-arming fails).</li>
 *   <li><b>Writing: per-step flush.</b> Writes go to the channel unflushed and {@link #scheduleFlush()}
 *   flushes them once per loop step (a callback scheduled by the first write of the step), or at the end of
 *   the current read burst when the write comes from this very channel's read, which is what a hand-written
 *   Netty handler does: many small writes become one system call.</li>
 *   <li><b>Threads and errors.</b> {@link #checkThread(String)} fails a call from another thread before any
 *   state is touched; {@link NetErrors} maps what Netty reports to the project's exceptions.</li>
 * </ul>
 *
 * <p>Memory: an idle connection holds this object and its channel, nothing else of its own; the flush
 * callback and the internal context are made by the first write.
 */
public abstract class ChannelBridge extends ChannelInboundHandlerAdapter {
    private final AsyncLoop loop;
    private Channel channel;
    private boolean activated;
    private boolean readPaused;
    /** What the channel's {@code autoRead} was last set to (reading it back is a volatile read). */
    private boolean autoRead;
    /** The peer's FIN was seen: there is nothing more to read, so the socket's read interest is left alone. */
    private boolean inputShutdown;
    private boolean inRead;
    private boolean flushAfterRead;
    private boolean flushScheduled;
    private Runnable flushTask;
    private Context internalContext;

    /** A bridge for a channel registered on {@code loop}'s Netty event loop. */
    protected ChannelBridge(AsyncLoop loop) {
        this.loop = loop;
    }

    /** The loop this connection belongs to. */
    public final AsyncLoop loop() {
        return loop;
    }

    /** The channel, or {@code null} before the handler was added to its pipeline. */
    public final Channel channel() {
        return channel;
    }

    // ---------------------------------------------------------------- establishing

    @Override
    public final void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        autoRead = channel.config().isAutoRead();
        if (channel.isActive()) {
            activate(ctx);
        }
    }

    @Override
    public final void channelActive(ChannelHandlerContext ctx) {
        activate(ctx);
        ctx.fireChannelActive();
    }

    private void activate(ChannelHandlerContext ctx) {
        if (activated) {
            return;
        }
        activated = true;
        // Every connection on the bridge (streams, protocols, the HTTP client and server) counts in the loop's
        // LoopStats.openConnections until its channel closes.
        if (countsConnection()) {
            loop.trackConnection(ctx.channel());
        }
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl == null || ssl.handshakeFuture().isSuccess()) {
            established();
        } else {
            ssl.handshakeFuture().addListener(f -> {
                if (f.isSuccess()) {
                    established();
                } else {
                    notEstablished(f.cause());
                }
            });
        }
        if (channel.isActive()) {
            updateReading();      // the handshake's messages, too, must be read
        }
    }

    /**
     * Whether the channel counts in the loop's {@code LoopStats.openConnections} once active: {@code true}
     * unless overridden by a bridge that takes over a channel another bridge counted already (an HTTP server
     * connection upgraded to a WebSocket), so that it is not counted twice.
     */
    protected boolean countsConnection() {
        return true;
    }

    /**
     * The channel is connected and, with TLS, the handshake is done: the connection may be used. Called once,
     * on the loop's thread; the channel may have closed meanwhile ({@code channel().isActive()} tells).
     */
    protected abstract void established();

    /** The TLS handshake failed with {@code cause} (Netty's exception: see {@link NetErrors#toNetError}). */
    protected abstract void notEstablished(Throwable cause);

    // ---------------------------------------------------------------- reading

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        inRead = true;
        received(ctx, msg);
    }

    /** Whether a read burst is under way: writes made now are flushed at its end by {@link #scheduleFlush()}. */
    protected final boolean inRead() {
        return inRead;
    }

    /** What the previous handler passed on (bytes, or a decoded message); this handler owns {@code msg}. */
    protected abstract void received(ChannelHandlerContext ctx, Object msg);

    @Override
    public final void channelReadComplete(ChannelHandlerContext ctx) {
        inRead = false;
        if (flushAfterRead) {
            flushAfterRead = false;
            ctx.flush();
        }
        readComplete(ctx);
        ctx.fireChannelReadComplete();
    }

    /** The end of a read burst; writes made during it were just flushed. Does nothing unless overridden. */
    protected void readComplete(ChannelHandlerContext ctx) {
    }

    @Override
    public final void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ChannelInputShutdownEvent.INSTANCE) {
            inputShutdown = true;
        }
        event(ctx, evt);
    }

    /** A user event ({@link ChannelInputShutdownEvent} when the peer's FIN came); passed on unless overridden. */
    protected void event(ChannelHandlerContext ctx, Object evt) {
        ctx.fireUserEventTriggered(evt);
    }

    /** Whether the peer's FIN was seen. */
    protected final boolean inputShutdown() {
        return inputShutdown;
    }

    /** Whether the socket should be read now: unless overridden, while reading is not paused. */
    protected boolean wantsRead() {
        return !readPaused;
    }

    /**
     * Pauses reading the socket ({@code true}: TCP flow control then pushes back on the peer) or resumes it
     * ({@code false}, if {@link #wantsRead()} agrees).
     */
    protected final void setReadPaused(boolean paused) {
        readPaused = paused;
        updateReading();
    }

    /** Whether reading was paused by {@link #setReadPaused}. */
    protected final boolean isReadPaused() {
        return readPaused;
    }

    /** Makes the channel read or not, as {@link #wantsRead()} now says. Call it whenever its answer may change. */
    protected final void updateReading() {
        Channel ch = channel;
        if (ch == null || inputShutdown) {
            // After the peer's FIN, epoll has dropped the socket from its interest set and re-arming read
            // interest fails (epoll_ctl: ENOENT); there is nothing more to read anyway.
            return;
        }
        boolean want = wantsRead();
        if (want != autoRead) {
            autoRead = want;
            ch.config().setAutoRead(want);
        }
    }

    // ---------------------------------------------------------------- writing

    /**
     * Flushes what was written to the channel, once: at the end of the current read burst if called from
     * inside one, otherwise from a callback at the end of this loop step (at once if the loop is closed).
     */
    protected final void scheduleFlush() {
        if (inRead) {
            flushAfterRead = true;
        } else if (!flushScheduled) {
            flushScheduled = true;
            if (loop.isClosed()) {
                flushNow();
            } else {
                Runnable task = flushTask;
                if (task == null) {
                    task = this::flushNow;
                    flushTask = task;
                }
                loop.callSoon(task, internalContext());
            }
        }
    }

    private void flushNow() {
        flushScheduled = false;
        channel.flush();
    }

    /** Flushes now what was written in this step and waits for a flush (before a TLS upgrade, say). */
    protected final void flushPending() {
        if (flushScheduled || flushAfterRead) {
            channel.flush();
        }
    }

    /** Runs {@code task} soon on the loop, in this connection's own empty context, not a copy of the caller's. */
    protected final void callSoon(Runnable task) {
        loop.callSoon(task, internalContext());
    }

    private Context internalContext() {
        Context c = internalContext;
        if (c == null) {
            c = new Context();
            internalContext = c;
        }
        return c;
    }

    // ---------------------------------------------------------------- threads and closing

    /**
     * Throws unless called on the channel's event loop thread, before any state is touched.
     *
     * @param subject what is being used, for the message: {@code "A transport"}
     * @throws IllegalStateException naming {@code callSoonThreadsafe}, the way in from other threads
     */
    protected final void checkThread(String subject) {
        if (!channel.eventLoop().inEventLoop()) {
            throw new IllegalStateException(subject + " is used from thread '" + Thread.currentThread().getName()
                    + "', not from its loop's thread: use loop.callSoonThreadsafe");
        }
    }

    /**
     * Closes {@code ch} at once, around its pipeline: a graceful TLS close would first wait for the handshake
     * and a close_notify, which an abort or a cancelled connect must not. A channel that never got
     * registered (it could not be created or initialised) has no event loop, and is closed forcibly.
     */
    public static void closeNow(Channel ch) {
        if (ch.isRegistered()) {
            ch.unsafe().close(ch.voidPromise());
        } else {
            ch.unsafe().closeForcibly();
        }
    }
}
