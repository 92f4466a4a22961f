package dev.asyncio.examples.chat;

import dev.asyncio.Asyncio;
import dev.asyncio.Queue;
import dev.asyncio.QueueFull;
import dev.asyncio.Task;
import dev.asyncio.http.websocket.WebSocket;
import dev.asyncio.http.websocket.WebSocketClosedError;
import dev.asyncio.http.websocket.WebSocketCloseCodes;
import dev.asyncio.http.websocket.WebSocketMessage;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One chat room: every line a member says goes to every member. Each member has a bounded outbox drained by a
 * writer task of its own, so a member whose connection is slow never holds up the others: once its outbox is
 * full it is closed with 1008 (policy violation) and leaves the room. Everything runs on one loop; no locks.
 */
public final class ChatRoom {
    private final int outboxSize;
    private final Set<Member> members = new LinkedHashSet<>();

    private static final class Member {
        final String name;
        final WebSocket ws;
        final Queue<String> outbox;
        boolean dropped;

        Member(String name, WebSocket ws, int outboxSize) {
            this.name = name;
            this.ws = ws;
            this.outbox = new Queue<>(outboxSize);
        }
    }

    /** A room whose members may each be {@code outboxSize} lines behind before they are dropped. */
    public ChatRoom(int outboxSize) {
        this.outboxSize = outboxSize;
    }

    /** The names of the members, in the order they joined. */
    public List<String> members() {
        List<String> names = new ArrayList<>();
        for (Member m : members) {
            names.add(m.name);
        }
        return names;
    }

    /**
     * Serves one member for as long as it stays: its first text message is its name, every later one a line
     * said to the room. Suspends the current task until the member leaves (closes, disconnects, or is dropped
     * for being too slow).
     *
     * <p>Cancellation: the member leaves the room and its writer task is cancelled.
     */
    public void serve(WebSocket ws) {
        if (!(ws.receive() instanceof WebSocketMessage.Text first) || first.text().isBlank()) {
            return;
        }
        // snippet:serve
        Member me = new Member(first.text().strip(), ws, outboxSize);
        Task<Void> writer = Asyncio.createTask(() -> write(me), "chat writer " + me.name);
        members.add(me);
        broadcast("* " + me.name + " joined");
        try {
            while (ws.receive() instanceof WebSocketMessage.Text line) {
                broadcast(me.name + ": " + line.text());
            }
        } catch (WebSocketClosedError e) {
            // gone without a goodbye, or dropped: leaves all the same
        } finally {
            writer.cancel();
            if (members.remove(me)) {
                broadcast("* " + me.name + " left");
            }
        }
        // end-snippet
    }

    /** The member's writer: sends its outbox in order; {@link WebSocket#send} waits while the peer is behind. */
    private static void write(Member m) {
        // snippet:writer
        try {
            while (true) {
                m.ws.send(m.outbox.get());
            }
        } catch (WebSocketClosedError e) {
            // the connection is closing: nothing more to send
        }
        // end-snippet
    }

    /**
     * Puts {@code line} in every member's outbox, without waiting. A member whose outbox is full is dropped:
     * closed with 1008, in a task of its own, while the others go on.
     */
    public void broadcast(String line) {
        // snippet:broadcast
        for (Member m : List.copyOf(members)) {
            try {
                m.outbox.putNowait(line);
            } catch (QueueFull e) {
                drop(m);
            }
        }
        // end-snippet
    }

    private void drop(Member m) {
        if (m.dropped) {
            return;
        }
        m.dropped = true;
        members.remove(m);
        Asyncio.createTask(() -> m.ws.close(WebSocketCloseCodes.POLICY_VIOLATION,
                "too slow: " + outboxSize + " lines behind"), "chat drop " + m.name);
        broadcast("* " + m.name + " was too slow and was dropped");
    }
}
