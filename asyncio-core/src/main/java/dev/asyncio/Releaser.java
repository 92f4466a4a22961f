package dev.asyncio;

/**
 * What {@code acquire()} of a {@link Lock}, {@link Semaphore} or {@link Condition} returns: closing it
 * releases what was acquired, so that a try-with-resources block is Python's {@code async with lock:}.
 *
 * <pre>{@code
 * try (var _ = lock.acquire()) {      // suspends until the lock is ours
 *     ...                                // may suspend: the lock stays held
 * }                                      // released here, also on exceptions and cancellation
 * }</pre>
 *
 * <p>A releaser releases once: closing it again does nothing.
 */
@FunctionalInterface
public interface Releaser extends AutoCloseable {
    /** Releases what was acquired, unless this releaser already did. */
    @Override
    void close();
}
