package dev.asyncio;

/**
 * A task waiting at a {@link Barrier}, or arriving at one, found it aborted or reset; mirrors
 * {@code asyncio.BrokenBarrierError}.
 */
public class BrokenBarrierError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BrokenBarrierError(String message) {
        super(message);
    }
}
