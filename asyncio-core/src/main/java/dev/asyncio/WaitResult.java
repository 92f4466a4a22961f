package dev.asyncio;

import java.util.Set;

/**
 * What {@link Asyncio#wait(java.util.Collection, double, ReturnWhen)} returns: the futures that were done
 * and those still pending when it returned; Python's {@code (done, pending)} tuple. Both sets keep the
 * order of the collection given and may be modified.
 *
 * @param <T> the futures' result type
 */
public record WaitResult<T>(Set<Future<T>> done, Set<Future<T>> pending) {
}
