package dev.asyncio.http.websocket;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What {@link WebSocket#receive} hands out: a whole message ({@link Text} or {@link Binary}, its fragments
 * joined), or the peer's {@link Close} at the end of the conversation.
 *
 * <pre>{@code
 * switch (ws.receive()) {
 *     case WebSocketMessage.Text t -> ws.send(t.text());
 *     case WebSocketMessage.Binary b -> ws.send(b.data());
 *     case WebSocketMessage.Close c -> System.out.println("closed: " + c.code() + " " + c.reason());
 * }
 * }</pre>
 */
public sealed interface WebSocketMessage {
    /** A text message: valid UTF-8 on the wire (a peer sending anything else is closed with 1007). */
    record Text(String text) implements WebSocketMessage {
        public Text {
            java.util.Objects.requireNonNull(text, "text");
        }
    }

    /** A binary message. The array is this message's own: nothing else refers to it. */
    record Binary(byte[] data) implements WebSocketMessage {
        public Binary {
            java.util.Objects.requireNonNull(data, "data");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Binary b && Arrays.equals(data, b.data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Binary[" + data.length + " bytes]";
        }
    }

    /**
     * The peer's close frame: {@code code} is its status code ({@link WebSocketCloseCodes#NO_STATUS} 1005 when
     * the frame had none) and {@code reason} its reason ("" when none). It is the last message a connection
     * hands out.
     */
    record Close(int code, String reason) implements WebSocketMessage {
        public Close {
            java.util.Objects.requireNonNull(reason, "reason");
        }
    }

    /** The size of a message's payload in bytes (UTF-8 for text), as counted against the limits. */
    static int size(WebSocketMessage m) {
        return switch (m) {
            case Text t -> t.text().getBytes(StandardCharsets.UTF_8).length;
            case Binary b -> b.data().length;
            case Close c -> 0;
        };
    }
}
