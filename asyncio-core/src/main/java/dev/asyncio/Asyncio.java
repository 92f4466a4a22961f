package dev.asyncio;

import dev.asyncio.internal.NettyRequirement;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
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
 * public static void main(String[] args) {
 *     String r = Asyncio.runMain(() -> {         // Ctrl-C or kill: cleanup, one line, exit 130 / 143
 *         Task<String> a = createTask(() -> { sleep(1); return "a"; });
 *         Task<String> b = createTask(() -> { sleep(1); return "b"; });
 *         return String.join("", gather(a, b));  // one second, not two
 *     });
 * }
 * }</pre>
 *
 * <p>{@link #runMain} is {@link #run} for a program's {@code main}; use {@code run} where Ctrl-C should reach
 * the caller as a {@link KeyboardInterrupt} (a test, a tool embedding a loop).
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
     * <p>Signals, on the JVM's main thread ({@link Runner} has the details): the first SIGINT (Ctrl-C) or SIGTERM
     * cancels the main task, so its {@code finally} blocks run; after SIGINT this throws
     * {@link KeyboardInterrupt} (if nothing catches it, the JVM prints its stack trace and exits with status 130,
     * as CPython does), after SIGTERM the JVM exits with status 143 once everything is cleaned up. A
     * second signal exits at once. {@link #runMain} ends the program on SIGINT too (status 130).
     *
     * @throws IllegalStateException if a loop is already running on this thread
     */
    public static <T> T run(Coroutine<T> main) {
        NettyRequirement.check(); // startup check: before Runner names AsyncLoop, whose linking needs Netty 4.2
        try (Runner runner = new Runner()) {    // debug as -Ddev.asyncio.debug says, like asyncio.run(debug=None)
            return runner.run(main);
        }
    }

    public static void run(AsyncRunnable main) {
        run(main.asCoroutine());
    }

    /** {@link #run(Coroutine)} with debug mode on or off. */
    public static <T> T run(Coroutine<T> main, boolean debug) {
        NettyRequirement.check(); // startup check, as in run(main)
        try (Runner runner = new Runner(debug)) {
            return runner.run(main);
        }
    }

    public static void run(AsyncRunnable main, boolean debug) {
        run(main.asCoroutine(), debug);
    }

    /**
     * Runs {@code main} as a program's {@code main} method should: {@link #run(Coroutine)}, plus what a
     * command-line user expects from Ctrl-C and {@code kill}. The first SIGINT (Ctrl-C) or SIGTERM cancels the
     * main task, which gets a {@link CancelledError} where it waits and can clean up; once it has, and the other
     * tasks have been cancelled and awaited, one line goes to standard error ({@code Interrupted by SIGINT
     * (Ctrl-C)} or {@code Terminated by SIGTERM}, no stack trace) and the JVM exits with the status a shell
     * reports for that signal: 130 or 143. A second signal during the cleanup exits at once with the same
     * status. Otherwise it returns {@code main}'s result, or throws its exception, as {@link #run(Coroutine)};
     * a main task that catches the cancellation and returns normally returns normally here too.
     *
     * <pre>{@code
     * public static void main(String[] args) {
     *     Asyncio.runMain(() -> serve(args));    // Ctrl-C: cleanup, "Interrupted by SIGINT (Ctrl-C)", exit 130
     * }
     * }</pre>
     *
     * <p>A signal ignored when the program started stays ignored (a background job ignores SIGINT); with
     * {@code -Xrs} the JVM's own handling applies. Unlike {@code asyncio.run}, which handles SIGINT only on
     * the main thread, this handles both signals on whichever thread calls it, while it runs.
     *
     * @throws IllegalStateException if a loop is already running on this thread
     */
    public static <T> T runMain(Coroutine<T> main) {
        sun.misc.Signal stoppedBy;
        try (Runner runner = new Runner()) {    // debug as -Ddev.asyncio.debug says, like run(main)
            try {
                return runner.runProgram(main);
            } catch (CancelledError e) {
                stoppedBy = runner.stoppedBy();
                if (stoppedBy == null) {
                    throw e;
                }
            }
        } // closing cancels and awaits the other tasks before the exit below
        MainTaskSignals.exitFor(stoppedBy);
        throw new AssertionError("unreachable: the JVM is exiting");
    }

    /** {@link #runMain(Coroutine)} of a main that returns nothing. */
    public static void runMain(AsyncRunnable main) {
        runMain(main.asCoroutine());
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
     * Suspends the current task until every awaitable is done and returns their results in the order given; mirrors
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

    // ---------------------------------------------------------------- timeouts, wait, asCompleted, shield

    /**
     * Runs {@code body} in the current task and returns its result, unless {@code delaySeconds} of loop time
     * pass first: then the body is cancelled and this throws {@link TimeoutError}. Mirrors
     * {@code async with asyncio.timeout(delay):}. {@link Double#POSITIVE_INFINITY} means no deadline; a delay
     * of 0 or less expires at the first suspension of the body. See {@link Timeout} for the exact rules.
     *
     * <p>Cancellation: a {@link CancelledError} that the timeout did not cause (a {@code cancel()} from
     * outside, even one arriving together with the deadline) passes through unchanged; only the
     * cancellation the timeout caused becomes a {@link TimeoutError}.
     *
     * @throws TimeoutError             if the deadline passed and cancelled the body
     * @throws IllegalArgumentException if {@code delaySeconds} is NaN
     * @throws IllegalStateException    outside a task
     */
    public static <T> T timeout(double delaySeconds, Coroutine<T> body) {
        Timeout.checkDeadline(delaySeconds);
        return timeoutAt(AsyncLoop.running("timeout()").time() + delaySeconds, body);
    }

    public static void timeout(double delaySeconds, AsyncRunnable body) {
        timeout(delaySeconds, asCoroutine(body));
    }

    /** {@link #timeout(double, Coroutine)} whose body gets the {@link Timeout} handle, to read or reschedule the deadline. */
    public static <T> T timeout(double delaySeconds, TimeoutBody<T> body) {
        Timeout.checkDeadline(delaySeconds);
        return timeoutAt(AsyncLoop.running("timeout()").time() + delaySeconds, body);
    }

    /**
     * {@link #timeout(double, Coroutine)} with a deadline at loop time {@code whenSeconds} ({@link AsyncLoop#time()});
     * mirrors {@code asyncio.timeout_at}. {@link Double#POSITIVE_INFINITY} means no deadline.
     */
    public static <T> T timeoutAt(double whenSeconds, Coroutine<T> body) {
        if (body == null) {
            throw new IllegalArgumentException("a timeout block needs a body, got null");
        }
        return Timeout.run(whenSeconds, t -> body.call());
    }

    public static void timeoutAt(double whenSeconds, AsyncRunnable body) {
        timeoutAt(whenSeconds, asCoroutine(body));
    }

    /** {@link #timeoutAt(double, Coroutine)} whose body gets the {@link Timeout} handle. */
    public static <T> T timeoutAt(double whenSeconds, TimeoutBody<T> body) {
        return Timeout.run(whenSeconds, body);
    }

    private static Coroutine<Void> asCoroutine(AsyncRunnable body) {
        if (body == null) {
            throw new IllegalArgumentException("a timeout block needs a body, got null");
        }
        return body.asCoroutine();
    }

    /**
     * Suspends the current task until {@code aw} is done and returns its result, or cancels it and throws
     * {@link TimeoutError} once {@code timeoutSeconds} of loop time have passed; mirrors
     * {@code asyncio.wait_for} (Python 3.13, built on {@link #timeout(double, Coroutine)}). With a timeout of 0 or less, an
     * awaitable not done yet is cancelled (and awaited) at once, without being given a chance to run;
     * {@link Double#POSITIVE_INFINITY} waits for ever. An awaitable that catches its cancellation and returns a
     * value makes this return that value.
     *
     * <p>Cancellation: the {@link CancelledError} is thrown here and {@code aw} is cancelled too (a future
     * awaited by a cancelled task always is).
     *
     * @throws TimeoutError             if the time ran out
     * @throws IllegalArgumentException if {@code timeoutSeconds} is NaN or {@code aw} is null
     * @throws IllegalStateException    outside a task
     */
    public static <T> T waitFor(Awaitable<T> aw, double timeoutSeconds) {
        if (aw == null) {
            throw new IllegalArgumentException("waitFor() needs an awaitable, got null");
        }
        Timeout.checkDeadline(timeoutSeconds);
        AsyncLoop loop = AsyncLoop.running("waitFor()");
        if (timeoutSeconds <= 0) {
            @SuppressWarnings("unchecked")
            Future<T> fut = (Future<T>) Gathering.toFuture(loop, aw);
            if (fut.done()) {
                return fut.result();
            }
            cancelAndWait(loop, fut);
            try {
                return fut.result();
            } catch (CancelledError e) {
                throw new TimeoutError("waitFor() timed out: the timeout was " + timeoutSeconds + " s", e);
            }
        }
        return Timeout.run(loop.time() + timeoutSeconds, t -> aw.await());
    }

    /**
     * Runs {@code coro} in the current task and returns its result, or cancels it and throws
     * {@link TimeoutError} once {@code timeoutSeconds} of loop time have passed; {@link #waitFor(Awaitable, double)}
     * of a coroutine, run in place as {@code asyncio.wait_for(coro(), timeout)} does since Python 3.12. The
     * current task suspends wherever the coroutine does. With a timeout of 0 or less the coroutine never
     * starts.
     *
     * <p>Cancellation: a {@link CancelledError} from outside is thrown into the coroutine where it waits and
     * passes through unchanged.
     */
    public static <T> T waitFor(Coroutine<T> coro, double timeoutSeconds) {
        if (coro == null) {
            throw new IllegalArgumentException("waitFor() needs a coroutine, got null");
        }
        Timeout.checkDeadline(timeoutSeconds);
        AsyncLoop loop = AsyncLoop.running("waitFor()");
        if (timeoutSeconds <= 0) {
            return waitFor(loop.createTask(coro), timeoutSeconds);
        }
        return Timeout.run(loop.time() + timeoutSeconds, t -> coro.call());
    }

    public static void waitFor(AsyncRunnable coro, double timeoutSeconds) {
        if (coro == null) {
            throw new IllegalArgumentException("waitFor() needs a coroutine, got null");
        }
        waitFor(coro.asCoroutine(), timeoutSeconds);
    }

    /** Cancels {@code fut} and waits until it is done, without ever cancelling it twice; asyncio's {@code _cancel_and_wait}. */
    private static <T> void cancelAndWait(AsyncLoop loop, Future<T> fut) {
        Future<Void> waiter = new Future<>(loop);
        java.util.function.Consumer<Future<T>> release = f -> {
            if (!waiter.done()) {
                waiter.setResult(null);
            }
        };
        fut.addInternalCallback(release);
        try {
            fut.cancel();
            // Not fut.await(): cancelling this task must not cancel fut a second time.
            waiter.await();
        } finally {
            fut.removeInternalCallback(release);
        }
    }

    /**
     * Suspends the current task until the futures are done as {@code returnWhen} asks, or until
     * {@code timeoutSeconds} of loop time pass, and returns which are done and which are pending; mirrors
     * {@code asyncio.wait}. The futures are not cancelled, on time-out or otherwise, and their exceptions
     * are not rethrown. Suspends at least once, even if futures are already done. Duplicates count once.
     *
     * <p>Cancellation: the {@link CancelledError} is thrown here; the futures are left running.
     *
     * @throws IllegalArgumentException if {@code fs} is empty, holds null or futures of another loop, or
     *                                  {@code timeoutSeconds} is NaN
     * @throws IllegalStateException    outside a task
     */
    public static <T> WaitResult<T> wait(Collection<? extends Future<T>> fs, double timeoutSeconds, ReturnWhen returnWhen) {
        if (fs == null || fs.isEmpty()) {
            throw new IllegalArgumentException("Set of Tasks/Futures is empty.");
        }
        if (returnWhen == null) {
            throw new IllegalArgumentException("wait() needs a ReturnWhen, got null");
        }
        if (Double.isNaN(timeoutSeconds)) {
            throw new IllegalArgumentException("wait() needs a number of seconds, got NaN");
        }
        AsyncLoop loop = AsyncLoop.running("wait()");
        Set<Future<T>> all = new LinkedHashSet<>();
        for (Future<T> f : fs) {
            if (f == null) {
                throw new IllegalArgumentException("wait() got a null future");
            }
            if (f.loop != loop) {
                throw new IllegalArgumentException(f + " belongs to a different loop than the caller's");
            }
            all.add(f);
        }
        Future<Void> waiter = new Future<>(loop);
        TimerHandle timer = timeoutSeconds == Double.POSITIVE_INFINITY ? null : loop.callLater(timeoutSeconds, () -> {
            if (!waiter.done()) {
                waiter.setResult(null);
            }
        });
        int[] left = {all.size()};
        java.util.function.Consumer<Future<T>> onCompletion = f -> {
            left[0]--;
            if (left[0] <= 0 || returnWhen == ReturnWhen.FIRST_COMPLETED
                    || returnWhen == ReturnWhen.FIRST_EXCEPTION && !f.cancelled() && f.exception() != null) {
                if (timer != null) {
                    timer.cancel();
                }
                if (!waiter.done()) {
                    waiter.setResult(null);
                }
            }
        };
        for (Future<T> f : all) {
            f.addInternalCallback(onCompletion);
        }
        try {
            waiter.await();
        } finally {
            if (timer != null) {
                timer.cancel();
            }
            for (Future<T> f : all) {
                f.removeInternalCallback(onCompletion);
            }
        }
        Set<Future<T>> done = new LinkedHashSet<>();
        Set<Future<T>> pending = new LinkedHashSet<>();
        for (Future<T> f : all) {
            (f.done() ? done : pending).add(f);
        }
        return new WaitResult<>(done, pending);
    }

    /** {@link #wait(Collection, double, ReturnWhen)} with no time limit. */
    public static <T> WaitResult<T> wait(Collection<? extends Future<T>> fs, ReturnWhen returnWhen) {
        return wait(fs, Double.POSITIVE_INFINITY, returnWhen);
    }

    /** {@link #wait(Collection, double, ReturnWhen)} until every future is done. */
    public static <T> WaitResult<T> wait(Collection<? extends Future<T>> fs) {
        return wait(fs, Double.POSITIVE_INFINITY, ReturnWhen.ALL_COMPLETED);
    }

    /**
     * The awaitables as futures, in the order they complete; mirrors {@code asyncio.as_completed} under
     * {@code async for} (Python 3.13). Each {@code next()} of the iteration suspends the current task until
     * one more is done and returns it (done: its {@code result()} does not suspend), so the n-th future handed
     * out is the n-th to complete. Awaitables that are not futures are wrapped in tasks; duplicates count once.
     * {@code hasNext()} does not suspend. The result is its own iterator: iterating it again continues.
     *
     * <pre>{@code
     * for (Future<String> f : Asyncio.asCompleted(List.of(a, b, c))) {
     *     System.out.println(f.result());     // fastest first
     * }
     * }</pre>
     *
     * <p>Cancellation: a {@link CancelledError} in {@code next()} is thrown there; the futures keep running and
     * the one that task would have received is lost to the iteration.
     *
     * @throws IllegalStateException outside a running loop
     */
    public static <T> Iterable<Future<T>> asCompleted(Collection<? extends Awaitable<T>> aws) {
        return asCompleted(aws, Double.POSITIVE_INFINITY);
    }

    /**
     * {@link #asCompleted(Collection)} with a time limit counted from this call: once {@code timeoutSeconds}
     * of loop time have passed, every further {@code next()} throws {@link TimeoutError} (the futures are not
     * cancelled).
     */
    public static <T> Iterable<Future<T>> asCompleted(Collection<? extends Awaitable<T>> aws, double timeoutSeconds) {
        if (aws == null) {
            throw new IllegalArgumentException("asCompleted() needs a collection, got null");
        }
        if (Double.isNaN(timeoutSeconds)) {
            throw new IllegalArgumentException("asCompleted() needs a number of seconds, got NaN");
        }
        return new AsCompleted<>(AsyncLoop.running("asCompleted()"), aws, timeoutSeconds);
    }

    /**
     * Suspends the current task until {@code aw} is done and returns its result, but protects {@code aw} from
     * the cancellation of the waiting task; mirrors {@code await asyncio.shield(aw)}. An awaitable that is
     * not a future is wrapped in a task. If {@code aw} itself is cancelled (by someone else), this throws
     * {@link CancelledError}.
     *
     * <p>Cancellation: the {@link CancelledError} is thrown here and {@code aw} keeps running; its outcome is
     * then nobody's (an exception it ends with is not reported as never retrieved if it arrives before the
     * shield has finished cancelling).
     *
     * @throws IllegalStateException outside a task
     */
    public static <T> T shield(Awaitable<T> aw) {
        if (aw == null) {
            throw new IllegalArgumentException("shield() needs an awaitable, got null");
        }
        AsyncLoop loop = AsyncLoop.running("shield()");
        @SuppressWarnings("unchecked")
        Future<T> inner = (Future<T>) Gathering.toFuture(loop, aw);
        if (inner.done()) {
            return inner.result();
        }
        Future<T> outer = new Future<>(loop);
        ShieldLink<T> innerDone = new ShieldLink<>(outer);
        inner.addInternalCallback(innerDone);
        outer.addInternalCallback(o -> {
            if (!inner.done()) {
                inner.removeInternalCallback(innerDone);
            }
        });
        return outer.await();
    }

    /** Passes the shielded future's outcome to the outer one; also tells {@link TaskDump} who awaits it. */
    private record ShieldLink<T>(Future<T> outer) implements java.util.function.Consumer<Future<T>>, AwaitLink {
        @Override
        public void accept(Future<T> in) {
            if (outer.cancelled()) {
                if (!in.cancelled()) {
                    in.exception(); // nobody waits for it any more: mark it retrieved
                }
                return;
            }
            if (in.cancelled()) {
                outer.cancel();
            } else if (in.exception() != null) {
                outer.setException(in.exception());
            } else {
                outer.setResult(in.result());
            }
        }

        @Override
        public Future<?> awaiter() {
            return outer;
        }

        @Override
        public String via() {
            return "shield";
        }
    }

    /**
     * Runs {@code coro} as a new task and suspends the current task until it is done; {@link #shield(Awaitable)}
     * of that task.
     *
     * <p>Cancellation: the {@link CancelledError} is thrown here and the new task goes on running.
     */
    public static <T> T shield(Coroutine<T> coro) {
        if (coro == null) {
            throw new IllegalArgumentException("shield() needs a coroutine, got null");
        }
        return shield(AsyncLoop.running("shield()").createTask(coro));
    }

    public static void shield(AsyncRunnable coro) {
        if (coro == null) {
            throw new IllegalArgumentException("shield() needs a coroutine, got null");
        }
        shield(coro.asCoroutine());
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
     * {@code asyncio.run_coroutine_threadsafe}. Cancelling the returned future cancels the task; if the loop
     * closes before it ran the coroutine, the returned future is cancelled. Never block on the returned future
     * from the loop's own thread: that would deadlock the loop.
     */
    public static <T> java.util.concurrent.Future<T> runCoroutineThreadsafe(Coroutine<T> coro, AsyncLoop loop) {
        return startThreadsafe(coro, loop);
    }

    /** {@link #runCoroutineThreadsafe}'s work, for {@link AsyncLoop#submit(Coroutine)} too. */
    static <T> CompletableFuture<T> startThreadsafe(Coroutine<T> coro, AsyncLoop loop) {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.trackSubmission(result); // cancelled by close() if the loop never gets to run it
        loop.callSoonThreadsafe(() -> {
            loop.untrackSubmission(result);
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
