package dev.asyncio;

/** When {@link Asyncio#wait(java.util.Collection, double, ReturnWhen)} returns; mirrors asyncio's constants of the same names. */
public enum ReturnWhen {
    /** As soon as any future is done (or cancelled). */
    FIRST_COMPLETED,
    /** As soon as any future fails with an exception; when all are done if none does. Cancellation is not an exception here. */
    FIRST_EXCEPTION,
    /** When every future is done. */
    ALL_COMPLETED
}
