package dev.asyncio.http.websocket;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Future;
import dev.asyncio.Task;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;

import java.nio.charset.StandardCharsets;

/**
 * The server side of the opening handshake, for an HTTP server built on Netty's {@code HttpServerCodec}: it
 * answers an upgrade request with {@code 101 Switching Protocols}, turns the channel into a {@link WebSocket}
 * and serves it with a {@link WebSocketHandler} in a task of its own. A server's router calls
 * {@link #upgrade} for a request that {@link #isUpgradeRequest} accepts on a WebSocket route.
 */
public final class WebSocketUpgrade {
    private static final System.Logger LOG = System.getLogger(WebSocketUpgrade.class.getName());

    private WebSocketUpgrade() {
    }

    /** Whether {@code request} asks for a WebSocket: a GET with {@code Connection: upgrade} and {@code Upgrade: websocket}. */
    public static boolean isUpgradeRequest(HttpRequest request) {
        return request.method().equals(HttpMethod.GET)
                && request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && request.headers().contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    /**
     * Answers {@code request} (which the caller still owns and releases) on the channel of {@code ctx}: with
     * {@code 101} and the first of the options' subprotocols that the client offered, or with {@code 426} (an
     * unsupported WebSocket version) or {@code 400} (a malformed upgrade request) and a closed connection. On
     * 101 the handler of {@code ctx} leaves the pipeline, the channel becomes a {@link WebSocket}, and once
     * the answer is written {@code handler} runs in a new task of {@code loop}: when it returns the connection
     * is closed with 1000, when it throws with 1011 (the exception is logged, not sent). Does not suspend; on
     * the loop's thread.
     *
     * @return the handler's task, or {@code null} if the request was refused
     */
    public static Task<Void> upgrade(AsyncLoop loop, ChannelHandlerContext ctx, FullHttpRequest request,
                                     WebSocketOptions options, WebSocketHandler handler) {
        Channel channel = ctx.channel();
        String url = (channel.pipeline().get(io.netty.handler.ssl.SslHandler.class) != null ? "wss://" : "ws://")
                + request.headers().get(HttpHeaderNames.HOST, "localhost") + request.uri();
        WebSocketServerHandshakerFactory factory = new WebSocketServerHandshakerFactory(url,
                options.subprotocols().isEmpty() ? null : String.join(",", options.subprotocols()),
                WebSocketDecoderConfig.newBuilder()
                        .expectMaskedFrames(true)
                        .allowMaskMismatch(false)
                        .allowExtensions(false)
                        .maxFramePayloadLength(options.maxMessageSize())
                        .closeOnProtocolViolation(false)        // the connection sends its own, with the right code
                        .build());
        WebSocketServerHandshaker handshaker = factory.newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channel)
                    .addListener(ChannelFutureListener.CLOSE);
            return null;
        }
        String peer = String.valueOf(channel.remoteAddress());
        try {
            Future<Boolean> written = loop.createFuture();
            handshaker.handshake(channel, request).addListener(f -> written.setResult(f.isSuccess()));
            ctx.pipeline().remove(ctx.handler());
            WebSocket ws = WebSocket.attach(loop, channel, options, handshaker.selectedSubprotocol(), peer);
            Task<Void> task = loop.createTask(() -> {
                if (!written.await()) {
                    ws.abort();
                    return;
                }
                serve(ws, handler);
            }, "websocket " + request.uri() + " " + peer);
            return task;
        } catch (WebSocketHandshakeException e) {
            FullHttpResponse bad = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST,
                    Unpooled.copiedBuffer("bad WebSocket upgrade request: " + e.getMessage() + "\n", StandardCharsets.UTF_8));
            bad.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .set(HttpHeaderNames.CONTENT_LENGTH, bad.content().readableBytes())
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            channel.writeAndFlush(bad).addListener(ChannelFutureListener.CLOSE);
            return null;
        }
    }

    /** Runs {@code handler} on {@code ws}, then closes it: 1000 if it returned, 1011 if it threw. */
    private static void serve(WebSocket ws, WebSocketHandler handler) {
        try {
            handler.handle(ws);
        } catch (dev.asyncio.CancelledError e) {
            ws.abort();
            throw e;
        } catch (WebSocketClosedError e) {
            // The peer went, closed, or broke the protocol: the connection is ending already, and has said why.
            ws.close(WebSocketCloseCodes.NORMAL, "");
            return;
        } catch (Exception e) {
            LOG.log(System.Logger.Level.ERROR, "WebSocket handler failed on " + ws + "; closing with 1011", e);
            ws.close(WebSocketCloseCodes.INTERNAL_ERROR, "internal error");
            return;
        }
        ws.close(WebSocketCloseCodes.NORMAL, "");
    }
}
