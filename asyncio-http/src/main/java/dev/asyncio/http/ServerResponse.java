package dev.asyncio.http;

import dev.asyncio.Asyncio;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedFile;
import io.netty.util.AsciiString;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The response to a {@link ServerRequest}: a status, header fields and a body sent whole or streamed; mirrors
 * Go's {@code http.ResponseWriter} and aiohttp.web's {@code StreamResponse}.
 *
 * <pre>{@code
 * response.send(200, "hello");                              // whole: Content-Length
 * response.json(201, Map.of("id", 7));
 * response.status(200).header("Content-Type", "text/plain");
 * for (String line : lines) {                               // streamed: chunked
 *     response.write(line + "\n");
 *     response.drain();
 * }
 * response.end();
 * }</pre>
 *
 * <p>The head goes out with the first write (or {@link #end()}): the status and headers cannot change after
 * that. A body whose length is not known is sent chunked (to an HTTP/1.0 client: until the connection
 * closes). The server adds {@code Date} and {@code Server}, answers {@code HEAD} without the body, and
 * gzips the body when the client accepts it and the server was built with compression (never files or
 * server-sent events). A header value with CR or LF is refused ({@link IllegalArgumentException}) before
 * anything is written: no header can be injected. Belongs to the loop's thread.
 */
public final class ServerResponse {
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("json", "application/json"), Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"), Map.entry("ico", "image/x-icon"),
            Map.entry("wasm", "application/wasm"), Map.entry("xml", "application/xml"), Map.entry("pdf", "application/pdf"));

    private final ServerConnection connection;
    private final ServerConnection.Exchange exchange;
    private final HttpRequest request;
    private final boolean head;
    private int status = 200;
    /**
     * Response headers without Netty's own name and value validation: every name and value a caller gives is
     * checked once, by {@link #header} and {@link #addHeader} (stricter than Netty's), and the server's own are
     * constants or numbers; validating them again cost a few percent of a small response's CPU.
     */
    private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain; charset=utf-8");
    private static final DefaultHttpHeadersFactory CHECKED = DefaultHttpHeadersFactory.headersFactory().withValidation(false);

    private HttpHeaders headers = CHECKED.newHeaders();
    private boolean headSent;
    private boolean finished;
    private boolean chunked;
    /** The length the head announced, or -1. */
    private long announced = -1;
    private long written;
    private boolean closeAfter;

    ServerResponse(ServerConnection connection, ServerConnection.Exchange exchange, HttpRequest request) {
        this.connection = connection;
        this.exchange = exchange;
        this.request = request;
        this.head = request.method().equals(HttpMethod.HEAD);
    }

    /**
     * Sets the status (200 unless set).
     *
     * @throws IllegalStateException if the head was sent
     * @throws IllegalArgumentException if {@code code} is not 100 to 999
     */
    public ServerResponse status(int code) {
        checkHeadNotSent();
        if (code < 100 || code > 999) {
            throw new IllegalArgumentException("not an HTTP status: " + code);
        }
        this.status = code;
        return this;
    }

    /** The status set so far (or sent). */
    public int status() {
        return status;
    }

    /**
     * Sets header {@code name} to {@code value}, replacing its values.
     *
     * @throws IllegalArgumentException if the name is not a token or the value holds CR, LF or NUL (header injection)
     * @throws IllegalStateException    if the head was sent
     */
    public ServerResponse header(String name, String value) {
        checkHeadNotSent();
        headers.set(checkName(name), checkValue(name, value));
        return this;
    }

    /** Adds a value to header {@code name}; otherwise as {@link #header}. */
    public ServerResponse addHeader(String name, String value) {
        checkHeadNotSent();
        headers.add(checkName(name), checkValue(name, value));
        return this;
    }

    /** The first value of response header {@code name} set so far, or {@code null}. */
    public String header(String name) {
        return headers.get(name);
    }

    /** The characters of a token (RFC 9110 5.6.2), by code: a header name holds only these. */
    private static final boolean[] TOKEN = new boolean[128];

    static {
        for (char c = '!'; c < 127; c++) {
            TOKEN[c] = "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
        }
    }

    private static String checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a header name cannot be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 128 || !TOKEN[c]) {
                throw new IllegalArgumentException("header name " + quote(name) + " holds a character not allowed in a token");
            }
        }
        return name;
    }

    private static String checkValue(String name, String value) {
        if (value == null) {
            throw new IllegalArgumentException("header " + name + " has no value");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= '\r' && (c == '\r' || c == '\n' || c == 0)) {
                throw new IllegalArgumentException("the value of header " + name + " holds CR, LF or NUL, which would "
                        + "inject header lines: " + quote(value));
            }
        }
        return value;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0") + "\"";
    }

    /** Whether the head was sent (status and headers are then fixed). */
    public boolean headSent() {
        return headSent;
    }

    /** Whether the response is complete. */
    public boolean finished() {
        return finished;
    }

    /**
     * Sends the response: {@code status} with {@code text} as a UTF-8 {@code text/plain} body (unless a
     * {@code Content-Type} was set). Does not suspend; see {@link #drain()} for a large body.
     *
     * @throws IllegalStateException if the head was sent
     */
    public void send(int status, String text) {
        if (headers.get(HttpHeaderNames.CONTENT_TYPE) == null) {
            checkHeadNotSent();
            headers.set(HttpHeaderNames.CONTENT_TYPE, TEXT_PLAIN);     // a constant: nothing to check
        }
        send(status, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends the response: {@code status} with {@code body}, its length in {@code Content-Length}.
     *
     * @throws IllegalStateException if the head was sent
     */
    public void send(int status, byte[] body) {
        status(status);
        checkOpen();
        DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                head || bodyless() ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body), headers, CHECKED.newEmptyHeaders());
        if (!bodyless()) {
            HttpUtil.setContentLength(r, body.length);
        }
        finished = true;
        writeHead(r, false);
        connection.flushLast();
    }

    /**
     * Sends {@code value} as JSON ({@link Json#write}) with {@code status}, as {@code application/json}.
     *
     * @throws IllegalStateException if the head was sent
     */
    public void json(int status, Object value) {
        checkHeadNotSent();
        headers.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        send(status, Json.write(value).getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code text} in UTF-8; otherwise as {@link #write(byte[])}. */
    public void write(String text) {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes body bytes, sending the head first if it was not sent: with the {@code Content-Length} header
     * set, the body is that long; without it, chunked. Does not suspend: the bytes are queued and flushed;
     * call {@link #drain()} to wait while too many are queued. A {@code HEAD} request's body is dropped.
     *
     * @throws IllegalStateException if the response was finished, or more bytes than its {@code Content-Length}
     * @throws dev.asyncio.net.ConnectionResetError if the client has gone
     */
    public void write(byte[] data) {
        checkOpen();
        if (!headSent) {
            startStreaming(false);
        }
        if (head || data.length == 0) {
            return;
        }
        if (announced >= 0 && written + data.length > announced) {
            throw new IllegalStateException("writing " + data.length + " more bytes exceeds the Content-Length of "
                    + announced + " (" + written + " written)");
        }
        written += data.length;
        out(new DefaultHttpContent(Unpooled.wrappedBuffer(data)));
    }

    /**
     * Suspends the current task while the connection's outbound buffer is over its high-water mark, until it
     * drains (the client reads); returns at once otherwise. Mirrors {@code StreamWriter.drain}.
     *
     * <p>Cancellation: what was written stays queued and is still sent.
     *
     * @throws dev.asyncio.net.ConnectionResetError if the client has gone
     */
    public void drain() {
        connection.drain();
    }

    /**
     * Sends one server-sent event ({@code text/event-stream}): {@code event} names it ({@code null} for the
     * default {@code message}), each line of {@code data} becomes a {@code data:} line. The first one sends the
     * head. Does not suspend; see {@link #drain()}.
     *
     * @throws IllegalArgumentException if {@code event} holds CR or LF
     */
    public void sendEvent(String event, String data) {
        checkOpen();
        if (!headSent) {
            if (headers.get(HttpHeaderNames.CONTENT_TYPE) == null) {
                header("Content-Type", "text/event-stream; charset=utf-8");
            }
            header("Cache-Control", "no-cache");
            startStreaming(true);
        }
        StringBuilder sb = new StringBuilder();
        if (event != null) {
            sb.append("event: ").append(checkValue("event", event)).append('\n');
        }
        for (String line : data.split("\r\n|\r|\n", -1)) {
            sb.append("data: ").append(line).append('\n');
        }
        write(sb.append('\n').toString());
    }

    /**
     * Finishes the response: sends the head if it was not sent (an empty body), and the end of a chunked body.
     * Idempotent. Does not suspend.
     *
     * @throws IllegalStateException if fewer bytes than the {@code Content-Length} were written (the connection
     *                               is then closed: the client would wait for the rest)
     */
    public void end() {
        if (finished) {
            return;
        }
        if (!headSent) {
            send(status, new byte[0]);
            return;
        }
        finished = true;
        out(LastHttpContent.EMPTY_LAST_CONTENT);
        connection.flushLast();
        if (!head && announced >= 0 && written < announced) {
            abort();
            throw new IllegalStateException("the response ended after " + written + " of its " + announced + " bytes");
        }
    }

    /**
     * Sends a file as the whole response, honouring the request's {@code Range} (one range: 206, or 416 when
     * it is past the end) and {@code If-Modified-Since} (304). On a plain connection the file goes from the
     * page cache to the socket ({@code sendfile}, Netty's {@code FileRegion}); over TLS it is read in chunks.
     * It is never compressed. Suspends the current task while the file's attributes are read and the file is
     * opened on another thread ({@link dev.asyncio.Asyncio#toThread}: a slow disk or network file system
     * never stalls the loop); nothing is written before that is done.
     *
     * <p>Cancellation: nothing is sent; a file opened meanwhile is closed.
     *
     * @throws ErrorResponse 404 if it is not a readable regular file (or cannot be opened)
     * @throws IllegalStateException if the head was sent
     */
    public void sendFile(Path file) throws IOException {
        checkHeadNotSent();
        sendFile(findFile(() -> file));
    }

    /** A file to send: its path, its attributes and (unless the request is a HEAD) the file opened. */
    record FileToSend(Path file, BasicFileAttributes attrs, RandomAccessFile opened) {
    }

    /** What a task that gave up leaves for the thread opening its file (which then closes it). */
    private static final Object GAVE_UP = new Object();

    /**
     * Looks up the file {@code find} names on another thread, and there also opens it (unless the request is a
     * HEAD), so that nothing is written before the file is known to open and no open blocks the loop;
     * {@code null} if it is not a readable regular file. Suspends the current task meanwhile.
     *
     * <p>Cancellation: nothing is sent; the file, if the other thread opens it before or after, is closed.
     */
    FileToSend findFile(Callable<Path> find) {
        checkHeadNotSent();
        boolean open = !head;
        AtomicReference<Object> handOver = new AtomicReference<>();
        try {
            return Asyncio.toThread(() -> {
                Path file = find.call();
                BasicFileAttributes attrs = file == null ? null : fileAttributes(file);
                if (attrs == null) {
                    return null;
                }
                if (!open) {
                    return new FileToSend(file, attrs, null);
                }
                RandomAccessFile raf;
                try {
                    raf = new RandomAccessFile(file.toFile(), "r");
                } catch (FileNotFoundException e) {
                    return null;         // gone or unreadable since its attributes were read: 404
                }
                if (!handOver.compareAndSet(null, raf)) {
                    raf.close();         // the task was cancelled meanwhile: nobody will send it
                    return null;
                }
                return new FileToSend(file, attrs, raf);
            });
        } catch (Throwable t) {
            if (handOver.getAndSet(GAVE_UP) instanceof RandomAccessFile raf) {
                closeQuietly(raf);
            }
            throw t;
        }
    }

    private static void closeQuietly(RandomAccessFile raf) {
        try {
            raf.close();
        } catch (IOException ignored) {
            // nothing was read from it; nothing to report
        }
    }

    /**
     * {@code file}'s attributes if it is a readable regular file, else {@code null}. Blocks: called on another
     * thread than the loop's.
     */
    static BasicFileAttributes fileAttributes(Path file) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        }
        return attrs.isRegularFile() && Files.isReadable(file) ? attrs : null;
    }

    /** {@link #sendFile(Path)} with the file found already ({@code null}: 404); closes what it opened on every path. */
    void sendFile(FileToSend found) throws IOException {
        if (found == null) {
            throw new ErrorResponse(404, "Not Found");
        }
        RandomAccessFile raf = found.opened();
        try {
            if (sendFile(found.file(), found.attrs(), raf)) {
                raf = null;      // handed to Netty with the body, which closes it when written or dropped
            }
        } finally {
            if (raf != null) {
                closeQuietly(raf);
            }
        }
    }

    /**
     * Sends {@code file}; {@code raf} (unless a HEAD) is the file opened. Whether {@code raf} was handed over
     * with the body (no body: a 304, a 416, a HEAD, leaves it to the caller).
     */
    private boolean sendFile(Path file, BasicFileAttributes attrs, RandomAccessFile raf) throws IOException {
        checkHeadNotSent();
        long size = attrs.size();
        long modified = attrs.lastModifiedTime().toMillis() / 1000 * 1000;
        String lastModified = DateFormatter.format(new Date(modified));
        header("Last-Modified", lastModified);
        header("Accept-Ranges", "bytes");
        if (headers.get(HttpHeaderNames.CONTENT_TYPE) == null) {
            header("Content-Type", contentType(file));
        }
        String ims = request.headers().get(HttpHeaderNames.IF_MODIFIED_SINCE);
        Date since = ims == null ? null : DateFormatter.parseHttpDate(ims);
        if (since != null && modified <= since.getTime()) {
            headers.remove(HttpHeaderNames.CONTENT_TYPE);
            // The length the 200 would have had (RFC 9110 15.4.5); keepAlive() also counts it as a known length,
            // so the connection stays open.
            headers.set(HttpHeaderNames.CONTENT_LENGTH, size);
            send(304, new byte[0]);
            return false;
        }
        long from = 0;
        long length = size;
        String range = request.headers().get(HttpHeaderNames.RANGE);
        String ifRange = request.headers().get(HttpHeaderNames.IF_RANGE);
        if (range != null && (ifRange == null || ifRange.equals(lastModified))) {
            long[] r = parseRange(range, size);
            if (r == null) {
                header("Content-Range", "bytes */" + size);
                send(416, "Range Not Satisfiable");
                return false;
            }
            if (r.length == 2) {
                from = r[0];
                length = r[1] - r[0] + 1;
                status(206);
                header("Content-Range", "bytes " + r[0] + "-" + r[1] + "/" + size);
            }
        }
        checkOpen();
        DefaultHttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), headers);
        HttpUtil.setContentLength(r, length);
        // sendfile cannot go through TLS: there the bytes are read, encrypted and written in chunks (Netty reads
        // them on the loop's thread as the socket drains). Either way the file was opened off it, by findFile.
        boolean tls = connection.channel().pipeline().get(SslHandler.class) != null;
        Object body = head ? null : tls ? new HttpChunkedInput(new ChunkedFile(raf, from, length, 16 * 1024))
                : new DefaultFileRegion(raf.getChannel(), from, length);      // closes the file when released
        announced = length;
        written = length;
        finished = true;
        writeHead(r, true);
        if (body == null) {
            out(LastHttpContent.EMPTY_LAST_CONTENT);
        } else if (tls) {
            connection.chunkedWriter();
            out(body);
        } else {
            out(body);
            out(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        connection.flushLast();
        return body != null;
    }

    /**
     * The one range of a {@code Range: bytes=...} header: {@code {first, last}}; an empty array to ignore the
     * header (not bytes, several ranges, malformed: the whole file is sent, as RFC 9110 allows); {@code null}
     * when it is unsatisfiable.
     */
    static long[] parseRange(String range, long size) {
        String r = range.trim();
        if (!r.regionMatches(true, 0, "bytes=", 0, 6) || r.indexOf(',') >= 0) {
            return new long[0];
        }
        String spec = r.substring(6).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return new long[0];
        }
        try {
            String a = spec.substring(0, dash).trim();
            String b = spec.substring(dash + 1).trim();
            if (a.isEmpty()) {
                long suffix = Long.parseLong(b);
                if (suffix <= 0 || size == 0) {
                    return null;
                }
                return new long[] {Math.max(0, size - suffix), size - 1};
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            if (first < 0 || (!b.isEmpty() && Long.parseLong(b) < first)) {
                return new long[0];
            }
            if (first >= size) {
                return null;
            }
            return new long[] {first, last};
        } catch (NumberFormatException e) {
            return new long[0];
        }
    }

    private static String contentType(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }

    // ---------------------------------------------------------------- internals

    private boolean bodyless() {
        return status == 204 || status == 304 || status < 200;
    }

    private void checkHeadNotSent() {
        if (headSent) {
            throw new IllegalStateException("the response head was sent already (status " + status + ")");
        }
    }

    private void checkOpen() {
        if (finished) {
            throw new IllegalStateException("the response was finished already");
        }
        if (connection.takenOver()) {
            throw new IllegalStateException("the connection was taken over (upgrade()): it has no response");
        }
        if (connection.isClosed()) {
            throw connection.peerGone("the client closed the connection");
        }
    }

    /** Sends the head of a streamed body: chunked unless a Content-Length was set. */
    private void startStreaming(boolean events) {
        DefaultHttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), headers);
        long length = HttpUtil.getContentLength(r, -1L);
        if (length >= 0) {
            announced = length;
        } else if (!head && !bodyless()) {
            if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                closeAfter = true;       // no chunked encoding in HTTP/1.0: the body ends with the connection
            } else {
                HttpUtil.setTransferEncodingChunked(r, true);
                chunked = true;
            }
        }
        writeHead(r, events);
    }

    /** Writes the head (a whole response, {@link #finished} already, is flushed by the caller with {@code flushLast}). */
    private void writeHead(io.netty.handler.codec.http.HttpResponse r, boolean neverCompress) {
        headSent = true;
        HttpHeaders h = r.headers();
        connection.server().standardHeaders(h);
        if (closeAfter || !keepAlive(r) || connection.closingWhenIdle()
                || (!connection.bodyArrived() && !exchange.request.bodyRead())) {
            // Not kept alive, or the rest of the request body would have to be read to find the next request.
            closeAfter = true;
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (!request.protocolVersion().isKeepAliveDefault()) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);    // an HTTP/1.0 client asked for it
        }
        connection.compress(!neverCompress);
        out(r);
    }

    /**
     * Whether the connection may stay open after {@code r}, as Netty's {@code HttpServerKeepAliveHandler} decides
     * (done here, once per response, instead of by a handler in every connection's pipeline): the request and
     * the response allow it, and the response's end is known without closing: a {@code Content-Length},
     * chunked, or a response that has no body (1xx, 204, 304, an answer to HEAD).
     */
    private boolean keepAlive(io.netty.handler.codec.http.HttpResponse r) {
        return HttpUtil.isKeepAlive(request) && HttpUtil.isKeepAlive(r)
                && (head || bodyless() || HttpUtil.isContentLengthSet(r) || HttpUtil.isTransferEncodingChunked(r));
    }

    /**
     * Writes {@code msg}; the connection flushes once at the end of this loop step (or read burst). The writes
     * of a finished response schedule nothing: its caller ends them with {@link ServerConnection#flushLast()}.
     */
    private void out(Object msg) {
        send(connection.channel().write(msg));
        if (!finished) {
            connection.flushSoon();
        }
    }

    /** Watches a write: a failed one closes the connection (the next call then fails with the client gone). */
    private void send(ChannelFuture f) {
        f.addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    void sendContinue() {
        connection.channel().writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                Unpooled.EMPTY_BUFFER)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    /** Answers {@code status} before the handler ran, then closes. */
    void refuse(int status, String message) {
        closeAfter = true;
        failWith(status, message, null);
    }

    /** Answers an error if nothing was sent yet; otherwise cuts the connection (the response cannot be mended). */
    void failWith(int status, String message, Throwable cause) {
        if (finished || connection.takenOver() || connection.isClosed()) {
            return;
        }
        if (headSent) {
            abort();
            return;
        }
        headers = CHECKED.newHeaders();
        header("Content-Type", "text/plain; charset=utf-8");
        send(status, message + "\n");
    }

    /** Drops the connection: the response cannot be completed. */
    void abort() {
        closeAfter = true;
        finished = true;
        if (!connection.takenOver()) {
            connection.channel().close();
        }
    }

    void closeAfterwards() {
        closeAfter = true;
    }

    boolean closeAfter() {
        return closeAfter;
    }

    boolean clientGone() {
        return connection.isClosed();
    }
}
