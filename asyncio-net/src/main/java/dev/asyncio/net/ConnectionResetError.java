package dev.asyncio.net;

/**
 * The peer reset the connection, or it was lost while the caller still needed it (a {@code drain} or
 * {@code write} after the connection was gone); mirrors Python's {@code ConnectionResetError}.
 */
public class ConnectionResetError extends ConnectionError {
    private static final long serialVersionUID = 1L;

    public ConnectionResetError(String message) {
        super(message);
    }

    public ConnectionResetError(String message, Throwable cause) {
        super(message, cause);
    }
}
