package dev.asyncio.internal;

/**
 * Thread engine only: the virtual thread a loop runs on. A hand-off between two virtual threads is a park
 * and an unpark on the virtual-thread scheduler; between a platform thread and a virtual thread it is an
 * operating-system wake-up, ten to thirty times slower (measured in benchmarks/README.md). So the thread that
 * calls {@code runForever} hands each run to this host and waits for it, and the loop, its callbacks and its
 * Netty event loop run here, handing control to the tasks' threads and back. One host per loop, for the
 * loop's life: Netty's event loop is bound to one thread.
 */
public final class LoopHost {
    private final ThreadFiber fiber = new ThreadFiber(this::serve, ThreadFiber.HOST);
    private Runnable job;
    private Throwable failure;
    private Thread thread;

    /** Runs {@code job} on the host thread and returns (or throws) when it has. */
    public void run(Runnable job) {
        if (fiber.isDone()) {
            throw new IllegalStateException("the loop's host thread has ended");
        }
        this.job = job;
        fiber.step();
        Throwable f = failure;
        if (f != null) {
            failure = null;
            throw Sneaky.rethrow(f);
        }
    }

    /** The host's virtual thread, once it has run something; {@code null} before. */
    public Thread thread() {
        return thread;
    }

    /** Whether the calling thread is the host's. */
    public boolean isHostThread() {
        return thread == Thread.currentThread();
    }

    /** Ends the host thread (if it ever started). */
    public void close() {
        if (fiber.isStarted() && !fiber.isDone()) {
            job = null;
            fiber.step();
        }
    }

    private void serve() {
        thread = Thread.currentThread();
        while (true) {
            Runnable j = job;
            job = null;
            if (j == null) {
                return;
            }
            try {
                j.run();
            } catch (Throwable t) {
                failure = t;
            }
            fiber.suspendSelf();
        }
    }
}
