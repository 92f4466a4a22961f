package dev.asyncio.net.internal;

import dev.asyncio.IoTransport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ServerChannel;

import java.net.SocketAddress;
import java.nio.file.Path;

/**
 * Kept for code written against the old location only: the supported API is
 * {@link dev.asyncio.net.channel.Channels}, which every method here calls.
 */
public final class Channels {
    private Channels() {
    }

    public static ChannelFactory<Channel> socket(IoTransport t) {
        return dev.asyncio.net.channel.Channels.socket(t);
    }

    public static ChannelFactory<ServerChannel> serverSocket(IoTransport t) {
        return dev.asyncio.net.channel.Channels.serverSocket(t);
    }

    public static ChannelFactory<Channel> datagram(IoTransport t) {
        return dev.asyncio.net.channel.Channels.datagram(t);
    }

    public static ChannelFactory<io.netty.channel.socket.DatagramChannel> datagramTyped(IoTransport t) {
        return dev.asyncio.net.channel.Channels.datagramTyped(t);
    }

    public static ChannelFactory<Channel> domainSocket(IoTransport t) {
        return dev.asyncio.net.channel.Channels.domainSocket(t);
    }

    public static ChannelFactory<ServerChannel> serverDomainSocket(IoTransport t) {
        return dev.asyncio.net.channel.Channels.serverDomainSocket(t);
    }

    public static SocketAddress domainAddress(IoTransport t, Path path) {
        return dev.asyncio.net.channel.Channels.domainAddress(t, path);
    }
}
