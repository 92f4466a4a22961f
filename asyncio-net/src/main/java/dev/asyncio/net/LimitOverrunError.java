package dev.asyncio.net;

/**
 * A separator was not found within the reader's limit; mirrors {@code asyncio.LimitOverrunError}.
 * {@link #consumed()} is how many bytes could be skipped to make progress; after {@code readUntil} they are
 * still in the reader, after {@code readLine} they were dropped (up to and including the separator if it
 * was in the buffer, or all of the buffer if not).
 */
public final class LimitOverrunError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int consumed;

    public LimitOverrunError(String message, int consumed) {
        super(message);
        this.consumed = consumed;
    }

    /** How many bytes to consume to get past the overrun. */
    public int consumed() {
        return consumed;
    }
}
