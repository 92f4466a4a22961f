package dev.asyncio.http.websocket;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.Future;
import dev.asyncio.TimerHandle;
import dev.asyncio.net.ConnectionError;
import dev.asyncio.net.Net;
import dev.asyncio.net.SslError;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Opens WebSocket connections: {@code ws://} over TCP, {@code wss://} over TLS (certificate and host name
 * checked), on the running loop's Netty event loop.
 *
 * <pre>{@code
 * try (WebSocket ws = WebSocketClient.connect("ws://127.0.0.1:8080/chat")) {
 *     ws.send("hello");
 *     WebSocketMessage answer = ws.receive();
 * }
 * }</pre>
 */
public final class WebSocketClient {
    private static volatile SslContext defaultTls;

    private WebSocketClient() {
    }

    /** {@link #connect(String, WebSocketOptions)} with the {@linkplain WebSocketOptions#defaults defaults}. */
    public static WebSocket connect(String url) {
        return connect(url, WebSocketOptions.defaults());
    }

    /**
     * Connects to {@code url} ({@code ws://host[:port]/path?query} or {@code wss://...}) and performs the
     * opening handshake, offering the options' subprotocols and sending their extra headers. Suspends the
     * current task until the connection is open, or the handshake failed, or
     * {@link WebSocketOptions#handshakeTimeout()} passed.
     *
     * <p>Cancellation: the connection being made is closed.
     *
     * @throws IllegalArgumentException if {@code url} is not a ws:// or wss:// URL
     * @throws ConnectionError          if no address of the host accepted the connection, it broke, or the
     *                                  handshake timed out
     * @throws SslError                 if the TLS handshake failed (certificate, host name)
     * @throws WebSocketHandshakeError  if the server refused the upgrade (its status is in the message)
     */
    public static WebSocket connect(String url, WebSocketOptions options) {
        URI uri = parse(url);
        boolean tls = uri.getScheme().equalsIgnoreCase("wss");
        int port = uri.getPort() != -1 ? uri.getPort() : tls ? 443 : 80;
        String host = uri.getHost();
        AsyncLoop loop = Asyncio.getRunningLoop();
        SslContext context = tls ? (options.sslContext() != null ? options.sslContext() : defaultTls()) : null;
        List<InetSocketAddress> addresses = Net.getAddrInfo(host.startsWith("[") ? host.substring(1, host.length() - 1)
                : host, port);
        ConnectionError failed = null;
        for (InetSocketAddress address : addresses) {
            try {
                return attempt(loop, uri, host, port, address, context, options);
            } catch (ConnectionError e) {
                if (e instanceof SslError || e instanceof WebSocketHandshakeError) {
                    throw e;
                }
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        throw failed != null ? failed : new ConnectionError("cannot resolve '" + host + "': no address");
    }

    private static URI parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a WebSocket URL: '" + url + "': " + e.getMessage(), e);
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("ws") || scheme.equalsIgnoreCase("wss"))) {
            throw new IllegalArgumentException("not a WebSocket URL (ws:// or wss://): '" + url + "'");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("a WebSocket URL needs a host: '" + url + "'");
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("a WebSocket URL has no fragment (RFC 6455 3): '" + url + "'");
        }
        return uri;
    }

    private static SslContext defaultTls() {
        SslContext c = defaultTls;
        if (c == null) {
            try {
                c = Asyncio.toThread(() -> SslContextBuilder.forClient().build());
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new SslError("cannot set up TLS with the JDK's trusted authorities: " + e.getMessage(), e);
            }
            defaultTls = c;
        }
        return c;
    }

    /** One connection attempt to {@code address}: connect, TLS, the opening handshake. */
    private static WebSocket attempt(AsyncLoop loop, URI uri, String host, int port, InetSocketAddress address,
                                     SslContext context, WebSocketOptions options) {
        Future<WebSocket> ready = loop.createFuture();
        loop.markExternal(ready);       // the peer answers in real time: a virtual clock must not run past the limit
        HttpHeaders headers = new DefaultHttpHeaders();
        for (Map.Entry<String, String> h : options.headers().entrySet()) {
            headers.add(h.getKey(), h.getValue());
        }
        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(uri,
                WebSocketVersion.V13, options.subprotocols().isEmpty() ? null : String.join(",", options.subprotocols()),
                false, headers, options.maxMessageSize(), true, false, -1);
        String peer = uri.getScheme() + "://" + host + ":" + port;
        Bootstrap b = new Bootstrap()
                .group(loop.ioEventLoop())
                .channelFactory(WebSocketClient::newChannel)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0)
                .disableResolver()
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (context != null) {
                            ch.pipeline().addLast("tls", sslHandler(ch, context, host, port));
                        }
                        ch.pipeline().addLast("http", new HttpClientCodec());
                        ch.pipeline().addLast("http-aggregator", new HttpObjectAggregator(64 * 1024));
                        ch.pipeline().addLast("ws-handshake", new Handshake(loop, handshaker, options, peer, ready));
                    }
                });
        ChannelFuture connecting = b.connect(address);
        Channel channel = connecting.channel();
        connecting.addListener(f -> {
            if (!f.isSuccess() && !ready.done()) {
                ready.setException(new ConnectionError("cannot connect to " + peer + " ("
                        + address.getAddress().getHostAddress() + "): " + f.cause().getMessage(), f.cause()));
            }
        });
        TimerHandle timer = loop.callLater(options.handshakeTimeout(), () -> {
            if (!ready.done()) {
                ready.setException(new ConnectionError("the WebSocket connection to " + peer + " was not open within "
                        + options.handshakeTimeout() + " s"));
            }
        });
        boolean ok = false;
        try {
            WebSocket ws = ready.await();
            ok = true;
            return ws;
        } finally {
            timer.cancel();
            if (!ok) {
                channel.close();
                if (ready.done() && !ready.cancelled()) {
                    ready.exception();      // retrieved: the failure is thrown above
                } else if (!ready.done()) {
                    ready.cancel();
                }
            }
        }
    }

    // The channel class must match the loop's transport; until asyncio-net's bridge offers a public way to
    // connect, NIO (the loops' default) is the one supported here.
    private static Channel newChannel() {
        return new NioSocketChannel();
    }

    private static SslHandler sslHandler(Channel ch, SslContext context, String host, int port) {
        SslHandler handler = context.newHandler(ch.alloc(), host, port);
        SSLEngine engine = handler.engine();
        SSLParameters params = engine.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(params);
        handler.setHandshakeTimeoutMillis(0);
        return handler;
    }

    /** The opening handshake on a new channel: sends the upgrade request, checks the answer, then hands over. */
    private static final class Handshake extends ChannelInboundHandlerAdapter {
        private final AsyncLoop loop;
        private final WebSocketClientHandshaker handshaker;
        private final WebSocketOptions options;
        private final String peer;
        private final Future<WebSocket> ready;

        Handshake(AsyncLoop loop, WebSocketClientHandshaker handshaker, WebSocketOptions options, String peer,
                  Future<WebSocket> ready) {
            this.loop = loop;
            this.handshaker = handshaker;
            this.options = options;
            this.peer = peer;
            this.ready = ready;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            if (ssl == null) {
                handshaker.handshake(ctx.channel());
            } else {
                ssl.handshakeFuture().addListener(f -> {
                    if (f.isSuccess()) {
                        handshaker.handshake(ctx.channel());
                    } else if (!ready.done()) {
                        ready.setException(new SslError("TLS handshake with " + peer + " failed: "
                                + f.cause().getMessage(), f.cause()));
                    }
                });
            }
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (!(msg instanceof FullHttpResponse response) || ready.done()) {
                    return;
                }
                try {
                    handshaker.finishHandshake(ctx.channel(), response);
                } catch (WebSocketHandshakeException e) {
                    ready.setException(new WebSocketHandshakeError("the server at " + peer + " refused the WebSocket "
                            + "upgrade: " + response.status() + " (" + e.getMessage() + ")", response.status().code(), e));
                    ctx.close();
                    return;
                }
                // Netty's decoder would send its own close frame on a protocol violation; the connection sends
                // one (with the right code) itself. The HTTP decoder hands its left-over bytes to this one later.
                ctx.pipeline().replace(WebSocketFrameDecoder.class, "ws-decoder", new WebSocket13FrameDecoder(
                        WebSocketDecoderConfig.newBuilder()
                                .expectMaskedFrames(false)
                                .allowMaskMismatch(false)
                                .allowExtensions(false)
                                .maxFramePayloadLength(options.maxMessageSize())
                                .closeOnProtocolViolation(false)
                                .build()));
                ctx.pipeline().remove(this);
                WebSocket ws = WebSocket.attach(loop, ctx.channel(), options, handshaker.actualSubprotocol(), peer);
                ready.setResult(ws);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!ready.done()) {
                ready.setException(cause instanceof javax.net.ssl.SSLException
                        || cause.getCause() instanceof javax.net.ssl.SSLException
                        ? new SslError("TLS with " + peer + " failed: " + cause.getMessage(), cause)
                        : new ConnectionError("the WebSocket handshake with " + peer + " failed: " + cause, cause));
            }
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!ready.done()) {
                ready.setException(new ConnectionError("the connection to " + peer
                        + " closed during the WebSocket handshake"));
            }
            ctx.fireChannelInactive();
        }
    }
}
