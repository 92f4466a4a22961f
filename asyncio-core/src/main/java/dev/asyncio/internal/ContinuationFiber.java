package dev.asyncio.internal;

import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;

/**
 * The continuation engine's fiber: a {@code jdk.internal.vm.Continuation}. This and {@link ContinuationEngine}
 * are the only classes of the project that know {@code jdk.internal.vm.Continuation} exists. Nesting is the
 * JDK's: a generator fiber (its own scope) run inside a task fiber that yields the task scope suspends both
 * stacks at once, and resumes both when the task is run again.
 *
 * <p>The fiber is the continuation itself, so a suspended task costs its stack chunk, this object and the
 * task's body object (16 bytes, whose {@code run()} is the task's own code: no frame in between). (A shared
 * trampoline instead was tried: it saves 16 bytes and costs two physical frames, about 120 bytes of stack
 * chunk, per suspended task.) The JVM refuses to load this class
 * without {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}; call
 * {@link FiberSupport#checkAvailable()} first; {@link Engine} does.
 */
final class ContinuationFiber extends Continuation implements Fiber {
    private static final ContinuationScope TASK = new ContinuationScope("asyncio");
    private static final ContinuationScope GENERATOR = new ContinuationScope("generator");

    private ContinuationFiber(ContinuationScope scope, Runnable body) {
        super(scope, body);
    }

    static ContinuationFiber task(Runnable body) {
        return new ContinuationFiber(TASK, body);
    }

    static ContinuationFiber generator(Runnable body) {
        return new ContinuationFiber(GENERATOR, body);
    }

    @Override
    public final boolean step() {
        run();
        return isDone();
    }

    @Override
    public final StackTraceElement[] stackTrace() {
        if (isDone()) {
            return new StackTraceElement[0];
        }
        return getStackTrace();
    }

    @Override
    public final boolean isCurrentGenerator() {
        return Continuation.getCurrentContinuation(GENERATOR) == this;
    }

    @Override
    public final void discard() {
        // nothing holds an unreferenced continuation: the garbage collector takes it
    }

    /** See {@link Fiber#suspendTask(Object)}. */
    static void suspendTask(Object awaiting) {
        try {
            Continuation.yield(TASK);
        } catch (PinnedException pinned) {
            throw new IllegalStateException("Cannot suspend the current task while it awaits " + awaiting + ": "
                    + pinned.getMessage(), pinned);
        }
    }

    /** See {@link Fiber#suspendGenerator()}. */
    static void suspendGenerator() {
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
