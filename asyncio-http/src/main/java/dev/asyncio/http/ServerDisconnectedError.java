package dev.asyncio.http;

import dev.asyncio.net.ConnectionError;

/**
 * The server closed the connection before the response head was complete; mirrors aiohttp's
 * {@code ServerDisconnectedError}. A request that is safe to repeat (GET, HEAD, OPTIONS, PUT, DELETE, TRACE)
 * and failed this way on a reused keep-alive connection before any byte of a response arrived is retried
 * once on a new connection before this is thrown: that is a server closing an idle connection just as it was
 * picked, not a failure.
 */
public final class ServerDisconnectedError extends ConnectionError {
    private static final long serialVersionUID = 1L;

    public ServerDisconnectedError(String message) {
        super(message);
    }

    public ServerDisconnectedError(String message, Throwable cause) {
        super(message, cause);
    }
}
