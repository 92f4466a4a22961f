package dev.asyncio;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AsyncLoop#submit}: a coroutine on loop B awaited from a task on loop A (each loop on a thread of its
 * own) or from a plain thread; result, exception and cancellation cross over both ways. No sleeps: every step
 * waits for the one before through a future.
 */
class CrossLoopFutureTest {
    private AsyncLoop b;
    private Thread bThread;

    @BeforeEach
    void startLoopB() throws Exception {
        CompletableFuture<AsyncLoop> made = new CompletableFuture<>();
        bThread = Thread.ofPlatform().name("loop-b").start(() -> {
            try (AsyncLoop loop = AsyncLoop.create()) {
                made.complete(loop);
                loop.runForever();
            }
        });
        b = made.get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stopLoopB() throws Exception {
        b.callSoonThreadsafe(b::stop);
        bThread.join(30_000);
        assertTrue(b.isClosed());
    }

    @Test
    void aTaskOnAnotherLoopAwaitsTheResultAndTheSameExceptionInstance() {
        IllegalStateException boom = new IllegalStateException("boom");
        Asyncio.run(() -> {
            AsyncLoop a = Asyncio.getRunningLoop();
            CrossLoopFuture<String> ok = b.submit(() -> Asyncio.getRunningLoop() == b ? "ran on b" : "ran elsewhere");
            assertEquals("ran on b", ok.await());
            assertEquals("ran on b", ok.await(), "done: returns at once");
            CrossLoopFuture<Void> failing = b.submit(() -> {
                throw boom;
            });
            assertSame(boom, assertThrows(IllegalStateException.class, failing::await));
            assertSame(a, Asyncio.getRunningLoop());
        });
    }

    @Test
    void cancellingTheAwaitingTaskCancelsTheTaskOnTheOtherLoop() throws Exception {
        CompletableFuture<Void> started = new CompletableFuture<>();
        CompletableFuture<String> remoteSaw = new CompletableFuture<>();
        CrossLoopFuture<String> remote = b.submit(() -> {
            try {
                started.complete(null);
                Asyncio.sleep(Double.POSITIVE_INFINITY);
                return "slept";
            } catch (CancelledError e) {
                remoteSaw.complete("cancelled on " + (Asyncio.getRunningLoop() == b ? "b" : "?"));
                throw e;
            }
        });
        Asyncio.run(() -> {
            Task<String> waiting = Asyncio.createTask(remote::await);
            Asyncio.await(started);
            Asyncio.sleep(0); // the waiting task is suspended in await()
            waiting.cancel();
            assertThrows(CancelledError.class, waiting::await);
            assertEquals("cancelled on b", Asyncio.await(remoteSaw), "the task on b got a CancelledError and cleaned up");
        });
        assertTrue(remote.isCancelled());
    }

    @Test
    void aTaskCancelledOnItsOwnLoopCancelsTheTaskAwaitingIt() {
        CompletableFuture<Task<?>> remoteTask = new CompletableFuture<>();
        CrossLoopFuture<String> remote = b.submit(() -> {
            remoteTask.complete(Asyncio.currentTask());
            Asyncio.sleep(Double.POSITIVE_INFINITY);
            return "slept";
        });
        Asyncio.run(() -> {
            Task<String> waiting = Asyncio.createTask(remote::await);
            Task<?> t = Asyncio.await(remoteTask);
            b.callSoonThreadsafe(() -> t.cancel()); // cancelled there, by its own loop
            assertThrows(CancelledError.class, waiting::await);
            assertTrue(waiting.cancelled());
        });
    }

    @Test
    void aPlainThreadBlocksInGetAndALoopThreadIsRefused() throws Exception {
        assertEquals(42, b.submit(() -> 42).get(30, TimeUnit.SECONDS));
        RuntimeException boom = new RuntimeException("boom");
        ExecutionException e = assertThrows(ExecutionException.class, () -> b.submit(() -> {
            throw boom;
        }).get());
        assertSame(boom, e.getCause());
        CrossLoopFuture<Void> forever = b.submit(() -> Asyncio.sleep(Double.POSITIVE_INFINITY));
        Asyncio.run(() -> {
            String m = assertThrows(IllegalStateException.class, forever::get).getMessage();
            assertTrue(m.startsWith("get() would block the thread of <AsyncLoop"), m);
        });
        assertTrue(forever.cancel(false));
        assertThrows(java.util.concurrent.CancellationException.class, forever::get);
    }

    @Test
    void aCoroutineSubmittedToALoopThatClosesBeforeRunningItIsCancelled() {
        AsyncLoop idle = AsyncLoop.create();
        CrossLoopFuture<String> never = idle.submit(() -> "never");
        idle.close();
        assertTrue(never.isCancelled());
        assertThrows(IllegalStateException.class, () -> idle.submit(() -> "closed"));
        Asyncio.run(() -> {
            assertThrows(CancelledError.class, never::await);
        });
    }
}
