package dev.asyncio;

/**
 * Thrown into a task at its suspension point when it is cancelled; mirrors {@code asyncio.CancelledError}.
 *
 * <p>It extends {@link Error}, as {@code ThreadDeath} did, so that {@code catch (Exception e)} never
 * swallows a cancellation. Code that catches it to clean up must rethrow it (or call
 * {@link Task#uncancel()} when it means to swallow the request, as {@code asyncio.timeout} does).
 */
public class CancelledError extends Error {
    private static final long serialVersionUID = 1L;

    public CancelledError() {
        super();
    }

    /** @param message the message given to {@code cancel(msg)}, or {@code null} */
    public CancelledError(String message) {
        super(message);
    }
}
