package dev.asyncio;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A FIFO queue for handing items between loops and plain threads, as Python's {@code janus} is used: tasks on
 * any number of loops {@link #put} and {@link #get} (suspending), plain threads {@link #putBlocking} and
 * {@link #getBlocking} (blocking, or with a timeout: {@link #offer(Object, Duration)}, {@link #poll(Duration)}),
 * all on the same queue at once. Bounded by {@code maxsize} (0: unbounded); {@code null} items are refused.
 *
 * <p>Waiting is fair (first come, first woken) and no wake-up is lost: a waiter that leaves without taking an
 * item or a slot (cancelled, timed out, interrupted) after being woken passes its wake-up on to the next one.
 * Items are taken only by the waiter itself once it runs again, so a cancelled {@link #get} never loses an item,
 * and a cancelled {@link #put} never adds one.
 *
 * <p>{@link #shutdown} works as {@code asyncio.Queue.shutdown}. Not provided: {@code taskDone}/{@code join}.
 *
 * <p>Written by hand: {@link java.util.concurrent.BlockingQueue}s block threads, and {@link Queue} belongs to one
 * loop; waking a task on another loop needs {@link AsyncLoop#callSoonThreadsafe}.
 *
 * @param <T> the item type
 */
public final class ThreadSafeQueue<T> {
    /** A task or a thread waiting for an item or a free slot. */
    private static final class Waiter {
        /** For a task: the future it awaits, on its loop; {@code null} for a thread. */
        final Future<Void> future;
        final AsyncLoop loop;
        /** For a thread: the condition it waits on; {@code null} for a task. */
        final java.util.concurrent.locks.Condition condition;
        /** Woken (and so no longer queued); guarded by the queue's lock. */
        boolean woken;

        Waiter(AsyncLoop loop, java.util.concurrent.locks.Condition condition) {
            this.loop = loop;
            this.future = loop == null ? null : loop.createFuture();
            this.condition = condition;
        }
    }

    private final int maxsize;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<T> items = new ArrayDeque<>();
    private final ArrayDeque<Waiter> getters = new ArrayDeque<>();
    private final ArrayDeque<Waiter> putters = new ArrayDeque<>();
    private boolean shutdown;

    /** An unbounded queue. */
    public ThreadSafeQueue() {
        this(0);
    }

    /** A queue of at most {@code maxsize} items; 0 or less: unbounded, as {@code asyncio.Queue}. */
    public ThreadSafeQueue(int maxsize) {
        this.maxsize = Math.max(maxsize, 0);
    }

    public int maxsize() {
        return maxsize;
    }

    /** The number of items in the queue now. */
    public int qsize() {
        lock.lock();
        try {
            return items.size();
        } finally {
            lock.unlock();
        }
    }

    public boolean empty() {
        return qsize() == 0;
    }

    public boolean full() {
        lock.lock();
        try {
            return isFull();
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@link #shutdown} was called. */
    public boolean isShutdown() {
        lock.lock();
        try {
            return shutdown;
        } finally {
            lock.unlock();
        }
    }

    /** How many tasks and threads wait in a get, and in a put (for tests). */
    int[] waiting() {
        lock.lock();
        try {
            return new int[] {getters.size(), putters.size()};
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- tasks (any loop)

    /**
     * Puts {@code item} at the end, suspending the current task while the queue is full. Cancellation while
     * waiting: nothing is added, and the {@link CancelledError} propagates.
     *
     * @throws QueueShutDown         if the queue is shut down (also while waiting)
     * @throws IllegalStateException if called outside a task
     */
    public void put(T item) {
        Objects.requireNonNull(item, "item");
        AsyncLoop loop = AsyncLoop.running("ThreadSafeQueue.put()");
        while (true) {
            Waiter w;
            lock.lock();
            try {
                if (tryPut(item)) {
                    return;
                }
                w = new Waiter(loop, null);
                putters.addLast(w);
            } finally {
                lock.unlock();
            }
            suspend(w, putters);
        }
    }

    /**
     * Removes and returns the first item, suspending the current task while the queue is empty. Cancellation
     * while waiting: no item is taken (it stays for the next getter), and the {@link CancelledError} propagates.
     *
     * @throws QueueShutDown         if the queue is shut down and empty (also while waiting)
     * @throws IllegalStateException if called outside a task
     */
    public T get() {
        AsyncLoop loop = AsyncLoop.running("ThreadSafeQueue.get()");
        while (true) {
            Waiter w;
            lock.lock();
            try {
                T item = tryGet();
                if (item != null) {
                    return item;
                }
                w = new Waiter(loop, null);
                getters.addLast(w);
            } finally {
                lock.unlock();
            }
            suspend(w, getters);
        }
    }

    /** Waits (suspending) for {@code w} to be woken; if the task is cancelled, leaves the queue of waiters. */
    private void suspend(Waiter w, ArrayDeque<Waiter> queue) {
        try {
            w.future.await();
        } catch (Throwable cancelled) {
            lock.lock();
            try {
                leave(w, queue);
            } finally {
                lock.unlock();
            }
            throw cancelled;
        }
    }

    // ---------------------------------------------------------------- any thread, never waiting

    /**
     * Puts {@code item} if there is room, from any thread.
     *
     * @throws QueueFull     if the queue is full
     * @throws QueueShutDown if the queue is shut down
     */
    public void putNowait(T item) {
        Objects.requireNonNull(item, "item");
        lock.lock();
        try {
            if (!tryPut(item)) {
                throw new QueueFull(maxsize);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes and returns the first item, from any thread.
     *
     * @throws QueueEmpty    if the queue is empty
     * @throws QueueShutDown if the queue is shut down and empty
     */
    public T getNowait() {
        lock.lock();
        try {
            T item = tryGet();
            if (item == null) {
                throw new QueueEmpty();
            }
            return item;
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- plain threads (blocking)

    /**
     * Puts {@code item}, blocking the calling thread while the queue is full.
     *
     * @throws QueueShutDown         if the queue is shut down (also while waiting)
     * @throws InterruptedException  if the thread is interrupted while waiting (nothing is added)
     * @throws IllegalStateException if called on a thread running a loop (use {@link #put} in a task)
     */
    public void putBlocking(T item) throws InterruptedException {
        offer(item, -1);
    }

    /**
     * Puts {@code item}, blocking the calling thread at most {@code timeout} while the queue is full; whether it
     * was put.
     *
     * @throws QueueShutDown         if the queue is shut down (also while waiting)
     * @throws InterruptedException  if the thread is interrupted while waiting (nothing is added)
     * @throws IllegalStateException if called on a thread running a loop (use {@link #put} in a task)
     */
    public boolean offer(T item, Duration timeout) throws InterruptedException {
        return offer(item, Math.max(0, timeout.toNanos()));
    }

    /**
     * Removes and returns the first item, blocking the calling thread while the queue is empty.
     *
     * @throws QueueShutDown         if the queue is shut down and empty (also while waiting)
     * @throws InterruptedException  if the thread is interrupted while waiting (no item is taken)
     * @throws IllegalStateException if called on a thread running a loop (use {@link #get} in a task)
     */
    public T getBlocking() throws InterruptedException {
        return poll(-1);
    }

    /**
     * Removes and returns the first item, blocking the calling thread at most {@code timeout} while the queue is
     * empty; {@code null} if none came.
     *
     * @throws QueueShutDown         if the queue is shut down and empty (also while waiting)
     * @throws InterruptedException  if the thread is interrupted while waiting (no item is taken)
     * @throws IllegalStateException if called on a thread running a loop (use {@link #get} in a task)
     */
    public T poll(Duration timeout) throws InterruptedException {
        return poll(Math.max(0, timeout.toNanos()));
    }

    /** Blocking put; {@code nanos} < 0: no time limit. */
    private boolean offer(T item, long nanos) throws InterruptedException {
        Objects.requireNonNull(item, "item");
        refuseOnLoopThread("putBlocking/offer", "put");
        lock.lockInterruptibly();
        try {
            while (true) {
                if (tryPut(item)) {
                    return true;
                }
                if (nanos == 0) {
                    return false;
                }
                nanos = block(putters, nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Blocking get; {@code nanos} < 0: no time limit. */
    private T poll(long nanos) throws InterruptedException {
        refuseOnLoopThread("getBlocking/poll", "get");
        lock.lockInterruptibly();
        try {
            while (true) {
                T item = tryGet();
                if (item != null || nanos == 0) {
                    return item;
                }
                nanos = block(getters, nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits (lock held, released while waiting) in {@code queue} until woken or {@code nanos} (if >= 0) have
     * passed; returns the time left (0 when it ran out, -1 for no limit).
     */
    private long block(ArrayDeque<Waiter> queue, long nanos) throws InterruptedException {
        Waiter w = new Waiter(null, lock.newCondition());
        queue.addLast(w);
        try {
            while (!w.woken) {
                if (nanos < 0) {
                    w.condition.await();
                } else if (nanos > 0) {
                    nanos = Math.max(0, w.condition.awaitNanos(nanos));
                } else {
                    break;
                }
            }
        } catch (InterruptedException | RuntimeException | Error e) {
            leave(w, queue);
            throw e;
        }
        if (!w.woken) {
            queue.remove(w); // timed out
        }
        return nanos;
    }

    private static void refuseOnLoopThread(String what, String instead) {
        AsyncLoop running = ThreadState.current().runningLoop;
        if (running != null) {
            throw new IllegalStateException("ThreadSafeQueue." + what + " would block the thread of " + running
                    + ": call " + instead + "() in a task instead");
        }
    }

    // ---------------------------------------------------------------- shutdown

    /** Shuts the queue down, letting consumers drain it; {@code shutdown(false)}. */
    public void shutdown() {
        shutdown(false);
    }

    /**
     * Shuts the queue down, from any thread; mirrors {@code asyncio.Queue.shutdown}. From now on puts throw
     * {@link QueueShutDown}, and so do gets once the queue is empty. Every waiter, task or thread, is woken:
     * producers throw {@code QueueShutDown}, consumers take the items left or throw it. With {@code immediate}
     * the items left are discarded first, so consumers throw at once.
     */
    public void shutdown(boolean immediate) {
        lock.lock();
        try {
            shutdown = true;
            if (immediate) {
                items.clear();
            }
            while (!getters.isEmpty()) {
                wakeNext(getters);
            }
            while (!putters.isEmpty()) {
                wakeNext(putters);
            }
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- under the lock

    private boolean isFull() {
        return maxsize > 0 && items.size() >= maxsize;
    }

    /** Adds {@code item} if there is room, waking a getter; lock held. */
    private boolean tryPut(T item) {
        if (shutdown) {
            throw new QueueShutDown();
        }
        if (isFull()) {
            return false;
        }
        items.addLast(item);
        wakeNext(getters);
        return true;
    }

    /** Takes the first item if there is one, waking a putter; {@code null} if none; lock held. */
    private T tryGet() {
        T item = items.pollFirst();
        if (item != null) {
            wakeNext(putters);
            return item;
        }
        if (shutdown) {
            throw new QueueShutDown();
        }
        return null;
    }

    /** Wakes the first waiter of {@code queue} (skipping tasks whose loop has closed); lock held. */
    private void wakeNext(ArrayDeque<Waiter> queue) {
        Waiter w;
        while ((w = queue.pollFirst()) != null) {
            w.woken = true;
            if (w.condition != null) {
                w.condition.signal();
                return;
            }
            Future<Void> f = w.future;
            try {
                w.loop.callSoonThreadsafe(() -> {
                    if (!f.done()) {
                        f.setResult(null);
                    }
                });
                return;
            } catch (IllegalStateException loopClosed) {
                // that task will never run again: wake the next waiter instead
            }
        }
    }

    /** A waiter leaving without taking what it waited for: out of the queue, or its wake-up passed on; lock held. */
    private void leave(Waiter w, ArrayDeque<Waiter> queue) {
        if (!queue.remove(w) && w.woken) {
            wakeNext(queue);
        }
    }
}
