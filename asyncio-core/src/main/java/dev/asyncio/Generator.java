package dev.asyncio;

import dev.asyncio.internal.Fiber;
import dev.asyncio.internal.Engine;
import dev.asyncio.internal.Sneaky;

import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A function that can pause at {@code yield} and be resumed, with values going both ways; Python's
 * generator protocol on a continuation of its own (on the thread engine, a virtual thread of its own that
 * takes turns with its caller; see {@link AsyncLoop#engine()}).
 *
 * <pre>{@code
 * Generator<Long, Void, Void> fib = Generator.of(y -> {
 *     long a = 0, b = 1;
 *     while (true) { y.yield(a); long t = a + b; a = b; b = t; }
 * });
 * for (long n : fib) { if (n > 100) break; System.out.println(n); }
 * }</pre>
 *
 * <p>Nothing runs until the first {@link #next()}. Each {@code next}/{@link #send} runs the body to its next
 * {@link Yielder#yield yield} and returns the value yielded; when the body returns, they throw
 * {@link StopIteration} (a {@link java.util.NoSuchElementException}) and {@link #returnValue()} holds what it
 * returned. {@link #throwInto} raises an exception at the paused {@code yield}; {@link #close()} raises
 * {@link GeneratorExit} there so {@code finally} blocks run. {@link Yielder#yieldFrom} delegates to a
 * sub-generator as {@code yield from} does.
 *
 * <p>A generator body may also await ({@code Asyncio.sleep}, a queue's {@code get}, a stream read): the
 * task that called {@code next} suspends with it, which makes it an asynchronous generator. A generator
 * that never awaits needs no loop at all.
 *
 * <p>Surprises: the iterator is the generator itself (iterating twice gives nothing the second time, as in
 * Python); {@link #hasNext()} runs the body to its next {@code yield} and keeps the value for {@code next};
 * a generator belongs to the thread that first runs it (a task's, which on the thread engine counts as its
 * loop's); an abandoned generator does not run its {@code finally} blocks until it is closed, so close it
 * (try-with-resources, or exhaust it): on the thread engine an abandoned, suspended generator also keeps
 * its virtual thread parked for good.
 *
 * @param <Y> the type of yielded values
 * @param <S> the type of values sent in ({@code Void} if none)
 * @param <R> the return type ({@code Void} if none)
 */
public final class Generator<Y, S, R> implements Iterator<Y>, Iterable<Y>, AutoCloseable {
    /** A generator's state; mirrors {@code inspect.getgeneratorstate}. */
    public enum State {
        /** Not started: nothing of the body has run. */
        CREATED,
        /** Running: inside {@code next}/{@code send}/{@code throwInto}, or awaiting inside its body. */
        RUNNING,
        /** Paused at a {@code yield}. */
        SUSPENDED,
        /** Finished: returned, raised, or closed. */
        CLOSED
    }

    private final GeneratorBody<Y, S, R> body;
    private final Fiber fiber;
    private final Yielder<Y, S> yielder = new Delegate();
    private State state = State.CREATED;
    /** The thread the generator belongs to: the first to run it (for a task's thread, the loop's). */
    private Thread owner;
    /** Thread engine: the state of the thread that first ran the generator, which its body's thread adopts. */
    private ThreadState ownerState;

    // The values passed through a step, in one direction or the other.
    private Y yielded;
    private S sent;
    private Throwable toThrow;
    private Throwable failure;
    private R returnValue;
    private boolean returned;

    // One value fetched by hasNext() and not yet taken by next().
    private boolean hasBuffered;
    private Y buffered;

    private Generator(GeneratorBody<Y, S, R> body) {
        if (body == null) {
            throw new IllegalArgumentException("a generator needs a body, got null");
        }
        this.body = body;
        this.fiber = Fiber.generator(this::runBody);
    }

    /** A generator that will run {@code body}; nothing runs until the first {@link #next()}. */
    public static <Y, S, R> Generator<Y, S, R> of(GeneratorBody<Y, S, R> body) {
        return new Generator<>(body);
    }

    private void runBody() {
        if (Engine.ON_THREADS) {
            ThreadState.adopt(ownerState);
        }
        try {
            returnValue = body.run(yielder);
            returned = true;
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** The current state. */
    public State state() {
        return state;
    }

    /**
     * Runs the body to its next {@code yield} and returns the value yielded; {@code send(null)}.
     *
     * <p>If the body awaits, this suspends the current task until the body reaches its next {@code yield} or
     * ends. Cancellation: a {@link CancelledError} delivered meanwhile is thrown in the body at its await; if
     * the body lets it propagate, the generator is closed and the error is thrown here.
     *
     * @throws StopIteration          when the body returns (or has returned)
     * @throws IllegalStateException  if the generator is already running, or used from another thread
     */
    @Override
    public Y next() {
        if (hasBuffered) {
            Y y = buffered;
            hasBuffered = false;
            buffered = null;
            return y;
        }
        return resume(null, null);
    }

    /**
     * Whether {@link #next()} will return a value. If none is buffered, this runs the body to its next
     * {@code yield} and keeps the value for {@code next}.
     *
     * <p>If the body awaits, this suspends the current task until the body reaches its next {@code yield} or
     * ends. Cancellation: a {@link CancelledError} delivered meanwhile is thrown in the body at its await; if
     * the body lets it propagate, the generator is closed and the error is thrown here.
     */
    @Override
    public boolean hasNext() {
        if (hasBuffered) {
            return true;
        }
        if (state == State.CLOSED) {
            return false;
        }
        try {
            buffered = resume(null, null);
            hasBuffered = true;
            return true;
        } catch (StopIteration end) {
            return false;
        }
    }

    /**
     * Resumes the body, making its paused {@code yield} return {@code value}, and returns the next value
     * it yields. Mirrors {@code generator.send(value)}.
     *
     * <p>If the body awaits, this suspends the current task until the body reaches its next {@code yield} or
     * ends. Cancellation: a {@link CancelledError} delivered meanwhile is thrown in the body at its await; if
     * the body lets it propagate, the generator is closed and the error is thrown here.
     *
     * @throws IllegalStateException if {@code value} is not null and the generator has not started (prime it
     *                               with {@link #next()} first), or if a value fetched by {@link #hasNext()}
     *                               is still waiting for {@code next}
     * @throws StopIteration         when the body returns
     */
    public Y send(S value) {
        checkNothingBuffered("send");
        return resume(value, null);
    }

    /**
     * Raises {@code t} at the paused {@code yield} and returns the next value the body yields (if it
     * catches {@code t}); mirrors {@code generator.throw(t)}. On a generator that has not started or has
     * finished, {@code t} is thrown straight back (and the generator is closed).
     *
     * <p>If the body awaits, this suspends the current task until the body reaches its next {@code yield} or
     * ends. Cancellation: a {@link CancelledError} delivered meanwhile is thrown in the body at its await; if
     * the body lets it propagate, the generator is closed and the error is thrown here.
     *
     * @throws StopIteration when the body returns
     */
    public Y throwInto(Throwable t) {
        if (t == null) {
            throw new IllegalArgumentException("throwInto() needs an exception, got null");
        }
        checkNothingBuffered("throwInto");
        return resume(null, t);
    }

    /**
     * Raises {@link GeneratorExit} at the paused {@code yield} so that the body's {@code finally} blocks
     * run; mirrors {@code generator.close()}. Does nothing if the generator has not started (it never will)
     * or has finished. If the body returns, its value is kept in {@link #returnValue()}.
     *
     * <p>If the body awaits in a {@code finally} block, this suspends the current task until it is done.
     * Cancellation: a {@link CancelledError} delivered meanwhile is thrown in that {@code finally} block; the
     * generator ends closed and the error is thrown here.
     *
     * @throws IllegalStateException if the body yields again instead of finishing, or if the generator is
     *                               running (for example suspended in an await inside its body: cancel the
     *                               task that drives it instead)
     */
    @Override
    public void close() {
        switch (state) {
            case CREATED -> {
                state = State.CLOSED;
                return;
            }
            case CLOSED -> {
                return;
            }
            case RUNNING -> throw new IllegalStateException("cannot close a running generator: it is executing"
                    + (owner != logicalThread() ? " on thread '" + owner.getName() + "'"
                    : fiber.isCurrentGenerator() ? " (close() was called from its own body)"
                    : " (a task may be suspended in an await inside its body; cancel that task instead)"));
            case SUSPENDED -> {
                // Refuse another thread before touching anything, the buffered value included.
                checkOwner();
                hasBuffered = false;
                buffered = null;
                try {
                    resume(null, new GeneratorExit());
                } catch (GeneratorExit | StopIteration finished) {
                    return;
                }
                throw new IllegalStateException("generator ignored GeneratorExit: it yielded again while being closed");
            }
        }
    }

    /**
     * What the body returned.
     *
     * @throws IllegalStateException if the body has not returned (still running, not started, raised or closed)
     */
    public R returnValue() {
        if (state != State.CLOSED) {
            throw new IllegalStateException("the generator has not finished (state " + state + ")");
        }
        if (!returned) {
            throw new IllegalStateException("the generator did not return a value: its body raised or it was closed");
        }
        return returnValue;
    }

    /** Whether the body finished by returning (as opposed to raising or being closed). */
    public boolean hasReturned() {
        return returned;
    }

    /** This generator: a generator is its own iterator, so it can be iterated once. */
    @Override
    public Iterator<Y> iterator() {
        return this;
    }

    /** The yielded values as a sequential, ordered stream; closing the stream closes the generator. */
    public Stream<Y> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED), false)
                .onClose(this::close);
    }

    private void checkNothingBuffered(String what) {
        if (hasBuffered) {
            throw new IllegalStateException(what + "() while a value fetched by hasNext() is waiting: take it with next() first");
        }
    }

    /** Binds the generator to the calling thread on first use; refuses any other thread afterwards. */
    private void checkOwner() {
        Thread me = Thread.currentThread();
        if (owner == me) {
            return;
        }
        me = logicalThread();
        if (owner == null) {
            owner = me;
            if (Engine.ON_THREADS) {
                ownerState = ThreadState.current();
            }
        } else if (owner != me) {
            throw new IllegalStateException("generator belongs to thread '" + owner.getName()
                    + "', which first ran it; it cannot be used from '" + me.getName() + "'");
        }
    }

    /**
     * The calling thread as far as ownership goes: on the thread engine, a thread that runs for a loop (a
     * task's, a generator's) counts as the thread that runs the loop, as it is on the continuation engine.
     */
    private static Thread logicalThread() {
        Thread me = Thread.currentThread();
        if (!Engine.ON_THREADS) {
            return me;
        }
        ThreadState state = ThreadState.current();
        return state.thread != null ? state.thread : me;
    }

    private Y resume(S value, Throwable t) {
        checkOwner();
        switch (state) {
            case RUNNING -> throw new IllegalStateException("generator already executing");
            case CLOSED -> {
                if (t != null) {
                    throw Sneaky.rethrow(t);
                }
                throw new StopIteration(null);
            }
            case CREATED -> {
                if (t != null) {
                    state = State.CLOSED;
                    throw Sneaky.rethrow(t);
                }
                if (value != null) {
                    throw new IllegalStateException("can't send a non-null value to a just-started generator: "
                            + "call next() first to run it to its first yield");
                }
            }
            case SUSPENDED -> {
            }
        }
        sent = value;
        toThrow = t;
        state = State.RUNNING;
        try {
            fiber.step();
        } finally {
            sent = null;
            toThrow = null;
        }
        if (fiber.isDone()) {
            state = State.CLOSED;
            Throwable f = failure;
            if (f != null) {
                failure = null;
                if (f instanceof StopIteration) {
                    // PEP 479: a StopIteration escaping the body would look like the generator ending.
                    throw new IllegalStateException("generator raised StopIteration", f);
                }
                throw Sneaky.rethrow(f);
            }
            throw new StopIteration(returnValue);
        }
        state = State.SUSPENDED;
        Y y = yielded;
        yielded = null;
        return y;
    }

    @Override
    public String toString() {
        return "<Generator " + state.name().toLowerCase(java.util.Locale.ROOT) + " " + body + ">";
    }

    /** The body's side of the protocol. */
    private final class Delegate implements Yielder<Y, S> {
        @Override
        public S yield(Y value) {
            if (!fiber.isCurrentGenerator()) {
                throw new IllegalStateException("yield() of " + Generator.this + " called outside its body");
            }
            yielded = value;
            Fiber.suspendGenerator();
            Throwable t = toThrow;
            S s = sent;
            toThrow = null;
            sent = null;
            if (t != null) {
                throw Sneaky.rethrow(t);
            }
            return s;
        }

        @Override
        public <R2> R2 yieldFrom(Generator<? extends Y, S, R2> sub) {
            // Checked first: otherwise the sub-generator would be advanced, and the misuse error then thrown
            // into it by the loop below.
            if (!fiber.isCurrentGenerator()) {
                throw new IllegalStateException("yieldFrom() of " + Generator.this + " called outside its body");
            }
            if (sub == Generator.this) {
                throw new IllegalStateException("a generator cannot yieldFrom itself");
            }
            Y y;
            try {
                y = sub.next();
            } catch (StopIteration end) {
                return valueOf(end);
            }
            while (true) {
                S s;
                try {
                    s = this.yield(y);
                } catch (GeneratorExit exit) {
                    sub.close();
                    throw exit;
                } catch (Throwable thrown) {
                    try {
                        y = sub.throwInto(thrown);
                    } catch (StopIteration end) {
                        return valueOf(end);
                    }
                    continue;
                }
                try {
                    y = s == null ? sub.next() : sub.send(s);
                } catch (StopIteration end) {
                    return valueOf(end);
                }
            }
        }

        /**
         * The value of the StopIteration that ended the delegation, as {@code yield from} takes it: the
         * sub-generator's return value if it returned just now, {@code null} if it had finished before.
         */
        @SuppressWarnings("unchecked")
        private static <R2> R2 valueOf(StopIteration end) {
            return (R2) end.value();
        }
    }
}
