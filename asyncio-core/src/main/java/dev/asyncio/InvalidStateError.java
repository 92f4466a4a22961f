package dev.asyncio;

/**
 * A future's result or exception was asked for before it was done, or a result was set twice;
 * mirrors {@code asyncio.InvalidStateError}.
 */
public class InvalidStateError extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public InvalidStateError(String message) {
        super(message);
    }
}
