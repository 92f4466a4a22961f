package dev.asyncio;

/**
 * The body of a task: plain Java code that may suspend by calling a suspending method
 * ({@link Asyncio#sleep(double)}, {@link Awaitable#await()}, ...), and returns a result.
 *
 * <p>Mirrors an {@code async def} function. There is no colour: a coroutine is an ordinary lambda, and any
 * method it calls may suspend the task it runs in. It may throw any exception, checked ones included;
 * whoever awaits the task gets that very instance back.
 *
 * @param <T> the result type
 * @see AsyncRunnable for a body that returns nothing
 */
@FunctionalInterface
public interface Coroutine<T> {
    T call() throws Exception;
}
