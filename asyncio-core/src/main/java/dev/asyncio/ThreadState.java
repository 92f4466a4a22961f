package dev.asyncio;

/**
 * What a thread is doing as far as asyncio is concerned: the loop it runs, if any, and its current
 * {@link Context}. A loop keeps a reference to its thread's state, so that stepping a task swaps the
 * context with two field writes instead of a {@code ThreadLocal} lookup.
 */
final class ThreadState {
    private static final ThreadLocal<ThreadState> CURRENT = ThreadLocal.withInitial(ThreadState::new);

    /** The thread whose state this is (a thread that {@link #adopt adopts} it runs for that one). */
    final Thread thread = Thread.currentThread();

    /** The loop running on this thread, or {@code null}. */
    AsyncLoop runningLoop;

    /** The context that {@link ContextVar#get()} reads and {@link ContextVar#set} writes. */
    Context context = new Context();

    static ThreadState current() {
        return CURRENT.get();
    }

    /**
     * Thread engine: makes {@code state} the calling thread's, so that the thread of a task, of a generator
     * or of a loop's host sees the loop and context of the thread it runs for, as the one loop thread of the
     * continuation engine does.
     */
    static void adopt(ThreadState state) {
        CURRENT.set(state);
    }
}
