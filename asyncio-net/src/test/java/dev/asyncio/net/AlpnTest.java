package dev.asyncio.net;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Future;
import dev.asyncio.net.channel.Channels;
import dev.asyncio.net.channel.LoopThreads;
import dev.asyncio.net.channel.Tls;
import dev.asyncio.test.AsyncTest;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * ALPN through the bridge's {@link Tls}: a client offers protocols with {@link StreamOptions#alpnProtocols()},
 * a server set up with {@link Tls#serverHandler} picks one, and both ends read the choice with
 * {@link Tls#applicationProtocol}.
 */
class AlpnTest {
    /** A TLS server on the loop's event loop offering {@code protocols}; {@code chosen} gets what it agreed. */
    private static Channel server(AsyncLoop loop, List<String> protocols, Future<String> chosen) {
        ChannelFuture binding = new ServerBootstrap().group(loop.ioEventLoop(), loop.ioEventLoop())
                .channelFactory(Channels.serverSocket(loop.transport()))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(Tls.serverHandler(ch, TestCertificates.server(TestCertificates.LOCALHOST),
                                Tls.DEFAULT_HANDSHAKE_TIMEOUT, protocols));
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                if (evt instanceof SslHandshakeCompletionEvent done && done.isSuccess() && !chosen.done()) {
                                    chosen.setResult(String.valueOf(Tls.applicationProtocol(ctx.channel())));
                                }
                                ctx.fireUserEventTriggered(evt);
                            }
                        });
                    }
                })
                .bind("127.0.0.1", 0);
        Future<Channel> bound = loop.createFuture();
        LoopThreads.onLoop(loop, binding, bound, f -> {
            if (f.isSuccess()) {
                bound.setResult(f.channel());
            } else {
                bound.setException(f.cause());
            }
        });
        return bound.await();
    }

    @AsyncTest
    void theProtocolBothEndsKnowIsAgreedAndBothEndsCanReadIt(AsyncLoop loop) throws Exception {
        Future<String> chosen = loop.createFuture();
        loop.markExternal(chosen);
        Channel listener = server(loop, List.of("h2", "http/1.1"), chosen);
        try {
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            StreamOptions options = StreamOptions.builder().ssl(TestCertificates.client())
                    .alpnProtocols(List.of("x-unknown", "http/1.1")).build();
            try (Connection c = Streams.openConnection("localhost", port, options)) {
                assertEquals("http/1.1", Tls.applicationProtocol((Channel) c.writer().getExtraInfo("channel")));
                assertEquals("http/1.1", chosen.await());
            }
        } finally {
            listener.close();
        }
    }

    @AsyncTest
    void withoutALPNNoProtocolIsAgreed(AsyncLoop loop) throws Exception {
        Future<String> chosen = loop.createFuture();
        loop.markExternal(chosen);
        Channel listener = server(loop, List.of(), chosen);
        try {
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            StreamOptions options = StreamOptions.builder().ssl(TestCertificates.client()).build();
            try (Connection c = Streams.openConnection("localhost", port, options)) {
                assertNull(Tls.applicationProtocol((Channel) c.writer().getExtraInfo("channel")));
                assertEquals("null", chosen.await());
            }
        } finally {
            listener.close();
        }
    }
}
