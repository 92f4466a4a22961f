package dev.asyncio.http;

import dev.asyncio.net.ConnectionError;

/**
 * The connection ended before the response body was complete (fewer bytes than its {@code Content-Length},
 * or a chunked body without its last chunk); mirrors aiohttp's {@code ClientPayloadError}. The bytes that
 * did arrive were handed out before this is thrown.
 */
public final class IncompleteBodyError extends ConnectionError {
    private static final long serialVersionUID = 1L;

    private final long received;

    public IncompleteBodyError(String message, long received, Throwable cause) {
        super(message, cause);
        this.received = received;
    }

    /** How many body bytes (after decompression) arrived before the connection ended. */
    public long received() {
        return received;
    }
}
