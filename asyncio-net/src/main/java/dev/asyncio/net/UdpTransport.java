package dev.asyncio.net;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Context;
import dev.asyncio.net.channel.NetErrors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.socket.DatagramPacket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The {@link DatagramTransport} of a UDP channel, and the handler that calls its {@link DatagramProtocol}.
 * Send and receive errors go to {@code errorReceived} and leave the endpoint open, as in asyncio.
 */
final class UdpTransport extends ChannelInboundHandlerAdapter implements DatagramTransport {
    private final AsyncLoop loop;
    private final DatagramProtocol protocol;
    private final Context internalContext = new Context();
    private final Runnable flushTask = this::flushNow;
    private Channel channel;
    private InetSocketAddress remote;
    private boolean made;
    private boolean closed;
    private boolean lost;
    private boolean inRead;
    private boolean flushAfterRead;
    private boolean flushScheduled;

    UdpTransport(AsyncLoop loop, DatagramProtocol protocol) {
        this.loop = loop;
        this.protocol = protocol;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    /** Called once bound (and connected): the protocol learns of its transport, and reading starts. */
    void established(InetSocketAddress connectedTo) {
        remote = connectedTo;
        made = true;
        try {
            protocol.connectionMade(this);
        } catch (Throwable t) {
            report("Fatal error: protocol.connectionMade() call failed", t);
            abort();
            return;
        }
        channel.config().setAutoRead(true);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        DatagramPacket packet = (DatagramPacket) msg;
        try {
            if (!made || closed) {
                return;
            }
            inRead = true;
            byte[] data = ByteBufUtil.getBytes(packet.content());
            protocol.datagramReceived(data, packet.sender());
        } catch (Throwable t) {
            report("Fatal error: protocol.datagramReceived() call failed", t);
            abort();
        } finally {
            packet.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inRead = false;
        if (flushAfterRead) {
            flushAfterRead = false;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException && made && !lost) {
            // ICMP errors for earlier sends, a datagram the kernel refused: the endpoint stays usable.
            try {
                protocol.errorReceived(NetErrors.toNetError(cause, null));
            } catch (Throwable t) {
                report("protocol.errorReceived() call failed", t);
            }
            return;
        }
        if (!(cause instanceof IOException)) {
            report("Fatal error on datagram transport", cause);
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (made && !lost) {
            lost = true;
            try {
                protocol.connectionLost(null);
            } catch (Throwable t) {
                report("protocol.connectionLost() call failed", t);
            }
        }
        lost = true;
        ctx.fireChannelInactive();
    }

    private void report(String message, Throwable t) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("message", message);
        context.put("exception", t);
        context.put("transport", this);
        context.put("protocol", protocol);
        loop.callExceptionHandler(context);
    }

    @Override
    public void sendTo(byte[] data, SocketAddress addr) {
        Objects.requireNonNull(data, "data");
        if (!channel.eventLoop().inEventLoop()) {
            throw new IllegalStateException("A transport is used from thread '" + Thread.currentThread().getName()
                    + "', not from its loop's thread: use loop.callSoonThreadsafe");
        }
        if (closed || lost) {
            throw new IllegalStateException("sendTo() after close(): the datagram transport is closed");
        }
        if (remote != null) {
            if (addr != null && !addr.equals(remote)) {
                throw new IllegalArgumentException("Invalid address: must be null or " + remote + ", got " + addr);
            }
        } else if (addr == null) {
            throw new IllegalArgumentException("sendTo() needs an address: this endpoint is not connected");
        } else if (addr instanceof InetSocketAddress a && a.isUnresolved()) {
            throw new IllegalArgumentException("sendTo() needs a resolved address, got " + addr
                    + " (resolve it with Net.getAddrInfo)");
        }
        ByteBuf buf = channel.alloc().ioBuffer(data.length).writeBytes(data);
        Object msg = remote != null ? buf : new DatagramPacket(buf, (InetSocketAddress) addr);
        channel.write(msg, channel.voidPromise());
        if (inRead) {
            flushAfterRead = true;
        } else if (!flushScheduled) {
            flushScheduled = true;
            if (loop.isClosed()) {
                flushNow();
            } else {
                loop.callSoon(flushTask, internalContext);
            }
        }
    }

    private void flushNow() {
        flushScheduled = false;
        channel.flush();
    }

    @Override
    public void close() {
        if (closed || lost) {
            return;
        }
        closed = true;
        channel.flush();
        channel.close();
    }

    @Override
    public void abort() {
        if (lost) {
            return;
        }
        closed = true;
        channel.close();
    }

    @Override
    public boolean isClosing() {
        return closed || lost;
    }

    @Override
    public long getWriteBufferSize() {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    @Override
    public Object getExtraInfo(String name) {
        return switch (name) {
            case "sockname" -> channel.localAddress();
            case "peername" -> remote;
            case "channel" -> channel;
            default -> null;
        };
    }

    @Override
    public String toString() {
        return "<UdpTransport " + (lost ? "closed" : closed ? "closing" : "open") + " " + channel.localAddress()
                + (remote != null ? " -> " + remote : "") + ">";
    }
}
