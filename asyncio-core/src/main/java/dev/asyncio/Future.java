package dev.asyncio;

import dev.asyncio.internal.Sneaky;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A result that will be set later, bound to one loop; mirrors {@code asyncio.Future}.
 *
 * <pre>{@code
 * Future<String> reply = new Future<>();
 * loop.callLater(1.0, () -> reply.setResult("pong"));
 * String s = reply.await();            // suspends the current task for one second
 * }</pre>
 *
 * <p>A future is pending, then finished (with a result or an exception) or cancelled, once. Done callbacks
 * never run inline: completing a future schedules each of them with {@code callSoon}, in the order they
 * were added, so the order in which things happen does not depend on who completed what first.
 *
 * <p>A future that fails and whose exception nobody retrieves ({@link #result()}, {@link #exception()},
 * {@link #await()}) is reported through the loop's exception handler when it is garbage-collected or when
 * the loop closes ("Future exception was never retrieved"). Like every loop-owned object, a future is used
 * from its loop's thread only; {@link #toCompletableFuture()} is the way out to other threads.
 *
 * @param <T> the result type
 */
public class Future<T> implements Awaitable<T> {
    private static final byte PENDING = 0;
    private static final byte FINISHED = 1;
    private static final byte CANCELLED = 2;

    final AsyncLoop loop;
    private byte state;
    private T result;
    private Throwable exception;
    /** {@code null}, one entry, or an {@code ArrayList} of entries: a {@link Task} to wake or a {@link DoneCallback}. */
    private Object callbacks;
    /** What only cancelled or failed futures need; {@code null} for most of them (one field instead of three). */
    private Details details;

    private static final class Details {
        String cancelMessage;
        CancelledError cancelledError;
        UnretrievedFailure unretrieved;
    }

    private Details details() {
        Details d = details;
        if (d == null) {
            d = new Details();
            details = d;
        }
        return d;
    }

    /**
     * A pending future bound to the running loop.
     *
     * @throws IllegalStateException if no loop is running on this thread
     */
    public Future() {
        this(AsyncLoop.running("Future()"));
    }

    Future(AsyncLoop loop) {
        this.loop = loop;
    }

    /**
     * Whether any of {@code waiters} is not cancelled: a waiter cancelled but not yet out of its queue
     * (it leaves when its task runs) does not count, as in asyncio's {@code Lock} and {@code Semaphore}.
     */
    static boolean anyNotCancelled(Iterable<? extends Future<?>> waiters) {
        for (Future<?> w : waiters) {
            if (!w.cancelled()) {
                return true;
            }
        }
        return false;
    }

    /** The loop this future belongs to. */
    public AsyncLoop loop() {
        return loop;
    }

    @Override
    public boolean done() {
        return state != PENDING;
    }

    public boolean cancelled() {
        return state == CANCELLED;
    }

    /**
     * The result; rethrows the exception (the same instance) if the future failed.
     *
     * @throws CancelledError     if the future was cancelled
     * @throws InvalidStateError  if the future is not done
     */
    public T result() {
        if (state == CANCELLED) {
            throw cancelledError();
        }
        if (state != FINISHED) {
            throw new InvalidStateError("Result is not set.");
        }
        markRetrieved();
        if (exception != null) {
            throw Sneaky.rethrow(exception);
        }
        return result;
    }

    /**
     * The exception the future failed with, or {@code null} if it succeeded.
     *
     * @throws CancelledError    if the future was cancelled
     * @throws InvalidStateError if the future is not done
     */
    public Throwable exception() {
        if (state == CANCELLED) {
            throw cancelledError();
        }
        if (state != FINISHED) {
            throw new InvalidStateError("Exception is not set.");
        }
        markRetrieved();
        return exception;
    }

    /**
     * Marks the future done with a result and schedules its callbacks.
     *
     * @throws InvalidStateError if already done
     */
    public void setResult(T value) {
        loop.checkThread();
        checkPending();
        setResultInternal(value);
    }

    /**
     * Marks the future failed with {@code t} and schedules its callbacks.
     *
     * @throws InvalidStateError        if already done
     * @throws IllegalArgumentException if {@code t} is null
     */
    public void setException(Throwable t) {
        loop.checkThread();
        if (t == null) {
            throw new IllegalArgumentException("exception must not be null");
        }
        checkPending();
        setExceptionInternal(t);
    }

    private void checkPending() {
        if (state != PENDING) {
            throw new InvalidStateError("invalid state: " + stateName() + ": " + this);
        }
    }

    final void setResultInternal(T value) {
        result = value;
        state = FINISHED;
        scheduleCallbacks();
    }

    final void setExceptionInternal(Throwable t) {
        exception = t;
        state = FINISHED;
        try {
            details().unretrieved = new UnretrievedFailure(loop, t, this);
        } catch (Throwable watchFailed) {
            // The never-retrieved watch is a safety net: failing to set it up (a class that cannot be loaded
            // without a free descriptor, a Cleaner out of memory) must not leave the waiters asleep forever.
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("message", "could not watch a failed future for a never-retrieved exception");
            context.put("exception", watchFailed);
            loop.callExceptionHandler(context);
        } finally {
            scheduleCallbacks();
        }
    }

    /** Cancels the future; see {@link #cancel(String)}. */
    public final boolean cancel() {
        return cancel(null);
    }

    /**
     * Cancels the future and schedules its callbacks; {@code msg} becomes the message of the
     * {@link CancelledError} that {@link #result()} throws.
     *
     * @return {@code false} if the future was already done
     */
    public boolean cancel(String msg) {
        loop.checkThread();
        return cancelInternal(msg);
    }

    final boolean cancelInternal(String msg) {
        if (state != PENDING) {
            return false;
        }
        state = CANCELLED;
        setCancelMessage(msg);
        scheduleCallbacks();
        return true;
    }

    /**
     * The message given to {@link #cancel(String)}, or {@code null}. A task keeps the message of a
     * cancellation requested but not yet delivered here too.
     */
    String cancelMessage() {
        Details d = details;
        return d == null ? null : d.cancelMessage;
    }

    void setCancelMessage(String msg) {
        if (msg != null || details != null) {
            details().cancelMessage = msg;
        }
    }

    /** The error that {@link #result()} of this cancelled future throws, always the same instance. */
    CancelledError cancelledError() {
        Details d = details();
        CancelledError e = d.cancelledError;
        if (e == null) {
            e = new CancelledError(d.cancelMessage);
            d.cancelledError = e;
        }
        return e;
    }

    void setCancelledError(CancelledError e) {
        details().cancelledError = e;
    }

    /**
     * Adds a callback run with this future once it is done; if it is already done, the callback is
     * scheduled at once. Callbacks run with {@code callSoon}, in the context current when they were added.
     */
    public void addDoneCallback(Consumer<? super Future<T>> cb) {
        Objects.requireNonNull(cb, "cb");
        loop.checkThread();
        DoneCallback<T> entry = new DoneCallback<>(cb, Context.snapshotOfCurrent());
        if (state != PENDING) {
            schedule(entry);
        } else {
            addEntry(entry);
        }
    }

    /**
     * Removes every registration of {@code cb}.
     *
     * @return how many were removed
     */
    public int removeDoneCallback(Consumer<? super Future<T>> cb) {
        loop.checkThread();
        return removeEntries(e -> e instanceof DoneCallback<?> dc && dc.fn.equals(cb));
    }

    /** Adds an internal callback, run with this future and no context of its own. */
    final void addInternalCallback(Consumer<? super Future<T>> cb) {
        DoneCallback<T> entry = new DoneCallback<>(cb, null);
        if (state != PENDING) {
            schedule(entry);
        } else {
            addEntry(entry);
        }
    }

    final int removeInternalCallback(Consumer<? super Future<T>> cb) {
        return removeDoneCallback(cb);
    }

    /** Registers {@code task} to be stepped when this future is done; the task's own wake-up. */
    final void addWaiter(Task<?> task) {
        addEntry(task);
    }

    final void removeWaiter(Task<?> task) {
        removeEntries(e -> e == task);
    }

    /**
     * Calls {@code into} with every waiter of this pending future: each task woken by it (via {@code "await"})
     * and each {@link AwaitLink}'s awaiter. For {@link TaskDump}, on the loop thread.
     */
    final void forEachAwaiter(java.util.function.BiConsumer<Future<?>, String> into) {
        Object cbs = callbacks;
        if (cbs instanceof ArrayList<?> list) {
            for (Object entry : list) {
                awaiterOf(entry, into);
            }
        } else if (cbs != null) {
            awaiterOf(cbs, into);
        }
    }

    private static void awaiterOf(Object entry, java.util.function.BiConsumer<Future<?>, String> into) {
        if (entry instanceof Task<?> task) {
            into.accept(task, "await");
        } else if (entry instanceof DoneCallback<?> dc && dc.fn instanceof AwaitLink link) {
            into.accept(link.awaiter(), link.via());
        }
    }

    private void addEntry(Object entry) {
        Object cbs = callbacks;
        if (cbs == null) {
            callbacks = entry;
        } else if (cbs instanceof ArrayList<?>) {
            @SuppressWarnings("unchecked")
            ArrayList<Object> list = (ArrayList<Object>) cbs;
            list.add(entry);
        } else {
            ArrayList<Object> list = new ArrayList<>(4);
            list.add(cbs);
            list.add(entry);
            callbacks = list;
        }
    }

    private int removeEntries(java.util.function.Predicate<Object> match) {
        Object cbs = callbacks;
        if (cbs == null) {
            return 0;
        }
        if (cbs instanceof ArrayList<?> list) {
            int before = list.size();
            list.removeIf(match);
            return before - list.size();
        }
        if (match.test(cbs)) {
            callbacks = null;
            return 1;
        }
        return 0;
    }

    private void scheduleCallbacks() {
        Object cbs = callbacks;
        if (cbs == null) {
            return;
        }
        callbacks = null;
        if (cbs instanceof ArrayList<?> list) {
            for (Object entry : list) {
                schedule(entry);
            }
        } else {
            schedule(cbs);
        }
    }

    private void schedule(Object entry) {
        if (entry instanceof Task<?> task) {
            loop.scheduleStep(task);
        } else {
            @SuppressWarnings("unchecked")
            DoneCallback<T> dc = (DoneCallback<T>) entry;
            loop.callSoonInternal(new CallbackInvocation<>(dc.fn, this), dc.context);
        }
    }

    private void markRetrieved() {
        Details d = details;
        UnretrievedFailure u = d == null ? null : d.unretrieved;
        if (u != null) {
            d.unretrieved = null;
            u.retrieved();
        }
    }

    /**
     * Suspends the current task until this future is done, then returns its result or rethrows its
     * exception. Returns at once, without suspending, if it is already done. Mirrors {@code await fut}.
     *
     * <p>Cancellation: if the waiting task is cancelled, this future is cancelled too (with the same
     * message) and the {@link CancelledError} is thrown here.
     *
     * @throws IllegalStateException if called outside a task while pending, or by a task on itself
     */
    @Override
    public T await() {
        if (state == PENDING) {
            Task.current("await a future").awaitFuture(this);
        }
        return result();
    }

    /**
     * A {@link CompletableFuture} completed on this loop's thread with this future's outcome (a cancelled
     * future completes it with a {@link CancellationException}). Cancelling the returned future, from any
     * thread, cancels this one. This counts as retrieving the exception.
     */
    public CompletableFuture<T> toCompletableFuture() {
        CompletableFuture<T> cf = new CompletableFuture<>();
        transferTo(cf);
        return cf;
    }

    /**
     * Completes {@code cf} with this future's outcome once done (on the loop thread), and cancels this
     * future when {@code cf} is cancelled, from any thread. Retrieves the exception.
     */
    final void transferTo(CompletableFuture<? super T> cf) {
        addInternalCallback(f -> {
            if (f.cancelled()) {
                cf.cancel(false);
            } else if (f.exception() != null) {
                cf.completeExceptionally(f.exception());
            } else {
                cf.complete(f.result());
            }
        });
        cf.whenComplete((v, ex) -> {
            if (ex instanceof CancellationException) {
                loop.callSoonThreadsafeIfOpen(() -> cancel());
            }
        });
    }

    String stateName() {
        return switch (state) {
            case PENDING -> "PENDING";
            case FINISHED -> "FINISHED";
            default -> "CANCELLED";
        };
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<").append(getClass().getSimpleName()).append(' ')
                .append(stateName().toLowerCase(java.util.Locale.ROOT));
        appendOutcome(sb);
        return sb.append('>').toString();
    }

    void appendOutcome(StringBuilder sb) {
        if (state == FINISHED) {
            if (exception != null) {
                sb.append(" exception=").append(exception);
            } else {
                sb.append(" result=").append(result);
            }
        }
    }

    /** A user or internal done callback and the context it runs in ({@code null}: no context switch). */
    private record DoneCallback<T>(Consumer<? super Future<T>> fn, Context context) {
    }

    /** The runnable that the ready queue holds for one done callback. */
    private record CallbackInvocation<T>(Consumer<? super Future<T>> fn, Future<T> future) implements Runnable {
        @Override
        public void run() {
            fn.accept(future);
        }

        @Override
        public String toString() {
            return fn + " for " + future;
        }
    }
}
