package dev.asyncio.net;

import dev.asyncio.AsyncLoop;
import dev.asyncio.CancelledError;
import dev.asyncio.Future;
import dev.asyncio.Task;
import dev.asyncio.TimerHandle;
import io.netty.channel.Channel;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A listening server made by {@link Streams#startServer} or {@link Net#createServer}; mirrors
 * {@code asyncio.Server}.
 *
 * <pre>{@code
 * try (Server server = Streams.startServer(Echo::handle, "127.0.0.1", 0)) {
 *     System.out.println("listening on port " + server.port());
 *     server.serveForever();                    // until the task is cancelled (Ctrl-C)
 * }
 * }</pre>
 *
 * <p>The server accepts connections as soon as it is made. {@link #close()} stops listening but leaves the
 * connections already accepted alone, as in asyncio; {@link #closeClients()} and {@link #abortClients()}
 * close those (Python 3.13), and {@link #waitClosed()} waits until the server is closed and every connection
 * (and, for a streams server, every connection's task) is finished.
 *
 * <p>Unlike asyncio's {@code serve_forever}, whose cancellation waits for the clients to leave on their own,
 * cancelling {@link #serveForever()} also ends the connections, so that Ctrl-C never hangs on an idle client.
 */
public final class Server implements AutoCloseable {
    /** After a cancelled serveForever() closed its clients, how long they may take to flush before being aborted. */
    static final double CLOSE_GRACE_SECONDS = 2.0;

    private final AsyncLoop loop;
    private final List<Channel> listeners = new ArrayList<>();
    private final Set<SocketTransport> clients = new LinkedHashSet<>();
    private final Set<Task<?>> connectionTasks = new LinkedHashSet<>();
    private final List<Future<Void>> closeWaiters = new ArrayList<>();
    private boolean closed;
    private Future<Void> servingForever;

    Server(AsyncLoop loop) {
        this.loop = loop;
    }

    void addListener(Channel listener) {
        listeners.add(listener);
    }

    /** The port of the first listening socket (the one chosen when 0 was asked for). */
    public int port() {
        for (Channel c : listeners) {
            if (c.localAddress() instanceof InetSocketAddress a) {
                return a.getPort();
            }
        }
        throw new IllegalStateException(closed ? "the server is closed" : "the server listens on no TCP socket");
    }

    /** The addresses of the TCP sockets the server listens on; empty once closed. Mirrors {@code sockets}. */
    public List<InetSocketAddress> sockets() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (Channel c : listeners) {
            if (c.localAddress() instanceof InetSocketAddress a) {
                out.add(a);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** Every listening address, Unix socket paths included; empty once closed. */
    public List<SocketAddress> addresses() {
        List<SocketAddress> out = new ArrayList<>();
        for (Channel c : listeners) {
            out.add(c.localAddress());
        }
        return Collections.unmodifiableList(out);
    }

    /** Whether the server accepts connections; mirrors {@code is_serving}. */
    public boolean isServing() {
        return !closed;
    }

    /**
     * Stops listening: closes the listening sockets; accepted connections stay open. Returns at once; a
     * task in {@link #serveForever()} returns normally. Idempotent. Mirrors {@code close}.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Channel c : listeners) {
            c.close();
        }
        listeners.clear();
        Future<Void> forever = servingForever;
        if (forever != null && !forever.done()) {
            forever.setResult(null);
        }
        wakeUpIfFinished();
    }

    /** Closes every accepted connection, after sending what was written to it; mirrors {@code close_clients}. */
    public void closeClients() {
        for (SocketTransport t : List.copyOf(clients)) {
            t.close();
        }
    }

    /** Aborts every accepted connection, dropping unsent data; mirrors {@code abort_clients}. */
    public void abortClients() {
        for (SocketTransport t : List.copyOf(clients)) {
            t.abort();
        }
    }

    /**
     * Suspends the current task until the server is closed and every connection it accepted is finished
     * (closed, and for a streams server its task done); returns at once if that is already so. Mirrors
     * {@code wait_closed} (Python 3.12+).
     *
     * <p>Cancellation: the {@link CancelledError} is thrown here; the server is left as it is.
     */
    public void waitClosed() {
        if (finished()) {
            return;
        }
        Future<Void> w = loop.createFuture();
        closeWaiters.add(w);
        try {
            w.await();
        } finally {
            closeWaiters.remove(w);
        }
    }

    /**
     * Suspends the current task for as long as the server runs: until {@link #close()} is called (then it
     * returns) or the task is cancelled. On cancellation it stops listening, cancels the connections' tasks
     * (streams) or closes the connections (protocols), waits for them to finish (aborting, after
     * {@value #CLOSE_GRACE_SECONDS} seconds, connections whose peer does not read what is left to send), and
     * rethrows the {@link CancelledError}. Mirrors {@code serve_forever}.
     *
     * <p>Cancellation: as described; nothing of the server is left open.
     *
     * @throws IllegalStateException if the server is closed or another task is already in serveForever
     */
    public void serveForever() {
        if (servingForever != null) {
            throw new IllegalStateException("server " + this + " is already being awaited on serveForever()");
        }
        if (closed) {
            throw new IllegalStateException("server " + this + " is closed");
        }
        Future<Void> forever = loop.createFuture();
        servingForever = forever;
        try {
            forever.await();
        } catch (CancelledError e) {
            close();
            for (Task<?> t : List.copyOf(connectionTasks)) {
                t.cancel();
            }
            closeClients();
            // A client that stops reading keeps a graceful close from finishing: abort what is left after a while.
            TimerHandle abortLater = loop.callLater(CLOSE_GRACE_SECONDS, this::abortClients);
            try {
                waitClosed();
            } finally {
                abortLater.cancel();
            }
            throw e;
        } finally {
            servingForever = null;
        }
    }

    // ---------------------------------------------------------------- connections (loop side)

    void attach(SocketTransport t) {
        clients.add(t);
    }

    void detach(SocketTransport t) {
        clients.remove(t);
        wakeUpIfFinished();
    }

    void track(Task<?> connectionTask) {
        connectionTasks.add(connectionTask);
        connectionTask.addDoneCallback(t -> {
            connectionTasks.remove(connectionTask);
            wakeUpIfFinished();
        });
    }

    private boolean finished() {
        return closed && clients.isEmpty() && connectionTasks.isEmpty();
    }

    private void wakeUpIfFinished() {
        if (!finished()) {
            return;
        }
        for (Future<Void> w : List.copyOf(closeWaiters)) {
            if (!w.done()) {
                w.setResult(null);
            }
        }
    }

    @Override
    public String toString() {
        return "<Server " + (closed ? "closed" : "sockets=" + addresses()) + " clients=" + clients.size() + ">";
    }
}
