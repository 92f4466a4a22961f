package dev.asyncio.bench.httpserver;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * Vert.x 5 peer of the HTTP server benchmark: one event loop ({@code eventLoopPoolSize(1)}), an HTTP server
 * with a {@link Router}, native epoll only when asked. {@code GET /} ends the response with a shared buffer;
 * {@code GET /json} answers {@code ctx.json(document)}, which encodes the {@link JsonObject} with Jackson for
 * every request. Arguments: {@link ServerArgs}.
 */
public final class VertxHttpServer {
    private VertxHttpServer() {
    }

    public static void main(String[] args) throws Exception {
        ServerArgs a = ServerArgs.parse(args);
        JsonObject payload = new JsonObject(a.payloadText());
        Buffer plain = Buffer.buffer(ServerArgs.PLAIN);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(a.epoll()));
        if (a.epoll() && !vertx.isNativeTransportEnabled()) {
            throw new IllegalStateException("Vert.x did not get the native transport", vertx.unavailableNativeTransportCause());
        }
        Router router = Router.router(vertx);
        router.get("/").handler(ctx -> ctx.response().putHeader("content-type", "text/plain").end(plain));
        router.get("/json").handler(ctx -> ctx.json(payload));
        vertx.createHttpServer().requestHandler(router).listen(a.port(), ServerArgs.HOST)
                .toCompletionStage().toCompletableFuture().get();
        a.ready("Vert.x");
    }
}
