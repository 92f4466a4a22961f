package dev.asyncio;

import java.util.ArrayDeque;

/**
 * A counter of permits that tasks take and give back, waiting while none is left; mirrors
 * {@code asyncio.Semaphore}.
 *
 * <pre>{@code
 * Semaphore connections = new Semaphore(10);
 * try (var _ = connections.acquire()) {   // suspends while 10 tasks hold a permit
 *     fetch(url);
 * }
 * }</pre>
 *
 * <p>Permits go to waiting tasks in the order they started waiting: a task that calls {@link #acquire()}
 * while others wait queues behind them even if a permit is free. A waiter that is cancelled after a
 * permit was handed to it gives the permit back (and it goes to the next waiter). {@link #release()} may be
 * called more often than {@link #acquire()}, raising the count above its initial value; use
 * {@link BoundedSemaphore} to forbid that.
 */
public class Semaphore {
    /** Futures of the waiting tasks, oldest first; a done one has been handed a permit. */
    private final ArrayDeque<Future<Void>> waiters = new ArrayDeque<>();
    private int value;
    private AsyncLoop loop;

    /**
     * @param value the initial number of permits
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public Semaphore(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("Semaphore initial value must be >= 0, got " + value);
        }
        this.value = value;
    }

    /** Whether {@link #acquire()} would suspend: no permit is free, or other tasks wait for one. */
    public boolean locked() {
        return value == 0 || Future.anyNotCancelled(waiters);
    }

    /**
     * Takes a permit and returns a {@link Releaser} that gives it back; suspends the current task until a
     * permit is handed to it by {@link #release()}, in the order the tasks started waiting. Returns at once,
     * without suspending, if {@link #locked()} is false. Mirrors {@code asyncio.Semaphore.acquire}.
     *
     * <p>Cancellation: the {@link CancelledError} is thrown here and the task leaves the queue of waiters; a
     * permit already handed to it is given back, so the count is as if it had never waited.
     *
     * @throws IllegalStateException if no permit is free and this is called outside a task
     */
    public Releaser acquire() {
        LoopBinding.checkThread(loop, this);
        if (!locked()) {
            // FIFO: take the permit only when nobody waits ahead of us.
            value--;
            return new Permit(this);
        }
        loop = LoopBinding.bind(loop, this, "wait for a Semaphore permit");
        Future<Void> fut = new Future<>(loop);
        waiters.addLast(fut);
        try {
            try {
                fut.await();
            } finally {
                waiters.remove(fut);
            }
        } catch (Throwable e) {
            if (fut.done() && !fut.cancelled()) {
                // A permit was handed to us (wakeUpNext took it from value) but we will not use it.
                value++;
            }
            throw e;
        } finally {
            // Tasks that arrived while permits were being handed out wait behind us; let as many in as allowed.
            while (value > 0) {
                if (!wakeUpNext()) {
                    break;
                }
            }
        }
        return new Permit(this);
    }

    /**
     * Gives a permit back and hands it to the first waiting task, if any; mirrors
     * {@code asyncio.Semaphore.release}.
     */
    public void release() {
        LoopBinding.checkThread(loop, this);
        value++;
        wakeUpNext();
    }

    /** Hands a permit to the first waiter not woken yet; {@code false} if there is none. */
    private boolean wakeUpNext() {
        for (Future<Void> w : waiters) {
            if (!w.done()) {
                value--;
                w.setResult(null);
                return true;
            }
        }
        return false;
    }

    /** The number of free permits. */
    int value() {
        return value;
    }

    @Override
    public String toString() {
        return "<" + getClass().getSimpleName() + " [" + (locked() ? "locked" : "unlocked, value:" + value)
                + (waiters.isEmpty() ? "" : ", waiters:" + waiters.size()) + "]>";
    }

    /** The releaser of one permit: gives it back once. */
    private static final class Permit implements Releaser {
        private Semaphore semaphore;

        Permit(Semaphore semaphore) {
            this.semaphore = semaphore;
        }

        @Override
        public void close() {
            Semaphore s = semaphore;
            if (s != null) {
                semaphore = null;
                s.release();
            }
        }
    }
}
