/**
 * Streams, transports and protocols, servers, TLS, UDP, Unix sockets and name resolution.
 * {@code dev.asyncio.net.internal} is not API: it is exported only to {@code asyncio.http}.
 */
@SuppressWarnings("module") // the qualified export names a module built after this one
module asyncio.net {
    exports dev.asyncio.net;
    exports dev.asyncio.net.internal to asyncio.http;

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
