package dev.asyncio.internal;

/**
 * Rethrows any throwable, checked ones included, without wrapping: the API promises that awaiting a task
 * rethrows the very instance its coroutine threw.
 */
public final class Sneaky {
    private Sneaky() {
    }

    /**
     * Throws {@code t} unchanged. Declared to return an exception so callers can write
     * {@code throw Sneaky.rethrow(t);} and keep the compiler's flow analysis.
     */
    public static RuntimeException rethrow(Throwable t) {
        throw Sneaky.<RuntimeException>doThrow(t);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E doThrow(Throwable t) throws E {
        throw (E) t;
    }
}
