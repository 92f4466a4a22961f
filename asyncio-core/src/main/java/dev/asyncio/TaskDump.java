package dev.asyncio;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A snapshot of every task of one loop: what each waits for, who waits for it, and where its code is
 * suspended; asyncio's {@code capture_call_graph} for a whole loop, with the text of
 * {@code python -m asyncio ps} and {@code pstree}.
 *
 * <pre>{@code
 * TaskDump dump = TaskDump.of(Asyncio.getRunningLoop());  // in a task or callback of the loop
 * System.err.println(dump.pstree());
 * }</pre>
 *
 * <p>"Awaited by" follows the same links as asyncio: a task awaiting a task, a gather awaiting its children
 * (named after the task that awaits the gather), a {@link TaskGroup}'s parent task awaiting the group's tasks
 * (from their creation on, as in asyncio), and {@link Asyncio#shield} awaiting the shielded task. A task's
 * stack is its suspended Java stack without the engine's frames (on the continuation engine, the
 * continuation's frames; on the thread engine, its virtual thread's); where it was created is known in debug
 * mode only. Nothing is recorded beforehand, so the loop pays nothing for dumps it never takes; taking one
 * stops the loop while it reads every task's stack, which is most of the cost (on a shared two-core machine at
 * load average 27, 100 to 340 microseconds per task: about a second per 10 000 suspended tasks).
 *
 * <p>A dump is taken on the loop's thread, between steps, when no task runs: {@link #of} there (or while the
 * loop is not running), {@link #request} from any other thread. From outside the process: the signal and JMX
 * ways in {@code docs/guides/inspecting.md}.
 */
public final class TaskDump {
    private final String loop;
    private final double time;
    private final LoopStats stats;
    private final List<TaskInfo> tasks;
    /** Tasks alive when the dump was taken but not in {@link #tasks} (over the capture's task cap). */
    private final int omitted;
    /** At most this many characters of rendered tasks (the header and the last line come on top). */
    private final int maxChars;

    /**
     * The caps of a dump taken for someone outside the program (a signal, JMX, {@code dev.asyncio.tools.Ps}):
     * at most {@code tasks} tasks are read, a name or an awaiting text is cut to {@code textChars} characters,
     * a stack to {@code frames} frames, the tasks awaiting one to {@code awaiters}, and the text of one loop to
     * about {@code chars} characters; what was left out is counted on a last line
     * ({@code ... 99000 more tasks omitted}). A loop of 100 000 tasks would otherwise stop for tens of seconds
     * and hand over hundreds of megabytes.
     */
    record Limits(int tasks, int textChars, int frames, int awaiters, int chars) {
        static final Limits NONE = new Limits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE,
                Integer.MAX_VALUE, Integer.MAX_VALUE);
        /** The caps of the signal, JMX and {@code Ps} dumps; {@code docs/guides/inspecting.md} states them. */
        static final Limits OUTSIDE = new Limits(1000, 200, 64, 20, 1 << 20);
    }

    /**
     * One task in a dump.
     *
     * @param id        the number in its default name (1 for the loop's first task)
     * @param name      its name
     * @param state     {@code running} (it took the dump), {@code ready} (scheduled to run), {@code waiting},
     *                  or {@code cancelling} (a cancellation is pending)
     * @param awaiting  what it waits for ({@code task #3 'fetch'}, {@code gather(...)}, {@code sleep until 2.000},
     *                  a future), or empty
     * @param awaitedBy the tasks waiting for it, and how
     * @param stack     its Java stack, innermost frame first, without the engine's frames; empty before it starts
     * @param createdAt where it was created (debug mode only; empty otherwise)
     */
    public record TaskInfo(int id, String name, String state, String awaiting, List<Awaiter> awaitedBy,
                           List<StackTraceElement> stack, List<StackTraceElement> createdAt) {
        /**
         * The innermost frame of the program's own code ({@code Class.method}, without this library's and the
         * JDK's frames), or empty.
         */
        public String where() {
            for (StackTraceElement e : stack) {
                if (!isLibraryOrJdk(e)) {
                    String cls = e.getClassName();
                    return cls.substring(cls.lastIndexOf('.') + 1) + "." + e.getMethodName();
                }
            }
            return "";
        }

        String label() {
            return "#" + id + " '" + name + "'";
        }
    }

    /**
     * A task waiting for another.
     *
     * @param id   the waiting task's number
     * @param name its name
     * @param via  how: {@code await}, {@code gather}, {@code TaskGroup} or {@code shield}
     */
    public record Awaiter(int id, String name, String via) {
    }

    private TaskDump(String loop, double time, LoopStats stats, List<TaskInfo> tasks, int omitted, int maxChars) {
        this.loop = loop;
        this.time = time;
        this.stats = stats;
        this.tasks = tasks;
        this.omitted = omitted;
        this.maxChars = maxChars;
    }

    /**
     * Takes a dump of {@code loop}'s tasks now, on the calling thread: the loop's thread (a task or callback of
     * it), or any thread while the loop is not running.
     *
     * @throws IllegalStateException if another thread runs the loop (use {@link #request}) or the loop is closed
     */
    public static TaskDump of(AsyncLoop loop) {
        return of(loop, Limits.NONE);
    }

    /** {@link #of(AsyncLoop)} within {@code limits}: the oldest tasks up to the cap, each cut to size. */
    static TaskDump of(AsyncLoop loop, Limits limits) {
        if (loop.isClosed()) {
            throw new IllegalStateException("Event loop is closed");
        }
        loop.checkThread();
        Task<?> current = loop.currentTask();
        List<TaskInfo> infos = new ArrayList<>();
        int omitted = 0;
        for (Task<?> t : loop.allTasks()) {
            if (infos.size() < limits.tasks()) {
                infos.add(describe(loop, t, t == current, limits));
            } else {
                omitted++;
            }
        }
        return new TaskDump(loop.loopName(), loop.time(), loop.stats(), Collections.unmodifiableList(infos),
                omitted, limits.chars());
    }

    /**
     * Takes a dump from any thread: on the loop's thread between two steps, or at once if this is the loop's
     * thread or the loop is not running. The future does not complete while a step keeps the loop busy: wait
     * for it with a time limit ({@link Thread} stacks, {@link AsyncLoop#threadRunningNow()}, show what blocks).
     * Completes exceptionally if the loop is closed before it answers.
     */
    public static CompletableFuture<TaskDump> request(AsyncLoop loop) {
        return request(loop, Limits.NONE);
    }

    /** {@link #request(AsyncLoop)} within {@code limits}. */
    static CompletableFuture<TaskDump> request(AsyncLoop loop, Limits limits) {
        CompletableFuture<TaskDump> answer = new CompletableFuture<>();
        Runnable take = () -> {
            try {
                answer.complete(of(loop, limits));
            } catch (Throwable e) {
                answer.completeExceptionally(e);
            }
        };
        if (loop.isLoopThreadOrIdle()) {
            take.run();
            return answer;
        }
        try {
            loop.callSoonThreadsafe(take);
        } catch (IllegalStateException closed) {
            answer.completeExceptionally(closed);
        }
        return answer;
    }

    /** The loop's name ({@code loop-N}). */
    public String loop() {
        return loop;
    }

    /** The loop's clock when the dump was taken ({@link AsyncLoop#time()}). */
    public double time() {
        return time;
    }

    /** The loop's figures when the dump was taken. */
    public LoopStats stats() {
        return stats;
    }

    /** The tasks not done, oldest first. */
    public List<TaskInfo> tasks() {
        return tasks;
    }

    /**
     * How many tasks not done are not in {@link #tasks()}: 0 for {@link #of} and {@link #request}, which read
     * every task; a dump taken from outside the process reads at most 1000 (see {@code docs/guides/inspecting.md}).
     */
    public int omittedTasks() {
        return omitted;
    }

    // ---------------------------------------------------------------- capture

    private static TaskInfo describe(AsyncLoop loop, Task<?> t, boolean running, Limits limits) {
        Object w = t.waiter();
        String state = running ? "running" : t.cancelPending() ? "cancelling" : w == null ? "ready" : "waiting";
        StackTraceElement[] raw = running ? Thread.currentThread().getStackTrace() : t.getStack();
        StackTraceElement[] created = t.creationStack();
        List<Awaiter> awaiters = awaitersOf(t);
        if (awaiters.size() > limits.awaiters()) {
            int more = awaiters.size() - limits.awaiters();
            awaiters = new ArrayList<>(awaiters.subList(0, limits.awaiters()));
            awaiters.add(new Awaiter(0, "... " + more + " more", "omitted"));
            awaiters = List.copyOf(awaiters);
        }
        return new TaskInfo(t.id(), cut(t.getName(), limits.textChars()), state,
                cut(describeWaiter(loop, w, limits.awaiters()), limits.textChars()), awaiters,
                frames(trim(raw, running), limits.frames()), created == null ? List.of() : frames(created, limits.frames()));
    }

    /** {@code text} cut to {@code max} characters, saying how many were cut. */
    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "... (" + (text.length() - max) + " more characters)";
    }

    private static List<StackTraceElement> frames(StackTraceElement[] all, int max) {
        return List.of(all.length <= max ? all : Arrays.copyOf(all, max));
    }

    private static String describeWaiter(AsyncLoop loop, Object w, int maxChildren) {
        if (w == null) {
            return "";
        }
        if (Task.isSleepingForever(w)) {
            return "sleep(inf)";
        }
        if (w instanceof TimerCallbackHandle timer) {
            return String.format(Locale.ROOT, "sleep until %.3f", timer.when());
        }
        if (w instanceof Task<?> t) {
            return "task " + label(t);
        }
        if (w instanceof Gathering g) {
            StringBuilder sb = new StringBuilder("gather(");
            List<Future<?>> children = g.children();
            for (int i = 0; i < children.size(); i++) {
                if (i == maxChildren) {
                    sb.append(", ... ").append(children.size() - i).append(" more");
                    break;
                }
                Future<?> c = children.get(i);
                sb.append(i == 0 ? "" : ", ").append(c instanceof Task<?> ct ? label(ct) : c.toString());
                if (c.done()) {
                    sb.append(" done");
                }
            }
            return sb.append(')').toString();
        }
        return w.toString();
    }

    private static String label(Task<?> t) {
        return "#" + t.id() + " '" + t.getName() + "'";
    }

    /** The tasks waiting for {@code t}, through futures in between (a gather, a shield), once each. */
    private static List<Awaiter> awaitersOf(Task<?> t) {
        Map<Task<?>, String> found = new LinkedHashMap<>();
        Set<Future<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        collect(t, null, found, seen);
        List<Awaiter> out = new ArrayList<>(found.size());
        found.forEach((task, via) -> out.add(new Awaiter(task.id(), task.getName(), via)));
        return List.copyOf(out);
    }

    private static void collect(Future<?> f, String firstVia, Map<Task<?>, String> found, Set<Future<?>> seen) {
        if (!seen.add(f)) {
            return;
        }
        f.forEachAwaiter((awaiter, via) -> {
            String how = firstVia != null ? firstVia : via;
            if (awaiter instanceof Task<?> task) {
                found.putIfAbsent(task, how);
            } else {
                collect(awaiter, how, found, seen);
            }
        });
    }

    /**
     * The stack without the engine's frames: those above the first frame of the library's API (the
     * continuation's or thread's parking, the task's suspension) and those from the task's body down.
     */
    private static StackTraceElement[] trim(StackTraceElement[] raw, boolean running) {
        int from = 0;
        while (from < raw.length && isEngineFrame(raw[from], running)) {
            from++;
        }
        int to = from;
        while (to < raw.length && !Task.isBodyFrame(raw[to])) {
            to++;
        }
        return Arrays.copyOfRange(raw, from, to);
    }

    private static boolean isEngineFrame(StackTraceElement e, boolean running) {
        String c = e.getClassName();
        if (running) {
            return c.equals(Thread.class.getName()) || c.equals(TaskDump.class.getName());
        }
        return c.startsWith("dev.asyncio.internal.") || c.equals(Task.class.getName()) || isJdk(e);
    }

    private static boolean isJdk(StackTraceElement e) {
        String m = e.getModuleName();
        return m != null && (m.startsWith("java.") || m.startsWith("jdk."));
    }

    private static boolean isLibraryOrJdk(StackTraceElement e) {
        return isJdk(e) || Debugging.isLibraryClass(e.getClassName());
    }

    // ---------------------------------------------------------------- printing

    /** The dump's first line: the loop, its clock and its figures. */
    public String header() {
        LoopStats s = stats;
        return String.format(Locale.ROOT, "%s at %.3f s: %d tasks, %d ready, %d timers, %d slow steps, %d open "
                        + "connections%s", loop, time, s.tasksAlive(), s.readyQueue(), s.timers(), s.slowSteps(),
                s.openConnections(),
                Double.isNaN(s.lagSeconds()) ? "" : String.format(Locale.ROOT, ", lag %.3f s (max %.3f s)",
                        s.lagSeconds(), s.maxLagSeconds()));
    }

    /**
     * Every task with what it awaits, who awaits it, its stack and (debug mode) where it was created: the
     * full dump, as asyncio's {@code print_call_graph} prints one task.
     */
    public String format() {
        StringBuilder sb = new StringBuilder(header()).append('\n');
        int start = sb.length();
        int shown = 0;
        for (TaskInfo t : tasks) {
            if (sb.length() - start >= maxChars) {
                break;
            }
            shown++;
            sb.append("* Task ").append(t.label()).append(' ').append(t.state());
            if (!t.awaiting().isEmpty()) {
                sb.append(", awaiting ").append(t.awaiting());
            }
            sb.append('\n');
            if (!t.awaitedBy().isEmpty()) {
                sb.append("  + awaited by: ").append(awaitersText(t)).append('\n');
            }
            appendFrames(sb, "stack", t.stack());
            appendFrames(sb, "created at", t.createdAt());
        }
        return appendOmitted(sb, tasks.size() - shown);
    }

    /** The last line of a dump that left tasks out (over the task cap, or over the character cap when printed). */
    private String appendOmitted(StringBuilder sb, int notShown) {
        int more = omitted + notShown;
        if (more > 0) {
            sb.append("... ").append(more).append(more == 1 ? " more task omitted" : " more tasks omitted")
                    .append(" (a dump from outside shows at most ").append(Limits.OUTSIDE.tasks())
                    .append(" tasks and about ").append(Limits.OUTSIDE.chars()).append(" characters per loop)\n");
        }
        return sb.toString();
    }

    private static void appendFrames(StringBuilder sb, String title, List<StackTraceElement> frames) {
        if (frames.isEmpty()) {
            return;
        }
        sb.append("  + ").append(title).append(":\n");
        for (StackTraceElement e : frames) {
            sb.append("  |   at ").append(e).append('\n');
        }
    }

    private static String awaitersText(TaskInfo t) {
        StringBuilder sb = new StringBuilder();
        for (Awaiter a : t.awaitedBy()) {
            sb.append(sb.isEmpty() ? "" : ", ").append('#').append(a.id()).append(" '").append(a.name())
                    .append("' (").append(a.via()).append(')');
        }
        return sb.toString();
    }

    /**
     * One line per task: id, name, state, what it awaits, who awaits it, and the innermost frame of the
     * program's code; {@code python -m asyncio ps}.
     */
    public String ps() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"id", "name", "state", "awaiting", "awaited by", "where"});
        for (TaskInfo t : tasks) {
            rows.add(new String[] {"#" + t.id(), t.name(), t.state(), t.awaiting(), awaitersText(t), t.where()});
        }
        int[] width = new int[6];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder(header()).append('\n');
        int start = sb.length();
        int shown = -1; // the title row is not a task
        for (String[] r : rows) {
            if (sb.length() - start >= maxChars) {
                break;
            }
            shown++;
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]);
                if (i < r.length - 1) {
                    line.append(" ".repeat(width[i] - r[i].length() + 2));
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return appendOmitted(sb, tasks.size() - shown);
    }

    /**
     * The tasks as a tree: each under the tasks that await it (a task awaited by two appears under both),
     * those awaited by none at the top; {@code python -m asyncio pstree}.
     */
    public String pstree() {
        Map<Integer, TaskInfo> byId = new LinkedHashMap<>();
        Map<Integer, List<TaskInfo>> children = new LinkedHashMap<>();
        for (TaskInfo t : tasks) {
            byId.put(t.id(), t);
        }
        List<TaskInfo> roots = new ArrayList<>();
        for (TaskInfo t : tasks) {
            boolean hasParent = false;
            for (Awaiter a : t.awaitedBy()) {
                if (byId.containsKey(a.id())) {
                    children.computeIfAbsent(a.id(), k -> new ArrayList<>()).add(t);
                    hasParent = true;
                }
            }
            if (!hasParent) {
                roots.add(t);
            }
        }
        StringBuilder sb = new StringBuilder(header()).append('\n');
        Function<TaskInfo, String> text = t -> "(T) " + t.label() + " " + t.state()
                + (t.awaiting().isEmpty() ? "" : ", awaiting " + t.awaiting())
                + (t.where().isEmpty() ? "" : " at " + t.where());
        Set<Integer> shown = new java.util.HashSet<>();
        int end = sb.length() + maxChars < 0 ? Integer.MAX_VALUE : sb.length() + maxChars;
        for (int i = 0; i < roots.size(); i++) {
            tree(sb, roots.get(i), "", i == roots.size() - 1, children, text, new ArrayList<>(), shown, end);
        }
        return appendOmitted(sb, tasks.size() - shown.size());
    }

    private static void tree(StringBuilder sb, TaskInfo t, String prefix, boolean last,
                             Map<Integer, List<TaskInfo>> children, Function<TaskInfo, String> text,
                             List<Integer> path, Set<Integer> shown, int end) {
        if (sb.length() >= end) {
            return;
        }
        shown.add(t.id());
        sb.append(prefix).append(last ? "└── " : "├── ").append(text.apply(t));
        if (path.contains(t.id())) {
            sb.append(" (cycle)\n"); // tasks awaiting each other: asyncio refuses such a tree; show where it closes
            return;
        }
        sb.append('\n');
        path.add(t.id());
        List<TaskInfo> kids = children.getOrDefault(t.id(), List.of());
        for (int i = 0; i < kids.size(); i++) {
            tree(sb, kids.get(i), prefix + (last ? "    " : "│   "), i == kids.size() - 1, children, text, path, shown,
                    end);
        }
        path.remove(path.size() - 1);
    }

    @Override
    public String toString() {
        return format();
    }
}
