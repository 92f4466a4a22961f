package dev.asyncio;

import dev.asyncio.test.AsyncTest;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failing demonstrations of the review's findings in asyncio-core, one test per finding, each disabled so
 * that the build stays green; the numbers are the report's. Remove the {@code @Disabled} with the fix.
 */
class ReviewFindingsTest {

    /**
     * Design rule 17: while a future registered with markExternal is pending, the virtual clock advances no
     * faster than real time. Any callSoonThreadsafe from another thread (here the blocking job itself, as a
     * second job finishing or a runCoroutineThreadsafe would) ends the real-time wait early, and the loop then
     * jumps straight to the next timer: the waitFor below times out after 0.1 s of real time.
     */
    @Disabled("review finding 1: a thread-safe callback lets the virtual clock jump past pending blocking work")
    @AsyncTest
    void aThreadSafeCallbackDoesNotLetTheVirtualClockJumpPastPendingBlockingWork(AsyncLoop loop) {
        String r = Asyncio.waitFor(Asyncio.createTask(() -> Asyncio.toThread(() -> {
            loop.callSoonThreadsafe(() -> { });
            Thread.sleep(100);
            return "done";
        })), 5);
        assertEquals("done", r);
        assertTrue(loop.time() < 5, "virtual clock at " + loop.time());
    }

    /**
     * CPython gh-155433 (taskgroups.py, "the remaining cancellation is not ours, don't drop it"): a cancel()
     * from outside that arrives while the group waits for children it cancelled itself (cancel(), or a
     * failing child) is caught in the wait loop and then dropped: the task runs on as if never cancelled,
     * with cancelling() stuck at 1.
     */
    @Disabled("review finding 3: an outside cancel arriving while a TaskGroup cancels itself is swallowed")
    @AsyncTest
    void anOutsideCancelArrivingWhileTheGroupCancelsItselfIsNotLost() {
        Task<String> outer = Asyncio.createTask(() -> {
            TaskGroup.run(g -> {
                g.createTask(() -> {
                    try {
                        Asyncio.sleep(Double.POSITIVE_INFINITY);
                    } finally {
                        Asyncio.sleep(1);              // slow to finish cancelling
                    }
                });
                Asyncio.sleep(0);
                g.cancel();
                return null;
            });
            return "went on after the group";
        });
        Asyncio.sleep(0.5);                            // the group waits for its cancelled child
        outer.cancel();
        assertThrows(CancelledError.class, outer::await);
    }

    /**
     * asyncio's run_in_executor after shutdown_default_executor raises RuntimeError("Executor shutdown has
     * been called"); here the JDK's RejectedExecutionException escapes (AsyncLoop.java:612), and the future
     * was already counted as external (finding 5).
     */
    @Disabled("review finding 4: toThread after shutdownDefaultExecutor throws RejectedExecutionException, not IllegalStateException")
    @AsyncTest
    void toThreadAfterTheDefaultExecutorIsShutDownIsAnIllegalState(AsyncLoop loop) {
        assertEquals(1, Asyncio.toThread(() -> 1));
        loop.shutdownDefaultExecutor(10);
        assertThrows(IllegalStateException.class, () -> Asyncio.toThread(() -> 2));
    }

    /**
     * runInExecutor marks its future external before executing (AsyncLoop.java:611-612); when the executor
     * rejects the job the future stays pending forever, so the virtual clock is paced by real time for the
     * rest of the loop's life: the hour of sleep below takes an hour (the test's 5 s limit fails it).
     */
    @Disabled("review finding 5: a job rejected by runInExecutor's executor leaves the virtual clock paced by real time")
    @AsyncTest(timeout = 5)
    void aRejectedExecutorJobDoesNotSlowTheVirtualClockForever(AsyncLoop loop) {
        assertThrows(RejectedExecutionException.class, () -> loop.runInExecutor(job -> {
            throw new RejectedExecutionException("full");
        }, () -> 1));
        Asyncio.sleep(3600);
        assertEquals(3600.0, loop.time());
    }

    /**
     * Design rule 12: loop-owned objects touched from another thread while the loop runs fail where they are
     * called. A Queue (like Event, Lock, Semaphore) checks nothing itself: with no waiter the call silently
     * mutates unsynchronised state; with a waiter it stores the item and counts it, and only then fails in the
     * waiter's setResult, leaving the item in the queue and the consumer asleep.
     */
    @Disabled("review finding 6: primitives used from another thread mutate state before (or instead of) failing")
    @AsyncTest
    void aQueueUsedFromAnotherThreadFailsWithoutChangingIt() throws Exception {
        Queue<String> q = new Queue<>();
        Task<String> consumer = Asyncio.createTask(q::get);
        Asyncio.sleep(0);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread other = new Thread(() -> {
            try {
                q.putNowait("from another thread");
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        other.start();
        other.join();
        assertInstanceOf(IllegalStateException.class, outcome.join());
        assertEquals(0, q.qsize(), "the failed putNowait left its item in the queue");
        consumer.cancel();
        assertThrows(CancelledError.class, consumer::await);
    }

    /**
     * AsyncLoop.create() honours -Ddev.asyncio.debug=true, but Asyncio.run(main) passes debug=false explicitly
     * (Asyncio.java:46, Runner.java:45), overriding it; asyncio.run(debug=None) keeps the global setting.
     */
    @Disabled("review finding 7: Asyncio.run(main) ignores -Ddev.asyncio.debug=true")
    @Test
    void asyncioRunHonoursTheDebugSystemProperty() {
        String old = System.getProperty("dev.asyncio.debug");
        System.setProperty("dev.asyncio.debug", "true");
        try {
            assertTrue(Asyncio.run(() -> Asyncio.getRunningLoop().getDebug()));
        } finally {
            if (old == null) {
                System.clearProperty("dev.asyncio.debug");
            } else {
                System.setProperty("dev.asyncio.debug", old);
            }
        }
    }

    /**
     * Nothing is lost silently (rule 9): a coroutine submitted with runCoroutineThreadsafe to a loop that
     * closes before running it is dropped with the ready queue, and the submitter's future never completes
     * (a thread blocked in get() waits for ever). It should end cancelled, or with the loop's closed error.
     */
    @Disabled("review finding 8: runCoroutineThreadsafe's future never completes when the loop closes first")
    @Test
    void aCoroutineSubmittedToALoopThatClosesDoesNotLeaveItsFuturePendingForever() {
        AsyncLoop loop = AsyncLoop.builder().virtualTime(true).build();
        loop.runUntilComplete(() -> { });
        java.util.concurrent.Future<String> submitted =
                CompletableFuture.supplyAsync(() -> Asyncio.runCoroutineThreadsafe(() -> "never run", loop)).join();
        loop.close();
        assertTrue(submitted.isDone(), "the submitter's future is still pending after the loop closed");
    }
}
