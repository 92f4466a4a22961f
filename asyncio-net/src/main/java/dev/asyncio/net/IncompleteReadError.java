package dev.asyncio.net;

/**
 * EOF came before a read was complete; mirrors {@code asyncio.IncompleteReadError}. {@link #partial()}
 * holds the bytes that did arrive (they are no longer in the reader).
 *
 * <pre>{@code
 * try {
 *     byte[] header = reader.readExactly(16);
 * } catch (IncompleteReadError e) {
 *     log("peer closed after " + e.partial().length + " of " + e.expected() + " bytes");
 * }
 * }</pre>
 */
public final class IncompleteReadError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final byte[] partial;
    private final Integer expected;

    public IncompleteReadError(byte[] partial, Integer expected) {
        super(partial.length + " bytes read on a total of " + (expected == null ? "undefined" : expected)
                + " expected bytes");
        this.partial = partial;
        this.expected = expected;
    }

    /** The bytes read before EOF. */
    public byte[] partial() {
        return partial.clone();
    }

    /** How many bytes were expected, or {@code null} for {@code readUntil}/{@code readLine}. */
    public Integer expected() {
        return expected;
    }
}
