package dev.asyncio.http.websocket;

import dev.asyncio.net.ConnectionError;

/** The server answered the opening handshake, but not with a valid {@code 101 Switching Protocols}. */
public class WebSocketHandshakeError extends ConnectionError {
    private static final long serialVersionUID = 1L;
    private final int status;

    public WebSocketHandshakeError(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status of the server's answer (101 when it was a 101 with wrong headers). */
    public int status() {
        return status;
    }
}
