package dev.asyncio;

import dev.asyncio.test.AsyncTest;
import dev.asyncio.test.OrderedSteps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Task cancellation, as CPython's test_tasks checks it (test_cancel_*, test_uncancel_*, test_cancelling). */
class CancellationTest {
    @AsyncTest
    void cancelBeforeTheFirstStepNeverRunsTheBody(OrderedSteps steps) {
        Task<Void> t = Asyncio.createTask(steps::expectUnreached);
        assertTrue(t.cancel("too early"));
        steps.expect(1);
        CancelledError e = assertThrows(CancelledError.class, t::await);
        assertEquals("too early", e.getMessage());
        assertTrue(t.cancelled());
        steps.finish(2);
    }

    @AsyncTest
    void cancelWhileAwaitingAFutureCancelsThatFutureWithTheSameMessage() {
        Future<String> inner = new Future<>();
        Task<String> t = Asyncio.createTask(inner::await);
        Asyncio.sleep(0);
        assertTrue(t.cancel("msg"));
        assertTrue(inner.cancelled(), "the awaited future is cancelled at once");
        CancelledError e = assertThrows(CancelledError.class, t::await);
        assertEquals("msg", e.getMessage());
        assertTrue(t.cancelled());
    }

    @AsyncTest
    void cancelBothTaskAndInnerFuture() {
        Future<String> f = new Future<>();
        Task<String> t = Asyncio.createTask(f::await);
        Asyncio.sleep(0);
        f.cancel();
        t.cancel();
        assertThrows(CancelledError.class, t::await);
        assertTrue(t.done());
        assertTrue(f.cancelled());
        assertTrue(t.cancelled());
    }

    @AsyncTest
    void cancellingTheInnerFutureAloneCancelsTheTaskThatAwaitsIt() {
        Future<String> f = new Future<>();
        Task<String> t = Asyncio.createTask(f::await);
        Asyncio.sleep(0);
        f.cancel();
        assertThrows(CancelledError.class, t::await);
        assertTrue(t.cancelled(), "a coroutine ending with CancelledError makes its task cancelled");
        assertEquals(0, t.cancelling(), "nobody called cancel() on the task");
    }

    @AsyncTest
    void aTaskThatCatchesTheCancellationReturnsNormally() {
        Future<Void> first = new Future<>();
        Future<Void> second = new Future<>();
        Task<Integer> t = Asyncio.createTask(() -> {
            first.await();
            try {
                second.await();
            } catch (CancelledError e) {
                return 42;
            }
            return 0;
        });
        Asyncio.sleep(0);
        first.setResult(null);
        Asyncio.sleep(0);
        Asyncio.sleep(0);
        t.cancel();
        assertTrue(second.cancelled());
        assertEquals(42, t.await());
        assertFalse(t.cancelled());
        assertEquals(1, t.cancelling(), "the request stays counted until someone uncancels it");
    }

    @AsyncTest
    void aTaskThatIgnoresTheCancellationGoesOnToItsNextAwait() {
        Future<Void> f1 = new Future<>();
        Future<Void> f2 = new Future<>();
        Future<Integer> f3 = new Future<>();
        Task<Integer> t = Asyncio.createTask(() -> {
            f1.await();
            try {
                f2.await();
            } catch (CancelledError ignored) {
                // swallowed on purpose
            }
            return f3.await();
        });
        Asyncio.sleep(0);
        f1.setResult(null);
        Asyncio.sleep(0);
        Asyncio.sleep(0);
        t.cancel();
        assertTrue(f2.cancelled());
        Asyncio.sleep(0);
        Asyncio.sleep(0);
        assertFalse(f3.done(), "the task waits on f3 now, not cancelled again");
        f3.setResult(42);
        assertEquals(42, t.await());
        assertFalse(t.cancelled());
    }

    @AsyncTest
    void cancellingTheCurrentTaskIsDeliveredAtItsNextSuspension(AsyncLoop loop, OrderedSteps steps) {
        Task<?>[] self = new Task<?>[1];
        Task<Integer> t = Asyncio.createTask(() -> {
            steps.expect(2);
            assertTrue(self[0].cancel());
            assertFalse(self[0].done());
            steps.expect(3);
            Asyncio.sleep(100);
            steps.expectUnreached();
            return 12;
        });
        self[0] = t;
        steps.expect(1);
        assertThrows(CancelledError.class, t::await);
        assertTrue(t.cancelled());
        assertEquals(0.0, loop.time(), "the 100 s sleep never started waiting");
        steps.finish(4);
    }

    @AsyncTest
    void cancellingTheCurrentTaskRightBeforeItReturnsCancelsIt() {
        Task<?>[] self = new Task<?>[1];
        Task<Integer> t = Asyncio.createTask(() -> {
            self[0].cancel("at the end");
            return 12;
        });
        self[0] = t;
        CancelledError e = assertThrows(CancelledError.class, t::await);
        assertEquals("at the end", e.getMessage());
        assertTrue(t.cancelled());
    }

    @AsyncTest
    void cancellingATaskThatAwaitsAnotherTaskCancelsBoth() {
        Task<Void> inner = Asyncio.createTask(() -> Asyncio.sleep(10));
        Task<Void> outer = Asyncio.createTask(inner::await);
        Asyncio.sleep(0);
        outer.cancel();
        assertThrows(CancelledError.class, outer::await);
        assertTrue(inner.cancelled());
        assertTrue(outer.cancelled());
    }

    @AsyncTest
    void cancelDuringSleepZeroIsDeliveredWhenTheTaskIsNextStepped(OrderedSteps steps) {
        Task<Void> t = Asyncio.createTask(() -> {
            steps.expect(2);
            Asyncio.sleep(0);
            steps.expectUnreached();
        });
        steps.expect(1);
        Asyncio.sleep(0);
        steps.expect(3);
        t.cancel();
        assertThrows(CancelledError.class, t::await);
        steps.finish(4);
    }

    @AsyncTest
    void cancelOfADoneTaskReturnsFalseAndCountsNothing() {
        Task<String> t = Asyncio.createTask(() -> "x");
        t.await();
        assertFalse(t.cancel());
        assertEquals(0, t.cancelling());
        assertEquals("x", t.result());
    }

    @AsyncTest
    void cancellingCountsRequestsAndUncancelWithdrawsThem() {
        Task<Void> t = Asyncio.createTask(() -> Asyncio.sleep(Double.POSITIVE_INFINITY));
        Asyncio.sleep(0);
        assertEquals(0, t.cancelling());
        t.cancel();
        assertEquals(1, t.cancelling());
        t.cancel();
        assertEquals(2, t.cancelling());
        assertEquals(1, t.uncancel());
        assertEquals(0, t.uncancel());
        assertEquals(0, t.uncancel(), "never below zero");
        assertThrows(CancelledError.class, t::await,
                "a delivered cancellation is not taken back: uncancel only drops undelivered ones");
    }

    @AsyncTest
    void uncancelToZeroWithdrawsAnUndeliveredCancellation(OrderedSteps steps) {
        Task<?>[] self = new Task<?>[1];
        Task<String> t = Asyncio.createTask(() -> {
            self[0].cancel();
            steps.expect(2);
            assertEquals(0, self[0].uncancel());
            Asyncio.sleep(0);
            steps.expect(3);
            return "survived";
        });
        self[0] = t;
        steps.expect(1);
        assertEquals("survived", t.await());
        steps.finish(4);
    }

    @AsyncTest
    void swallowingCancellationInsideAndUncancellingLetsTheTaskContinueCleanly() {
        Task<?>[] self = new Task<?>[1];
        Task<String> t = Asyncio.createTask(() -> {
            try {
                Asyncio.sleep(10);
            } catch (CancelledError e) {
                self[0].uncancel(); // what asyncio.timeout does with its own cancellation
            }
            Asyncio.sleep(1);
            return "went on";
        });
        self[0] = t;
        Asyncio.sleep(0);
        t.cancel();
        assertEquals("went on", t.await());
        assertEquals(0, t.cancelling());
    }

    @AsyncTest
    void cancelledErrorIsNotCaughtByCatchException(OrderedSteps steps) {
        Task<Void> t = Asyncio.createTask(() -> {
            try {
                Asyncio.sleep(10);
            } catch (Exception e) {
                steps.expectUnreached();
            } finally {
                steps.expect(2);
            }
        });
        Asyncio.sleep(0);
        steps.expect(1);
        t.cancel();
        assertThrows(CancelledError.class, t::await);
        steps.finish(3);
    }

    @AsyncTest
    void theCancelledErrorThrownByTheCoroutineIsTheOneTheAwaiterGets() {
        CancelledError mine = new CancelledError("raised by hand");
        Task<Void> t = Asyncio.createTask(() -> {
            throw mine;
        });
        assertSame(mine, assertThrows(CancelledError.class, t::await));
        assertTrue(t.cancelled());
        assertSame(mine, assertThrows(CancelledError.class, t::result));
    }

    @AsyncTest
    void cancelMessageOfAnInnerTaskReachesTheOuterAwaiter() {
        Task<Void> inner = Asyncio.createTask(() -> Asyncio.sleep(10));
        Task<Void> outer = Asyncio.createTask(inner::await);
        Asyncio.sleep(0);
        inner.cancel("inner reason");
        CancelledError e = assertThrows(CancelledError.class, outer::await);
        assertEquals("inner reason", e.getMessage());
    }

    @AsyncTest
    void cancellationWithoutMessageHasNullMessage() {
        Task<Void> t = Asyncio.createTask(() -> Asyncio.sleep(10));
        Asyncio.sleep(0);
        t.cancel();
        assertNull(assertThrows(CancelledError.class, t::await).getMessage());
    }

    @AsyncTest
    void aFinallyBlockMayAwaitAfterCancellation(AsyncLoop loop, OrderedSteps steps) {
        Task<Void> t = Asyncio.createTask(() -> {
            try {
                Asyncio.sleep(10);
            } finally {
                steps.expect(2);
                Asyncio.sleep(1); // cleanup that itself waits
                steps.expect(3);
            }
        });
        Asyncio.sleep(0);
        steps.expect(1);
        t.cancel();
        assertThrows(CancelledError.class, t::await);
        assertEquals(1.0, loop.time());
        steps.finish(4);
    }

    @AsyncTest
    void twoCancelsOfASleepingTaskDeliverOneCancelledErrorWithTheLatestMessage(AsyncLoop loop) {
        Task<String> t = Asyncio.createTask(() -> {
            String caught;
            try {
                Asyncio.sleep(10);
                caught = "nothing";
            } catch (CancelledError e) {
                caught = e.getMessage();
            }
            Asyncio.sleep(1); // not cancelled again: both requests were answered by one error
            return caught;
        });
        Asyncio.sleep(0);
        t.cancel("first");
        t.cancel("second");
        assertEquals("second", t.await());
        assertEquals(2, t.cancelling());
        assertEquals(1.0, loop.time());
    }
}
