package dev.asyncio.http.websocket;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Future;
import dev.asyncio.Task;
import dev.asyncio.http.Handler;
import dev.asyncio.http.HttpServer;
import dev.asyncio.http.Router;
import dev.asyncio.http.ServerRequest;
import dev.asyncio.http.UpgradedConnection;
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
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.ssl.SslHandler;

import java.nio.charset.StandardCharsets;

/**
 * The server side of the opening handshake: answers an upgrade request with {@code 101 Switching Protocols},
 * turns the connection into a {@link WebSocket} and serves it with a {@link WebSocketHandler}. On an
 * {@link HttpServer}, {@link Router#websocket} routes to {@link #handler}; a server of one's own on Netty's
 * {@code HttpServerCodec} calls {@link #upgrade}.
 */
public final class WebSocketUpgrade {
    private WebSocketUpgrade() {
    }

    /** Whether {@code request} asks for a WebSocket: a GET with {@code Connection: upgrade} and {@code Upgrade: websocket}. */
    public static boolean isUpgradeRequest(HttpRequest request) {
        return request.method().equals(HttpMethod.GET)
                && request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && request.headers().contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    /**
     * A {@link Handler} for an {@link HttpServer} route (see {@link Router#websocket}): an upgrade request
     * ({@link #isUpgradeRequest}) takes the connection over from the server ({@link ServerRequest#upgrade}) and
     * is answered as {@link #upgrade} does; {@code handler} then serves the connection in the request's task,
     * and the connection is closed with 1000 when it returns, with 1011 when it throws. Any other request gets
     * {@code 426 Upgrade Required}.
     */
    public static Handler handler(WebSocketOptions options, WebSocketHandler handler) {
        return (request, response) -> {
            String connection = request.header("Connection");
            String upgrade = request.header("Upgrade");
            boolean asks = request.method().equals("GET") && connection != null && upgrade != null
                    && java.util.Arrays.stream(connection.split(",")).anyMatch(t -> t.trim().equalsIgnoreCase("upgrade"))
                    && upgrade.trim().equalsIgnoreCase("websocket");
            if (!asks) {
                response.header("Upgrade", "websocket").header("Connection", "Upgrade")
                        .send(426, "Upgrade Required: this is a WebSocket endpoint\n");
                return;
            }
            UpgradedConnection taken = request.upgrade();
            Future<Boolean> written;
            WebSocket ws;
            try {
                written = taken.loop().createFuture();
                ws = accept(taken.loop(), taken.channel(), taken.request(), options, written, true,
                        request.pathParams());
            } finally {
                taken.request().release();
            }
            if (ws != null) {
                run(ws, written, handler);
            }
        };
    }

    /**
     * Answers {@code request} (which the caller still owns and releases) on the channel of {@code ctx}, a Netty
     * pipeline with {@code HttpServerCodec} (or its request decoder and response encoder) of the caller's own:
     * with {@code 101} and the first of the options' subprotocols that the client offered, or with {@code 426}
     * (an unsupported WebSocket version) or {@code 400} (a malformed upgrade request) and a closed connection.
     * On 101 the handler of {@code ctx} leaves the pipeline, the channel becomes a {@link WebSocket}, and once
     * the answer is written {@code handler} runs in a new task of {@code loop}: when it returns the connection
     * is closed with 1000, when it throws with 1011 (the exception goes to the loop's exception handler, not
     * to the peer). Does not suspend; on
     * the loop's thread. An {@link HttpServer} route uses {@link #handler} instead.
     *
     * @return the handler's task, or {@code null} if the request was refused
     */
    public static Task<Void> upgrade(AsyncLoop loop, ChannelHandlerContext ctx, FullHttpRequest request,
                                     WebSocketOptions options, WebSocketHandler handler) {
        Future<Boolean> written = loop.createFuture();
        WebSocket ws = accept(loop, ctx.channel(), request, options, written, false, java.util.Map.of());
        if (ws == null) {
            return null;
        }
        ctx.pipeline().remove(ctx.handler());
        return loop.createTask(() -> run(ws, written, handler), "websocket " + request.uri() + " " + ws.peer());
    }

    /**
     * The handshake: answers {@code request} on {@code channel} (101, or 426/400 and closed: then {@code null}),
     * and makes the channel a {@link WebSocket}; {@code written} is completed with whether the 101 went out.
     * {@code counted}: the channel is in the loop's open connections already (an {@link HttpServer}'s);
     * {@code pathParams}: what the route matched.
     */
    private static WebSocket accept(AsyncLoop loop, Channel channel, FullHttpRequest request, WebSocketOptions options,
                                    Future<Boolean> written, boolean counted, java.util.Map<String, String> pathParams) {
        String url = (channel.pipeline().get(SslHandler.class) != null ? "wss://" : "ws://")
                + request.headers().get(HttpHeaderNames.HOST, "localhost") + request.uri();
        WebSocketServerExtension deflate = options.compression() ? Deflate.negotiate(request, options) : null;
        WebSocketServerHandshakerFactory factory = new WebSocketServerHandshakerFactory(url,
                options.subprotocols().isEmpty() ? null : String.join(",", options.subprotocols()),
                WebSocketDecoderConfig.newBuilder()
                        .expectMaskedFrames(true)
                        .allowMaskMismatch(false)
                        .allowExtensions(deflate != null)       // RSV1 marks a compressed message
                        .maxFramePayloadLength(options.maxMessageSize())
                        .closeOnProtocolViolation(false)        // the connection sends its own, with the right code
                        .build());
        WebSocketServerHandshaker handshaker = factory.newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(channel)
                    .addListener(ChannelFutureListener.CLOSE);
            return null;
        }
        try {
            handshaker.handshake(channel, request, deflate == null ? null : Deflate.responseHeaders(deflate),
                    channel.newPromise()).addListener(f -> written.setResult(f.isSuccess()));
        } catch (WebSocketHandshakeException e) {
            FullHttpResponse bad = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST,
                    Unpooled.copiedBuffer("bad WebSocket upgrade request: " + e.getMessage() + "\n", StandardCharsets.UTF_8));
            bad.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .set(HttpHeaderNames.CONTENT_LENGTH, bad.content().readableBytes())
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            channel.writeAndFlush(bad).addListener(ChannelFutureListener.CLOSE);
            return null;
        }
        if (deflate != null) {
            Deflate.install(channel, deflate);
        }
        return WebSocket.attach(loop, channel, options, handshaker.selectedSubprotocol(),
                String.valueOf(channel.remoteAddress()), counted,
                new WebSocketRequest(request.uri(), pathParams, request.headers(), channel.remoteAddress()));
    }

    /** Waits for the 101 to be written, then serves {@code ws} with {@code handler}. */
    private static void run(WebSocket ws, Future<Boolean> written, WebSocketHandler handler) {
        if (!written.await()) {
            ws.abort();
            return;
        }
        serve(ws, handler);
    }

    /** Runs {@code handler} on {@code ws}, then closes it: 1000 if it returned, 1011 if it threw. */
    private static void serve(WebSocket ws, WebSocketHandler handler) {
        try {
            handler.handle(ws);
        } catch (dev.asyncio.CancelledError e) {
            ws.closeNow(WebSocketCloseCodes.GOING_AWAY, "server shutting down");    // the server is closing
            throw e;
        } catch (WebSocketClosedError e) {
            // The peer went, closed, or broke the protocol: the connection is ending already, and has said why.
            ws.close(WebSocketCloseCodes.NORMAL, "");
            return;
        } catch (Exception e) {
            java.util.Map<String, Object> context = new java.util.LinkedHashMap<>();
            context.put("message", "WebSocket handler failed on " + ws + "; closing it with 1011");
            context.put("exception", e);
            ws.loop().callExceptionHandler(context);
            ws.close(WebSocketCloseCodes.INTERNAL_ERROR, "internal error");
            return;
        }
        ws.close(WebSocketCloseCodes.NORMAL, "");
    }
}
