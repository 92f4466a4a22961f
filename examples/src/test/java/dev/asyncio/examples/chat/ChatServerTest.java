package dev.asyncio.examples.chat;

import dev.asyncio.Asyncio;
import dev.asyncio.Task;
import dev.asyncio.http.HttpClient;
import dev.asyncio.http.HttpResponse;
import dev.asyncio.http.HttpServer;
import dev.asyncio.http.websocket.WebSocket;
import dev.asyncio.http.websocket.WebSocketClient;
import dev.asyncio.http.websocket.WebSocketMessage;
import dev.asyncio.test.AsyncTest;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chat: the page, then two clients (this project's and the JDK's) talking, and a slow one dropped. */
class ChatServerTest {
    /** The JDK's WebSocket client, its text messages collected (on its own threads) in a queue. */
    private static final class JdkMember implements java.net.http.WebSocket.Listener {
        final LinkedBlockingQueue<String> heard = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                heard.add(text.toString());
                text.setLength(0);
            }
            w.request(1);
            return null;
        }

        /** The next line heard; taken on a virtual thread, so the loop goes on meanwhile. */
        String next() throws Exception {
            String s = Asyncio.toThread(() -> heard.poll(10, TimeUnit.SECONDS));
            return s == null ? "nothing within 10 s" : s;
        }
    }

    private static String text(WebSocket ws) {
        return ((WebSocketMessage.Text) ws.receive()).text();
    }

    @AsyncTest(realTime = true)
    void thePageAndTwoClientsOfDifferentMakesTalking() throws Exception {
        ChatRoom room = new ChatRoom(ChatServer.OUTBOX_SIZE);
        HttpServer server = ChatServer.start(room, "127.0.0.1", 0);
        try (java.net.http.HttpClient jdkHttp = java.net.http.HttpClient.newHttpClient()) {
            try (HttpClient http = HttpClient.create();
                 HttpResponse page = http.get("http://127.0.0.1:" + server.port() + "/")) {
                assertEquals(200, page.status());
                assertTrue(page.text().contains("new WebSocket("), "the page opens the WebSocket");
            }
            WebSocket ann = WebSocketClient.connect("ws://127.0.0.1:" + server.port() + "/ws");
            ann.send("ann");
            assertEquals("* ann joined", text(ann));

            JdkMember bob = new JdkMember();
            java.net.http.WebSocket jdk = Asyncio.await(jdkHttp.newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws"), bob));
            Asyncio.await(jdk.sendText("bob", true));
            assertEquals("* bob joined", bob.next());
            assertEquals("* bob joined", text(ann));
            assertEquals(List.of("ann", "bob"), room.members());

            ann.send("hi bob");
            assertEquals("ann: hi bob", text(ann));
            assertEquals("ann: hi bob", bob.next());
            Asyncio.await(jdk.sendText("hi ann", true));
            assertEquals("bob: hi ann", bob.next());
            assertEquals("bob: hi ann", text(ann));

            ann.close();
            assertEquals("* ann left", bob.next());
            Asyncio.await(jdk.sendClose(1000, ""));
            jdk.abort();
        } finally {
            server.close();
        }
    }

    @AsyncTest(realTime = true)
    void aClientThatDoesNotReadIsDroppedAndTheOthersGetEveryLine() {
        ChatRoom room = new ChatRoom(4);
        HttpServer server = ChatServer.start(room, "127.0.0.1", 0);
        try {
            String url = "ws://127.0.0.1:" + server.port() + "/ws";
            WebSocket fast = WebSocketClient.connect(url);
            fast.send("fast");
            assertEquals("* fast joined", text(fast));
            WebSocket slow = WebSocketClient.connect(url);
            slow.send("slow");
            assertEquals("* slow joined", text(fast));
            while (room.members().size() < 2) {
                Asyncio.sleep(0.001);
            }
            // The fast one reads everything as it comes; the slow one reads nothing until the end.
            List<String> fastGot = new ArrayList<>();
            Task<Void> reader = Asyncio.createTask(() -> {
                while (true) {
                    String line = text(fast);
                    fastGot.add(line);
                    if (line.equals("done")) {
                        return;
                    }
                }
            });
            String big = "x".repeat(64 << 10);
            int lines = 0;
            while (room.members().contains("slow")) {
                room.broadcast(big);       // unmasked server frames: cheap, fills the slow client's socket
                lines++;
                Asyncio.sleep(0);          // lets the writers run
                assertTrue(lines < 2000, "the slow client was never dropped");
            }
            room.broadcast("done");
            reader.await();
            assertEquals(lines, fastGot.stream().filter(big::equals).count(), "the fast client got every line");
            assertTrue(fastGot.contains("* slow was too slow and was dropped"));
            // The slow one, reading at last, finds the lines it was sent and then the close.
            WebSocketMessage m;
            int slowGot = 0;
            while ((m = slow.receive()) instanceof WebSocketMessage.Text) {
                slowGot++;
            }
            WebSocketMessage.Close close = assertInstanceOf(WebSocketMessage.Close.class, m);
            assertEquals(1008, close.code());
            assertEquals("too slow: 4 lines behind", close.reason());
            assertTrue(slowGot < lines, slowGot + " of " + lines);
            fast.close();
        } finally {
            server.close();
        }
    }
}
