package dev.asyncio;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The loops of this JVM, seen from outside: a registry of the open loops and the two ways in, both opt-in
 * (each costs something a program that never uses it should not pay):
 * <ul>
 *   <li>{@value #SIGNAL_PROPERTY}{@code =USR1} (or another signal name): on that signal, every loop's full
 *       {@link TaskDump} is printed to standard error. Opt-in because the JVM's default for most signals is to
 *       exit, and a program may use the signal itself; when it does ({@link AsyncLoop#addSignalHandler}, a
 *       {@link Runner}), the dump is printed in addition to what its handler does, not instead (see
 *       {@link SignalDispatch}), and keeps working after that handler is removed.</li>
 *   <li>{@value #JMX_PROPERTY}{@code =true}: the {@link AsyncLoopsMXBean} is registered as
 *       {@value #OBJECT_NAME}; creating the platform MBean server costs tens to hundreds of milliseconds of
 *       CPU once, so it happens only when asked for, on a thread of its own.</li>
 * </ul>
 */
final class Inspection {
    static final String SIGNAL_PROPERTY = "asyncio.inspect.signal";
    static final String JMX_PROPERTY = "asyncio.inspect.jmx";
    static final String OBJECT_NAME = "dev.asyncio:type=AsyncLoops";
    /** How long a loop gets to answer a request from outside before its thread's stack is printed instead. */
    private static final long ANSWER_MILLIS = 1000;

    /** Open loops; weak, so that a loop dropped without {@code close()} does not stay for ever. */
    private static final Map<AsyncLoop, Boolean> LOOPS = Collections.synchronizedMap(new WeakHashMap<>());
    private static final AtomicInteger IDS = new AtomicInteger();
    private static volatile boolean installed;

    private Inspection() {
    }

    /** Adds a new loop; returns its number. Installs the signal handler and the MXBean if asked for, once. */
    static int register(AsyncLoop loop) {
        LOOPS.put(loop, Boolean.TRUE);
        if (!installed) {
            install();
        }
        return IDS.incrementAndGet();
    }

    static void unregister(AsyncLoop loop) {
        LOOPS.remove(loop);
    }

    /** The open loops, in the order of their numbers. */
    static List<AsyncLoop> loops() {
        List<AsyncLoop> all;
        synchronized (LOOPS) {
            all = new ArrayList<>(LOOPS.keySet());
        }
        all.removeIf(AsyncLoop::isClosed);
        all.sort(java.util.Comparator.comparingInt(AsyncLoop::loopId));
        return all;
    }

    private static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        String signal = System.getProperty(SIGNAL_PROPERTY, "").trim();
        if (!signal.isEmpty()) {
            installSignal(SignalDispatch.shortName(signal));
        }
        if (Boolean.getBoolean(JMX_PROPERTY)) {
            Thread.ofVirtual().name("asyncio-inspect-jmx").start(Inspection::registerMXBean);
        }
    }

    /**
     * Prints the dump on every {@code name} signal, through {@link SignalDispatch} as an observer: the dump comes
     * in addition to the program's own handler of that signal ({@link AsyncLoop#addSignalHandler}, a runner's),
     * never instead of it, and stays when that handler is removed. An operator who asks for the dump on a
     * signal the program also uses expects both: the dump, and the program behaving as it would without it.
     */
    private static void installSignal(String name) {
        try {
            if (!SignalDispatch.addObserver(name, Inspection::dumpToStandardError)) {
                System.err.println("dev.asyncio: -D" + SIGNAL_PROPERTY + "=" + name + ": SIG" + name + " was ignored "
                        + "when this JVM started (nohup, a background job) and stays ignored; task dumps on a signal "
                        + "are off");
            }
        } catch (IllegalArgumentException | UnsupportedOperationException e) { // unknown, kept by the JVM, -Xrs
            System.err.println("dev.asyncio: -D" + SIGNAL_PROPERTY + "=" + name + ": " + e.getMessage()
                    + "; task dumps on a signal are off");
        }
    }

    private static void dumpToStandardError() {
        // Not on the signal dispatcher's thread: the dump waits for each loop's answer.
        Thread.ofVirtual().name("asyncio-inspect-dump").start(() -> {
            String text = dumpAll(TaskDump::format);
            synchronized (System.err) {
                System.err.print(text);
                System.err.flush();
            }
        });
    }

    private static void registerMXBean() {
        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(new LoopsBean(),
                    new javax.management.ObjectName(OBJECT_NAME));
        } catch (Exception e) {
            System.err.println("dev.asyncio: could not register " + OBJECT_NAME + ": " + e);
        }
    }

    /**
     * {@code render} of every open loop's dump, each taken on its loop's thread; a loop that does not answer
     * within a second (a step blocks it) is shown by the stack of the thread running it.
     */
    static String dumpAll(Function<TaskDump, String> render) {
        StringBuilder sb = new StringBuilder();
        List<AsyncLoop> loops = loops();
        if (loops.isEmpty()) {
            sb.append("no open event loop\n");
        }
        for (AsyncLoop loop : loops) {
            if (!dumpOne(loop, render, sb)) {
                break;
            }
        }
        return sb.toString();
    }

    /**
     * Appends {@code render} of {@code loop}'s dump, within {@link TaskDump.Limits#OUTSIDE}; {@code false} if the
     * calling thread was interrupted (the caller stops there).
     */
    static boolean dumpOne(AsyncLoop loop, Function<TaskDump, String> render, StringBuilder sb) {
        try {
            sb.append(render.apply(TaskDump.request(loop, TaskDump.Limits.OUTSIDE).get(ANSWER_MILLIS, TimeUnit.MILLISECONDS)));
        } catch (TimeoutException e) {
            sb.append(loop.loopName()).append(" did not answer within ").append(ANSWER_MILLIS)
                    .append(" ms: a step keeps it busy. Its thread now:\n");
            Thread t = loop.threadRunningNow();
            if (t != null) {
                for (StackTraceElement f : t.getStackTrace()) {
                    sb.append("  |   at ").append(f).append('\n');
                }
            }
        } catch (ExecutionException e) {
            sb.append(loop.loopName()).append(": ").append(e.getCause()).append('\n');
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sb.append(loop.loopName()).append(": interrupted\n");
            return false;
        }
        return true;
    }

    /** The registered MXBean. */
    private static final class LoopsBean implements AsyncLoopsMXBean {
        @Override
        public int getLoopCount() {
            return loops().size();
        }

        @Override
        public String ps() {
            return dumpAll(TaskDump::ps);
        }

        @Override
        public String pstree() {
            return dumpAll(TaskDump::pstree);
        }

        @Override
        public String dumpTasks() {
            return dumpAll(TaskDump::format);
        }

        @Override
        public String stats() {
            return dumpAll(d -> d.header() + "\n");
        }
    }
}
