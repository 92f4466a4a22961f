package dev.asyncio;

import dev.asyncio.internal.Sneaky;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A coroutine running as a task on one loop, awaited from anywhere: from a task on another loop with
 * {@link #await()} (which suspends that task, never blocking its loop), or from a plain thread with
 * {@link #get()}. Made by {@link AsyncLoop#submit(Coroutine)}.
 *
 * <p>Outcomes cross over both ways: the task's result, its exception (the same instance) and its cancellation
 * reach the awaiting side; cancelling the awaiting task, or calling {@link #cancel(boolean)}, cancels the task on
 * its loop (it gets a {@link CancelledError} where it waits and can clean up). As with {@code await
 * asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coro, loop))}, the awaiting side is cancelled at once and
 * does not wait for that cleanup. If the loop closes before it ran the coroutine, this is cancelled.
 *
 * @param <T> the coroutine's result type
 */
public final class CrossLoopFuture<T> implements Awaitable<T>, java.util.concurrent.Future<T> {
    private final AsyncLoop loop;
    private final CompletableFuture<T> outcome;

    CrossLoopFuture(AsyncLoop loop, CompletableFuture<T> outcome) {
        this.loop = loop;
        this.outcome = outcome;
    }

    /** The loop the coroutine runs on. */
    public AsyncLoop loop() {
        return loop;
    }

    /**
     * Suspends the current task (on any loop, this one's included) until the coroutine is done, then returns its
     * result or rethrows its exception, the same instance. Returns at once if already done.
     *
     * <p>Cancellation: cancelling the waiting task cancels the coroutine's task on its loop, and the waiting task
     * gets its {@link CancelledError} at once. If the coroutine's task is cancelled (on its loop, or by
     * {@link #cancel}), this throws {@link CancelledError}.
     *
     * @throws IllegalStateException if called outside a task while not done (use {@link #get()} on a thread)
     */
    @Override
    public T await() {
        if (outcome.isDone()) {
            return resultNowOrThrow();
        }
        return Asyncio.await(outcome);
    }

    private T resultNowOrThrow() {
        try {
            return outcome.join();
        } catch (CancellationException e) {
            throw new CancelledError("the task on " + loop + " was cancelled");
        } catch (java.util.concurrent.CompletionException e) {
            throw Sneaky.rethrow(e.getCause());
        }
    }

    @Override
    public boolean done() {
        return outcome.isDone();
    }

    /** Cancels the coroutine's task on its loop (from any thread); whether this changed anything. */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return outcome.cancel(mayInterruptIfRunning);
    }

    @Override
    public boolean isCancelled() {
        return outcome.isCancelled();
    }

    @Override
    public boolean isDone() {
        return outcome.isDone();
    }

    /**
     * Blocks the calling thread until the coroutine is done; for plain threads.
     *
     * @throws IllegalStateException if called on a thread running a loop while not done: blocking there would
     *                               stall that loop (and deadlock it if it is this one's); use {@link #await()}
     */
    @Override
    public T get() throws InterruptedException, ExecutionException {
        refuseOnLoopThread();
        return outcome.get();
    }

    /** {@link #get()} waiting at most {@code timeout}. */
    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        refuseOnLoopThread();
        return outcome.get(timeout, unit);
    }

    private void refuseOnLoopThread() {
        AsyncLoop running = ThreadState.current().runningLoop;
        if (running != null && !outcome.isDone()) {
            throw new IllegalStateException("get() would block the thread of " + running
                    + ": await() the CrossLoopFuture in a task instead");
        }
    }

    @Override
    public String toString() {
        return "<CrossLoopFuture " + (outcome.isCancelled() ? "cancelled" : outcome.isDone() ? "finished" : "pending")
                + " on " + loop + ">";
    }
}
