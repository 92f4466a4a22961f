package dev.asyncio.http;

import dev.asyncio.http.websocket.WebSocket;
import dev.asyncio.http.websocket.WebSocketHandler;
import dev.asyncio.http.websocket.WebSocketOptions;
import dev.asyncio.http.websocket.WebSocketUpgrade;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A {@link Handler} that picks another by method and path pattern, with {@link Middleware} around them;
 * mirrors aiohttp.web's {@code UrlDispatcher} and Go's {@code ServeMux}.
 *
 * <pre>{@code
 * Router router = new Router()
 *         .get("/todos", (request, response) -> response.json(200, todos.list()))
 *         .get("/todos/{id}", (request, response) -> response.json(200, todos.get(request.pathParam("id"))))
 *         .staticFiles("/assets", Path.of("public"));
 * }</pre>
 *
 * <p>A pattern is a path whose segments are literal, or {@code {name}} (one segment, any text but empty), or,
 * as the last one, {@code {name...}} (the rest of the path, slashes included, possibly empty). Parameters
 * are percent-decoded, segment by segment ({@code %2F} stays inside its segment). Routes are tried in the
 * order they were added. No route for the path: 404; a route for the path but not the method: 405 with
 * {@code Allow}. {@code HEAD} is answered by a {@code GET} route unless a {@code HEAD} route exists.
 * Middleware runs in the order added, the first one outermost, for every request (404 and 405 included).
 */
public final class Router implements Handler {
    private record Route(String method, String[] segments, Handler handler) {
    }

    private final List<Route> routes = new ArrayList<>();
    private final List<Middleware> middleware = new ArrayList<>();

    /** An empty router: every request is a 404 until routes are added. */
    public Router() {
    }

    /** Adds a route for {@code method} (any case) and {@code pattern}. */
    public Router route(String method, String pattern, Handler handler) {
        Objects.requireNonNull(handler, "handler");
        routes.add(new Route(method.toUpperCase(Locale.ROOT), parse(pattern), handler));
        return this;
    }

    /** Adds a {@code GET} route (which answers {@code HEAD} too). */
    public Router get(String pattern, Handler handler) {
        return route("GET", pattern, handler);
    }

    /** Adds a {@code POST} route. */
    public Router post(String pattern, Handler handler) {
        return route("POST", pattern, handler);
    }

    /** Adds a {@code PUT} route. */
    public Router put(String pattern, Handler handler) {
        return route("PUT", pattern, handler);
    }

    /** Adds a {@code PATCH} route. */
    public Router patch(String pattern, Handler handler) {
        return route("PATCH", pattern, handler);
    }

    /** Adds a {@code DELETE} route. */
    public Router delete(String pattern, Handler handler) {
        return route("DELETE", pattern, handler);
    }

    /**
     * Adds a WebSocket endpoint: a {@code GET} route whose upgrade requests become {@link WebSocket}s served by
     * {@code handler} ({@link WebSocketUpgrade#handler}), with the {@linkplain WebSocketOptions#defaults default
     * options}.
     */
    public Router websocket(String pattern, WebSocketHandler handler) {
        return websocket(pattern, WebSocketOptions.defaults(), handler);
    }

    /** Adds a WebSocket endpoint with {@code options} (message size, subprotocols, heartbeat, ...). */
    public Router websocket(String pattern, WebSocketOptions options, WebSocketHandler handler) {
        return get(pattern, WebSocketUpgrade.handler(options, handler));
    }

    /** Adds middleware around every request; the first added runs outermost. */
    public Router use(Middleware step) {
        middleware.add(Objects.requireNonNull(step, "step"));
        return this;
    }

    /**
     * Serves the files under {@code directory} at {@code prefix} (a {@link StaticFiles} at
     * {@code prefix + "/{path...}"} for {@code GET} and {@code HEAD}).
     */
    public Router staticFiles(String prefix, Path directory) {
        String p = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        return get(p + "/{path...}", new StaticFiles(directory));
    }

    private static String[] parse(String pattern) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("a route pattern starts with '/': " + pattern);
        }
        String[] segments = pattern.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            if (s.startsWith("{") && s.endsWith("}")) {
                String name = s.substring(1, s.length() - 1);
                if (name.endsWith("...") && i != segments.length - 1) {
                    throw new IllegalArgumentException("{" + name + "} must be the last segment of " + pattern);
                }
                if (name.isEmpty() || name.equals("...")) {
                    throw new IllegalArgumentException("a parameter needs a name in " + pattern);
                }
            } else if (s.contains("{") || s.contains("}")) {
                throw new IllegalArgumentException("a parameter takes a whole segment in " + pattern + ": " + s);
            }
        }
        return segments;
    }

    /** The parameters if {@code pattern} matches the raw {@code path} segments, else {@code null}. */
    private static Map<String, String> match(String[] pattern, String[] path) {
        Map<String, String> params = null;       // made for the first parameter: most routes tried have none
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.startsWith("{") && p.endsWith("...}")) {
                StringBuilder rest = new StringBuilder();
                for (int j = i; j < path.length; j++) {
                    rest.append(j == i ? "" : "/").append(decode(path[j]));
                }
                params = params == null ? new LinkedHashMap<>() : params;
                params.put(p.substring(1, p.length() - 4), rest.toString());
                return params;
            }
            if (i >= path.length) {
                return null;
            }
            if (p.startsWith("{")) {
                if (path[i].isEmpty()) {
                    return null;
                }
                params = params == null ? new LinkedHashMap<>() : params;
                params.put(p.substring(1, p.length() - 1), decode(path[i]));
            } else if (!p.equals(decode(path[i]))) {
                return null;
            }
        }
        return pattern.length != path.length ? null : params == null ? Map.of() : params;
    }

    private static String decode(String segment) {
        return segment.indexOf('%') < 0 && segment.indexOf('+') < 0 ? segment
                : QueryStringDecoder.decodeComponent(segment.replace("+", "%2B"));
    }

    /** Runs the middleware, then the matching route (or the 404/405 answer). May suspend as they do. */
    @Override
    public void handle(ServerRequest request, ServerResponse response) throws Exception {
        run(0, request, response);
    }

    private void run(int step, ServerRequest request, ServerResponse response) throws Exception {
        if (step < middleware.size()) {
            middleware.get(step).handle(request, response, (rq, rs) -> run(step + 1, rq, rs));
        } else {
            dispatch(request, response);
        }
    }

    private void dispatch(ServerRequest request, ServerResponse response) throws Exception {
        String raw = request.rawPath();
        String[] path = (raw.startsWith("/") ? raw.substring(1) : raw).split("/", -1);
        String method = request.method();
        TreeSet<String> allowed = null;          // made for a path matched with another method: a 405 may come
        Route fallback = null;
        Map<String, String> fallbackParams = null;
        for (Route r : routes) {
            Map<String, String> params = match(r.segments(), path);
            if (params == null) {
                continue;
            }
            if (r.method().equals(method)) {
                request.pathParams(params);
                r.handler().handle(request, response);
                return;
            }
            allowed = allowed == null ? new TreeSet<>() : allowed;
            allowed.add(r.method());
            if (r.method().equals("GET")) {
                allowed.add("HEAD");
                if (method.equals("HEAD") && fallback == null) {
                    fallback = r;
                    fallbackParams = params;
                }
            }
        }
        if (fallback != null) {
            request.pathParams(fallbackParams);
            fallback.handler().handle(request, response);
            return;
        }
        if (allowed == null) {
            throw new ErrorResponse(404, "Not Found");
        }
        response.header("Allow", String.join(", ", allowed));
        response.send(405, "Method Not Allowed\n");
    }
}
