package dev.asyncio.net;

import dev.asyncio.AsyncLoop;
import dev.asyncio.AsyncRunnable;
import dev.asyncio.Context;
import dev.asyncio.CancelledError;
import dev.asyncio.Future;
import dev.asyncio.Task;
import dev.asyncio.internal.TaskNaming;
import io.netty.buffer.ByteBuf;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The protocol under a stream pair: feeds the {@link StreamReader}, tracks flow control for
 * {@link StreamWriter#drain()} and, on a server, starts the connection's task. Mirrors asyncio's
 * {@code StreamReaderProtocol} with its {@code FlowControlMixin}.
 */
final class StreamReaderProtocol implements Protocol, ByteBufReceiver, AsyncRunnable, TaskNaming,
        java.util.function.Consumer<Future<Void>> {
    private final AsyncLoop loop;
    private final StreamReader reader;
    /** The server's per-connection handler, or null on the client side. */
    private final ConnectionHandler handler;
    private final Server server;
    private Transport transport;
    private StreamWriter writer;
    private boolean overSsl;

    private boolean writingPaused;
    private boolean connectionLost;
    /**
     * One future per task waiting in drain(): cancelling one drain must not wake or cancel the others
     * (bpo-29930). Made by the first drain that waits: an idle connection holds none.
     */
    private java.util.ArrayDeque<Future<Void>> drainWaiters;
    /** What waitClosed() awaits; made when first asked for (an idle connection holds none). */
    private Future<Void> closed;
    /** Why the connection was lost ({@code null}: closed cleanly), once {@link #connectionLost} is set. */
    private Throwable lostWith;
    private final Context handlerContext;
    /** The server side's handler task, while its server tracks it; else {@code null}. */
    private Task<Void> task;
    /** Neighbours in the server's list of connections whose handler task runs (see {@link Server#track}). */
    StreamReaderProtocol previousRunning;
    StreamReaderProtocol nextRunning;

    StreamReaderProtocol(AsyncLoop loop, StreamReader reader, ConnectionHandler handler, Server server) {
        this(loop, reader, handler, server, null);
    }

    /**
     * @param handlerContext the context of the task that started the server: each connection's handler task
     *                       runs in a copy of it, as asyncio's do (their accept callback captured it)
     */
    StreamReaderProtocol(AsyncLoop loop, StreamReader reader, ConnectionHandler handler, Server server,
                         Context handlerContext) {
        this.loop = loop;
        this.reader = reader;
        this.handler = handler;
        this.server = server;
        this.handlerContext = handlerContext;
    }

    StreamReader reader() {
        return reader;
    }

    StreamWriter writer() {
        return writer;
    }

    boolean isServerSide() {
        return handler != null;
    }

    void setOverSsl() {
        overSsl = true;
    }

    @Override
    public void connectionMade(Transport t) {
        transport = t;
        overSsl = t.getExtraInfo("sslcontext") != null;
        reader.setTransport(t);
        writer = new StreamWriter(t, this, reader);
        if (handler != null) {
            // This protocol is the task's body and names it: no adapter lambda (whose frames the suspended task
            // would keep) and no name string per idle connection.
            Task<Void> started = loop.createTask(this, null, handlerContext == null ? null : handlerContext.copy());
            if (server != null) {
                task = started;
                server.track(this);
                started.addDoneCallback(this);        // accept(): no lambda per connection
            }
        }
    }

    /** The server-side handler task, while its server tracks it. */
    Task<Void> task() {
        return task;
    }

    /** The server-side handler task is done: its server no longer waits for it. */
    @Override
    public void accept(Future<Void> done) {
        task = null;
        server.untrack(this);
    }

    /** "connection from" the peer's address: the server-side handler task's name. */
    @Override
    public String taskName() {
        return "connection from " + transport.getExtraInfo("peername");
    }

    /**
     * The server-side handler task's body: runs the handler, reports what it throws to the loop's exception
     * handler, and closes the writer. Suspends wherever the handler does; a cancellation passes through.
     */
    @Override
    public void run() {
        StreamWriter w = writer;
        try {
            handler.handle(reader, w);
        } catch (CancelledError e) {
            throw e;
        } catch (Throwable t) {
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("message", "Unhandled exception in client_connected_cb");
            context.put("exception", t);
            context.put("transport", transport);
            loop.callExceptionHandler(context);
        } finally {
            w.close();
        }
    }

    @Override
    public void bytesReceived(ByteBuf data) {
        reader.feedData(data);
    }

    @Override
    public void dataReceived(byte[] data) {
        reader.feedData(data);
    }

    @Override
    public boolean eofReceived() {
        reader.feedEof();
        // Over TLS a FIN without close_notify ends the connection; plain TCP may still be written to.
        return !overSsl;
    }

    @Override
    public void connectionLost(Throwable exc) {
        if (exc == null) {
            reader.feedEof();
            reader.unpool();
        } else {
            reader.setException(exc);
        }
        connectionLost = true;
        lostWith = exc;
        if (closed != null) {
            settle(closed, exc);
        }
        wakeDrainWaiter(exc);
    }

    private static void settle(Future<Void> closed, Throwable exc) {
        if (!closed.done()) {
            if (exc == null) {
                closed.setResult(null);
            } else {
                closed.setException(exc);
                // Retrieved by waitClosed() if someone calls it; not an error if nobody does.
                closed.exception();
            }
        }
    }

    @Override
    public void pauseWriting() {
        writingPaused = true;
    }

    @Override
    public void resumeWriting() {
        writingPaused = false;
        wakeDrainWaiter(null);
    }

    private void wakeDrainWaiter(Throwable exc) {
        if (drainWaiters == null) {
            return;
        }
        for (Future<Void> w : drainWaiters) {
            if (!w.done()) {
                if (exc == null) {
                    w.setResult(null);
                } else {
                    w.setException(exc);
                }
            }
        }
    }

    /** asyncio's {@code _drain_helper}. */
    void drainHelper() {
        if (connectionLost) {
            throw new ConnectionResetError("Connection lost");
        }
        if (!writingPaused) {
            return;
        }
        Future<Void> w = loop.createFuture();
        if (drainWaiters == null) {
            drainWaiters = new java.util.ArrayDeque<>(2);
        }
        drainWaiters.add(w);
        try {
            w.await();
        } finally {
            drainWaiters.remove(w);
        }
    }

    /** Completed when the connection is lost: the future {@link StreamWriter#waitClosed()} awaits. */
    Future<Void> closedFuture() {
        Future<Void> c = closed;
        if (c == null) {
            c = loop.createFuture();
            closed = c;
            if (connectionLost) {
                settle(c, lostWith);
            }
        }
        return c;
    }
}
