package dev.asyncio.http;

/**
 * The response's status line or its header block is longer than the client allows
 * ({@link HttpClient.Builder#maxInitialLineLength}, {@link HttpClient.Builder#maxHeaderSize}); mirrors
 * aiohttp's {@code LineTooLong}. The connection is closed.
 */
public final class HeadersTooLargeError extends MalformedResponseError {
    private static final long serialVersionUID = 1L;

    public HeadersTooLargeError(String message, Throwable cause) {
        super(message, cause);
    }
}
