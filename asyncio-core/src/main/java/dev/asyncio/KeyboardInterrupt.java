package dev.asyncio;

/**
 * Thrown by {@link Asyncio#run} and {@link Runner#run} when Ctrl-C (SIGINT) cancelled the main task;
 * mirrors Python's {@code KeyboardInterrupt} as {@code asyncio.run} raises it. The main task itself saw a
 * {@link CancelledError} at its suspension point and had the chance to clean up. Like
 * {@link CancelledError} it extends {@link Error}, so {@code catch (Exception e)} does not swallow it. One that
 * escapes the main thread uncaught ends the JVM with status 130 after its stack trace, as an uncaught
 * {@code KeyboardInterrupt} ends CPython (see {@link Runner}).
 * {@link Asyncio#runMain}, the helper for a program's {@code main}, ends the program instead (one line, exit
 * status 130).
 */
public class KeyboardInterrupt extends Error {
    private static final long serialVersionUID = 1L;

    public KeyboardInterrupt(CancelledError cause) {
        super("interrupted by SIGINT (Ctrl-C)", cause);
    }
}
