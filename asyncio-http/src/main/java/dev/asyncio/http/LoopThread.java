package dev.asyncio.http;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;

/**
 * The thread check of the client's objects (design rule 12): a client, its responses and its connections
 * belong to one loop, and are touched on that loop's thread only. The check runs before any state is
 * touched, so that a call from the wrong thread fails where it is made and leaves everything as it was.
 */
final class LoopThread {
    private LoopThread() {
    }

    /**
     * Throws unless the caller may touch objects of {@code loop}: it runs on the loop's thread, or the loop
     * is not running (then nothing else touches them either).
     *
     * @param what the call being made, for the message: {@code "HttpClient.close()"}
     * @throws IllegalStateException naming {@code callSoonThreadsafe}, the way in from other threads
     */
    static void check(AsyncLoop loop, String what) {
        if (!loop.isRunning()) {
            return;
        }
        AsyncLoop here;
        try {
            here = Asyncio.getRunningLoop();
        } catch (IllegalStateException noLoopHere) {
            here = null;
        }
        if (here != loop) {
            throw new IllegalStateException(what + " was called from thread '" + Thread.currentThread().getName()
                    + "', which does not run the loop it belongs to; from other threads use "
                    + "loop.callSoonThreadsafe(...) to call it on the loop's thread");
        }
    }
}
