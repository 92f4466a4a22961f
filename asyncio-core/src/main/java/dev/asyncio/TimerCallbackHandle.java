package dev.asyncio;

/**
 * A callback in the loop's timer heap; mirrors {@code asyncio.events.TimerHandle}. Timers with equal
 * deadlines run in the order they were scheduled: the heap orders by (when, sequence number).
 */
final class TimerCallbackHandle extends CallbackHandle implements TimerHandle, Comparable<TimerCallbackHandle> {
    private final double when;
    /** Scheduling order, compared with wrap-around: timers alive at the same time are never 2^31 apart. */
    private final int sequence;
    /** Whether the timer is still in the heap (false once it moved to the ready queue). */
    boolean scheduled = true;

    TimerCallbackHandle(AsyncLoop loop, double when, int sequence, Object target, Context context) {
        super(loop, target, context);
        this.when = when;
        this.sequence = sequence;
    }

    @Override
    public double when() {
        return when;
    }

    @Override
    public void cancel() {
        if (!cancelled()) {
            super.cancel();
            if (scheduled) {
                loop.timerCancelled();
            }
        }
    }

    @Override
    public int compareTo(TimerCallbackHandle o) {
        int c = Double.compare(when, o.when);
        return c != 0 ? c : Integer.signum(sequence - o.sequence);
    }

    @Override
    public String toString() {
        return "<TimerHandle when=" + when + " " + (cancelled() ? "cancelled" : describeCallback()) + ">";
    }
}
