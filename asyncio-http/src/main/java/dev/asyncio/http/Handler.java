package dev.asyncio.http;

/**
 * What answers a request on an {@link HttpServer}: a coroutine that reads the {@link ServerRequest} and writes
 * the {@link ServerResponse}; mirrors Go's {@code http.Handler} and an aiohttp.web handler.
 *
 * <pre>{@code
 * Handler hello = (request, response) -> response.send(200, "hello " + request.path());
 * }</pre>
 *
 * <p>It runs in a task of its own, one request after the other on a connection. A response it leaves
 * unfinished is finished when it returns (an empty {@code 200} if nothing was written). An
 * {@link ErrorResponse} it throws becomes that status; any other exception a {@code 500} whose body says
 * nothing about the exception, which is reported once to the loop's exception handler.
 */
@FunctionalInterface
public interface Handler {
    /**
     * Answers {@code request}. May suspend (it runs in a task).
     *
     * @throws Exception anything: see the class comment for what the client then gets
     */
    void handle(ServerRequest request, ServerResponse response) throws Exception;
}
