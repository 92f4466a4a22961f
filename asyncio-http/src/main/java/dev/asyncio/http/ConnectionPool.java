package dev.asyncio.http;

import dev.asyncio.AsyncLoop;
import dev.asyncio.CancelledError;
import dev.asyncio.Future;
import dev.asyncio.TimerHandle;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The connections of one {@link HttpClient}, per origin: idle keep-alive connections to reuse, and a count
 * of every open one (connecting, busy or idle) held under a per-origin and a total limit. Tasks that find
 * no connection and no room wait in one FIFO queue.
 *
 * <p>A waiter is served as soon as something frees up for it, in the order the waiters came: the pool hands
 * it the idle connection or the reserved room directly, so that a task arriving later cannot take it first.
 * At any moment between two steps of the loop, no waiter could be served (every release serves whom it can
 * at once), so a newcomer that finds room takes it without jumping the queue.
 *
 * <p>When the total limit is reached but some origin has an idle connection, the idle connection that has
 * waited longest is closed to make room. Idle connections are closed after {@code idleTimeout} seconds, and
 * as soon as their server closes them (a read is kept pending on them).
 */
final class ConnectionPool {
    /** What {@link #tryServe} returns for "room for a new connection was reserved". */
    private static final Object ROOM = new Object();

    private final AsyncLoop loop;
    private final int maxTotal;
    private final int maxPerHost;
    private final double idleTimeout;

    private final Map<Origin, Host> hosts = new HashMap<>();
    /** Every idle connection with the loop time it became idle, the one idle longest first. */
    private final LinkedHashMap<HttpConnection, Double> idleSince = new LinkedHashMap<>();
    /**
     * Every connection the pool counts and that is connected, until it closes: to close them all on shutdown.
     * The pool's bookkeeping is all here, none of it on the connections.
     */
    private final LinkedHashSet<HttpConnection> adopted = new LinkedHashSet<>();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private int open;
    private boolean closed;
    private TimerHandle sweep;
    private boolean dispatching;
    private boolean dispatchAgain;

    /** One origin's share. */
    private static final class Host {
        /** Connections counted for this origin: connecting, busy and idle. */
        int open;
        /** Its idle connections, the most recently used last. */
        final LinkedHashSet<HttpConnection> idle = new LinkedHashSet<>();
    }

    /** A task waiting for a connection to {@code origin}; its future gets an idle connection, or null for room. */
    private record Waiter(Origin origin, boolean allowIdle, Future<HttpConnection> future) {
    }

    ConnectionPool(AsyncLoop loop, int maxTotal, int maxPerHost, double idleTimeout) {
        this.loop = loop;
        this.maxTotal = maxTotal;
        this.maxPerHost = maxPerHost;
        this.idleTimeout = idleTimeout;
    }

    /**
     * An idle connection to {@code origin} ({@code allowIdle}), or {@code null}: room for a new one was reserved,
     * and the caller must {@link #adopt} the connection it makes or {@link #releaseRoom} the room. Suspends the
     * current task until either is available, in the order the tasks asked, or the request's deadline passes.
     *
     * <p>Cancellation: the task leaves the queue; if a connection or room had just been handed to it, it goes
     * back to the pool (to the next waiter).
     *
     * @throws TotalTimeoutError     if the request's deadline passes first
     * @throws IllegalStateException if the client is closed, or closes meanwhile
     */
    HttpConnection acquire(Origin origin, boolean allowIdle, Limits limits, Object what) {
        checkOpen();
        Object granted = tryServe(origin, allowIdle);
        if (granted != null) {
            return granted == ROOM ? null : (HttpConnection) granted;
        }
        Future<HttpConnection> f = loop.createFuture();
        Waiter w = new Waiter(origin, allowIdle, f);
        waiters.add(w);
        TimerHandle timer = limits.deadline() == Double.POSITIVE_INFINITY ? null : loop.callAt(limits.deadline(), () -> {
            if (!f.done()) {
                waiters.remove(w);
                f.setException(limits.totalExceeded(what + " (waiting for a free connection)"));
            }
        });
        try {
            return f.await();
        } catch (CancelledError e) {
            waiters.remove(w);
            if (f.done() && !f.cancelled() && f.exception() == null) {
                HttpConnection c = f.result();
                if (c == null) {
                    releaseRoom(origin);
                } else {
                    recycle(c);
                }
            }
            throw e;
        } finally {
            if (timer != null) {
                timer.cancel();
            }
        }
    }

    /**
     * What {@code origin} can have now: a usable idle connection, {@link #ROOM} (reserved), or {@code null}.
     * Idle connections found dead on the way are closed.
     */
    private Object tryServe(Origin origin, boolean allowIdle) {
        // Closing a connection here makes the pool forget it, which may drop the origin's entry: look it up again.
        if (allowIdle) {
            Host h;
            while (!(h = host(origin)).idle.isEmpty()) {
                HttpConnection c = h.idle.removeLast();
                idleSince.remove(c);
                if (c.usable()) {
                    return c;
                }
                c.abort();
            }
        } else {
            Host h = host(origin);
            if (h.open >= maxPerHost && !h.idle.isEmpty()) {
                h.idle.getFirst().abort();        // a retry wants a new connection: make room among its own idle ones
            }
        }
        if (host(origin).open >= maxPerHost) {
            return null;
        }
        if (open >= maxTotal && !idleSince.isEmpty()) {
            idleSince.firstEntry().getKey().abort();
        }
        Host h = host(origin);
        if (open >= maxTotal || h.open >= maxPerHost) {
            dropIfUnused(origin, h);
            return null;
        }
        h.open++;
        open++;
        return ROOM;
    }

    private Host host(Origin origin) {
        Host h = hosts.get(origin);
        if (h == null) {
            h = new Host();
            hosts.put(origin, h);
        }
        return h;
    }

    /**
     * Takes a newly made connection into the pool, in the room reserved for it.
     *
     * @throws ServerDisconnectedError if it closed already (the room is released)
     */
    void adopt(HttpConnection c) {
        if (c.closed()) {
            releaseRoom(c.origin);
            throw new ServerDisconnectedError("the connection to " + c.origin + " closed right after it was made");
        }
        adopted.add(c);
        if (closed) {
            c.abort();
            checkOpen();
        }
    }

    /** Gives back room reserved by {@link #acquire} that no connection will use. */
    void releaseRoom(Origin origin) {
        Host h = hosts.get(origin);
        h.open--;
        open--;
        dropIfUnused(origin, h);
        dispatch();
    }

    /** Puts a connection whose exchange ended cleanly back, idle; it goes to a waiter at once if one can use it. */
    void recycle(HttpConnection c) {
        if (closed || c.closed()) {
            c.abort();
            return;
        }
        Host h = hosts.get(c.origin);
        h.idle.add(c);
        idleSince.put(c, loop.time());
        scheduleSweep();
        dispatch();
    }

    /** Called once by a connection when it closes, for whatever reason: it no longer counts. */
    void forget(HttpConnection c) {
        if (!adopted.remove(c)) {
            return;
        }
        Host h = hosts.get(c.origin);
        if (idleSince.remove(c) != null) {
            h.idle.remove(c);
        }
        h.open--;
        open--;
        dropIfUnused(c.origin, h);
        dispatch();
    }

    private void dropIfUnused(Origin origin, Host h) {
        if (h.open == 0 && h.idle.isEmpty()) {
            hosts.remove(origin);
        }
    }

    /** Serves the waiters that can be served now, first come first served. */
    private void dispatch() {
        if (dispatching) {
            dispatchAgain = true;         // closing a dead idle connection while serving comes back here
            return;
        }
        dispatching = true;
        try {
            do {
                dispatchAgain = false;
                Iterator<Waiter> it = waiters.iterator();
                while (it.hasNext()) {
                    Waiter w = it.next();
                    if (w.future().done()) {
                        it.remove();
                        continue;
                    }
                    Object granted = tryServe(w.origin(), w.allowIdle());
                    if (granted != null) {
                        it.remove();
                        w.future().setResult(granted == ROOM ? null : (HttpConnection) granted);
                    }
                }
            } while (dispatchAgain && !waiters.isEmpty());
        } finally {
            dispatching = false;
        }
    }

    private void scheduleSweep() {
        if (sweep == null && !idleSince.isEmpty() && idleTimeout != Double.POSITIVE_INFINITY) {
            sweep = loop.callAt(idleSince.firstEntry().getValue() + idleTimeout, this::sweep);
        }
    }

    private void sweep() {
        sweep = null;
        double now = loop.time();
        while (!idleSince.isEmpty() && idleSince.firstEntry().getValue() + idleTimeout <= now) {
            idleSince.firstEntry().getKey().abort();
        }
        scheduleSweep();
    }

    /** Closes every connection, busy ones included, and fails every waiter. */
    void close(RuntimeException why) {
        if (closed) {
            return;
        }
        closed = true;
        if (sweep != null) {
            sweep.cancel();
            sweep = null;
        }
        List<Waiter> waiting = new ArrayList<>(waiters);
        waiters.clear();
        for (Waiter w : waiting) {
            if (!w.future().done()) {
                w.future().setException(why);
            }
        }
        for (HttpConnection c : new ArrayList<>(adopted)) {
            c.closeForShutdown(why);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the HttpClient is closed");
        }
    }

    /** Connections counted now (connecting, busy, idle), in total. */
    int openConnections() {
        return open;
    }

    /** Connections counted now for {@code origin}. */
    int openConnections(Origin origin) {
        Host h = hosts.get(origin);
        return h == null ? 0 : h.open;
    }

    /** Idle connections now, in total. */
    int idleConnections() {
        return idleSince.size();
    }

    /** Whether {@code c} waits in the pool, idle. */
    boolean isIdle(HttpConnection c) {
        return idleSince.containsKey(c);
    }

    /** How many tasks wait for a connection. */
    int waiting() {
        return waiters.size();
    }
}
