package dev.asyncio.net.channel;

import dev.asyncio.IoTransport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringDomainSocketChannel;
import io.netty.channel.uring.IoUringServerDomainSocketChannel;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;

import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * The Netty channel classes that match a loop's {@link IoTransport}: a channel must be of its event loop's
 * kind (NIO channels on an NIO loop, epoll on epoll, io_uring on io_uring).
 *
 * <pre>{@code
 * AsyncLoop loop = Asyncio.getRunningLoop();
 * Bootstrap b = new Bootstrap().group(loop.ioEventLoop()).channelFactory(Channels.socket(loop.transport()));
 * }</pre>
 */
public final class Channels {
    private Channels() {
    }

    /** A TCP client channel of the loop's kind. */
    public static ChannelFactory<Channel> socket(IoTransport t) {
        return switch (t) {
            case NIO -> NioSocketChannel::new;
            case EPOLL -> EpollSocketChannel::new;
            case IO_URING -> IoUringSocketChannel::new;
        };
    }

    /** A TCP listening channel of the loop's kind. */
    public static ChannelFactory<ServerChannel> serverSocket(IoTransport t) {
        return switch (t) {
            case NIO -> NioServerSocketChannel::new;
            case EPOLL -> EpollServerSocketChannel::new;
            case IO_URING -> IoUringServerSocketChannel::new;
        };
    }

    /** A UDP channel of the loop's kind. */
    public static ChannelFactory<Channel> datagram(IoTransport t) {
        return switch (t) {
            case NIO -> NioDatagramChannel::new;
            case EPOLL -> EpollDatagramChannel::new;
            case IO_URING -> IoUringDatagramChannel::new;
        };
    }

    /** {@link #datagram} typed for Netty's DNS resolver. */
    public static ChannelFactory<io.netty.channel.socket.DatagramChannel> datagramTyped(IoTransport t) {
        return switch (t) {
            case NIO -> NioDatagramChannel::new;
            case EPOLL -> EpollDatagramChannel::new;
            case IO_URING -> IoUringDatagramChannel::new;
        };
    }

    /** A Unix domain stream channel of the loop's kind. */
    public static ChannelFactory<Channel> domainSocket(IoTransport t) {
        return switch (t) {
            case NIO -> NioDomainSocketChannel::new;
            case EPOLL -> EpollDomainSocketChannel::new;
            case IO_URING -> IoUringDomainSocketChannel::new;
        };
    }

    /** A Unix domain listening channel of the loop's kind. */
    public static ChannelFactory<ServerChannel> serverDomainSocket(IoTransport t) {
        return switch (t) {
            case NIO -> NioServerDomainSocketChannel::new;
            case EPOLL -> EpollServerDomainSocketChannel::new;
            case IO_URING -> IoUringServerDomainSocketChannel::new;
        };
    }

    /** The address type each transport's Unix domain socket channels take. */
    public static SocketAddress domainAddress(IoTransport t, Path path) {
        return t == IoTransport.NIO ? UnixDomainSocketAddress.of(path) : new DomainSocketAddress(path.toFile());
    }
}
