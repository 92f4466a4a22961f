package dev.asyncio;

import dev.asyncio.internal.Engine;
import dev.asyncio.internal.Fiber;
import dev.asyncio.internal.TaskNaming;

/**
 * A coroutine running on a loop, and the future of its result; mirrors {@code asyncio.Task}.
 *
 * <pre>{@code
 * Task<Integer> t = Asyncio.createTask(() -> { Asyncio.sleep(1); return 42; }, "answer");
 * int v = t.await();                   // suspends the current task until t is done
 * }</pre>
 *
 * <p>A task owns a one-shot continuation (on the thread engine, a virtual thread of its own; see
 * {@link AsyncLoop#engine()}). Creating it schedules its first step; from then on it runs for its loop, one
 * step at a time, between suspension points, never at the same time as the loop or another of its tasks.
 * The loop holds a strong reference to every task until it is done, so a task that nobody references still
 * runs to completion (asyncio's "keep a reference to your tasks" trap does not exist here).
 *
 * <p>Engines: on the continuation engine a task's code runs on the loop's thread and shares its thread
 * locals and interrupt status with the other tasks; on the thread engine {@code Thread.currentThread()},
 * thread locals and the interrupt status are the task's own, and an exception's stack trace ends at the
 * task's thread instead of going on into the loop's frames (docs/design.md, "Engines: what differs").
 *
 * <p>{@link #cancel(String)} asks the task to stop: a {@link CancelledError} is thrown into the coroutine at
 * the suspension point where it waits, or at its next one if it is running or about to be stepped. If it
 * waits on a future, that future is cancelled too. The coroutine may catch the error to clean up; if it
 * swallows it, the task goes on and is not cancelled. {@link #cancelling()} counts the requests and
 * {@link #uncancel()} withdraws one, as in Python 3.13.
 *
 * @param <T> the result type
 */
public final class Task<T> extends Future<T> {
    /** {@link #waiter} of a task in {@code sleep(inf)}: nothing but a cancellation wakes it. */
    private static final Object SLEEPING_FOREVER = new Object();
    /** What {@code sleep(0)} and a sleep entered with a cancellation pending await, for error messages only. */
    private static final String SLEEP_ZERO = "sleep(0)";
    private static final String SLEEP_CANCELLED = "a sleep with a cancellation pending";

    /** The body: a {@link Coroutine} or an {@link AsyncRunnable} (run directly, without an adapter frame). */
    private final Object coro;
    private final Fiber fiber;
    private final int id;
    private String name;
    /** The context to swap in on the next step: the task's own, or one entered with {@link Context#run}. */
    private Context context;
    /**
     * What the suspended task waits for: the awaited {@link Future}, the timer of a sleep, or
     * {@link #SLEEPING_FOREVER}; {@code null} while running, scheduled, or yielding with {@code sleep(0)}.
     */
    private Object waiter;
    private int cancelsRequested;
    /** A cancellation requested and not yet delivered; its message is in {@code cancelMessage}. */
    private boolean mustCancel;
    /** A sleep woken by {@link #cancel}: like a cancelled future, it throws whatever uncancel() does. */
    private boolean sleepCancelled;
    /** Neighbours in the loop's list of pending tasks. */
    Task<?> previousPending;
    Task<?> nextPending;
    /** Debug mode only: where the task was created and where it last suspended; {@code null} otherwise. */
    private DebugInfo debug;
    /** The JFR event of this task's life, begun at creation while a recording has it enabled; else {@code null}. */
    private JfrEvents.TaskLifetime lifetime;

    Task(AsyncLoop loop, Object coro, String name, Context context) {
        super(loop);
        if (!(coro instanceof Coroutine<?> || coro instanceof AsyncRunnable)) {
            throw new IllegalArgumentException("a task needs a coroutine, got " + coro);
        }
        this.coro = coro;
        this.name = name;
        this.context = context != null ? context : Context.snapshotOfCurrent();
        this.id = loop.nextTaskId();
        if (loop.getDebug()) {
            debug = new DebugInfo(Debugging.callerStack());
        }
        this.fiber = Fiber.task(new Body());
        if (JfrEvents.TASK_LIFETIME.isEnabled()) {
            lifetime = new JfrEvents.TaskLifetime();
            lifetime.begin();
        }
        loop.taskCreated(this);
        loop.scheduleStep(this);
    }

    /** What debug mode records about a task. */
    private static final class DebugInfo {
        final StackTraceElement[] creationStack;
        StackTraceElement suspendedAt;

        DebugInfo(StackTraceElement[] creationStack) {
            this.creationStack = creationStack;
        }
    }

    /**
     * The task running on this thread.
     *
     * @param what what the caller wanted to do, for the error message
     * @throws IllegalStateException if the current code does not run in a task
     */
    static Task<?> current(String what) {
        AsyncLoop loop = ThreadState.current().runningLoop;
        Task<?> t = loop == null ? null : loop.currentTask;
        if (t == null) {
            throw new IllegalStateException("Cannot " + what + " outside a task: suspending methods must be called "
                    + "from a coroutine running in a task (Asyncio.run, createTask, TaskGroup)"
                    + (loop == null ? "; no event loop is running on this thread" : ""));
        }
        return t;
    }

    /**
     * The task's name; "Task-N" unless one was given (or, for a task created with no name over a body that
     * names its task, such as a server connection's handler, the name the body gives).
     */
    public String getName() {
        String n = name;
        if (n != null) {
            return n;
        }
        return coro instanceof TaskNaming body ? body.taskName() : "Task-" + id;
    }

    public void setName(String name) {
        if (name == null) {
            throw new IllegalArgumentException("task name must not be null");
        }
        this.name = name;
    }

    /** The body this task runs: the {@link Coroutine} or {@link AsyncRunnable} it was created with. */
    public Object getCoro() {
        return coro;
    }

    /** The context the task runs in (its own copy, or the one given at creation). */
    public Context getContext() {
        if (loop.currentTask == this) {
            return Context.writable(loop.threadState); // while it runs, the thread holds the live one
        }
        if (context.isFrozen()) {
            context = context.copy(); // the shared snapshot must not escape: whoever runs in it would write into it
        }
        return context;
    }

    /**
     * Where the task is suspended, innermost frame first; empty when it is done, not yet started, or this
     * is called from the task itself. Mirrors {@code Task.get_stack()}.
     */
    public StackTraceElement[] getStack() {
        if (done() || loop.currentTask == this) {
            return new StackTraceElement[0];
        }
        return fiber.stackTrace();
    }

    /** Tasks do not support this: the coroutine's outcome is the result. */
    @Override
    public void setResult(T value) {
        throw new IllegalStateException("Task does not support setResult()");
    }

    /** Tasks do not support this: the coroutine's outcome is the result. */
    @Override
    public void setException(Throwable t) {
        throw new IllegalStateException("Task does not support setException()");
    }

    /**
     * Requests cancellation: a {@link CancelledError} with message {@code msg} is thrown into the coroutine
     * at its current or next suspension point. Cancels the future the task awaits, if any.
     *
     * @return {@code false} if the task is already done
     */
    @Override
    public boolean cancel(String msg) {
        loop.checkThread();
        if (done()) {
            return false;
        }
        cancelsRequested++;
        Object w = waiter;
        if (w instanceof Future<?> awaited) {
            if (awaited.cancel(msg)) {
                // The wake-up comes through the awaited future; keep it as the waiter in case it is a task that
                // swallows the cancellation and must be cancelled again.
                return true;
            }
        } else if (w != null) {
            // A sleep is asyncio's cancelled sleep future: the cancellation is delivered, uncancel() cannot undo it.
            if (w instanceof TimerCallbackHandle timer) {
                timer.cancel();
            }
            waiter = null;
            sleepCancelled = true;
            setCancelMessage(msg);
            loop.scheduleStep(this);
            return true;
        }
        mustCancel = true;
        setCancelMessage(msg);
        return true;
    }

    /** How many cancellation requests are pending: {@code cancel()} calls minus {@link #uncancel()} calls. */
    public int cancelling() {
        return cancelsRequested;
    }

    /**
     * Withdraws one cancellation request; when none is left, a cancellation not yet delivered is dropped.
     * Used by code that catches a {@link CancelledError} it caused itself (timeouts, task groups).
     *
     * @return the number of requests left
     */
    public int uncancel() {
        if (cancelsRequested > 0) {
            cancelsRequested--;
            if (cancelsRequested == 0) {
                mustCancel = false;
            }
        }
        return cancelsRequested;
    }

    // ---------------------------------------------------------------- stepping (loop side)

    /** Runs the coroutine until its next suspension; called from the ready queue only. */
    void step() {
        if (done()) {
            return;
        }
        ThreadState thread = loop.threadState;
        Context outer = thread.context;
        thread.context = context;
        loop.currentTask = this;
        try {
            fiber.step();
        } finally {
            loop.currentTask = null;
            context = thread.context;
            thread.context = outer;
        }
    }

    /**
     * The continuation's body: runs the coroutine and completes the task with its outcome. The task's code
     * itself rather than a lambda calling a method of the task: a suspended task keeps every frame between its
     * entry and its suspension point (in the continuation's stack chunk, for as long as it waits), and a lambda
     * is one frame more (about 100 bytes while the code is interpreted).
     */
    private final class Body implements Runnable {
        @Override
        @SuppressWarnings("unchecked")
        public void run() {
            if (Engine.ON_THREADS) {
                ThreadState.adopt(loop.threadState); // this task's own thread acts as the loop's
            }
            T value;
            try {
                throwIfCancelRequested();
                if (coro instanceof Coroutine<?> c) {
                    value = (T) c.call();
                } else {
                    ((AsyncRunnable) coro).run();
                    value = null;
                }
            } catch (CancelledError e) {
                finish(null, null, e);
                return;
            } catch (Throwable e) {
                if (Fiber.isDiscardUnwinding(e)) {
                    throw (Error) e;
                }
                finish(null, e, null);
                return;
            }
            if (mustCancel) {
                // Cancelled right before the coroutine returned.
                mustCancel = false;
                finish(null, null, new CancelledError(cancelMessage()));
            } else {
                finish(value, null, null);
            }
        }
    }

    /** Whether {@code e} is the frame of a task's body, the first frame of the task's own code on its stack. */
    static boolean isBodyFrame(StackTraceElement e) {
        return e.getClassName().equals(Task.class.getName() + "$Body") && e.getMethodName().equals("run");
    }

    /** Thread engine: the thread running this task's code now (or last); {@code null} on the continuation engine. */
    Thread runningThread() {
        return fiber.runningThread();
    }

    /** The loop closed while this task was pending: let go of its fiber (see {@link Fiber#discard()}). */
    void discardFiber() {
        fiber.discard();
    }

    private void finish(T value, Throwable failure, CancelledError cancelled) {
        loop.taskFinished(this);
        JfrEvents.TaskLifetime event = lifetime;
        if (event != null) {
            lifetime = null;
            event.end();
            if (event.shouldCommit()) {
                event.loop = loop.loopName();
                event.taskId = id;
                event.name = getName();
                event.outcome = cancelled != null ? "cancelled" : failure != null ? "failed" : "finished";
                event.commit();
            }
        }
        if (cancelled != null) {
            setCancelledError(cancelled);
            cancelInternal(cancelled.getMessage());
        } else if (failure != null) {
            setExceptionInternal(failure);
        } else {
            setResultInternal(value);
        }
    }

    // ---------------------------------------------------------------- suspending (task side)

    /** Suspends until {@code fut} is done; the caller then reads its outcome. See {@link Future#await()}. */
    void awaitFuture(Future<?> fut) {
        if (fut == this) {
            throw new IllegalStateException("Task cannot await on itself: " + this);
        }
        if (fut.loop != loop) {
            throw new IllegalStateException(this + " got " + fut + " attached to a different loop");
        }
        fut.addWaiter(this);
        waiter = fut;
        if (mustCancel && fut.cancel(cancelMessage())) {
            mustCancel = false;
        }
        try {
            // suspend(fut), one frame less: every frame between the task's entry and here is kept, in the
            // continuation's stack chunk, for as long as the task waits (an idle connection's reader waits here).
            if (debug != null) {
                noteSuspension(fut);
            }
            Fiber.suspendTask(fut);
        } catch (IllegalStateException pinned) {
            fut.removeWaiter(this);
            waiter = null;
            throw pinned;
        }
        waiter = null;
        throwIfCancelRequested();
    }

    /** Suspends for {@code seconds} of loop time; see {@link Asyncio#sleep(double)}. */
    void sleep(double seconds) {
        if (seconds <= 0 || mustCancel) {
            yieldOnce(seconds <= 0 ? SLEEP_ZERO : SLEEP_CANCELLED);
            return;
        }
        if (seconds == Double.POSITIVE_INFINITY) {
            waiter = SLEEPING_FOREVER;
            try {
                suspend("sleep(inf)");
            } finally {
                waiter = null;
            }
        } else {
            TimerCallbackHandle timer = loop.scheduleTimer(loop.time() + seconds, this, null);
            waiter = timer;
            try {
                suspend(timer);
            } catch (IllegalStateException pinned) {
                timer.cancel();
                throw pinned;
            } finally {
                waiter = null;
            }
        }
        if (sleepCancelled) {
            // One CancelledError answers both the sleep's cancellation and any request made since (asyncio's
            // __step clears _must_cancel when it throws); the message is the latest request's.
            sleepCancelled = false;
            mustCancel = false;
            throw new CancelledError(cancelMessage());
        }
        throwIfCancelRequested();
    }

    /** Lets every other ready callback run once, then continues; {@code sleep(0)}. */
    private void yieldOnce(Object what) {
        loop.scheduleStep(this);
        try {
            suspend(what);
        } catch (IllegalStateException pinned) {
            loop.unscheduleStep(this);
            throw pinned;
        }
        throwIfCancelRequested();
    }

    private void suspend(Object awaiting) {
        if (debug != null) {
            noteSuspension(awaiting);
        }
        Fiber.suspendTask(awaiting);
    }

    /** Debug mode, before a suspension: records where, and refuses one the engine cannot undo cleanly. */
    private void noteSuspension(Object awaiting) {
        StackTraceElement site = Debugging.callerFrame();
        debug.suspendedAt = site;
        if (Engine.ON_THREADS) {
            Debugging.checkNotInClassInitializer(awaiting);
        } else if (loop.monitorCheckDue(site)) {
            Debugging.checkNoMonitorHeld(loop, this, awaiting);
        }
    }

    private void throwIfCancelRequested() {
        if (mustCancel) {
            mustCancel = false;
            throw new CancelledError(cancelMessage());
        }
    }

    // ---------------------------------------------------------------- debug and display

    /** The number in this task's default name: 1 for the loop's first task. */
    int id() {
        return id;
    }

    /**
     * What the suspended task waits for (a {@link Future}, a sleep's {@link TimerCallbackHandle}, or a marker of
     * {@code sleep(inf)}), or {@code null}; for {@link TaskDump}.
     */
    Object waiter() {
        return waiter;
    }

    /** Whether this waiter object is the marker of {@code sleep(inf)}. */
    static boolean isSleepingForever(Object waiter) {
        return waiter == SLEEPING_FOREVER;
    }

    /** Whether a cancellation was requested and not yet delivered. */
    boolean cancelPending() {
        return mustCancel;
    }

    /** Debug mode only: where the task was created, or {@code null}. */
    StackTraceElement[] creationStack() {
        return debug == null ? null : debug.creationStack;
    }

    /** Debug mode only: the frame of user code where the task last suspended, or {@code null}. */
    StackTraceElement suspendedAt() {
        return debug == null ? null : debug.suspendedAt;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<Task ");
        sb.append(done() ? (cancelled() ? "cancelled" : "finished") : (mustCancel ? "cancelling" : "pending"));
        sb.append(" name='").append(getName()).append('\'');
        appendOutcome(sb);
        Object w = waiter;
        if (w instanceof Future<?> f) {
            sb.append(" wait_for=").append(f.getClass().getSimpleName());
        } else if (w != null) {
            sb.append(" sleeping");
        }
        return sb.append('>').toString();
    }
}
