package dev.asyncio.http.websocket;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.Future;
import dev.asyncio.TimerHandle;
import dev.asyncio.net.ConnectionError;
import dev.asyncio.net.Resolver;
import dev.asyncio.net.SslError;
import dev.asyncio.net.channel.HappyEyeballs;
import dev.asyncio.net.channel.NetErrors;
import dev.asyncio.net.channel.Tls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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
import io.netty.util.ReferenceCountUtil;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Opens WebSocket connections: {@code ws://} over TCP, {@code wss://} over TLS (certificate and host name
 * checked), on the running loop's Netty event loop, through asyncio-net's channel bridge (the host's
 * addresses raced as RFC 8305 says, TLS with the project's defaults).
 *
 * <pre>{@code
 * try (WebSocket ws = WebSocketClient.connect("ws://127.0.0.1:8080/chat")) {
 *     ws.send("hello");
 *     WebSocketMessage answer = ws.receive();
 * }
 * }</pre>
 */
public final class WebSocketClient {
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
     * @throws dev.asyncio.net.NameResolutionError if the host name is unknown
     * @throws ConnectionError          if no address of the host accepted the connection, it broke, or the
     *                                  handshake timed out
     * @throws SslError                 if the TLS handshake failed (certificate, host name)
     * @throws WebSocketHandshakeError  if the server refused the upgrade (its status is in the message)
     */
    public static WebSocket connect(String url, WebSocketOptions options) {
        URI uri = parse(url);
        boolean tls = uri.getScheme().equalsIgnoreCase("wss");
        int port = uri.getPort() != -1 ? uri.getPort() : tls ? 443 : 80;
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        String peer = uri.getScheme() + "://" + uri.getHost() + ":" + port;
        AsyncLoop loop = Asyncio.getRunningLoop();
        double by = loop.time() + options.handshakeTimeout();
        Supplier<ConnectionError> timedOut = () -> new ConnectionError("the WebSocket connection to " + peer
                + " was not open within " + options.handshakeTimeout() + " s");
        SslContext context = tls ? (options.sslContext() != null ? options.sslContext() : Tls.defaultClientContext()) : null;
        InetAddress literal = Resolver.numeric(host);
        List<InetAddress> addresses = literal != null ? List.of(literal) : Resolver.system().resolve(host);
        // asyncio-net's bridge: the RFC 8305 race over the addresses, on the loop's clock; the channel does not
        // read until the connection's bridge says so.
        Channel channel = new HappyEyeballs(loop).delay(HappyEyeballs.RFC8305_DELAY).deadline(by, timedOut)
                .describedAs(peer).connect(HappyEyeballs.interleave(addresses, 1), port);
        return handshake(loop, channel, uri, host, port, peer, context, options, by, timedOut);
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

    /**
     * The opening handshake on {@code channel}, connected: TLS if {@code context} is given, the upgrade
     * request, its answer. Suspends the current task until the connection is a {@link WebSocket}, or failed,
     * or the time {@code by} came.
     *
     * <p>Cancellation: the channel is closed.
     */
    private static WebSocket handshake(AsyncLoop loop, Channel channel, URI uri, String host, int port, String peer,
                                       SslContext context, WebSocketOptions options, double by,
                                       Supplier<ConnectionError> timedOut) {
        Future<WebSocket> ready = loop.createFuture();
        loop.markExternal(ready);       // the peer answers in real time: a virtual clock must not run past the limit
        HttpHeaders headers = new DefaultHttpHeaders();
        for (Map.Entry<String, String> h : options.headers().entrySet()) {
            headers.add(h.getKey(), h.getValue());
        }
        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(uri,
                WebSocketVersion.V13, options.subprotocols().isEmpty() ? null : String.join(",", options.subprotocols()),
                false, headers, options.maxMessageSize(), true, false, -1);
        TimerHandle timer = loop.callAt(by, () -> {
            if (!ready.done()) {
                ready.setException(timedOut.get());
            }
        });
        boolean ok = false;
        try {
            if (context != null) {
                channel.pipeline().addLast("tls", Tls.clientHandler(channel, context, host, port, true, 0, List.of("http/1.1")));
            }
            channel.pipeline().addLast("http", new HttpClientCodec());
            channel.pipeline().addLast("http-aggregator", new HttpObjectAggregator(64 * 1024));
            if (options.compression()) {
                channel.pipeline().addLast("ws-compression", Deflate.clientHandler(options));
            }
            Handshake hs = new Handshake(handshaker, options, peer, ready);
            channel.pipeline().addLast("ws-handshake", hs);
            // The connection's bridge goes last: it reads until the answer is in, then on demand; once the
            // channel is established (TLS included) the upgrade request goes out.
            hs.ws = WebSocket.connecting(loop, channel, options, peer, () -> handshaker.handshake(channel), cause -> {
                if (!ready.done()) {
                    ready.setException(NetErrors.toNetError(cause, "TLS handshake with " + peer + " failed"));
                }
            });
            WebSocket ws = ready.await();
            ok = true;
            return ws;
        } finally {
            timer.cancel();
            if (!ok) {
                channel.close();
                if (!ready.done()) {
                    ready.cancel();
                }
            }
        }
    }

    /** The opening handshake on a new channel: sends the upgrade request, checks the answer, then hands over. */
    private static final class Handshake extends ChannelInboundHandlerAdapter {
        private final WebSocketClientHandshaker handshaker;
        private final WebSocketOptions options;
        private final String peer;
        private final Future<WebSocket> ready;
        /** The connection, its bridge last in the pipeline, waiting for this handshake. */
        WebSocket ws;

        Handshake(WebSocketClientHandshaker handshaker, WebSocketOptions options, String peer, Future<WebSocket> ready) {
            this.handshaker = handshaker;
            this.options = options;
            this.peer = peer;
            this.ready = ready;
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
                                .allowExtensions(Deflate.negotiated(ctx.channel()))   // RSV1: compressed
                                .maxFramePayloadLength(options.maxMessageSize())
                                .closeOnProtocolViolation(false)
                                .build()));
                ctx.pipeline().remove(this);
                ws.opened(handshaker.actualSubprotocol());
                ready.setResult(ws);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!ready.done()) {
                ready.setException(NetErrors.toNetError(cause, "the WebSocket handshake with " + peer + " failed"));
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
