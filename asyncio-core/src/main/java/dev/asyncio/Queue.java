package dev.asyncio;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A first-in, first-out queue between tasks of one loop, optionally bounded; mirrors {@code asyncio.Queue}
 * (Python 3.13, with {@code shutdown}).
 *
 * <pre>{@code
 * Queue<String> jobs = new Queue<>(100);
 * Asyncio.createTask(() -> {
 *     for (String job : jobs) {          // get() until the queue is shut down and drained
 *         handle(job);
 *         jobs.taskDone();
 *     }
 * });
 * jobs.put("a");                         // suspends while 100 items wait
 * jobs.join();                           // suspends until every item was marked done
 * jobs.shutdown();
 * }</pre>
 *
 * <p>Waiting producers and consumers are served in the order they started waiting. Cancellation never
 * loses or duplicates an item: a {@link #put} that is cancelled did not insert its item, and a
 * {@link #get} that is cancelled, even after an item had been set aside for it, leaves that item in the
 * queue for the next consumer. The queue counts unfinished items for {@link #join()}: {@link #putNowait}
 * adds one, {@link #taskDone()} removes one.
 *
 * <p>It is not thread-safe: use it from its loop's thread, where nothing runs between two suspension
 * points, so {@link #qsize()} followed by {@link #getNowait()} cannot race. It binds to the loop of the
 * first task that waits on it.
 *
 * @param <T> the item type ({@code null} items are allowed)
 */
public class Queue<T> implements Iterable<T> {
    private final int maxsize;
    /** Futures of tasks waiting for an item (or the shutdown), oldest first; a done one has been woken. */
    private final ArrayDeque<Future<Void>> getters = new ArrayDeque<>();
    /** Futures of tasks waiting for a free slot (or the shutdown), oldest first. */
    private final ArrayDeque<Future<Void>> putters = new ArrayDeque<>();
    private int unfinishedTasks;
    private final Event finished = new Event();
    private boolean isShutdown;
    private AsyncLoop loop;
    /** Stands for a {@code null} item in the deque, which cannot hold nulls. */
    private static final Object NULL_ITEM = new Object();
    /** The storage of FIFO and LIFO queues; {@code null} for a {@link PriorityQueue}, which keeps its own. */
    private final ArrayDeque<Object> items;
    private final boolean lifo;

    /** An unbounded queue. */
    public Queue() {
        this(0);
    }

    /**
     * A queue that holds at most {@code maxsize} items; 0 (or less) means unbounded, as in Python.
     */
    public Queue(int maxsize) {
        this(maxsize, false, true);
    }

    Queue(int maxsize, boolean lifo, boolean dequeStorage) {
        this.maxsize = maxsize;
        this.lifo = lifo;
        this.items = dequeStorage ? new ArrayDeque<>() : null;
        finished.set();
    }

    // ---------------------------------------------------------------- storage hooks (Python's _put/_get)

    /** Removes the next item; the queue is not empty. */
    @SuppressWarnings("unchecked")
    T take() {
        Object o = lifo ? items.pollLast() : items.pollFirst();
        return o == NULL_ITEM ? null : (T) o;
    }

    /** Adds an item; the queue is not full. */
    void store(T item) {
        items.addLast(item == null ? NULL_ITEM : item);
    }

    int size() {
        return items.size();
    }

    /** Rejects an item the storage cannot hold, before anything changes. */
    void checkItem(T item) {
    }

    /** The items, for display only, in the order they are stored. */
    Iterable<?> contents() {
        return items;
    }

    static Object display(Object stored) {
        return stored == NULL_ITEM ? null : stored;
    }

    // ---------------------------------------------------------------- state

    /** The number of items in the queue. */
    public final int qsize() {
        return size();
    }

    /** The most items the queue holds; 0 (or less) for an unbounded queue. */
    public final int maxsize() {
        return maxsize;
    }

    /** Whether the queue holds no item. */
    public final boolean empty() {
        return size() == 0;
    }

    /** Whether the queue holds {@link #maxsize()} items; never true for an unbounded queue. */
    public final boolean full() {
        return maxsize > 0 && size() >= maxsize;
    }

    /** Whether {@link #shutdown} was called. */
    public final boolean isShutdown() {
        return isShutdown;
    }

    // ---------------------------------------------------------------- put

    /**
     * Puts {@code item} into the queue; suspends the current task while the queue is full, until a
     * {@link #get} frees a slot (waiting producers are served in order) or the queue is shut down. Returns at
     * once, without suspending, if there is room. Mirrors {@code asyncio.Queue.put}.
     *
     * <p>Cancellation: the {@link CancelledError} is thrown here and the item is not in the queue. If a free
     * slot had just been offered to this task, it is offered to the next waiting producer instead.
     *
     * @throws QueueShutDown         if the queue is shut down, before or while waiting
     * @throws IllegalStateException if the queue is full and this is called outside a task
     */
    public final void put(T item) {
        LoopBinding.checkThread(loop, this);
        checkItem(item);
        while (full()) {
            if (isShutdown) {
                throw new QueueShutDown();
            }
            loop = LoopBinding.bind(loop, this, "wait to put into a full Queue");
            Future<Void> putter = new Future<>(loop);
            putters.addLast(putter);
            try {
                putter.await();
            } catch (Throwable e) {
                putter.cancel();
                putters.remove(putter); // absent if a get already popped it to wake us
                if (!full() && !putter.cancelled()) {
                    // We were offered the free slot but cannot take it: offer it to the next producer.
                    wakeUpNext(putters);
                }
                throw e;
            }
        }
        putNowait(item);
    }

    /**
     * Puts {@code item} into the queue without waiting and wakes the first waiting consumer; mirrors
     * {@code asyncio.Queue.put_nowait}.
     *
     * @throws QueueFull     if the queue is full
     * @throws QueueShutDown if the queue is shut down
     */
    public final void putNowait(T item) {
        LoopBinding.checkThread(loop, this);
        checkItem(item);
        if (isShutdown) {
            throw new QueueShutDown();
        }
        if (full()) {
            throw new QueueFull(maxsize);
        }
        store(item);
        unfinishedTasks++;
        finished.clear();
        wakeUpNext(getters);
    }

    // ---------------------------------------------------------------- get

    /**
     * Removes and returns the next item; suspends the current task while the queue is empty, until a
     * {@link #put} brings an item (waiting consumers are served in order) or the queue is shut down. Returns
     * at once, without suspending, if an item is there. Mirrors {@code asyncio.Queue.get}.
     *
     * <p>Cancellation: the {@link CancelledError} is thrown here and no item is taken. If an item had just
     * been set aside for this task, it stays in the queue and the next waiting consumer is woken for it.
     *
     * @throws QueueShutDown         if the queue is shut down and empty (or shut down with {@code immediate})
     * @throws IllegalStateException if the queue is empty and this is called outside a task
     */
    public final T get() {
        LoopBinding.checkThread(loop, this);
        while (empty()) {
            if (isShutdown) {
                throw new QueueShutDown();
            }
            loop = LoopBinding.bind(loop, this, "wait to get from an empty Queue");
            Future<Void> getter = new Future<>(loop);
            getters.addLast(getter);
            try {
                getter.await();
            } catch (Throwable e) {
                getter.cancel();
                getters.remove(getter); // absent if a put already popped it to wake us
                if (!empty() && !getter.cancelled()) {
                    // We were woken for an item but cannot take it: it stays for the next consumer.
                    wakeUpNext(getters);
                }
                throw e;
            }
        }
        return getNowait();
    }

    /**
     * Removes and returns the next item without waiting, and wakes the first waiting producer; mirrors
     * {@code asyncio.Queue.get_nowait}.
     *
     * @throws QueueEmpty    if the queue is empty
     * @throws QueueShutDown if the queue is empty and shut down
     */
    public final T getNowait() {
        LoopBinding.checkThread(loop, this);
        if (empty()) {
            if (isShutdown) {
                throw new QueueShutDown();
            }
            throw new QueueEmpty();
        }
        T item = take();
        wakeUpNext(putters);
        return item;
    }

    private static void wakeUpNext(ArrayDeque<Future<Void>> waiters) {
        Future<Void> w;
        while ((w = waiters.pollFirst()) != null) {
            if (!w.done()) {
                w.setResult(null);
                break;
            }
        }
    }

    // ---------------------------------------------------------------- join

    /**
     * Marks one item taken from the queue as processed; when every item put has been marked,
     * {@link #join()} returns. Mirrors {@code asyncio.Queue.task_done}.
     *
     * @throws IllegalStateException if called more times than items were put (Python raises {@code ValueError})
     */
    public final void taskDone() {
        LoopBinding.checkThread(loop, this);
        if (unfinishedTasks <= 0) {
            throw new IllegalStateException("taskDone() called too many times");
        }
        unfinishedTasks--;
        if (unfinishedTasks == 0) {
            finished.set();
        }
    }

    /**
     * Suspends the current task until every item put into the queue has been marked with
     * {@link #taskDone()}; returns at once, without suspending, if none is unfinished. Woken by the
     * {@code taskDone()} that brings the count to zero, or by {@link #shutdown(boolean) shutdown(true)} when
     * it discards the last unfinished items. Mirrors {@code asyncio.Queue.join}.
     *
     * <p>Cancellation: the {@link CancelledError} is thrown here; the queue is unchanged.
     *
     * @throws IllegalStateException if items are unfinished and this is called outside a task
     */
    public final void join() {
        LoopBinding.checkThread(loop, this);
        if (unfinishedTasks > 0) {
            finished.await();
        }
    }

    /** The number of items put and not yet marked with {@link #taskDone()}. */
    public final int unfinishedTasks() {
        return unfinishedTasks;
    }

    // ---------------------------------------------------------------- shutdown

    /** Shuts the queue down, letting consumers drain it; {@code shutdown(false)}. */
    public final void shutdown() {
        shutdown(false);
    }

    /**
     * Shuts the queue down; mirrors {@code asyncio.Queue.shutdown} (Python 3.13). From now on {@link #put}
     * and {@link #putNowait} throw {@link QueueShutDown}, and so do {@link #get} and {@link #getNowait} once
     * the queue is empty. Every task waiting in {@code put} or {@code get} is woken: producers throw
     * {@code QueueShutDown}, and consumers take the items left or throw it. With {@code immediate} the items
     * left are discarded first, each counting as one {@link #taskDone()} (which may release
     * {@link #join()}), so consumers throw at once. Calling it again (to make an earlier shutdown immediate)
     * is allowed.
     */
    public final void shutdown(boolean immediate) {
        LoopBinding.checkThread(loop, this);
        isShutdown = true;
        if (immediate) {
            while (!empty()) {
                take();
                if (unfinishedTasks > 0) {
                    unfinishedTasks--;
                }
            }
            if (unfinishedTasks == 0) {
                finished.set();
            }
        }
        // Every waiter re-checks the state and finds the shutdown.
        Future<Void> w;
        while ((w = getters.pollFirst()) != null) {
            if (!w.done()) {
                w.setResult(null);
            }
        }
        while ((w = putters.pollFirst()) != null) {
            if (!w.done()) {
                w.setResult(null);
            }
        }
    }

    // ---------------------------------------------------------------- iteration

    /**
     * An iterator that {@link #get}s items until the queue is shut down and empty: {@code hasNext()}
     * suspends the current task while the queue is empty (it is a {@code get}, with the same cancellation
     * guarantee), and returns {@code false} once {@code get} would throw {@link QueueShutDown}. Iterating does
     * not call {@link #taskDone()}.
     */
    @Override
    public final Iterator<T> iterator() {
        return new Iterator<>() {
            private boolean fetched;
            private T next;

            @Override
            public boolean hasNext() {
                if (fetched) {
                    return true;
                }
                try {
                    next = get();
                } catch (QueueShutDown end) {
                    return false;
                }
                fetched = true;
                return true;
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the queue is shut down");
                }
                fetched = false;
                T item = next;
                next = null;
                return item;
            }
        };
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<").append(getClass().getSimpleName()).append(" maxsize=").append(maxsize);
        if (!empty()) {
            sb.append(" _queue=[");
            int n = 0;
            for (Object o : contents()) {
                if (n > 0) {
                    sb.append(", ");
                }
                if (++n > 10) {
                    sb.append("...");
                    break;
                }
                sb.append(display(o));
            }
            sb.append(']');
        }
        if (!getters.isEmpty()) {
            sb.append(" _getters[").append(getters.size()).append(']');
        }
        if (!putters.isEmpty()) {
            sb.append(" _putters[").append(putters.size()).append(']');
        }
        if (unfinishedTasks > 0) {
            sb.append(" tasks=").append(unfinishedTasks);
        }
        if (isShutdown) {
            sb.append(" shutdown");
        }
        return sb.append('>').toString();
    }
}
