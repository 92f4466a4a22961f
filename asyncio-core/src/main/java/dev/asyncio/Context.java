package dev.asyncio;

import dev.asyncio.internal.Sneaky;

import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * A snapshot of the values of every {@link ContextVar}; mirrors Python's {@code contextvars.Context}.
 *
 * <pre>{@code
 * static final ContextVar<String> REQUEST_ID = new ContextVar<>("request_id");
 * REQUEST_ID.set("r-1");
 * Task<?> t = Asyncio.createTask(() -> REQUEST_ID.get());   // the task sees "r-1"
 * REQUEST_ID.set("r-2");                                     // ... and keeps seeing "r-1"
 * }</pre>
 *
 * <p>Every task runs in its own context, a copy of its creator's taken when the task was created; the loop
 * swaps it in on every step. Callbacks scheduled with {@code callSoon}, {@code callLater} and
 * {@code callAt} run in a copy of the context current when they were scheduled. Outside any task the
 * current context is the thread's own, empty at first. This is what replaces {@link ThreadLocal} for
 * task-local state: a thread local is shared by every task of a loop.
 *
 * <p>Copying is O(1): the values live in an immutable map that {@link ContextVar#set} replaces, so a copy
 * shares it until one side sets a variable. A context can be entered by one caller at a time.
 */
public final class Context {
    private static final Object[] EMPTY = new Object[0];

    /** Pairs (variable, value), never modified in place: {@link #with} builds a new array. */
    private Object[] entries;
    private boolean entered;
    /**
     * A shared snapshot: tasks and callbacks created from the same context share one, and the first
     * {@link ContextVar#set} made while it is current replaces it by a private copy. Never handed to users.
     */
    private final boolean frozen;
    /** The snapshot of this context's current entries, cached while they do not change. */
    private Context snapshot;

    /** An empty context, as {@code contextvars.Context()}. */
    public Context() {
        this(EMPTY, false);
    }

    private Context(Object[] entries, boolean frozen) {
        this.entries = entries;
        this.frozen = frozen;
    }

    /** A copy of the current context; mirrors {@code contextvars.copy_context()}. */
    public static Context copyCurrent() {
        return current().copy();
    }

    /** A new context with the same values as this one. */
    public Context copy() {
        return new Context(entries, false);
    }

    static Context current() {
        return ThreadState.current().context;
    }

    /**
     * A copy of the current context for a task or callback to run in, shared with others made from the same
     * values: O(1) and, most of the time, no allocation. See {@link #frozen}.
     */
    static Context snapshotOfCurrent() {
        return current().snapshot();
    }

    private Context snapshot() {
        if (frozen) {
            return this;
        }
        Context s = snapshot;
        if (s == null || s.entries != entries) {
            s = new Context(entries, true);
            snapshot = s;
        }
        return s;
    }

    boolean isFrozen() {
        return frozen;
    }

    /** The context to write into: the current one, unless it is a shared snapshot, which is copied first. */
    static Context writable(ThreadState state) {
        Context ctx = state.context;
        if (ctx.frozen) {
            ctx = ctx.copy();
            state.context = ctx;
        }
        return ctx;
    }

    /**
     * Runs {@code fn} with this context as the current one and restores the previous context afterwards.
     * Variables set by {@code fn} stay set in this context. Exceptions pass through unchanged (checked
     * ones too). If {@code fn} suspends the task, the task keeps this context until {@code fn} returns.
     * A body that returns nothing ends with {@code return null;}: there is deliberately no
     * {@code run(Runnable)} twin, which would make {@code ctx.run(var::get)} ambiguous.
     *
     * @throws IllegalStateException if this context is already entered (by this or another caller)
     */
    public <T> T run(Callable<T> fn) {
        Context previous = enter();
        try {
            return fn.call();
        } catch (Exception e) {
            throw Sneaky.rethrow(e);
        } finally {
            exit(previous);
        }
    }

    /**
     * Runs a loop callback in this context, as {@link #run(Callable)} does, without wrapping it in a
     * {@code Callable} (every callback runs through here). Package-private on purpose: a public
     * {@code run(Runnable)} beside {@code run(Callable)} makes {@code ctx.run(var::get)} ambiguous for callers
     * ({@code ContextVar.get} is overloaded, so the method reference is inexact and neither overload is
     * more specific).
     */
    void runCallback(Runnable fn) {
        Context previous = enter();
        try {
            fn.run();
        } finally {
            exit(previous);
        }
    }

    /** Makes this the current context; returns the one it replaces. */
    private Context enter() {
        if (entered) {
            throw new IllegalStateException("cannot enter context: " + this + " is already entered");
        }
        ThreadState state = ThreadState.current();
        Context previous = state.context;
        state.context = this;
        entered = true;
        return previous;
    }

    private void exit(Context previous) {
        entered = false;
        // A task that suspended inside run() may resume on another loop step; the thread's state object is the
        // same, so restoring through it is correct.
        ThreadState.current().context = previous;
    }

    /** How many variables have a value here. */
    public int size() {
        return entries.length / 2;
    }

    /** Whether {@code var} has a value in this context. */
    public boolean containsKey(ContextVar<?> var) {
        return lookup(var) != ContextVar.MISSING;
    }

    /** The value of {@code var} in this context, or {@code null} when it has none (its default is not used). */
    public <T> T get(ContextVar<T> var) {
        Object v = lookup(var);
        @SuppressWarnings("unchecked")
        T value = v == ContextVar.MISSING ? null : (T) v;
        return value;
    }

    Object lookup(ContextVar<?> var) {
        Object[] e = entries;
        for (int i = 0; i < e.length; i += 2) {
            if (e[i] == var) {
                return e[i + 1];
            }
        }
        return ContextVar.MISSING;
    }

    /** Replaces this context's map by one where {@code var} is {@code value} (or unset, for MISSING). */
    void with(ContextVar<?> var, Object value) {
        Object[] e = entries;
        for (int i = 0; i < e.length; i += 2) {
            if (e[i] == var) {
                if (value == ContextVar.MISSING) {
                    Object[] smaller = new Object[e.length - 2];
                    System.arraycopy(e, 0, smaller, 0, i);
                    System.arraycopy(e, i + 2, smaller, i, e.length - i - 2);
                    entries = smaller;
                } else {
                    Object[] copy = e.clone();
                    copy[i + 1] = value;
                    entries = copy;
                }
                return;
            }
        }
        if (value != ContextVar.MISSING) {
            Object[] bigger = Arrays.copyOf(e, e.length + 2);
            bigger[e.length] = var;
            bigger[e.length + 1] = value;
            entries = bigger;
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<Context");
        for (int i = 0; i < entries.length; i += 2) {
            sb.append(i == 0 ? " " : ", ").append(((ContextVar<?>) entries[i]).name()).append('=').append(entries[i + 1]);
        }
        return sb.append('>').toString();
    }
}
