package dev.asyncio.http;

/**
 * A step around a {@link Router}'s handlers: logging, timing, authentication, error mapping; mirrors
 * aiohttp.web's middlewares. It calls {@code next} to go on (or not, to answer by itself).
 *
 * <pre>{@code
 * router.use((request, response, next) -> {
 *     double start = Asyncio.getRunningLoop().time();
 *     next.handle(request, response);
 *     log(request.method() + " " + request.path() + " " + response.status() + " in " + (loop.time() - start));
 * });
 * }</pre>
 */
@FunctionalInterface
public interface Middleware {
    /**
     * Handles {@code request}, usually by calling {@code next.handle(request, response)}. May suspend.
     *
     * @throws Exception as a {@link Handler} may
     */
    void handle(ServerRequest request, ServerResponse response, Handler next) throws Exception;
}
