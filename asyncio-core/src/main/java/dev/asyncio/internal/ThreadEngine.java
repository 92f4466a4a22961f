package dev.asyncio.internal;

/** The thread engine: tasks and generators on {@link ThreadFiber}s; see {@link Engine}. */
final class ThreadEngine extends Engine {
    /** Chosen because continuations are not accessible (rather than asked for): say so at the first loop. */
    private final boolean fallback;

    ThreadEngine(boolean fallback) {
        this.fallback = fallback;
    }

    @Override
    public String name() {
        return THREADS;
    }

    @Override
    String notice() {
        return fallback ? "asyncio-java: running on the thread engine (virtual threads; java.base does not export "
                + "jdk.internal.vm to this library). For the faster continuation engine add the JVM option "
                + FiberSupport.JVM_FLAG + "; -D" + PROPERTY + "=" + THREADS + " or -D" + QUIET_PROPERTY
                + "=true silences this line." : null;
    }

    @Override
    Fiber newTask(Runnable body) {
        return new ThreadFiber(body, ThreadFiber.TASK);
    }

    @Override
    Fiber newGenerator(Runnable body) {
        return new ThreadFiber(body, ThreadFiber.GENERATOR);
    }
}
