package dev.asyncio;

import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.Flow;

/**
 * The bridge between tasks and {@link java.util.concurrent.Flow} (Reactive Streams): await a publisher's
 * first, single or last item, iterate its items with bounded demand, and turn coroutines and asynchronous
 * generators into publishers.
 *
 * <pre>{@code
 * String first = Flows.awaitFirst(publisher);                 // suspends until the first item
 * try (var items = Flows.iterate(publisher, 64)) {            // at most 64 items outstanding
 *     for (String s : items) { ... }                          // suspends while none has arrived
 * }
 * Flow.Publisher<Integer> ticks = Flows.fromGenerator(y -> {  // a task per subscriber
 *     for (int i = 0; ; i++) { Asyncio.sleep(1); y.yield(i); } // yield suspends while there is no demand
 * });
 * }</pre>
 *
 * <p>Everything that awaits here cancels its subscription when the task is cancelled, and rethrows the
 * publisher's error, the same instance. Publishers may signal from any thread; items are handed to the loop
 * thread-safely. See {@link FlowSubscriber} for the demand policy and the handling of misbehaving
 * publishers.
 */
public final class Flows {
    private Flows() {
    }

    // ---------------------------------------------------------------- consuming

    /**
     * Subscribes to {@code publisher} with the {@linkplain FlowSubscriber#DEFAULT_PREFETCH default prefetch};
     * iterate the result in this task and close it (try-with-resources) so that leaving the loop early cancels
     * the subscription. Does not suspend; the iteration does.
     *
     * @throws IllegalStateException if no loop is running on this thread
     */
    public static <T> FlowSubscriber<T> iterate(Flow.Publisher<T> publisher) {
        return iterate(publisher, FlowSubscriber.DEFAULT_PREFETCH);
    }

    /**
     * Subscribes to {@code publisher} with at most {@code prefetch} items outstanding; see {@link #iterate(Flow.Publisher)}.
     *
     * @throws IllegalArgumentException if {@code prefetch} is not positive
     * @throws IllegalStateException    if no loop is running on this thread
     */
    public static <T> FlowSubscriber<T> iterate(Flow.Publisher<T> publisher, int prefetch) {
        Objects.requireNonNull(publisher, "publisher");
        FlowSubscriber<T> subscriber = new FlowSubscriber<>(AsyncLoop.running("Flows.iterate"), prefetch);
        publisher.subscribe(subscriber);
        return subscriber;
    }

    /**
     * Suspends the current task until {@code publisher} emits its first item and returns it; the subscription
     * is then cancelled. Requests one item.
     *
     * <p>Cancellation: the subscription is cancelled and the {@link CancelledError} is thrown here.
     *
     * @throws NoSuchElementException if the publisher completes without an item
     */
    public static <T> T awaitFirst(Flow.Publisher<T> publisher) {
        try (FlowSubscriber<T> s = iterate(publisher, 1)) {
            if (!s.hasNext()) {
                throw new NoSuchElementException("the publisher completed without emitting an item; awaitFirst needs one");
            }
            return s.next();
        }
    }

    /**
     * Suspends the current task until {@code publisher} emits its first item or completes; returns the item, or
     * {@code null} if it completed empty. The subscription is then cancelled. Requests one item.
     *
     * <p>Cancellation: the subscription is cancelled and the {@link CancelledError} is thrown here.
     */
    public static <T> T awaitFirstOrNull(Flow.Publisher<T> publisher) {
        try (FlowSubscriber<T> s = iterate(publisher, 1)) {
            return s.hasNext() ? s.next() : null;
        }
    }

    /**
     * Suspends the current task until {@code publisher} has completed after exactly one item, and returns it.
     * Requests two items, so that a second one is seen; the subscription is cancelled as soon as it is.
     *
     * <p>Cancellation: the subscription is cancelled and the {@link CancelledError} is thrown here.
     *
     * @throws NoSuchElementException   if the publisher completes without an item
     * @throws IllegalArgumentException if it emits a second item
     */
    public static <T> T awaitSingle(Flow.Publisher<T> publisher) {
        T item = awaitSingleOrNull(publisher);
        if (item == null) {
            throw new NoSuchElementException("the publisher completed without emitting an item; awaitSingle needs exactly one");
        }
        return item;
    }

    /**
     * Suspends the current task until {@code publisher} has completed, and returns its one item or {@code null}
     * if it emitted none. Requests two items, so that a second one is seen.
     *
     * <p>Cancellation: the subscription is cancelled and the {@link CancelledError} is thrown here.
     *
     * @throws IllegalArgumentException if it emits a second item (the subscription is then cancelled)
     */
    public static <T> T awaitSingleOrNull(Flow.Publisher<T> publisher) {
        try (FlowSubscriber<T> s = iterate(publisher, 2)) {
            if (!s.hasNext()) {
                return null;
            }
            T item = s.next();
            if (s.hasNext()) {
                throw new IllegalArgumentException("the publisher emitted more than one item (" + item + ", "
                        + s.next() + ", ...); awaitSingle expects exactly one");
            }
            return item;
        }
    }

    /**
     * Suspends the current task until {@code publisher} completes and returns the last item it emitted. Items
     * are requested in batches (the default prefetch) and only the last one is kept.
     *
     * <p>Cancellation: the subscription is cancelled and the {@link CancelledError} is thrown here.
     *
     * @throws NoSuchElementException if the publisher completes without an item
     */
    public static <T> T awaitLast(Flow.Publisher<T> publisher) {
        try (FlowSubscriber<T> s = iterate(publisher)) {
            T last = null;
            while (s.hasNext()) {
                last = s.next();
            }
            if (last == null) {
                throw new NoSuchElementException("the publisher completed without emitting an item; awaitLast needs one");
            }
            return last;
        }
    }

    // ---------------------------------------------------------------- producing

    /**
     * A cold publisher of the one value {@code coro} returns (none if it returns {@code null}): each
     * subscription runs {@code coro} in a task of its own, on the loop running where {@code subscribe} is
     * called, else the loop that was running where this method was called. The task starts when the
     * subscription does; its value is emitted once requested. The task runs in a copy of the context current
     * here (so it sees this task's {@link ContextVar} values).
     *
     * <p>Cancelling the subscription cancels the task: a {@link CancelledError} is thrown where it awaits, so
     * its {@code finally} blocks run. An exception thrown by {@code coro} is signalled with {@code onError},
     * the same instance.
     */
    public static <T> Flow.Publisher<T> fromCoroutine(Coroutine<T> coro) {
        return fromCoroutine(null, coro);
    }

    /** A publisher that runs {@code body} and completes empty; see {@link #fromCoroutine(Coroutine)}. */
    public static Flow.Publisher<Void> fromCoroutine(AsyncRunnable body) {
        return fromCoroutine(null, body);
    }

    /**
     * As {@link #fromCoroutine(Coroutine)}, on {@code loop}; subscribers on other threads are served through
     * the loop thread-safely. A {@code null} loop means "the running one", as there.
     */
    public static <T> Flow.Publisher<T> fromCoroutine(AsyncLoop loop, Coroutine<T> coro) {
        Objects.requireNonNull(coro, "coro");
        return new GeneratorPublisher<T>(loop, null, y -> {
            T value = coro.call();
            if (value != null) {
                y.yield(value);
            }
            return null;
        }, "fromCoroutine(" + coro + ")");
    }

    /** A publisher that runs {@code body} on {@code loop} and completes empty; see {@link #fromCoroutine(AsyncLoop, Coroutine)}. */
    public static Flow.Publisher<Void> fromCoroutine(AsyncLoop loop, AsyncRunnable body) {
        Objects.requireNonNull(body, "body");
        return fromCoroutine(loop, body.asCoroutine());
    }

    /**
     * A cold publisher of the items an asynchronous generator body yields: each subscription runs
     * {@code body} in a task of its own, on the loop running where {@code subscribe} is called, else the loop
     * that was running where this method was called, in a copy of the context current here.
     *
     * <p>The task starts when the subscription does. {@code y.yield(item)} emits the item if the subscriber
     * has requested one, and otherwise suspends the task until it does: without demand the body does not run
     * on. The body may await anything between its yields. Returning completes the stream; an exception is
     * signalled with {@code onError}, the same instance. Yielding {@code null} throws a
     * {@link NullPointerException} into the body (a Flow cannot carry null).
     *
     * <p>Cancelling the subscription closes the generator: {@link GeneratorExit} is raised at the {@code yield}
     * where it waits (or a {@link CancelledError} at the await where it is suspended), so its {@code finally}
     * blocks run; nothing is signalled after that. A subscriber that throws from {@code onNext} is treated as
     * having cancelled, and the error goes to the loop's exception handler.
     */
    public static <T> Flow.Publisher<T> fromGenerator(GeneratorBody<? extends T, Void, ?> body) {
        return fromGenerator(null, body);
    }

    /**
     * As {@link #fromGenerator(GeneratorBody)}, on {@code loop}; subscribers on other threads are served through
     * the loop thread-safely. A {@code null} loop means "the running one", as there.
     */
    public static <T> Flow.Publisher<T> fromGenerator(AsyncLoop loop, GeneratorBody<? extends T, Void, ?> body) {
        return fromGenerator(loop, null, body);
    }

    /**
     * As {@link #fromGenerator(AsyncLoop, GeneratorBody)}, with each subscription's task running in a copy of
     * {@code context} ({@code null}: of the context current here). For bridges that carry a context of their
     * own, such as a Reactor {@code Context}.
     */
    public static <T> Flow.Publisher<T> fromGenerator(AsyncLoop loop, Context context, GeneratorBody<? extends T, Void, ?> body) {
        return new GeneratorPublisher<>(loop, context, body, "fromGenerator(" + body + ")");
    }
}
