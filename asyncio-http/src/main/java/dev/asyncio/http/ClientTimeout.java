package dev.asyncio.http;

/**
 * The three time limits of a request, in seconds; mirrors aiohttp's {@code ClientTimeout}.
 * {@link Double#POSITIVE_INFINITY} means no limit.
 *
 * <pre>{@code
 * HttpClient client = HttpClient.builder().timeout(ClientTimeout.DEFAULT.withTotal(10)).build();
 * client.request(HttpRequest.builder(url).timeout(ClientTimeout.NONE.withRead(2)).build());
 * }</pre>
 *
 * <ul>
 *   <li>{@code total}: the whole request, from the call to the end of the body: waiting for a pooled
 *       connection, connecting, every redirect, and reading the body. Every read checks it, also one that finds
 *       its bytes already received, so a server that never pauses cannot carry a request past it.
 *       {@link TotalTimeoutError}.</li>
 *   <li>{@code connect}: resolving the host, the TCP connection and the TLS handshake of one new
 *       connection. {@link ConnectTimeoutError}.</li>
 *   <li>{@code read}: how long the caller may wait for the next byte of the response (its head, or more
 *       of its body). Time spent by the caller between reads does not count. {@link ReadTimeoutError}.</li>
 * </ul>
 *
 * <p>The defaults are OkHttp's kind of limits, not aiohttp's five-minute total: a download may take as long as
 * it needs while bytes keep coming, a stalled one fails after a minute.
 *
 * @param total   seconds for the whole request
 * @param connect seconds to make one connection
 * @param read    seconds to wait for the next byte of the response
 */
public record ClientTimeout(double total, double connect, double read) {
    /** No total limit, 30 seconds to connect, 60 seconds without a byte while reading. */
    public static final ClientTimeout DEFAULT = new ClientTimeout(Double.POSITIVE_INFINITY, 30, 60);
    /** No limit at all. */
    public static final ClientTimeout NONE =
            new ClientTimeout(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);

    /**
     * @throws IllegalArgumentException if a limit is NaN, zero or negative
     */
    public ClientTimeout {
        check("total", total);
        check("connect", connect);
        check("read", read);
    }

    private static void check(String name, double seconds) {
        if (!(seconds > 0)) {
            throw new IllegalArgumentException(name + " timeout must be > 0 seconds (Double.POSITIVE_INFINITY for "
                    + "none), got " + seconds);
        }
    }

    /** A copy with this total limit. */
    public ClientTimeout withTotal(double seconds) {
        return new ClientTimeout(seconds, connect, read);
    }

    /** A copy with this connect limit. */
    public ClientTimeout withConnect(double seconds) {
        return new ClientTimeout(total, seconds, read);
    }

    /** A copy with this read limit. */
    public ClientTimeout withRead(double seconds) {
        return new ClientTimeout(total, connect, seconds);
    }
}
