package dev.asyncio;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The functions of Python's {@code asyncio} module: running a program, creating tasks, sleeping,
 * gathering, and the bridges to threads and {@link CompletionStage}s.
 *
 * <pre>{@code
 * import static dev.asyncio.Asyncio.*;
 *
 * String r = Asyncio.run(() -> {
 *     Task<String> a = createTask(() -> { sleep(1); return "a"; });
 *     Task<String> b = createTask(() -> { sleep(1); return "b"; });
 *     return String.join("", gather(a, b));     // one second, not two
 * });
 * }</pre>
 *
 * <p>Suspending functions here ({@link #sleep}, {@link #gather}, {@link #toThread}, {@link #await}) must be
 * called from a task; they throw {@link IllegalStateException} otherwise.
 */
public final class Asyncio {
    private Asyncio() {
    }

    // ---------------------------------------------------------------- running a program

    /**
     * Runs {@code main} on a new loop on the calling thread and returns its result (or rethrows its
     * exception, the same instance); mirrors {@code asyncio.run}. Tasks still pending when {@code main} ends
     * are cancelled and awaited, the default executor is shut down, and the loop is closed.
     *
     * @throws IllegalStateException if a loop is already running on this thread
     */
    public static <T> T run(Coroutine<T> main) {
        return run(main, false);
    }

    public static void run(AsyncRunnable main) {
        run(main.asCoroutine(), false);
    }

    /** {@link #run(Coroutine)} with debug mode on or off. */
    public static <T> T run(Coroutine<T> main, boolean debug) {
        try (Runner runner = new Runner(debug)) {
            return runner.run(main);
        }
    }

    public static void run(AsyncRunnable main, boolean debug) {
        run(main.asCoroutine(), debug);
    }

    /**
     * The loop running on this thread.
     *
     * @throws IllegalStateException if none is running
     */
    public static AsyncLoop getRunningLoop() {
        return AsyncLoop.running("getRunningLoop()");
    }

    /** The task running on this thread, or {@code null} outside any task. */
    public static Task<?> currentTask() {
        AsyncLoop loop = ThreadState.current().runningLoop;
        return loop == null ? null : loop.currentTask;
    }

    /** The not-yet-done tasks of the running loop. */
    public static Set<Task<?>> allTasks() {
        return getRunningLoop().allTasks();
    }

    // ---------------------------------------------------------------- tasks

    /** Schedules {@code coro} as a new task on the running loop; mirrors {@code asyncio.create_task}. */
    public static <T> Task<T> createTask(Coroutine<T> coro) {
        return AsyncLoop.running("createTask()").createTask(coro, null, null);
    }

    public static <T> Task<T> createTask(Coroutine<T> coro, String name) {
        return AsyncLoop.running("createTask()").createTask(coro, name, null);
    }

    /** A task running in {@code context} instead of a copy of the current context. */
    public static <T> Task<T> createTask(Coroutine<T> coro, String name, Context context) {
        return AsyncLoop.running("createTask()").createTask(coro, name, context);
    }

    public static Task<Void> createTask(AsyncRunnable coro) {
        return AsyncLoop.running("createTask()").createTask(coro, null, null);
    }

    public static Task<Void> createTask(AsyncRunnable coro, String name) {
        return AsyncLoop.running("createTask()").createTask(coro, name, null);
    }

    public static Task<Void> createTask(AsyncRunnable coro, String name, Context context) {
        return AsyncLoop.running("createTask()").createTask(coro, name, context);
    }

    // ---------------------------------------------------------------- sleeping

    /**
     * Suspends the current task for {@code seconds} of loop time; mirrors {@code asyncio.sleep}.
     * {@code sleep(0)} (or a negative delay) lets every other ready callback and task run once, then continues;
     * {@code sleep(Double.POSITIVE_INFINITY)} waits until cancelled.
     *
     * <p>Cancellation: the {@link CancelledError} is thrown here and the timer is cancelled; nothing is left
     * behind.
     *
     * @throws IllegalArgumentException if {@code seconds} is NaN
     * @throws IllegalStateException    outside a task
     */
    public static void sleep(double seconds) {
        if (Double.isNaN(seconds)) {
            throw new IllegalArgumentException("sleep() needs a number of seconds, got NaN");
        }
        Task.current("sleep").sleep(seconds);
    }

    /** {@link #sleep(double)} with a {@link Duration}. */
    public static void sleep(Duration duration) {
        sleep(duration.getSeconds() + duration.getNano() * 1e-9);
    }

    // ---------------------------------------------------------------- gather

    /**
     * Suspends until every awaitable is done and returns their results in the order given; mirrors
     * {@code await asyncio.gather(*aws)}. Awaitables that are not futures are wrapped in tasks; one given
     * twice is awaited once. The first failure is rethrown at once (the same instance) and the other
     * awaitables keep running.
     *
     * <p>Cancellation: cancelling the waiting task cancels every awaitable not done yet, and the
     * {@link CancelledError} is thrown here. An awaitable cancelled on its own makes this throw a
     * {@link CancelledError} too.
     */
    @SafeVarargs
    public static <T> List<T> gather(Awaitable<? extends T>... aws) {
        return gather(Arrays.asList(aws));
    }

    /** {@link #gather(Awaitable[])} over a list. */
    public static <T> List<T> gather(List<? extends Awaitable<? extends T>> aws) {
        @SuppressWarnings("unchecked")
        List<T> results = (List<T>) (List<?>) gatherAll(aws, false);
        return results;
    }

    /**
     * As {@link #gather(Awaitable[])}; with {@code returnExceptions}, failures and cancellations of the
     * awaitables are returned in the list (a {@link CancelledError} for a cancelled one) instead of thrown.
     * Cancelling the waiting task still throws {@link CancelledError}.
     */
    public static List<Object> gather(boolean returnExceptions, Awaitable<?>... aws) {
        return gatherAll(Arrays.asList(aws), returnExceptions);
    }

    /** {@link #gather(boolean, Awaitable[])} over a list. */
    public static List<Object> gather(boolean returnExceptions, List<? extends Awaitable<?>> aws) {
        return gatherAll(aws, returnExceptions);
    }

    private static List<Object> gatherAll(List<? extends Awaitable<?>> aws, boolean returnExceptions) {
        AsyncLoop loop = AsyncLoop.running("gather()");
        if (aws.isEmpty()) {
            return new java.util.ArrayList<>();
        }
        return Gathering.start(loop, aws, returnExceptions).await();
    }

    // ---------------------------------------------------------------- threads and other futures

    /**
     * Runs {@code blocking} on a virtual thread, in a copy of the current context, and suspends the current
     * task until it returns; mirrors {@code asyncio.to_thread}. Its result or exception (the same instance)
     * comes back here.
     *
     * <p>Cancellation: the {@link CancelledError} is thrown here at once and the thread is interrupted; what
     * the blocking code does with the interrupt is up to it.
     */
    public static <T> T toThread(Callable<T> blocking) {
        AsyncLoop loop = AsyncLoop.running("toThread()");
        Context context = Context.copyCurrent();
        return loop.runInExecutor(null, () -> context.run(blocking)).await();
    }

    /**
     * Suspends the current task until {@code stage} completes, from whatever thread completes it, and
     * returns its value or rethrows its exception (unwrapped from {@link CompletionException}). A stage that
     * is cancelled makes this throw a {@link CancelledError}.
     *
     * <p>Cancellation: the {@link CancelledError} is thrown here and the stage is cancelled (if it is a
     * {@link java.util.concurrent.Future}).
     */
    public static <T> T await(CompletionStage<T> stage) {
        AsyncLoop loop = AsyncLoop.running("await(CompletionStage)");
        Future<T> future = loop.createFuture();
        loop.markExternal(future);
        stage.whenComplete((value, error) -> loop.callSoonThreadsafeIfOpen(() -> {
            if (future.done()) {
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof CancellationException) {
                future.cancel();
            } else if (cause != null) {
                future.setException(cause);
            } else {
                future.setResult(value);
            }
        }));
        future.addInternalCallback(f -> {
            if (f.cancelled() && stage instanceof java.util.concurrent.Future<?> jf) {
                jf.cancel(true);
            }
        });
        return future.await();
    }

    /**
     * Submits {@code coro} to {@code loop} from another thread and returns a future of its result; mirrors
     * {@code asyncio.run_coroutine_threadsafe}. Cancelling the returned future cancels the task. Never block
     * on the returned future from the loop's own thread: that would deadlock the loop.
     */
    public static <T> java.util.concurrent.Future<T> runCoroutineThreadsafe(Coroutine<T> coro, AsyncLoop loop) {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.callSoonThreadsafe(() -> {
            if (result.isDone()) {
                return; // cancelled before it started
            }
            try {
                loop.createTask(coro).transferTo(result);
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    public static java.util.concurrent.Future<Void> runCoroutineThreadsafe(AsyncRunnable coro, AsyncLoop loop) {
        return runCoroutineThreadsafe(coro.asCoroutine(), loop);
    }
}
