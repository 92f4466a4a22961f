package dev.asyncio;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ctrl-C and SIGTERM for {@link Runner} and {@link Asyncio#runMain}, as Python's {@code asyncio.Runner} does it for
 * SIGINT: the first signal cancels the main task (so it can clean up, and the run ends with
 * {@link KeyboardInterrupt}, or for SIGTERM and {@code runMain} the signal's exit status); a second one while the
 * cleanup runs goes to the handler that was there before (the JVM's, which exits with 128 + the signal's number).
 *
 * <p>Installed only while a runner runs, and removed afterwards, through {@link SignalDispatch}: a handler a loop
 * has for the same signal ({@link AsyncLoop#addSignalHandler}) takes precedence, and the runner's comes back when
 * that one is removed. A signal that is ignored (a background job ignores SIGINT) stays ignored; if signals are
 * unavailable ({@code -Xrs}), nothing is installed.
 */
final class MainTaskSignals implements SignalHandler {
    private final AsyncLoop loop;
    private final Task<?> main;
    /** By signal name, the handler before ours (the JVM's), for the second signal. */
    private final Map<String, SignalHandler> previous = new LinkedHashMap<>();
    /** The first signal received, or {@code null}. */
    private volatile Signal received;
    /** Signals received; the JVM runs each handler call on a thread of its own, so two may race. */
    private final AtomicInteger count = new AtomicInteger();

    private MainTaskSignals(AsyncLoop loop, Task<?> main) {
        this.loop = loop;
        this.main = main;
    }

    /**
     * Handles {@code names} (such as {@code "INT"}) for {@code main} until {@link #restore()}; returns {@code null}
     * when none of them could be handled.
     */
    static MainTaskSignals install(AsyncLoop loop, Task<?> main, List<String> names) {
        MainTaskSignals handler = new MainTaskSignals(loop, main);
        for (String name : names) {
            SignalHandler before = SignalDispatch.addProgram(name, handler);
            if (before != null) {
                handler.previous.put(name, before);
            }
        }
        return handler.previous.isEmpty() ? null : handler;
    }

    /**
     * Handles SIGINT and SIGTERM for {@code main} if this is the JVM's main thread (as asyncio handles SIGINT only
     * in the main thread).
     */
    static MainTaskSignals installIfMainThread(AsyncLoop loop, Task<?> main) {
        Thread t = Thread.currentThread();
        if (!"main".equals(t.getName()) || t.getThreadGroup() == null || !"main".equals(t.getThreadGroup().getName())) {
            return null;
        }
        return install(loop, main, List.of("INT", "TERM"));
    }

    @Override
    public void handle(Signal signal) {
        if (count.incrementAndGet() == 1) {
            received = signal;
            try {
                loop.callSoonThreadsafe(() -> main.cancel(describe(signal)));
                return;
            } catch (IllegalStateException closed) {
                // the loop is gone: nothing left to cancel, behave as if we were not here
            }
        }
        restore();
        SignalHandler p = previous.get(signal.getName());
        if (p != null && p != SignalHandler.SIG_DFL) {
            p.handle(signal);
        } else {
            Runtime.getRuntime().exit(exitStatus(signal));
        }
    }

    /** The first signal received while installed, or {@code null}. */
    Signal received() {
        return received;
    }

    /** What the main task's cancellation message says about {@code signal}. */
    static String describe(Signal signal) {
        return switch (signal.getName()) {
            case "INT" -> "interrupted by SIGINT (Ctrl-C)";
            case "TERM" -> "terminated by SIGTERM";
            default -> "stopped by SIG" + signal.getName();
        };
    }

    /** The status a shell reports for a program ended by {@code signal}: 128 + its number (130, 143). */
    static int exitStatus(Signal signal) {
        return 128 + signal.getNumber();
    }

    /**
     * Ends the program as a shell expects after {@code signal} stopped it: one line on standard error
     * ({@code Terminated by SIGTERM}, no stack trace) and the exit status 128 + the signal's number.
     */
    static void exitFor(Signal signal) {
        String cause = describe(signal);
        System.err.println(Character.toUpperCase(cause.charAt(0)) + cause.substring(1));
        System.err.flush();
        Runtime.getRuntime().exit(exitStatus(signal));
        throw new AssertionError("unreachable: the JVM is exiting");
    }

    /**
     * Returns {@code interrupt}, which a run on the calling thread (the JVM's main thread) is about to throw, set up so
     * that if nothing catches it the JVM ends with status 130, as a shell expects of a program Ctrl-C
     * ended (CPython does the same after an uncaught {@code KeyboardInterrupt}), instead of the JVM's 1 for an
     * uncaught exception. Through the thread's own uncaught-exception handler, so a caller that catches it sees no
     * change: the handler acts only on this very instance (printing it as the handler before it would, the usual
     * stack trace), then exits; anything else goes to the handler before it. A later interrupt replaces the
     * earlier one rather than stacking handlers.
     */
    static KeyboardInterrupt exitWith130IfUncaught(KeyboardInterrupt interrupt) {
        Thread thread = Thread.currentThread();
        Thread.UncaughtExceptionHandler before = thread.getUncaughtExceptionHandler(); // its group if none set
        if (before instanceof ExitOnUncaughtInterrupt earlier) {
            before = earlier.before;
        }
        thread.setUncaughtExceptionHandler(new ExitOnUncaughtInterrupt(interrupt, before));
        return interrupt;
    }

    /** See {@link #exitWith130IfUncaught}. */
    private record ExitOnUncaughtInterrupt(KeyboardInterrupt interrupt, Thread.UncaughtExceptionHandler before)
            implements Thread.UncaughtExceptionHandler {
        @Override
        public void uncaughtException(Thread t, Throwable e) {
            try {
                if (before != null) {
                    before.uncaughtException(t, e); // the trace, as without us ("Exception in thread "main" ...")
                }
            } finally {
                if (e == interrupt) {
                    System.err.flush();
                    // System.exit, not halt: shutdown hooks run as on any exit. This runs on the main thread
                    // as the launcher detaches it, before DestroyJavaVM would have exited with 1.
                    Runtime.getRuntime().exit(exitStatus(new Signal("INT")));
                }
            }
        }
    }

    /** Puts the previous handlers back. */
    void restore() {
        previous.keySet().forEach(name -> SignalDispatch.removeProgram(name, this));
    }
}
