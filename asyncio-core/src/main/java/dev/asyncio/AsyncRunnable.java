package dev.asyncio;

/**
 * A coroutine that returns nothing: the {@code void} twin of {@link Coroutine}, so that a block lambda
 * without a {@code return} compiles wherever a coroutine is taken, as with
 * {@code ExecutorService.submit(Runnable)} beside {@code submit(Callable)}.
 *
 * <p>Every lambda, and every method reference to a method that is not overloaded, picks the right twin (a
 * value-returning one goes to the {@code Coroutine} overload). As with {@code submit}, a method reference to an
 * <em>overloaded</em> method ({@code Asyncio.run(var::get)}, where {@link ContextVar#get()} has a
 * {@code get(T)} sibling) fits both twins and does not compile: write the lambda {@code () -> var.get()}.
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
