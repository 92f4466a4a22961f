package dev.asyncio;

/**
 * Something a task can wait for: a {@link Future}, a {@link Task}, or a user type with the same contract.
 *
 * <p>It has two abstract methods on purpose, so that a lambda is never taken for an awaitable by mistake
 * (a lambda is a {@link Coroutine}; wrap it in a task to await it).
 *
 * @param <T> the result type
 */
public interface Awaitable<T> {
    /**
     * Suspends the current task until this is done, then returns its result or rethrows its exception
     * (the same instance, checked exceptions included). Returns at once, without suspending, if already done.
     *
     * <p>Cancellation: a {@link CancelledError} thrown into the waiting task arrives here; for a
     * {@link Future} the awaited future is cancelled as well.
     *
     * @throws IllegalStateException if called outside a task while not done
     */
    T await();

    /** Whether a result, an exception or a cancellation has been set. */
    boolean done();
}
