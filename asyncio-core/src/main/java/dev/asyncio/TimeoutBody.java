package dev.asyncio;

/**
 * The body of a {@link Asyncio#timeout(double, TimeoutBody) timeout block} that uses its {@link Timeout}
 * handle, for instance to {@link Timeout#reschedule reschedule} the deadline while it runs.
 *
 * @param <T> the result type
 */
@FunctionalInterface
public interface TimeoutBody<T> {
    T run(Timeout timeout) throws Exception;
}
