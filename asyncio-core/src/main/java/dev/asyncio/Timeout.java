package dev.asyncio;

import dev.asyncio.internal.Sneaky;

/**
 * The deadline of a running {@link Asyncio#timeout(double, TimeoutBody) timeout block}; mirrors
 * {@code asyncio.Timeout}.
 *
 * <pre>{@code
 * String page = Asyncio.timeout(10, t -> {
 *     String first = fetch(url);                 // TimeoutError if the 10 s pass
 *     t.reschedule(t.when() + 5);                // 5 more seconds for the second fetch
 *     return first + fetch(next(first));
 * });
 * }</pre>
 *
 * <p>When the deadline passes, the timeout cancels the task running the block ({@link Task#cancel()}); the
 * {@link CancelledError} travels up to the end of the block, where the timeout turns it into a
 * {@link TimeoutError} (with the {@code CancelledError} as its cause) - but only if it caused the
 * cancellation itself: it calls {@link Task#uncancel()} and converts only when that brings
 * {@link Task#cancelling()} back to where it was when the block began. A cancellation from outside that
 * arrives at the same time therefore wins and leaves the block as a {@code CancelledError}; of two nested
 * timeouts that expire together, the outer one raises the {@code TimeoutError} and the inner one lets the
 * {@code CancelledError} through. A block that catches the {@code CancelledError} and returns normally
 * returns normally ({@link #expired()} then tells what happened).
 *
 * <p>The handle is valid while the block runs; {@link #reschedule} throws once it has expired or finished.
 * "No deadline" is {@link Double#POSITIVE_INFINITY}.
 */
public final class Timeout {
    private enum State {
        ACTIVE("active"), EXPIRING("expiring"), EXPIRED("expired"), FINISHED("finished");

        final String label;

        State(String label) {
            this.label = label;
        }
    }

    private final AsyncLoop loop;
    private final Task<?> task;
    /** The task's cancelling() count when the block began. */
    private final int cancellingOnEntry;
    private State state = State.ACTIVE;
    private double when;
    private Handle handle;

    private Timeout(Task<?> task, double when) {
        this.loop = task.loop;
        this.task = task;
        this.cancellingOnEntry = task.cancelling();
        reschedule(when);
    }

    /**
     * Runs {@code body} in the current task with a deadline at loop time {@code when}; the implementation of
     * {@link Asyncio#timeoutAt(double, TimeoutBody)}.
     */
    static <T> T run(double when, TimeoutBody<T> body) {
        checkDeadline(when);
        if (body == null) {
            throw new IllegalArgumentException("a timeout block needs a body, got null");
        }
        Timeout timeout = new Timeout(Task.current("use a timeout block"), when);
        T result;
        try {
            result = body.run(timeout);
        } catch (Throwable e) {
            throw Sneaky.rethrow(timeout.exit(e));
        }
        timeout.exit(null);
        return result;
    }

    static void checkDeadline(double seconds) {
        if (Double.isNaN(seconds)) {
            throw new IllegalArgumentException("a timeout needs a number of seconds, got NaN");
        }
    }

    /** The deadline in loop time, {@link Double#POSITIVE_INFINITY} if there is none. */
    public double when() {
        return when;
    }

    /**
     * Moves the deadline to loop time {@code whenSeconds} ({@link Double#POSITIVE_INFINITY}: no deadline); a
     * deadline already past expires the block at the next loop iteration. Mirrors
     * {@code asyncio.Timeout.reschedule}.
     *
     * @throws IllegalStateException    if the block has finished or the timeout is expiring or expired
     * @throws IllegalArgumentException if {@code whenSeconds} is NaN
     */
    public void reschedule(double whenSeconds) {
        checkDeadline(whenSeconds);
        if (state != State.ACTIVE) {
            throw new IllegalStateException("Cannot change state of " + state.label + " Timeout");
        }
        loop.checkThread();
        this.when = whenSeconds;
        if (handle != null) {
            handle.cancel();
            handle = null;
        }
        if (whenSeconds != Double.POSITIVE_INFINITY) {
            handle = whenSeconds <= loop.time() ? loop.callSoon(this::onTimeout) : loop.callAt(whenSeconds, this::onTimeout);
        }
    }

    /** Whether the deadline passed while the block ran (the block may have finished since). */
    public boolean expired() {
        return state == State.EXPIRING || state == State.EXPIRED;
    }

    private void onTimeout() {
        handle = null;
        if (state != State.ACTIVE) {
            return;
        }
        task.cancel();
        state = State.EXPIRING;
    }

    /** Ends the block that ended with {@code failure} ({@code null}: normally); returns what to throw. */
    private Throwable exit(Throwable failure) {
        if (handle != null) {
            handle.cancel();
            handle = null;
        }
        if (state == State.EXPIRING) {
            state = State.EXPIRED;
            // Convert only a cancellation we caused: no new cancel request arrived since the block began.
            if (task.uncancel() <= cancellingOnEntry && failure instanceof CancelledError cancelled) {
                return new TimeoutError("the timeout block expired at loop time " + when, cancelled);
            }
        } else if (state == State.ACTIVE) {
            state = State.FINISHED;
        }
        return failure;
    }

    @Override
    public String toString() {
        if (state == State.ACTIVE) {
            return "<Timeout [active] when=" + (when == Double.POSITIVE_INFINITY ? "inf" : String.valueOf(when)) + ">";
        }
        return "<Timeout [" + state.label + "]>";
    }
}
