package dev.asyncio;

import dev.asyncio.internal.Sneaky;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Flow.Subscriber} whose items a task takes one by one in a for-each loop that suspends while none
 * has arrived, with bounded demand: the way to consume a {@link Flow.Publisher} from a coroutine.
 *
 * <pre>{@code
 * try (FlowSubscriber<String> lines = Flows.iterate(publisher)) {   // subscribes, requests 256
 *     for (String line : lines) {      // hasNext() suspends the task until an item or the end arrives
 *         handle(line);
 *     }
 * }                                     // leaving early (break, exception) cancels the subscription
 * }</pre>
 *
 * <p><b>Demand.</b> The subscriber requests {@code prefetch} items when it is subscribed, then, each time the
 * task has taken {@code prefetch - prefetch / 4} of them, that many more: never more than {@code prefetch}
 * items are outstanding, so a fast publisher cannot fill memory, and a publisher that emits synchronously in
 * {@code request} (as {@code Flux.range} does) is drained without a single suspension. A publisher that sends
 * more than was requested breaks rule 1.1 of Reactive Streams: the subscription is cancelled and the
 * iteration throws an {@link IllegalStateException} that says so.
 *
 * <p><b>Threads.</b> The publisher may signal from any thread. Signals that arrive on the loop's own thread
 * are buffered directly; others go through a lock-free queue that the loop drains (one wake-up per batch),
 * in the order they were signalled. Everything else ({@link #hasNext()}, {@link #next()}, {@link #close()})
 * belongs to the loop's thread.
 *
 * <p><b>Endings.</b> {@code onComplete} ends the iteration; {@code onError} makes {@link #hasNext()} throw the
 * publisher's exception, the same instance (checked ones too, unwrapped). Items signalled after the end break
 * rule 1.7: they are dropped and reported once through the loop's exception handler; items still in flight
 * after {@link #close()} are dropped quietly (rule 3.8 allows them).
 *
 * <p>The iterator is the subscriber itself: it can be iterated once.
 *
 * @param <T> the item type
 */
public final class FlowSubscriber<T> implements Flow.Subscriber<T>, Iterator<T>, Iterable<T>, AutoCloseable {
    /** The demand used when none is given: enough to amortize the requests, small enough to bound memory. */
    public static final int DEFAULT_PREFETCH = 256;

    private static final Object COMPLETE = new Object();
    private static final Flow.Subscription CANCELLED = new Flow.Subscription() {
        @Override
        public void request(long n) {
        }

        @Override
        public void cancel() {
        }

        @Override
        public String toString() {
            return "cancelled";
        }
    };

    /** An {@code onError} signal on its way through the queue. */
    private record Failure(Throwable error) {
    }

    private final AsyncLoop loop;
    private final int prefetch;
    private final int limit;

    // Touched by the publisher's threads.
    private final AtomicReference<Flow.Subscription> upstream = new AtomicReference<>();
    private final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inboxCount = new AtomicInteger();
    private final Runnable drainTask = this::drain;

    // Loop-owned.
    private final ArrayDeque<T> buffer;
    /** {@link #COMPLETE}, the publisher's {@code Throwable}, or {@code null} while it goes on. */
    private Object terminal;
    private boolean closed;
    private boolean lateSignalReported;
    /** How many items were requested in all (the first {@code prefetch} is requested in onSubscribe). */
    private long requested;
    private long received;
    private int consumed;
    private Future<Void> waiter;
    private boolean hasTaken;
    private T taken;

    /**
     * A subscriber whose items are taken on {@code loop}, with the {@linkplain #DEFAULT_PREFETCH default
     * prefetch}. Subscribe it to a publisher (from any thread), then iterate it in a task of {@code loop}.
     */
    public FlowSubscriber(AsyncLoop loop) {
        this(loop, DEFAULT_PREFETCH);
    }

    /**
     * A subscriber whose items are taken on {@code loop}, with at most {@code prefetch} items outstanding.
     *
     * @throws IllegalArgumentException if {@code prefetch} is not positive
     */
    public FlowSubscriber(AsyncLoop loop, int prefetch) {
        this.loop = Objects.requireNonNull(loop, "loop");
        if (prefetch <= 0) {
            throw new IllegalArgumentException("prefetch must be positive, got " + prefetch);
        }
        this.prefetch = prefetch;
        this.limit = prefetch - (prefetch >> 2);
        this.requested = prefetch;
        this.buffer = new ArrayDeque<>(Math.min(prefetch, 1024));
    }

    /** The most items this subscriber lets be outstanding. */
    public int prefetch() {
        return prefetch;
    }

    // ---------------------------------------------------------------- the publisher's side, any thread

    /**
     * Accepts the subscription and requests the first {@link #prefetch()} items; a second subscription, or one
     * that arrives after {@link #close()}, is cancelled (rule 2.5).
     */
    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        Objects.requireNonNull(subscription, "onSubscribe(null) breaks rule 1.9 of Reactive Streams");
        if (!upstream.compareAndSet(null, subscription)) {
            subscription.cancel();
            return;
        }
        subscription.request(prefetch);
    }

    @Override
    public void onNext(T item) {
        Objects.requireNonNull(item, "onNext(null) breaks rule 2.13 of Reactive Streams");
        signal(item);
    }

    @Override
    public void onError(Throwable error) {
        Objects.requireNonNull(error, "onError(null) breaks rule 2.13 of Reactive Streams");
        signal(new Failure(error));
    }

    @Override
    public void onComplete() {
        signal(COMPLETE);
    }

    private void signal(Object s) {
        // On the loop thread with nothing queued from elsewhere, order is kept by handling it at once.
        if (inboxCount.get() == 0 && loop.ioEventLoop().inEventLoop()) {
            deliver(s);
            return;
        }
        inbox.offer(s);
        if (inboxCount.getAndIncrement() == 0) {
            try {
                loop.executeOnLoopThread(drainTask);
            } catch (IllegalStateException loopClosed) {
                // Nobody will ever take the items: stop the publisher.
                Flow.Subscription sub = upstream.getAndSet(CANCELLED);
                if (sub != null) {
                    sub.cancel();
                }
            }
        }
    }

    private void drain() {
        int missed = inboxCount.get();
        while (true) {
            for (int i = 0; i < missed; i++) {
                deliver(inbox.poll());
            }
            missed = inboxCount.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    /** One signal, on the loop thread, in the order the publisher sent them. */
    private void deliver(Object s) {
        if (closed) {
            return; // in flight when we cancelled: allowed by rule 3.8
        }
        if (terminal != null) {
            reportLateSignal(s);
            return;
        }
        if (s == COMPLETE) {
            terminal = COMPLETE;
        } else if (s instanceof Failure f) {
            terminal = f.error();
        } else if (++received > requested) {
            terminal = new IllegalStateException("the publisher sent more items than were requested (" + requested
                    + "), which breaks rule 1.1 of Reactive Streams; the subscription was cancelled");
            cancelUpstream(); // the items that came within demand are still taken first
        } else {
            @SuppressWarnings("unchecked")
            T item = (T) s;
            buffer.add(item);
        }
        wake();
    }

    private void reportLateSignal(Object s) {
        if (lateSignalReported) {
            return;
        }
        lateSignalReported = true;
        String what = s == COMPLETE ? "onComplete" : s instanceof Failure ? "onError" : "onNext";
        Map<String, Object> context = new java.util.LinkedHashMap<>();
        context.put("message", "A Flow.Publisher signalled " + what + " after it had ended the stream, which breaks "
                + "rule 1.7 of Reactive Streams; the signal was dropped (later ones are dropped without a report)");
        if (s instanceof Failure f) {
            context.put("exception", f.error());
        }
        context.put("subscriber", this);
        loop.callExceptionHandler(context);
    }

    private void wake() {
        Future<Void> w = waiter;
        if (w != null) {
            waiter = null;
            w.setResultInternal(null);
        }
    }

    private void cancelUpstream() {
        Flow.Subscription sub = upstream.getAndSet(CANCELLED);
        if (sub != null && sub != CANCELLED) {
            sub.cancel();
        }
    }

    // ---------------------------------------------------------------- the task's side, loop thread

    /**
     * Whether another item has arrived or will; suspends the current task until an item, the end of the
     * stream or an error arrives. Taking items requests more in batches, as described in the class comment.
     *
     * <p>Cancellation: the subscription is cancelled, the items buffered are dropped and the
     * {@link CancelledError} is thrown here; the subscriber is closed afterwards.
     *
     * @throws IllegalStateException if the publisher broke rule 1.1 (sent more than requested), or if this is
     *                               called outside a task of the subscriber's loop while it has to wait
     */
    @Override
    public boolean hasNext() {
        while (true) {
            if (hasTaken) {
                return true;
            }
            if (consumed >= limit) {
                replenish(); // only when the task asks for more: awaitSingle never requests a third item
            }
            T item = buffer.poll();
            if (item != null) {
                taken = item;
                hasTaken = true;
                consumed++;
                return true;
            }
            if (closed) {
                return false;
            }
            Object end = terminal;
            if (end == COMPLETE) {
                return false;
            }
            if (end != null) {
                throw Sneaky.rethrow((Throwable) end);
            }
            awaitSignal();
        }
    }

    /**
     * The next item; suspends like {@link #hasNext()} if none has arrived yet.
     *
     * <p>Cancellation: as for {@link #hasNext()}.
     *
     * @throws NoSuchElementException when the stream has ended (or this subscriber was closed)
     */
    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException(closed ? "the subscriber was closed" : "the publisher has completed");
        }
        T item = taken;
        taken = null;
        hasTaken = false;
        return item;
    }

    private void replenish() {
        consumed = 0;
        Flow.Subscription sub = upstream.get();
        if (terminal == null && !closed && sub != CANCELLED) {
            requested += limit;
            sub.request(limit);
        }
    }

    private void awaitSignal() {
        Future<Void> w = waiter;
        if (w == null) {
            if (Asyncio.currentTask() == null || Asyncio.getRunningLoop() != loop) {
                throw new IllegalStateException("a FlowSubscriber is iterated by a task of the loop it was made for ("
                        + loop + "); this call is not in one");
            }
            w = new Future<>(loop);
            waiter = w;
        }
        try {
            w.await();
        } catch (Throwable t) {
            waiter = null; // cancelled: wake() must not touch it again
            close();
            throw t;
        }
    }

    /** This subscriber: it is its own iterator, so it can be iterated once. */
    @Override
    public Iterator<T> iterator() {
        return this;
    }

    /**
     * Cancels the subscription (also if it has not arrived yet) and drops the items buffered; the iteration
     * then ends. A task waiting in {@link #hasNext()} returns {@code false}. Idempotent; never suspends.
     */
    @Override
    public void close() {
        loop.checkThread();
        if (closed) {
            return;
        }
        closed = true;
        if (terminal == null) {
            cancelUpstream(); // after onComplete/onError the subscription is already over (rule 2.4)
        }
        buffer.clear();
        hasTaken = false;
        taken = null;
        wake();
    }

    @Override
    public String toString() {
        return "<FlowSubscriber prefetch=" + prefetch + " received=" + received + " buffered=" + buffer.size()
                + (closed ? " closed" : terminal == COMPLETE ? " complete" : terminal != null ? " failed" : "") + ">";
    }
}
