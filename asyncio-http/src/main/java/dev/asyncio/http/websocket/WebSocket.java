package dev.asyncio.http.websocket;

import dev.asyncio.AsyncLoop;
import dev.asyncio.CancelledError;
import dev.asyncio.Future;
import dev.asyncio.TimerHandle;
import dev.asyncio.net.channel.ChannelBridge;
import dev.asyncio.net.channel.NetErrors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CodecException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * One WebSocket connection (RFC 6455), after the opening handshake: {@link #receive} whole messages,
 * {@link #send} text or bytes, {@link #ping}, and {@link #close} with a status code. Made by
 * {@link WebSocketClient#connect} on the client side, and handed to a {@link WebSocketHandler} on the server
 * side. Every method runs on the loop's thread, from a task of that loop (or a callback, for the ones that do
 * not suspend); {@link #receive}, {@link #send}, {@link #ping} and {@link #close} called from another thread
 * throw {@link IllegalStateException} (naming {@code callSoonThreadsafe}, the way in) before they touch anything.
 *
 * <p>The frames are Netty's ({@code WebSocket13FrameDecoder}/{@code Encoder} with masking as the side requires,
 * {@code Utf8FrameValidator}, {@code WebSocketFrameAggregator}); this class adds the asyncio side:
 * <ul>
 * <li><b>Reading on demand.</b> The socket is read only while a task waits in {@link #receive} or
 *     {@link #ping}, a {@link #close} handshake is under way, or the heartbeat waits for its pong, and never
 *     while more than {@link WebSocketOptions#maxMessageSize()} bytes of messages wait here unreceived: a peer
 *     that sends faster than the application receives is held back by TCP flow control. A ping from the peer is
 *     answered (a pong with its payload) when it is read. The connection is asyncio-net's
 *     {@link ChannelBridge}, as streams and the HTTP client and server are: reading is paused and resumed, writes
 *     flushed once per loop step, the thread checked and network failures mapped there.</li>
 * <li><b>Writing with backpressure.</b> {@link #send} waits while the channel's outbound buffer is above its
 *     high water mark (Netty's 64 KiB by default), so a sender is never further ahead of a slow peer than that
 *     plus one message.</li>
 * <li><b>Closing.</b> A peer's close frame is answered with the same code and handed out as a
 *     {@link WebSocketMessage.Close}; {@link #close(int, String)} sends one, waits for the answer for
 *     {@link WebSocketOptions#closeTimeout()} and then drops the connection. A peer that breaks the protocol is
 *     sent a close frame naming why (1002, 1007 invalid UTF-8, 1009 message too big) and the connection ends;
 *     a connection that ends without a close frame is reported as 1006. Both reach the application as a
 *     {@link WebSocketClosedError} from {@link #receive} and {@link #send}.</li>
 * </ul>
 */
public final class WebSocket implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WebSocket.class.getName());

    private final AsyncLoop loop;
    private final Channel channel;
    private final Bridge bridge;
    private final WebSocketOptions options;
    /** The subprotocol agreed in the handshake, "" when none; set by {@link #opened}. */
    private String subprotocol = "";
    private final String peer;
    /** Server: the request that opened the connection; {@code null} on the client side. */
    private WebSocketRequest request;
    /** Client: the opening handshake is under way (the socket is read until its answer is in). */
    private boolean handshaking;
    /** Client: what to do once the connection (TLS included) is up, and if its TLS handshake failed. */
    private Runnable whenEstablished;
    private Consumer<Throwable> whenNotEstablished;

    /** Messages read and not yet received; a {@link WebSocketMessage.Close} is the last one. */
    private final ArrayDeque<WebSocketMessage> inbox = new ArrayDeque<>();
    private long inboxBytes;
    /** Tasks waiting in receive (at most one is woken per message; each re-checks). */
    private final ArrayDeque<Future<Void>> receivers = new ArrayDeque<>();
    /** Tasks waiting in send for the channel to become writable. */
    private final ArrayDeque<Future<Void>> writers = new ArrayDeque<>();
    /** Pings sent by {@link #ping} (or the heartbeat), waiting for their pongs, oldest first. */
    private final ArrayDeque<Ping> pings = new ArrayDeque<>();
    private long pingCounter;
    /** Completed when the channel is closed. */
    private final Future<Void> closedFuture;

    private boolean closeSent;
    /** The peer's close frame, once read. */
    private WebSocketMessage.Close peerClose;
    /** Whether the peer's Close was handed out by receive. */
    private boolean closeDelivered;
    /** Why the connection ended other than by a close handshake (or why this side ended it); {@code null} if it did not. */
    private WebSocketClosedError failure;
    private boolean inactive;
    /** How many tasks wait in close() for the peer's answer. */
    private int closing;
    private TimerHandle heartbeatTimer;
    /** The heartbeat's last ping. */
    private Ping heartbeatPing;
    /** Fires when the heartbeat's last ping went unanswered for {@link WebSocketOptions#pongTimeout()}. */
    private TimerHandle pongTimer;

    private record Ping(long id, Future<Void> pong) {
    }

    private WebSocket(AsyncLoop loop, Channel channel, WebSocketOptions options, String peer, boolean counted) {
        this.loop = loop;
        this.channel = channel;
        this.options = options;
        this.peer = peer;
        this.closedFuture = loop.createFuture();
        this.bridge = new Bridge(loop, counted);
    }

    /**
     * Server side: takes over {@code channel}, whose opening handshake is done and whose pipeline ends with
     * Netty's WebSocket frame decoder and encoder, and makes it a connection ({@link #opened}). The channel
     * does not read on its own (its bridge reads on demand). On the loop's thread.
     *
     * @param counted whether the channel is in the loop's {@code LoopStats.openConnections} already (an
     *                {@code HttpServer} connection is): then it is not counted twice
     */
    static WebSocket attach(AsyncLoop loop, Channel channel, WebSocketOptions options, String subprotocol, String peer,
                            boolean counted, WebSocketRequest request) {
        WebSocket ws = new WebSocket(loop, channel, options, peer, !counted);
        ws.request = request;
        ws.install();
        ws.opened(subprotocol);
        return ws;
    }

    /**
     * Client side: a connection on {@code channel}, connected, whose pipeline ends with what the opening
     * handshake needs; its bridge goes last and reads the socket until {@link #opened}. Once the channel is
     * established (TLS handshake included) {@code whenEstablished} runs (it sends the upgrade request); a
     * failed TLS handshake goes to {@code whenNotEstablished}. On the loop's thread.
     */
    static WebSocket connecting(AsyncLoop loop, Channel channel, WebSocketOptions options, String peer,
                                Runnable whenEstablished, Consumer<Throwable> whenNotEstablished) {
        WebSocket ws = new WebSocket(loop, channel, options, peer, true);
        ws.handshaking = true;
        ws.whenEstablished = whenEstablished;
        ws.whenNotEstablished = whenNotEstablished;
        ws.install();
        return ws;
    }

    private void install() {
        channel.pipeline().addLast("ws-session", bridge);
        channel.closeFuture().addListener(f -> ended());
    }

    /**
     * The opening handshake is done and the pipeline before the bridge ends with Netty's frame decoder and
     * encoder: adds UTF-8 validation and the aggregation of fragments (up to the options' message size), and
     * starts reading on demand and the heartbeat.
     */
    void opened(String subprotocol) {
        this.subprotocol = subprotocol == null ? "" : subprotocol;
        handshaking = false;
        whenEstablished = null;
        whenNotEstablished = null;
        channel.pipeline().addBefore("ws-session", "ws-utf8", new Utf8FrameValidator(false));
        channel.pipeline().addBefore("ws-session", "ws-aggregator", new WebSocketFrameAggregator(options.maxMessageSize()));
        if (!channel.isActive()) {
            ended();
        } else if (options.heartbeat() > 0) {
            scheduleHeartbeat();
        }
        bridge.reading();
    }

    AsyncLoop loop() {
        return loop;
    }

    /** Who is at the other end, for messages. */
    String peer() {
        return peer;
    }

    /** The channel under it: for tests that write frames around this class. */
    Channel channel() {
        return channel;
    }

    /**
     * Server side: the request that opened this connection (its path, the route's path parameters, query and
     * header fields), for a handler that authenticates the client or picks a room; {@code null} on the
     * client side.
     */
    public WebSocketRequest request() {
        return request;
    }

    /** The subprotocol agreed in the handshake, or "" when none. */
    public String subprotocol() {
        return subprotocol;
    }

    /** Whether messages may still be sent: no close frame was sent and the connection is up. */
    public boolean isOpen() {
        return !closeSent && !inactive && failure == null;
    }

    /** Whether the connection (the TCP one under it) has ended. */
    public boolean isClosed() {
        return inactive;
    }

    /**
     * Bytes handed to the channel and not yet written to the socket: at most the high water mark (64 KiB) plus
     * one message while senders use {@link #send}.
     */
    public long bufferedAmount() {
        var out = channel.unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    /**
     * The peer's close frame, once read ({@code null} before): its code ({@link WebSocketCloseCodes#NO_STATUS}
     * when it gave none) and reason.
     */
    public WebSocketMessage.Close peerClose() {
        return peerClose;
    }

    // ------------------------------------------------------------------------------------------- receiving

    /**
     * The next message from the peer: a {@link WebSocketMessage.Text} or {@link WebSocketMessage.Binary} (its
     * fragments joined), or the peer's {@link WebSocketMessage.Close} once, after every message that came before
     * it. Suspends the current task until one is here; reads the socket meanwhile.
     *
     * <p>Cancellation: the task stops waiting and no message is taken; the next receive gets it.
     *
     * @throws WebSocketClosedError when the Close was handed out already, or the connection ended without one
     *                              (1006), or this side closed it because of what the peer sent (1002, 1007,
     *                              1009), after the messages that came before
     */
    public WebSocketMessage receive() {
        bridge.checkThread();
        while (true) {
            WebSocketMessage m = inbox.poll();
            if (m != null) {
                inboxBytes -= WebSocketMessage.size(m);
                if (m instanceof WebSocketMessage.Close) {
                    closeDelivered = true;
                }
                bridge.reading();
                return m;
            }
            if (failure != null) {
                throw failure;
            }
            if (closeDelivered || (inactive && peerClose != null)) {
                throw new WebSocketClosedError(peerClose.code(), peerClose.reason(),
                        "the WebSocket connection with " + peer + " is closed (" + peerClose.code()
                                + (peerClose.reason().isEmpty() ? "" : " " + peerClose.reason()) + ")", null);
            }
            if (inactive) {
                throw abnormal();
            }
            Future<Void> w = loop.createFuture();
            receivers.add(w);
            try {
                bridge.reading();
                w.await();
            } finally {
                receivers.remove(w);
                bridge.reading();
            }
        }
    }

    // --------------------------------------------------------------------------------------------- sending

    /**
     * Sends {@code text} as one text message. Suspends the current task while the channel's outbound buffer
     * is above its high water mark (the peer reads slower than this side sends), then hands the message to the
     * channel and returns: it is written to the socket as the peer takes it (the messages sent in one loop step
     * are flushed together at its end).
     *
     * <p>Cancellation: a send cancelled while it waits sends nothing.
     *
     * @throws WebSocketClosedError if a close frame was sent already or the connection ended
     */
    public void send(String text) {
        awaitWritable();
        write(new TextWebSocketFrame(text));
    }

    /**
     * Sends {@code data} as one binary message; as {@link #send(String)}. The array is copied: the caller may
     * change it once this returns.
     *
     * <p>Cancellation: a send cancelled while it waits sends nothing.
     *
     * @throws WebSocketClosedError if a close frame was sent already or the connection ended
     */
    public void send(byte[] data) {
        awaitWritable();
        write(new BinaryWebSocketFrame(Unpooled.copiedBuffer(data)));
    }

    /** Writes {@code frame}, flushed at the end of this loop step (or of the read burst it answers). */
    private void write(WebSocketFrame frame) {
        channel.write(frame).addListener(this::writeDone);
        bridge.flushSoon();
    }

    private void writeDone(io.netty.util.concurrent.Future<? super Void> f) {
        if (!f.isSuccess() && failure == null && !inactive) {
            RuntimeException e = NetErrors.toNetError(f.cause(), "cannot write to the WebSocket connection with " + peer);
            fail(new WebSocketClosedError(WebSocketCloseCodes.ABNORMAL, "write failed", e.getMessage(), e));
        }
    }

    private void checkSendable() {
        if (failure != null) {
            throw failure;
        }
        if (inactive) {
            throw peerClose != null ? new WebSocketClosedError(peerClose.code(), peerClose.reason(),
                    "the WebSocket connection with " + peer + " is closed", null) : abnormal();
        }
        if (closeSent) {
            throw new WebSocketClosedError(peerClose != null ? peerClose.code() : WebSocketCloseCodes.NORMAL,
                    peerClose != null ? peerClose.reason() : "", "the WebSocket connection with " + peer
                    + " is closing: a close frame was sent, nothing more may be", null);
        }
    }

    /** Suspends until the channel is writable; see {@link #send(String)}. */
    private void awaitWritable() {
        bridge.checkThread();
        checkSendable();
        while (!channel.isWritable()) {
            Future<Void> w = loop.createFuture();
            writers.add(w);
            try {
                w.await();
            } finally {
                writers.remove(w);
            }
            checkSendable();
        }
    }

    // ------------------------------------------------------------------------------------------ ping/pong

    /**
     * Sends a ping and suspends the current task until its pong comes back (or a later one's: a pong answers
     * every ping before it too); reads the socket meanwhile, so messages that arrive wait for {@link #receive}.
     * Bound the wait with {@code Asyncio.waitFor} where the peer may not answer.
     *
     * <p>Cancellation: the task stops waiting; the pong, if it comes, is ignored.
     *
     * @throws WebSocketClosedError if the connection is closing or closed, or ends before the pong
     */
    public void ping() {
        bridge.checkThread();
        checkSendable();
        Ping p = sendPing();
        try {
            while (!p.pong.done()) {
                p.pong.await();
            }
        } finally {
            pings.remove(p);
            bridge.reading();
        }
        if (p.pong.exception() instanceof WebSocketClosedError e) {
            throw e;
        }
    }

    private Ping sendPing() {
        Ping p = new Ping(++pingCounter, loop.createFuture());
        pings.add(p);
        ByteBuf payload = Unpooled.buffer(8).writeLong(p.id);
        write(new PingWebSocketFrame(payload));
        bridge.reading();
        return p;
    }

    private void scheduleHeartbeat() {
        heartbeatTimer = loop.callLater(options.heartbeat(), this::heartbeat);
    }

    /**
     * Sends a ping (unless the last one still waits for its pong) and starts the pong timer. The pong is
     * marked external: a virtual clock must not run past the timeout while the peer answers in real time.
     */
    private void heartbeat() {
        heartbeatTimer = null;
        if (inactive || closeSent) {
            return;
        }
        if (heartbeatPing == null || heartbeatPing.pong.done()) {
            Ping p = sendPing();
            heartbeatPing = p;
            loop.markExternal(p.pong);
            pongTimer = loop.callLater(options.pongTimeout(), () -> pongTimedOut(p));
        }
        scheduleHeartbeat();
    }

    /**
     * The heartbeat's ping {@code p} went unanswered: the peer is taken for gone. It is sent a close frame with
     * 1011 (if it still reads, it learns why) and the connection is dropped without waiting for an answer.
     */
    private void pongTimedOut(Ping p) {
        pongTimer = null;
        if (p.pong.done() || inactive) {
            return;
        }
        String reason = "keepalive ping timeout";
        if (failure == null) {
            failure = new WebSocketClosedError(WebSocketCloseCodes.INTERNAL_ERROR, reason, "the WebSocket peer " + peer
                    + " did not answer a ping within " + options.pongTimeout() + " s (" + reason + ", closed with 1011)",
                    null);
        }
        stopHeartbeat();
        if (!closeSent && channel.isActive()) {
            closeSent = true;
            channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseCodes.INTERNAL_ERROR, reason));
        }
        abort();
        wakeEveryone();
    }

    // -------------------------------------------------------------------------------------------- closing

    /** {@link #close(int, String)} with 1000 and no reason. */
    @Override
    public void close() {
        close(WebSocketCloseCodes.NORMAL, "");
    }

    /**
     * Closes the connection with {@code code} and {@code reason}: sends a close frame (unless one was sent),
     * then suspends the current task until the peer answers with its own and the connection ends, or until
     * {@link WebSocketOptions#closeTimeout()} passes (then the connection is dropped). Messages that arrive
     * meanwhile are dropped; a task waiting in {@link #receive} gets the peer's {@link WebSocketMessage.Close}.
     * Returns at once if the connection has ended.
     *
     * <p>Cancellation: the connection is dropped at once.
     *
     * @param code   1000-1003, 1007-1011 or 3000-4999 ({@link WebSocketCloseCodes#sendable})
     * @param reason at most 123 bytes of UTF-8
     * @throws IllegalArgumentException if the code may not be sent or the reason is too long
     */
    public void close(int code, String reason) {
        bridge.checkThread();
        if (!WebSocketCloseCodes.sendable(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent: use 1000-1003, 1007-1011 "
                    + "or 3000-4999 (1005, 1006 and 1015 only report what happened)");
        }
        if (reason.getBytes(StandardCharsets.UTF_8).length > 123) {
            throw new IllegalArgumentException("a close reason takes at most 123 bytes of UTF-8, not "
                    + reason.getBytes(StandardCharsets.UTF_8).length);
        }
        if (inactive) {
            return;
        }
        sendClose(code, reason);
        TimerHandle timer = loop.callLater(options.closeTimeout(), () -> {
            if (!inactive) {
                LOG.log(System.Logger.Level.DEBUG, "no close frame from {0} within {1} s: dropping the connection",
                        peer, options.closeTimeout());
                if (failure == null && peerClose == null) {
                    failure = new WebSocketClosedError(WebSocketCloseCodes.ABNORMAL, "close timed out",
                            "the WebSocket peer " + peer + " did not answer the close frame within "
                                    + options.closeTimeout() + " s", null);
                }
                abort();
            }
        });
        closing++;
        loop.markExternal(closedFuture);     // the peer answers in real time: a virtual clock must not run past the limit
        boolean done = false;
        try {
            bridge.reading();
            closedFuture.await();
            done = true;
        } finally {
            closing--;
            timer.cancel();
            if (!done) {
                abort();
            }
        }
    }

    /** Sends a close frame unless one was sent; the peer's answer then ends the connection. */
    private void sendClose(int code, String reason) {
        if (closeSent || inactive) {
            return;
        }
        closeSent = true;
        // Flushed now, with what was written before it: the end of a conversation does not wait for a loop step.
        channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(this::writeDone);
        wakeAll(writers);
        stopHeartbeat();
        bridge.reading();
    }

    /**
     * Ends the connection without waiting: a close frame with {@code code} is sent (unless one was) and the
     * connection dropped once it is written. For a server whose handler task was cancelled (shutdown).
     */
    void closeNow(int code, String reason) {
        if (!closeSent && channel.isActive()) {
            closeSent = true;
            stopHeartbeat();
            channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
            wakeEveryone();
        } else {
            abort();
        }
    }

    /** Drops the connection now, without a close handshake. Idempotent. */
    void abort() {
        channel.close();
    }

    /**
     * Ends the conversation because of what the peer did: a close frame with {@code code} is sent (if none
     * was) and flushed, then the connection is dropped; waiting and later operations fail with {@code e}.
     */
    private void protocolError(int code, WebSocketClosedError e) {
        if (failure == null) {
            failure = e;
        }
        closeNow(code, e.reason());
        wakeEveryone();
    }

    private void fail(WebSocketClosedError e) {
        if (failure == null) {
            failure = e;
        }
        abort();
        wakeEveryone();
    }

    private WebSocketClosedError abnormal() {
        return new WebSocketClosedError(WebSocketCloseCodes.ABNORMAL, "",
                "the WebSocket connection with " + peer + " ended without a close frame (1006)", null);
    }

    private void ended() {
        if (inactive) {
            return;
        }
        inactive = true;
        stopHeartbeat();
        WebSocketClosedError why = failure != null ? failure : abnormal();
        for (Ping p : pings) {
            if (p == heartbeatPing) {
                p.pong.cancel();          // nobody awaits it
            } else if (!p.pong.done()) {
                p.pong.setException(why);
            }
        }
        if (!closedFuture.done()) {
            closedFuture.setResult(null);
        }
        wakeEveryone();
    }

    private void stopHeartbeat() {
        if (heartbeatTimer != null) {
            heartbeatTimer.cancel();
            heartbeatTimer = null;
        }
        cancelPongTimer();
    }

    private void cancelPongTimer() {
        if (pongTimer != null) {
            pongTimer.cancel();
            pongTimer = null;
        }
    }

    private void wakeEveryone() {
        wakeAll(receivers);
        wakeAll(writers);
    }

    private static void wakeAll(ArrayDeque<Future<Void>> waiters) {
        for (Future<Void> w : waiters) {
            if (!w.done()) {
                w.setResult(null);
            }
        }
    }

    private void wakeOneReceiver() {
        for (Future<Void> w : receivers) {
            if (!w.done()) {
                w.setResult(null);
                return;
            }
        }
    }

    // ------------------------------------------------------------------------------------- reading on demand

    /** Whether the socket should be read now; the bridge is told ({@code bridge.reading()}) whenever it may change. */
    private boolean wantsRead() {
        if (handshaking) {
            return true;        // the answer to the upgrade request (and, before it, the TLS handshake's messages)
        }
        if (inactive || peerClose != null) {
            return false;
        }
        boolean demand = !receivers.isEmpty() || closing > 0 || closeSent || !pings.isEmpty();
        // A heartbeat ping in the list keeps the reads going: its pong must be read for the peer to count as alive.
        return demand && (inboxBytes < options.maxMessageSize() || closeSent);
    }

    @Override
    public String toString() {
        return "<WebSocket " + peer + (inactive ? " closed" : closeSent ? " closing" : " open") + ">";
    }

    /**
     * The last handler of the channel, asyncio-net's bridge between it and the loop's tasks: frames in, the
     * channel's state changes, reading paused and resumed as {@link #wantsRead()} says. On the loop's thread.
     */
    private final class Bridge extends ChannelBridge {
        /** Whether activating counts the channel in the loop's open connections (not when it is counted already). */
        private final boolean counts;

        Bridge(AsyncLoop loop, boolean counts) {
            super(loop);
            this.counts = counts;
        }

        @Override
        protected boolean countsConnection() {
            return counts;
        }

        void checkThread() {
            checkThread("A WebSocket");
        }

        void reading() {
            updateReading();
        }

        void flushSoon() {
            scheduleFlush();
        }

        @Override
        protected boolean wantsRead() {
            return WebSocket.this.wantsRead();
        }

        @Override
        protected void established() {
            Runnable r = whenEstablished;
            if (r != null) {
                r.run();
            }
        }

        @Override
        protected void notEstablished(Throwable cause) {
            Consumer<Throwable> c = whenNotEstablished;
            if (c != null) {
                c.accept(cause);
            }
        }

        @Override
        protected void received(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof WebSocketFrame frame) {
                    frame(ctx, frame);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void frame(ChannelHandlerContext ctx, WebSocketFrame frame) {
            switch (frame) {
                case TextWebSocketFrame t -> deliver(new WebSocketMessage.Text(t.content().toString(StandardCharsets.UTF_8)));
                case BinaryWebSocketFrame b -> deliver(new WebSocketMessage.Binary(ByteBufUtil.getBytes(b.content())));
                case PingWebSocketFrame p -> {
                    if (!closeSent) {
                        write(new PongWebSocketFrame(p.content().retain()));
                    }
                }
                case PongWebSocketFrame p -> pong(p.content());
                case CloseWebSocketFrame c -> peerClosed(ctx, c);
                default -> {
                    // A continuation frame cannot come out of the aggregator; anything else is not RFC 6455's.
                }
            }
        }

        private void deliver(WebSocketMessage m) {
            if (closeSent) {
                return;     // this side is closing: data is no longer wanted (see close())
            }
            inbox.add(m);
            inboxBytes += WebSocketMessage.size(m);
            wakeOneReceiver();
            updateReading();
        }

        private void pong(ByteBuf content) {
            if (content.readableBytes() != 8) {
                return;     // an unsolicited pong (a heartbeat of the peer's own): nothing to do
            }
            long id = content.getLong(content.readerIndex());
            for (Iterator<Ping> it = pings.iterator(); it.hasNext(); ) {
                Ping p = it.next();
                if (p.id > id) {
                    break;
                }
                if (!p.pong.done()) {
                    p.pong.setResult(null);
                }
                it.remove();
            }
            if (heartbeatPing != null && heartbeatPing.pong.done()) {
                cancelPongTimer();
            }
            updateReading();
        }

        private void peerClosed(ChannelHandlerContext ctx, CloseWebSocketFrame c) {
            int code = c.statusCode() == -1 ? WebSocketCloseCodes.NO_STATUS : c.statusCode();
            String reason = c.reasonText() == null ? "" : c.reasonText();
            peerClose = new WebSocketMessage.Close(code, reason);
            if (failure == null) {
                // After a protocol error of the peer's, receive() throws what it was, whenever the answer comes.
                inbox.add(peerClose);
            }
            stopHeartbeat();
            if (closeSent) {
                // The answer to ours: the conversation is over.
                ctx.close();
            } else {
                closeSent = true;
                CloseWebSocketFrame answer = code == WebSocketCloseCodes.NO_STATUS || !WebSocketCloseCodes.sendable(code)
                        ? new CloseWebSocketFrame(true, 0) : new CloseWebSocketFrame(code, reason);
                ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
            }
            wakeEveryone();
            updateReading();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                wakeAll(writers);
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof TooLongFrameException || cause instanceof CorruptedWebSocketFrameException c
                    && c.closeStatus() != null && c.closeStatus().code() == WebSocketCloseCodes.MESSAGE_TOO_BIG
                    || cause instanceof DecompressionException && String.valueOf(cause.getMessage()).contains("maximum size")) {
                // The last: a compressed frame inflated past the limit (Netty's inflater stops there).
                String reason = "message larger than " + options.maxMessageSize() + " bytes";
                protocolError(WebSocketCloseCodes.MESSAGE_TOO_BIG, new WebSocketClosedError(
                        WebSocketCloseCodes.MESSAGE_TOO_BIG, reason, "the WebSocket peer " + peer + " sent a "
                        + reason + " (closed with 1009)", cause));
            } else if (cause instanceof CorruptedWebSocketFrameException c) {
                int code = c.closeStatus() != null ? c.closeStatus().code() : WebSocketCloseCodes.PROTOCOL_ERROR;
                String reason = code == WebSocketCloseCodes.INVALID_PAYLOAD ? "invalid UTF-8 in a text message"
                        : "protocol error: " + c.getMessage();
                if (reason.getBytes(StandardCharsets.UTF_8).length > 123) {
                    reason = "protocol error";
                }
                protocolError(code, new WebSocketClosedError(code, reason, "the WebSocket peer " + peer + " sent "
                        + (code == WebSocketCloseCodes.INVALID_PAYLOAD ? "a text message that is not valid UTF-8"
                        : "a malformed frame: " + c.getMessage()) + " (closed with " + code + ")", cause));
            } else if (cause instanceof DecompressionException
                    || cause.getClass() == CodecException.class && Deflate.negotiated(ctx.channel())) {
                // Netty's permessage-deflate decoder: data that does not inflate, or a frame it does not expect.
                String reason = "bad compressed message";
                protocolError(WebSocketCloseCodes.PROTOCOL_ERROR, new WebSocketClosedError(WebSocketCloseCodes.PROTOCOL_ERROR,
                        reason, "the WebSocket peer " + peer + " sent a compressed message that cannot be inflated: "
                        + cause.getMessage() + " (closed with 1002)", cause));
            } else {
                if (!NetErrors.isNetworkFailure(cause)) {
                    // Not the peer going away: something in the pipeline broke; say so once, then drop the connection.
                    java.util.Map<String, Object> context = new java.util.LinkedHashMap<>();
                    context.put("message", "WebSocket: error on connection " + WebSocket.this);
                    context.put("exception", cause);
                    loop.callExceptionHandler(context);
                }
                RuntimeException e = NetErrors.toNetError(cause, "the WebSocket connection with " + peer + " failed");
                fail(new WebSocketClosedError(WebSocketCloseCodes.ABNORMAL, "", e.getMessage(), e));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            ended();
            ctx.fireChannelInactive();
        }
    }
}
