package dev.asyncio.http;

/**
 * An exception that a {@link Handler} throws to answer with an error status and a short plain-text message;
 * mirrors aiohttp.web's {@code HTTPException}. The server throws it too, from {@link ServerRequest#read()},
 * for a body over the limit ({@code 413}) or too slow to come ({@code 408}).
 *
 * <pre>{@code
 * Object todo = todos.get(id);
 * if (todo == null) {
 *     throw new ErrorResponse(404, "no todo " + id);
 * }
 * }</pre>
 *
 * <p>The message is sent as the body: it must say nothing the client should not see.
 */
public final class ErrorResponse extends RuntimeException {
    private final int status;

    /**
     * @param status  the status to answer with, 400 to 599
     * @param message the plain-text body
     * @throws IllegalArgumentException if {@code status} is not a 4xx or 5xx status
     */
    public ErrorResponse(int status, String message) {
        super(message);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an error response has a 4xx or 5xx status, not " + status);
        }
        this.status = status;
    }

    /** The status to answer with. */
    public int status() {
        return status;
    }
}
