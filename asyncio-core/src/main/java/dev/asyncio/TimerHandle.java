package dev.asyncio;

/** A callback scheduled at a point in loop time; mirrors {@code asyncio.TimerHandle}. */
public interface TimerHandle extends Handle {
    /** The loop time, in seconds, at which the callback is due. */
    double when();
}
