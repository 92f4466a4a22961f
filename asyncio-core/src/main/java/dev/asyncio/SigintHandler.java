package dev.asyncio;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C for {@link Runner}, as Python's {@code asyncio.Runner} does it: the first SIGINT cancels the main
 * task (so it can clean up and the program ends with {@link KeyboardInterrupt}); a second SIGINT while the
 * cleanup runs goes to the handler that was there before (the JVM's, which exits).
 *
 * <p>Installed only while a runner runs on the JVM's main thread, and removed afterwards. If SIGINT is
 * ignored, or signals are unavailable ({@code -Xrs}), nothing is installed.
 */
final class SigintHandler implements SignalHandler {
    private static final Signal SIGINT = new Signal("INT");

    private final AsyncLoop loop;
    private final Task<?> main;
    private volatile SignalHandler previous;
    private volatile int interrupts;

    private SigintHandler(AsyncLoop loop, Task<?> main) {
        this.loop = loop;
        this.main = main;
    }

    /** Installs a handler for {@code main}, or returns {@code null} when this thread should not own Ctrl-C. */
    static SigintHandler installIfMainThread(AsyncLoop loop, Task<?> main) {
        Thread t = Thread.currentThread();
        if (!"main".equals(t.getName()) || t.getThreadGroup() == null || !"main".equals(t.getThreadGroup().getName())) {
            return null;
        }
        SigintHandler handler = new SigintHandler(loop, main);
        try {
            handler.previous = Signal.handle(SIGINT, handler);
        } catch (IllegalArgumentException | UnsupportedOperationException unavailable) {
            return null;
        }
        if (handler.previous == SignalHandler.SIG_IGN) {
            Signal.handle(SIGINT, SignalHandler.SIG_IGN);
            return null;
        }
        return handler;
    }

    @Override
    public void handle(Signal signal) {
        if (++interrupts == 1) {
            try {
                loop.callSoonThreadsafe(() -> main.cancel("interrupted by SIGINT (Ctrl-C)"));
                return;
            } catch (IllegalStateException closed) {
                // the loop is gone: nothing left to cancel, behave as if we were not here
            }
        }
        SignalHandler p = restore();
        if (p != null && p != SignalHandler.SIG_DFL) {
            p.handle(signal);
        } else {
            Runtime.getRuntime().exit(130);
        }
    }

    /** Whether Ctrl-C was pressed while installed. */
    boolean interrupted() {
        return interrupts > 0;
    }

    /** Puts the previous handler back; returns it. */
    SignalHandler restore() {
        SignalHandler p = previous;
        if (p != null) {
            try {
                Signal.handle(SIGINT, p);
            } catch (IllegalArgumentException ignored) {
                // already restored
            }
        }
        return p;
    }
}
