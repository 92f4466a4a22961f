package dev.asyncio;

import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.security.CodeSource;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The checks and records of debug mode ({@code AsyncLoop.builder().debug(true)}), kept out of the hot
 * paths: where a task was created and where it suspends, and the monitor check that turns a deadlock of
 * the loop into an exception.
 */
final class Debugging {
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final CodeSource OWN_CODE = Debugging.class.getProtectionDomain().getCodeSource();
    /** Whether a class belongs to this library (its frames are skipped when naming user code). */
    private static final ClassValue<Boolean> LIBRARY = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            if (type.getName().startsWith("dev.asyncio.internal.") || type.getName().startsWith("jdk.internal.")) {
                return true;
            }
            CodeSource cs = type.getProtectionDomain().getCodeSource();
            return OWN_CODE != null && cs != null && OWN_CODE.getLocation().equals(cs.getLocation());
        }
    };

    private Debugging() {
    }

    /** Library classes by name, for stack trace elements (which carry no class); classes that cannot load are not. */
    private static final Map<String, Boolean> LIBRARY_BY_NAME = new java.util.concurrent.ConcurrentHashMap<>();

    /** Whether the class named {@code name} is this library's (for a {@link TaskDump}: a dump is rare). */
    static boolean isLibraryClass(String name) {
        if (!name.startsWith("dev.asyncio.")) {
            return false;
        }
        return LIBRARY_BY_NAME.computeIfAbsent(name, n -> {
            try {
                return LIBRARY.get(Class.forName(n, false, Debugging.class.getClassLoader()));
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        });
    }

    static boolean isLibraryFrame(StackWalker.StackFrame f) {
        return LIBRARY.get(f.getDeclaringClass());
    }

    /** The stack of the caller, without this library's frames on top. */
    static StackTraceElement[] callerStack() {
        return WALKER.walk(s -> s.dropWhile(Debugging::isLibraryFrame)
                .limit(32)
                .map(StackWalker.StackFrame::toStackTraceElement)
                .toArray(StackTraceElement[]::new));
    }

    /** The innermost frame of user code, or {@code null}. */
    static StackTraceElement callerFrame() {
        return WALKER.walk(s -> s.dropWhile(Debugging::isLibraryFrame)
                .findFirst()
                .map(StackWalker.StackFrame::toStackTraceElement)
                .orElse(null));
    }

    /**
     * Thread engine, debug mode: throws if the task is about to suspend inside a class initializer. The
     * continuation engine refuses that by itself (the frame pins the continuation); on the thread engine
     * the task's virtual thread would stay pinned to its carrier thread, one of as many as there are cores,
     * for as long as it is suspended. A stack walk, too slow for every suspension outside debug mode.
     */
    static void checkNotInClassInitializer(Object awaiting) {
        StackTraceElement clinit = WALKER.walk(s -> s.filter(f -> f.getMethodName().equals("<clinit>"))
                .findFirst()
                .map(StackWalker.StackFrame::toStackTraceElement)
                .orElse(null));
        if (clinit != null) {
            throw new IllegalStateException("Cannot suspend the current task while it awaits " + awaiting
                    + ": the stack holds a class initializer (" + clinit + "). On the thread engine the task's "
                    + "virtual thread would stay pinned to its carrier thread while suspended. Move the await out "
                    + "of the initializer.");
        }
    }

    /** The monitors this thread holds now. */
    static MonitorInfo[] heldMonitors() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        ThreadInfo[] info = mx.getThreadInfo(new long[] {Thread.currentThread().threadId()}, true, false);
        return info.length == 0 || info[0] == null ? new MonitorInfo[0] : info[0].getLockedMonitors();
    }

    /**
     * Throws if the task is about to suspend while holding a monitor it entered: the suspended task would
     * keep it, and the next task or callback entering it would block the loop thread forever.
     */
    static void checkNoMonitorHeld(AsyncLoop loop, Task<?> task, Object awaiting) {
        MonitorInfo[] held = heldMonitors();
        if (held.length > loop.monitorsHeldByRunner) {
            List<String> names = Arrays.stream(held)
                    .limit(held.length - loop.monitorsHeldByRunner)
                    .map(m -> m.getClassName() + "@" + Integer.toHexString(m.getIdentityHashCode())
                            + (m.getLockedStackFrame() != null ? " (locked in " + m.getLockedStackFrame() + ")" : ""))
                    .toList();
            throw new IllegalStateException(task + " would suspend while awaiting " + awaiting
                    + " inside synchronized code holding " + names + ": the monitor stays held while the task is "
                    + "suspended and the loop thread deadlocks on the next attempt to enter it. Release the monitor "
                    + "before awaiting (use dev.asyncio.Lock for mutual exclusion between tasks).");
        }
    }
}
