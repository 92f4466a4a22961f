package dev.asyncio.examples.chat;

import dev.asyncio.Asyncio;
import dev.asyncio.http.HttpServer;
import dev.asyncio.http.Router;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A chat over WebSockets with a browser page: open http://127.0.0.1:8080/ in a few tabs (first argument: the port).
 *
 * <p>{@link HttpServer} serves the page at {@code /} and the WebSocket endpoint at {@code /ws}; each connection
 * is a task of its own in one {@link ChatRoom}, with a bounded outbox so that a slow client never holds up the
 * others.
 */
public final class ChatServer {
    /** How many lines a member may be behind before it is dropped. */
    public static final int OUTBOX_SIZE = 64;

    private ChatServer() {
    }

    /** The page, from the classpath. */
    static String page() {
        try (InputStream in = ChatServer.class.getResourceAsStream("chat.html")) {
            if (in == null) {
                throw new IllegalStateException("chat.html is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The routes: the page at {@code /}, the room at {@code /ws}. */
    public static Router router(ChatRoom room) {
        String page = page();
        // snippet:routes
        return new Router()
                .get("/", (request, response) -> response.header("Content-Type", "text/html; charset=utf-8")
                        .send(200, page))
                .websocket("/ws", room::serve);
        // end-snippet
    }

    /**
     * Starts the chat on {@code host}:{@code port} (0: a free one). Suspends the current task until it listens.
     */
    public static HttpServer start(ChatRoom room, String host, int port) {
        return HttpServer.start(router(room), host, port);
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Asyncio.run(() -> {
            HttpServer server = start(new ChatRoom(OUTBOX_SIZE), "127.0.0.1", port);
            System.out.println("chat on http://127.0.0.1:" + server.port() + "/ (Ctrl-C to stop)");
            server.serveForever();
        });
    }
}
