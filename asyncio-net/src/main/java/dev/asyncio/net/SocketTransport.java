package dev.asyncio.net;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Future;
import dev.asyncio.net.channel.ChannelBridge;
import dev.asyncio.net.channel.NetErrors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The {@link Transport} of a TCP or Unix stream channel, and the Netty handler at the end of its pipeline
 * that calls the protocol. One per channel; every method runs on the loop's thread. Establishing, reading
 * pause and resume, the per-step flush and the thread check are the {@link ChannelBridge}'s.
 */
final class SocketTransport extends ChannelBridge implements Transport {
    private static final Object EOF = new Object();
    private static final int DEFAULT_LOW_WATER = DEFAULT_HIGH_WATER / 4;

    private final Supplier<? extends BaseProtocol<Transport>> protocolFactory;
    /** Completed when the protocol's connectionMade was called (client side), or failed; null on servers. */
    private final Future<SocketTransport> ready;
    private final Server server;
    private BaseProtocol<Transport> protocol;
    private SslContext sslContext;

    private boolean made;
    private boolean lost;
    private boolean userClosed;
    private boolean eofWritten;
    private Throwable lostCause;

    /** Data (and EOF) that arrived while reading was paused, delivered in order on resume. */
    private ArrayDeque<Object> held;
    private boolean deliveryScheduled;
    private boolean writingPaused;
    /** Whether the socket may be read straight into the BufferedProtocol's buffer (see {@link DirectReads}). */
    private boolean directReads;
    private BufferedProtocol directProtocol;
    /** The wrapper of the protocol's buffer last handed to Netty, to tell it apart in channelRead. */
    ByteBuf issuedDirectBuffer;
    private int highWater = DEFAULT_HIGH_WATER;
    private int lowWater = DEFAULT_LOW_WATER;

    SocketTransport(AsyncLoop loop, Supplier<? extends BaseProtocol<Transport>> protocolFactory,
                    Future<SocketTransport> ready, Server server, SslContext sslContext) {
        super(loop);
        this.protocolFactory = protocolFactory;
        this.ready = ready;
        this.server = server;
        this.sslContext = sslContext;
    }

    /** The water marks asyncio uses by default (Netty's differ), as a channel option value. */
    static WriteBufferWaterMark defaultWaterMark() {
        return waterMark(DEFAULT_HIGH_WATER, DEFAULT_LOW_WATER);
    }

    /**
     * Netty pauses when pending bytes exceed high (as asyncio) but resumes only below low, where asyncio
     * resumes at low or less: Netty's low is asyncio's low + 1.
     */
    private static WriteBufferWaterMark waterMark(int high, int low) {
        int nettyLow = low + 1;
        return new WriteBufferWaterMark(nettyLow, Math.max(high, nettyLow));
    }

    BaseProtocol<Transport> protocol() {
        return protocol;
    }

    // ---------------------------------------------------------------- Netty events

    @Override
    protected void established() {
        Channel channel = channel();
        AsyncLoop loop = loop();
        if (ready != null && ready.done()) {
            // The connecting task was cancelled meanwhile: nobody will ever use this connection.
            ChannelBridge.closeNow(channel);
            return;
        }
        if (!channel.isActive()) {
            return;
        }
        try {
            protocol = Objects.requireNonNull(protocolFactory.get(), "the protocol factory returned null");
        } catch (Throwable t) {
            lostCause = t;
            if (ready != null) {
                ready.setException(t);
            } else {
                report("Fatal error: protocol factory failed", t);
            }
            channel.close();
            return;
        }
        made = true;
        if (protocol instanceof BufferedProtocol buffered && sslContext == null
                && loop.transport() != dev.asyncio.IoTransport.IO_URING) {
            directProtocol = buffered;
            directReads = true;
            channel.config().setRecvByteBufAllocator(new DirectReads(channel.config().getRecvByteBufAllocator(), this));
        }
        if (server != null) {
            server.attach(this);
        }
        try {
            protocol.connectionMade(this);
        } catch (Throwable t) {
            if (ready != null) {
                // A client: the failure goes to the task that is connecting, as its exception.
                lostCause = t;
                abort();
                ready.setException(t);
                return;
            }
            fatal("protocol.connectionMade() call failed", t);
        }
        if (ready != null) {
            ready.setResult(this);
        }
        if (!channel.isWritable()) {
            channelWritabilityChanged(null);
        }
    }

    @Override
    protected void notEstablished(Throwable cause) {
        if (lostCause == null) {
            lostCause = cause;
        }
        if (ready != null && !ready.done()) {
            ready.setException(NetErrors.toNetError(cause, "TLS handshake failed"));
        }
        channel().close();
    }

    /**
     * The protocol's buffer for the next socket read, or {@code null} for a Netty buffer (then one copy);
     * called by {@link DirectReads} from inside Netty's read loop.
     */
    ByteBuffer directReadBuffer(int sizeHint) {
        if (!directReads || !made || userClosed || lost || isReadPaused() || held != null && !held.isEmpty()) {
            return null;
        }
        ByteBuffer into;
        try {
            into = directProtocol.getBuffer(sizeHint);
            checkBuffer(into);
        } catch (Throwable t) {
            fatal("protocol.getBuffer() call failed", t);
            return null;
        }
        if (!into.isDirect() && loop().transport() != dev.asyncio.IoTransport.NIO) {
            return null;
        }
        return into;
    }

    private static void checkBuffer(ByteBuffer into) {
        if (into == null || !into.hasRemaining()) {
            throw new IllegalStateException("BufferedProtocol.getBuffer() returned "
                    + (into == null ? "null" : "a buffer with no room left (" + into + ")"));
        }
        if (into.isReadOnly()) {
            throw new IllegalStateException("BufferedProtocol.getBuffer() returned a read-only buffer");
        }
    }

    @Override
    protected void received(ChannelHandlerContext ctx, Object msg) {
        ByteBuf data = (ByteBuf) msg;
        if (!made || userClosed || lost) {
            data.release();
            return;
        }
        if (data == issuedDirectBuffer) {
            issuedDirectBuffer = null;
            int n = data.readableBytes();
            data.release();                       // the wrapper only: the memory is the protocol's
            try {
                directProtocol.bufferUpdated(n);
            } catch (Throwable t) {
                fatal("protocol.bufferUpdated() call failed", t);
            }
            return;
        }
        if (isReadPaused() || held != null && !held.isEmpty()) {
            hold(data);
            return;
        }
        deliver(data);
    }

    private void hold(Object item) {
        if (held == null) {
            held = new ArrayDeque<>();
        }
        held.add(item);
    }

    private void deliver(ByteBuf data) {
        try {
            BaseProtocol<Transport> p = protocol;
            if (p instanceof ByteBufReceiver receiver) {
                ByteBuf owned = data;
                data = null;                      // the receiver owns it now, and releases it
                receiver.bytesReceived(owned);
            } else if (p instanceof Protocol plain) {
                byte[] bytes = ByteBufUtil.getBytes(data);
                data.release();
                data = null;
                plain.dataReceived(bytes);
            } else {
                BufferedProtocol buffered = (BufferedProtocol) p;
                while (data.isReadable() && !lost && !userClosed) {
                    int available = data.readableBytes();
                    ByteBuffer into = buffered.getBuffer(available);
                    checkBuffer(into);
                    int n = Math.min(available, into.remaining());
                    ByteBuffer window = into.duplicate();
                    window.limit(window.position() + n);
                    data.readBytes(window);
                    buffered.bufferUpdated(n);
                }
            }
        } catch (Throwable t) {
            fatal("protocol.dataReceived() call failed", t);
        } finally {
            if (data != null) {
                data.release();
            }
        }
    }

    @Override
    protected void event(ChannelHandlerContext ctx, Object evt) {
        if (evt == io.netty.channel.socket.ChannelInputShutdownEvent.INSTANCE && made && !lost && !userClosed) {
            if (isReadPaused() || held != null && !held.isEmpty()) {
                hold(EOF);
            } else {
                deliverEof();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void deliverEof() {
        boolean keepOpen;
        try {
            keepOpen = protocol instanceof BufferedProtocol b ? b.eofReceived() : ((Protocol) protocol).eofReceived();
        } catch (Throwable t) {
            fatal("protocol.eofReceived() call failed", t);
            return;
        }
        if (!keepOpen) {
            close();
        }
    }

    /** Delivers what was held while reading was paused, until it is paused again. */
    private void deliverHeld() {
        deliveryScheduled = false;
        ArrayDeque<Object> h = held;
        while (h != null && !h.isEmpty() && !isReadPaused() && !lost && !userClosed) {
            Object item = h.poll();
            if (item == EOF) {
                deliverEof();
            } else {
                deliver((ByteBuf) item);
            }
        }
    }

    private void releaseHeld() {
        ArrayDeque<Object> h = held;
        if (h != null) {
            Object item;
            while ((item = h.poll()) != null) {
                if (item instanceof ByteBuf b) {
                    b.release();
                }
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (made && !lost) {
            boolean writable = channel().isWritable();
            try {
                if (!writable && !writingPaused) {
                    writingPaused = true;
                    protocol.pauseWriting();
                } else if (writable && writingPaused) {
                    writingPaused = false;
                    protocol.resumeWriting();
                }
            } catch (Throwable t) {
                report("protocol." + (writable ? "resumeWriting" : "pauseWriting") + "() failed", t);
            }
        }
        if (ctx != null) {
            ctx.fireChannelWritabilityChanged();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (userClosed && NetErrors.isNetworkFailure(cause)) {
            // Writes failed by our own close() or abort(): the connection ends as asked, not broken.
            ctx.close();
            return;
        }
        if (lostCause == null) {
            lostCause = NetErrors.toNetError(cause, null);
        }
        if (!NetErrors.isNetworkFailure(cause)) {
            report("Fatal error on transport", cause);
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseHeld();
        if (ready != null && !ready.done()) {
            Throwable cause = lostCause != null ? lostCause : new ConnectionResetError("Connection closed before it was established");
            ready.setException(NetErrors.toNetError(cause, "TLS handshake failed"));
        }
        if (made && !lost) {
            lost = true;
            try {
                protocol.connectionLost(lostCause == null ? null : NetErrors.toNetError(lostCause, null));
            } catch (Throwable t) {
                report("protocol.connectionLost() call failed", t);
            }
            if (server != null) {
                server.detach(this);
            }
        }
        lost = true;
        ctx.fireChannelInactive();
    }

    private void fatal(String what, Throwable t) {
        report("Fatal error: " + what, t);
        if (lostCause == null) {
            lostCause = t;
        }
        abort();
    }

    private void report(String message, Throwable t) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("message", message);
        context.put("exception", t);
        context.put("transport", this);
        if (protocol != null) {
            context.put("protocol", protocol);
        }
        loop().callExceptionHandler(context);
    }

    // ---------------------------------------------------------------- writing

    private void checkThread() {
        checkThread("A transport");
    }

    private void checkWritable() {
        checkThread();
        if (userClosed) {
            throw new IllegalStateException("write() after close(): the transport is closed");
        }
        if (eofWritten) {
            throw new IllegalStateException("Cannot call write() after writeEof()");
        }
        if (lost) {
            throw lostCause instanceof ConnectionError ce
                    ? new ConnectionResetError("Connection lost: " + ce.getMessage(), ce)
                    : new ConnectionResetError("Connection lost", lostCause);
        }
    }

    @Override
    public void write(byte[] data) {
        write(data, 0, data.length);
    }

    @Override
    public void write(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        checkWritable();
        if (length == 0) {
            return;
        }
        Channel channel = channel();
        ByteBuf buf = channel.alloc().ioBuffer(length);
        buf.writeBytes(data, offset, length);
        channel.write(buf, channel.voidPromise());
        scheduleFlush();
    }

    @Override
    public void write(ByteBuffer data) {
        checkWritable();
        int length = data.remaining();
        if (length == 0) {
            return;
        }
        Channel channel = channel();
        ByteBuf buf = channel.alloc().ioBuffer(length);
        buf.writeBytes(data);
        channel.write(buf, channel.voidPromise());
        scheduleFlush();
    }

    @Override
    public void write(ByteBuf data) {
        try {
            checkWritable();
        } catch (RuntimeException e) {
            data.release();
            throw e;
        }
        if (!data.isReadable()) {
            data.release();
            return;
        }
        Channel channel = channel();
        channel.write(data, channel.voidPromise());
        scheduleFlush();
    }


    @Override
    public void writeEof() {
        checkThread();
        if (!canWriteEof()) {
            throw new UnsupportedOperationException(sslContext != null
                    ? "writeEof() is not supported over TLS (a TLS close_notify closes both directions)"
                    : "writeEof() is not supported by " + channel().getClass().getSimpleName());
        }
        if (userClosed || lost || eofWritten) {
            return;
        }
        eofWritten = true;
        Channel channel = channel();
        // Shut the output down only once everything queued before is written: shutdownOutput() drops pending writes.
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
            if (f.channel().isActive()) {
                ((DuplexChannel) f.channel()).shutdownOutput();
            }
        });
    }

    @Override
    public boolean canWriteEof() {
        return sslContext == null && channel() instanceof DuplexChannel;
    }

    @Override
    public void close() {
        checkThread();
        if (userClosed || lost) {
            return;
        }
        userClosed = true;
        releaseHeld();
        updateReading();
        // Netty's close() drops queued writes; asyncio's close() sends them first.
        channel().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void abort() {
        checkThread();
        if (lost) {
            return;
        }
        userClosed = true;
        releaseHeld();
        ChannelBridge.closeNow(channel());
    }

    @Override
    public boolean isClosing() {
        return userClosed || lost;
    }

    // ---------------------------------------------------------------- reading control

    @Override
    public void pauseReading() {
        checkThread();
        if (userClosed || lost || isReadPaused()) {
            return;
        }
        setReadPaused(true);
    }

    @Override
    public void resumeReading() {
        checkThread();
        if (userClosed || lost || !isReadPaused()) {
            return;
        }
        if (held != null && !held.isEmpty() && !deliveryScheduled) {
            // Delivered from a callback, not from here: resumeReading() is often called from inside a read.
            // (After the peer's FIN the bridge leaves the socket's read interest alone; what was read is here.)
            deliveryScheduled = true;
            callSoon(this::deliverHeld);
        }
        setReadPaused(false);
    }

    /** Not while the transport is closing: nothing more is delivered then. */
    @Override
    protected boolean wantsRead() {
        return super.wantsRead() && !userClosed;
    }

    @Override
    public boolean isReading() {
        return !isReadPaused() && !userClosed && !lost;
    }

    // ---------------------------------------------------------------- write buffer

    @Override
    public void setWriteBufferLimits(int high, int low) {
        checkThread();
        if (high < 0) {
            high = low < 0 ? DEFAULT_HIGH_WATER : 4 * low;
        }
        if (low < 0) {
            low = high / 4;
        }
        if (high < low) {
            throw new IllegalArgumentException("high (" + high + ") must be >= low (" + low + ") must be >= 0");
        }
        highWater = high;
        lowWater = low;
        channel().config().setWriteBufferWaterMark(waterMark(high, low));
    }

    @Override
    public int[] getWriteBufferLimits() {
        return new int[] {lowWater, highWater};
    }

    @Override
    public long getWriteBufferSize() {
        ChannelOutboundBuffer out = channel().unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    // ---------------------------------------------------------------- TLS and info

    /** Puts TLS under this transport (STARTTLS); the returned future completes when the handshake does. */
    io.netty.util.concurrent.Future<Channel> startTls(SslContext context, SslHandler handler) {
        checkThread();
        if (sslContext != null) {
            throw new IllegalStateException("the transport already uses TLS");
        }
        if (isClosing()) {
            throw new IllegalStateException("startTls() on a closed transport");
        }
        flushPending();
        sslContext = context;
        directReads = false;
        channel().pipeline().addFirst(handler);
        return handler.handshakeFuture();
    }

    @Override
    public Object getExtraInfo(String name) {
        Channel channel = channel();
        switch (name) {
            case "peername":
                return channel.remoteAddress();
            case "sockname":
                return channel.localAddress();
            case "channel":
                return channel;
            case "sslcontext":
                return sslContext;
            default:
                break;
        }
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return null;
        }
        SSLSession session = ssl.engine().getSession();
        return switch (name) {
            case "ssl_object" -> ssl.engine();
            case "peercert" -> {
                try {
                    yield session.getPeerCertificates();
                } catch (SSLPeerUnverifiedException e) {
                    yield null;
                }
            }
            case "cipher" -> session.getCipherSuite();
            case "protocol" -> session.getProtocol();
            default -> null;
        };
    }

    @Override
    public String toString() {
        Channel channel = channel();
        return "<SocketTransport " + (lost ? "closed" : userClosed ? "closing" : "open")
                + (channel != null ? " " + channel.localAddress() + " -> " + channel.remoteAddress() : "")
                + (isReadPaused() ? " reading-paused" : "") + (sslContext != null ? " tls" : "") + ">";
    }
}
