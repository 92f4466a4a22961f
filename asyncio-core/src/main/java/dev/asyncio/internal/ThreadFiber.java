package dev.asyncio.internal;

import java.util.Arrays;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The thread engine's fiber: a body on a virtual thread of its own, handed control by whoever steps it and
 * handing it back when it suspends or ends, so that exactly one of them runs at a time. Public API only:
 * a hand-off is a volatile write, an {@link LockSupport#unpark unpark} of the other thread and a
 * {@link LockSupport#park park} of this one. Everything one side wrote before the hand-off is visible to the
 * other after it (the volatile {@code fiberTurn} orders it), so the loop's plain fields can be shared.
 *
 * <p>Nesting: a generator stepped by a thread that runs for a task remembers that task; a task suspension
 * from inside the generator parks the generator's thread (the task's own thread stays parked in the
 * generator's step) and records it as the thread to wake when the task is stepped again.
 *
 * <p>Interrupts: a driver interrupted while it waits for a step passes the interrupt on to the thread that
 * runs the step (so interrupting the thread that runs a loop interrupts the code running on it, as on the
 * continuation engine); a fiber thread interrupted while suspended keeps its interrupt status for when it
 * runs again.
 */
final class ThreadFiber implements Fiber {
    static final int TASK = 0;
    static final int GENERATOR = 1;
    static final int HOST = 2;

    /** The fiber whose body runs on this thread (set once on each fiber thread). */
    private static final ThreadLocal<ThreadFiber> CURRENT = new ThreadLocal<>();
    private static final ThreadFactory[] THREADS = {factory("asyncio-task"), factory("asyncio-generator"), factory("asyncio-loop")};

    private final Runnable body;
    private final int kind;
    /** The fiber's virtual thread, from its first step until it ends. */
    private Thread thread;
    /** The thread to wake on the next step: {@link #thread}, or the generator thread a task suspended in. */
    private Thread resume;
    /** The thread that stepped this fiber and waits for it. */
    private Thread driver;
    /** Generators: the task fiber the driver runs for, whose suspension this generator's body may request. */
    private ThreadFiber outerTask;
    /** Whose turn it is: the fiber's ({@code true}) or its driver's. The one volatile of a hand-off. */
    private volatile boolean fiberTurn;
    private boolean done;
    private boolean discarded;
    /** What escaped the body (bodies catch their own failures; this is the engine failing). */
    private Throwable crash;

    ThreadFiber(Runnable body, int kind) {
        this.body = body;
        this.kind = kind;
    }

    private static ThreadFactory factory(String name) {
        return Thread.ofVirtual().name(name).inheritInheritableThreadLocals(false).factory();
    }

    @Override
    public boolean step() {
        if (done) {
            throw new IllegalStateException("the fiber has finished");
        }
        driver = Thread.currentThread();
        if (kind == GENERATOR) {
            ThreadFiber here = CURRENT.get();
            outerTask = here == null ? null : here.kind == TASK ? here : here.outerTask;
        }
        Thread target = resume;
        if (target == null) {
            target = THREADS[kind].newThread(this::run);
            thread = target;
            resume = target;
            fiberTurn = true;
            target.start();
        } else {
            fiberTurn = true;
            LockSupport.unpark(target);
        }
        while (fiberTurn) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                Thread running = resume;
                if (running != null) {
                    running.interrupt();
                }
            }
        }
        if (!done) {
            return false;
        }
        thread = null;
        resume = null;
        driver = null;
        outerTask = null;
        Throwable c = crash;
        if (c != null) {
            crash = null;
            throw Sneaky.rethrow(c);
        }
        return true;
    }

    /** The fiber thread's body. */
    private void run() {
        CURRENT.set(this);
        try {
            if (!discarded) {
                body.run();
            }
        } catch (FiberDiscarded unwound) {
            // discard(): the stack is unwound, nobody waits for an outcome
        } catch (Throwable t) {
            crash = t;
        }
        done = true;
        Thread d = driver;
        fiberTurn = false;
        LockSupport.unpark(d);
    }

    /** Hands control back to {@code f}'s driver from the calling thread (which runs for {@code f}) and waits. */
    static void suspend(ThreadFiber f) {
        if (f.discarded) {
            throw new FiberDiscarded();
        }
        Thread me = Thread.currentThread();
        f.resume = me;
        Thread d = f.driver;
        f.fiberTurn = false;
        LockSupport.unpark(d);
        boolean interrupted = false;
        while (!f.fiberTurn) {
            LockSupport.park(f);
            if (Thread.interrupted()) {
                interrupted = true;
            }
        }
        if (interrupted) {
            me.interrupt();
        }
        if (f.discarded) {
            throw new FiberDiscarded();
        }
    }

    /** The fiber whose body runs on the calling thread, or {@code null}. */
    static ThreadFiber current() {
        return CURRENT.get();
    }

    static void suspendTask(Object awaiting) {
        ThreadFiber here = CURRENT.get();
        ThreadFiber task = here == null ? null : here.kind == TASK ? here : here.outerTask;
        if (task == null) {
            throw new IllegalStateException("Cannot suspend while awaiting " + awaiting + ": the calling thread '"
                    + Thread.currentThread().getName() + "' does not run a task");
        }
        suspend(task);
    }

    static void suspendGenerator() {
        ThreadFiber here = CURRENT.get();
        if (here == null || here.kind != GENERATOR) {
            throw new IllegalStateException("Cannot suspend a generator: the calling thread '"
                    + Thread.currentThread().getName() + "' does not run a generator body");
        }
        suspend(here);
    }

    /** Suspends the host fiber running on the calling thread. */
    void suspendSelf() {
        suspend(this);
    }

    @Override
    public Thread runningThread() {
        return resume;
    }

    boolean isStarted() {
        return thread != null;
    }

    @Override
    public boolean isDone() {
        return done;
    }

    @Override
    public StackTraceElement[] stackTrace() {
        Thread own = thread;
        Thread inner = resume;
        if (done || own == null || fiberTurn) {
            return new StackTraceElement[0];
        }
        StackTraceElement[] mine = trimmed(own.getStackTrace());
        if (inner == null || inner == own) {
            return mine;
        }
        // suspended inside a generator's body: its frames first, as in one nested stack
        return Stream.concat(Arrays.stream(trimmed(inner.getStackTrace())), Arrays.stream(mine))
                .toArray(StackTraceElement[]::new);
    }

    /** Without the JDK's parking frames on top: the trace starts in this library's suspension code. */
    private static StackTraceElement[] trimmed(StackTraceElement[] trace) {
        int i = 0;
        while (i < trace.length && (trace[i].getClassName().startsWith("java.") || trace[i].getClassName().startsWith("jdk."))) {
            i++;
        }
        return Arrays.copyOfRange(trace, i, trace.length);
    }

    @Override
    public boolean isCurrentGenerator() {
        return kind == GENERATOR && thread == Thread.currentThread();
    }

    @Override
    public void discard() {
        if (done) {
            return;
        }
        discarded = true;
        if (thread == null) {
            done = true; // never started: no thread to end
            return;
        }
        step();
    }

    /** Thrown at the suspension points of a discarded fiber, to unwind its thread's stack. */
    static final class FiberDiscarded extends Error {
        private static final long serialVersionUID = 1L;

        FiberDiscarded() {
            super("the fiber was discarded (its loop closed while it was suspended)", null, false, false);
        }
    }
}
