package dev.asyncio.net;

/** Nobody accepted the connection at that address; mirrors Python's {@code ConnectionRefusedError}. */
public class ConnectionRefusedError extends ConnectionError {
    private static final long serialVersionUID = 1L;

    public ConnectionRefusedError(String message, Throwable cause) {
        super(message, cause);
    }
}
