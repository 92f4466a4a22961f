package dev.asyncio;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The iterator behind {@link Asyncio#asCompleted}: hands out futures in the order they complete; mirrors
 * asyncio's {@code _AsCompletedIterator} (Python 3.13) under async iteration.
 */
final class AsCompleted<T> implements Iterable<Future<T>>, Iterator<Future<T>> {
    /** Futures in completion order; a {@code null} item is the timeout's sentinel. */
    private final Queue<Future<T>> done = new Queue<>();
    private final Set<Future<T>> todo = new LinkedHashSet<>();
    private final Consumer<Future<T>> onCompletion = this::handleCompletion;
    private TimerHandle timeoutHandle;
    private int todoLeft;

    @SuppressWarnings("unchecked")
    AsCompleted(AsyncLoop loop, Collection<? extends Awaitable<T>> aws, double timeoutSeconds) {
        Set<Awaitable<T>> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Future<T>> futures = new ArrayList<>(aws.size());
        for (Awaitable<T> aw : aws) {
            if (aw == null) {
                throw new IllegalArgumentException("asCompleted() got a null awaitable");
            }
            if (distinct.add(aw)) {
                futures.add((Future<T>) Gathering.toFuture(loop, aw));
            }
        }
        for (Future<T> f : futures) {
            todo.add(f);
            f.addInternalCallback(onCompletion);
        }
        if (!todo.isEmpty() && timeoutSeconds != Double.POSITIVE_INFINITY) {
            timeoutHandle = loop.callLater(timeoutSeconds, this::handleTimeout);
        }
        todoLeft = todo.size();
    }

    private void handleTimeout() {
        for (Future<T> f : todo) {
            f.removeInternalCallback(onCompletion);
            done.putNowait(null);
        }
        todo.clear();
    }

    private void handleCompletion(Future<T> f) {
        if (todo.isEmpty()) {
            return; // the timeout came first
        }
        todo.remove(f);
        done.putNowait(f);
        if (todo.isEmpty() && timeoutHandle != null) {
            timeoutHandle.cancel();
        }
    }

    /** The iterator is its own iterable, as in Python: iterating again continues where it stopped. */
    @Override
    public Iterator<Future<T>> iterator() {
        return this;
    }

    @Override
    public boolean hasNext() {
        return todoLeft > 0;
    }

    @Override
    public Future<T> next() {
        if (todoLeft == 0) {
            throw new NoSuchElementException("every future has been handed out");
        }
        todoLeft--;
        Future<T> f = done.get();
        if (f == null) {
            throw new TimeoutError("asCompleted() timed out with " + (todoLeft + 1) + " future(s) not done");
        }
        return f;
    }
}
