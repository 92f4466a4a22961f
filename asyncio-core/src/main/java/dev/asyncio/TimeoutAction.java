package dev.asyncio;

/**
 * A {@link TimeoutBody} that returns nothing, so that a block lambda without {@code return} compiles:
 * {@code Asyncio.timeout(5, t -> { ...; t.reschedule(t.when() + 5); ... })}.
 */
@FunctionalInterface
public interface TimeoutAction {
    void run(Timeout timeout) throws Exception;
}
