package dev.asyncio.http;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.net.ConnectionError;
import dev.asyncio.net.ConnectionRefusedError;
import dev.asyncio.net.NameResolutionError;
import dev.asyncio.net.Resolver;
import dev.asyncio.net.SslError;
import dev.asyncio.net.channel.LoopThreads;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An HTTP/1.1 client with a pool of keep-alive connections per origin, on the running loop; mirrors
 * aiohttp's {@code ClientSession}. Requests are suspending calls, so many of them run at once in as many
 * tasks, on the loop's one thread.
 *
 * <pre>{@code
 * try (HttpClient client = HttpClient.create()) {               // belongs to the running loop
 *     try (HttpResponse r = client.get("https://example.org/")) { // suspends until the head arrives
 *         System.out.println(r.status() + " " + r.text());        // suspends until the body is in
 *     }
 * }
 * }</pre>
 *
 * <p>Connections: one pool per client, keyed by origin (scheme, host, port), with a limit per origin and in
 * total ({@link Builder#maxConnectionsPerHost}, {@link Builder#maxConnections}); a request that finds no idle
 * connection and no room waits, first come first served. A connection goes back to the pool only once its
 * response was read to the end and both sides allow keep-alive; any failure, time-out, cancellation or
 * unread body closes it. A request that is safe to repeat and fails on a reused connection before any byte
 * of a response arrived (the server had closed it while idle) is sent again once on a new connection. A
 * new connection to a host with several addresses races them as RFC 8305 ("Happy Eyeballs") says: the next
 * address is tried when the one before failed or has not connected within 250 ms, address families taking
 * turns; the first to connect wins and the others are closed, all within the connect limit.
 *
 * <p>Each request follows redirects (at most 10 by default; a POST redirected with 301 or 302, and anything
 * but a HEAD redirected with 303, becomes a GET without body; otherwise method and body are kept;
 * {@code Authorization} and {@code Cookie} are not sent to another origin; a redirect from https to http is
 * followed too, as aiohttp, browsers and OkHttp by default do: turn redirects off with
 * {@link Builder#followRedirects} where that matters), asks for and decompresses gzip and deflate bodies, and
 * keeps to its {@link ClientTimeout}. TLS checks the
 * server's certificate against the JDK's trusted authorities and its host name, unless told otherwise with
 * {@link Builder#ssl}.
 *
 * <p>Failures are unchecked exceptions named for what happened: {@link InvalidUrlError},
 * {@link NameResolutionError}, {@link ConnectionRefusedError} and other {@link ConnectionError}s,
 * {@link SslError}, {@link ConnectTimeoutError}, {@link ReadTimeoutError}, {@link TotalTimeoutError},
 * {@link ServerDisconnectedError}, {@link IncompleteBodyError}, {@link MalformedResponseError},
 * {@link HeadersTooLargeError}, {@link TooManyRedirectsError}. A status of 404 or 500 is not a failure:
 * see {@link HttpResponse#raiseForStatus()}.
 *
 * <p>A client belongs to the loop it was created on and is used from its tasks only. Close it when done:
 * that closes every connection, including those of responses still being read.
 */
public final class HttpClient implements AutoCloseable {
    /** How much of a redirect's body is read to keep its connection; a larger one closes it. */
    private static final int REDIRECT_BODY_TO_DRAIN = 64 * 1024;

    private final AsyncLoop loop;
    private final ConnectionPool pool;
    private final Connector connector;
    private final ClientTimeout timeout;
    private final boolean followRedirects;
    private final int maxRedirects;
    private final int maxBodySize;
    /** The longest body read piece by piece: maxBodySize if one was set, no limit otherwise. */
    private final long maxStreamedBody;
    private final String userAgent;
    private boolean closed;

    private HttpClient(Builder b) {
        this.loop = Asyncio.getRunningLoop();
        this.pool = new ConnectionPool(loop, b.maxConnections, b.maxConnectionsPerHost, b.idleTimeout);
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(b.maxInitialLineLength)
                .setMaxHeaderSize(b.maxHeaderSize)
                .setMaxChunkSize(b.readBufferSize);
        this.connector = new Connector(loop, b.resolver, b.ssl, decoder, b.readBufferSize);
        this.timeout = b.timeout;
        this.followRedirects = b.followRedirects;
        this.maxRedirects = b.maxRedirects;
        this.maxBodySize = b.maxBodySize;
        this.maxStreamedBody = b.maxBodySizeSet ? b.maxBodySize : Long.MAX_VALUE;
        this.userAgent = b.userAgent;
    }

    /**
     * A client with the default settings, on the running loop.
     *
     * @throws IllegalStateException if no loop is running on this thread
     */
    public static HttpClient create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- requests

    /**
     * Sends a GET request to {@code url}. Suspends the current task until the response head arrives (or the
     * request fails), as {@link #request(HttpRequest)} does; mirrors aiohttp's {@code session.get(url)}.
     *
     * <p>Cancellation: as {@link #request(HttpRequest)}: nothing is left behind.
     *
     * @throws InvalidUrlError if {@code url} is not an absolute http or https URL
     */
    public HttpResponse get(String url) {
        return request(HttpRequest.get(url));
    }

    /**
     * Sends a POST request with {@code body} of type {@code contentType} ({@code null}: none). Suspends the
     * current task until the response head arrives, as {@link #request(HttpRequest)} does; mirrors aiohttp's
     * {@code session.post(url, data=body)}. A POST is never sent twice.
     *
     * <p>Cancellation: as {@link #request(HttpRequest)}.
     */
    public HttpResponse post(String url, byte[] body, String contentType) {
        return request(HttpRequest.builder(url).method("POST").body(body, contentType).build());
    }

    /**
     * Sends a request with {@code method} and no body. Suspends the current task until the response head
     * arrives, as {@link #request(HttpRequest)} does.
     *
     * <p>Cancellation: as {@link #request(HttpRequest)}.
     */
    public HttpResponse request(String method, String url) {
        return request(HttpRequest.builder(url).method(method).build());
    }

    /**
     * Sends {@code request} and returns the response as soon as its status line and headers have arrived;
     * the body is read from the response. Suspends the current task until then: while it waits for a pooled
     * connection (or room for a new one), while the connection is made, and until the response head arrives,
     * redirects included. Mirrors aiohttp's {@code session.request(...)}.
     *
     * <p>Cancellation: the {@link CancelledError} is thrown here; a connection being made or carrying the
     * request is closed, a place in the pool's queue is given up, and nothing is left behind.
     *
     * @throws InvalidUrlError         if the URL (or a redirect's) cannot be fetched
     * @throws NameResolutionError     if the host name is unknown
     * @throws ConnectionError         if the connection was refused or broke ({@link ConnectionRefusedError},
     *                                 {@link ServerDisconnectedError}, ...)
     * @throws SslError                if the TLS handshake failed (untrusted certificate, wrong host name)
     * @throws HttpTimeoutError        if a time limit ran out
     * @throws MalformedResponseError  if the server did not answer with HTTP/1.x (1.1 or 1.0)
     * @throws TooManyRedirectsError   if redirects went on longer than the limit
     * @throws IllegalStateException   if the client is closed, or used from another loop
     */
    public HttpResponse request(HttpRequest request) {
        Objects.requireNonNull(request, "request");
        checkUsable();
        ClientTimeout t = request.timeout() != null ? request.timeout() : timeout;
        Limits limits = Limits.startingAt(loop.time(), t);
        boolean follow = request.followRedirects() != null ? request.followRedirects() : followRedirects;
        List<URI> history = new ArrayList<>();
        HttpRequest current = request;
        while (true) {
            HttpResponse r = exchange(current, limits);
            String location = r.headers().get("Location");
            // An empty Location is no redirect, as in aiohttp (RFC 3986 would make it the same URL again).
            if (!follow || location == null || location.isBlank() || !isRedirect(r.status())) {
                r.history(history);
                return r;
            }
            history.add(current.url());
            URI next;
            try {
                next = redirectTarget(current.url(), location);
                if (history.size() > maxRedirects) {
                    List<URI> visited = new ArrayList<>(history);
                    visited.add(next);
                    throw new TooManyRedirectsError(request + ": more than " + maxRedirects + " redirects (the last to "
                            + next + ")", visited);
                }
                r.discard(REDIRECT_BODY_TO_DRAIN);
            } finally {
                r.close();
            }
            current = redirected(current, r.status(), next);
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /**
     * Where a redirect from {@code from} goes: {@code location} resolved as RFC 3986 says, after
     * percent-encoding what the server should have encoded (spaces, letters beyond ASCII), as browsers do.
     */
    private static URI redirectTarget(URI from, String location) {
        URI target;
        try {
            target = Urls.resolve(from, new URI(Urls.encodeLeniently(location.strip())));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new InvalidUrlError(location, "bad Location in a redirect from " + from, e);
        }
        try {
            Origin.of(target);
        } catch (InvalidUrlError e) {
            throw new InvalidUrlError(location, "cannot follow the redirect from " + from + ": " + e.getMessage(), e);
        }
        return target;
    }

    /** The request to send after a redirect with {@code status} to {@code to}. */
    private static HttpRequest redirected(HttpRequest from, int status, URI to) {
        HttpHeaders headers = from.nettyHeaders().copy();
        String method = from.method();
        byte[] body = from.bodyBytes();
        // RFC 9110 15.4.2-4, as aiohttp and the Fetch standard: 303 means "GET the answer there" (a HEAD stays a
        // HEAD); 301 and 302 were meant to keep the method, and only browsers' habit of turning a POST into a GET
        // is kept. A DELETE or PUT redirected with 302 stays a DELETE or PUT.
        boolean toGet = status == 303 ? !method.equals("HEAD") : (status == 301 || status == 302) && method.equals("POST");
        if (toGet) {
            method = "GET";
            body = HttpRequest.NO_BODY;
            headers.remove(HttpHeaderNames.CONTENT_TYPE);
        }
        if (!from.origin().equals(Origin.of(to))) {
            // Credentials meant for one origin are not handed to another it sends us to.
            headers.remove(HttpHeaderNames.AUTHORIZATION);
            headers.remove(HttpHeaderNames.COOKIE);
            headers.remove(HttpHeaderNames.PROXY_AUTHORIZATION);
            headers.remove(HttpHeaderNames.HOST);
        }
        return new HttpRequest(method, to, headers, body, from.timeout(), from.followRedirects());
    }

    /** One request and its response head, on a pooled or new connection; retried once if the pool's connection was dead. */
    private HttpResponse exchange(HttpRequest request, Limits limits) {
        Origin origin = request.origin();
        Object what = request;            // its toString() is only needed for an error message
        boolean fresh = false;
        boolean keepAlive = !HttpHeaderValues.CLOSE.contentEqualsIgnoreCase(
                String.valueOf(request.nettyHeaders().get(HttpHeaderNames.CONNECTION)));
        while (true) {
            // Built before a connection is taken: if building fails, there is no connection to give back.
            FullHttpRequest message = nettyRequest(request, origin);
            HttpConnection c;
            try {
                c = connection(origin, !fresh, limits, what);
            } catch (Throwable t) {
                message.release();
                throw t;
            }
            boolean reused = c.exchanges() > 0;
            HttpExchange x = c.send(message, what, keepAlive);
            io.netty.handler.codec.http.HttpResponse head;
            try {
                head = x.awaitHead(limits);
            } catch (ConnectionError e) {
                x.finish();
                if (reused && !fresh && request.idempotent() && x.nothingReceived() && !(e instanceof SslError)) {
                    fresh = true;     // the server closed the idle connection as we picked it: not a real failure
                    continue;
                }
                throw e;
            } catch (RuntimeException | Error e) {
                x.finish();
                throw e;
            }
            return new HttpResponse(x, request, limits, head, maxBodySize, maxStreamedBody);
        }
    }

    private HttpConnection connection(Origin origin, boolean allowIdle, Limits limits, Object what) {
        HttpConnection c = pool.acquire(origin, allowIdle, limits, what);
        if (c != null) {
            return c;
        }
        try {
            c = connector.connect(pool, origin, limits, what);
        } catch (Throwable t) {
            pool.releaseRoom(origin);
            throw t;
        }
        pool.adopt(c);
        return c;
    }

    private FullHttpRequest nettyRequest(HttpRequest request, Origin origin) {
        String target = Urls.requestTarget(request.url());
        HttpHeaders headers = new DefaultHttpHeaders();
        HttpHeaders given = request.nettyHeaders();
        if (!given.contains(HttpHeaderNames.HOST)) {
            headers.set(HttpHeaderNames.HOST, origin.hostHeader());
        }
        headers.add(given);
        if (!given.contains(HttpHeaderNames.USER_AGENT) && userAgent != null) {
            headers.set(HttpHeaderNames.USER_AGENT, userAgent);
        }
        if (!given.contains(HttpHeaderNames.ACCEPT_ENCODING)) {
            headers.set(HttpHeaderNames.ACCEPT_ENCODING, "gzip, deflate");
        }
        byte[] body = request.bodyBytes();
        String method = request.method();
        if (body.length > 0 || method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
            headers.set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), target,
                body.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body), headers, EmptyHttpHeaders.INSTANCE);
    }

    private void checkUsable() {
        if (closed) {
            throw new IllegalStateException("the HttpClient is closed");
        }
        AsyncLoop running = Asyncio.getRunningLoop();
        if (running != loop) {
            throw new IllegalStateException("this HttpClient belongs to another loop: " + loop);
        }
    }

    // ---------------------------------------------------------------- state

    /** The loop this client belongs to. */
    public AsyncLoop loop() {
        return loop;
    }

    /** Connections open now (connecting, carrying a request, or idle in the pool). */
    public int openConnections() {
        return pool.openConnections();
    }

    /** Connections open now to the origin of {@code url}. */
    public int openConnections(String url) {
        return pool.openConnections(Origin.of(HttpRequest.parseUrl(url)));
    }

    /** Idle keep-alive connections in the pool now. */
    public int idleConnections() {
        return pool.idleConnections();
    }

    /** Requests waiting for a connection now. */
    public int waitingRequests() {
        return pool.waiting();
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes every connection, idle or busy: a response still being read fails with an
     * {@link IllegalStateException}, and so does a request waiting for a connection or for one being made (the
     * name lookup is cancelled, the half-made connection closed). Never suspends; idempotent.
     * Mirrors aiohttp's {@code session.close()}.
     *
     * @throws IllegalStateException if called from a thread other than the loop's while the loop runs (nothing
     *                               is closed then); use {@code client.loop().callSoonThreadsafe(client::close)}
     */
    @Override
    public void close() {
        LoopThreads.check(loop, "HttpClient.close()");
        if (closed) {
            return;
        }
        closed = true;
        IllegalStateException why = new IllegalStateException("the HttpClient was closed");
        pool.close(why);
        connector.close(why);
    }

    @Override
    public String toString() {
        return "<HttpClient " + (closed ? "closed" : "open") + " connections=" + pool.openConnections()
                + " idle=" + pool.idleConnections() + " waiting=" + pool.waiting() + ">";
    }

    /** Configures an {@link HttpClient}; every setting is optional. */
    public static final class Builder {
        private int maxConnections = 100;
        private int maxConnectionsPerHost = Integer.MAX_VALUE;
        private double idleTimeout = 15;
        private ClientTimeout timeout = ClientTimeout.DEFAULT;
        private boolean followRedirects = true;
        private int maxRedirects = 10;
        private SslContext ssl;
        private Resolver resolver = Resolver.system();
        private int maxInitialLineLength = 8 * 1024;
        private int maxHeaderSize = 64 * 1024;
        private int readBufferSize = 64 * 1024;
        private int maxBodySize = HttpResponse.MAX_BODY;
        private boolean maxBodySizeSet;
        private String userAgent = "asyncio-java/0.1";

        private Builder() {
        }

        /** At most this many connections open at once, over all origins (100 by default, as aiohttp). */
        public Builder maxConnections(int n) {
            this.maxConnections = positive("maxConnections", n);
            return this;
        }

        /** At most this many connections open at once to one origin (by default only the total limit applies). */
        public Builder maxConnectionsPerHost(int n) {
            this.maxConnectionsPerHost = positive("maxConnectionsPerHost", n);
            return this;
        }

        /** Seconds an idle keep-alive connection is kept (15 by default, as aiohttp); infinity keeps it. */
        public Builder idleTimeout(double seconds) {
            if (!(seconds > 0)) {
                throw new IllegalArgumentException("idleTimeout must be > 0 seconds, got " + seconds);
            }
            this.idleTimeout = seconds;
            return this;
        }

        /** The time limits of requests that do not set their own ({@link ClientTimeout#DEFAULT} by default). */
        public Builder timeout(ClientTimeout timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Whether requests follow redirects (yes by default). */
        public Builder followRedirects(boolean follow) {
            this.followRedirects = follow;
            return this;
        }

        /** How many redirects one request may follow before {@link TooManyRedirectsError} (10 by default). */
        public Builder maxRedirects(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("maxRedirects must be >= 0, got " + n);
            }
            this.maxRedirects = n;
            return this;
        }

        /**
         * The TLS context for https, a client one; by default one trusting the JDK's authorities. The server's
         * certificate is always checked against the host name, whatever the context says.
         */
        public Builder ssl(SslContext context) {
            if (context != null && context.isServer()) {
                throw new IllegalArgumentException("an HTTP client needs a client SslContext, got a server one");
            }
            this.ssl = context;
            return this;
        }

        /** How host names are resolved: {@link Resolver#system()} (default) or a {@code DnsResolver}. */
        public Builder resolver(Resolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /** The longest status line accepted (8 KiB by default); longer is a {@link HeadersTooLargeError}. */
        public Builder maxInitialLineLength(int bytes) {
            this.maxInitialLineLength = positive("maxInitialLineLength", bytes);
            return this;
        }

        /** The largest header block accepted (64 KiB by default); larger is a {@link HeadersTooLargeError}. */
        public Builder maxHeaderSize(int bytes) {
            this.maxHeaderSize = positive("maxHeaderSize", bytes);
            return this;
        }

        /**
         * How many body bytes may wait unconsumed in a response before the client stops reading the socket
         * (64 KiB by default); also the largest piece {@link HttpResponse#chunks()} hands out. A compressed body
         * counts its compressed bytes, and is decompressed at most this many bytes at a time, as it is read.
         */
        public Builder readBufferSize(int bytes) {
            this.readBufferSize = positive("readBufferSize", bytes);
            return this;
        }

        /**
         * The longest response body, counted decompressed, whether it is gathered into one array
         * ({@link HttpResponse#body()}, {@code text()}, {@code json()}, {@code read(-1)}) or read piece by piece
         * ({@code read(n)}, {@code chunks()}); a longer one is a {@link BodyTooLargeError}, raised by the read
         * that would go past the limit (so no more than this is ever held, and a small gzip body that inflates
         * to gigabytes is stopped after this many bytes). Not set, a body gathered into one array may be as
         * long as an array (2 GiB), and one read piece by piece has no limit.
         */
        public Builder maxBodySize(int bytes) {
            this.maxBodySize = positive("maxBodySize", bytes);
            this.maxBodySizeSet = true;
            return this;
        }

        /** The {@code User-Agent} sent unless a request has its own; {@code null} sends none. */
        public Builder userAgent(String userAgent) {
            this.userAgent = userAgent;
            return this;
        }

        private static int positive(String name, int n) {
            if (n <= 0) {
                throw new IllegalArgumentException(name + " must be > 0, got " + n);
            }
            return n;
        }

        /**
         * A client on the running loop.
         *
         * @throws IllegalStateException if no loop is running on this thread
         */
        public HttpClient build() {
            return new HttpClient(this);
        }
    }
}
