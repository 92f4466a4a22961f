package dev.asyncio.net;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Future;

import java.io.Closeable;
import java.io.IOException;

/**
 * A transport over one pipe of a child process ({@link Subprocess}), served by a virtual thread of its own.
 *
 * <p>Why threads and not Netty: the pipes of a {@link Process} are blocking {@code InputStream}s and
 * {@code OutputStream}s, and the JDK gives no portable way to get at their file descriptors, so they cannot
 * be registered with the loop's selector (epoll, io_uring or NIO) the way a socket channel is; Netty's
 * {@code FileDescriptor} channels need a descriptor the JDK never hands out. So each pipe gets one virtual
 * thread that does the blocking reads or writes, and hands what it did to the loop with
 * {@link AsyncLoop#callSoonThreadsafe}; the loop thread itself never touches a pipe. Flow control crosses
 * over both ways: a reading thread waits while its {@link StreamReader} is over its limit, and a writer's
 * {@code drain()} waits for the thread to have written the queue down to the low-water mark.
 *
 * <p>All state but what the thread and the loop share under {@link #lock} is the loop's. {@link #done} is
 * completed on the loop once the thread has ended and closed its stream: {@link Subprocess#waitClosed()}
 * awaits it, so nothing of a pipe outlives it.
 */
abstract sealed class PipeTransport implements Transport permits PipeReadTransport, PipeWriteTransport {
    final AsyncLoop loop;
    final String name;
    final Future<Void> done;
    final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
    final java.util.concurrent.locks.Condition changed = lock.newCondition();
    private Thread thread;

    PipeTransport(AsyncLoop loop, String name) {
        this.loop = loop;
        this.name = name;
        this.done = loop.createFuture();
        // On a virtual-time loop, the clock must not jump ahead while a thread may still deliver data.
        loop.markExternal(done);
    }

    /** Starts the thread; called once, on the loop thread. */
    final void start() {
        thread = Thread.ofVirtual().name(name).unstarted(this::pump);
        thread.start();
    }

    /** The body of the pipe's thread: blocking I/O on the stream, then {@link #post}s of what happened. */
    abstract void pump();

    /**
     * Runs {@code r} on the loop thread; {@code false} if the loop is closed, in which case the caller (the
     * pipe's thread) just ends, closing its stream.
     */
    final boolean post(Runnable r) {
        try {
            loop.callSoonThreadsafe(r);
            return true;
        } catch (IllegalStateException loopClosed) {
            return false;
        }
    }

    /**
     * Whether the thread ends within {@code millis} (for tests). Once {@link #done} is complete the thread has
     * closed its stream and only has to return: its last act is the post that completes {@code done}.
     */
    final boolean threadEnds(long millis) throws InterruptedException {
        return thread != null && thread.join(java.time.Duration.ofMillis(millis));
    }

    static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // The pipe is gone either way; its error, if it matters, was reported by the read or write.
        }
    }

    /** The error a pipe failure is reported as. */
    final ConnectionResetError brokenPipe(IOException e) {
        return new ConnectionResetError(name + ": " + e.getMessage(), e);
    }

    final void finished() {
        if (!done.done()) {
            done.setResult(null);
        }
    }

    @Override
    public Object getExtraInfo(String name) {
        return "pipe".equals(name) ? this.name : null;
    }

    @Override
    public String toString() {
        return "<" + getClass().getSimpleName() + " " + name + (isClosing() ? " closing" : "") + ">";
    }
}
