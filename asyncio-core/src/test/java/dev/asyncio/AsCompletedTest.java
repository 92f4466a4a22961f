package dev.asyncio;

import dev.asyncio.test.AsyncTest;
import dev.asyncio.test.OrderedSteps;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** asyncio.as_completed (3.13, async iteration): the as_completed part of CPython's test_tasks. */
class AsCompletedTest {
    private static <T> Task<T> after(double seconds, T value) {
        return Asyncio.createTask(() -> {
            Asyncio.sleep(seconds);
            return value;
        });
    }

    @AsyncTest
    void futuresComeOutInTheOrderTheyComplete(AsyncLoop loop) {
        Task<String> a = after(0.15, "a");
        Task<String> b = after(0.05, "b");
        Task<String> c = after(0.10, "c");
        List<String> values = new ArrayList<>();
        List<Double> times = new ArrayList<>();
        for (Future<String> f : Asyncio.asCompleted(List.of(a, b, c))) {
            assertTrue(f.done());
            values.add(f.result());
            times.add(loop.time());
        }
        assertEquals(List.of("b", "c", "a"), values);
        assertEquals(List.of(0.05, 0.10, 0.15), times);
    }

    @AsyncTest
    void theFuturesHandedOutAreTheOnesGiven() {
        Task<String> a = after(0.2, "a");
        Task<String> b = after(0.1, "b");
        Iterator<Future<String>> it = Asyncio.asCompleted(List.of(a, b)).iterator();
        assertSame(b, it.next());
        assertSame(a, it.next());
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
    }

    @AsyncTest
    void nextSuspendsButHasNextDoesNot(OrderedSteps steps) {
        Task<String> a = after(1, "a");
        Iterator<Future<String>> it = Asyncio.asCompleted(List.of(a)).iterator();
        Task<Void> other = Asyncio.createTask(() -> steps.expect(2));
        steps.expect(1);
        assertTrue(it.hasNext());
        assertEquals(1, steps.current(), "hasNext() did not suspend");
        assertSame(a, it.next());
        steps.expect(3);
        other.await();
        steps.finish(4);
    }

    @AsyncTest
    void aTimeoutMakesTheRemainingNextCallsThrow(AsyncLoop loop) {
        Task<String> a = after(0.1, "a");
        Task<String> b = after(0.15, "b");
        List<String> values = new ArrayList<>();
        Iterator<Future<String>> it = Asyncio.asCompleted(List.of(a, b), 0.12).iterator();
        TimeoutError e = assertThrows(TimeoutError.class, () -> {
            while (it.hasNext()) {
                values.add(it.next().result());
            }
        });
        assertEquals(List.of("a"), values);
        assertEquals(0.12, loop.time());
        assertEquals("asCompleted() timed out with 1 future(s) not done", e.getMessage());
        assertFalse(it.hasNext());
        assertFalse(b.cancelled(), "the futures are not cancelled");
        assertEquals("b", b.await());
    }

    @AsyncTest
    void anUnusedTimeoutDoesNotFire(AsyncLoop loop) {
        Task<String> a = after(0.01, "a");
        for (Future<String> f : Asyncio.asCompleted(List.of(a), 0.5)) {
            assertEquals("a", f.result());
        }
        Asyncio.sleep(1);
        assertEquals(1.01, loop.time(), 1e-9);
    }

    @AsyncTest
    void failuresComeOutAsFailedFutures() {
        Task<String> ok = after(0.2, "ok");
        Task<String> bad = Asyncio.createTask(() -> {
            Asyncio.sleep(0.1);
            throw new IllegalStateException("bad");
        });
        Iterator<Future<String>> it = Asyncio.asCompleted(List.of(ok, bad)).iterator();
        Future<String> first = it.next();
        assertSame(bad, first);
        assertThrows(IllegalStateException.class, first::result);
        assertEquals("ok", it.next().result());
    }

    @AsyncTest
    void duplicatesCountOnceAndAwaitablesAreWrapped() {
        Task<String> a = after(0.1, "a");
        Awaitable<String> custom = new Awaitable<>() {
            @Override
            public String await() {
                Asyncio.sleep(0.05);
                return "custom";
            }

            @Override
            public boolean done() {
                return false;
            }
        };
        List<String> values = new ArrayList<>();
        for (Future<String> f : Asyncio.asCompleted(List.of(a, custom, a))) {
            values.add(f.result());
        }
        assertEquals(List.of("custom", "a"), values);
    }

    @AsyncTest
    void anEmptyCollectionYieldsNothing() {
        assertFalse(Asyncio.asCompleted(List.<Future<String>>of()).iterator().hasNext());
        assertFalse(Asyncio.asCompleted(List.<Future<String>>of(), 1).iterator().hasNext());
    }

    @AsyncTest
    void iteratingAgainContinuesWhereItStopped() {
        Task<Integer> a = after(1, 1);
        Task<Integer> b = after(2, 2);
        Iterable<Future<Integer>> all = Asyncio.asCompleted(List.of(a, b));
        for (Future<Integer> f : all) {
            assertEquals(1, f.result());
            break;
        }
        List<Integer> rest = new ArrayList<>();
        for (Future<Integer> f : all) {
            rest.add(f.result());
        }
        assertEquals(List.of(2), rest);
    }

    @AsyncTest
    void cancellingTheIteratingTaskLeavesTheFuturesRunning() {
        Task<String> a = after(1, "a");
        Task<Void> consumer = Asyncio.createTask(() -> {
            for (Future<String> f : Asyncio.asCompleted(List.of(a))) {
                f.result();
            }
        });
        Asyncio.sleep(0.5);
        consumer.cancel();
        assertThrows(CancelledError.class, consumer::await);
        assertFalse(a.cancelled());
        assertEquals("a", a.await());
    }

    @AsyncTest
    void futuresDoneBeforeTheIterationStartsComeOutInCompletionOrder() {
        Future<String> late = new Future<>();
        Future<String> early = new Future<>();
        Iterable<Future<String>> it = Asyncio.asCompleted(List.of(late, early));
        early.setResult("early");
        late.setResult("late");
        List<String> values = new ArrayList<>();
        for (Future<String> f : it) {
            values.add(f.result());
        }
        assertEquals(List.of("early", "late"), values);
    }

    @AsyncTest
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Asyncio.asCompleted(null));
        assertThrows(IllegalArgumentException.class, () -> Asyncio.asCompleted(List.<Future<String>>of(), Double.NaN));
        List<Future<String>> withNull = new ArrayList<>();
        withNull.add(null);
        assertThrows(IllegalArgumentException.class, () -> Asyncio.asCompleted(withNull));
    }
}
