package dev.asyncio.internal;

/**
 * A one-shot, resumable call stack: what a task or a generator runs its body on. Tasks and generators own a
 * fiber each, stepped and suspended through the methods here; which {@link Engine} makes the fibers is
 * chosen once per JVM.
 *
 * <p>A fiber is {@link #step() stepped} by whoever drives it (the loop for a task, the caller of
 * {@code next()} for a generator) and suspends with {@link #suspendTask(Object)} or
 * {@link #suspendGenerator()}. Fibers nest: a generator fiber stepped inside a task fiber that suspends the
 * task suspends both, and resumes both when the task is stepped again. Exactly one fiber (or its driver)
 * runs at a time: a step returns only once the body has suspended or finished.
 */
public interface Fiber {
    /** A fiber for a task body; it suspends with {@link #suspendTask(Object)}. */
    static Fiber task(Runnable body) {
        return Engine.CURRENT.newTask(body);
    }

    /** A fiber for a generator body; it suspends with {@link #suspendGenerator()}. */
    static Fiber generator(Runnable body) {
        return Engine.CURRENT.newGenerator(body);
    }

    /**
     * Suspends the innermost task fiber running here (and every generator fiber stepped inside it); returns
     * when the task is stepped again.
     *
     * @param awaiting what the task waits for, named in the error if the suspension is refused
     * @throws IllegalStateException if the stack cannot be unmounted here (continuation engine: a native
     *                               frame such as a class initializer, or a critical section); nothing was
     *                               suspended then
     */
    static void suspendTask(Object awaiting) {
        // Static calls on a constant, not Engine's virtual methods: the suspension path stays a chain of static
        // calls the JIT inlines into one frame, which is what the continuation freezes (measured: through the
        // virtual call a suspended task kept ~590 bytes instead of ~470).
        if (Engine.ON_THREADS) {
            ThreadFiber.suspendTask(awaiting);
        } else {
            ContinuationFiber.suspendTask(awaiting);
        }
    }

    /** Suspends the innermost generator fiber running here; returns when it is stepped again. */
    static void suspendGenerator() {
        if (Engine.ON_THREADS) {
            ThreadFiber.suspendGenerator();
        } else {
            ContinuationFiber.suspendGenerator();
        }
    }

    /**
     * Whether {@code t} is the error that unwinds a {@link #discard() discarded} fiber: a task body must let
     * it pass instead of completing the task with it.
     */
    static boolean isDiscardUnwinding(Throwable t) {
        return Engine.ON_THREADS && t instanceof ThreadFiber.FiberDiscarded;
    }

    /**
     * Runs the body from where it last suspended until it suspends again or finishes.
     *
     * @return {@code true} if the body has finished
     */
    boolean step();

    /**
     * The thread that runs the body now, or ran it last (for a task suspended inside a generator's body, the
     * generator's); {@code null} on the continuation engine, where that is whoever steps the fiber.
     */
    default Thread runningThread() {
        return null;
    }

    /** Whether the body has finished. */
    boolean isDone();

    /** Where the suspended body is; empty once finished or not yet started. */
    StackTraceElement[] stackTrace();

    /** Whether this is the innermost generator fiber running here (so its yield is legal here). */
    boolean isCurrentGenerator();

    /**
     * Lets go of a fiber that will never be stepped again (its task was pending when its loop closed). The
     * continuation engine has nothing to do: an unreferenced continuation is garbage. The thread engine ends
     * the fiber's virtual thread by unwinding its stack, so {@code finally} blocks of the body run, with no
     * loop running.
     */
    void discard();
}
