package dev.asyncio.http;

/**
 * No byte of the response arrived for {@link ClientTimeout#read()} seconds while the caller waited for one
 * (the response head, or the next piece of the body); mirrors aiohttp's {@code SocketTimeoutError}. Time
 * the caller spends not reading does not count.
 */
public final class ReadTimeoutError extends HttpTimeoutError {
    private static final long serialVersionUID = 1L;

    public ReadTimeoutError(String message, double seconds) {
        super(message, seconds);
    }
}
