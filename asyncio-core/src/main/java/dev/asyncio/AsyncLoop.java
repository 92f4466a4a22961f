package dev.asyncio;

import dev.asyncio.internal.Engine;
import dev.asyncio.internal.LoopHost;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ManualIoEventLoop;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * An event loop: a ready queue, a timer heap and a Netty selector, run by one thread; mirrors
 * {@code asyncio} 's event loop. Most programs never touch it directly and use {@link Asyncio#run}.
 *
 * <pre>{@code
 * try (AsyncLoop loop = AsyncLoop.builder().virtualTime(true).build()) {
 *     double elapsed = loop.runUntilComplete(() -> {
 *         Asyncio.sleep(3600);                  // returns at once: the clock jumps
 *         return Asyncio.getRunningLoop().time();
 *     });
 * }
 * }</pre>
 *
 * <p>One iteration does what asyncio's {@code _run_once} does: wait for I/O (not at all if callbacks are
 * ready, until the nearest timer otherwise), move due timers to the ready queue, then run the callbacks
 * that were ready when the iteration began. Task steps are callbacks. The loop runs on the thread that
 * calls {@link #runUntilComplete} or {@link #runForever}; the first such thread owns the loop's Netty event
 * loop, and the loop must always be run by it.
 *
 * <p>Threading: every method is for the loop's thread, except {@link #callSoonThreadsafe}, {@link #time()}
 * and {@link #isRunning()}/{@link #isClosed()}. Loop-owned objects check the thread where the check is
 * cheap and throw {@link IllegalStateException} when called from another thread while the loop runs.
 *
 * <p>Virtual time ({@link Builder#virtualTime(boolean)}): the clock starts at 0.0 and, when nothing is ready
 * and a non-blocking I/O poll finds nothing, jumps to the next timer instead of sleeping. Timing behaviour
 * is then deterministic and hours of sleeps take microseconds. While a future registered with
 * {@link #markExternal(Future)} (a thread bridge, for one) is pending, the clock advances no faster than real time.
 */
public final class AsyncLoop implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.asyncio");
    /**
     * Timers due within this much of now are run now, as asyncio does with the clock's resolution. From 2^24 s
     * (194 days) of clock on, {@code now + CLOCK_RESOLUTION == now}: {@link #isDue} also takes every timer at or
     * before now, so that a timer fires at any magnitude of the clock.
     */
    private static final double CLOCK_RESOLUTION = 1e-9;
    /** With callbacks always ready, I/O is still polled after this many callbacks ... */
    private static final int IO_POLL_CALLBACKS = 128;
    /** ... or this long, whichever comes first. */
    private static final long IO_POLL_NANOS = 200_000;
    /** Cancelled timers are purged from the heap when there are more than this many and they are half of it. */
    private static final int MIN_CANCELLED_TIMERS_TO_PURGE = 100;

    private final boolean virtualTime;
    private final IoTransport transport;
    private final ManualIoEventLoop io;
    /** What channels register with: a view of {@link #io} for the tasks' threads and a close from outside. */
    private final IoEventLoop channelLoop;
    /** Thread engine: the virtual thread the loop runs on; {@code null} on the continuation engine. */
    private final LoopHost host;
    private ClosingIoHandler ioHandler;
    private boolean debug;
    private double slowCallbackDuration;

    private final ArrayDeque<Object> ready = new ArrayDeque<>();
    private final PriorityQueue<TimerCallbackHandle> timers = new PriorityQueue<>();
    private int cancelledTimers;
    private int timerSequence;
    /** Volatile: {@link #time()} may be read from any thread. */
    private volatile double virtualClock;
    private final long clockOrigin = System.nanoTime();
    /** Where the clock starts: 0.0 except in tests of large clocks ({@link Builder#startTime}). */
    private final double clockStart;
    /** Iterations run so far; tests use it to prove the loop does not spin. */
    private long iterations;
    private int callbacksSinceIo;
    private long lastIoPoll;

    /**
     * The first thread to run this loop, which must run it always. On the continuation engine it also owns the
     * Netty event loop; on the thread engine the {@link #host} does, and runs the loop for it.
     */
    private Thread owner;
    private volatile Thread runningThread;
    /** The running thread's state; {@code null} while the loop is not running. */
    ThreadState threadState;
    /** The task being stepped, or {@code null}. */
    Task<?> currentTask;
    private boolean stopping;
    private volatile boolean closed;

    private Task<?> firstPending;
    private Task<?> lastPending;
    private int pendingTasks;
    private int taskIds;

    /** Inspection ({@link #stats()}, {@link TaskDump}): this loop's number among the loops of the JVM. */
    private final int loopId;
    /** Steps that ran at least {@link #slowCallbackDuration} while steps were timed. */
    private long slowSteps;
    /** Channels passed to {@link #trackConnection} and not closed yet. */
    private int openConnections;
    /** Lag monitoring ({@link #monitorLag}): the period in seconds, 0 when off; the last and largest lag. */
    private double lagInterval;
    private TimerHandle lagTimer;
    private double lastLag = Double.NaN;
    private double maxLag = Double.NaN;

    private BiConsumer<AsyncLoop, Map<String, Object>> exceptionHandler;
    private ExecutorService defaultExecutor;
    private boolean defaultExecutorShutDown;
    /** runCoroutineThreadsafe submissions not yet taken by the loop; any thread adds, close() cancels. */
    private final Set<java.util.concurrent.CompletableFuture<?>> submissions = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private int externalPending;
    private final Set<UnretrievedFailure> unretrieved = new HashSet<>();
    /** What {@link #close()} releases first, in the order added ({@code LoopCloseHooks}); the loop's. */
    private final Map<Object, Runnable> closeHooks = new LinkedHashMap<>();
    /** Debug mode: monitors the running thread held before the loop started (not the tasks' doing). */
    int monitorsHeldByRunner;
    /** Debug mode: how often each suspension site was reached, to ration the costly monitor check. */
    private final Map<StackTraceElement, int[]> suspensionSites = new java.util.HashMap<>();
    /** Debug mode: the monitor check runs the first time a site suspends, then once every this many times. */
    private static final int MONITOR_CHECK_EVERY = 256;
    /** How long close() waits for I/O at a time while channels finish closing. */
    private static final long CLOSE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /**
     * Thread engine, for measurements only: {@code -Dasyncio.engine.loopOnCaller=true} runs the loop on the
     * thread that calls {@code runForever} instead of a virtual thread of its own, the layout that
     * benchmarks/README.md compares (every hand-off to a task is then a platform-thread wake-up).
     */
    private static final boolean LOOP_ON_CALLER = Boolean.getBoolean("asyncio.engine.loopOnCaller");

    static {
        dev.asyncio.internal.LoopCloseHooks.install(AsyncLoop::addCloseHook);
    }

    private AsyncLoop(Builder b) {
        Engine.CURRENT.checkUsable();
        this.virtualTime = b.virtualTime;
        this.clockStart = b.startTime;
        this.virtualClock = b.startTime;
        this.debug = b.debug;
        this.slowCallbackDuration = b.slowCallbackDuration;
        this.transport = b.transport;
        IoHandlerFactory factory = transport.handlerFactory();
        this.io = new ManualIoEventLoop(null, null, executor -> {
            ClosingIoHandler handler = new ClosingIoHandler(this, factory, executor);
            ioHandler = handler;
            return handler;
        });
        this.host = Engine.ON_THREADS && !LOOP_ON_CALLER && !b.onCallingThread ? new LoopHost() : null;
        this.channelLoop = new LoopIoEventLoop(this, io, ioHandler);
        this.loopId = Inspection.register(this);
    }

    /** A loop on the NIO transport, in real time, debug off (unless {@code -Ddev.asyncio.debug=true}). */
    public static AsyncLoop create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The engine that runs tasks and generators in this JVM: {@code "continuation"} (one-shot continuations
     * on the loop's thread; needs {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}) or
     * {@code "threads"} (a virtual thread per task, handing control to each other so that one runs at a
     * time; public API only). Chosen once, by the system property {@code asyncio.engine}, else by whether the
     * JVM flag is there. What differs between them is listed in {@code docs/design.md}, "Engines": thread
     * locals, interrupt status and {@code Thread.currentThread()} are per task on the thread engine, stack
     * traces of a task end at its own thread, and an await inside a class initializer is refused by the
     * continuation engine but, on the thread engine, pins a carrier thread (refused in debug mode only).
     */
    public static String engine() {
        return Engine.CURRENT.name();
    }

    /** The loop running on the current thread, or throws naming {@code what} needed it. */
    static AsyncLoop running(String what) {
        AsyncLoop loop = ThreadState.current().runningLoop;
        if (loop == null) {
            throw new IllegalStateException("no running event loop: " + what + " needs one (call it from a task)");
        }
        return loop;
    }

    // ---------------------------------------------------------------- running

    /**
     * Runs the loop on the calling thread until {@code main}, wrapped in a new task, is done; returns its
     * result or rethrows its exception (the same instance). Other tasks are left as they are.
     *
     * @throws IllegalStateException if the loop is closed or running, if another loop runs on this thread,
     *                               or if the loop was stopped before {@code main} finished
     */
    public <T> T runUntilComplete(Coroutine<T> main) {
        checkOpen();
        checkNotRunning();
        return runUntilComplete(createTask(main));
    }

    /** Runs the loop until {@code main} is done; see {@link #runUntilComplete(Coroutine)}. */
    public void runUntilComplete(AsyncRunnable main) {
        checkOpen();
        checkNotRunning();
        runUntilComplete(createTask(main));
    }

    /** Runs the loop until {@code future} is done and returns its result; mirrors {@code run_until_complete}. */
    public <T> T runUntilComplete(Future<T> future) {
        checkOpen();
        checkNotRunning();
        if (future.loop != this) {
            throw new IllegalArgumentException(future + " belongs to another loop");
        }
        java.util.function.Consumer<Future<T>> stopWhenDone = f -> stop();
        future.addInternalCallback(stopWhenDone);
        try {
            runForever();
        } catch (Throwable t) {
            if (future.done() && !future.cancelled()) {
                future.exception(); // retrieved here: the caller sees t, not a never-retrieved report later
            }
            throw t;
        } finally {
            future.removeInternalCallback(stopWhenDone);
        }
        if (!future.done()) {
            throw new IllegalStateException("Event loop stopped before Future completed.");
        }
        return future.result();
    }

    /**
     * Runs the loop on the calling thread until {@link #stop()} is called. A stop requested before this call
     * lets one iteration run.
     */
    public void runForever() {
        checkOpen();
        checkNotRunning();
        ThreadState state = ThreadState.current();
        if (state.runningLoop != null) {
            throw new IllegalStateException("Cannot run the event loop while another loop is running on this thread");
        }
        Thread me = Thread.currentThread();
        bindOwner(me);
        if (host != null) {
            host.run(() -> {
                ThreadState.adopt(state);
                if (!io.inEventLoop()) {
                    io.setOwningThread(Thread.currentThread());
                }
                run(state, me);
            });
        } else {
            run(state, me);
        }
    }

    /** Runs iterations until stopped, on this thread, for {@code caller} (whose state {@code state} is). */
    private void run(ThreadState state, Thread caller) {
        state.runningLoop = this;
        threadState = state;
        runningThread = caller;
        if (debug) {
            monitorsHeldByRunner = Debugging.heldMonitors().length;
        }
        try {
            while (true) {
                runOnce();
                if (stopping) {
                    break;
                }
            }
        } finally {
            stopping = false;
            runningThread = null;
            threadState = null;
            state.runningLoop = null;
        }
    }

    private void bindOwner(Thread me) {
        if (owner == null) {
            owner = me;
            if (host == null) {
                io.setOwningThread(me);
            }
        } else if (owner != me) {
            throw new IllegalStateException("This loop is bound to thread '" + owner.getName()
                    + "', which ran it first; it cannot run on '" + me.getName() + "'");
        }
    }

    /** Asks {@link #runForever()} to return after the current iteration. */
    public void stop() {
        checkThread();
        stopping = true;
    }

    /**
     * The thread running this loop's code at this moment, for diagnostics (a watchdog's stack dump): the
     * thread that runs the loop, or on the thread engine the virtual thread of the task (or generator) that
     * has control, else the loop's host thread; {@code null} while the loop is not running. Safe from any
     * thread; the answer may be stale by the time it is read.
     */
    public Thread threadRunningNow() {
        Thread caller = runningThread;
        if (!Engine.ON_THREADS || caller == null) {
            return caller;
        }
        Task<?> task = currentTask;
        Thread t = task != null ? task.runningThread() : null;
        return t != null ? t : host != null ? host.thread() : caller;
    }

    public boolean isRunning() {
        return runningThread != null;
    }

    public boolean isClosed() {
        return closed;
    }

    /** One iteration of the loop: asyncio's {@code _run_once}. */
    private void runOnce() {
        iterations++;
        ArrayDeque<Object> ready = this.ready;
        TimerCallbackHandle jumpedTo = null;
        if (!ready.isEmpty() || stopping) {
            if (callbacksSinceIo >= IO_POLL_CALLBACKS || System.nanoTime() - lastIoPoll >= IO_POLL_NANOS) {
                pollIo();
            }
        } else {
            dropCancelledTimersAtHead();
            TimerCallbackHandle next = timers.peek();
            if (next == null || next.when() == Double.POSITIVE_INFINITY) {
                waitIo(0); // a timer at +inf never fires: do not jump (virtual) or spin to it
            } else if (virtualTime) {
                pollIo();
                if (ready.isEmpty() && !stopping) {
                    if (externalPending > 0) {
                        long budget = nanosUntil(next.when(), virtualClock);
                        long start = System.nanoTime();
                        waitIo(budget);
                        // I/O that only Netty's handlers saw (a TLS handshake message, part of a frame) wakes the
                        // selector and makes nothing ready: wait out the rest of the real time before the jump.
                        long waited;
                        while (ready.isEmpty() && !stopping && externalPending > 0
                                && (waited = System.nanoTime() - start) < budget) {
                            waitIo(budget - waited);
                        }
                    }
                    if (ready.isEmpty() && !stopping) {
                        if (next.when() > virtualClock) {
                            virtualClock = next.when();
                        }
                        jumpedTo = next;
                    }
                }
            } else {
                double now = time();
                if (isDue(next.when(), now)) {
                    pollIo();
                } else {
                    waitIo(nanosUntil(next.when(), now));
                }
            }
        }

        if (!timers.isEmpty()) {
            double now = time();
            TimerCallbackHandle t;
            while ((t = timers.peek()) != null && isDue(t.when(), now)) {
                timers.poll();
                t.scheduled = false;
                if (t.cancelled()) {
                    cancelledTimers--;
                } else {
                    ready.add(t);
                }
            }
        }
        if (jumpedTo != null && jumpedTo.scheduled && !jumpedTo.cancelled()) {
            // The clock was moved to this timer, so it must have been taken as due: an iteration that jumped and left
            // it in the heap would be repeated for ever, the loop spinning without progress. Fail loudly instead.
            throw new IllegalStateException("virtual clock at " + virtualClock + " jumped to " + jumpedTo
                    + " but did not find it due: the loop would spin");
        }

        int n = ready.size();
        callbacksSinceIo += n;
        // Steps are timed only when someone reads the times: debug mode, lag monitoring, a JFR recording.
        if (debug || lagInterval > 0 || JfrEvents.SLOW_STEP.isEnabled()) {
            for (int i = 0; i < n; i++) {
                runTimed(ready.poll());
            }
        } else {
            for (int i = 0; i < n; i++) {
                runOne(ready.poll());
            }
        }
    }

    /**
     * Whether a timer at {@code when} is due at clock {@code now}: within the clock's resolution, or at or before
     * now (the same at any magnitude, where adding the resolution no longer changes now).
     */
    static boolean isDue(double when, double now) {
        return when <= now || when < now + CLOCK_RESOLUTION;
    }

    /**
     * How long to wait for a timer at {@code when} from {@code now}: at least 1 ns; a far timer gives
     * {@code Long.MAX_VALUE} (the cast saturates), which Netty waits on without overflowing.
     */
    private static long nanosUntil(double when, double now) {
        return Math.max(1, (long) Math.ceil((when - now) * 1e9));
    }

    /** How many iterations the loop has run; for tests that check it does not spin. */
    long iterations() {
        return iterations;
    }

    private void runOne(Object h) {
        try {
            if (h instanceof Task<?> t) {
                t.step();
            } else {
                ((CallbackHandle) h).run();
            }
        } catch (Throwable e) {
            // Callbacks and task bodies catch their own exceptions; this is the engine failing.
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("message", "Internal error while running " + h);
            context.put("exception", e);
            callExceptionHandler(context);
        }
    }

    private void runTimed(Object h) {
        Task<?> task = h instanceof Task<?> t ? t : h instanceof CallbackHandle c ? c.task() : null;
        String before = task != null && debug ? describeStep(task) : null;
        JfrEvents.SlowStep event = JfrEvents.SLOW_STEP.isEnabled() ? new JfrEvents.SlowStep() : null;
        if (event != null) {
            event.begin();
        }
        long t0 = System.nanoTime();
        runOne(h);
        double took = (System.nanoTime() - t0) / 1e9;
        if (event != null) {
            event.end();
            if (event.shouldCommit()) {
                event.loop = loopName();
                event.task = task != null ? task.getName() : "";
                event.step = before != null ? before : task != null ? describeStep(task) : String.valueOf(h);
                event.commit();
            }
        }
        if (took >= slowCallbackDuration && (debug || lagInterval > 0)) {
            slowSteps++;
            if (!debug) {
                return;
            }
            try {
                LOG.log(System.Logger.Level.WARNING, "Executing {0} took {1} seconds",
                        before != null ? before : h.toString(), String.format(java.util.Locale.ROOT, "%.3f", took));
            } catch (Throwable e) {
                reportingFailed("Exception while logging a slow callback", Map.of(), e);
            }
        }
    }

    private static String describeStep(Task<?> t) {
        StackTraceElement at = t.suspendedAt();
        return "<Task name='" + t.getName() + "' " + (at == null ? "starting" : "resumed at " + at) + ">";
    }

    private void pollIo() {
        try {
            io.runNow();
        } catch (Throwable e) {
            ioFailed(e);
        }
        callbacksSinceIo = 0;
        lastIoPoll = System.nanoTime();
    }

    /** Waits up to {@code nanos} for I/O or a thread-safe callback; 0 waits until one arrives. */
    private void waitIo(long nanos) {
        try {
            io.run(nanos);
        } catch (Throwable e) {
            ioFailed(e);
        }
        callbacksSinceIo = 0;
        lastIoPoll = System.nanoTime();
    }

    /**
     * Something escaped Netty's I/O processing: Netty catches what handlers and tasks throw and logs it, so
     * this is almost always that logging failing (a log formatter that cannot open a file once the process is
     * out of descriptors, a handler that throws). It is reported and the loop goes on: one channel's failure
     * must not end every other connection and task of the loop.
     */
    private void ioFailed(Throwable e) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("message", "Unexpected error in the I/O loop (" + transport + ")");
        context.put("exception", e);
        callExceptionHandler(context);
    }

    // ---------------------------------------------------------------- scheduling

    /**
     * Schedules {@code cb} to run on the next iteration, in a copy of the current context; mirrors
     * {@code call_soon}. Callbacks run in the order they were scheduled.
     */
    public Handle callSoon(Runnable cb) {
        return callSoon(cb, null);
    }

    /** Schedules {@code cb} to run in {@code context} (a copy of the current one if {@code null}). */
    public Handle callSoon(Runnable cb, Context context) {
        checkCallback(cb);
        checkOpen();
        checkThread();
        CallbackHandle h = new CallbackHandle(this, cb, context != null ? context : Context.snapshotOfCurrent());
        ready.add(h);
        return h;
    }

    /**
     * Schedules {@code cb} from any thread and wakes the loop; mirrors {@code call_soon_threadsafe}. The
     * callback runs in a copy of the calling thread's current context.
     *
     * @throws IllegalStateException if the loop is closed
     */
    public Handle callSoonThreadsafe(Runnable cb) {
        checkCallback(cb);
        CallbackHandle h = new CallbackHandle(this, cb, Context.copyCurrent());
        executeOnLoopThread(() -> ready.add(h));
        return h;
    }

    /** As {@link #callSoonThreadsafe}, but does nothing once the loop is closed (for late completions). */
    void callSoonThreadsafeIfOpen(Runnable cb) {
        try {
            callSoonThreadsafe(cb);
        } catch (IllegalStateException closedMeanwhile) {
            // Nothing can observe the outcome any more.
        }
    }

    /** Runs {@code r} on the loop thread at its next I/O poll, from any thread. */
    void executeOnLoopThread(Runnable r) {
        if (closed) {
            throw new IllegalStateException("Event loop is closed");
        }
        try {
            io.execute(r);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("Event loop is closed", e);
        }
    }

    // ---------------------------------------------------------------- calling across loops

    /**
     * Starts {@code coro} as a task on this loop, from any thread (a task on another loop, a plain thread), and
     * returns what the caller can wait for: {@link CrossLoopFuture#await()} in a task on any loop (suspends that
     * task), {@link CrossLoopFuture#get()} on a plain thread (blocks). Cancellation crosses both ways (see
     * {@link CrossLoopFuture}). {@link Asyncio#runCoroutineThreadsafe} with an awaitable result.
     *
     * @throws IllegalStateException if the loop is closed
     */
    public <T> CrossLoopFuture<T> submit(Coroutine<T> coro) {
        return new CrossLoopFuture<>(this, Asyncio.startThreadsafe(coro, this));
    }

    /** {@link #submit(Coroutine)} of a coroutine that returns nothing. */
    public CrossLoopFuture<Void> submit(AsyncRunnable coro) {
        return submit(coro.asCoroutine());
    }

    // ---------------------------------------------------------------- signals

    /**
     * Makes {@code callback} this loop's handler of {@code signal}, replacing the one it had; mirrors
     * {@code loop.add_signal_handler}. Each time the process receives the signal, {@code callback} runs on this
     * loop's thread (scheduled as by {@link #callSoonThreadsafe}, in the context current here; an exception it
     * throws goes to the {@linkplain #setExceptionHandler exception handler}). Several loops may handle one signal:
     * each one's callback runs. While any loop handles a signal, neither a {@link Runner} (which cancels its main
     * task on SIGINT and SIGTERM) nor the JVM (which exits on SIGHUP, SIGINT and SIGTERM) acts on it; removing the
     * last handler, or closing the loop, gives the signal back to them.
     *
     * <p>A signal ignored when the JVM started stays ignored for SIGHUP, SIGINT and SIGTERM: the JVM does not let
     * Java code take them back (a shell starts background jobs with SIGINT ignored, {@code nohup} ignores SIGHUP).
     * The handler is registered anyway and a warning is logged; unlike {@code asyncio}, which installs over the
     * ignored disposition. SIGUSR1 and SIGUSR2 are handled even if they were ignored.
     *
     * @throws IllegalStateException if the loop is closed
     */
    public void addSignalHandler(UnixSignal signal, Runnable callback) {
        addSignalHandler(signal.name(), callback);
    }

    /**
     * {@link #addSignalHandler(UnixSignal, Runnable)} for a signal named as {@code "SIGWINCH"} or {@code "WINCH"}.
     *
     * @throws IllegalArgumentException if the name is unknown, or the JVM keeps the signal for itself: on HotSpot
     *                                  SIGQUIT, SIGILL, SIGFPE, SIGSEGV, SIGBUS, SIGPIPE and SIGXFSZ (and SIGKILL
     *                                  and SIGSTOP, which no process can catch), and with {@code -Xrs} also
     *                                  SIGHUP, SIGINT and SIGTERM; the message says why
     * @throws IllegalStateException    if the loop is closed
     */
    public void addSignalHandler(String signal, Runnable callback) {
        checkCallback(callback);
        if (closed) {
            throw new IllegalStateException("Event loop is closed");
        }
        SignalDispatch.addLoopHandler(this, signal, callback);
    }

    /**
     * Removes this loop's handler of {@code signal}; mirrors {@code loop.remove_signal_handler}. Returns whether
     * there was one. The signal goes back to a running {@link Runner}, or to the JVM's handling, if no other loop
     * handles it.
     */
    public boolean removeSignalHandler(UnixSignal signal) {
        return removeSignalHandler(signal.name());
    }

    /** {@link #removeSignalHandler(UnixSignal)} for a signal named as {@code "SIGWINCH"} or {@code "WINCH"}. */
    public boolean removeSignalHandler(String signal) {
        return SignalDispatch.removeLoopHandler(this, signal);
    }

    /** Schedules {@code cb} to run after {@code delaySeconds} of loop time; mirrors {@code call_later}. */
    public TimerHandle callLater(double delaySeconds, Runnable cb) {
        if (Double.isNaN(delaySeconds)) {
            throw new IllegalArgumentException("delay must be a number, got NaN");
        }
        return callAt(time() + delaySeconds, cb);
    }

    /**
     * Schedules {@code cb} to run when the loop clock reaches {@code whenSeconds}; mirrors {@code call_at}.
     * Timers with equal deadlines run in the order they were scheduled.
     */
    public TimerHandle callAt(double whenSeconds, Runnable cb) {
        if (Double.isNaN(whenSeconds)) {
            throw new IllegalArgumentException("when must be a number, got NaN");
        }
        checkCallback(cb);
        checkOpen();
        checkThread();
        return scheduleTimer(whenSeconds, cb, Context.snapshotOfCurrent());
    }

    /** The loop clock in seconds: monotonic real time since the loop was created, or virtual time from 0.0. */
    public double time() {
        return virtualTime ? virtualClock : clockStart + (System.nanoTime() - clockOrigin) * 1e-9;
    }

    /** Whether this loop runs on virtual time. */
    public boolean isVirtualTime() {
        return virtualTime;
    }

    void callSoonInternal(Runnable cb, Context context) {
        ready.add(new CallbackHandle(this, cb, context));
    }

    void scheduleStep(Task<?> task) {
        ready.add(task);
    }

    /** Takes back the step {@link #scheduleStep} just added; only for a suspension that failed. */
    void unscheduleStep(Task<?> task) {
        ready.removeLastOccurrence(task);
    }

    TimerCallbackHandle scheduleTimer(double when, Object target, Context context) {
        TimerCallbackHandle h = new TimerCallbackHandle(this, when, timerSequence++, target, context);
        timers.add(h);
        return h;
    }

    void timerCancelled() {
        cancelledTimers++;
        if (cancelledTimers > MIN_CANCELLED_TIMERS_TO_PURGE && cancelledTimers * 2 > timers.size()) {
            timers.removeIf(t -> {
                if (t.cancelled()) {
                    t.scheduled = false;
                    return true;
                }
                return false;
            });
            cancelledTimers = 0;
        }
    }

    private void dropCancelledTimersAtHead() {
        TimerCallbackHandle t;
        while ((t = timers.peek()) != null && t.cancelled()) {
            timers.poll();
            t.scheduled = false;
            cancelledTimers--;
        }
    }

    private static void checkCallback(Runnable cb) {
        if (cb == null) {
            throw new IllegalArgumentException("callback must not be null");
        }
    }

    // ---------------------------------------------------------------- tasks and futures

    /** Wraps {@code coro} in a task scheduled on this loop; mirrors {@code loop.create_task}. */
    public <T> Task<T> createTask(Coroutine<T> coro) {
        return createTask(coro, null, null);
    }

    public Task<Void> createTask(AsyncRunnable coro) {
        return createTask(coro, null, null);
    }

    public <T> Task<T> createTask(Coroutine<T> coro, String name) {
        return createTask(coro, name, null);
    }

    public Task<Void> createTask(AsyncRunnable coro, String name) {
        return createTask(coro, name, null);
    }

    public Task<Void> createTask(AsyncRunnable coro, String name, Context context) {
        checkOpen();
        checkThread();
        return new Task<>(this, coro, name, context);
    }

    /** A task named {@code name} (or "Task-N" if null) running in {@code context} (or a copy of the current one). */
    public <T> Task<T> createTask(Coroutine<T> coro, String name, Context context) {
        checkOpen();
        checkThread();
        return new Task<>(this, coro, name, context);
    }

    /** A pending future bound to this loop; mirrors {@code loop.create_future}. */
    public <T> Future<T> createFuture() {
        checkThread();
        return new Future<>(this);
    }

    /** The tasks of this loop that are not done, oldest first. */
    public Set<Task<?>> allTasks() {
        Set<Task<?>> all = new LinkedHashSet<>();
        for (Task<?> t = firstPending; t != null; t = t.nextPending) {
            all.add(t);
        }
        return Collections.unmodifiableSet(all);
    }

    // ---------------------------------------------------------------- inspection

    /**
     * This loop's health figures now; see {@link LoopStats}. On the loop's thread (or while the loop is not
     * running); from another thread, {@link TaskDump#request(AsyncLoop)} takes them on the loop's thread.
     */
    public LoopStats stats() {
        checkThread();
        boolean lag = lagInterval > 0;
        return new LoopStats(pendingTasks, ready.size(), timers.size(), slowSteps, openConnections,
                lag ? lastLag : Double.NaN, lag ? maxLag : Double.NaN);
    }

    /**
     * Starts (or, with 0, stops) measuring the loop's lag: a timer every {@code intervalSeconds} of loop time
     * notes how late it runs ({@link LoopStats#lagSeconds()}, and a {@code dev.asyncio.LoopLag} JFR event per
     * tick while a recording has it enabled). While it is on, every step is timed and steps of at least
     * {@link #slowCallbackDuration()} are counted ({@link LoopStats#slowSteps()}), as in debug mode. Off by
     * default: it costs two clock reads per step and a wake-up per interval. On a virtual-time loop the lag is
     * always 0 (the clock only moves when the loop is idle).
     *
     * @throws IllegalArgumentException if {@code intervalSeconds} is negative, NaN or infinite
     */
    public void monitorLag(double intervalSeconds) {
        if (!(intervalSeconds >= 0) || Double.isInfinite(intervalSeconds)) {
            throw new IllegalArgumentException("lag interval must be finite and >= 0, got " + intervalSeconds);
        }
        checkOpen();
        checkThread();
        if (lagTimer != null) {
            lagTimer.cancel();
            lagTimer = null;
        }
        lagInterval = intervalSeconds;
        if (intervalSeconds > 0) {
            lastLag = 0;
            maxLag = 0;
            scheduleLagTick(time() + intervalSeconds);
        } else {
            lastLag = maxLag = Double.NaN;
        }
    }

    private void scheduleLagTick(double when) {
        lagTimer = scheduleTimer(when, (Runnable) () -> lagTick(when), null);
    }

    private void lagTick(double due) {
        double now = time();
        double lag = Math.max(0, now - due);
        lastLag = lag;
        maxLag = Math.max(maxLag, lag);
        if (JfrEvents.LAG.isEnabled()) {
            JfrEvents.LoopLag e = new JfrEvents.LoopLag();
            e.loop = loopName();
            e.lag = (long) (lag * 1e9);
            e.commit();
        }
        scheduleLagTick(now + lagInterval);
    }

    /**
     * Counts {@code channel} among this loop's open connections ({@link LoopStats#openConnections()}) until it
     * closes. The library's TCP and Unix-socket transports call it for every connection they open; a program
     * that registers channels of its own on {@link #ioEventLoop()} may call it for them. Call it on the loop's
     * thread (a channel initializer of a channel registered on this loop runs there).
     */
    public void trackConnection(io.netty.channel.Channel channel) {
        Objects.requireNonNull(channel, "channel");
        openConnections++;
        channel.closeFuture().addListener(f -> openConnections--);
    }

    /** This loop's name in dumps and JFR events: {@code loop-N}, N counting the loops of this JVM from 1. */
    String loopName() {
        return "loop-" + loopId;
    }

    int loopId() {
        return loopId;
    }

    /** The task being stepped on this loop, or {@code null} when a plain callback runs. */
    public Task<?> currentTask() {
        return currentTask;
    }

    int nextTaskId() {
        return ++taskIds;
    }

    void taskCreated(Task<?> t) {
        Task<?> last = lastPending;
        t.previousPending = last;
        if (last == null) {
            firstPending = t;
        } else {
            last.nextPending = t;
        }
        lastPending = t;
        pendingTasks++;
    }

    void taskFinished(Task<?> t) {
        Task<?> prev = t.previousPending;
        Task<?> next = t.nextPending;
        if (prev == null) {
            firstPending = next;
        } else {
            prev.nextPending = next;
        }
        if (next == null) {
            lastPending = prev;
        } else {
            next.previousPending = prev;
        }
        t.previousPending = null;
        t.nextPending = null;
        pendingTasks--;
    }

    // ---------------------------------------------------------------- threads

    /**
     * Runs {@code fn} on {@code executor} (the loop's default executor, one virtual thread per call, if
     * {@code null}) and returns a future completed on this loop with its outcome; mirrors
     * {@code run_in_executor}. Cancelling the future interrupts the thread running {@code fn}.
     *
     * @throws IllegalStateException      if {@code executor} is null and the default executor was shut down
     * @throws RejectedExecutionException if {@code executor} refuses the work (nothing is left pending)
     */
    public <T> Future<T> runInExecutor(Executor executor, Callable<T> fn) {
        Objects.requireNonNull(fn, "fn");
        checkOpen();
        checkThread();
        Future<T> future = new Future<>(this);
        FutureTask<T> work = new FutureTask<>(fn) {
            @Override
            protected void done() {
                callSoonThreadsafeIfOpen(() -> {
                    if (future.done()) {
                        return;
                    }
                    if (isCancelled()) {
                        future.cancel();
                        return;
                    }
                    try {
                        future.setResult(get());
                    } catch (ExecutionException e) {
                        future.setException(e.getCause());
                    } catch (InterruptedException | java.util.concurrent.CancellationException e) {
                        future.cancel();
                    }
                });
            }
        };
        future.addInternalCallback(f -> {
            if (f.cancelled()) {
                work.cancel(true);
            }
        });
        Executor target = executor != null ? executor : defaultExecutor();
        try {
            target.execute(work);
        } catch (RejectedExecutionException e) {
            future.cancel(); // nothing will complete it; also drops the internal interrupt callback's target
            throw e;
        }
        markExternal(future);
        return future;
    }

    private ExecutorService defaultExecutor() {
        if (defaultExecutorShutDown) {
            throw new IllegalStateException("Executor shutdown has been called: the loop's default executor "
                    + "takes no more work (shutdownDefaultExecutor was called)");
        }
        ExecutorService e = defaultExecutor;
        if (e == null) {
            e = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("asyncio-executor-", 0).factory());
            defaultExecutor = e;
        }
        return e;
    }

    /**
     * Tells the loop that {@code future} will be completed from outside (another thread, a callback of a
     * foreign library). On a virtual-time loop, while such a future is pending, the clock advances no faster
     * than real time, so that timeouts around blocking work do not fire before the work had a chance.
     * On a real-time loop this does nothing.
     */
    public void markExternal(Future<?> future) {
        if (!virtualTime || future.done()) {
            return;
        }
        externalPending++;
        future.addInternalCallback(f -> externalPending--);
    }

    /**
     * Shuts the default executor down, then suspends the current task until its threads have finished (at most
     * {@code timeoutSeconds}); mirrors {@code shutdown_default_executor}. Afterwards {@code toThread} and
     * {@code runInExecutor(null, ...)} throw {@link IllegalStateException}.
     *
     * <p>Cancellation: the wait ends with a {@link CancelledError}; the executor stays shut down.
     */
    public void shutdownDefaultExecutor(double timeoutSeconds) {
        defaultExecutorShutDown = true;
        ExecutorService e = defaultExecutor;
        if (e == null) {
            return;
        }
        e.shutdown();
        if (e.isTerminated()) {
            return;
        }
        Future<Void> finished = new Future<>(this);
        markExternal(finished);
        Thread.ofVirtual().name("asyncio-executor-shutdown").start(() -> {
            try {
                long nanos = Double.isInfinite(timeoutSeconds) ? Long.MAX_VALUE : (long) (timeoutSeconds * 1e9);
                if (!e.awaitTermination(nanos, TimeUnit.NANOSECONDS)) {
                    LOG.log(System.Logger.Level.WARNING, "The default executor did not finish joining its threads within {0} seconds", timeoutSeconds);
                }
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            } finally {
                callSoonThreadsafeIfOpen(() -> {
                    if (!finished.done()) {
                        finished.setResult(null);
                    }
                });
            }
        });
        finished.await();
    }

    // ---------------------------------------------------------------- errors

    /** Sets the handler called for errors nobody else can receive; {@code null} restores the default. */
    public void setExceptionHandler(BiConsumer<AsyncLoop, Map<String, Object>> handler) {
        this.exceptionHandler = handler;
    }

    public BiConsumer<AsyncLoop, Map<String, Object>> getExceptionHandler() {
        return exceptionHandler;
    }

    /**
     * Reports an error that has nobody to go to: an exception escaping a callback, a task exception never
     * retrieved, a task destroyed while pending. Keys as in asyncio: {@code message}, {@code exception},
     * {@code future}, {@code task}, {@code handle}, {@code source_traceback}.
     */
    public void callExceptionHandler(Map<String, Object> context) {
        // Reporting must never end the loop: whatever the handler, the logger or a value's toString() throws
        // here (an Error included) is itself reported as asyncio's call_exception_handler does, and, if that
        // fails too, written to System.err as a last resort.
        BiConsumer<AsyncLoop, Map<String, Object>> handler = exceptionHandler;
        if (handler == null) {
            try {
                defaultExceptionHandler(context);
            } catch (Throwable t) {
                reportingFailed("Exception in default exception handler", context, t);
            }
            return;
        }
        try {
            handler.accept(this, context);
        } catch (Throwable t) {
            try {
                Map<String, Object> failure = new LinkedHashMap<>();
                failure.put("message", "Unhandled error in exception handler");
                failure.put("exception", t);
                failure.put("context", context);
                defaultExceptionHandler(failure);
            } catch (Throwable t2) {
                reportingFailed("Exception in default exception handler while handling an unexpected error in "
                        + "custom exception handler", context, t2);
            }
        }
    }

    /** The last resort when the exception handler and the logger both failed: System.err, never throwing. */
    private static void reportingFailed(String what, Map<String, Object> context, Throwable t) {
        try {
            Object message = context.get("message");
            System.err.println("dev.asyncio: " + what + (message != null ? ", reporting: " + message : ""));
            t.printStackTrace();
            if (context.get("exception") instanceof Throwable original && original != t) {
                System.err.print("The error being reported: ");
                original.printStackTrace();
            }
        } catch (Throwable ignored) {
            // Nothing is left to report to; the loop must go on.
        }
    }

    /** Logs {@code context} to the {@code dev.asyncio} logger at ERROR level; the default handler. */
    public void defaultExceptionHandler(Map<String, Object> context) {
        StringBuilder sb = new StringBuilder(String.valueOf(context.getOrDefault("message", "Unhandled exception in event loop")));
        for (Map.Entry<String, Object> e : context.entrySet()) {
            if (!e.getKey().equals("message") && !e.getKey().equals("exception")) {
                sb.append("\n").append(e.getKey()).append(": ").append(e.getValue());
            }
        }
        Object exc = context.get("exception");
        if (exc instanceof Throwable t) {
            LOG.log(System.Logger.Level.ERROR, sb.toString(), t);
        } else {
            LOG.log(System.Logger.Level.ERROR, sb.toString());
        }
    }

    void trackSubmission(java.util.concurrent.CompletableFuture<?> f) {
        submissions.add(f);
    }

    void untrackSubmission(java.util.concurrent.CompletableFuture<?> f) {
        submissions.remove(f);
    }

    void trackUnretrieved(UnretrievedFailure u) {
        unretrieved.add(u);
    }

    void untrackUnretrieved(UnretrievedFailure u) {
        unretrieved.remove(u);
    }

    // ---------------------------------------------------------------- debug

    public void setDebug(boolean on) {
        this.debug = on;
    }

    public boolean getDebug() {
        return debug;
    }

    /** In debug mode, a step or callback that runs longer than this is logged as a warning. */
    public double slowCallbackDuration() {
        return slowCallbackDuration;
    }

    public void setSlowCallbackDuration(double seconds) {
        if (!(seconds >= 0)) {
            throw new IllegalArgumentException("slow callback duration must be >= 0, got " + seconds);
        }
        this.slowCallbackDuration = seconds;
    }

    /**
     * Whether a task suspending at {@code site} should have its held monitors checked now. The check is a
     * JMX thread dump of the loop thread (tens of microseconds), so it runs the first time each site suspends
     * and every {@value #MONITOR_CHECK_EVERY}th time after: an await inside a {@code synchronized} block is
     * caught the first time it runs.
     */
    boolean monitorCheckDue(StackTraceElement site) {
        int[] count = suspensionSites.computeIfAbsent(site == null ? NO_SITE : site, k -> new int[1]);
        return count[0]++ % MONITOR_CHECK_EVERY == 0;
    }

    private static final StackTraceElement NO_SITE = new StackTraceElement("?", "?", null, -1);

    /** Whether the caller may touch loop-owned state: on the loop's thread, or the loop is not running. */
    boolean isLoopThreadOrIdle() {
        Thread running = runningThread;
        return running == null || running == Thread.currentThread() || runsForThisLoop();
    }

    /**
     * Thread engine: whether the calling thread runs for this loop while the loop runs (its host thread, a
     * task's or a generator's), which is what "the loop's thread" means there.
     */
    private boolean runsForThisLoop() {
        return Engine.ON_THREADS && ThreadState.current().runningLoop == this;
    }

    /**
     * Throws if a thread other than the one running the loop calls: loop-owned objects are not thread-safe.
     * Does nothing while the loop is not running.
     */
    void checkThread() {
        Thread running = runningThread;
        if (running != null && running != Thread.currentThread() && !runsForThisLoop()) {
            throw new IllegalStateException("Non-thread-safe operation invoked on an event loop from thread '"
                    + Thread.currentThread().getName() + "'; the loop runs on '" + running.getName()
                    + "'. Use callSoonThreadsafe or runCoroutineThreadsafe from other threads.");
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("Event loop is closed");
        }
    }

    private void checkNotRunning() {
        if (isRunning()) {
            throw new IllegalStateException("This event loop is already running");
        }
    }

    // ---------------------------------------------------------------- Netty and closing

    /** The Netty event loop under this loop: channels registered on it share the loop's thread with the tasks. */
    public IoEventLoop ioEventLoop() {
        return channelLoop;
    }

    /** The Netty backend of this loop. */
    public IoTransport transport() {
        return transport;
    }

    /**
     * Closes the loop: closes what other modules left open on it (a child process still open is killed and
     * reaped), reports tasks still pending and exceptions never retrieved, drops pending callbacks, cancels
     * coroutines submitted from other threads that never ran, shuts the default executor down without waiting,
     * closes the channels still registered and releases the selector. Idempotent.
     *
     * <p>Tasks still pending are not unwound: their {@code finally} blocks do not run. To stop them in order
     * (cancel, let them clean up, then close), use {@link Runner} or {@link Asyncio#run}, which do that.
     *
     * <p>Any thread may close a loop that is not running; the thread that ran it need not be running: the
     * closing thread then closes the loop's channels itself. Except on {@link IoTransport#IO_URING}, whose ring
     * takes work from the thread that ran the loop only: close such a loop on that thread.
     *
     * @throws IllegalStateException if the loop is running, or it is an io_uring loop run by another thread
     */
    @Override
    public void close() {
        checkNotRunning();
        if (closed) {
            return;
        }
        checkRingThread();
        runCloseHooks();
        closed = true;
        SignalDispatch.removeAll(this); // as asyncio's close(): the signals go back to the runner or the JVM
        Inspection.unregister(this);
        List<Task<?>> destroyed = new ArrayList<>();
        for (Task<?> t = firstPending; t != null; t = t.nextPending) {
            destroyed.add(t);
        }
        shutdownIo();
        if (host != null) {
            host.close();
        }
        for (java.util.concurrent.CompletableFuture<?> f : submissions) {
            f.cancel(false); // a coroutine submitted from another thread that the loop never ran
        }
        submissions.clear();
        for (Task<?> t : destroyed) {
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("message", "Task was destroyed but it is pending!");
            context.put("task", t);
            if (t.creationStack() != null) {
                context.put("source_traceback", List.of(t.creationStack()));
            }
            callExceptionHandler(context);
        }
        for (Task<?> t : destroyed) {
            t.discardFiber();
        }
        for (UnretrievedFailure u : new ArrayList<>(unretrieved)) {
            u.reportIfUnsettled();
        }
        unretrieved.clear();
        ready.clear();
        timers.clear();
        firstPending = lastPending = null;
        pendingTasks = 0;
        ExecutorService e = defaultExecutor;
        if (e != null) {
            e.shutdown();
        }
    }

    /**
     * io_uring: Netty registers the ring with the thread that created it (the one that ran the loop), and the
     * kernel refuses {@code io_uring_enter} from any other ({@code EBADF}): neither the channels' closes nor the
     * ring's own teardown can be done from another thread. Refused before anything is closed, so that the loop
     * can still be closed on its thread.
     */
    private void checkRingThread() {
        if (transport == IoTransport.IO_URING && host == null && owner != null && owner != Thread.currentThread()) {
            throw new IllegalStateException("An io_uring loop must be closed on the thread that ran it ('"
                    + owner.getName() + "'), not on '" + Thread.currentThread().getName() + "': the kernel takes "
                    + "work for its ring from that thread only, so its sockets could not be closed from here");
        }
    }

    private Runnable addCloseHook(Runnable hook) {
        checkThread();
        checkOpen();
        Object key = new Object(); // the same hook added twice is two registrations
        closeHooks.put(key, Objects.requireNonNull(hook, "hook"));
        return () -> closeHooks.remove(key);
    }

    /** Runs what other modules left to close ({@code LoopCloseHooks}); a failure is reported, the rest still run. */
    private void runCloseHooks() {
        while (!closeHooks.isEmpty()) {
            Object key = closeHooks.keySet().iterator().next();
            Runnable hook = closeHooks.remove(key);
            try {
                hook.run();
            } catch (RuntimeException failure) {
                reportCloseFailure(hook, failure);
            }
        }
    }

    private void shutdownIo() {
        if (host != null && host.thread() != null) {
            host.run(this::shutdownIoHere); // the host owns the Netty event loop
            return;
        }
        shutdownIoHere();
    }

    private void shutdownIoHere() {
        Thread me = Thread.currentThread();
        if (!io.inEventLoop() && owner == null) {
            owner = me;
            io.setOwningThread(me);
        }
        if (io.inEventLoop()) {
            closeChannels(this::waitIo);
            io.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            while (!io.isTerminated()) {
                io.runNow();
            }
        } else {
            // The owning thread is not running the loop (it returned from runForever) and cannot be asked to: the
            // closing thread stands in for it (ClosingIoHandler), closes the channels and releases the selector.
            ioHandler.asCloser(() -> closeChannels(ioHandler::pollAsCloser));
            io.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            ioHandler.destroy();
        }
    }

    /**
     * How long (real time) close() runs the I/O handler for channels' closes to complete: a safety bound.
     * Package-private and not final for tests only; 5 seconds.
     */
    static volatile long closeWaitNanos = TimeUnit.SECONDS.toNanos(5);

    /**
     * Closes every channel still registered on the loop and runs the I/O handler ({@code waitIo}: wait up to so
     * many nanoseconds for I/O and process it) until their closes have completed, before Netty destroys the
     * handler: on io_uring a close completes on a later ring iteration, and one still in flight when the ring is
     * torn down never closes the socket (see {@link ClosingIoHandler}). On NIO and epoll the closes complete at
     * once and this does not wait. The wait is bounded ({@link #closeWaitNanos}, 5 seconds): channels still
     * closing then are reported to the exception handler, named, and the loop closes anyway, as asyncio reports
     * what it cannot clean up instead of failing the close.
     */
    private void closeChannels(java.util.function.LongConsumer waitIo) {
        ioHandler.closeAll();
        long deadline = System.nanoTime() + closeWaitNanos;
        while (ioHandler.anyRegistered()) {
            if (System.nanoTime() - deadline > 0) {
                List<String> stuck = ioHandler.registeredHandles();
                Map<String, Object> context = new LinkedHashMap<>();
                context.put("message", stuck.size() + " channel(s) still closing " + closeWaitNanos / 1_000_000
                        + " ms after the loop began to close (" + transport + "); their sockets may stay open: "
                        + String.join(", ", stuck));
                context.put("channels", stuck);
                callExceptionHandler(context);
                return;
            }
            waitIo.accept(CLOSE_POLL_NANOS);
        }
    }

    void reportCloseFailure(Object handle, Throwable failure) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("message", "Closing " + handle + " failed while the loop closed");
        context.put("exception", failure);
        callExceptionHandler(context);
    }

    @Override
    public String toString() {
        return "<AsyncLoop " + (closed ? "closed" : isRunning() ? "running" : "idle") + " " + transport
                + (virtualTime ? " virtual-time" : "") + (debug ? " debug" : "") + " ready=" + ready.size()
                + " timers=" + timers.size() + " tasks=" + pendingTasks + ">";
    }

    /** Configures a loop: {@code AsyncLoop.builder().virtualTime(true).debug(true).build()}. */
    public static final class Builder {
        private boolean virtualTime;
        private boolean debug = Boolean.getBoolean("dev.asyncio.debug");
        private IoTransport transport = IoTransport.NIO;
        private double slowCallbackDuration = 0.1;
        private double startTime;
        private boolean onCallingThread;

        private Builder() {
        }

        /**
         * Thread engine: run the loop on the thread that calls {@code runForever} instead of a virtual host thread
         * of its own. For {@link LoopGroup}, whose loops have platform threads: a host waiting for I/O in the
         * selector's native call pins a carrier of the virtual-thread scheduler, and more loops than carriers
         * would starve one another. No effect on the continuation engine.
         */
        Builder onCallingThread(boolean on) {
            this.onCallingThread = on;
            return this;
        }

        /**
         * Where the clock starts (0.0 by default): for tests of a clock that has run for a long time, where
         * adding a small delay to it is rounded away. Not public: a program has no use for it.
         */
        Builder startTime(double seconds) {
            if (!(seconds >= 0) || Double.isInfinite(seconds)) {
                throw new IllegalArgumentException("start time must be finite and >= 0, got " + seconds);
            }
            this.startTime = seconds;
            return this;
        }

        /** Virtual time: the clock starts at 0.0 and jumps to the next timer whenever the loop is idle. */
        public Builder virtualTime(boolean on) {
            this.virtualTime = on;
            return this;
        }

        /** Debug mode: slow-step warnings, creation stacks, monitor checks at suspension. */
        public Builder debug(boolean on) {
            this.debug = on;
            return this;
        }

        /** The Netty backend; NIO by default. */
        public Builder transport(IoTransport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** In debug mode, steps longer than this (seconds, default 0.1) are logged. */
        public Builder slowCallbackDuration(double seconds) {
            if (!(seconds >= 0)) {
                throw new IllegalArgumentException("slow callback duration must be >= 0, got " + seconds);
            }
            this.slowCallbackDuration = seconds;
            return this;
        }

        /**
         * @throws IllegalStateException if the JVM lacks the continuation flag or the transport is unavailable
         */
        public AsyncLoop build() {
            return new AsyncLoop(this);
        }
    }
}
