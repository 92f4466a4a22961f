package dev.asyncio.test;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.Context;
import dev.asyncio.ReturnWhen;
import dev.asyncio.Task;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Runs {@link AsyncTest} methods as coroutines on a fresh loop and turns what asyncio would only log
 * (leftover tasks, exceptions never retrieved, leaked buffers) into failures. See {@link AsyncTest}.
 */
public final class AsyncTestExtension implements BeforeEachCallback, AfterEachCallback, InvocationInterceptor,
        ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(AsyncTestExtension.class);
    /** Loop seconds given to left-over tasks to finish after each cancellation, and how many times they are cancelled. */
    private static final double CLEANUP_ROUND_SECONDS = 1.0;
    private static final int CLEANUP_ROUNDS = 3;
    /** Real seconds after which the clean-up gives up (a task spinning on sleep(0) keeps virtual time still). */
    private static final long CLEANUP_REAL_MILLIS = 3_000;
    /** Real seconds a timed-out test gets to stop after its cancellation before the loop is stopped or interrupted. */
    private static final long GRACE_MILLIS = 1_000;

    static {
        LeakDetection.install();
    }

    /** What one test run holds. */
    private static final class Run {
        final AsyncLoop loop;
        final AsyncTest config;
        final OrderedSteps steps = new OrderedSteps();
        final ConcurrentLinkedQueue<Map<String, Object>> errors = new ConcurrentLinkedQueue<>();
        boolean stepsUsed;

        Run(AsyncTest config) {
            this.config = config;
            this.loop = AsyncLoop.builder().virtualTime(!config.realTime()).debug(config.debug()).build();
            loop.setExceptionHandler((l, context) -> errors.add(context));
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        JUnitRequirement.check(); // startup check, for launchers that do not call AsyncTestSessionListener
        AsyncTest config = context.getRequiredTestMethod().getAnnotation(AsyncTest.class);
        if (config == null) {
            throw new IllegalStateException("AsyncTestExtension runs @AsyncTest methods only; annotate "
                    + context.getRequiredTestMethod().getName() + " with @AsyncTest");
        }
        if (!(config.timeout() > 0)) {
            throw new IllegalArgumentException("@AsyncTest(timeout) must be a positive number of seconds, got "
                    + config.timeout());
        }
        context.getStore(NS).put(Run.class, new Run(config));
        LeakDetection.collectLeaks(); // leaks of earlier tests are theirs, not this one's
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Run run = context.getStore(NS).remove(Run.class, Run.class);
        if (run != null && !run.loop.isClosed()) {
            run.loop.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == AsyncLoop.class || type == OrderedSteps.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Run run = context.getStore(NS).get(Run.class, Run.class);
        if (parameter.getParameter().getType() == AsyncLoop.class) {
            return run.loop;
        }
        run.stepsUsed = true;
        return run.steps;
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                    ExtensionContext context) throws Throwable {
        Run run = context.getStore(NS).get(Run.class, Run.class);
        AsyncLoop loop = run.loop;
        String name = "test " + invocationContext.getExecutable().getName();
        Task<Void> main = loop.createTask(() -> {
            try {
                invocation.proceed();
            } catch (Exception | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        }, name, new Context()); // a fresh context: nothing a previous test set on this thread leaks in

        Watchdog watchdog = new Watchdog(run, main, Thread.currentThread());
        Throwable failure = null;
        try {
            loop.runUntilComplete(main);
        } catch (Throwable t) {
            failure = t;
        } finally {
            watchdog.finish();
        }
        String timeout = watchdog.report();
        if (timeout != null) {
            AssertionError timedOut = new AssertionError(timeout);
            if (failure != null) {
                timedOut.initCause(failure);
            }
            failure = timedOut;
        }
        Set<Task<?>> abandoned = Collections.newSetFromMap(new IdentityHashMap<>());
        failure = addFailure(failure, leftoverTasks(loop, main, abandoned));
        if (run.stepsUsed) {
            AssertionError outOfOrder = run.steps.firstError();
            if (outOfOrder != null && outOfOrder != failure) {
                // The first step out of order is the cause; what failed after it (or swallowed it) comes second.
                failure = addFailure(outOfOrder, failure);
            } else if (failure == null) {
                try {
                    run.steps.assertFinished();
                } catch (AssertionError e) {
                    failure = e;
                }
            }
        }
        loop.close();
        for (Map<String, Object> error : run.errors) {
            if (!abandoned.contains(error.get("task"))) {
                failure = addFailure(failure, describeError(error));
            }
        }
        for (String leak : LeakDetection.collectLeaks()) {
            failure = addFailure(failure, new AssertionError(leak));
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Enforces {@link AsyncTest#timeout()}: cancels the test's task and describes what was pending; if the
     * test does not stop within a grace period, stops the loop (the test swallowed the cancellation) or
     * interrupts the loop thread (the test blocks it instead of suspending).
     */
    private static final class Watchdog {
        private final Run run;
        private final Task<Void> main;
        private final Thread loopThread;
        private final Thread thread;
        private final StringBuilder report = new StringBuilder();
        private volatile boolean finished;
        private volatile boolean responded;

        Watchdog(Run run, Task<Void> main, Thread loopThread) {
            this.run = run;
            this.main = main;
            this.loopThread = loopThread;
            this.thread = Thread.ofPlatform().daemon().name("asyncio-test-watchdog").start(this::watch);
        }

        private void watch() {
            AsyncTest config = run.config;
            AsyncLoop loop = run.loop;
            if (!pause((long) (config.timeout() * 1000))) {
                return;
            }
            if (!onLoop(() -> {
                responded = true;
                if (main.done()) {
                    return;
                }
                append("Test timed out after " + config.timeout() + " s of real time (loop time " + loop.time()
                        + "). Pending tasks:\n" + describeTasks(loop.allTasks()));
                main.cancel("test timed out");
            })) {
                return;
            }
            if (!pause(GRACE_MILLIS)) {
                return;
            }
            if (!responded) {
                append("Test timed out after " + config.timeout() + " s of real time, and the loop thread is blocked "
                        + "(busy or in a blocking call, not suspended at an await); interrupting it. It is at:\n"
                        + frames(runningCode().getStackTrace()));
                loopThread.interrupt();
                return;
            }
            onLoop(() -> {
                if (main.done()) {
                    return;
                }
                append("\nThe test did not stop when cancelled (it catches CancelledError, or its clean-up waits); "
                        + "the loop was stopped. Still pending:\n" + describeTasks(loop.allTasks()));
                loop.stop();
            });
        }

        /** The thread running the loop's code: the loop thread, or on the thread engine a task's thread. */
        private Thread runningCode() {
            Thread t = run.loop.threadRunningNow();
            return t != null ? t : loopThread;
        }

        /** Sleeps; {@code false} if the test finished meanwhile. */
        private boolean pause(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                return false;
            }
            return !finished;
        }

        /** Runs {@code r} on the loop thread; {@code false} if the loop is closed already. */
        private boolean onLoop(Runnable r) {
            try {
                run.loop.callSoonThreadsafe(r);
                return true;
            } catch (IllegalStateException closed) {
                return false;
            }
        }

        private synchronized void append(String s) {
            report.append(s);
        }

        /** Stops watching; afterwards nothing interrupts the loop thread any more. */
        void finish() throws InterruptedException {
            finished = true;
            thread.interrupt();
            thread.join();
            Thread.interrupted(); // an interrupt that raced with the end of the test is not the next test's
        }

        /** What happened, or {@code null} if the test did not time out. */
        synchronized String report() {
            return report.isEmpty() ? null : report.toString();
        }
    }

    /**
     * Cancels the tasks the test left running (other than its own) and waits for them, boundedly; returns the
     * failure describing them, or null. Tasks that do not stop are added to {@code abandoned}.
     */
    private static AssertionError leftoverTasks(AsyncLoop loop, Task<Void> main, Set<Task<?>> abandoned) {
        List<Task<?>> all = new ArrayList<>(loop.allTasks());
        if (all.isEmpty()) {
            return null;
        }
        List<Task<?>> leftovers = new ArrayList<>(all);
        leftovers.remove(main);
        String description = describeTasks(leftovers);
        List<Task<?>> stubborn = cancelAndWait(loop, all);
        abandoned.addAll(stubborn);
        StringBuilder message = new StringBuilder();
        if (!leftovers.isEmpty()) {
            message.append("The test ended while ").append(leftovers.size()).append(" task(s) were still running ")
                    .append("(now cancelled); await or cancel them before returning:\n").append(description);
        }
        stubborn.remove(main); // a test that ignored its time-out is described by the time-out report
        if (!stubborn.isEmpty()) {
            message.append(stubborn.size()).append(" task(s) did not stop when cancelled ")
                    .append(CLEANUP_ROUNDS).append(" times (they catch CancelledError and go on) and were abandoned:\n")
                    .append(describeTasks(stubborn));
        }
        return message.isEmpty() ? null : new AssertionError(message.toString());
    }

    /** Cancels {@code tasks} a few times, waiting a little after each; returns those still not done. */
    private static List<Task<?>> cancelAndWait(AsyncLoop loop, List<Task<?>> tasks) {
        Thread stopper = Thread.ofPlatform().daemon().name("asyncio-test-cleanup").start(() -> {
            try {
                Thread.sleep(CLEANUP_REAL_MILLIS);
                loop.callSoonThreadsafe(loop::stop);
            } catch (InterruptedException | IllegalStateException done) {
                // finished in time, or the loop is gone
            }
        });
        try {
            loop.runUntilComplete(() -> {
                List<Task<?>> pending = tasks;
                for (int round = 0; round < CLEANUP_ROUNDS && !pending.isEmpty(); round++) {
                    for (Task<?> t : pending) {
                        t.cancel("left running by the test");
                    }
                    @SuppressWarnings({"unchecked", "rawtypes"})
                    var r = Asyncio.wait((List) pending, CLEANUP_ROUND_SECONDS, ReturnWhen.ALL_COMPLETED);
                    pending = new ArrayList<>();
                    for (Object f : r.pending()) {
                        pending.add((Task<?>) f);
                    }
                }
                for (Task<?> t : tasks) {
                    if (t.done() && !t.cancelled()) {
                        t.exception(); // its failure during the clean-up is not the point; do not report it again
                    }
                }
            });
        } catch (IllegalStateException stoppedByTheStopper) {
            // real-time limit reached: whatever is pending is abandoned
        } finally {
            stopper.interrupt();
        }
        List<Task<?>> left = new ArrayList<>();
        for (Task<?> t : tasks) {
            if (!t.done()) {
                left.add(t);
            }
        }
        return left;
    }

    /** Each task with the frames of user code where it is suspended. */
    static String describeTasks(Iterable<? extends Task<?>> tasks) {
        StringBuilder sb = new StringBuilder();
        for (Task<?> t : tasks) {
            sb.append("  ").append(t).append('\n');
            StackTraceElement[] stack = t.getStack();
            if (stack.length == 0) {
                sb.append("      (not started, or running)\n");
                continue;
            }
            int first = 0;
            // Skip the engine's frames on top (suspendTask, Task.awaitFuture, Future.await, ...): start at the
            // first frame of API or user code, such as Queue.get or the test's own line.
            while (first < stack.length && isEngineFrame(stack[first])) {
                first++;
            }
            sb.append(frames(java.util.Arrays.copyOfRange(stack, first, stack.length)));
        }
        return sb.toString();
    }

    /** Up to 12 frames, stopping where the coroutine's body begins (the engine and JUnit are below it). */
    private static String frames(StackTraceElement[] stack) {
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (StackTraceElement frame : stack) {
            String c = frame.getClassName();
            if (c.equals("dev.asyncio.Task$Body") || c.equals("dev.asyncio.Task") || c.startsWith("java.lang.reflect.")
                    || c.startsWith(AsyncTestExtension.class.getName() + "$") || c.startsWith("org.junit.")) {
                break;
            }
            if (c.startsWith("jdk.internal.") || c.equals("dev.asyncio.AsyncRunnable")) {
                continue;
            }
            sb.append("      at ").append(frame).append('\n');
            if (++shown == 12) {
                sb.append("      ...\n");
                break;
            }
        }
        return sb.toString();
    }

    private static boolean isEngineFrame(StackTraceElement frame) {
        String c = frame.getClassName();
        return c.startsWith("dev.asyncio.internal.") || c.equals("dev.asyncio.Task") || c.equals("dev.asyncio.Future")
                || c.startsWith("jdk.internal.") || c.startsWith("java.lang.Thread");
    }

    private static AssertionError describeError(Map<String, Object> context) {
        StringBuilder sb = new StringBuilder("The loop reported an error nobody received: ")
                .append(context.get("message"));
        for (Map.Entry<String, Object> e : context.entrySet()) {
            if (!e.getKey().equals("message") && !e.getKey().equals("exception")) {
                sb.append("\n  ").append(e.getKey()).append(": ").append(e.getValue());
            }
        }
        AssertionError error = new AssertionError(sb.toString());
        if (context.get("exception") instanceof Throwable t) {
            error.initCause(t);
        }
        return error;
    }

    private static Throwable addFailure(Throwable first, Throwable next) {
        if (next == null) {
            return first;
        }
        if (first == null) {
            return next;
        }
        if (first != next) {
            first.addSuppressed(next);
        }
        return first;
    }
}
