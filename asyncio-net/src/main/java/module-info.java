/**
 * Streams, transports and protocols, servers, TLS, UDP, Unix sockets and name resolution;
 * {@code dev.asyncio.net.channel} is the bridge between Netty channels and tasks that other modules build on.
 */
module asyncio.net {
    exports dev.asyncio.net;
    exports dev.asyncio.net.channel;

    requires transitive asyncio.core;
    requires transitive io.netty.buffer;      // zero-copy reads and writes hand out ByteBufs
    requires transitive io.netty.handler;     // SslContext in the TLS options
    requires io.netty.codec;
    requires io.netty.resolver;
    requires io.netty.resolver.dns;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.classes.io_uring;
    requires io.netty.transport.unix.common;
}
