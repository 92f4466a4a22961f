package dev.asyncio.http;

/**
 * A request ran out of time; mirrors aiohttp's {@code ServerTimeoutError} family. Which limit ran out is the
 * subclass: {@link ConnectTimeoutError} (resolving, connecting and the TLS handshake), {@link ReadTimeoutError}
 * (no byte of the response for that long while the caller waited for one) or {@link TotalTimeoutError}
 * (the whole request, redirects and body included).
 *
 * <pre>{@code
 * try (HttpResponse r = client.get(url)) {
 *     return r.text();
 * } catch (HttpTimeoutError e) {
 *     // any of the three; the connection it happened on was closed
 * }
 * }</pre>
 *
 * <p>It is a {@link dev.asyncio.TimeoutError}, as aiohttp's timeouts are {@code asyncio.TimeoutError}s, so a
 * {@code catch (TimeoutError e)} around an {@code Asyncio.timeout} block catches both. The connection a
 * timeout happened on is closed, never put back in the pool: the response on it is in an unknown state.
 */
public sealed class HttpTimeoutError extends dev.asyncio.TimeoutError
        permits ConnectTimeoutError, ReadTimeoutError, TotalTimeoutError {
    private static final long serialVersionUID = 1L;

    private final double seconds;

    HttpTimeoutError(String message, double seconds) {
        super(message);
        this.seconds = seconds;
    }

    /** The limit that ran out, in seconds. */
    public double seconds() {
        return seconds;
    }
}
