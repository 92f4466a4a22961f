package dev.asyncio;

/**
 * A meeting point: each task that calls {@link #await()} waits until {@link #parties()} tasks are there,
 * then all go on together; mirrors {@code asyncio.Barrier}.
 *
 * <pre>{@code
 * Barrier start = new Barrier(3);
 * for (int i = 0; i < 3; i++) {
 *     Asyncio.createTask(() -> {
 *         prepare();
 *         start.await();                 // the first two wait for the third
 *         race();
 *     });
 * }
 * }</pre>
 *
 * <p>The barrier is cyclic: once the tasks of one round have all left, it fills again. Tasks arriving
 * while a round is still leaving wait for the next round. {@link #abort()} breaks it for good and
 * {@link #reset()} breaks the current round: waiting tasks get a {@link BrokenBarrierError}. Unlike
 * {@code java.util.concurrent.CyclicBarrier}, a waiting task that is cancelled simply leaves, and the
 * barrier waits for another task in its place. Unlike Python, where they are coroutines, {@code reset()}
 * and {@code abort()} do not suspend.
 */
public final class Barrier {
    private enum State { FILLING, DRAINING, RESETTING, BROKEN }

    private final Condition cond = new Condition();
    private final int parties;
    private State state = State.FILLING;
    /** The tasks inside {@link #await()}: waiting to fill the round, or leaving it. */
    private int count;

    /**
     * @param parties how many tasks must arrive to release a round
     * @throws IllegalArgumentException if {@code parties} is less than 1
     */
    public Barrier(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("parties must be >= 1, got " + parties);
        }
        this.parties = parties;
    }

    /**
     * Suspends the current task until {@link #parties()} tasks have called this method, and returns the
     * arrival index of this task in its round (0 for the first, {@code parties - 1} for the last, which does
     * not suspend to wait for others). A task arriving while the previous round is still leaving first waits
     * for it to leave. Mirrors {@code asyncio.Barrier.wait}.
     *
     * <p>Cancellation: the task leaves the barrier and the round waits for another task in its place; the
     * barrier is not broken.
     *
     * @throws BrokenBarrierError    if the barrier is broken, or is reset or aborted while the task waits
     * @throws IllegalStateException outside a task
     */
    public int await() {
        cond.checkLoopThread();
        try (Releaser _ = cond.acquire()) {
            // Wait until the previous round has left (or a reset has finished).
            cond.awaitFor(() -> state != State.DRAINING && state != State.RESETTING);
            if (state == State.BROKEN) {
                throw new BrokenBarrierError("Barrier aborted");
            }
            int index = count++;
            try {
                if (index + 1 == parties) {
                    state = State.DRAINING;
                    cond.signalAll();
                } else {
                    cond.awaitFor(() -> state != State.FILLING);
                    if (state == State.BROKEN || state == State.RESETTING) {
                        throw new BrokenBarrierError("Abort or reset of barrier");
                    }
                }
                return index;
            } finally {
                count--;
                leave();
            }
        }
    }

    /** The last task to leave a draining or reset round lets the next round fill. */
    private void leave() {
        if (count == 0) {
            if (state == State.RESETTING || state == State.DRAINING) {
                state = State.FILLING;
            }
            cond.signalAllUnlocked();
        }
    }

    /**
     * Returns the barrier to its empty, filling state; tasks waiting in the current round get a
     * {@link BrokenBarrierError}, and new arrivals wait until they have left. Also repairs an aborted
     * barrier. Mirrors {@code asyncio.Barrier.reset}, without suspending.
     */
    public void reset() {
        cond.checkLoopThread();
        if (count > 0) {
            state = State.RESETTING;
        } else {
            state = State.FILLING;
        }
        cond.signalAllUnlocked();
    }

    /**
     * Breaks the barrier: waiting tasks, and every task that calls {@link #await()} until {@link #reset()},
     * get a {@link BrokenBarrierError}. Mirrors {@code asyncio.Barrier.abort}, without suspending.
     */
    public void abort() {
        cond.checkLoopThread();
        state = State.BROKEN;
        cond.signalAllUnlocked();
    }

    /** How many tasks must arrive to release a round. */
    public int parties() {
        return parties;
    }

    /** How many tasks wait for the current round to fill (0 while a round is leaving). */
    public int nWaiting() {
        return state == State.FILLING ? count : 0;
    }

    /** Whether the barrier was aborted (and not reset since). */
    public boolean broken() {
        return state == State.BROKEN;
    }

    @Override
    public String toString() {
        return "<Barrier [" + state.name().toLowerCase(java.util.Locale.ROOT)
                + (state == State.FILLING ? ", waiters:" + count + "/" + parties : "") + "]>";
    }
}
