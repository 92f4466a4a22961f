package dev.asyncio;

/** A callback scheduled on a loop; mirrors {@code asyncio.Handle}. */
public interface Handle {
    /** Cancels the callback; it will not run. Cancelling twice, or after it ran, does nothing. */
    void cancel();

    boolean cancelled();
}
