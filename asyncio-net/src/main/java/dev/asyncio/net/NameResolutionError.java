package dev.asyncio.net;

/**
 * A host name could not be resolved to an address; mirrors Python's {@code socket.gaierror}. The
 * {@link java.net.UnknownHostException} is the cause.
 */
public class NameResolutionError extends ConnectionError {
    private static final long serialVersionUID = 1L;

    public NameResolutionError(String message, Throwable cause) {
        super(message, cause);
    }
}
