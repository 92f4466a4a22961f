package dev.asyncio;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * A condition variable: tasks holding its lock wait until another task signals them; mirrors
 * {@code asyncio.Condition}.
 *
 * <pre>{@code
 * Condition changed = new Condition();
 * // consumer
 * try (var _ = changed.acquire()) {
 *     changed.awaitFor(() -> !items.isEmpty());   // releases the lock while waiting
 *     take(items);
 * }
 * // producer
 * try (var _ = changed.acquire()) {
 *     items.add(x);
 *     changed.signal();
 * }
 * }</pre>
 *
 * <p>{@link #await()} releases the lock, waits for a signal, and takes the lock back before it returns,
 * <em>whatever happens</em>: also when the waiting task is cancelled, in which case the
 * {@link CancelledError} is thrown only once the lock is held again. A signalled task that cannot use its
 * wake-up (it was cancelled meanwhile) passes the signal on to the next waiter, so a signal is never lost;
 * in exchange a waiter may now and then wake up with nothing to do (a "spurious wake-up"), which is why
 * {@link #awaitFor} re-checks its predicate. Python's {@code wait}, {@code wait_for}, {@code notify} and
 * {@code notify_all} are named {@code await}, {@code awaitFor}, {@code signal} and {@code signalAll} here,
 * because {@code Object} has final {@code wait} and {@code notify} methods.
 */
public final class Condition {
    private final Lock lock;
    private final ArrayDeque<Future<Void>> waiters = new ArrayDeque<>();
    private AsyncLoop loop;

    /** A condition with a lock of its own. */
    public Condition() {
        this(new Lock());
    }

    /** A condition on {@code lock}, which may be shared with other conditions. */
    public Condition(Lock lock) {
        this.lock = Objects.requireNonNull(lock, "lock");
    }

    /**
     * Acquires the underlying lock; see {@link Lock#acquire()}. Suspends the current task until the lock is
     * free and its turn has come.
     *
     * <p>Cancellation: the task leaves the queue of waiters without the lock, as with {@link Lock#acquire()}.
     */
    public Releaser acquire() {
        LoopBinding.checkThread(loop, this);
        return lock.acquire();
    }

    /** Releases the underlying lock; see {@link Lock#release()}. */
    public void release() {
        LoopBinding.checkThread(loop, this);
        lock.release();
    }

    /** Whether the underlying lock is held. */
    public boolean locked() {
        return lock.locked();
    }

    /**
     * Releases the lock, suspends the current task until {@link #signal()} or {@link #signalAll()} wakes it,
     * then suspends again until it holds the lock once more. Mirrors {@code asyncio.Condition.wait}.
     *
     * <p>Cancellation: the task stops waiting for a signal but still re-acquires the lock before the
     * {@link CancelledError} is thrown here (further cancellations during that re-acquisition are collected
     * and the last one is thrown); the caller therefore always leaves holding the lock. If the task had been
     * signalled already, the signal is passed to the next waiter.
     *
     * @throws IllegalStateException if the lock is not held, or outside a task
     */
    public void await() {
        LoopBinding.checkThread(loop, this);
        if (!lock.locked()) {
            throw new IllegalStateException("cannot wait on un-acquired lock");
        }
        loop = LoopBinding.bind(loop, this, "wait on a Condition");
        lock.release();
        try {
            try {
                Future<Void> fut = new Future<>(loop);
                waiters.addLast(fut);
                try {
                    fut.await();
                } finally {
                    waiters.remove(fut);
                }
            } finally {
                reacquire();
            }
        } catch (Throwable e) {
            // Whatever ended the wait may have come after this task was signalled: pass the signal on.
            signalWaiters(1);
            throw e;
        }
    }

    private void reacquire() {
        CancelledError cancelled = null;
        while (true) {
            try {
                lock.acquire();
                break;
            } catch (CancelledError e) {
                cancelled = e;
            }
        }
        if (cancelled != null) {
            throw cancelled;
        }
    }

    /**
     * Suspends the current task, with {@link #await()}, until a signal finds {@code predicate} true, and
     * returns {@code true}; the predicate is checked first (the lock must then be held) and after every
     * wake-up. Returns at once, without suspending, if it holds already. Mirrors
     * {@code asyncio.Condition.wait_for}.
     *
     * <p>Cancellation: as for {@link #await()}: the lock is held again when the {@link CancelledError} is thrown.
     *
     * @throws IllegalStateException if the lock is not held and the predicate is false, or outside a task
     */
    public boolean awaitFor(BooleanSupplier predicate) {
        LoopBinding.checkThread(loop, this);
        Objects.requireNonNull(predicate, "predicate");
        boolean result = predicate.getAsBoolean();
        while (!result) {
            await();
            result = predicate.getAsBoolean();
        }
        return result;
    }

    /** Wakes one waiting task; mirrors {@code asyncio.Condition.notify()}. See {@link #signal(int)}. */
    public void signal() {
        LoopBinding.checkThread(loop, this);
        signal(1);
    }

    /**
     * Wakes up to {@code n} tasks waiting on this condition, oldest first; mirrors
     * {@code asyncio.Condition.notify(n)}. They resume once they get the lock, which the caller holds.
     *
     * @throws IllegalStateException if the lock is not held
     */
    public void signal(int n) {
        LoopBinding.checkThread(loop, this);
        if (!lock.locked()) {
            throw new IllegalStateException("cannot notify on un-acquired lock");
        }
        signalWaiters(n);
    }

    /** Wakes every waiting task; mirrors {@code asyncio.Condition.notify_all}. */
    public void signalAll() {
        LoopBinding.checkThread(loop, this);
        signal(waiters.size());
    }

    /** Wakes every waiter without checking the lock: for {@link Barrier}, whose state changes never suspend. */
    void signalAllUnlocked() {
        signalWaiters(waiters.size());
    }

    private void signalWaiters(int n) {
        int woken = 0;
        for (Future<Void> w : waiters) {
            if (woken >= n) {
                break;
            }
            if (!w.done()) {
                woken++;
                w.setResult(null);
            }
        }
    }

    @Override
    public String toString() {
        return "<Condition [" + (lock.locked() ? "locked" : "unlocked") + (waiters.isEmpty() ? "" : ", waiters:" + waiters.size()) + "]>";
    }

    /** For a {@link Barrier} built on this condition: the thread check of design rule 12, before it changes state. */
    void checkLoopThread() {
        LoopBinding.checkThread(loop, this);
    }
}
