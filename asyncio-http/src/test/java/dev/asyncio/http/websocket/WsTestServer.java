package dev.asyncio.http.websocket;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.Future;
import dev.asyncio.Task;
import dev.asyncio.net.channel.Channels;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A WebSocket server for tests, on the test's loop: Netty's HTTP codec, then {@link WebSocketUpgrade} for
 * requests to {@code /ws} and 404 for anything else. Records the upgrade requests' headers and the handler
 * tasks; {@link #close} ends the connections and waits for the handlers.
 */
public final class WsTestServer implements AutoCloseable {
    private final AsyncLoop loop;
    private final Channel server;
    private final boolean tls;
    private final List<Channel> children = new ArrayList<>();
    /** The handler tasks, in the order of the upgrades. */
    public final List<Task<Void>> handlers = new ArrayList<>();
    /** The upgrade requests' headers, in order. */
    public final List<HttpHeaders> requests = new ArrayList<>();

    private WsTestServer(AsyncLoop loop, Channel server, boolean tls) {
        this.loop = loop;
        this.server = server;
        this.tls = tls;
    }

    public static WsTestServer start(WebSocketOptions options, WebSocketHandler handler) {
        return start(options, handler, null);
    }

    /** Binds 127.0.0.1 on a free port; suspends until bound. {@code tls}: a server TLS context, or null. */
    public static WsTestServer start(WebSocketOptions options, WebSocketHandler handler, SslContext tls) {
        AsyncLoop loop = Asyncio.getRunningLoop();
        WsTestServer[] self = new WsTestServer[1];
        ServerBootstrap b = new ServerBootstrap()
                .group(loop.ioEventLoop())
                .channelFactory(Channels.serverSocket(loop.transport()))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        self[0].children.add(ch);
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
                                new SimpleChannelInboundHandler<FullHttpRequest>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                                        self[0].requests.add(req.headers().copy());
                                        if (req.uri().startsWith("/ws") && WebSocketUpgrade.isUpgradeRequest(req)) {
                                            Task<Void> t = WebSocketUpgrade.upgrade(loop, ctx, req, options, handler);
                                            if (t != null) {
                                                self[0].handlers.add(t);
                                            }
                                        } else {
                                            var r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                                    HttpResponseStatus.NOT_FOUND, Unpooled.EMPTY_BUFFER);
                                            r.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
                                            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
                                        }
                                    }
                                });
                    }
                });
        var bound = b.bind("127.0.0.1", 0);
        Future<Void> done = loop.createFuture();
        loop.markExternal(done);
        bound.addListener(f -> done.setResult(null));
        done.await();
        if (!bound.isSuccess()) {
            throw new IllegalStateException("cannot bind", bound.cause());
        }
        self[0] = new WsTestServer(loop, bound.channel(), tls != null);
        return self[0];
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    public String url(String path) {
        return (tls ? "wss" : "ws") + "://127.0.0.1:" + port() + path;
    }

    /**
     * Closes the listening socket and every connection, cancels the handler tasks still running (a failed
     * assertion may leave one waiting for a step that never comes), and suspends until each ended.
     */
    @Override
    public void close() {
        server.close();
        for (Channel c : children) {
            c.close();
        }
        for (Task<Void> t : handlers) {
            t.cancel();
            try {
                t.await();
            } catch (RuntimeException | dev.asyncio.CancelledError ignored) {
                // a handler's own failure is the test's business, asserted there if it matters
            }
        }
    }
}
