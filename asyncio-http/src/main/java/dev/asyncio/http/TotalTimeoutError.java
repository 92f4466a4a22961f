package dev.asyncio.http;

/**
 * The whole request took longer than {@link ClientTimeout#total()}: waiting for a connection, connecting,
 * sending, every redirect, and reading the body; mirrors aiohttp's {@code ClientTimeout(total=...)} firing.
 */
public final class TotalTimeoutError extends HttpTimeoutError {
    private static final long serialVersionUID = 1L;

    public TotalTimeoutError(String message, double seconds) {
        super(message, seconds);
    }
}
