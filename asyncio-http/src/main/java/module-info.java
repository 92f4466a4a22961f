/** An HTTP/1.1 client with a connection pool per origin, and an HTTP/1.1 server, on Netty's HTTP codec and the loop's event loop. */
module asyncio.http {
    exports dev.asyncio.http;
    exports dev.asyncio.http.websocket;

    requires transitive asyncio.core;
    requires transitive asyncio.net;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires io.netty.codec.compression;      // permessage-deflate: its DecompressionException
    requires io.netty.transport.unix.common;   // SO_REUSEPORT for a server on a loop group
}
