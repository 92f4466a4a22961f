package dev.asyncio.examples.todo;

import dev.asyncio.http.HttpClient;
import dev.asyncio.http.HttpRequest;
import dev.asyncio.http.HttpResponse;
import dev.asyncio.http.HttpServer;
import dev.asyncio.test.AsyncTest;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The todo API through the project's HTTP client: the happy path, validation, and every kind of error as JSON. */
class TodoApiTest {
    private static Object call(HttpClient client, String method, String url, Object json, int status) {
        HttpRequest.Builder b = HttpRequest.builder(url).method(method);
        if (json != null) {
            b.json(json);
        }
        try (HttpResponse r = client.request(b.build())) {
            assertEquals(status, r.status(), method + " " + url);
            return r.status() == 204 ? null : r.json();
        }
    }

    @AsyncTest(realTime = true)
    void createListUpdateDelete() {
        HttpServer server = HttpServer.start(new TodoApi().router(), "127.0.0.1", 0);
        String base = "http://127.0.0.1:" + server.port() + "/todos";
        try (HttpClient client = HttpClient.create()) {
            assertEquals(Map.of("id", 1L, "title", "write", "done", false), call(client, "POST", base, Map.of("title", "write"), 201));
            assertEquals(Map.of("id", 2L, "title", "test", "done", true),
                    call(client, "POST", base, Map.of("title", "test", "done", true), 201));
            assertEquals(List.of(Map.of("id", 2L, "title", "test", "done", true)), call(client, "GET", base + "?done=true", null, 200));
            assertEquals(Map.of("id", 1L, "title", "write", "done", true),
                    call(client, "PATCH", base + "/1", Map.of("done", true), 200));
            call(client, "DELETE", base + "/2", null, 204);
            assertEquals(List.of(Map.of("id", 1L, "title", "write", "done", true)), call(client, "GET", base, null, 200));
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void badInputAndUnknownIdsAreJsonErrors() {
        HttpServer server = HttpServer.start(new TodoApi().router(), "127.0.0.1", 0);
        String base = "http://127.0.0.1:" + server.port() + "/todos";
        try (HttpClient client = HttpClient.create()) {
            assertEquals(Map.of("error", "title must be a non-empty string"), call(client, "POST", base, Map.of("title", " "), 400));
            assertEquals(Map.of("error", "title must be at most 200 characters"),
                    call(client, "POST", base, Map.of("title", "x".repeat(201)), 400));
            assertEquals(Map.of("error", "done must be true or false"),
                    call(client, "POST", base, Map.of("title", "a", "done", "yes"), 400));
            assertEquals(Map.of("error", "expected a JSON object"), call(client, "POST", base, List.of(1), 400));
            assertEquals(Map.of("error", "no todo 7"), call(client, "GET", base + "/7", null, 404));
            assertEquals(Map.of("error", "no todo x"), call(client, "PATCH", base + "/x", Map.of("done", true), 404));
            try (HttpResponse r = client.request(HttpRequest.builder(base).method("POST").body("{".getBytes(), "application/json").build())) {
                assertEquals(400, r.status());
                assertEquals(true, ((Map<?, ?>) r.json()).get("error").toString().startsWith("Bad Request: the body is not valid JSON"));
            }
            try (HttpResponse r = client.request(HttpRequest.builder(base).method("POST").body("title=a".getBytes(), "text/plain").build())) {
                assertEquals(415, r.status());
            }
            try (HttpResponse r = client.request(HttpRequest.builder(base).method("PUT").build())) {
                assertEquals(405, r.status());
                assertEquals("GET, HEAD, POST", r.headers().get("allow"));
            }
            assertEquals(Map.of("error", "Not Found"), call(client, "GET", "http://127.0.0.1:" + server.port() + "/nothing", null, 404));
        } finally {
            server.close();
        }
    }
}
