package dev.asyncio.http.apiguard;

import dev.asyncio.http.Handler;
import dev.asyncio.http.HttpClient;
import dev.asyncio.http.HttpServer;
import dev.asyncio.http.Middleware;
import dev.asyncio.http.Router;
import dev.asyncio.http.ServerRequest;
import dev.asyncio.http.ServerResponse;
import dev.asyncio.test.internal.FunctionalOverloads;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * asyncio-http's part of the guard against overloads that make a caller's lambda or method reference ambiguous
 * (see asyncio-core's {@code dev.asyncio.apiguard.LambdaOverloadsTest}). {@link #calls} is compiled, not run.
 */
class HttpLambdaOverloadsTest {
    static List<InetAddress> loopbackOnly(String host) {
        return List.of(InetAddress.getLoopbackAddress());
    }

    /** Compile-time guard; never called. */
    static void calls() {
        // HttpClient.Builder.resolver
        HttpClient.builder().resolver(host -> loopbackOnly(host));
        HttpClient.builder().resolver(host -> {
            return loopbackOnly(host);
        });
        HttpClient.builder().resolver(HttpLambdaOverloadsTest::loopbackOnly);
        serverCalls(new Router());
    }

    static void hello(ServerRequest request, ServerResponse response) {
        response.send(200, "hello");
    }

    static void around(ServerRequest request, ServerResponse response, Handler next) throws Exception {
        next.handle(request, response);
    }

    /** The server side's methods taking a Handler or a Middleware; compiled, never called. */
    static void serverCalls(Router r) {
        // HttpServer.start
        HttpServer.start((rq, rs) -> rs.send(200, "x"), "127.0.0.1", 0);
        HttpServer.start((rq, rs) -> {
            rs.send(200, "x");
        }, "127.0.0.1", 0);
        HttpServer.start(HttpLambdaOverloadsTest::hello, "127.0.0.1", 0);
        // HttpServer.builder
        HttpServer.builder((rq, rs) -> rs.send(200, "x"));
        HttpServer.builder((rq, rs) -> {
            rs.send(200, "x");
        });
        HttpServer.builder(HttpLambdaOverloadsTest::hello);
        // Router.route
        r.route("GET", "/", (rq, rs) -> rs.send(200, "x"));
        r.route("GET", "/", (rq, rs) -> {
            rs.send(200, "x");
        });
        r.route("GET", "/", HttpLambdaOverloadsTest::hello);
        // Router.get
        r.get("/", (rq, rs) -> rs.send(200, "x"));
        r.get("/", (rq, rs) -> {
            rs.send(200, "x");
        });
        r.get("/", HttpLambdaOverloadsTest::hello);
        // Router.post
        r.post("/", (rq, rs) -> rs.send(200, "x"));
        r.post("/", (rq, rs) -> {
            rs.send(200, "x");
        });
        r.post("/", HttpLambdaOverloadsTest::hello);
        // Router.put
        r.put("/", (rq, rs) -> rs.send(200, "x"));
        r.put("/", (rq, rs) -> {
            rs.send(200, "x");
        });
        r.put("/", HttpLambdaOverloadsTest::hello);
        // Router.patch
        r.patch("/", (rq, rs) -> rs.send(200, "x"));
        r.patch("/", (rq, rs) -> {
            rs.send(200, "x");
        });
        r.patch("/", HttpLambdaOverloadsTest::hello);
        // Router.delete
        r.delete("/", (rq, rs) -> rs.send(200, "x"));
        r.delete("/", (rq, rs) -> {
            rs.send(200, "x");
        });
        r.delete("/", HttpLambdaOverloadsTest::hello);
        // Router.use
        r.use((rq, rs, next) -> next.handle(rq, rs));
        r.use((rq, rs, next) -> {
            next.handle(rq, rs);
        });
        r.use(HttpLambdaOverloadsTest::around);
        // Middleware.handle
        Middleware m = (rq, rs, next) -> next.handle(rq, rs);
        try {
            m.handle(null, null, (rq, rs) -> rs.send(200, "x"));
            m.handle(null, null, (rq, rs) -> {
                rs.send(200, "x");
            });
            m.handle(null, null, HttpLambdaOverloadsTest::hello);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void noOverloadsTakeDifferentFunctionalInterfacesAtTheSamePosition() {
        assertEquals(Set.of(), FunctionalOverloads.pairs(FunctionalOverloads.publicClasses(HttpClient.class)),
                "review the new overload pair: no lambda or method reference may become ambiguous (add calls to calls())");
    }

    @Test
    void theCompileGuardCoversEveryMethodTakingALambda() {
        Path self = Path.of("src/test/java/dev/asyncio/http/apiguard/HttpLambdaOverloadsTest.java");
        assertEquals(Set.of(), FunctionalOverloads.withoutCallGroup(HttpClient.class, self),
                "public methods taking a lambda with no '// Class.method' group in calls()");
    }
}
