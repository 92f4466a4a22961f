package dev.asyncio.net;

/**
 * A connection could not be made or broke; mirrors Python's {@code ConnectionError} (the socket
 * {@code OSError}s asyncio lets through). Unchecked, as every exception of this API; the
 * {@link java.io.IOException} that Netty or the JDK reported is the cause.
 *
 * <pre>{@code
 * try {
 *     Connection c = Streams.openConnection("127.0.0.1", port);
 * } catch (ConnectionRefusedError e) {
 *     // nobody listens there
 * } catch (ConnectionError e) {
 *     // any other network failure
 * }
 * }</pre>
 */
public class ConnectionError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConnectionError(String message) {
        super(message);
    }

    public ConnectionError(String message, Throwable cause) {
        super(message, cause);
    }
}
