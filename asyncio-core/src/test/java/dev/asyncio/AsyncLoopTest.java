package dev.asyncio;

import dev.asyncio.test.AsyncTest;
import dev.asyncio.test.OrderedSteps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The event loop: callbacks, timers, running and stopping, closing, threads; CPython's test_base_events. */
class AsyncLoopTest {
    private static AsyncLoop virtualLoop() {
        return AsyncLoop.builder().virtualTime(true).build();
    }

    @AsyncTest
    void callSoonRunsCallbacksInOrderOnTheNextIteration(AsyncLoop loop) {
        List<Integer> order = new ArrayList<>();
        loop.callSoon(() -> order.add(1));
        loop.callSoon(() -> {
            order.add(2);
            loop.callSoon(() -> order.add(4)); // scheduled during the iteration: runs in the next one
        });
        loop.callSoon(() -> order.add(3));
        assertEquals(List.of(), order);
        Asyncio.sleep(0);
        assertEquals(List.of(1, 2, 3), order);
        Asyncio.sleep(0);
        assertEquals(List.of(1, 2, 3, 4), order);
    }

    @AsyncTest
    void aCancelledHandleDoesNotRun(AsyncLoop loop) {
        List<String> ran = new ArrayList<>();
        Handle h = loop.callSoon(() -> ran.add("cancelled"));
        loop.callSoon(() -> ran.add("kept"));
        h.cancel();
        h.cancel();
        assertTrue(h.cancelled());
        Asyncio.sleep(0);
        assertEquals(List.of("kept"), ran);
    }

    @AsyncTest
    void timersRunAtTheirDeadlineAndEqualDeadlinesInSchedulingOrder(AsyncLoop loop) {
        List<String> order = new ArrayList<>();
        loop.callLater(2, () -> order.add("b@" + loop.time()));
        loop.callAt(1, () -> order.add("a@" + loop.time()));
        TimerHandle cancelled = loop.callLater(1.5, () -> order.add("cancelled"));
        for (int i = 0; i < 3; i++) {
            int n = i;
            loop.callLater(3, () -> order.add("c" + n));
        }
        assertEquals(1.5, cancelled.when());
        cancelled.cancel();
        Asyncio.sleep(5);
        assertEquals(List.of("a@1.0", "b@2.0", "c0", "c1", "c2"), order);
    }

    @AsyncTest
    void aTimerInThePastRunsInTheNextIterationAfterWhatWasAlreadyReady(AsyncLoop loop) {
        Asyncio.sleep(10);
        List<Double> ran = new ArrayList<>();
        loop.callAt(3, () -> ran.add(loop.time()));
        loop.callLater(-1, () -> ran.add(loop.time()));
        Asyncio.sleep(0);
        assertEquals(List.of(), ran, "due timers join the ready queue behind this task's own step, as in asyncio");
        Asyncio.sleep(0);
        assertEquals(List.of(10.0, 10.0), ran);
    }

    @AsyncTest
    void manyCancelledTimersArePurgedAndTheRestStillRun(AsyncLoop loop) {
        List<TimerHandle> handles = new ArrayList<>();
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int n = i;
            handles.add(loop.callLater(1 + i, () -> ran.add(n)));
        }
        for (int i = 0; i < 1000; i++) {
            if (i % 10 != 0) {
                handles.get(i).cancel();
            }
        }
        assertTrue(loop.toString().contains("timers="), loop.toString());
        Asyncio.sleep(2000);
        assertEquals(100, ran.size());
        for (int i = 0; i < ran.size(); i++) {
            assertEquals(i * 10, ran.get(i));
        }
    }

    @AsyncTest
    void callbacksRejectNullAndNaN(AsyncLoop loop) {
        assertThrows(IllegalArgumentException.class, () -> loop.callSoon(null));
        assertThrows(IllegalArgumentException.class, () -> loop.callLater(Double.NaN, () -> { }));
        assertThrows(IllegalArgumentException.class, () -> loop.callAt(Double.NaN, () -> { }));
        assertThrows(IllegalArgumentException.class, () -> loop.callSoonThreadsafe(null));
    }

    @AsyncTest
    void callbacksRunInACopyOfTheContextCurrentWhenScheduled(AsyncLoop loop) {
        ContextVar<String> v = new ContextVar<>("v", "default");
        List<String> seen = new ArrayList<>();
        try (var ignored = v.set("at schedule time")) {
            loop.callSoon(() -> {
                seen.add(v.get());
                v.set("set by the callback");
            });
            loop.callLater(1, () -> seen.add(v.get()));
        }
        Asyncio.sleep(2);
        assertEquals(List.of("at schedule time", "at schedule time"), seen, "each callback has its own copy");
        assertEquals("default", v.get());
    }

    @AsyncTest
    void anExceptionInACallbackGoesToTheHandlerAndTheLoopGoesOn(AsyncLoop loop) {
        List<Map<String, Object>> reports = new ArrayList<>();
        loop.setExceptionHandler((l, c) -> reports.add(c));
        IllegalStateException boom = new IllegalStateException("callback failed");
        Handle h = loop.callSoon(() -> {
            throw boom;
        });
        List<String> after = new ArrayList<>();
        loop.callSoon(() -> after.add("still running"));
        Asyncio.sleep(0);
        assertEquals(List.of("still running"), after);
        assertEquals(1, reports.size());
        assertSame(boom, reports.get(0).get("exception"));
        assertSame(h, reports.get(0).get("handle"));
        assertTrue(((String) reports.get(0).get("message")).startsWith("Exception in callback"));
    }

    @AsyncTest
    void aFailingExceptionHandlerIsLoggedNotPropagated(AsyncLoop loop) {
        loop.setExceptionHandler((l, c) -> {
            throw new IllegalStateException("handler broke");
        });
        loop.callSoon(() -> {
            throw new IllegalStateException("callback failed");
        });
        Asyncio.sleep(0);
        loop.setExceptionHandler(null);
        assertEquals(null, loop.getExceptionHandler());
    }

    @Test
    void runUntilCompleteReturnsTheResultAndRethrowsTheSameException() {
        try (AsyncLoop loop = virtualLoop()) {
            assertEquals("r", loop.runUntilComplete(() -> "r"));
            IllegalStateException boom = new IllegalStateException("boom");
            assertSame(boom, assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(() -> {
                throw boom;
            })));
            assertEquals(0, loop.allTasks().size());
        }
    }

    @Test
    void runUntilCompleteOfAFutureStopsWhenItIsDone() {
        try (AsyncLoop loop = virtualLoop()) {
            Future<String> f = loop.createFuture();
            loop.callLater(5, () -> f.setResult("five"));
            assertEquals("five", loop.runUntilComplete(f));
            assertEquals(5.0, loop.time());
        }
    }

    @Test
    void stoppingBeforeTheFutureIsDoneIsAnError() {
        try (AsyncLoop loop = virtualLoop()) {
            Future<String> f = loop.createFuture();
            loop.callLater(1, loop::stop);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(f));
            assertEquals("Event loop stopped before Future completed.", e.getMessage());
            f.cancel();
        }
    }

    @Test
    void runForeverRunsUntilStopAndStopLetsTheCurrentBatchFinish() {
        try (AsyncLoop loop = virtualLoop()) {
            List<String> ran = new ArrayList<>();
            loop.callSoon(() -> ran.add("a"));
            loop.callSoon(() -> {
                ran.add("stop");
                loop.stop();
            });
            loop.callSoon(() -> ran.add("same batch"));
            loop.callLater(1, () -> ran.add("later"));
            loop.runForever();
            assertEquals(List.of("a", "stop", "same batch"), ran);
            loop.callLater(2, loop::stop);
            loop.runForever();
            assertEquals(List.of("a", "stop", "same batch", "later"), ran);
            assertEquals(2.0, loop.time());
        }
    }

    @Test
    void stopBeforeRunForeverRunsExactlyOneIteration() {
        try (AsyncLoop loop = virtualLoop()) {
            List<String> ran = new ArrayList<>();
            loop.callSoon(() -> {
                ran.add("first");
                loop.callSoon(() -> ran.add("second"));
            });
            loop.stop();
            loop.runForever();
            assertEquals(List.of("first"), ran);
            loop.stop();
            loop.runForever();
            assertEquals(List.of("first", "second"), ran);
        }
    }

    @Test
    void aRunningLoopCannotBeRunAgainOrClosed() {
        try (AsyncLoop loop = virtualLoop()) {
            loop.runUntilComplete(() -> {
                assertTrue(loop.isRunning());
                assertEquals("This event loop is already running",
                        assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(() -> 1)).getMessage());
                assertEquals("This event loop is already running",
                        assertThrows(IllegalStateException.class, loop::runForever).getMessage());
                assertThrows(IllegalStateException.class, loop::close);
                try (AsyncLoop other = virtualLoop()) {
                    IllegalStateException e = assertThrows(IllegalStateException.class, () -> other.runUntilComplete(() -> 1));
                    assertTrue(e.getMessage().contains("another loop is running"), e.getMessage());
                }
            });
            assertFalse(loop.isRunning());
        }
    }

    @Test
    void aClosedLoopRefusesWork() {
        AsyncLoop loop = virtualLoop();
        loop.close();
        loop.close();
        assertTrue(loop.isClosed());
        assertEquals("Event loop is closed", assertThrows(IllegalStateException.class, () -> loop.callSoon(() -> { })).getMessage());
        assertThrows(IllegalStateException.class, () -> loop.callLater(1, () -> { }));
        assertThrows(IllegalStateException.class, () -> loop.callSoonThreadsafe(() -> { }));
        assertThrows(IllegalStateException.class, () -> loop.createTask(() -> 1));
        assertThrows(IllegalStateException.class, () -> loop.runUntilComplete(() -> 1));
        assertThrows(IllegalStateException.class, loop::runForever);
    }

    @Test
    void callSoonThreadsafeWakesALoopBlockedInTheSelector() throws Exception {
        try (AsyncLoop loop = AsyncLoop.create()) {
            Future<String>[] box = new Future[1];
            CountDownLatch waiting = new CountDownLatch(1);
            Thread other = Thread.ofPlatform().start(() -> {
                try {
                    waiting.await();
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
                loop.callSoonThreadsafe(() -> box[0].setResult("from another thread"));
            });
            String r = loop.runUntilComplete(() -> {
                box[0] = new Future<>();
                waiting.countDown();
                return box[0].await(); // nothing ready, no timer: the loop blocks in the selector
            });
            assertEquals("from another thread", r);
            other.join();
        }
    }

    @Test
    void callSoonThreadsafeRunsInTheCallingThreadsContext() throws Exception {
        ContextVar<String> v = new ContextVar<>("v", "default");
        try (AsyncLoop loop = virtualLoop()) {
            AtomicReference<String> seen = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> {
                v.set("caller's");
                loop.callSoonThreadsafe(() -> seen.set(v.get()));
            });
            t.join();
            loop.runUntilComplete(() -> Asyncio.sleep(0));
            assertEquals("caller's", seen.get());
        }
    }

    @Test
    void nonThreadSafeCallsFromAnotherThreadAreRefusedWhileTheLoopRuns() throws Exception {
        try (AsyncLoop loop = virtualLoop()) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            loop.runUntilComplete(() -> {
                Thread t = Thread.ofPlatform().start(() -> {
                    try {
                        loop.callSoon(() -> { });
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                });
                Asyncio.toThread(() -> {
                    t.join();
                    return null;
                });
            });
            assertTrue(failure.get() instanceof IllegalStateException, String.valueOf(failure.get()));
            assertTrue(failure.get().getMessage().contains("callSoonThreadsafe"));
        }
    }

    @Test
    void aLoopIsBoundToTheFirstThreadThatRunsIt() throws Exception {
        try (AsyncLoop loop = virtualLoop()) {
            loop.runUntilComplete(() -> 1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread t = Thread.ofPlatform().name("second-runner").start(() -> {
                try {
                    loop.runUntilComplete(() -> 2);
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            t.join();
            assertTrue(failure.get().getMessage().contains("bound to thread"), failure.get().getMessage());
        }
    }

    @Test
    void aLoopRunOnOneThreadCanBeClosedFromAnotherOnceStopped() throws Exception {
        AsyncLoop loop = AsyncLoop.create();
        CountDownLatch started = new CountDownLatch(1);
        Thread runner = Thread.ofPlatform().start(() -> {
            loop.callSoon(started::countDown);
            loop.runForever();
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        loop.callSoonThreadsafe(loop::stop);
        runner.join(10_000);
        assertFalse(runner.isAlive());
        loop.close();
        assertTrue(loop.isClosed());
        assertTrue(loop.ioEventLoop().isShuttingDown());
    }

    @Test
    void realTimeClockIsMonotonicAndStartsNearZero() {
        try (AsyncLoop loop = AsyncLoop.create()) {
            double a = loop.time();
            double b = loop.time();
            assertTrue(a >= 0 && a < 5, "clock starts near zero: " + a);
            assertTrue(b >= a);
            assertFalse(loop.isVirtualTime());
        }
    }

    @Test
    void virtualTimeStartsAtZeroAndOnlyMovesWhenIdle() {
        try (AsyncLoop loop = virtualLoop()) {
            assertEquals(0.0, loop.time());
            double[] times = loop.runUntilComplete(() -> {
                double before = loop.time();
                for (int i = 0; i < 1000; i++) {
                    Asyncio.sleep(0);
                }
                double afterBusy = loop.time();
                Asyncio.sleep(86_400);
                return new double[] {before, afterBusy, loop.time()};
            });
            assertEquals(0.0, times[0]);
            assertEquals(0.0, times[1], "busy loops do not move virtual time");
            assertEquals(86_400.0, times[2]);
        }
    }

    @ParameterizedTest
    @EnumSource(IoTransport.class)
    void everyAvailableTransportRunsTasksAndTimers(IoTransport transport) {
        assumeTrue(transport.isAvailable(), () -> transport + " unavailable: " + transport.unavailabilityCause());
        try (AsyncLoop loop = AsyncLoop.builder().transport(transport).build()) {
            assertSame(transport, loop.transport());
            String r = loop.runUntilComplete(() -> {
                Task<String> t = Asyncio.createTask(() -> {
                    Asyncio.sleep(0.01);
                    return "ok";
                });
                return t.await();
            });
            assertEquals("ok", r);
        }
    }

    @Test
    void anUnavailableTransportIsReportedClearly() {
        for (IoTransport t : IoTransport.values()) {
            if (!t.isAvailable()) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> AsyncLoop.builder().transport(t).build());
                assertTrue(e.getMessage().contains("not available"), e.getMessage());
            }
        }
        assertTrue(IoTransport.NIO.isAvailable());
    }

    @AsyncTest
    void toStringSummarisesTheLoop(AsyncLoop loop) {
        String s = loop.toString();
        assertTrue(s.startsWith("<AsyncLoop running NIO virtual-time debug"), s);
    }

    @AsyncTest
    void ordersOfSleepsAndCallbacksInterleaveExactly(AsyncLoop loop, OrderedSteps steps) {
        loop.callLater(1, () -> steps.expect(3));
        Task<Void> t = Asyncio.createTask(() -> {
            steps.expect(2);
            Asyncio.sleep(1);      // scheduled after the callLater above: runs after it
            steps.expect(4);
        });
        steps.expect(1);
        t.await();
        steps.finish(5);
    }

    @AsyncTest
    void aTimerAtInfinityNeverFiresAndDoesNotMoveTheVirtualClock(AsyncLoop loop) {
        List<String> ran = new ArrayList<>();
        TimerHandle never = loop.callAt(Double.POSITIVE_INFINITY, () -> ran.add("never"));
        Asyncio.sleep(5);
        assertEquals(5.0, loop.time(), "the clock went to the finite timer, not to +inf");
        assertEquals(List.of(), ran);
        never.cancel();
    }
}
