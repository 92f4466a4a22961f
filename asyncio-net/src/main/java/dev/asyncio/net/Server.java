package dev.asyncio.net;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.LoopGroup;
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
 * {@link #shutdown(double)} is the gentler stop: it lets the connections in flight finish within a grace period.
 *
 * <p>A server made on a {@link LoopGroup} ({@code Streams.startServer(group, ...)}) serves each connection on
 * one loop of the group; the {@code Server} object itself belongs to the loop that started it, and its methods
 * are called there (they hand the work to the group's loops and, where they suspend, wait for them).
 */
public final class Server implements AutoCloseable {
    /** After a cancelled serveForever() closed its clients, how long they may take to flush before being aborted. */
    static final double CLOSE_GRACE_SECONDS = 2.0;

    private final AsyncLoop loop;
    /**
     * A group server: one part per loop of the group, each a one-loop server of the connections of its loop
     * (and, where it listens, of its listening sockets). Empty for a one-loop server, which serves itself.
     */
    private final List<Server> parts = new ArrayList<>();
    /** This server's listening sockets; for a group server, every part's, for {@link #port()} and {@link #sockets()}. */
    private final List<Channel> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Set<SocketTransport> clients = new LinkedHashSet<>();
    /**
     * The first and the last streams connection whose handler task is not finished, of a list through their
     * protocols: a connection costs its server two fields of its own rather than a set entry and a lambda.
     */
    private StreamReaderProtocol firstRunning;
    private StreamReaderProtocol lastRunning;
    private final List<Future<Void>> closeWaiters = new ArrayList<>();
    /** Volatile: a group server's parts, on other threads, read whether it still serves. */
    private volatile boolean closed;
    private Future<Void> servingForever;

    Server(AsyncLoop loop) {
        this.loop = loop;
    }

    /** A group server controlled from {@code loop}, serving on {@code parts}' loops. */
    Server(AsyncLoop loop, List<Server> parts) {
        this.loop = loop;
        this.parts.addAll(parts);
    }

    /** The parts of a group server (empty for a one-loop server). */
    List<Server> parts() {
        return parts;
    }

    /** The loop the server belongs to: where its methods are called. */
    AsyncLoop loop() {
        return loop;
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
        if (parts.isEmpty()) {
            for (Channel c : listeners) {
                c.close();
            }
        }
        listeners.clear();
        for (Server part : parts) {
            onPartsLoop(part, part::close);
        }
        Future<Void> forever = servingForever;
        if (forever != null && !forever.done()) {
            forever.setResult(null);
        }
        wakeUpIfFinished();
    }

    /** Closes every accepted connection, after sending what was written to it; mirrors {@code close_clients}. */
    public void closeClients() {
        for (Server part : parts) {
            onPartsLoop(part, part::closeClients);
        }
        for (SocketTransport t : List.copyOf(clients)) {
            t.close();
        }
    }

    /** Aborts every accepted connection, dropping unsent data; mirrors {@code abort_clients}. */
    public void abortClients() {
        for (Server part : parts) {
            onPartsLoop(part, part::abortClients);
        }
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
        if (!finished()) {
            Future<Void> w = loop.createFuture();
            closeWaiters.add(w);
            try {
                w.await();
            } finally {
                closeWaiters.remove(w);
            }
        }
        onEveryPart(Server::waitClosed);
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
            endConnections();
            throw e;
        } finally {
            servingForever = null;
        }
    }

    /**
     * Stops the server gracefully: stops listening at once (as {@link #close()}), then suspends the current task
     * while the connections already accepted finish on their own, for at most {@code graceSeconds} of loop time;
     * then ends those left as a cancelled {@link #serveForever()} does (cancels their tasks, closes the
     * connections, aborts after {@value #CLOSE_GRACE_SECONDS} more seconds those whose peer does not read) and
     * returns once every connection is finished. For a streams server a connection is finished when its
     * handler has returned; a handler waiting for the next request of an idle client counts as in flight, so a
     * handler that should not hold the shutdown up checks {@link #isServing()} between requests. On a group
     * server every loop's connections drain at once, each within the grace period.
     *
     * <p>Connections still in the kernel's accept queue when the listening socket closes are reset by the
     * kernel, as with {@code close()}. To drain on SIGTERM, wait in {@link #waitClosed()} instead of
     * {@link #serveForever()} (whose cancellation ends the connections at once) and call this when that wait is
     * cancelled ({@link dev.asyncio.Asyncio#runMain} turns SIGTERM into cancelling the main task).
     *
     * <p>Cancellation: the grace period ends at once; the connections are ended as on a cancelled
     * {@link #serveForever()}, which this waits for, then the {@link CancelledError} is rethrown. The server
     * stays closed.
     *
     * @throws IllegalArgumentException if {@code graceSeconds} is negative or NaN
     */
    public void shutdown(double graceSeconds) {
        if (!(graceSeconds >= 0)) {
            throw new IllegalArgumentException("grace period must be >= 0 seconds, got " + graceSeconds);
        }
        close();
        if (!parts.isEmpty()) {
            onEveryPart(part -> part.shutdown(graceSeconds));
            return;
        }
        Future<Void> drained = loop.createFuture();
        Future<Void> w = loop.createFuture();
        closeWaiters.add(w);
        TimerHandle graceOver = loop.callLater(graceSeconds, () -> {
            if (!drained.done()) {
                drained.setResult(null);
            }
        });
        w.addDoneCallback(f -> {
            if (!drained.done()) {
                drained.setResult(null);
            }
        });
        wakeUpIfFinished();
        try {
            drained.await();
        } catch (CancelledError e) {
            endConnections();
            throw e;
        } finally {
            graceOver.cancel();
            closeWaiters.remove(w);
        }
        if (!finished()) {
            endConnections();
        }
    }

    /**
     * Cancels the connections' tasks (streams), closes the connections, aborts after {@value #CLOSE_GRACE_SECONDS}
     * seconds those still flushing to a peer that does not read, and suspends until all are finished; the
     * server is closed already. On a group server, each loop does it for its own connections.
     */
    private void endConnections() {
        if (!parts.isEmpty()) {
            onEveryPart(Server::endConnections);
            return;
        }
        List<Task<?>> running = new ArrayList<>();
        for (StreamReaderProtocol p = firstRunning; p != null; p = p.nextRunning) {
            running.add(p.task());
        }
        for (Task<?> t : running) {
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
    }

    // ---------------------------------------------------------------- group servers

    /** Runs {@code action} on {@code part}'s loop; nothing if that loop is closed (its group closed first). */
    private static void onPartsLoop(Server part, Runnable action) {
        try {
            part.loop.callSoonThreadsafe(action);
        } catch (IllegalStateException loopClosed) {
            // The group is closed: its loops closed every channel and task already.
        }
    }

    /**
     * Runs {@code action} on every part, each on its own loop and all at once, and suspends until all are done;
     * nothing for a one-loop server. The first failure is rethrown once all are done. Cancellation cancels
     * the parts' tasks too; a part whose loop is closed is skipped.
     */
    private void onEveryPart(java.util.function.Consumer<Server> action) {
        if (parts.isEmpty()) {
            return;
        }
        List<java.util.concurrent.CompletableFuture<Void>> running = new ArrayList<>();
        for (Server part : parts) {
            try {
                running.add(toCompletable(Asyncio.runCoroutineThreadsafe(() -> {
                    action.accept(part);
                }, part.loop)));
            } catch (IllegalStateException loopClosed) {
                // Nothing is left to do there: closing the group closed the part's connections.
            }
        }
        java.util.concurrent.CompletableFuture<Void> all = java.util.concurrent.CompletableFuture.allOf(
                running.toArray(new java.util.concurrent.CompletableFuture<?>[0]));
        try {
            Asyncio.await(all.handle((v, e) -> null));
        } catch (CancelledError e) {
            running.forEach(f -> f.cancel(false));
            throw e;
        }
        for (java.util.concurrent.CompletableFuture<Void> f : running) {
            if (f.isCancelled()) {
                continue;       // the part's loop closed with the group before it ran
            }
            try {
                f.join();
            } catch (java.util.concurrent.CompletionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw e;
            }
        }
    }

    private static <T> java.util.concurrent.CompletableFuture<T> toCompletable(java.util.concurrent.Future<T> f) {
        return (java.util.concurrent.CompletableFuture<T>) f; // runCoroutineThreadsafe makes a CompletableFuture
    }

    // ---------------------------------------------------------------- connections (loop side)

    void attach(SocketTransport t) {
        clients.add(t);
    }

    void detach(SocketTransport t) {
        clients.remove(t);
        wakeUpIfFinished();
    }

    /** A streams connection's handler task started: the server waits for it (and cancels it) when it ends. */
    void track(StreamReaderProtocol p) {
        p.previousRunning = lastRunning;
        if (lastRunning == null) {
            firstRunning = p;
        } else {
            lastRunning.nextRunning = p;
        }
        lastRunning = p;
    }

    /** The handler task of {@code p}, tracked before, is done. */
    void untrack(StreamReaderProtocol p) {
        StreamReaderProtocol previous = p.previousRunning;
        StreamReaderProtocol next = p.nextRunning;
        if (previous == null) {
            firstRunning = next;
        } else {
            previous.nextRunning = next;
        }
        if (next == null) {
            lastRunning = previous;
        } else {
            next.previousRunning = previous;
        }
        p.previousRunning = null;
        p.nextRunning = null;
        wakeUpIfFinished();
    }

    /** Whether this server (not its parts) is closed and its connections finished. */
    private boolean finished() {
        return closed && clients.isEmpty() && firstRunning == null;
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
        return "<Server " + (closed ? "closed" : "sockets=" + addresses())
                + (parts.isEmpty() ? " clients=" + clients.size() : " loops=" + parts.size()) + ">";
    }
}
