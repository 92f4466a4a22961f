package dev.asyncio;

import java.util.ArrayDeque;

/**
 * A mutual-exclusion lock for tasks of one loop; mirrors {@code asyncio.Lock}.
 *
 * <pre>{@code
 * Lock lock = new Lock();
 * try (var _ = lock.acquire()) {      // suspends while another task holds it
 *     balance = read();
 *     Asyncio.sleep(0.1);                // other tasks run, but none enters here
 *     write(balance + 1);
 * }
 * }</pre>
 *
 * <p>The lock is fair: tasks get it in the order they started waiting, and a task that calls
 * {@link #acquire()} while others wait queues behind them even if the lock happens to be free at that
 * moment. A waiter that is cancelled gives up its place; if the lock had already been handed to it, the
 * lock goes to the next waiter. The lock is not reentrant and not owned: any task may release it.
 *
 * <p>Like every loop-owned object it is used from its loop's thread only; it binds to the loop of the first
 * task that waits on it.
 */
public final class Lock {
    /** Futures of the waiting tasks, oldest first; a done one has been woken to take the lock. */
    private final ArrayDeque<Future<Void>> waiters = new ArrayDeque<>();
    private boolean locked;
    private AsyncLoop loop;

    public Lock() {
    }

    /**
     * Acquires the lock and returns a {@link Releaser} that releases it; suspends the current task until the
     * lock is free and every task that started waiting earlier has had it. Returns at once, without
     * suspending, if the lock is free and nobody waits. Mirrors {@code asyncio.Lock.acquire}.
     *
     * <p>Cancellation: the {@link CancelledError} is thrown here and the task leaves the queue of waiters
     * without the lock; if the lock had already been handed to it, it is handed to the next waiter instead.
     *
     * @throws IllegalStateException if the lock is held and this is called outside a task
     */
    public Releaser acquire() {
        LoopBinding.checkThread(loop, this);
        if (!locked && !Future.anyNotCancelled(waiters)) {
            locked = true;
            return new Held(this);
        }
        loop = LoopBinding.bind(loop, this, "wait for a held Lock");
        Future<Void> fut = new Future<>(loop);
        waiters.addLast(fut);
        try {
            try {
                fut.await();
            } finally {
                waiters.remove(fut);
            }
        } catch (Throwable e) {
            // Keep the invariant: if the lock is free (or was about to be ours), the first waiter must run.
            if (!locked) {
                wakeUpFirst();
            }
            throw e;
        }
        locked = true;
        return new Held(this);
    }

    /**
     * Releases the lock and wakes the first waiter; mirrors {@code asyncio.Lock.release}.
     *
     * @throws IllegalStateException if the lock is not held
     */
    public void release() {
        LoopBinding.checkThread(loop, this);
        if (!locked) {
            throw new IllegalStateException("Lock is not acquired.");
        }
        locked = false;
        wakeUpFirst();
    }

    private void wakeUpFirst() {
        Future<Void> first = waiters.peekFirst();
        // A done first waiter has already been woken and will take the lock when it runs.
        if (first != null && !first.done()) {
            first.setResult(null);
        }
    }

    /** Whether the lock is held. */
    public boolean locked() {
        return locked;
    }

    @Override
    public String toString() {
        return "<Lock [" + (locked ? "locked" : "unlocked") + (waiters.isEmpty() ? "" : ", waiters:" + waiters.size()) + "]>";
    }

    /** The releaser of one acquisition: releases once. */
    private static final class Held implements Releaser {
        private Lock lock;

        Held(Lock lock) {
            this.lock = lock;
        }

        @Override
        public void close() {
            Lock l = lock;
            if (l != null) {
                lock = null;
                l.release();
            }
        }
    }
}
