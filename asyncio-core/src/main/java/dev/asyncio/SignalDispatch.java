package dev.asyncio;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one JVM-level handler per signal behind {@link AsyncLoop#addSignalHandler}, {@link MainTaskSignals} and
 * {@link Inspection}'s task-dump signal (the JVM keeps one {@code sun.misc.Signal} handler per signal, so they
 * must share it, not replace each other). When a signal arrives:
 * <ol>
 *   <li>every observer runs ({@link #addObserver}: the operator's {@code -Dasyncio.inspect.signal} dump), in
 *       addition to whatever comes next, never instead of it: an observer only looks;</li>
 *   <li>then every loop's handler for it (each on its own loop); if there is none, the main task of the
 *       innermost running {@link Runner}; if there is none either, the handler that was there before, unless it
 *       is the JVM's default (exit with 128 + the signal's number) and an observer ran: a signal an operator
 *       asked to dump on must not also kill the process.</li>
 * </ol>
 * The previous handler is put back when nothing (no loop, runner or observer) listens to the signal any more.
 *
 * <p>Written by hand: the JDK offers only the raw, process-wide {@code sun.misc.Signal}.
 */
final class SignalDispatch implements SignalHandler {
    /**
     * Signals the JVM keeps for itself, with why (HotSpot on Linux; {@code Signal.handle} refuses the first
     * six, the others it would take but needs for its own correctness).
     */
    private static final Map<String, String> RESERVED = Map.of(
            "QUIT", "the JVM uses it to print thread dumps (kill -3, jstack)",
            "ILL", "the JVM uses it for its own error handling",
            "FPE", "the JVM uses it for its own error handling (integer division by zero)",
            "SEGV", "the JVM uses it for its own error handling (implicit null checks, stack banging)",
            "KILL", "no process can catch it",
            "STOP", "no process can catch it",
            "BUS", "the JVM uses it to turn a failed access to a memory-mapped file into an exception",
            "PIPE", "the JVM ignores it so that writing to a closed pipe or socket fails with an IOException",
            "XFSZ", "the JVM ignores it so that writing past the file size limit fails with an IOException");

    private static final System.Logger LOG = System.getLogger("dev.asyncio");
    private static final Object LOCK = new Object();
    /** By short signal name; guarded by LOCK. */
    private static final Map<String, SignalDispatch> INSTALLED = new HashMap<>();

    private final Signal signal;
    /** The handler before this one was installed (restored when nothing listens any more). */
    private SignalHandler previous;
    /** Whether the JVM let this handler in (it leaves HUP, INT and TERM alone when ignored at launch). */
    private boolean active;
    /** One callback per loop; guarded by LOCK. */
    private final Map<AsyncLoop, Runnable> loops = new LinkedHashMap<>();
    /** Main tasks' handlers, innermost last; guarded by LOCK. */
    private final List<SignalHandler> programs = new ArrayList<>();
    /** Handlers that run on every signal, before the others and in addition to them; guarded by LOCK. */
    private final List<Runnable> observers = new ArrayList<>();

    private SignalDispatch(Signal signal) {
        this.signal = signal;
    }

    /** The short name ({@code "TERM"}) of a signal given as {@code "TERM"} or {@code "SIGTERM"}. */
    static String shortName(String name) {
        if (name == null) {
            throw new NullPointerException("signal name is null");
        }
        return name.startsWith("SIG") ? name.substring(3) : name;
    }

    /** Makes {@code callback} {@code loop}'s handler of {@code name}, replacing the one it had. */
    static void addLoopHandler(AsyncLoop loop, String name, Runnable callback) {
        String shortName = checkedName(name);
        synchronized (LOCK) {
            SignalDispatch d = dispatcher(shortName);
            d.loops.put(loop, callback);
            if (!d.active) {
                LOG.log(System.Logger.Level.WARNING, "SIG{0} was ignored when this JVM started (a background job ignores "
                        + "SIGINT, nohup SIGHUP) and the JVM keeps it ignored: the handler registered on {1} will not "
                        + "be called", shortName, loop);
            }
        }
    }

    /** The short name of {@code name}; refused with the reason if the JVM keeps that signal. */
    private static String checkedName(String name) {
        String shortName = shortName(name);
        String reserved = RESERVED.get(shortName);
        if (reserved != null) {
            throw new IllegalArgumentException("SIG" + shortName + " cannot be handled: " + reserved);
        }
        return shortName;
    }

    /**
     * Runs {@code observer} (on the JVM's signal thread: it must hand any real work to a thread of its own) on
     * every {@code name} signal, before and in addition to the loops', the runner's or the previous handler, until
     * {@link #removeObserver}; while one is registered, the JVM's default action (exit) is not taken. Returns
     * whether the signal reaches it: {@code false} if the signal was ignored when the JVM started (the JVM keeps it
     * ignored). Throws {@link IllegalArgumentException} naming the reason for a signal that is unknown, kept by
     * the JVM, or refused ({@code -Xrs}).
     */
    static boolean addObserver(String name, Runnable observer) {
        String shortName = checkedName(name);
        synchronized (LOCK) {
            SignalDispatch d = dispatcher(shortName);
            if (!d.active) {
                d.releaseIfUnused();
                return false;
            }
            d.observers.add(observer);
            return true;
        }
    }

    static void removeObserver(String name, Runnable observer) {
        synchronized (LOCK) {
            SignalDispatch d = INSTALLED.get(shortName(name));
            if (d != null && d.observers.remove(observer)) {
                d.releaseIfUnused();
            }
        }
    }

    /** Removes {@code loop}'s handler of {@code name}; whether there was one. */
    static boolean removeLoopHandler(AsyncLoop loop, String name) {
        String shortName = shortName(name);
        synchronized (LOCK) {
            SignalDispatch d = INSTALLED.get(shortName);
            if (d == null) {
                parse(shortName); // an unknown name fails as in addSignalHandler
                return false;
            }
            if (d.loops.remove(loop) == null) {
                return false;
            }
            d.releaseIfUnused();
            return true;
        }
    }

    /** Removes every handler {@code loop} registered (on close). */
    static void removeAll(AsyncLoop loop) {
        synchronized (LOCK) {
            for (SignalDispatch d : List.copyOf(INSTALLED.values())) {
                if (d.loops.remove(loop) != null) {
                    d.releaseIfUnused();
                }
            }
        }
    }

    /** The signals {@code loop} has handlers for, by short name (for tests and {@code toString}). */
    static Set<String> handledBy(AsyncLoop loop) {
        synchronized (LOCK) {
            Set<String> names = new java.util.TreeSet<>();
            INSTALLED.forEach((name, d) -> {
                if (d.loops.containsKey(loop)) {
                    names.add(name);
                }
            });
            return names;
        }
    }

    /**
     * Lets {@code handler} (a runner's) handle {@code name} when no loop does, until {@link #removeProgram}; returns
     * the handler that was there before this dispatcher (for a second signal), or {@code null} if the signal cannot
     * be handled here (ignored at launch, or refused by the JVM: {@code -Xrs}).
     */
    static SignalHandler addProgram(String name, SignalHandler handler) {
        synchronized (LOCK) {
            SignalDispatch d;
            try {
                d = dispatcher(name);
            } catch (IllegalArgumentException | UnsupportedOperationException unavailable) {
                return null;
            }
            if (!d.active || d.previous == SignalHandler.SIG_IGN) {
                d.releaseIfUnused(); // an ignored signal stays ignored for a runner
                return null;
            }
            d.programs.add(handler);
            return d.previous;
        }
    }

    static void removeProgram(String name, SignalHandler handler) {
        synchronized (LOCK) {
            SignalDispatch d = INSTALLED.get(name);
            if (d != null && d.programs.remove(handler)) {
                d.releaseIfUnused();
            }
        }
    }

    /** The dispatcher of {@code shortName}, installed if it was not; guarded by LOCK. */
    private static SignalDispatch dispatcher(String shortName) {
        SignalDispatch d = INSTALLED.get(shortName);
        if (d != null) {
            return d;
        }
        Signal signal = parse(shortName);
        d = new SignalDispatch(signal);
        try {
            d.previous = Signal.handle(signal, d);
        } catch (IllegalArgumentException refused) {
            throw new IllegalArgumentException("SIG" + shortName + " cannot be handled: the JVM refused it (reserved "
                    + "for its own use, or it runs with -Xrs)", refused);
        }
        // The JVM returns SIG_IGN without installing anything for HUP, INT and TERM ignored at launch: check.
        SignalHandler now = Signal.handle(signal, d);
        d.active = now == d;
        INSTALLED.put(shortName, d);
        return d;
    }

    private static Signal parse(String shortName) {
        try {
            return new Signal(shortName);
        } catch (IllegalArgumentException unknown) {
            throw new IllegalArgumentException("unknown signal name '" + shortName + "' (expected a name such as "
                    + "\"SIGTERM\" or \"TERM\")", unknown);
        }
    }

    /** Puts the previous handler back once no loop and no runner listens; guarded by LOCK. */
    private void releaseIfUnused() {
        if (!loops.isEmpty() || !programs.isEmpty() || !observers.isEmpty()) {
            return;
        }
        INSTALLED.remove(signal.getName());
        if (active) {
            Signal.handle(signal, previous);
        }
    }

    @Override
    public void handle(Signal sig) {
        List<Map.Entry<AsyncLoop, Runnable>> targets;
        SignalHandler program;
        SignalHandler before;
        List<Runnable> watching;
        synchronized (LOCK) {
            watching = List.copyOf(observers);
            targets = List.copyOf(loops.entrySet());
            program = programs.isEmpty() ? null : programs.get(programs.size() - 1);
            before = previous;
        }
        for (Runnable observer : watching) {
            try {
                observer.run();
            } catch (RuntimeException e) { // an observer must not keep the signal from the program
                LOG.log(System.Logger.Level.WARNING, "an observer of SIG" + sig.getName() + " failed", e);
            }
        }
        if (!targets.isEmpty()) {
            for (Map.Entry<AsyncLoop, Runnable> e : targets) {
                e.getKey().callSoonThreadsafeIfOpen(e.getValue()); // a loop closing meanwhile has no handler left
            }
        } else if (program != null) {
            program.handle(sig);
        } else if (before != null && before != SignalHandler.SIG_DFL && before != SignalHandler.SIG_IGN) {
            before.handle(sig);
        } else if (before == SignalHandler.SIG_DFL && watching.isEmpty()) {
            Runtime.getRuntime().exit(128 + sig.getNumber());
        }
    }
}
