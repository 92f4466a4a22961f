package dev.asyncio.internal;

import jdk.internal.vm.Continuation;
import jdk.internal.vm.ContinuationScope;

/**
 * The continuation engine: a one-shot, resumable call stack. This is the only class of the project that
 * knows {@code jdk.internal.vm.Continuation} exists; tasks and generators step and suspend through it.
 *
 * <p>A fiber is created around a body, {@link #step() stepped} by whoever drives it (the loop for a task,
 * the caller of {@code next()} for a generator) and suspends with {@link #suspendTask(Object)} or
 * {@link #suspendGenerator()}. Fibers nest: a generator fiber stepped inside a task fiber that suspends
 * the task scope suspends both stacks at once, and resumes both when the task is stepped again.
 *
 * <p>The JDK does not export {@code jdk.internal.vm}; the JVM needs
 * {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}. {@link #checkAvailable()} turns a missing
 * flag into a message that says where to put it, instead of an {@code IllegalAccessError} from the depths
 * of the first suspension. It must be called before anything else here, and this class's bytecode is
 * written so that loading and verifying it never needs the export: only the nested {@code Engine}
 * (a subclass of {@code Continuation}) does, and it is loaded on first use.
 */
public final class Fiber {
    /** The JVM option the engine needs, exactly as it must be written on a command line. */
    public static final String JVM_FLAG = "--add-exports java.base/jdk.internal.vm=ALL-UNNAMED";

    private static final String MISSING_FLAG_MESSAGE = missingFlagMessage();

    private final Engine engine;

    private Fiber(Engine engine) {
        this.engine = engine;
    }

    /**
     * Throws an {@link IllegalStateException} naming the missing JVM flag, and where to put it, if this
     * JVM does not let the project use continuations; returns quietly otherwise.
     */
    public static void checkAvailable() {
        if (MISSING_FLAG_MESSAGE != null) {
            throw new IllegalStateException(MISSING_FLAG_MESSAGE);
        }
    }

    private static String missingFlagMessage() {
        Module base = Object.class.getModule();
        if (base.isExported("jdk.internal.vm", Fiber.class.getModule())) {
            return null;
        }
        return "asyncio-java needs the JVM option " + JVM_FLAG + " (java.base does not export jdk.internal.vm to "
                + Fiber.class.getModule() + "). Add it to the java command line, to the surefire argLine or exec "
                + "arguments of a Maven build, or as the manifest attribute 'Add-Exports: java.base/jdk.internal.vm' "
                + "of a runnable jar.";
    }

    /** A fiber for a task body; it suspends with {@link #suspendTask(Object)}. */
    public static Fiber task(Runnable body) {
        checkAvailable();
        return new Fiber(new Engine(Engine.TASK, body));
    }

    /** A fiber for a generator body; it suspends with {@link #suspendGenerator()}. */
    public static Fiber generator(Runnable body) {
        checkAvailable();
        return new Fiber(new Engine(Engine.GENERATOR, body));
    }

    /**
     * Runs the body from where it last suspended until it suspends again or finishes.
     * An exception that escapes the body propagates from here.
     *
     * @return {@code true} if the body has finished
     */
    public boolean step() {
        Engine e = engine;
        e.run();
        return e.isDone();
    }

    public boolean isDone() {
        return engine.isDone();
    }

    /** Whether this is the innermost generator fiber running on this thread (so its yield is legal here). */
    public boolean isCurrentGenerator() {
        return Continuation.getCurrentContinuation(Engine.GENERATOR) == engine;
    }

    /** Where the suspended body is; empty once finished, a snapshot of the live stack while running. */
    public StackTraceElement[] stackTrace() {
        if (engine.isDone()) {
            return new StackTraceElement[0];
        }
        return engine.getStackTrace();
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
            Continuation.yield(Engine.TASK);
        } catch (PinnedException pinned) {
            throw new IllegalStateException("Cannot suspend the current task while it awaits " + awaiting + ": "
                    + pinned.getMessage(), pinned);
        }
    }

    /** Suspends the innermost generator fiber; returns when it is stepped again. */
    public static void suspendGenerator() {
        try {
            Continuation.yield(Engine.GENERATOR);
        } catch (PinnedException pinned) {
            throw new IllegalStateException("Cannot suspend the generator at its yield: " + pinned.getMessage(), pinned);
        }
    }

    /** Thrown by {@link Engine#onPinned} and turned into a message that names the awaited operation. */
    private static final class PinnedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        PinnedException(String message) {
            super(message);
        }
    }

    private static final class Engine extends Continuation {
        static final ContinuationScope TASK = new ContinuationScope("asyncio");
        static final ContinuationScope GENERATOR = new ContinuationScope("generator");

        Engine(ContinuationScope scope, Runnable body) {
            super(scope, body);
        }

        @Override
        protected void onPinned(Pinned reason) {
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
    }
}
