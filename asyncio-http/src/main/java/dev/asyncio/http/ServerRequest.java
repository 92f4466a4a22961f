package dev.asyncio.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A request received by an {@link HttpServer}: its head, the path parameters a {@link Router} matched, and its
 * body, read as it comes; mirrors aiohttp.web's {@code Request}.
 *
 * <pre>{@code
 * String id = request.pathParam("id");
 * Map<?, ?> fields = (Map<?, ?>) request.json();          // the whole body, parsed
 * }</pre>
 *
 * <p>The body is read with {@link #read()} chunk by chunk (the server reads from the socket only as fast as
 * the handler takes chunks), or whole with {@link #body()}, {@link #text()} or {@link #json()}. A request with
 * {@code Expect: 100-continue} is told to go on only when its body is first read. A body over
 * {@link ServerLimits#maxBodySize()} or too slow to come makes the read throw an {@link ErrorResponse} (413,
 * 408), which becomes that answer if the handler lets it through. Belongs to the loop's thread.
 */
public final class ServerRequest {
    private final ServerConnection connection;
    private final ServerConnection.Exchange exchange;
    private final HttpRequest head;
    private final QueryStringDecoder uri;
    private Map<String, String> pathParams = Map.of();
    private Headers headers;
    private long received;
    private boolean ended;
    private boolean continueSent;

    ServerRequest(ServerConnection connection, ServerConnection.Exchange exchange, HttpRequest head) {
        this.connection = connection;
        this.exchange = exchange;
        this.head = head;
        this.uri = new QueryStringDecoder(head.uri());
    }

    /** The method: {@code "GET"}, {@code "POST"}, ... */
    public String method() {
        return head.method().name();
    }

    /** The request target as sent: path and query, {@code "/todos?done=true"}. */
    public String target() {
        return head.uri();
    }

    /** The path, percent-decoded, without the query: {@code "/todos"}. */
    public String path() {
        return uri.path();
    }

    /** The path as sent, still percent-encoded. */
    public String rawPath() {
        return uri.rawPath();
    }

    /** The first value of query parameter {@code name}, or {@code null}. */
    public String query(String name) {
        List<String> values = uri.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Every query parameter with its values, in the order they came. */
    public Map<String, List<String>> queryParams() {
        return uri.parameters();
    }

    /** The path parameter {@code name} that the route matched ({@code {id}} in {@code /users/{id}}), or {@code null}. */
    public String pathParam(String name) {
        return pathParams.get(name);
    }

    /** The path parameters that the route matched, by name. */
    public Map<String, String> pathParams() {
        return pathParams;
    }

    void pathParams(Map<String, String> params) {
        this.pathParams = params;
    }

    /** The header fields. */
    public Headers headers() {
        if (headers == null) {
            headers = new Headers(head.headers());
        }
        return headers;
    }

    /** The first value of header {@code name}, or {@code null}. */
    public String header(String name) {
        return head.headers().get(name);
    }

    /** The protocol version: {@code "HTTP/1.1"}. */
    public String version() {
        return head.protocolVersion().text();
    }

    /** The client's address. */
    public InetSocketAddress remoteAddress() {
        SocketAddress a = connection.channel().remoteAddress();
        return a instanceof InetSocketAddress i ? i : null;
    }

    /** The body's length from {@code Content-Length}, or -1 if it is not given (chunked, or none). */
    public long contentLength() {
        return HttpUtil.getContentLength(head, -1L);
    }

    /**
     * The next chunk of the body, or {@code null} at its end. Suspends the current task until bytes come,
     * the body ends, {@link ServerLimits#bodyTimeout()} passes, or the client goes. The first read of a
     * request that expects {@code 100 Continue} sends it.
     *
     * <p>Cancellation: nothing is consumed; the connection is closed once the handler ends (what is left of
     * the body cannot be told from the next request).
     *
     * @throws ErrorResponse 413 past {@link ServerLimits#maxBodySize()}, 408 past the body timeout, 400 for a
     *                       malformed chunk
     * @throws dev.asyncio.net.ConnectionResetError if the client closed the connection before the body ended
     */
    public byte[] read() {
        if (ended) {
            return null;
        }
        if (!continueSent) {
            continueSent = true;
            if (HttpUtil.is100ContinueExpected(head) && !exchange.response.headSent()) {
                exchange.response.sendContinue();
            }
        }
        Object item = connection.nextBodyItem(exchange);
        if (item instanceof byte[] b) {
            received += b.length;
            if (received > connection.limits().maxBodySize()) {
                exchange.response.closeAfterwards();
                throw new ErrorResponse(413, "Content Too Large: the body is over the limit of "
                        + connection.limits().maxBodySize() + " bytes");
            }
            return b;
        }
        ended = true;
        return null;
    }

    /**
     * The whole body (at most {@link ServerLimits#maxBodySize()} bytes). Suspends the current task as
     * {@link #read()} does, until the body has ended.
     *
     * <p>Cancellation: as for {@link #read()}; the bytes read so far are lost.
     */
    public byte[] body() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] b = read(); b != null; b = read()) {
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    /**
     * The whole body as text, decoded with the {@code charset} of its {@code Content-Type} (UTF-8 if none).
     * Suspends as {@link #body()} does. Cancellation: as for {@link #body()}.
     */
    public String text() {
        byte[] b = body();
        return new String(b, HttpUtil.getCharset(head, StandardCharsets.UTF_8));
    }

    /**
     * The whole body parsed as JSON ({@link Json#parse}). Suspends as {@link #body()} does. Cancellation: as for
     * {@link #body()}.
     *
     * @throws ErrorResponse 400 if the body is not JSON, or 415 if its {@code Content-Type} says it is something else
     */
    public Object json() {
        String type = head.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type != null && !type.toLowerCase(java.util.Locale.ROOT).contains("json")) {
            throw new ErrorResponse(415, "Unsupported Media Type: expected JSON, got " + type);
        }
        String text = text();
        try {
            return Json.parse(text);
        } catch (JsonDecodeError e) {
            throw new ErrorResponse(400, "Bad Request: the body is not valid JSON: " + e.getMessage());
        }
    }

    /**
     * Takes the connection over from the server, for a protocol switch such as WebSocket: the server stops
     * reading it, stops its timers and takes its own handlers out of the channel's pipeline (Netty's request
     * decoder and response encoder stay, for the handshake). The handler then owns the channel, closing it
     * included, and sends no response through {@link ServerResponse}. The channel does not read on its own
     * ({@code autoRead} off). Bytes the client sent after this request's head, before the switch was
     * answered, are dropped (a client waits for the switch).
     *
     * @throws IllegalStateException if the response was started
     */
    public UpgradedConnection upgrade() {
        return connection.takeOver(exchange);
    }

    /** The connection this request came on. */
    ServerConnection connection() {
        return connection;
    }

    /** This request's head with an empty body, for a handshake on a taken-over connection. */
    FullHttpRequest fullRequest() {
        return new DefaultFullHttpRequest(head.protocolVersion(), head.method(), head.uri(), Unpooled.EMPTY_BUFFER,
                head.headers().copy(), EmptyHttpHeaders.INSTANCE);
    }

    /** Whether the body was read to its end. */
    boolean bodyRead() {
        return ended;
    }

    HttpRequest head() {
        return head;
    }

    @Override
    public String toString() {
        return method() + " " + target();
    }
}
