package dev.asyncio;

import dev.asyncio.test.AsyncTest;
import dev.asyncio.test.OrderedSteps;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** asyncio.Semaphore and BoundedSemaphore: CPython's test_locks.SemaphoreTests. */
class SemaphoreTest {
    private static Task<Void> acquireAndRecord(Semaphore sem, List<Integer> result, int id) {
        return Asyncio.createTask(() -> {
            sem.acquire();
            result.add(id);
        });
    }

    @AsyncTest
    void initialValueZeroIsLockedAndNegativeIsRefused() {
        assertTrue(new Semaphore(0).locked());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
        assertEquals("Semaphore initial value must be >= 0, got -1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BoundedSemaphore(-1));
    }

    @AsyncTest
    void permitsAreHandedOutInOrderAndReleasesWakeWaiters() {
        Semaphore sem = new Semaphore(3);
        List<Integer> result = new ArrayList<>();
        sem.acquire();
        sem.acquire();
        assertFalse(sem.locked());
        Task<Void> t1 = acquireAndRecord(sem, result, 1);
        Task<Void> t2 = acquireAndRecord(sem, result, 2);
        Task<Void> t3 = acquireAndRecord(sem, result, 3);
        Asyncio.sleep(0);
        assertEquals(List.of(1), result);
        assertTrue(sem.locked());
        assertEquals("<Semaphore [locked, waiters:2]>", sem.toString());
        assertEquals(0, sem.value());

        Task<Void> t4 = acquireAndRecord(sem, result, 4);
        sem.release();
        sem.release();
        assertEquals(0, sem.value(), "both permits went straight to waiters");
        Asyncio.sleep(0);
        assertEquals(List.of(1, 2, 3), result, "in order; t4 came last");
        assertTrue(sem.locked());
        assertEquals("<Semaphore [locked, waiters:1]>", sem.toString());
        assertTrue(t1.done() && t2.done() && t3.done());
        assertFalse(t4.done());
        sem.release();
        t4.await();
        assertEquals(List.of(1, 2, 3, 4), result);
    }

    @AsyncTest
    void cancelWhileWaitingLeavesNoWaiterAndNoPermitTaken() {
        Semaphore sem = new Semaphore(1);
        sem.acquire();
        Task<Releaser> acquire = Asyncio.createTask(sem::acquire);
        Asyncio.getRunningLoop().callSoon(() -> acquire.cancel());
        assertThrows(CancelledError.class, acquire::await);
        assertEquals("<Semaphore [locked]>", sem.toString());
        sem.release();
        assertEquals("<Semaphore [unlocked, value:1]>", sem.toString());
    }

    @AsyncTest
    void cancelledWaitersAreSkippedWhenAPermitIsReleased() {
        // CPython test_acquire_cancel_before_awoken.
        Semaphore sem = new Semaphore(0);
        Task<Releaser> t1 = Asyncio.createTask(sem::acquire);
        Task<Releaser> t2 = Asyncio.createTask(sem::acquire);
        Task<Releaser> t3 = Asyncio.createTask(sem::acquire);
        Task<Releaser> t4 = Asyncio.createTask(sem::acquire);
        Asyncio.sleep(0);
        t1.cancel();
        t2.cancel();
        sem.release();
        Asyncio.sleep(0);
        Asyncio.sleep(0);
        assertTrue(t3.done());
        assertFalse(t4.done());
        assertTrue(t1.cancelled() && t2.cancelled());
        t4.cancel();
        assertThrows(CancelledError.class, t4::await);
        assertEquals(0, sem.value());
    }

    @AsyncTest
    void aPermitHandedToACancelledWaiterGoesToTheNextOne() {
        // CPython test_acquire_hang.
        Semaphore sem = new Semaphore(0);
        Task<Releaser> t1 = Asyncio.createTask(sem::acquire);
        Task<Releaser> t2 = Asyncio.createTask(sem::acquire);
        Asyncio.sleep(0);
        sem.release();      // the permit goes to t1 ...
        t1.cancel();        // ... which is cancelled before it runs
        Asyncio.sleep(0);
        Asyncio.sleep(0);
        assertTrue(t1.cancelled());
        assertTrue(t2.done(), "t2 got the permit t1 gave back");
        assertTrue(sem.locked());
        assertEquals(0, sem.value());
    }

    @AsyncTest
    void aTaskCancelledRightAfterAcquiringDoesNotLeakThePermit() {
        // CPython test_acquire_no_hang.
        Semaphore sem = new Semaphore(1);
        Task<?>[] t2 = new Task<?>[1];
        Task<Void> t1 = Asyncio.createTask(() -> {
            try (Releaser _ = sem.acquire()) {
                Asyncio.sleep(0);
            }
            t2[0].cancel();
        });
        t2[0] = Asyncio.createTask(() -> {
            try (Releaser _ = sem.acquire()) {
                throw new AssertionError("t2 must be cancelled before it gets the permit");
            }
        });
        List<Object> results = Asyncio.gather(true, t1, t2[0]);
        assertNull(results.get(0));
        assertInstanceOf(CancelledError.class, results.get(1));
        assertEquals(1, sem.value(), "the permit handed to t2 came back");
        Asyncio.waitFor(sem::acquire, 1.0);
    }

    @AsyncTest
    void fifoOrderHoldsAcrossReacquisitions(AsyncLoop loop) {
        Semaphore sem = new Semaphore(1);
        List<String> result = new ArrayList<>();
        TaskGroup.run(g -> {
            for (String tag : List.of("c1", "c2", "c3")) {
                g.createTask(() -> {
                    try (Releaser _ = sem.acquire()) {
                        result.add(tag + "_1");
                        Asyncio.sleep(0.01);
                    }
                    try (Releaser _ = sem.acquire()) {
                        result.add(tag + "_2");
                        Asyncio.sleep(0.01);
                    }
                });
            }
            return null;
        });
        assertEquals(List.of("c1_1", "c2_1", "c3_1", "c1_2", "c2_2", "c3_2"), result);
    }

    @AsyncTest
    void aTaskThatReleasesAndReacquiresQueuesBehindTheOthers() {
        // CPython test_acquire_fifo_order_2.
        Semaphore sem = new Semaphore(1);
        List<Integer> result = new ArrayList<>();
        Task<Void> t1 = acquireAndRecord(sem, result, 1);
        Task<Void> t2 = Asyncio.createTask(() -> {
            sem.acquire();
            result.add(2);
            sem.release();
            sem.acquire();
            result.add(4);
        });
        Task<Void> t3 = acquireAndRecord(sem, result, 3);
        Asyncio.sleep(0);
        sem.release();
        sem.release();
        Asyncio.gather(t1, t2, t3);
        assertEquals(List.of(1, 2, 3, 4), result);
    }

    @AsyncTest
    void aWaiterCancelledBeforeAnyReleaseLetsTheOthersThroughInOrder() {
        // CPython test_acquire_fifo_order_3.
        Semaphore sem = new Semaphore(0);
        List<Integer> result = new ArrayList<>();
        Task<Void> t1 = acquireAndRecord(sem, result, 1);
        Task<Void> t2 = acquireAndRecord(sem, result, 2);
        Task<Void> t3 = acquireAndRecord(sem, result, 3);
        Asyncio.sleep(0);
        t1.cancel();
        Asyncio.sleep(0);
        sem.release();
        sem.release();
        Asyncio.gather(true, t1, t2, t3);
        assertEquals(List.of(2, 3), result);
    }

    @AsyncTest
    void aNewcomerWaitsBehindWaitersEvenWithAFreePermit(OrderedSteps steps) {
        Semaphore sem = new Semaphore(0);
        Task<Void> waiter = Asyncio.createTask(() -> {
            steps.expect(1);
            sem.acquire();
            steps.expect(3);
        });
        Asyncio.sleep(0);
        sem.release();
        assertTrue(sem.locked(), "the permit is promised to the waiter");
        steps.expect(2);
        Task<Void> newcomer = Asyncio.createTask(() -> {
            sem.acquire();
            steps.expect(4);
        });
        sem.release();
        Asyncio.gather(waiter, newcomer);
        steps.finish(5);
    }

    @AsyncTest
    void boundedSemaphoreRefusesToBeReleasedAboveItsInitialValue() {
        BoundedSemaphore sem = new BoundedSemaphore(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, sem::release);
        assertEquals("BoundedSemaphore released too many times", e.getMessage());
        try (Releaser _ = sem.acquire()) {
            assertTrue(sem.locked());
        }
        assertFalse(sem.locked());
        assertThrows(IllegalStateException.class, sem::release);
        Semaphore unbounded = new Semaphore(1);
        unbounded.release();
        assertEquals(2, unbounded.value(), "a plain semaphore may go above its initial value");
    }
}
