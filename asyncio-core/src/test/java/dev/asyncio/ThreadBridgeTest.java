package dev.asyncio;

import dev.asyncio.test.AsyncTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bridges between the loop and other threads: toThread, runInExecutor, await(CompletionStage), runCoroutineThreadsafe. */
class ThreadBridgeTest {
    @AsyncTest
    void toThreadRunsBlockingCodeOnAVirtualThreadWhileTheLoopGoesOn(AsyncLoop loop) {
        Thread loopThread = Thread.currentThread();
        List<String> log = new ArrayList<>();
        Task<Void> ticker = Asyncio.createTask(() -> {
            for (int i = 0; i < 3; i++) {
                log.add("tick");
                Asyncio.sleep(0);
            }
        });
        Thread worker = Asyncio.toThread(() -> {
            Thread.sleep(50);
            return Thread.currentThread();
        });
        ticker.await();
        assertTrue(worker.isVirtual());
        assertFalse(worker == loopThread);
        assertEquals(3, log.size(), "the loop kept running tasks while the thread blocked");
    }

    @AsyncTest
    void toThreadRethrowsTheSameExceptionInstance() {
        IOException boom = new IOException("blocking failure");
        Exception e = assertThrows(Exception.class, () -> Asyncio.toThread(() -> {
            throw boom;
        }));
        assertSame(boom, e);
    }

    @AsyncTest
    void cancellingAToThreadAwaitInterruptsTheThread() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Task<Object> t = Asyncio.createTask(() -> Asyncio.toThread(() -> {
            started.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.set(true);
            } finally {
                finished.countDown();
            }
            return null;
        }));
        Asyncio.toThread(() -> started.await(10, TimeUnit.SECONDS));
        t.cancel();
        assertThrows(CancelledError.class, t::await);
        Asyncio.toThread(() -> finished.await(10, TimeUnit.SECONDS));
        assertTrue(interrupted.get());
    }

    @AsyncTest
    void virtualTimeDoesNotOutrunBlockingWork(AsyncLoop loop) {
        Task<String> slowThread = Asyncio.createTask(() -> Asyncio.toThread(() -> {
            Thread.sleep(200);
            return "thread done";
        }));
        Task<String> timer = Asyncio.createTask(() -> {
            Asyncio.sleep(60);
            return "timer";
        });
        assertEquals("thread done", slowThread.await());
        assertFalse(timer.done(), "60 virtual seconds did not pass while 0.2 real seconds of work ran");
        assertTrue(loop.time() < 60, String.valueOf(loop.time()));
        assertEquals("timer", timer.await());
        assertEquals(60.0, loop.time());
    }

    @AsyncTest
    void virtualTimeDoesNotOutrunBlockingWorkWhileNettyAloneWakesTheSelector(AsyncLoop loop) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Thread waker = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                loop.ioEventLoop().execute(() -> { });     // I/O work that makes no callback ready, as a TLS handshake step
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            virtualTimeDoesNotOutrunBlockingWork(loop);
        } finally {
            stop.set(true);
            waker.join();
        }
    }

    @AsyncTest
    void runInExecutorUsesTheGivenExecutor() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "my-pool"));
        try {
            String name = Asyncio.getRunningLoop().runInExecutor(pool, () -> Thread.currentThread().getName()).await();
            assertEquals("my-pool", name);
        } finally {
            pool.shutdown();
        }
    }

    @AsyncTest
    void awaitingACompletionStageReturnsItsValueFromAnyThread() {
        CompletableFuture<String> cf = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(20);
            } catch (InterruptedException ignored) {
                return;
            }
            cf.complete("completed elsewhere");
        });
        assertEquals("completed elsewhere", Asyncio.await(cf));
        assertEquals("already", Asyncio.await(CompletableFuture.completedFuture("already")));
    }

    @AsyncTest
    void awaitingACompletionStageUnwrapsItsFailure() {
        IOException boom = new IOException("async failure");
        assertSame(boom, assertThrows(Exception.class, () -> Asyncio.await(CompletableFuture.failedFuture(boom))));
        CompletableFuture<String> wrapped = CompletableFuture.<String>completedFuture("x").thenApply(s -> {
            throw new CompletionException(boom);
        });
        assertSame(boom, assertThrows(Exception.class, () -> Asyncio.await(wrapped)));
    }

    @AsyncTest
    void aCancelledCompletionStageIsACancelledError() {
        CompletableFuture<String> cf = new CompletableFuture<>();
        cf.cancel(false);
        assertThrows(CancelledError.class, () -> Asyncio.await(cf));
    }

    @AsyncTest
    void cancellingTheAwaitingTaskCancelsTheCompletableFuture() {
        CompletableFuture<String> cf = new CompletableFuture<>();
        Task<String> t = Asyncio.createTask(() -> Asyncio.await(cf));
        Asyncio.sleep(0);
        t.cancel();
        assertThrows(CancelledError.class, t::await);
        assertTrue(cf.isCancelled());
    }

    @Test
    void runCoroutineThreadsafeSubmitsFromAnotherThread() throws Exception {
        try (AsyncLoop loop = AsyncLoop.create()) {
            AtomicReference<Object> result = new AtomicReference<>();
            loop.runUntilComplete(() -> {
                Thread t = Thread.ofPlatform().start(() -> {
                    try {
                        java.util.concurrent.Future<String> f = Asyncio.runCoroutineThreadsafe(() -> {
                            Asyncio.sleep(0.01);
                            return "ran on " + Thread.currentThread().getName();
                        }, loop);
                        result.set(f.get(10, TimeUnit.SECONDS));
                    } catch (Exception e) {
                        result.set(e);
                    }
                });
                Asyncio.toThread(() -> {
                    t.join();
                    return null;
                });
            });
            // the coroutine ran on the loop: on its thread, or on the thread engine on a task thread of its own
            assertEquals("ran on " + (AsyncLoop.engine().equals("threads") ? "asyncio-task" : Thread.currentThread().getName()),
                    result.get());
        }
    }

    @Test
    void runCoroutineThreadsafePassesFailuresAndCancellationBothWays() throws Exception {
        try (AsyncLoop loop = AsyncLoop.create()) {
            IOException boom = new IOException("remote failure");
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicReference<Boolean> taskSawCancel = new AtomicReference<>(false);
            loop.runUntilComplete(() -> {
                Thread t = Thread.ofPlatform().start(() -> {
                    try {
                        Asyncio.runCoroutineThreadsafe(() -> {
                            throw boom;
                        }, loop).get(10, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        failure.set(e.getCause());
                    } catch (Exception e) {
                        failure.set(e);
                    }
                    java.util.concurrent.Future<Void> sleeper = Asyncio.runCoroutineThreadsafe(() -> {
                        try {
                            Asyncio.sleep(3600);
                        } catch (CancelledError e) {
                            taskSawCancel.set(true);
                            throw e;
                        }
                    }, loop);
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException ignored) {
                        return;
                    }
                    sleeper.cancel(true);
                });
                Asyncio.toThread(() -> {
                    t.join();
                    return null;
                });
                for (int i = 0; i < 100 && !taskSawCancel.get(); i++) {
                    Asyncio.sleep(0.01);
                }
            });
            assertSame(boom, failure.get());
            assertTrue(taskSawCancel.get());
        }
    }

    @Test
    void futureToCompletableFutureCanBeWaitedOnFromAnotherThread() throws Exception {
        try (AsyncLoop loop = AsyncLoop.create()) {
            AtomicReference<Object> seen = new AtomicReference<>();
            loop.runUntilComplete(() -> {
                Future<String> f = new Future<>();
                CompletableFuture<String> cf = f.toCompletableFuture();
                Thread waiter = Thread.ofPlatform().start(() -> {
                    try {
                        seen.set(cf.get(10, TimeUnit.SECONDS));
                    } catch (Exception e) {
                        seen.set(e);
                    }
                });
                Asyncio.sleep(0.01);
                f.setResult("handed over");
                Asyncio.toThread(() -> {
                    waiter.join();
                    return null;
                });
            });
            assertEquals("handed over", seen.get());
        }
    }

    @Test
    void aCancelledRunCoroutineThreadsafeFutureBeforeTheLoopTakesItNeverStartsTheTask() throws Exception {
        try (AsyncLoop loop = AsyncLoop.builder().virtualTime(true).build()) {
            AtomicBoolean ran = new AtomicBoolean();
            java.util.concurrent.Future<Void> f = Asyncio.runCoroutineThreadsafe(() -> ran.set(true), loop);
            assertTrue(f.cancel(true));
            assertThrows(CancellationException.class, f::get);
            loop.runUntilComplete(() -> Asyncio.sleep(0.1));
            assertFalse(ran.get());
        }
    }

    /**
     * Design rule 17: while a future registered with markExternal is pending, the virtual clock advances no
     * faster than real time. Any callSoonThreadsafe from another thread (here the blocking job itself, as a
     * second job finishing or a runCoroutineThreadsafe would) ends the real-time wait early, and the loop then
     * jumps straight to the next timer: the waitFor below times out after 0.1 s of real time.
     */

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
     * asyncio's run_in_executor after shutdown_default_executor raises RuntimeError("Executor shutdown has
     * been called"); here the JDK's RejectedExecutionException escapes (AsyncLoop.java:612), and the future
     * was already counted as external (finding 5).
     */

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

    @AsyncTest(timeout = 5)
    void aRejectedExecutorJobDoesNotSlowTheVirtualClockForever(AsyncLoop loop) {
        assertThrows(RejectedExecutionException.class, () -> loop.runInExecutor(job -> {
            throw new RejectedExecutionException("full");
        }, () -> 1));
        Asyncio.sleep(3600);
        assertEquals(3600.0, loop.time());
    }

    /**
     * Nothing is lost silently (rule 9): a coroutine submitted with runCoroutineThreadsafe to a loop that
     * closes before running it is dropped with the ready queue, and the submitter's future never completes
     * (a thread blocked in get() waits for ever). It should end cancelled, or with the loop's closed error.
     */

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
