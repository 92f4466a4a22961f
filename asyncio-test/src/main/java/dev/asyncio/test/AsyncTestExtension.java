package dev.asyncio.test;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.Context;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs {@link AsyncTest} methods as coroutines on a fresh loop and turns what asyncio would only log
 * (leftover tasks, exceptions never retrieved, leaked buffers) into failures. See {@link AsyncTest}.
 */
public final class AsyncTestExtension implements BeforeEachCallback, AfterEachCallback, InvocationInterceptor,
        ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(AsyncTestExtension.class);

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
        AsyncTest config = context.getRequiredTestMethod().getAnnotation(AsyncTest.class);
        if (config == null) {
            throw new IllegalStateException("AsyncTestExtension runs @AsyncTest methods only; annotate "
                    + context.getRequiredTestMethod().getName() + " with @AsyncTest");
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

        AtomicReference<String> timedOut = new AtomicReference<>();
        Thread watchdog = startWatchdog(run, main, timedOut);
        Throwable failure = null;
        try {
            loop.runUntilComplete(main);
        } catch (CancelledError e) {
            failure = timedOut.get() != null ? new AssertionError(timedOut.get(), e) : e;
        } catch (Throwable t) {
            failure = t;
        } finally {
            watchdog.interrupt();
        }
        failure = addFailure(failure, leftoverTasks(loop, main));
        if (run.stepsUsed && failure == null) {
            try {
                run.steps.assertFinished();
            } catch (AssertionError e) {
                failure = e;
            }
        }
        loop.close();
        for (Map<String, Object> error : run.errors) {
            failure = addFailure(failure, describeError(error));
        }
        for (String leak : LeakDetection.collectLeaks()) {
            failure = addFailure(failure, new AssertionError(leak));
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static Thread startWatchdog(Run run, Task<Void> main, AtomicReference<String> timedOut) {
        long millis = (long) (run.config.timeout() * 1000);
        return Thread.ofPlatform().daemon().name("asyncio-test-watchdog").start(() -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException finished) {
                return;
            }
            try {
                run.loop.callSoonThreadsafe(() -> {
                    timedOut.set("Test timed out after " + run.config.timeout() + " s of real time (loop time "
                            + run.loop.time() + "). Pending tasks:\n" + describeTasks(run.loop.allTasks()));
                    main.cancel("test timed out");
                });
            } catch (IllegalStateException loopClosed) {
                // finished just now
            }
        });
    }

    /** Cancels and drains the tasks the test left running; returns the failure describing them, or null. */
    private static AssertionError leftoverTasks(AsyncLoop loop, Task<Void> main) {
        Set<Task<?>> left = loop.allTasks();
        if (left.isEmpty()) {
            return null;
        }
        List<Task<?>> tasks = new ArrayList<>(left);
        tasks.remove(main);
        if (tasks.isEmpty()) {
            return null;
        }
        String description = describeTasks(tasks);
        loop.runUntilComplete(() -> {
            for (Task<?> t : tasks) {
                t.cancel("left running by the test");
            }
            Asyncio.gather(true, tasks);
        });
        return new AssertionError("The test returned while " + tasks.size() + " task(s) were still running "
                + "(now cancelled); await or cancel them before returning:\n" + description);
    }

    static String describeTasks(Iterable<? extends Task<?>> tasks) {
        StringBuilder sb = new StringBuilder();
        for (Task<?> t : tasks) {
            sb.append("  ").append(t).append('\n');
            StackTraceElement[] stack = t.getStack();
            if (stack.length == 0) {
                sb.append("      (not started, or running)\n");
            }
            int shown = 0;
            boolean inLibrary = true;
            for (StackTraceElement frame : stack) {
                // Skip the engine's frames on top (suspendTask, Task.sleep, ...): show where the test code waits.
                inLibrary = inLibrary && isLibraryFrame(frame);
                if (inLibrary || frame.getClassName().startsWith("jdk.internal.vm.")) {
                    continue;
                }
                sb.append("      at ").append(frame).append('\n');
                if (++shown == 12) {
                    sb.append("      ...\n");
                    break;
                }
            }
        }
        return sb.toString();
    }

    private static boolean isLibraryFrame(StackTraceElement frame) {
        String c = frame.getClassName();
        return c.startsWith("dev.asyncio.internal.") || c.equals("dev.asyncio.Task") || c.equals("dev.asyncio.Future")
                || c.equals("dev.asyncio.Asyncio") || c.startsWith("java.lang.reflect.") || c.startsWith("jdk.internal.");
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
