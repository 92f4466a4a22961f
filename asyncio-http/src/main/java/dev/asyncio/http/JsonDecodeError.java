package dev.asyncio.http;

/**
 * Text that is not valid JSON; mirrors Python's {@code json.JSONDecodeError} (a {@code ValueError}, hence an
 * {@link IllegalArgumentException}). The message names the problem and where it is.
 */
public final class JsonDecodeError extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int position;

    public JsonDecodeError(String problem, int position) {
        super(problem + " at position " + position);
        this.position = position;
    }

    /** The offset in the text where the problem was found. */
    public int position() {
        return position;
    }
}
