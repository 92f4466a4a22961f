package dev.asyncio;

/**
 * A coroutine that returns nothing: the {@code void} twin of {@link Coroutine}, so that a block lambda
 * without a {@code return} compiles wherever a coroutine is taken, as with
 * {@code ExecutorService.submit(Runnable)} beside {@code submit(Callable)}.
 */
@FunctionalInterface
public interface AsyncRunnable {
    void run() throws Exception;

    /** This body as a {@link Coroutine} whose result is {@code null}. */
    default Coroutine<Void> asCoroutine() {
        return () -> {
            run();
            return null;
        };
    }
}
