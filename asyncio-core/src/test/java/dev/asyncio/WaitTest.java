package dev.asyncio;

import dev.asyncio.test.AsyncTest;
import dev.asyncio.test.OrderedSteps;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** asyncio.wait and its three ReturnWhen modes: the wait part of CPython's test_tasks. */
class WaitTest {
    private static final double INF = Double.POSITIVE_INFINITY;

    private static <T> Task<T> after(double seconds, T value) {
        return Asyncio.createTask(() -> {
            Asyncio.sleep(seconds);
            return value;
        });
    }

    private static Task<Integer> failingAfter(double seconds) {
        return Asyncio.createTask(() -> {
            Asyncio.sleep(seconds);
            throw new ArithmeticException("/ by zero");
        });
    }

    @AsyncTest
    void allCompletedWaitsForEveryFuture(AsyncLoop loop) {
        Task<String> a = after(0.1, "a");
        Task<String> b = after(0.15, "b");
        WaitResult<String> r = Asyncio.wait(List.of(b, a));
        assertEquals(Set.of(a, b), r.done());
        assertEquals(Set.of(), r.pending());
        assertEquals(0.15, loop.time());
        assertEquals(List.of(b, a), List.copyOf(r.done()), "the sets keep the order given");
        WaitResult<String> again = Asyncio.wait(List.of(b, a));
        assertEquals(Set.of(a, b), again.done());
        assertEquals(0.15, loop.time(), "waiting on done futures takes no time");
    }

    @AsyncTest
    void anEmptyCollectionOrBadArgumentsAreRefused() {
        assertEquals("Set of Tasks/Futures is empty.",
                assertThrows(IllegalArgumentException.class, () -> Asyncio.wait(List.<Future<String>>of())).getMessage());
        Future<String> f = new Future<>();
        assertThrows(IllegalArgumentException.class, () -> Asyncio.wait(List.of(f), INF, null));
        assertThrows(IllegalArgumentException.class, () -> Asyncio.wait(List.of(f), Double.NaN, ReturnWhen.ALL_COMPLETED));
        List<Future<String>> withNull = new java.util.ArrayList<>();
        withNull.add(null);
        assertThrows(IllegalArgumentException.class, () -> Asyncio.wait(withNull));
    }

    @AsyncTest
    void firstCompletedReturnsAsSoonAsOneIsDone(AsyncLoop loop) {
        Task<String> a = after(10.0, "a");
        Task<String> b = after(0.1, "b");
        WaitResult<String> r = Asyncio.wait(List.of(b, a), ReturnWhen.FIRST_COMPLETED);
        assertEquals(Set.of(b), r.done());
        assertEquals(Set.of(a), r.pending());
        assertEquals(0.1, loop.time());
        assertFalse(a.done());
        a.cancel();
        Asyncio.wait(List.of(a));
    }

    @AsyncTest
    void firstCompletedWithFuturesAlreadyDoneReturnsThemAllAfterOneSuspension(OrderedSteps steps) {
        // CPython test_wait_really_done.
        Task<Integer> a = Asyncio.createTask(() -> 1);
        Task<Integer> b = Asyncio.createTask(() -> 2);
        Asyncio.sleep(0);
        Task<Void> other = Asyncio.createTask(() -> steps.expect(2));
        steps.expect(1);
        WaitResult<Integer> r = Asyncio.wait(List.of(a, b), ReturnWhen.FIRST_COMPLETED);
        steps.expect(3);
        assertEquals(Set.of(a, b), r.done());
        assertEquals(Set.of(), r.pending());
        other.await();
        steps.finish(4);
    }

    @AsyncTest
    void firstExceptionReturnsAtTheFirstFailure(AsyncLoop loop) {
        Task<String> a = after(10.0, "a");
        Task<Integer> b = failingAfter(0.1);
        WaitResult<Object> r = Asyncio.wait(List.<Future<Object>>of(cast(b), cast(a)), ReturnWhen.FIRST_EXCEPTION);
        assertEquals(Set.of(b), r.done());
        assertEquals(Set.of(a), r.pending());
        assertEquals(0.1, loop.time());
        a.cancel();
        Asyncio.wait(List.of(a));
    }

    @AsyncTest
    void firstExceptionDoesNotStopForACancelledFuture(AsyncLoop loop) {
        Task<String> cancelledSoon = after(10, "x");
        Task<String> slow = after(1, "slow");
        loop.callLater(0.5, () -> cancelledSoon.cancel());
        WaitResult<String> r = Asyncio.wait(List.of(cancelledSoon, slow), ReturnWhen.FIRST_EXCEPTION);
        assertEquals(Set.of(cancelledSoon, slow), r.done(), "no exception: it waited for all");
        assertEquals(1.0, loop.time());
    }

    @AsyncTest
    void firstExceptionWithoutAnyExceptionWaitsForAll(AsyncLoop loop) {
        Task<String> a = after(0.1, "a");
        Task<String> b = after(0.15, "b");
        WaitResult<String> r = Asyncio.wait(List.of(a, b), ReturnWhen.FIRST_EXCEPTION);
        assertEquals(Set.of(a, b), r.done());
        assertEquals(0.15, loop.time());
    }

    @AsyncTest
    void aFailureIsNotRethrownByAllCompleted(AsyncLoop loop) {
        Task<String> a = after(0.1, "a");
        Task<Integer> b = failingAfter(0.15);
        WaitResult<Object> r = Asyncio.wait(List.<Future<Object>>of(cast(a), cast(b)));
        assertEquals(2, r.done().size());
        assertTrue(b.exception() instanceof ArithmeticException);
        assertEquals(0.15, loop.time());
    }

    @AsyncTest
    void aTimeoutReturnsWhatIsDoneAndLeavesThePendingRunning(AsyncLoop loop) {
        Task<String> a = after(0.1, "a");
        Task<String> b = after(0.15, "b");
        WaitResult<String> r = Asyncio.wait(List.of(a, b), 0.11, ReturnWhen.ALL_COMPLETED);
        assertEquals(Set.of(a), r.done());
        assertEquals(Set.of(b), r.pending());
        assertEquals(0.11, loop.time());
        assertFalse(b.cancelled(), "wait never cancels");
        assertEquals("b", b.await());
    }

    @AsyncTest
    void aTimeoutOfZeroReturnsAtTheNextIteration(AsyncLoop loop, OrderedSteps steps) {
        Task<String> a = after(1, "a");
        Task<Void> other = Asyncio.createTask(() -> steps.expect(2));
        steps.expect(1);
        WaitResult<String> r = Asyncio.wait(List.of(a), 0, ReturnWhen.ALL_COMPLETED);
        steps.expect(3);
        assertEquals(Set.of(), r.done());
        assertEquals(Set.of(a), r.pending());
        assertEquals(0.0, loop.time());
        assertEquals("a", a.await());
        other.await();
        steps.finish(4);
    }

    @AsyncTest
    void duplicatesCountOnce(AsyncLoop loop) {
        Task<String> a = after(0.1, "a");
        WaitResult<String> r = Asyncio.wait(List.of(a, a), ReturnWhen.ALL_COMPLETED);
        assertEquals(Set.of(a), r.done());
    }

    @AsyncTest
    void cancellingTheWaiterLeavesTheFuturesRunning() {
        Task<String> a = after(1, "a");
        Task<String> b = after(2, "b");
        Task<WaitResult<String>> waiter = Asyncio.createTask(() -> Asyncio.wait(List.of(a, b)));
        Asyncio.sleep(0.5);
        waiter.cancel();
        assertThrows(CancelledError.class, waiter::await);
        assertFalse(a.cancelled());
        assertFalse(b.cancelled());
        assertEquals(List.of("a", "b"), Asyncio.gather(a, b));
    }

    @AsyncTest
    void theResultSetsMayBeModifiedForTheNextRound() {
        List<Task<Integer>> tasks = List.of(after(3, 3), after(1, 1), after(2, 2));
        Set<Future<Integer>> pending = new java.util.LinkedHashSet<>(tasks);
        StringBuilder order = new StringBuilder();
        while (!pending.isEmpty()) {
            WaitResult<Integer> r = Asyncio.wait(pending, ReturnWhen.FIRST_COMPLETED);
            for (Future<Integer> f : r.done()) {
                order.append(f.result());
            }
            pending = r.pending();
        }
        assertEquals("123", order.toString());
    }

    @SuppressWarnings("unchecked")
    private static Future<Object> cast(Future<?> f) {
        return (Future<Object>) f;
    }
}
