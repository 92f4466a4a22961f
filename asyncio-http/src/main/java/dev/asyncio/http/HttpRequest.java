package dev.asyncio.http;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One HTTP request to send with {@link HttpClient#request(HttpRequest)}: method, URL, header fields, an
 * optional body, and optional per-request settings; immutable.
 *
 * <pre>{@code
 * HttpRequest put = HttpRequest.builder("https://api.example.org/items/7")
 *         .method("PUT")
 *         .header("Authorization", "Bearer " + token)
 *         .json(Map.of("name", "lamp", "price", 12.5))
 *         .timeout(ClientTimeout.DEFAULT.withTotal(5))
 *         .build();
 * }</pre>
 *
 * <p>The client adds {@code Host}, {@code User-Agent} and {@code Accept-Encoding: gzip, deflate} unless the
 * request has them, and {@code Content-Length} for a body; {@code Content-Length} and
 * {@code Transfer-Encoding} cannot be set by hand. A request with {@code Connection: close} is sent as such,
 * and its connection is closed afterwards instead of going back to the pool.
 */
public final class HttpRequest {
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE");
    static final byte[] NO_BODY = new byte[0];

    private final String method;
    private final URI url;
    private final HttpHeaders headers;
    private final byte[] body;
    private final ClientTimeout timeout;
    private final Boolean followRedirects;
    /** Where it goes: the pool's key, worked out once. */
    private final Origin origin;

    private HttpRequest(Builder b) {
        this.method = b.method;
        this.url = b.url;
        this.origin = Origin.of(b.url);
        this.headers = b.headers.copy();
        this.body = b.body;
        this.timeout = b.timeout;
        this.followRedirects = b.followRedirects;
    }

    /** Used for redirects: the same request to {@code url}, with {@code method}, {@code headers} and {@code body}. */
    HttpRequest(String method, URI url, HttpHeaders headers, byte[] body, ClientTimeout timeout, Boolean followRedirects) {
        this.method = method;
        this.url = url;
        this.origin = Origin.of(url);
        this.headers = headers;
        this.body = body;
        this.timeout = timeout;
        this.followRedirects = followRedirects;
    }

    /**
     * A builder of a GET request to {@code url}.
     *
     * @throws InvalidUrlError if {@code url} is not an absolute http or https URL
     */
    public static Builder builder(String url) {
        return new Builder(parseUrl(url));
    }

    /** A builder of a GET request to {@code url}. */
    public static Builder builder(URI url) {
        Origin.of(url);
        return new Builder(url);
    }

    /** A GET request to {@code url}. */
    public static HttpRequest get(String url) {
        return builder(url).build();
    }

    /**
     * {@code url} as a {@link URI}, checked: absolute, http or https, with a host.
     *
     * @throws InvalidUrlError if not
     */
    static URI parseUrl(String url) {
        Objects.requireNonNull(url, "url");
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new InvalidUrlError(url, e.getReason() + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""), e);
        }
        Origin.of(uri);
        return uri;
    }

    public String method() {
        return method;
    }

    public URI url() {
        return url;
    }

    Origin origin() {
        return origin;
    }

    public Headers headers() {
        return new Headers(headers);
    }

    HttpHeaders nettyHeaders() {
        return headers;
    }

    /** A copy of the body; empty when there is none. */
    public byte[] body() {
        return body.clone();
    }

    byte[] bodyBytes() {
        return body;
    }

    /** This request's time limits, or {@code null} for the client's. */
    public ClientTimeout timeout() {
        return timeout;
    }

    /** Whether to follow redirects, or {@code null} for the client's setting. */
    public Boolean followRedirects() {
        return followRedirects;
    }

    /** Whether sending it twice has the effect of sending it once (RFC 9110 9.2.2): it may be retried. */
    boolean idempotent() {
        return IDEMPOTENT.contains(method);
    }

    @Override
    public String toString() {
        return method + " " + url;
    }

    /** Builds an {@link HttpRequest}; every setting but the URL is optional. */
    public static final class Builder {
        private String method = "GET";
        private final URI url;
        private final HttpHeaders headers = new DefaultHttpHeaders();
        private byte[] body = NO_BODY;
        private ClientTimeout timeout;
        private Boolean followRedirects;

        private Builder(URI url) {
            this.url = url;
        }

        /**
         * The method, {@code GET} by default; any token, upper case by convention.
         *
         * @throws IllegalArgumentException if it is empty or holds white space or control characters
         */
        public Builder method(String method) {
            Objects.requireNonNull(method, "method");
            if (method.isEmpty() || !method.chars().allMatch(c -> c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0)) {
                throw new IllegalArgumentException("not an HTTP method token: '" + method + "'");
            }
            HttpMethod.valueOf(method);
            this.method = method;
            return this;
        }

        /**
         * Adds a header field; a name may be added several times.
         *
         * @throws IllegalArgumentException if the name or value is not allowed (a line break, say), or the
         *                                  name is one the client sets from the body
         */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("content-length") || lower.equals("transfer-encoding")) {
                throw new IllegalArgumentException(name + " is set by the client from the body");
            }
            headers.add(name, value);
            return this;
        }

        /** Sets a header field, replacing every earlier value of that name. */
        public Builder setHeader(String name, String value) {
            headers.remove(name);
            return header(name, value);
        }

        /** A body of {@code bytes} with that {@code Content-Type} ({@code null}: none). */
        public Builder body(byte[] bytes, String contentType) {
            this.body = bytes.clone();
            if (contentType != null) {
                headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
            }
            return this;
        }

        /** A body of {@code text} in UTF-8, {@code Content-Type: text/plain; charset=utf-8}. */
        public Builder body(String text) {
            return body(text.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
        }

        /** A body of {@code value} as JSON ({@link Json#write}), {@code Content-Type: application/json}. */
        public Builder json(Object value) {
            return body(Json.write(value).getBytes(StandardCharsets.UTF_8), "application/json");
        }

        /** Time limits for this request instead of the client's. */
        public Builder timeout(ClientTimeout timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Whether to follow redirects, instead of the client's setting. */
        public Builder followRedirects(boolean follow) {
            this.followRedirects = follow;
            return this;
        }

        public HttpRequest build() {
            return new HttpRequest(this);
        }
    }
}
