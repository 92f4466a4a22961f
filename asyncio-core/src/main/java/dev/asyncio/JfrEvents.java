package dev.asyncio;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Threshold;
import jdk.jfr.Timespan;

/**
 * The loop's Java Flight Recorder events, shown in a recording next to GC, I/O and thread events. Each is
 * built only when a recording has it enabled ({@link Event#isEnabled()} of a probe instance, read once per
 * loop iteration or task creation), so with no recording running they cost that read and nothing else.
 */
final class JfrEvents {
    /** Never committed: answers "is this event type enabled now" without allocating. */
    static final SlowStep SLOW_STEP = new SlowStep();
    static final TaskLifetime TASK_LIFETIME = new TaskLifetime();
    static final LoopLag LAG = new LoopLag();

    private JfrEvents() {
    }

    /** One callback or task step that ran at least the threshold (20 ms unless the recording's settings say otherwise). */
    @Name("dev.asyncio.SlowStep")
    @Label("Slow Loop Step")
    @Category({"asyncio", "Loop"})
    @Description("A callback or task step that kept the event loop busy; nothing else of that loop ran meanwhile")
    @Threshold("20 ms")
    static final class SlowStep extends Event {
        @Label("Loop")
        String loop;
        @Label("Task")
        @Description("The task stepped, or empty for a plain callback")
        String task;
        @Label("Step")
        @Description("The task (and where it resumed, in debug mode) or the callback")
        String step;
    }

    /** A task, from its creation to its end; committed when it ends. */
    @Name("dev.asyncio.TaskLifetime")
    @Label("Task Lifetime")
    @Category({"asyncio", "Task"})
    @Description("A task from its creation to its end")
    static final class TaskLifetime extends Event {
        @Label("Loop")
        String loop;
        @Label("Task Id")
        int taskId;
        @Label("Task Name")
        String name;
        @Label("Outcome")
        @Description("finished, failed or cancelled")
        String outcome;
    }

    /** How late the loop's periodic lag timer ran; committed on every tick while the loop monitors its lag. */
    @Name("dev.asyncio.LoopLag")
    @Label("Loop Lag")
    @Category({"asyncio", "Loop"})
    @Description("How late a periodic timer of the loop ran: the time a ready callback waited for the loop")
    static final class LoopLag extends Event {
        @Label("Loop")
        String loop;
        @Label("Lag")
        @Timespan(Timespan.NANOSECONDS)
        long lag;
    }
}
