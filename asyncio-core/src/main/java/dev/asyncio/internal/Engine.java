package dev.asyncio.internal;

import java.util.Locale;

/**
 * Which machinery runs tasks and generators, chosen once per JVM; see {@code docs/design.md}, "Engines".
 *
 * <ul>
 *   <li>{@value #CONTINUATION}: one-shot {@code jdk.internal.vm.Continuation}s stepped on the loop's thread.
 *       The fast one; needs the JVM option {@link FiberSupport#JVM_FLAG}.</li>
 *   <li>{@value #THREADS}: public API only. Every task and generator body runs on a virtual thread of its
 *       own, and the threads hand control to each other so that exactly one of them (or the loop) runs at a
 *       time; the loop itself runs on a virtual thread too, which is what makes a hand-off cheap (a park and
 *       an unpark between virtual threads instead of an operating-system wake-up).</li>
 * </ul>
 *
 * <p>Selection: the system property {@value #PROPERTY} ({@code continuation} or {@code threads}) forces one;
 * without it the continuation engine is used when {@code java.base} exports {@code jdk.internal.vm} to this
 * library, and the thread engine otherwise. In that last case the first loop prints one line on standard
 * error naming the engine and the flag that brings the faster one, unless {@value #QUIET_PROPERTY} is
 * {@code true} (or the property {@value #PROPERTY} chose the thread engine explicitly).
 */
public abstract class Engine {
    /** The system property that forces an engine: {@value #CONTINUATION} or {@value #THREADS}. */
    public static final String PROPERTY = "asyncio.engine";
    /** The system property that silences the line printed when the thread engine is chosen for lack of the flag. */
    public static final String QUIET_PROPERTY = "asyncio.engine.quiet";
    public static final String CONTINUATION = "continuation";
    public static final String THREADS = "threads";

    /** The engine of this JVM. */
    public static final Engine CURRENT = select(System.getProperty(PROPERTY), FiberSupport.isAvailable());

    /** Whether {@link #CURRENT} is the thread engine; a constant, so the checks it guards fold away. */
    public static final boolean ON_THREADS = CURRENT instanceof ThreadEngine;

    private static volatile boolean noticeGiven;

    Engine() {
    }

    /** Chooses the engine for a requested name (or {@code null}) and whether continuations are accessible. */
    static Engine select(String requested, boolean continuationsAvailable) {
        String name = requested == null ? "" : requested.trim().toLowerCase(Locale.ROOT);
        return switch (name) {
            case CONTINUATION -> continuationsAvailable ? new ContinuationEngine() : new MissingFlagEngine();
            case THREADS -> new ThreadEngine(false);
            case "" -> continuationsAvailable ? new ContinuationEngine() : new ThreadEngine(true);
            default -> throw new IllegalStateException("-D" + PROPERTY + "=" + requested
                    + " names no engine: use " + CONTINUATION + " or " + THREADS);
        };
    }

    /** {@value #CONTINUATION} or {@value #THREADS}. */
    public abstract String name();

    /**
     * Called when a loop is created: throws if the engine cannot run (the continuation engine was forced
     * without the JVM flag), and prints the one-line notice of an engine chosen for lack of the flag the
     * first time.
     */
    public void checkUsable() {
        String notice = notice();
        if (notice != null && !noticeGiven && !Boolean.getBoolean(QUIET_PROPERTY)) {
            synchronized (Engine.class) {
                if (!noticeGiven) {
                    noticeGiven = true;
                    System.err.println(notice);
                }
            }
        }
    }

    /** The line to print at the first loop, or {@code null}. */
    String notice() {
        return null;
    }

    abstract Fiber newTask(Runnable body);

    abstract Fiber newGenerator(Runnable body);


    /** The continuation engine. */
    static final class ContinuationEngine extends Engine {
        @Override
        public String name() {
            return CONTINUATION;
        }

        @Override
        Fiber newTask(Runnable body) {
            return ContinuationFiber.task(body);
        }

        @Override
        Fiber newGenerator(Runnable body) {
            return ContinuationFiber.generator(body);
        }
    }

    /** {@code -Dasyncio.engine=continuation} without the JVM flag: every use says which flag is missing. */
    static final class MissingFlagEngine extends Engine {
        @Override
        public String name() {
            return CONTINUATION;
        }

        @Override
        public void checkUsable() {
            FiberSupport.checkAvailable();
        }

        @Override
        Fiber newTask(Runnable body) {
            FiberSupport.checkAvailable();
            throw new AssertionError("unreachable");
        }

        @Override
        Fiber newGenerator(Runnable body) {
            return newTask(body);
        }
    }
}
