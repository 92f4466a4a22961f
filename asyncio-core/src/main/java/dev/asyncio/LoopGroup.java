package dev.asyncio;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Several event loops, one thread each, for a program that uses every core: asyncio runs one loop per
 * process, so Python servers run one process per core; here one JVM runs one {@link AsyncLoop} per core, as
 * Netty's event loop groups and Vert.x's event loops do. Each loop is an ordinary loop (a ready queue, timers,
 * a Netty selector) running on a thread of its own; a task, and every channel registered with its loop, stays
 * on that loop for its whole life.
 *
 * <pre>{@code
 * try (LoopGroup group = LoopGroup.create()) {              // one loop per available core
 *     List<CompletableFuture<String>> names = group.runOnEach(() -> Asyncio.getRunningLoop().toString());
 *     names.forEach(f -> System.out.println(f.join()));
 * }                                                         // cancels every task, waits, joins the threads
 * }</pre>
 *
 * <p>A server spreads its connections over a group with {@code Streams.startServer(group, ...)} or
 * {@code Net.createServer(group, ...)} (module asyncio-net).
 *
 * <p>Lifecycle: the loops start running when the group is built and run until {@link #close()}. Closing
 * cancels every task of every loop and waits for them to finish (their {@code finally} blocks run), at most
 * {@link Builder#shutdownTimeout(double)} seconds; then it closes the loops and joins their threads. No thread
 * outlives {@code close()} unless a task blocks its loop's thread in a call that ignores interrupts, and that
 * is reported. The threads are daemon threads, so a group that is never closed does not keep the JVM alive.
 *
 * <p>Threading: every method is safe from any thread. Loop-owned objects (tasks, futures, queues, channels)
 * must still be used from their own loop only; to hand work to a loop, use {@link #runOn} (or
 * {@link AsyncLoop#callSoonThreadsafe}).
 */
public final class LoopGroup implements AutoCloseable {
    private static final AtomicInteger GROUPS = new AtomicInteger();

    private final String name;
    private final List<AsyncLoop> loops;
    private final List<Thread> threads = new ArrayList<>();
    private final double shutdownTimeout;
    private final AtomicInteger nextIndex = new AtomicInteger();
    /** Per loop: the error that ended its thread other than by close(), or null. Written by that thread. */
    private final Throwable[] crashes;
    /** Per loop: what close() found still pending when it gave up waiting, or null. */
    private final List<String>[] refused;
    private final Object closeLock = new Object();
    private volatile boolean closed;

    @SuppressWarnings("unchecked")
    private LoopGroup(Builder b) {
        this.name = b.name != null ? b.name : "asyncio-group-" + GROUPS.incrementAndGet();
        this.shutdownTimeout = b.shutdownTimeout;
        List<AsyncLoop> built = new ArrayList<>();
        try {
            for (int i = 0; i < b.size; i++) {
                // On the thread engine a loop normally runs on a virtual host thread; here it runs on its own
                // platform thread, since hosts blocked in the selector's native wait pin the scheduler's carriers
                // (as many as there are cores) and a group has as many loops as cores: they would starve.
                built.add(AsyncLoop.builder().transport(b.transport).virtualTime(b.virtualTime).debug(b.debug)
                        .onCallingThread(true).build());
            }
        } catch (RuntimeException | Error e) {
            for (AsyncLoop l : built) {
                l.close();
            }
            throw e;
        }
        this.loops = List.copyOf(built);
        this.crashes = new Throwable[loops.size()];
        this.refused = new List[loops.size()];
        for (int i = 0; i < loops.size(); i++) {
            int index = i;
            Thread t = new Thread(() -> runLoop(index), name + "-loop-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    /** A group of {@link Runtime#availableProcessors()} real-time NIO loops. */
    public static LoopGroup create() {
        return builder().build();
    }

    /** A group of {@code size} real-time NIO loops. */
    public static LoopGroup create(int size) {
        return builder().size(size).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The loops, in a fixed order; the list is unmodifiable. */
    public List<AsyncLoop> loops() {
        return loops;
    }

    /** How many loops the group has. */
    public int size() {
        return loops.size();
    }

    /** The loop at {@code index} (0 to {@link #size()} - 1). */
    public AsyncLoop loop(int index) {
        return loops.get(index);
    }

    /** The next loop in round-robin order: successive calls (from any threads) go around the loops evenly. */
    public AsyncLoop next() {
        return loops.get(Math.floorMod(nextIndex.getAndIncrement(), loops.size()));
    }

    /** Whether {@code loop} is one of this group's loops. */
    public boolean contains(AsyncLoop loop) {
        for (AsyncLoop l : loops) {
            if (l == loop) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs {@code coro} as a new task on {@code loop}, one of this group's ({@link #loop(int)}, {@link #next()}),
     * and returns a future of its result; returns at once. Cancelling the returned future cancels the task;
     * if the group closes first, the future ends cancelled. From a task of another loop,
     * {@code Asyncio.await(group.runOn(loop, coro))} suspends until it is done, and cancelling that task cancels
     * the remote one. Never block on the returned future on {@code loop}'s own thread: the loop would wait for
     * itself.
     *
     * @throws IllegalArgumentException if {@code loop} is not one of the group's
     * @throws IllegalStateException    if the group is closed
     */
    public <T> CompletableFuture<T> runOn(AsyncLoop loop, Coroutine<T> coro) {
        Objects.requireNonNull(coro, "coro");
        if (!contains(loop)) {
            throw new IllegalArgumentException(loop + " is not a loop of " + this);
        }
        checkOpen();
        java.util.concurrent.Future<T> f = Asyncio.runCoroutineThreadsafe(coro, loop);
        if (f instanceof CompletableFuture<T> cf) {
            return cf;
        }
        throw new AssertionError("runCoroutineThreadsafe returned " + f.getClass()); // it makes a CompletableFuture
    }

    /** {@link #runOn(AsyncLoop, Coroutine)} of a coroutine that returns nothing. */
    public CompletableFuture<Void> runOn(AsyncLoop loop, AsyncRunnable coro) {
        Objects.requireNonNull(coro, "coro");
        return runOn(loop, coro.asCoroutine());
    }

    /**
     * Runs {@code coro} as a new task on every loop (the same coroutine object, once per loop, so it must not
     * keep state of its own between runs) and returns the futures of their results in loop order; see
     * {@link #runOn(AsyncLoop, Coroutine)}.
     */
    public <T> List<CompletableFuture<T>> runOnEach(Coroutine<T> coro) {
        Objects.requireNonNull(coro, "coro");
        List<CompletableFuture<T>> out = new ArrayList<>(loops.size());
        for (AsyncLoop l : loops) {
            out.add(runOn(l, coro));
        }
        return List.copyOf(out);
    }

    /** {@link #runOnEach(Coroutine)} of a coroutine that returns nothing. */
    public List<CompletableFuture<Void>> runOnEach(AsyncRunnable coro) {
        Objects.requireNonNull(coro, "coro");
        return runOnEach(coro.asCoroutine());
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    // ---------------------------------------------------------------- the loops' threads

    private void runLoop(int index) {
        AsyncLoop loop = loops.get(index);
        try {
            loop.runForever();          // until close() has cancelled and awaited the tasks, or gave up waiting
        } catch (Throwable t) {
            crashes[index] = t;         // a loop's own failure, not a task's: tasks report through the handler
        } finally {
            try {
                loop.close();           // reports tasks close() had to give up on; releases the selector
            } catch (Throwable t) {
                if (crashes[index] == null) {
                    crashes[index] = t;
                }
            }
        }
    }

    /**
     * On the loop's thread: cancels every task and, once all are done, the tasks their cleanup started, then
     * stops the loop. Each task that ends with an exception other than a cancellation is reported to the
     * loop's exception handler, as {@link Runner} does.
     */
    private static void cancelAllThenStop(AsyncLoop loop) {
        Set<Task<?>> tasks = loop.allTasks();
        if (tasks.isEmpty()) {
            loop.stop();
            return;
        }
        int[] remaining = {tasks.size()};
        for (Task<?> t : tasks) {
            t.cancel();
        }
        for (Task<?> t : tasks) {
            t.addDoneCallback(done -> {
                if (!done.cancelled() && done.exception() != null) {
                    Map<String, Object> context = new LinkedHashMap<>();
                    context.put("message", "unhandled exception during LoopGroup.close()");
                    context.put("exception", done.exception());
                    context.put("task", done);
                    loop.callExceptionHandler(context);
                }
                if (--remaining[0] == 0) {
                    cancelAllThenStop(loop);    // tasks started by the cleanup are cancelled in turn
                }
            });
        }
    }

    // ---------------------------------------------------------------- closing

    /**
     * Cancels every task of every loop, waits until they are done (their {@code finally} blocks run, the
     * connections they close are closed), then closes the loops and joins their threads; blocks the calling
     * thread meanwhile. Idempotent.
     *
     * <p>A task that does not finish within {@link Builder#shutdownTimeout(double)} seconds of its cancellation
     * (one that catches the {@link CancelledError} and waits again) is given up on: its loop stops, the loop's
     * close reports it as destroyed while pending (its {@code finally} blocks do not run) and this method
     * throws once every thread is joined. A task that blocks its loop's thread (a blocking call in a task) gets
     * the thread interrupted after that time; if the thread still does not end, this method throws naming it
     * and its stack, and the thread is the one thing left behind.
     *
     * <p>Called from a task (of another loop), it blocks that loop until done; a program's main task may do so
     * on its way out.
     *
     * @throws IllegalStateException if called on one of the group's own loops (it would wait for itself), or,
     *                               after everything was closed, if tasks refused cancellation or a loop failed
     */
    @Override
    public void close() {
        Thread me = Thread.currentThread();
        AsyncLoop running = ThreadState.current().runningLoop;
        if (threads.contains(me) || (running != null && contains(running))) {
            throw new IllegalStateException("LoopGroup.close() called on " + me.getName() + ", a thread of the group: "
                    + "it would wait for itself; close the group from outside it");
        }
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
            closeNow();
        }
    }

    private void closeNow() {
        for (AsyncLoop loop : loops) {
            ask(loop, () -> cancelAllThenStop(loop));
        }
        long deadline = System.nanoTime() + (long) (shutdownTimeout * 1e9);
        for (int i = 0; i < loops.size(); i++) {
            AsyncLoop loop = loops.get(i);
            if (join(threads.get(i), deadline)) {
                continue;
            }
            int index = i;
            // Gave up waiting: stop the loop with its tasks pending; its close() reports them as destroyed.
            ask(loop, () -> {
                List<String> left = new ArrayList<>();
                for (Task<?> t : loop.allTasks()) {
                    left.add(t.toString());
                }
                refused[index] = left;
                loop.stop();
            });
        }
        long graceNanos = (long) (shutdownTimeout * 1e9);
        List<String> blocked = new ArrayList<>();
        for (Thread t : threads) {
            if (join(t, System.nanoTime() + graceNanos)) {
                continue;
            }
            t.interrupt();      // a task blocking the loop's thread: the last resort
            if (!join(t, System.nanoTime() + graceNanos)) {
                StringBuilder sb = new StringBuilder(t.getName()).append(" is blocked in:");
                for (StackTraceElement e : t.getStackTrace()) {
                    sb.append("\n\tat ").append(e);
                }
                blocked.add(sb.toString());
            }
        }
        reportFailures(blocked);
    }

    private void reportFailures(List<String> blocked) {
        StringBuilder problems = new StringBuilder();
        IllegalStateException error = new IllegalStateException();
        for (int i = 0; i < loops.size(); i++) {
            if (refused[i] != null && !refused[i].isEmpty()) {
                problems.append("\n").append(threads.get(i).getName()).append(": ").append(refused[i].size())
                        .append(" task(s) still pending ").append(shutdownTimeout)
                        .append(" s after being cancelled, destroyed without finishing: ").append(refused[i]);
            }
            if (crashes[i] != null) {
                problems.append("\n").append(threads.get(i).getName()).append(" failed: ").append(crashes[i]);
                error.addSuppressed(crashes[i]);
            }
        }
        for (String b : blocked) {
            problems.append("\n").append(b);
        }
        if (problems.length() > 0) {
            IllegalStateException e = new IllegalStateException("LoopGroup.close() of " + name + " did not end cleanly:"
                    + problems);
            for (Throwable s : error.getSuppressed()) {
                e.addSuppressed(s);
            }
            throw e;
        }
    }

    /** Runs {@code r} on {@code loop}'s thread; nothing if the loop is already closed (its thread ended). */
    private static void ask(AsyncLoop loop, Runnable r) {
        try {
            loop.callSoonThreadsafe(r);
        } catch (IllegalStateException closedAlready) {
            // The loop's thread has ended: there is nothing left to stop.
        }
    }

    /** Waits for {@code t} until {@code deadline} (System.nanoTime); whether it ended. Keeps an interrupt for later. */
    private static boolean join(Thread t, long deadline) {
        boolean interrupted = false;
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return !t.isAlive();
                }
                try {
                    return t.join(java.time.Duration.ofNanos(left));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "<LoopGroup " + name + " loops=" + loops.size() + (closed ? " closed" : "") + ">";
    }

    /** Configures a group: {@code LoopGroup.builder().size(2).transport(IoTransport.EPOLL).build()}. */
    public static final class Builder {
        private int size = Runtime.getRuntime().availableProcessors();
        private IoTransport transport = IoTransport.NIO;
        private boolean virtualTime;
        private boolean debug = Boolean.getBoolean("dev.asyncio.debug");
        private String name;
        private double shutdownTimeout = 30;

        private Builder() {
        }

        /** How many loops (and threads); {@link Runtime#availableProcessors()} by default. */
        public Builder size(int loops) {
            if (loops <= 0) {
                throw new IllegalArgumentException("a loop group needs at least one loop, got " + loops);
            }
            this.size = loops;
            return this;
        }

        /** Every loop's Netty backend; NIO by default. */
        public Builder transport(IoTransport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** Virtual time on every loop (each loop has its own clock); for tests. */
        public Builder virtualTime(boolean on) {
            this.virtualTime = on;
            return this;
        }

        /** Debug mode on every loop. */
        public Builder debug(boolean on) {
            this.debug = on;
            return this;
        }

        /** The name of the group; its threads are called {@code NAME-loop-0}, {@code NAME-loop-1}, ... */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * How long (real seconds, default 30) {@link LoopGroup#close()} waits for cancelled tasks to finish
         * before it gives up on them, and again for a blocked thread after interrupting it.
         */
        public Builder shutdownTimeout(double seconds) {
            if (!(seconds >= 0) || Double.isInfinite(seconds)) {
                throw new IllegalArgumentException("shutdown timeout must be finite and >= 0, got " + seconds);
            }
            this.shutdownTimeout = seconds;
            return this;
        }

        /**
         * Builds the loops and starts their threads.
         *
         * @throws IllegalStateException if the engine is unusable or the transport unavailable (no thread is
         *                               started then)
         */
        public LoopGroup build() {
            return new LoopGroup(this);
        }
    }
}
