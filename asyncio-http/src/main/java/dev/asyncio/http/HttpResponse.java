package dev.asyncio.http;

import dev.asyncio.net.channel.LoopThreads;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;

import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The response to one request: status and headers at once, the body read on demand; mirrors aiohttp's
 * {@code ClientResponse}. It holds a pooled connection until it is closed or its body is read to the end,
 * so use it in a try-with-resources block.
 *
 * <pre>{@code
 * try (HttpResponse r = client.get("https://example.org/data.json")) {
 *     if (r.status() == 200) {
 *         Map<?, ?> data = (Map<?, ?>) r.json();         // suspends until the whole body is in
 *     }
 * }
 * try (HttpResponse r = client.get(bigFileUrl)) {
 *     for (byte[] chunk : r.chunks()) {                  // each step suspends until bytes arrive
 *         out.write(chunk);
 *     }
 * }
 * }</pre>
 *
 * <p>The body streams: the client stops reading the socket while more than its read buffer (64 KiB by
 * default) waits here unconsumed, so a slow consumer slows the server down instead of filling memory. Reading
 * the body to its end gives the connection back to the pool at once; {@link #close()} before that closes the
 * connection, unless the whole body had already arrived. A body compressed with gzip or deflate comes out
 * decompressed, piece by piece as it is read: the read buffer's limit counts its compressed bytes, and it is
 * decompressed at most a read buffer's worth at a time, so a body that inflates a thousandfold (a "zip bomb")
 * takes no more memory than any other until the application keeps what it reads. Other codings (br, zstd) are
 * handed out as they came, with their {@code Content-Encoding} header. One task at a time may read a response.
 *
 * <p>Cancellation at any read closes the connection: the body is then in an unknown state. Later reads throw
 * {@link IllegalStateException}.
 *
 * <p>A response that is neither closed nor read to its end holds its connection, and its place under the
 * client's connection limits, until the garbage collector finds it unreachable: then the connection is
 * closed and a warning "Unclosed response" naming its URL is logged (logger {@code dev.asyncio.http}), as
 * aiohttp does. That may be much later, or never; close responses.
 */
public final class HttpResponse implements AutoCloseable {
    private static final byte[] EMPTY = new byte[0];
    /** The longest array the JVM allocates: the most {@link #body()} can hold. */
    static final int MAX_BODY = Integer.MAX_VALUE - 8;

    private final HttpExchange exchange;
    private final HttpRequest request;
    private final Limits limits;
    private final int status;
    private final String reason;
    private final String version;
    private final Headers headers;
    private List<URI> history = List.of();
    private boolean released;
    private boolean consumed;
    /** Bytes handed out piece by piece ({@link #read(int)}, {@link #chunks()}), for {@link #body()}'s check. */
    private long handedOut;
    /** Body bytes (decompressed) handed out in any way, for the client's maxBodySize. */
    private long delivered;
    private byte[] cachedBody;
    /** Closes the connection if this becomes unreachable unclosed; {@code null} once released. */
    private UnclosedResponse unclosed;

    /** The longest body read whole: the client's maxBodySize. */
    private final int maxBody;
    /** The longest body read in any way: the client's maxBodySize if it set one, else no limit. */
    private final long maxStreamed;

    /** The connection this response is read from (for tests). */
    HttpConnection connection() {
        return exchange.connection();
    }

    /** The exchange this response is (for tests). */
    HttpExchange exchange() {
        return exchange;
    }

    HttpResponse(HttpExchange exchange, HttpRequest request, Limits limits,
                 io.netty.handler.codec.http.HttpResponse head, int maxBody, long maxStreamed) {
        this.exchange = exchange;
        this.maxBody = maxBody;
        this.maxStreamed = maxStreamed;
        this.request = request;
        this.limits = limits;
        this.status = head.status().code();
        this.reason = head.status().reasonPhrase();
        this.version = head.protocolVersion().text();
        this.headers = new Headers(head.headers());
        if (exchange.complete() && !exchange.bodyReceived()) {
            consumed = true;
            release();            // no body at all (HEAD, 204, 304, Content-Length: 0): nothing to wait for
        } else {
            unclosed = new UnclosedResponse(this, exchange, status, request.url());
        }
    }

    void history(List<URI> history) {
        this.history = List.copyOf(history);
    }

    /** The status code: 200, 404, ... */
    public int status() {
        return status;
    }

    /** The reason phrase the server sent: "OK", "Not Found", ... */
    public String reason() {
        return reason;
    }

    /** Whether the status is below 400; aiohttp's {@code ok}. */
    public boolean ok() {
        return status < 400;
    }

    /**
     * Returns this response if its status is below 400.
     *
     * @throws HttpStatusError otherwise (the response is closed first)
     */
    public HttpResponse raiseForStatus() {
        if (status >= 400) {
            close();
            throw new HttpStatusError(status, reason, url());
        }
        return this;
    }

    /** The protocol version of the response, "HTTP/1.1" or "HTTP/1.0". */
    public String version() {
        return version;
    }

    public Headers headers() {
        return headers;
    }

    /** The URL this response came from: the request's, or the last redirect's. */
    public URI url() {
        return request.url();
    }

    /** The request this response answers (the last one, after redirects). */
    public HttpRequest request() {
        return request;
    }

    /** The URLs that redirected here, the first request's first; empty without redirects. */
    public List<URI> history() {
        return history;
    }

    /** The media type of the body, without parameters ("text/html"), or {@code null} if none was given. */
    public String contentType() {
        String type = headers.get(HttpHeaderNames.CONTENT_TYPE.toString());
        if (type == null) {
            return null;
        }
        int semi = type.indexOf(';');
        return (semi < 0 ? type : type.substring(0, semi)).strip().toLowerCase(java.util.Locale.ROOT);
    }

    /** The charset named in {@code Content-Type}, or UTF-8 when there is none (or it is unknown here). */
    public Charset charset() {
        String type = headers.get(HttpHeaderNames.CONTENT_TYPE.toString());
        return type == null ? StandardCharsets.UTF_8 : HttpUtil.getCharset(type, StandardCharsets.UTF_8);
    }

    /**
     * The body's length from {@code Content-Length}, or -1 if the server did not say (chunked, or read until
     * the connection closes) or the body was decompressed.
     */
    public long contentLength() {
        String length = headers.get(HttpHeaderNames.CONTENT_LENGTH.toString());
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Up to {@code n} bytes of the body ({@code n = -1}: all of the rest); an empty array at its end. Suspends
     * the current task until some bytes are there, the body ends, or the exchange fails; wakes up as soon as
     * bytes arrive, and resumes reading the socket when the buffer has room again. A reader that keeps finding
     * bytes already here (a server faster than it, a highly compressed body) is suspended once every 1 MiB or
     * 256 reads so that the loop's other tasks run too. The request's total limit is checked on every read,
     * whether it waits or not. Mirrors aiohttp's {@code response.content.read(n)}.
     *
     * <p>Cancellation: the connection is closed; later reads throw {@link IllegalStateException}.
     *
     * @throws IncompleteBodyError      if the connection ended before the body did (after the bytes that came)
     * @throws ReadTimeoutError         if no byte came for the read limit
     * @throws TotalTimeoutError        if the request's total limit passed, even with bytes already here
     * @throws MalformedResponseError   if the body cannot be decoded (bad chunk, bad gzip)
     * @throws BodyTooLargeError        if the body gets longer than the client's {@code maxBodySize}, counted
     *                                  decompressed (the response is closed); with {@code n = -1}, also if the
     *                                  rest is longer than an array can hold
     * @throws IllegalStateException    if the response is closed, or another task is reading it
     * @throws IllegalArgumentException if {@code n} is 0 or below -1
     */
    public byte[] read(int n) {
        if (n == -1) {
            byte[] rest = readRest(maxBody);
            handedOut += rest.length;
            return rest;
        }
        if (n <= 0) {
            throw new IllegalArgumentException("read(n) needs n > 0, or -1 for everything, got " + n);
        }
        byte[] chunk = next(n);
        if (chunk == null) {
            return EMPTY;
        }
        handedOut += chunk.length;
        return chunk;
    }

    /**
     * The body's bytes as they arrive, one array per piece the server sent (or per piece decompressed), each
     * at most the client's read buffer (64 KiB by default); each step of the iteration suspends the current
     * task as {@link #read(int)} does, and fails as it does (a {@link TotalTimeoutError} at the request's
     * deadline, a {@link BodyTooLargeError} past the client's {@code maxBodySize}, ...). Mirrors aiohttp's
     * {@code response.content.iter_any()}.
     *
     * <p>Cancellation: as {@link #read(int)}.
     */
    public Iterable<byte[]> chunks() {
        return () -> new Iterator<>() {
            private byte[] next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    next = HttpResponse.this.next(Integer.MAX_VALUE);
                }
                return next != null;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the body has ended");
                }
                byte[] out = next;
                next = null;
                handedOut += out.length;
                return out;
            }
        };
    }

    /**
     * The whole body (what is left of it, if some was read already). Suspends the current task until the body
     * has ended, as {@link #read(int)} does for each piece; then the connection goes back to the pool. A second
     * call returns the same bytes. Mirrors aiohttp's {@code await response.read()}.
     *
     * <p>Cancellation: as {@link #read(int)}.
     *
     * @throws BodyTooLargeError    if the body is longer than the client's {@code maxBodySize} (the response
     *                               is closed)
     * @throws IllegalStateException if the body was already consumed piece by piece, or the response is closed
     */
    public byte[] body() {
        if (cachedBody != null) {
            return cachedBody.clone();
        }
        if (consumed && handedOut > 0) {
            throw new IllegalStateException("the body was already consumed with read() or chunks()");
        }
        cachedBody = readRest(maxBody);
        return cachedBody.clone();
    }

    /**
     * The rest of the body in one array, at most {@code limit} bytes. The pieces are kept as they come and
     * copied once at the end: nothing is allocated for bytes that have not arrived, whatever
     * {@code Content-Length} claims. Suspends the current task until the body has ended, as {@link #read(int)}
     * does for each piece.
     *
     * <p>Cancellation: as for {@link #read(int)}, the connection is closed.
     *
     * @throws BodyTooLargeError if the body is longer than {@code limit} (the response is closed)
     */
    byte[] readRest(int limit) {
        byte[] first = next(Integer.MAX_VALUE);
        if (first == null) {
            return EMPTY;
        }
        long total = first.length;
        byte[] more = next(Integer.MAX_VALUE);
        if (more == null && total <= limit) {
            return first;          // the common small response: one piece, no copy
        }
        List<byte[]> pieces = new ArrayList<>();
        pieces.add(first);
        while (more != null) {
            total += more.length;
            if (total > limit) {
                break;
            }
            pieces.add(more);
            more = next(Integer.MAX_VALUE);
        }
        if (total > limit) {
            BodyTooLargeError e = tooLarge(limit);
            close();
            throw e;
        }
        byte[] all = new byte[(int) total];
        int at = 0;
        for (byte[] piece : pieces) {
            System.arraycopy(piece, 0, all, at, piece.length);
            at += piece.length;
        }
        return all;
    }

    /**
     * The body as text, decoded with the charset of {@code Content-Type} (UTF-8 if it names none). Suspends as
     * {@link #body()} does. Mirrors aiohttp's {@code await response.text()}.
     *
     * <p>Cancellation: as {@link #read(int)}.
     *
     * @throws BodyTooLargeError if the body is longer than the client's {@code maxBodySize}
     */
    public String text() {
        return new String(body(), charset());
    }

    /** The body as text in {@code charset}; see {@link #text()}. */
    public String text(Charset charset) {
        return new String(body(), charset);
    }

    /**
     * The body parsed as JSON ({@link Json#parse}): a {@code Map}, {@code List}, {@code String}, {@code Number},
     * {@code Boolean} or {@code null}. Suspends as {@link #body()} does. Mirrors aiohttp's
     * {@code await response.json()}.
     *
     * <p>Cancellation: as {@link #read(int)}.
     *
     * @throws JsonDecodeError   if the body is not JSON
     * @throws BodyTooLargeError if the body is longer than the client's {@code maxBodySize}
     */
    public Object json() {
        return Json.parse(text());
    }

    /** The next piece of the body, at most {@code max} bytes, or {@code null} at its end; counted for maxBodySize. */
    private byte[] next(int max) {
        byte[] chunk = pull(max);
        if (chunk == null) {
            return null;
        }
        delivered += chunk.length;
        if (delivered > maxStreamed) {
            BodyTooLargeError e = tooLarge(maxStreamed);
            close();
            throw e;
        }
        return chunk;
    }

    /** The next piece of the body, at most {@code max} bytes, or {@code null} at its end. */
    private byte[] pull(int max) {
        if (consumed) {
            return null;
        }
        if (released) {
            throw new IllegalStateException("the response is closed; read its body before closing it");
        }
        byte[] chunk = exchange.read(max, limits);
        if (chunk == null) {
            consumed = true;
            release();
        }
        return chunk;
    }

    private BodyTooLargeError tooLarge(long limit) {
        return new BodyTooLargeError(request + ": the body is longer than " + limit + " bytes, "
                + (limit == MAX_BODY ? "more than an array can hold; read it piece by piece with chunks()"
                : "the client's maxBodySize" + (exchange.decompressing() ? " (counted decompressed)" : "")), limit);
    }

    /** Whether the body was read to its end (or there was none). */
    public boolean consumed() {
        return consumed;
    }

    /**
     * Ends the response: the connection goes back to the pool if the whole body arrived and the server keeps
     * connections alive, and is closed otherwise (unread bytes still to come cannot be skipped cheaply).
     * Never suspends; idempotent. A task waiting in {@link #read(int)} (or {@link #body()}, ...) meanwhile fails
     * with an {@link IllegalStateException}.
     *
     * @throws IllegalStateException if called from a thread other than the loop's while the loop runs (nothing
     *                               is closed then)
     */
    @Override
    public void close() {
        LoopThreads.check(exchange.loop(), "HttpResponse.close()");
        release();
    }

    /** Whether {@link #close()} was called or the body was read to its end. */
    public boolean isClosed() {
        return released;
    }

    private void release() {
        if (!released) {
            released = true;
            if (unclosed != null) {
                unclosed.settle();
                unclosed = null;
            }
            exchange.finish();
        }
    }

    /**
     * For a redirect: reads and drops a small body so that the connection can serve the next request, or
     * closes the connection if the body is large. Suspends the current task until the small body has been read.
     *
     * <p>Cancellation: the connection is closed, as for any read.
     */
    void discard(int upTo) {
        if (released) {
            return;
        }
        long length = contentLength();
        if (length > upTo) {
            close();
            return;
        }
        long total = 0;
        while (total <= upTo) {
            byte[] chunk = pull(Integer.MAX_VALUE);     // not the application's body: maxBodySize does not apply
            if (chunk == null) {
                return;
            }
            total += chunk.length;
        }
        close();
    }

    @Override
    public String toString() {
        return "<HttpResponse " + status + " " + reason + " " + url() + ">";
    }
}
