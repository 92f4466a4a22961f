package dev.asyncio.reactor;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Handle;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.Exceptions;
import reactor.core.scheduler.Scheduler;

import java.util.concurrent.TimeUnit;

/**
 * A Reactor {@link Scheduler} that runs work on an {@link AsyncLoop}'s thread, so that
 * {@code flux.publishOn(LoopScheduler.of(loop))} hops a pipeline onto the loop, next to its tasks.
 *
 * <pre>{@code
 * Flux.range(0, 10).publishOn(LoopScheduler.of(loop)).subscribe(i -> queue.putNowait(i)); // on the loop thread
 * }</pre>
 *
 * <p>Work is handed over with {@link AsyncLoop#callSoonThreadsafe}; delays run on the loop's timers and
 * {@link #now(TimeUnit)} is the loop clock, so on a virtual-time loop Reactor's timed operators move with the
 * loop's virtual time. Work of one {@link Worker} runs in the order it was scheduled.
 *
 * <p>Disposal: {@link #dispose()} stops this scheduler and its workers (later work is rejected with Reactor's
 * {@code RejectedExecutionException}) and drops the work they had scheduled; it does not close the loop, which is
 * not the scheduler's. Once the loop is closed, the scheduler counts as disposed and rejects work the same way;
 * work that was pending when the loop closed never runs (the loop drops its callbacks).
 */
public final class LoopScheduler implements Scheduler {
    private final AsyncLoop loop;
    private final Disposable.Composite tasks = Disposables.composite();

    private LoopScheduler(AsyncLoop loop) {
        this.loop = loop;
    }

    /** A scheduler running work on {@code loop}. */
    public static LoopScheduler of(AsyncLoop loop) {
        if (loop == null) {
            throw new IllegalArgumentException("a LoopScheduler needs a loop, got null");
        }
        return new LoopScheduler(loop);
    }

    /** The loop this scheduler runs work on. */
    public AsyncLoop loop() {
        return loop;
    }

    @Override
    public Disposable schedule(Runnable task) {
        return submit(tasks, task, 0, 0);
    }

    @Override
    public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        return submit(tasks, task, unit.toNanos(delay) * 1e-9, 0);
    }

    @Override
    public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
        return submit(tasks, task, unit.toNanos(initialDelay) * 1e-9, unit.toNanos(period) * 1e-9);
    }

    /** The loop clock ({@link AsyncLoop#time()}), virtual on a virtual-time loop. */
    @Override
    public long now(TimeUnit unit) {
        return unit.convert((long) (loop.time() * 1e9), TimeUnit.NANOSECONDS);
    }

    /** A worker whose work runs in the order it was scheduled; disposing the scheduler disposes it too. */
    @Override
    public Worker createWorker() {
        LoopWorker w = new LoopWorker();
        if (!tasks.add(w)) {
            w.dispose(); // the scheduler is disposed: so is the worker, which rejects work
        }
        return w;
    }

    @Override
    public boolean isDisposed() {
        return tasks.isDisposed() || loop.isClosed();
    }

    /** Stops this scheduler and drops the work it had scheduled; the loop goes on. */
    @Override
    public void dispose() {
        tasks.dispose();
    }

    @Override
    public String toString() {
        return "LoopScheduler(" + loop + ")";
    }

    private Disposable submit(Disposable.Composite owner, Runnable task, double delaySeconds, double periodSeconds) {
        if (owner.isDisposed() || tasks.isDisposed() || loop.isClosed()) {
            throw Exceptions.failWithRejected();
        }
        LoopTask t = new LoopTask(owner, task, delaySeconds, periodSeconds);
        if (!owner.add(t)) {
            throw Exceptions.failWithRejected();
        }
        try {
            loop.callSoonThreadsafe(t::start);
        } catch (IllegalStateException closed) {
            owner.remove(t);
            throw Exceptions.failWithRejected(closed);
        }
        return t;
    }

    /** One piece of work: started on the loop thread, then run at once, after a delay, or periodically. */
    private final class LoopTask implements Disposable {
        private final Disposable.Composite owner;
        private final Runnable task;
        private final double delay;
        private final double period;
        private volatile boolean disposed;
        /** The loop's handle of the next run; loop-owned. */
        private Handle handle;

        LoopTask(Disposable.Composite owner, Runnable task, double delay, double period) {
            this.owner = owner;
            this.task = task;
            this.delay = delay;
            this.period = period;
        }

        void start() {
            if (disposed) {
                return;
            }
            if (delay <= 0 && period <= 0) {
                run();
            } else {
                handle = loop.callLater(Math.max(delay, 0), this::run);
            }
        }

        private void run() {
            if (disposed) {
                return;
            }
            try {
                task.run();
            } catch (Throwable t) {
                disposed = true;
                owner.remove(this);
                reactor.core.publisher.Operators.onErrorDropped(t, reactor.util.context.Context.empty());
                return;
            }
            if (period > 0 && !disposed) {
                handle = loop.callLater(period, this::run);
            } else {
                disposed = true;
                owner.remove(this);
            }
        }

        @Override
        public void dispose() {
            if (disposed) {
                return;
            }
            disposed = true;
            owner.remove(this);
            try {
                loop.callSoonThreadsafe(() -> {
                    Handle h = handle;
                    if (h != null) {
                        h.cancel(); // the timer need not fire only to find the task disposed
                    }
                });
            } catch (IllegalStateException closed) {
                // the loop dropped the timer already
            }
        }

        @Override
        public boolean isDisposed() {
            return disposed;
        }
    }

    private final class LoopWorker implements Worker {
        private final Disposable.Composite workerTasks = Disposables.composite();

        @Override
        public Disposable schedule(Runnable task) {
            return submit(workerTasks, task, 0, 0);
        }

        @Override
        public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
            return submit(workerTasks, task, unit.toNanos(delay) * 1e-9, 0);
        }

        @Override
        public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
            return submit(workerTasks, task, unit.toNanos(initialDelay) * 1e-9, unit.toNanos(period) * 1e-9);
        }

        @Override
        public void dispose() {
            workerTasks.dispose();
            tasks.remove(this);
        }

        @Override
        public boolean isDisposed() {
            return workerTasks.isDisposed() || LoopScheduler.this.isDisposed();
        }
    }
}
