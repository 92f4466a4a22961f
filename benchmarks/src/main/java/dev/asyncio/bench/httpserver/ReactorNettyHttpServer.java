package dev.asyncio.bench.httpserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

import java.util.Map;

/**
 * reactor-netty peer of the HTTP server benchmark: {@link HttpServer} with its router on one event loop
 * ({@code LoopResources.create(prefix, 1, true)}, selector and worker on the same thread), native epoll only
 * when asked. {@code GET /} sends a shared byte array; {@code GET /json} encodes the document with Jackson's
 * {@link ObjectMapper} for every request (reactor-netty has no JSON of its own; Spring WebFlux on top of it
 * uses Jackson). Both set {@code Content-Length}. Arguments: {@link ServerArgs}.
 */
public final class ReactorNettyHttpServer {
    private ReactorNettyHttpServer() {
    }

    public static void main(String[] args) throws Exception {
        ServerArgs a = ServerArgs.parse(args);
        Map<?, ?> payload = a.payloadMap();
        ObjectMapper mapper = new ObjectMapper();
        byte[] plain = ServerArgs.PLAIN;
        LoopResources loops = LoopResources.create("reactor-http", 1, true);
        DisposableServer server = HttpServer.create()
                .host(ServerArgs.HOST)
                .port(a.port())
                .runOn(loops, a.epoll())
                .route(routes -> routes
                        .get("/", (req, res) -> res
                                .header(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                                .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(plain.length))
                                .sendByteArray(Mono.just(plain)))
                        .get("/json", (req, res) -> {
                            byte[] body;
                            try {
                                body = mapper.writeValueAsBytes(payload);
                            } catch (Exception e) {
                                return Mono.error(e);
                            }
                            return res.header(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                                    .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length))
                                    .sendByteArray(Mono.just(body));
                        }))
                .bindNow();
        a.ready("reactor-netty");
        server.onDispose().block();
    }
}
