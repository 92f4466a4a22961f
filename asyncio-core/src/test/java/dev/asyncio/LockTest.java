package dev.asyncio;

import dev.asyncio.test.AsyncTest;
import dev.asyncio.test.OrderedSteps;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** asyncio.Lock: CPython's test_locks.LockTests, plus cancellation at the lock's one suspension point. */
class LockTest {
    private static Task<Void> lockit(Lock lock, List<Integer> result, int id) {
        return Asyncio.createTask(() -> {
            lock.acquire();
            result.add(id);
        });
    }

    @AsyncTest
    void waitersGetTheLockInTheOrderTheyCame() {
        Lock lock = new Lock();
        List<Integer> result = new ArrayList<>();
        lock.acquire();
        Task<Void> t1 = lockit(lock, result, 1);
        Task<Void> t2 = lockit(lock, result, 2);
        Asyncio.sleep(0);
        assertEquals(List.of(), result);

        lock.release();
        Asyncio.sleep(0);
        assertEquals(List.of(1), result);
        Asyncio.sleep(0);
        assertEquals(List.of(1), result, "t2 waits: t1 holds the lock");

        Task<Void> t3 = lockit(lock, result, 3);
        lock.release();
        Asyncio.sleep(0);
        assertEquals(List.of(1, 2), result);
        lock.release();
        Asyncio.sleep(0);
        assertEquals(List.of(1, 2, 3), result);
        assertTrue(t1.done() && t2.done() && t3.done());
        lock.release();
    }

    @AsyncTest
    void acquireOfAFreeLockDoesNotSuspend(OrderedSteps steps) {
        Lock lock = new Lock();
        Task<Void> other = Asyncio.createTask(() -> steps.expect(2));
        steps.expect(1);
        try (Releaser _ = lock.acquire()) {
            assertTrue(lock.locked());
            assertEquals(1, steps.current(), "no other task ran");
        }
        assertFalse(lock.locked());
        other.await();
        steps.finish(3);
    }

    @AsyncTest
    void aNewcomerQueuesBehindWaitersEvenWhenTheLockIsMomentarilyFree(OrderedSteps steps) {
        Lock lock = new Lock();
        lock.acquire();
        Task<Void> waiter = Asyncio.createTask(() -> {
            steps.expect(2);
            try (Releaser _ = lock.acquire()) {
                steps.expect(4);
            }
        });
        steps.expect(1);
        Asyncio.sleep(0);
        steps.expect(3);
        lock.release();
        assertFalse(lock.locked(), "handed over, but the waiter has not run yet");
        try (Releaser _ = lock.acquire()) { // FIFO: suspends behind the waiter
            steps.expect(5);
        }
        assertTrue(waiter.done());
        steps.finish(6);
    }

    @AsyncTest
    void tryWithResourcesReleasesOnExceptionsAndAHandleReleasesOnce() {
        Lock lock = new Lock();
        assertThrows(IllegalArgumentException.class, () -> {
            try (Releaser _ = lock.acquire()) {
                assertTrue(lock.locked());
                throw new IllegalArgumentException("boom");
            }
        });
        assertFalse(lock.locked());
        Releaser first = lock.acquire();
        first.close();
        Releaser second = lock.acquire();
        first.close(); // must not release the second acquisition
        assertTrue(lock.locked());
        second.close();
        assertFalse(lock.locked());
    }

    @AsyncTest
    void cancelWhileWaitingRemovesTheWaiter() {
        Lock lock = new Lock();
        lock.acquire();
        Task<Releaser> t = Asyncio.createTask(lock::acquire);
        Asyncio.getRunningLoop().callSoon(() -> t.cancel());
        assertThrows(CancelledError.class, t::await);
        assertEquals("<Lock [locked]>", lock.toString(), "no waiter left");
        lock.release();
        assertFalse(lock.locked());
    }

    @AsyncTest
    void cancelledWaiterAtTheHeadIsSkippedWhenTheHolderReleases() {
        // CPython test_cancel_race: A holds the lock, B and C wait; B is cancelled as A releases.
        Lock lock = new Lock();
        Future<Void> fa = new Future<>();
        List<String> order = new ArrayList<>();
        Task<Void> ta = Asyncio.createTask(() -> {
            try (Releaser _ = lock.acquire()) {
                fa.await();
            }
        });
        Asyncio.sleep(0);
        assertTrue(lock.locked());
        Task<Void> tb = Asyncio.createTask(() -> {
            try (Releaser _ = lock.acquire()) {
                order.add("B");
            }
        });
        Asyncio.sleep(0);
        Task<Void> tc = Asyncio.createTask(() -> {
            try (Releaser _ = lock.acquire()) {
                order.add("C");
            }
        });
        Asyncio.sleep(0);
        assertEquals("<Lock [locked, waiters:2]>", lock.toString());

        fa.setResult(null);
        tb.cancel();
        Asyncio.sleep(0);
        assertFalse(lock.locked());
        assertTrue(ta.done());
        assertTrue(tb.cancelled());
        tc.await();
        assertEquals(List.of("C"), order);
        assertFalse(lock.locked());
    }

    @AsyncTest
    void cancellingOneWaiterAsTheLockIsReleasedLetsExactlyOneIn() {
        // CPython test_cancel_release_race (bpo-32734).
        AsyncLoop loop = Asyncio.getRunningLoop();
        Lock lock = new Lock();
        int[] counts = new int[2]; // calls, acquisitions
        Coroutine<Void> lockit = () -> {
            counts[0]++;
            lock.acquire();
            counts[1]++;
            return null;
        };
        lock.acquire();
        Task<Void> t1 = Asyncio.createTask(lockit);
        Task<Void> t2 = Asyncio.createTask(lockit);
        Task<Void> t3 = Asyncio.createTask(lockit);
        Asyncio.sleep(0);
        loop.callSoon(() -> {
            t1.cancel();
            lock.release();
        });
        assertThrows(CancelledError.class, t1::await);
        assertEquals(1, counts[1], "only one acquisition");
        assertEquals(3, counts[0]);
        assertTrue(t1.cancelled() && t2.done());
        assertFalse(t3.done());
        t3.cancel();
        Asyncio.sleep(0);
        assertTrue(t3.cancelled());
    }

    @AsyncTest
    void aNewcomerIsNotBlockedByACancelledWaiterAtTheHead(OrderedSteps steps) {
        // CPython test_finished_waiter_cancelled: the only waiter is cancelled as the lock is released.
        Lock lock = new Lock();
        lock.acquire();
        Task<Releaser> tb = Asyncio.createTask(() -> {
            steps.expect(2);
            try {
                return lock.acquire();
            } catch (CancelledError e) {
                steps.expect(5);
                throw e;
            }
        });
        steps.expect(1);
        Asyncio.sleep(0);
        Task<Releaser> tc = Asyncio.createTask(() -> {
            steps.expect(3);
            Releaser r = lock.acquire();
            steps.expect(4);
            return r;
        });
        tb.cancel();
        lock.release();
        Asyncio.sleep(0);
        assertTrue(lock.locked());
        assertTrue(tb.cancelled());
        tc.await().close();
        assertFalse(lock.locked());
        steps.finish(6);
    }

    @AsyncTest
    void cancelAfterTheLockWasHandedOverPassesItToTheNextWaiter(OrderedSteps steps) {
        Lock lock = new Lock();
        lock.acquire();
        Task<Releaser> tb = Asyncio.createTask(() -> {
            steps.expect(1);
            try {
                return lock.acquire();
            } catch (CancelledError e) {
                steps.expect(3);
                assertFalse(lock.locked(), "B never took the lock");
                throw e;
            }
        });
        Task<Releaser> tc = Asyncio.createTask(() -> {
            steps.expect(2);
            Releaser r = lock.acquire();
            steps.expect(4);
            return r;
        });
        Asyncio.sleep(0);
        lock.release();            // hands the lock to B: B's waiter future is done ...
        assertTrue(tb.cancel());   // ... and B is cancelled before it could run
        assertThrows(CancelledError.class, tb::await);
        tc.await().close();
        assertFalse(lock.locked());
        steps.finish(5);
    }

    @AsyncTest
    void releaseOfAnUnlockedLockIsAnError() {
        Lock lock = new Lock();
        IllegalStateException e = assertThrows(IllegalStateException.class, lock::release);
        assertEquals("Lock is not acquired.", e.getMessage());
    }

    @AsyncTest
    void waitingOutsideATaskIsRefusedWithAClearMessage(AsyncLoop loop) {
        Lock lock = new Lock();
        lock.acquire();
        Future<String> message = new Future<>();
        loop.callSoon(() -> {
            try {
                lock.acquire();
                message.setResult("acquired?!");
            } catch (IllegalStateException e) {
                message.setResult(e.getMessage());
            }
        });
        assertTrue(message.await().startsWith("Cannot wait for a held Lock outside a task"), message.result());
        lock.release();
    }

    @AsyncTest
    void aLockUsedByTwoLoopsIsRefused() {
        Lock lock = new Lock();
        lock.acquire();
        Task<Releaser> waiter = Asyncio.createTask(lock::acquire);
        Asyncio.sleep(0);
        String message = Asyncio.toThread(() -> {
            try (AsyncLoop other = AsyncLoop.builder().virtualTime(true).build()) {
                return other.runUntilComplete(() -> {
                    try {
                        lock.acquire();
                        return "acquired?!";
                    } catch (IllegalStateException e) {
                        return e.getMessage();
                    }
                });
            }
        });
        assertEquals("<Lock [locked, waiters:1]> is bound to a different event loop", message);
        lock.release();
        waiter.await().close();
    }
}
