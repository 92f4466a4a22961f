package dev.asyncio;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.ThreadAwareExecutor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The loop's Netty {@link IoHandler}, remembering what is registered on it so that {@link AsyncLoop#close()} can
 * close every channel and keep the handler running until those closes have completed, before Netty destroys it.
 *
 * <p>Why by hand: Netty's io_uring transport closes a socket asynchronously. A channel with a read in flight
 * first cancels the read, and only when the cancellation's completion comes back does it queue the
 * {@code IORING_OP_CLOSE} that closes the descriptor. When that completion arrives during
 * {@code IoUringIoHandler.destroy()} (its final drain of the completion queue), the close is queued on a ring
 * that is torn down right after, never submitted: the socket stays open and its peer never sees EOF. Netty's
 * {@code ManualIoEventLoop} runs {@code prepareToDestroy()} and {@code destroy()} back to back in one call,
 * leaving no ring iteration between them, so the loop has to finish the closes before it shuts Netty down. A
 * registration stops being valid once its channel is fully closed (on io_uring, when the close's completion
 * was processed; on NIO and epoll, at once), which is what {@link #anyRegistered()} tells.
 *
 * <p>A loop closed from another thread than its owner (which returned from {@code runForever} and is
 * elsewhere) must close its channels too, but Netty lets only the event loop's thread touch a channel and
 * drive the handler, and a {@link io.netty.channel.ManualIoEventLoop}'s owning thread is set once. So, for
 * that close only, the closing thread is made the loop's thread by hand: {@link #isCloser} answers yes for it
 * to the loop's channels ({@link LoopIoEventLoop}) and to the transport's handler (the executor it was made
 * with), work they hand to the event loop meanwhile is queued here, and {@link #asCloser} drives the handler
 * and that queue from the closing thread. Nothing else can touch them then: the owner is not running the loop
 * (close refuses a running loop).
 *
 * <p>Used on the loop's thread only (Netty calls {@link #register} there), or by the closing thread as above.
 */
final class ClosingIoHandler implements IoHandler {

    private record Entry(IoHandle handle, IoRegistration registration) { }

    private final AsyncLoop loop;
    private final IoHandler delegate;
    private final List<Entry> registered = new ArrayList<>();
    /** Sweep the registrations no longer valid when the list reaches this size (amortized: double the live ones). */
    private int sweepAt = 64;
    /** The thread closing the loop from outside ({@link #asCloser}), or {@code null}. */
    private volatile Thread closer;
    /** Work the channels and the handler handed to the event loop while {@link #closer} closes it; its thread's. */
    private final ArrayDeque<Runnable> closerTasks = new ArrayDeque<>();

    /** Makes the transport's handler with {@code executor} (the manual event loop) as its thread, or the closer. */
    ClosingIoHandler(AsyncLoop loop, IoHandlerFactory factory, ThreadAwareExecutor executor) {
        this.loop = loop;
        this.delegate = factory.newHandler(new ThreadAwareExecutor() {
            @Override
            public boolean isExecutorThread(Thread thread) {
                return executor.isExecutorThread(thread) || isCloser(thread);
            }

            @Override
            public void execute(Runnable task) {
                if (!deferIfCloser(task)) {
                    executor.execute(task);
                }
            }
        });
    }

    /** Whether {@code thread} is closing the loop from outside, and so counts as the loop's thread. */
    boolean isCloser(Thread thread) {
        return thread == closer;
    }

    /** Queues {@code task} for {@link #asCloser} if the calling thread is the closer; {@code false} otherwise. */
    boolean deferIfCloser(Runnable task) {
        if (Thread.currentThread() != closer) {
            return false;
        }
        closerTasks.add(task);
        return true;
    }

    /**
     * Runs {@code body} with the calling thread as the loop's thread (see the class comment), then the work it
     * handed to the event loop.
     */
    void asCloser(Runnable body) {
        closer = Thread.currentThread();
        try {
            body.run();
            runCloserTasks();
        } finally {
            closerTasks.clear();
            closer = null;
        }
    }

    /** The closer's I/O wait: runs the handler, waiting up to {@code nanos} for I/O, then the work handed over. */
    void pollAsCloser(long nanos) {
        runCloserTasks();
        long deadline = System.nanoTime() + nanos;
        delegate.run(new IoHandlerContext() {
            @Override
            public boolean canBlock() {
                return closerTasks.isEmpty();
            }

            @Override
            public long delayNanos(long currentTimeNanos) {
                return Math.max(0, deadline - currentTimeNanos);
            }

            @Override
            public long deadlineNanos() {
                return deadline;
            }
        });
        runCloserTasks();
    }

    private void runCloserTasks() {
        Runnable task;
        while ((task = closerTasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException failure) { // as Netty's event loop, which logs such a task's failure and goes on
                loop.reportCloseFailure(task, failure);
            }
        }
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
        IoRegistration registration = delegate.register(handle);
        if (registered.size() >= sweepAt) {
            registered.removeIf(e -> !e.registration.isValid());
            sweepAt = Math.max(64, registered.size() * 2);
        }
        registered.add(new Entry(handle, registration));
        return registration;
    }

    /** Starts closing every handle still registered (what Netty's {@code prepareToDestroy} would do later). */
    void closeAll() {
        for (Entry e : new ArrayList<>(registered)) {
            if (!e.registration.isValid()) {
                continue;
            }
            try {
                e.handle.close();
            } catch (Exception failure) {
                loop.reportCloseFailure(e.handle, failure);
            }
        }
    }

    /** The handles still registered, as text, for a report. */
    List<String> registeredHandles() {
        List<String> out = new ArrayList<>();
        for (Entry e : registered) {
            if (e.registration.isValid()) {
                out.add(String.valueOf(e.handle));
            }
        }
        return out;
    }

    /** Whether a handle registered on this handler has not finished closing. */
    boolean anyRegistered() {
        registered.removeIf(e -> !e.registration.isValid());
        return !registered.isEmpty();
    }

    @Override
    public void initialize() {
        delegate.initialize();
    }

    @Override
    public int run(IoHandlerContext context) {
        return delegate.run(context);
    }

    @Override
    public void prepareToDestroy() {
        delegate.prepareToDestroy();
    }

    @Override
    public void destroy() {
        delegate.destroy();
    }

    @Override
    public void wakeup() {
        delegate.wakeup();
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return delegate.isCompatible(handleType);
    }
}
