package dev.asyncio;

import dev.asyncio.test.AsyncTest;
import dev.asyncio.test.OrderedSteps;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** asyncio.Condition: CPython's test_locks.ConditionTests, and cancellation at both of its suspension points. */
class ConditionTest {
    /** A task that acquires, waits once, records {@code id} and (if asked) releases. */
    private static Task<Void> waiter(Condition cond, List<Integer> result, int id, boolean release) {
        return Asyncio.createTask(() -> {
            cond.acquire();
            cond.await();
            result.add(id);
            if (release) {
                cond.release();
            }
        });
    }

    @AsyncTest
    void signalledTasksResumeOneAtATimeAsTheLockIsReleased() {
        Condition cond = new Condition();
        List<Integer> result = new ArrayList<>();
        Task<Void> t1 = waiter(cond, result, 1, false);
        Task<Void> t2 = waiter(cond, result, 2, false);
        Task<Void> t3 = waiter(cond, result, 3, false);
        Asyncio.sleep(0);
        assertEquals(List.of(), result);
        assertFalse(cond.locked());

        cond.acquire();
        cond.signal();
        Asyncio.sleep(0);
        assertEquals(List.of(), result, "signalled, but the lock is ours");
        assertTrue(cond.locked());

        cond.release();
        Asyncio.sleep(0);
        assertEquals(List.of(1), result);
        assertTrue(cond.locked(), "t1 holds it now");

        cond.signal(2);
        Asyncio.sleep(0);
        assertEquals(List.of(1), result);
        cond.release();
        Asyncio.sleep(0);
        assertEquals(List.of(1, 2), result);
        cond.release();
        Asyncio.sleep(0);
        assertEquals(List.of(1, 2, 3), result);
        assertTrue(cond.locked());
        assertTrue(t1.done() && t2.done() && t3.done());
        cond.release();
    }

    @AsyncTest
    void signalWakesAtMostNAndSignalAllWakesEveryone() {
        Condition cond = new Condition();
        List<Integer> result = new ArrayList<>();
        Task<Void> t1 = waiter(cond, result, 1, true);
        Task<Void> t2 = waiter(cond, result, 2, true);
        Task<Void> t3 = waiter(cond, result, 3, true);
        Asyncio.sleep(0);
        try (Releaser _ = cond.acquire()) {
            cond.signal(1);
        }
        Asyncio.sleep(0);
        assertEquals(List.of(1), result);
        try (Releaser _ = cond.acquire()) {
            cond.signal(1);
            cond.signal(2048);
        }
        Asyncio.sleep(0);
        assertEquals(List.of(1, 2, 3), result);
        assertTrue(t1.done() && t2.done() && t3.done());

        Task<Void> t4 = waiter(cond, result, 4, true);
        Task<Void> t5 = waiter(cond, result, 5, true);
        Asyncio.sleep(0);
        try (Releaser _ = cond.acquire()) {
            cond.signalAll();
        }
        Asyncio.gather(t4, t5);
        assertEquals(List.of(1, 2, 3, 4, 5), result);
    }

    @AsyncTest
    void cancelWhileWaitingForASignalStillReacquiresTheLock() {
        Condition cond = new Condition();
        cond.acquire();
        Task<Void> wait = Asyncio.createTask(cond::await);
        Asyncio.getRunningLoop().callSoon(() -> wait.cancel());
        assertThrows(CancelledError.class, wait::await);
        assertEquals("<Condition [locked]>", cond.toString(), "no waiter left; the lock is held again");
        cond.release();
    }

    @AsyncTest
    void cancellingAWaiterThatCannotGetTheLockBackWaitsForTheLockBeforeThrowing(OrderedSteps steps) {
        Condition cond = new Condition();
        Task<Void> t = Asyncio.createTask(() -> {
            try (Releaser _ = cond.acquire()) {
                steps.expect(1);
                try {
                    cond.await();
                } catch (CancelledError e) {
                    steps.expect(3);
                    assertTrue(cond.locked(), "the lock is ours again when the error arrives");
                    throw e;
                }
            }
        });
        Asyncio.sleep(0);
        cond.acquire();
        t.cancel();
        Asyncio.sleep(0);
        Asyncio.sleep(0);
        steps.expect(2);
        assertFalse(t.done(), "t is cancelled but waits for the lock we hold");
        cond.release();
        assertThrows(CancelledError.class, t::await);
        assertFalse(cond.locked());
        steps.finish(4);
    }

    @AsyncTest
    void aSignalledWaiterCancelledWhileReacquiringIsCancelledAndHoldsNothing() {
        // CPython test_wait_cancel_after_notify (bpo-32841).
        Condition cond = new Condition();
        boolean[] waited = {false};
        Task<Void> waiter = Asyncio.createTask(() -> {
            try (Releaser _ = cond.acquire()) {
                waited[0] = true;
                cond.await();
            }
        });
        Asyncio.sleep(0);
        cond.acquire();
        cond.signal();
        Asyncio.sleep(0);  // the waiter wakes and waits for the lock
        waiter.cancel();
        Asyncio.sleep(0);  // the cancellation is noted while it still waits for the lock
        cond.release();
        Asyncio.sleep(0);  // it takes the lock, then the CancelledError arrives and the lock is released
        assertTrue(waiter.cancelled());
        assertTrue(waited[0]);
        assertFalse(cond.locked());
    }

    @AsyncTest
    void aSignalIsNotLostWhenTheSignalledWaiterIsCancelled() {
        Condition cond = new Condition();
        List<String> woken = new ArrayList<>();
        Task<Void> a = Asyncio.createTask(() -> {
            try (Releaser _ = cond.acquire()) {
                cond.await();
                woken.add("a");
            }
        });
        Task<Void> b = Asyncio.createTask(() -> {
            try (Releaser _ = cond.acquire()) {
                cond.await();
                woken.add("b");
            }
        });
        Asyncio.sleep(0);
        try (Releaser _ = cond.acquire()) {
            cond.signal();     // meant for a ...
            a.cancel();        // ... which cannot use it: it passes the signal to b
        }
        assertThrows(CancelledError.class, a::await);
        b.await();
        assertEquals(List.of("b"), woken);
    }

    @AsyncTest
    void contestedCancellationIsNotDeliveredWhenTheWaiterHadNoCancellationPoint() {
        // CPython test_wait_cancel_contested.
        Condition cond = new Condition();
        cond.acquire();
        Task<Void> waitTask = Asyncio.createTask(cond::await);
        Asyncio.sleep(0);
        assertFalse(cond.locked());
        cond.acquire();
        cond.signal();
        AsyncLoop loop = Asyncio.getRunningLoop();
        loop.callSoon(() -> waitTask.cancel());
        loop.callSoon(cond::release);
        try {
            waitTask.await();
        } catch (CancelledError expectedSometimes) {
            // the reacquisition was a cancellation point; either way the lock must be held
        }
        assertTrue(cond.locked());
        cond.release();
    }

    @AsyncTest
    void awaitForChecksThePredicateBeforeAndAfterEveryWakeUp() {
        Condition cond = new Condition();
        boolean[] ready = {false};
        int[] checks = {0};
        List<Integer> result = new ArrayList<>();
        Task<Void> t = Asyncio.createTask(() -> {
            cond.acquire();
            assertTrue(cond.awaitFor(() -> {
                checks[0]++;
                return ready[0];
            }));
            result.add(1);
            cond.release();
        });
        Asyncio.sleep(0);
        assertEquals(List.of(), result);
        try (Releaser _ = cond.acquire()) {
            cond.signal();
        }
        Asyncio.sleep(0);
        assertEquals(List.of(), result, "woken, the predicate is still false: waits again");
        ready[0] = true;
        try (Releaser _ = cond.acquire()) {
            cond.signal();
        }
        Asyncio.sleep(0);
        assertEquals(List.of(1), result);
        assertEquals(3, checks[0]);
        assertTrue(t.done());
    }

    @AsyncTest
    void awaitForWithATruePredicateNeedsNoLockAndAFalseOneDoes() {
        Condition cond = new Condition();
        assertTrue(cond.awaitFor(() -> true));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cond.awaitFor(() -> false));
        assertEquals("cannot wait on un-acquired lock", e.getMessage());
    }

    @AsyncTest
    void awaitAndSignalWithoutTheLockAreErrors() {
        Condition cond = new Condition();
        assertEquals("cannot wait on un-acquired lock", assertThrows(IllegalStateException.class, cond::await).getMessage());
        assertEquals("cannot notify on un-acquired lock", assertThrows(IllegalStateException.class, cond::signal).getMessage());
        assertEquals("cannot notify on un-acquired lock", assertThrows(IllegalStateException.class, cond::signalAll).getMessage());
    }

    @AsyncTest
    void aConditionCanShareALock() {
        Lock lock = new Lock();
        Condition cond = new Condition(lock);
        try (Releaser _ = cond.acquire()) {
            assertTrue(lock.locked());
            assertTrue(cond.locked());
        }
        assertFalse(lock.locked());
        try (Releaser _ = lock.acquire()) {
            assertTrue(cond.locked());
        }
        assertFalse(cond.locked());
    }

    @AsyncTest
    void waitForTimingOutInsideTheBlockLeavesTheLockHeld(AsyncLoop loop) {
        // CPython test_timeout_in_block.
        Condition cond = new Condition();
        try (Releaser _ = cond.acquire()) {
            assertThrows(TimeoutError.class, () -> Asyncio.waitFor(cond::await, 0.5));
            assertTrue(cond.locked());
        }
        assertEquals(0.5, loop.time());
    }
}
