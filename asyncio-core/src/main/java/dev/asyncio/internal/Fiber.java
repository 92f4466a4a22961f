package dev.asyncio.internal;

import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;

/**
 * The continuation engine: a one-shot, resumable call stack. This is the only class of the project that
 * knows {@code jdk.internal.vm.Continuation} exists; tasks and generators own a fiber each, stepped and
 * suspended through the methods here.
 *
 * <p>A fiber is {@link #step() stepped} by whoever drives it (the loop for a task, the caller of
 * {@code next()} for a generator) and suspends with {@link #suspendTask(Object)} or
 * {@link #suspendGenerator()}. Fibers nest: a generator fiber stepped inside a task fiber that suspends the
 * task scope suspends both stacks at once, and resumes both when the task is stepped again.
 *
 * <p>The fiber is the continuation itself, so a suspended task costs its stack chunk, this object and the
 * body lambda. (A shared trampoline instead of the lambda was tried: it saves 16 bytes and costs two
 * physical frames, about 120 bytes of stack chunk, per suspended task.) The JVM refuses to load this class
 * without {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}; call
 * {@link FiberSupport#checkAvailable()} first.
 */
public final class Fiber extends Continuation {
    private static final ContinuationScope TASK = new ContinuationScope("asyncio");
    private static final ContinuationScope GENERATOR = new ContinuationScope("generator");

    private Fiber(ContinuationScope scope, Runnable body) {
        super(scope, body);
    }

    /** A fiber for a task body; it suspends with {@link #suspendTask(Object)}. */
    public static Fiber task(Runnable body) {
        return new Fiber(TASK, body);
    }

    /** A fiber for a generator body; it suspends with {@link #suspendGenerator()}. */
    public static Fiber generator(Runnable body) {
        return new Fiber(GENERATOR, body);
    }

    /**
     * Runs the body from where it last suspended until it suspends again or finishes.
     *
     * @return {@code true} if the body has finished
     */
    public final boolean step() {
        run();
        return isDone();
    }

    /** Where the suspended body is; empty once finished, a snapshot of the live stack while running. */
    public final StackTraceElement[] stackTrace() {
        if (isDone()) {
            return new StackTraceElement[0];
        }
        return getStackTrace();
    }

    /** Whether this is the innermost generator fiber running on this thread (so its yield is legal here). */
    public final boolean isCurrentGenerator() {
        return Continuation.getCurrentContinuation(GENERATOR) == this;
    }

    /**
     * Suspends the innermost task fiber running on this thread (and every generator fiber stepped inside
     * it); returns when the task is stepped again.
     *
     * @param awaiting what the task waits for, named in the error if the suspension is pinned
     * @throws IllegalStateException if the stack cannot be unmounted here (a native frame such as a class
     *                               initializer, or a critical section); nothing was suspended then
     */
    public static void suspendTask(Object awaiting) {
        try {
            Continuation.yield(TASK);
        } catch (PinnedException pinned) {
            throw new IllegalStateException("Cannot suspend the current task while it awaits " + awaiting + ": "
                    + pinned.getMessage(), pinned);
        }
    }

    /** Suspends the innermost generator fiber; returns when it is stepped again. */
    public static void suspendGenerator() {
        try {
            Continuation.yield(GENERATOR);
        } catch (PinnedException pinned) {
            throw new IllegalStateException("Cannot suspend the generator at its yield: " + pinned.getMessage(), pinned);
        }
    }

    @Override
    protected final void onPinned(Pinned reason) {
        throw new PinnedException(switch (reason) {
            case NATIVE -> "the stack holds a native frame (pinned: NATIVE). This happens when the await runs "
                    + "inside a class initializer (a static block or static field initializer) or a native "
                    + "upcall (JNI or FFM). Move the await out of the initializer or callback.";
            case MONITOR -> "the task holds a monitor (pinned: MONITOR). Never await inside a synchronized "
                    + "block or method.";
            case CRITICAL_SECTION -> "the stack is in a critical section (pinned: CRITICAL_SECTION).";
            case EXCEPTION -> "the JVM could not unmount the stack (pinned: EXCEPTION).";
        });
    }

    /** Thrown by {@link #onPinned} and turned into a message that names the awaited operation. */
    private static final class PinnedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PinnedException(String message) {
            super(message);
        }
    }
}
