package dev.asyncio;

import dev.asyncio.test.AsyncTest;
import dev.asyncio.test.OrderedSteps;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** asyncio.gather: CPython's test_gather cases (results, exceptions, cancellation both ways). */
class GatherTest {
    private static Task<String> after(double seconds, String value) {
        return Asyncio.createTask(() -> {
            Asyncio.sleep(seconds);
            return value;
        });
    }

    private static <T> Task<T> failingAfter(double seconds, Exception e) {
        return Asyncio.createTask(() -> {
            Asyncio.sleep(seconds);
            throw e;
        });
    }

    @AsyncTest
    void resultsComeInArgumentOrderNotCompletionOrder(AsyncLoop loop) {
        List<String> r = Asyncio.gather(after(3, "slow"), after(1, "fast"), after(2, "mid"));
        assertEquals(List.of("slow", "fast", "mid"), r);
        assertEquals(3.0, loop.time(), "concurrently: the longest, not the sum");
    }

    @AsyncTest
    void gatherOfNothingIsAnEmptyListAtOnce(OrderedSteps steps) {
        Task<Void> other = Asyncio.createTask(() -> steps.expect(2));
        steps.expect(1);
        assertEquals(List.of(), Asyncio.gather(List.of()));
        assertEquals(1, steps.current(), "gather() of nothing does not suspend");
        other.await();
        steps.finish(3);
    }

    @AsyncTest
    void alreadyDoneFuturesAndDuplicatesAreGathered() {
        Future<String> done = new Future<>();
        done.setResult("d");
        Task<String> t = after(1, "t");
        assertEquals(List.of("d", "t", "d", "t"), Asyncio.gather(done, t, done, t));
    }

    @AsyncTest
    void awaitablesThatAreNotFuturesAreWrappedInTasks() {
        Awaitable<String> custom = new Awaitable<>() {
            @Override
            public String await() {
                Asyncio.sleep(1);
                return "custom";
            }

            @Override
            public boolean done() {
                return false;
            }
        };
        assertEquals(List.of("custom", "x"), Asyncio.gather(custom, after(0, "x")));
    }

    @AsyncTest
    void theFirstFailureIsRethrownAtOnceAndTheOthersKeepRunning(AsyncLoop loop) {
        IOException boom = new IOException("boom");
        Task<String> slow = after(5, "slow");
        Task<String> failing = failingAfter(1, boom);
        Exception e = assertThrows(Exception.class, () -> Asyncio.gather(slow, failing));
        assertSame(boom, e);
        assertEquals(1.0, loop.time(), "raised as soon as the first child failed");
        assertFalse(slow.done(), "siblings are not cancelled");
        assertEquals("slow", slow.await());
    }

    @AsyncTest
    void laterFailuresAfterTheFirstCountAsRetrieved() {
        Task<String> first = failingAfter(1, new IOException("first"));
        Task<String> second = failingAfter(2, new IOException("second, never looked at"));
        assertThrows(IOException.class, () -> Asyncio.gather(first, second));
        Asyncio.sleep(5);
        assertTrue(second.done());
        // The test kit fails this test if the second exception is reported as never retrieved.
    }

    @AsyncTest
    void returnExceptionsPutsFailuresAndCancellationsInTheList() {
        IOException boom = new IOException("boom");
        Task<String> cancelledChild = after(10, "never");
        Task<String> failing = failingAfter(1, boom);
        Task<String> fine = after(2, "fine");
        Asyncio.sleep(0);
        cancelledChild.cancel("child cancelled");
        List<Object> r = Asyncio.gather(true, fine, failing, cancelledChild);
        assertEquals("fine", r.get(0));
        assertSame(boom, r.get(1));
        CancelledError ce = assertInstanceOf(CancelledError.class, r.get(2));
        assertEquals("child cancelled", ce.getMessage());
    }

    @AsyncTest
    void aChildCancelledOnItsOwnMakesGatherThrowCancelledError() {
        Task<String> victim = after(10, "never");
        Task<String> fine = after(1, "fine");
        Task<List<String>> gathering = Asyncio.createTask(() -> Asyncio.gather(victim, fine));
        Asyncio.sleep(0);
        victim.cancel("only the child");
        CancelledError e = assertThrows(CancelledError.class, gathering::await);
        assertEquals("only the child", e.getMessage());
        assertTrue(gathering.cancelled(), "its coroutine ended with CancelledError, so the task is cancelled");
        assertEquals(0, gathering.cancelling(), "although nobody called cancel() on it");
        assertEquals("fine", fine.await(), "the sibling was not cancelled");
    }

    @AsyncTest
    void cancellingTheWaiterCancelsEveryChildNotDone(AsyncLoop loop) {
        Task<String> done = after(0, "done");
        Task<String> a = after(5, "a");
        Task<String> b = after(7, "b");
        Task<List<String>> waiter = Asyncio.createTask(() -> Asyncio.gather(done, a, b));
        Asyncio.sleep(1);
        assertTrue(waiter.cancel("stop all"));
        CancelledError e = assertThrows(CancelledError.class, waiter::await);
        assertEquals("stop all", e.getMessage());
        assertTrue(a.cancelled());
        assertTrue(b.cancelled());
        assertEquals("done", done.result());
        assertEquals(1.0, loop.time());
    }

    @AsyncTest
    void cancellingTheWaiterCancelsChildrenEvenWithReturnExceptions() {
        Task<String> a = after(5, "a");
        Task<List<Object>> waiter = Asyncio.createTask(() -> Asyncio.gather(true, a));
        Asyncio.sleep(1);
        waiter.cancel();
        assertThrows(CancelledError.class, waiter::await);
        assertTrue(a.cancelled());
        assertTrue(waiter.cancelled());
    }

    @AsyncTest
    void aChildThatSwallowsTheCancellationStillEndsTheGatherWithCancelledError() {
        Task<String> stubborn = Asyncio.createTask(() -> {
            try {
                Asyncio.sleep(5);
            } catch (CancelledError e) {
                return "swallowed";
            }
            return "slept";
        });
        Task<List<Object>> waiter = Asyncio.createTask(() -> Asyncio.gather(true, stubborn));
        Asyncio.sleep(1);
        waiter.cancel();
        assertThrows(CancelledError.class, waiter::await, "asyncio issue 32684: the request propagates");
        assertEquals("swallowed", stubborn.result());
    }

    @AsyncTest
    void gatherRejectsNullAndForeignFutures() {
        assertThrows(IllegalArgumentException.class, () -> Asyncio.gather(after(0, "x"), null));
        try (AsyncLoop other = AsyncLoop.builder().virtualTime(true).build()) {
            Future<String> foreign = other.createFuture();
            assertThrows(IllegalArgumentException.class, () -> Asyncio.gather(foreign));
        }
        Asyncio.sleep(0); // lets the first gather's task finish
    }

    @org.junit.jupiter.api.Test
    void gatherOutsideATaskExplainsWhy() {
        assertThrows(IllegalStateException.class, () -> Asyncio.gather(List.of()));
    }

    @AsyncTest
    void childFailuresOfAGatherWithReturnExceptionsAreNotReportedAsUnretrieved() {
        List<Map<String, Object>> reports = new ArrayList<>();
        Asyncio.getRunningLoop().setExceptionHandler((l, c) -> reports.add(c));
        List<Object> r = Asyncio.gather(true, failingAfter(1, new IOException("x")));
        assertInstanceOf(IOException.class, r.get(0));
        assertEquals(List.of(), reports);
    }

    @AsyncTest
    void aBadArgumentIsRefusedBeforeAnyAwaitableIsStarted() {
        int before = Asyncio.allTasks().size();
        Awaitable<String> notAFuture = new Awaitable<>() {
            @Override
            public String await() {
                return "would run in a task";
            }

            @Override
            public boolean done() {
                return false;
            }
        };
        assertThrows(IllegalArgumentException.class, () -> Asyncio.gather(notAFuture, null));
        assertEquals(before, Asyncio.allTasks().size(), "no orphan task was started for the valid argument");
    }
}
