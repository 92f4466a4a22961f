package dev.asyncio;

/**
 * Binds a synchronization primitive to the loop of the first task that waits on it, as asyncio's
 * {@code _LoopBoundMixin} does: a primitive can be created anywhere, even before a loop exists, but its
 * waiters all belong to one loop.
 */
final class LoopBinding {
    private LoopBinding() {
    }

    /**
     * The current task's loop, checked against {@code bound} (the primitive's loop so far, or {@code null}).
     *
     * @param what what the caller is about to wait for, for the message when not in a task
     * @throws IllegalStateException outside a task, or if the primitive belongs to another loop
     */
    static AsyncLoop bind(AsyncLoop bound, Object owner, String what) {
        AsyncLoop current = Task.current(what).loop;
        if (bound != null && bound != current) {
            throw new IllegalStateException(owner + " is bound to a different event loop");
        }
        return current;
    }

    /**
     * Throws if another thread than the running loop's touches a primitive bound to it (design rule 12):
     * checked before any state changes, so a refused call leaves the primitive as it was.
     */
    static void checkThread(AsyncLoop bound, Object owner) {
        if (bound != null && !bound.isLoopThreadOrIdle()) {
            AsyncLoop current = ThreadState.current().runningLoop;
            if (current != null && current != bound) {
                throw new IllegalStateException(owner + " is bound to a different event loop");
            }
            bound.checkThread();
        }
    }
}
