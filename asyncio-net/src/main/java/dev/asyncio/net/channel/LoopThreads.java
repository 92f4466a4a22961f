package dev.asyncio.net.channel;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.Future;
import io.netty.channel.ChannelFuture;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The thread rules of objects that belong to one loop (design rule 12): they are touched on the loop's
 * thread only, and what Netty reports about them is brought back to that thread before a task's future is
 * completed.
 */
public final class LoopThreads {
    private LoopThreads() {
    }

    /**
     * Throws unless the caller may touch objects of {@code loop}: it runs on the loop's thread, or the loop
     * is not running (then nothing else touches them either). Call it before any state is touched, so that a
     * call from the wrong thread fails where it is made and leaves everything as it was.
     *
     * @param what the call being made, for the message: {@code "HttpClient.close()"}
     * @throws IllegalStateException naming {@code callSoonThreadsafe}, the way in from other threads
     */
    public static void check(AsyncLoop loop, String what) {
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

    /**
     * Calls {@code listener}, which completes {@code waiter}, on the loop's thread once {@code f} is done; if
     * the listener throws, {@code waiter} fails with that instead of waiting forever (or, if it is done
     * already, the loop's exception handler hears of it). A channel that could not even be created (no
     * descriptor left: EMFILE) fails its future before it has an event loop, and Netty then notifies from its
     * global executor's thread, which must not touch the loop's futures: the call is then handed over with
     * {@code callSoonThreadsafe}, or dropped if the loop closed meanwhile (nobody waits any more).
     */
    public static void onLoop(AsyncLoop loop, ChannelFuture f, Future<?> waiter, Consumer<ChannelFuture> listener) {
        Runnable complete = () -> {
            try {
                listener.accept(f);
            } catch (Throwable t) {
                if (!waiter.done()) {
                    waiter.setException(t);
                } else {
                    Map<String, Object> context = new LinkedHashMap<>();
                    context.put("message", "Completing " + waiter + " failed");
                    context.put("exception", t);
                    loop.callExceptionHandler(context);
                }
            }
        };
        if (f.isDone() && loop.ioEventLoop().inEventLoop()) {
            complete.run();         // failed before it had a channel: no need to go through Netty's global thread
            return;
        }
        f.addListener(done -> {
            if (loop.ioEventLoop().inEventLoop()) {
                complete.run();
            } else {
                try {
                    loop.callSoonThreadsafe(complete);
                } catch (IllegalStateException loopClosed) {
                    // Nobody waits any more: the loop closed with the task that was connecting.
                }
            }
        });
    }
}
