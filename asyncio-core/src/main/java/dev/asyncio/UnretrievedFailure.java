package dev.asyncio;

import dev.asyncio.internal.Cleaners;

import java.lang.ref.Cleaner;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Watches a failed future whose exception nobody has retrieved yet, and reports it through the loop's
 * exception handler when the future is garbage-collected or the loop closes (asyncio's "exception was never
 * retrieved"). It holds no reference to the future, so that the future can be collected; retrieving the
 * exception settles it.
 */
final class UnretrievedFailure implements Runnable {

    private final AsyncLoop loop;
    private final Throwable exception;
    private final String description;
    private final boolean task;
    private final StackTraceElement[] sourceTraceback;
    private final Cleaner.Cleanable cleanable;
    /** Set once retrieved or reported; written by the loop thread or the cleaner thread. */
    private volatile boolean settled;

    UnretrievedFailure(AsyncLoop loop, Throwable exception, Future<?> future) {
        this.loop = loop;
        this.exception = exception;
        this.description = describe(future, exception);
        this.task = future instanceof Task<?>;
        this.sourceTraceback = future instanceof Task<?> t ? t.creationStack() : null;
        loop.trackUnretrieved(this);
        this.cleanable = Cleaners.CLEANER.register(future, this);
    }

    /** The future as its toString says, or its state and the exception's class where that fails (user code). */
    private static String describe(Future<?> future, Throwable exception) {
        try {
            return future.toString();
        } catch (RuntimeException | LinkageError failed) {
            return "<" + future.getClass().getSimpleName() + " finished exception=" + exception.getClass().getName()
                    + " (its toString failed: " + failed.getClass().getName() + ")>";
        }
    }

    /** The exception was retrieved: nothing to report. Loop thread only. */
    void retrieved() {
        settled = true;
        loop.untrackUnretrieved(this);
        cleanable.clean();
    }

    /** The cleaner's action: the future became unreachable. Runs on the cleaner thread. */
    @Override
    public void run() {
        if (settled) {
            return;
        }
        settled = true;
        loop.executeOnLoopThread(this::report);
    }

    /** Reports now unless already settled by retrieval; called by the loop as it closes. */
    void reportIfUnsettled() {
        if (!settled) {
            settled = true;
            report();
        }
    }

    private void report() {
        loop.untrackUnretrieved(this);
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("message", (task ? "Task" : "Future") + " exception was never retrieved");
        context.put("exception", exception);
        context.put("future", description);
        if (sourceTraceback != null) {
            context.put("source_traceback", Arrays.asList(sourceTraceback));
        }
        loop.callExceptionHandler(context);
    }
}
