package dev.asyncio;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A callback in the loop's ready queue (or, as {@link TimerCallbackHandle}, in its timer heap); mirrors
 * {@code asyncio.events.Handle}. It runs in the context captured when it was scheduled, and an exception it
 * throws goes to the loop's exception handler instead of stopping the loop.
 */
class CallbackHandle implements Handle {
    final AsyncLoop loop;
    /** A {@link Runnable}, or a {@link Task} to step; {@code null} once cancelled. */
    private Object target;
    /** The context to run in; {@code null} for the loop's own wake-ups of tasks, which carry their context. */
    private Context context;
    private boolean cancelled;

    CallbackHandle(AsyncLoop loop, Object target, Context context) {
        this.loop = loop;
        this.target = target;
        this.context = context;
    }

    @Override
    public void cancel() {
        if (!cancelled) {
            cancelled = true;
            target = null;
            context = null;
        }
    }

    @Override
    public boolean cancelled() {
        return cancelled;
    }

    /** Runs the callback unless cancelled; called by the loop only. */
    final void run() {
        Object t = target;
        if (t == null) {
            return;
        }
        if (t instanceof Task<?> task) {
            task.step();
            return;
        }
        Runnable cb = (Runnable) t;
        Context ctx = context;
        try {
            if (ctx == null) {
                cb.run();
            } else {
                ctx.runCallback(cb);
            }
        } catch (Throwable e) {
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("message", "Exception in callback " + describeCallback());
            context.put("exception", e);
            context.put("handle", this);
            loop.callExceptionHandler(context);
        }
    }

    /** The task this handle steps (a sleep's timer), or {@code null} for a plain callback. */
    final Task<?> task() {
        return target instanceof Task<?> t ? t : null;
    }

    String describeCallback() {
        Object t = target;
        return t == null ? "<cancelled>" : t.toString();
    }

    @Override
    public String toString() {
        return "<Handle " + (cancelled ? "cancelled" : describeCallback()) + ">";
    }
}
