package dev.asyncio.http;

/**
 * Resolving the host, connecting to it and the TLS handshake together took longer than
 * {@link ClientTimeout#connect()}; mirrors aiohttp's {@code ConnectionTimeoutError}. Waiting for a pooled
 * connection does not count: that is {@link ClientTimeout#total()}'s business.
 */
public final class ConnectTimeoutError extends HttpTimeoutError {
    private static final long serialVersionUID = 1L;

    public ConnectTimeoutError(String message, double seconds) {
        super(message, seconds);
    }
}
