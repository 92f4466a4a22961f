package dev.asyncio.http;

/**
 * The server answered with something that is not a valid HTTP/1.1 response: a bad status line, a bad
 * header, a bad chunk size, a body that does not decompress; mirrors aiohttp's
 * {@code ClientResponseError} raised by its parser. The connection is closed.
 *
 * <pre>{@code
 * try (HttpResponse r = client.get(url)) {
 *     ...
 * } catch (HeadersTooLargeError e) {
 *     // the status line or header block went past the client's limits
 * } catch (MalformedResponseError e) {
 *     // any other garbage
 * }
 * }</pre>
 */
public class MalformedResponseError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedResponseError(String message, Throwable cause) {
        super(message, cause);
    }
}
