package dev.asyncio.examples.todo;

import dev.asyncio.Asyncio;
import dev.asyncio.http.ErrorResponse;
import dev.asyncio.http.HttpServer;
import dev.asyncio.http.Router;
import dev.asyncio.http.ServerRequest;
import dev.asyncio.http.ServerResponse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A JSON API over HTTP: an in-memory todo list with routing, validation and errors, on {@link HttpServer}.
 *
 * <pre>
 * ./mvnw -q -pl examples -am compile exec:exec -Dexample=TodoApi -Dargs=8080
 * curl -s -X POST localhost:8080/todos -d '{"title": "write the guide"}' -H 'Content-Type: application/json'
 * curl -s localhost:8080/todos
 * </pre>
 *
 * <p>Routes: {@code GET /todos} (optionally {@code ?done=true|false}), {@code POST /todos},
 * {@code GET|PATCH|DELETE /todos/{id}}. Every error is a JSON object {@code {"error": "..."}} with its status:
 * 400 for a body that is not a valid todo, 404 for an unknown id or path, 405 for a method a path does not
 * take, 415 for a body that is not JSON. Everything runs on one loop: the list needs no lock.
 */
public final class TodoApi {
    /** The longest title accepted. */
    static final int MAX_TITLE = 200;

    private final TreeMap<Long, Map<String, Object>> todos = new TreeMap<>();
    private long nextId = 1;

    // snippet:router
    /** The API's routes and middleware: a {@link Router} to hand to {@link HttpServer#start}. */
    public Router router() {
        return new Router()
                .use(TodoApi::errorsAsJson)
                .get("/todos", this::list)
                .post("/todos", this::create)
                .get("/todos/{id}", (request, response) -> response.json(200, find(request)))
                .patch("/todos/{id}", this::update)
                .delete("/todos/{id}", (request, response) -> {
                    todos.remove(id(request));
                    response.status(204).end();
                });
    }
    // end-snippet

    // snippet:errors
    /** Middleware: an {@link ErrorResponse} from anywhere inside becomes {@code {"error": message}}. */
    static void errorsAsJson(ServerRequest request, ServerResponse response, dev.asyncio.http.Handler next)
            throws Exception {
        try {
            next.handle(request, response);
        } catch (ErrorResponse e) {
            if (response.headSent()) {
                throw e;
            }
            response.json(e.status(), Map.of("error", e.getMessage()));
        }
    }
    // end-snippet

    private void list(ServerRequest request, ServerResponse response) {
        String done = request.query("done");
        List<Object> out = new ArrayList<>();
        for (Map<String, Object> todo : todos.values()) {
            if (done == null || todo.get("done").toString().equals(done)) {
                out.add(todo);
            }
        }
        response.json(200, out);
    }

    // snippet:create
    private void create(ServerRequest request, ServerResponse response) {
        Map<?, ?> fields = object(request.json());         // suspends until the body is in; 400/415 if not JSON
        Map<String, Object> todo = new LinkedHashMap<>();
        todo.put("id", nextId++);
        todo.put("title", title(fields.get("title")));
        todo.put("done", fields.containsKey("done") ? done(fields.get("done")) : false);
        todos.put((Long) todo.get("id"), todo);
        response.header("Location", "/todos/" + todo.get("id"));
        response.json(201, todo);
    }
    // end-snippet

    private void update(ServerRequest request, ServerResponse response) {
        Map<String, Object> todo = find(request);
        Map<?, ?> fields = object(request.json());
        for (Object key : fields.keySet()) {
            if (!key.equals("title") && !key.equals("done")) {
                throw new ErrorResponse(400, "unknown field '" + key + "': a todo has a title and done");
            }
        }
        if (fields.containsKey("title")) {
            todo.put("title", title(fields.get("title")));
        }
        if (fields.containsKey("done")) {
            todo.put("done", done(fields.get("done")));
        }
        response.json(200, todo);
    }

    private Map<String, Object> find(ServerRequest request) {
        Map<String, Object> todo = todos.get(id(request));
        if (todo == null) {
            throw new ErrorResponse(404, "no todo " + request.pathParam("id"));
        }
        return todo;
    }

    private static long id(ServerRequest request) {
        try {
            return Long.parseLong(request.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new ErrorResponse(404, "no todo " + request.pathParam("id"));
        }
    }

    private static Map<?, ?> object(Object json) {
        if (!(json instanceof Map<?, ?> m)) {
            throw new ErrorResponse(400, "expected a JSON object");
        }
        return m;
    }

    private static String title(Object title) {
        if (!(title instanceof String s) || s.isBlank()) {
            throw new ErrorResponse(400, "title must be a non-empty string");
        }
        if (s.length() > MAX_TITLE) {
            throw new ErrorResponse(400, "title must be at most " + MAX_TITLE + " characters");
        }
        return s;
    }

    private static boolean done(Object done) {
        if (!(done instanceof Boolean b)) {
            throw new ErrorResponse(400, "done must be true or false");
        }
        return b;
    }

    /** Serves the API on 127.0.0.1 at the port given (8080 if none) until interrupted (Ctrl-C). */
    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Asyncio.run(() -> {
            HttpServer server = HttpServer.start(new TodoApi().router(), "127.0.0.1", port);
            System.out.println("Todo API at http://127.0.0.1:" + server.port() + "/todos (Ctrl-C stops it)");
            server.serveForever();
        });
    }
}
