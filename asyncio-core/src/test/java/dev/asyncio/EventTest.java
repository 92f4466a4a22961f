package dev.asyncio;

import dev.asyncio.test.AsyncTest;
import dev.asyncio.test.OrderedSteps;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** asyncio.Event: CPython's test_locks.EventTests. */
class EventTest {
    private static Task<Void> waitAndRecord(Event ev, List<Integer> result, int id) {
        return Asyncio.createTask(() -> {
            ev.await();
            result.add(id);
        });
    }

    @AsyncTest
    void setWakesEveryWaiterAndLaterWaitersDoNotSuspend() {
        Event ev = new Event();
        assertFalse(ev.isSet());
        List<Integer> result = new ArrayList<>();
        Task<Void> t1 = waitAndRecord(ev, result, 1);
        Task<Void> t2 = waitAndRecord(ev, result, 2);
        Asyncio.sleep(0);
        assertEquals(List.of(), result);
        Task<Void> t3 = waitAndRecord(ev, result, 3);
        ev.set();
        Asyncio.sleep(0);
        assertEquals(List.of(3, 1, 2), result, "t3 never waited; t1 and t2 woke in order");
        assertTrue(t1.done() && t2.done() && t3.done());
    }

    @AsyncTest
    void awaitOnASetEventReturnsAtOnce(OrderedSteps steps) {
        Event ev = new Event();
        ev.set();
        Task<Void> other = Asyncio.createTask(() -> steps.expect(2));
        steps.expect(1);
        ev.await();
        assertEquals(1, steps.current(), "did not suspend");
        other.await();
        steps.finish(3);
    }

    @AsyncTest
    void cancelWhileWaitingRemovesTheWaiterAndLeavesTheEventUnset() {
        Event ev = new Event();
        Task<Void> wait = Asyncio.createTask(ev::await);
        Asyncio.getRunningLoop().callSoon(() -> wait.cancel());
        assertThrows(CancelledError.class, wait::await);
        assertEquals("<Event [unset]>", ev.toString());
    }

    @AsyncTest
    void clear() {
        Event ev = new Event();
        ev.set();
        assertTrue(ev.isSet());
        ev.clear();
        assertFalse(ev.isSet());
    }

    @AsyncTest
    void aWaiterWokenBySetResumesEvenIfTheEventIsClearedBeforeItRuns() {
        Event ev = new Event();
        List<Integer> result = new ArrayList<>();
        Task<Void> t = waitAndRecord(ev, result, 1);
        Asyncio.sleep(0);
        ev.set();
        ev.clear();
        assertFalse(ev.isSet());
        ev.set();
        ev.set();
        assertEquals("<Event [set, waiters:1]>", ev.toString());
        Asyncio.sleep(0);
        assertEquals(List.of(1), result);
        assertEquals("<Event [set]>", ev.toString());
        assertTrue(t.done());
    }

    @AsyncTest
    void aWaiterCancelledAfterTheSetStillSeesTheCancellation() {
        Event ev = new Event();
        Task<Void> t = Asyncio.createTask(ev::await);
        Asyncio.sleep(0);
        ev.set();
        t.cancel();
        assertThrows(CancelledError.class, t::await);
        assertTrue(ev.isSet(), "the event is unchanged");
    }
}
