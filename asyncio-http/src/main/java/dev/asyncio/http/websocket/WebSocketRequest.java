package dev.asyncio.http.websocket;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;

/**
 * The request that opened a server-side {@link WebSocket} ({@link WebSocket#request()}): its path, the route's
 * path parameters, its query and header fields, and the client's address, for a handler that authenticates
 * the client or picks a room. Immutable; the header fields are a copy.
 *
 * <pre>{@code
 * router.websocket("/rooms/{room}", ws -> {
 *     WebSocketRequest request = ws.request();
 *     if (!"secret".equals(request.header("Authorization"))) {
 *         ws.close(WebSocketCloseCodes.POLICY_VIOLATION, "not allowed");
 *         return;
 *     }
 *     String room = request.pathParam("room");
 *     ...
 * });
 * }</pre>
 */
public final class WebSocketRequest {
    private final String target;
    private final QueryStringDecoder uri;
    private final Map<String, String> pathParams;
    private final Map<String, List<String>> queryParams;
    private final HttpHeaders headers;
    private final SocketAddress remoteAddress;

    WebSocketRequest(String target, Map<String, String> pathParams, HttpHeaders headers, SocketAddress remoteAddress) {
        this.target = target;
        this.uri = new QueryStringDecoder(target);
        Map<String, List<String>> params = new java.util.LinkedHashMap<>();
        uri.parameters().forEach((name, values) -> params.put(name, List.copyOf(values)));
        this.queryParams = java.util.Collections.unmodifiableMap(params);
        this.pathParams = Map.copyOf(pathParams);
        this.headers = headers.copy();
        this.remoteAddress = remoteAddress;
    }

    /** The request target as sent: path and query, {@code "/rooms/blue?user=ann"}. */
    public String target() {
        return target;
    }

    /** The path, percent-decoded, without the query: {@code "/rooms/blue"}. */
    public String path() {
        return uri.path();
    }

    /** The first value of query parameter {@code name}, or {@code null}. */
    public String query(String name) {
        List<String> values = queryParams.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Every query parameter with its values, in the order they came; the map and its lists are unmodifiable. */
    public Map<String, List<String>> queryParams() {
        return queryParams;
    }

    /**
     * The path parameter {@code name} that the route matched ({@code {room}} in {@code /rooms/{room}}), or
     * {@code null}; a connection upgraded by {@link WebSocketUpgrade#upgrade} (no route) has none.
     */
    public String pathParam(String name) {
        return pathParams.get(name);
    }

    /** The path parameters that the route matched, by name. */
    public Map<String, String> pathParams() {
        return pathParams;
    }

    /** The first value of header field {@code name} (case-insensitive), or {@code null}. */
    public String header(String name) {
        return headers.get(name);
    }

    /** Every value of header field {@code name} (case-insensitive), in order; empty if there is none. */
    public List<String> headerValues(String name) {
        return headers.getAll(name);
    }

    /** The client's address, or {@code null} if it is not an IP socket's. */
    public InetSocketAddress remoteAddress() {
        return remoteAddress instanceof InetSocketAddress i ? i : null;
    }

    @Override
    public String toString() {
        return "GET " + target;
    }
}
