package dev.asyncio.http.websocket;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionDecoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionUtil;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;

import java.util.Map;

/**
 * The permessage-deflate extension (RFC 7692) on Netty's implementation, both sides. Netty's inflater is given
 * the message size limit as its largest buffer: a frame that inflates past it fails there (and the connection
 * closes with 1009) instead of being inflated whole first.
 */
final class Deflate {
    private Deflate() {
    }

    /**
     * Client: Netty's {@link WebSocketClientCompressionHandler}, to go after the HTTP codec (and aggregator): it
     * offers the extension in the upgrade request and, if the answer accepts it, puts the extension's encoder
     * and decoder in its place.
     */
    static WebSocketClientCompressionHandler clientHandler(WebSocketOptions options) {
        return new WebSocketClientCompressionHandler(options.maxMessageSize());
    }

    /**
     * Whether the channel's pipeline holds the extension's decoder (either side; on a client: the server
     * accepted the extension).
     */
    static boolean negotiated(Channel channel) {
        return channel.pipeline().get(WebSocketExtensionDecoder.class) != null;
    }

    /**
     * Server: the extension agreed for {@code request}, or {@code null} when it did not offer permessage-deflate
     * (or offered only parameters Netty refuses). Netty's {@code WebSocketServerCompressionHandler} does the same
     * as a pipeline handler that must see the request come in; on an {@code HttpServer} the request was read
     * before the connection was taken over, so its handshaker is used directly.
     */
    static WebSocketServerExtension negotiate(HttpRequest request, WebSocketOptions options) {
        String offered = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
        if (offered == null) {
            return null;
        }
        PerMessageDeflateServerExtensionHandshaker handshaker = new PerMessageDeflateServerExtensionHandshaker(6,
                false, PerMessageDeflateServerExtensionHandshaker.MAX_WINDOW_SIZE, false, false,
                options.maxMessageSize());
        for (WebSocketExtensionData data : WebSocketExtensionUtil.extractExtensions(offered)) {
            WebSocketServerExtension e = handshaker.handshakeExtension(data);
            if (e != null) {
                return e;
            }
        }
        return null;
    }

    /** The answer's {@code Sec-WebSocket-Extensions} header for {@code extension}. */
    static HttpHeaders responseHeaders(WebSocketServerExtension extension) {
        WebSocketExtensionData data = extension.newReponseData();
        StringBuilder value = new StringBuilder(data.name());
        for (Map.Entry<String, String> p : data.parameters().entrySet()) {
            value.append("; ").append(p.getKey());
            if (p.getValue() != null) {
                value.append('=').append(p.getValue());
            }
        }
        return new DefaultHttpHeaders().add(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS, value.toString());
    }

    /** Server: puts the extension's decoder and encoder at the end of the pipeline, before the connection's own. */
    static void install(Channel channel, WebSocketServerExtension extension) {
        channel.pipeline().addLast("ws-deflate-decoder", extension.newExtensionDecoder());
        channel.pipeline().addLast("ws-deflate-encoder", extension.newExtensionEncoder());
    }
}
