package dev.asyncio;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Runs several top-level coroutines on one loop, then cleans up; mirrors {@code asyncio.Runner}.
 * {@link Asyncio#run} is a runner used once.
 *
 * <pre>{@code
 * try (Runner runner = new Runner(() -> AsyncLoop.builder().virtualTime(true).build())) {
 *     runner.run(() -> setUp());
 *     runner.run(() -> exercise());     // same loop, same context as the first run
 * }
 * }</pre>
 *
 * <p>All runs share one {@link Context}, copied from the creating thread's, so a {@link ContextVar} set by
 * one run is seen by the next. Closing the runner cancels the tasks still pending and waits for them,
 * reports those that failed with something else than a cancellation ("unhandled exception during
 * asyncio.run() shutdown"), shuts the default executor down and closes the loop.
 *
 * <p>Ctrl-C and SIGTERM: while {@link #run} runs on the JVM's main thread, the first SIGINT or SIGTERM cancels
 * the main task, which gets a {@link CancelledError} where it waits and can clean up (its {@code finally} blocks
 * run). After SIGINT, {@code run} then throws {@link KeyboardInterrupt}, as {@code asyncio.Runner} raises it. If
 * the caller lets it escape the main thread, its stack trace is printed as for any uncaught exception and the JVM
 * exits with status 130 (not the 1 of other uncaught exceptions), as CPython does and shells expect after Ctrl-C;
 * a caller that catches it decides the exit status itself. This works through the main thread's own
 * uncaught-exception handler, set just before the throw: it acts on that {@code KeyboardInterrupt} only and passes
 * any other exception on to the handler that was there before.
 * After SIGTERM, whose default is to end the process, the runner closes (the other tasks are cancelled and
 * awaited, the executor is shut down), one line goes to standard error ({@code Terminated by SIGTERM}) and the JVM
 * exits with status 143, as a shell expects of a program SIGTERM ended: code after {@code run} in the caller does
 * not run, as it would not have without the runner. A second signal during the cleanup exits the JVM at once
 * (130 or 143). A signal ignored when the JVM started stays ignored (a background job ignores SIGINT).
 *
 * <p>A handler registered for the same signal with {@link AsyncLoop#addSignalHandler(UnixSignal, Runnable)}
 * (on any loop) takes precedence: while it is registered the runner leaves that signal to it, so a program that
 * handles SIGTERM itself (to drain a server, say) is not also cancelled.
 */
public final class Runner implements AutoCloseable {
    static {
        // Startup check: a Netty 4.1 on the path fails here with one line naming it, not with a
        // NoClassDefFoundError when a constructor below first names AsyncLoop.
        dev.asyncio.internal.NettyRequirement.check();
    }

    /** How long closing waits for the default executor's threads, as asyncio's THREAD_JOIN_TIMEOUT. */
    private static final double EXECUTOR_JOIN_TIMEOUT = 300;

    private final Supplier<AsyncLoop> loopFactory;
    private final Context context = Context.copyCurrent();
    private AsyncLoop loop;
    private boolean closed;
    private sun.misc.Signal stoppedBy;

    /** A runner on a new real-time NIO loop. */
    public Runner() {
        this(AsyncLoop::create);
    }

    /** A runner on a new real-time NIO loop with debug mode set as given. */
    public Runner(boolean debug) {
        this(() -> AsyncLoop.builder().debug(debug).build());
    }

    /** A runner on the loop {@code loopFactory} makes (called once, on first use). */
    public Runner(Supplier<AsyncLoop> loopFactory) {
        this.loopFactory = loopFactory;
    }

    /** The runner's loop, created on first use. */
    public AsyncLoop getLoop() {
        if (closed) {
            throw new IllegalStateException("Runner is closed");
        }
        if (loop == null) {
            loop = loopFactory.get();
        }
        return loop;
    }

    /**
     * Runs {@code coro} as a task on the runner's loop until it is done; returns its result or rethrows
     * its exception.
     *
     * @throws IllegalStateException if a loop is already running on this thread, or the runner is closed
     */
    public <T> T run(Coroutine<T> coro) {
        return runMainTask(coro, false);
    }

    /**
     * {@link #run(Coroutine)} for {@link Asyncio#runMain}: SIGTERM is handled as well as SIGINT, on any thread, and
     * either one makes this rethrow the main task's {@link CancelledError} with {@link #stoppedBy()} set.
     */
    <T> T runProgram(Coroutine<T> coro) {
        return runMainTask(coro, true);
    }

    private <T> T runMainTask(Coroutine<T> coro, boolean asProgram) {
        stoppedBy = null;
        if (ThreadState.current().runningLoop != null) {
            throw new IllegalStateException("Runner.run() cannot be called from a running event loop");
        }
        AsyncLoop l = getLoop();
        Task<T> main = l.createTask(coro, null, context);
        MainTaskSignals signals = asProgram ? MainTaskSignals.install(l, main, List.of("INT", "TERM"))
                : MainTaskSignals.installIfMainThread(l, main);
        try {
            return l.runUntilComplete(main);
        } catch (CancelledError e) {
            if (signals != null && signals.received() != null) {
                stoppedBy = signals.received();
                if (!asProgram && stoppedBy.getName().equals("TERM")) {
                    signals.restore();
                    close(); // as runMain: cancel and await the other tasks, then end as SIGTERM would have
                    MainTaskSignals.exitFor(stoppedBy);
                }
                if (!asProgram) {
                    throw MainTaskSignals.exitWith130IfUncaught(new KeyboardInterrupt(e));
                }
            }
            throw e;
        } finally {
            if (signals != null) {
                signals.restore();
            }
        }
    }

    /** The signal that cancelled the main task of the last run, or {@code null}. */
    sun.misc.Signal stoppedBy() {
        return stoppedBy;
    }

    public void run(AsyncRunnable coro) {
        run(coro.asCoroutine());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        AsyncLoop l = loop;
        if (l == null) {
            return;
        }
        try {
            cancelAllTasks(l);
            l.runUntilComplete(() -> l.shutdownDefaultExecutor(EXECUTOR_JOIN_TIMEOUT));
        } finally {
            l.close();
        }
    }

    private static void cancelAllTasks(AsyncLoop loop) {
        Set<Task<?>> toCancel = loop.allTasks();
        if (toCancel.isEmpty()) {
            return;
        }
        for (Task<?> t : toCancel) {
            t.cancel();
        }
        List<Task<?>> tasks = List.copyOf(toCancel);
        loop.runUntilComplete(() -> Asyncio.gather(true, tasks));
        for (Task<?> t : tasks) {
            if (t.cancelled()) {
                continue;
            }
            Throwable e = t.exception();
            if (e != null) {
                Map<String, Object> context = new LinkedHashMap<>();
                context.put("message", "unhandled exception during asyncio.run() shutdown");
                context.put("exception", e);
                context.put("task", t);
                loop.callExceptionHandler(context);
            }
        }
    }
}
