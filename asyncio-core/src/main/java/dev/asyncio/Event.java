package dev.asyncio;

import java.util.ArrayList;

/**
 * A flag that tasks can wait for; mirrors {@code asyncio.Event}.
 *
 * <pre>{@code
 * Event ready = new Event();
 * Asyncio.createTask(() -> { ready.await(); use(resource); });
 * resource = open();
 * ready.set();                           // wakes every waiting task
 * }</pre>
 *
 * <p>{@link #set()} wakes every task waiting at that moment, even if the event is {@link #clear() cleared}
 * again before they run: they were woken by the set, not by the flag's state when they resume. Python
 * names the waiting method {@code wait()}; it is {@link #await()} here because {@code Object.wait()} is final.
 */
public final class Event {
    private final ArrayList<Future<Void>> waiters = new ArrayList<>();
    private boolean value;
    private AsyncLoop loop;

    public Event() {
    }

    /** Whether the flag is set. */
    public boolean isSet() {
        return value;
    }

    /** Sets the flag and wakes every task waiting for it; tasks that call {@link #await()} later do not suspend. */
    public void set() {
        LoopBinding.checkThread(loop, this);
        if (!value) {
            value = true;
            for (Future<Void> w : waiters) {
                if (!w.done()) {
                    w.setResult(null);
                }
            }
        }
    }

    /** Clears the flag: tasks that call {@link #await()} from now on suspend until the next {@link #set()}. */
    public void clear() {
        LoopBinding.checkThread(loop, this);
        value = false;
    }

    /**
     * Suspends the current task until the flag is set; returns at once, without suspending, if it is set
     * already. Woken by {@link #set()}. Mirrors {@code asyncio.Event.wait}.
     *
     * <p>Cancellation: the {@link CancelledError} is thrown here and the task stops waiting; the event is
     * unchanged.
     *
     * @throws IllegalStateException if the flag is clear and this is called outside a task
     */
    public void await() {
        LoopBinding.checkThread(loop, this);
        if (value) {
            return;
        }
        loop = LoopBinding.bind(loop, this, "wait for an Event");
        Future<Void> fut = new Future<>(loop);
        waiters.add(fut);
        try {
            fut.await();
        } finally {
            waiters.remove(fut);
        }
    }

    @Override
    public String toString() {
        return "<Event [" + (value ? "set" : "unset") + (waiters.isEmpty() ? "" : ", waiters:" + waiters.size()) + "]>";
    }
}
