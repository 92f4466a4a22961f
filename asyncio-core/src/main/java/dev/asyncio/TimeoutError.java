package dev.asyncio;

/**
 * A deadline passed: thrown by {@link Asyncio#waitFor}, by a {@link Asyncio#timeout} block that expired,
 * and by {@link Asyncio#asCompleted} iteration; mirrors Python's {@code TimeoutError} (which
 * {@code asyncio.TimeoutError} is an alias of since 3.11).
 *
 * <p>When a timeout turns the {@link CancelledError} it caused into this error, that {@link CancelledError}
 * is the cause.
 */
public class TimeoutError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TimeoutError() {
        super();
    }

    public TimeoutError(String message) {
        super(message);
    }

    public TimeoutError(String message, Throwable cause) {
        super(message, cause);
    }
}
