package dev.asyncio;

import dev.asyncio.test.AsyncTest;
import dev.asyncio.test.OrderedSteps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** asyncio.wait_for (3.13, built on timeout): CPython's test_waitfor. */
@SuppressWarnings("finally") // throwing from finally blocks on purpose, as CPython's tests do
class WaitForTest {
    private static final double EPSILON = 0.0001;

    /** A task that ignores cancellation until {@code seconds} of loop time have passed (CPython's SlowTask). */
    private static Coroutine<Boolean> slowTask(double seconds, boolean[] exited) {
        return () -> {
            double exitAt = Asyncio.getRunningLoop().time() + seconds;
            while (true) {
                double left = exitAt - Asyncio.getRunningLoop().time();
                if (left <= 0) {
                    break;
                }
                try {
                    Asyncio.sleep(left);
                } catch (CancelledError ignored) {
                    // keeps going on purpose
                }
            }
            exited[0] = true;
            return true;
        };
    }

    @AsyncTest
    void cancellingTheWaiterWaitsForACoroutineThatIgnoresCancellation() {
        boolean[] exited = {false};
        Task<Boolean> waitForTask = Asyncio.createTask(() -> Asyncio.waitFor(slowTask(0.2, exited), 0.4));
        Asyncio.sleep(0);
        waitForTask.cancel();
        Asyncio.wait(java.util.List.of(waitForTask));
        assertTrue(exited[0]);
    }

    @AsyncTest
    void aTimeoutWaitsForACoroutineThatIgnoresCancellation(AsyncLoop loop) {
        boolean[] exited = {false};
        assertTrue(Asyncio.waitFor(slowTask(0.2, exited), 0.1), "it returned its value after all");
        assertTrue(exited[0]);
        assertEquals(0.2, loop.time(), 1e-9);
    }

    @AsyncTest
    void aDoneFutureWithZeroTimeoutGivesItsResult() {
        Future<String> fut = new Future<>();
        fut.setResult("done");
        assertEquals("done", Asyncio.waitFor(fut, 0));
        assertEquals("done", Asyncio.waitFor(fut, -1));
    }

    @AsyncTest
    void aCoroutineWithZeroTimeoutNeverStarts(OrderedSteps steps) {
        assertThrows(TimeoutError.class, () -> Asyncio.waitFor(steps::expectUnreached, 0));
        assertThrows(TimeoutError.class, () -> Asyncio.waitFor(() -> {
            steps.expectUnreached();
            return 1;
        }, -1));
        steps.finish(1);
    }

    @AsyncTest
    void aRunningTaskWithZeroTimeoutIsCancelledAndAwaited() {
        for (double timeout : new double[]{0, -1}) {
            boolean[] running = {false};
            Future<Void> started = new Future<>();
            Task<String> fut = Asyncio.createTask(() -> {
                running[0] = true;
                started.setResult(null);
                try {
                    Asyncio.sleep(10);
                } finally {
                    running[0] = false;
                }
                return "done";
            });
            started.await();
            TimeoutError e = assertThrows(TimeoutError.class, () -> Asyncio.waitFor(fut, timeout));
            assertInstanceOf(CancelledError.class, e.getCause());
            assertTrue(fut.cancelled());
            assertFalse(running[0]);
        }
    }

    @AsyncTest
    void aTimeoutCancelsTheTaskAndWaitsForIt(AsyncLoop loop) {
        boolean[] running = {false};
        Task<String> fut = Asyncio.createTask(() -> {
            running[0] = true;
            try {
                Asyncio.sleep(300);
            } finally {
                running[0] = false;
            }
            return "done";
        });
        assertThrows(TimeoutError.class, () -> Asyncio.waitFor(fut, 0.1));
        assertTrue(fut.done());
        assertTrue(fut.cancelled());
        assertFalse(running[0]);
        assertEquals(0.1, loop.time());
    }

    @AsyncTest
    void noTimeoutWaitsForEver(AsyncLoop loop) {
        assertEquals("done", Asyncio.waitFor(() -> {
            Asyncio.sleep(1000);
            return "done";
        }, Double.POSITIVE_INFINITY));
        assertEquals(1000.0, loop.time());
    }

    @AsyncTest
    void aResultArrivingBeforeTheTimeoutIsReturned(AsyncLoop loop) {
        Future<String> fut = new Future<>();
        loop.callSoon(() -> fut.setResult("ok"));
        assertEquals("ok", Asyncio.waitFor(fut, 0.2));
    }

    @AsyncTest
    void aCoroutineThatSwallowsTheCancellationGivesItsValue() {
        // CPython test_wait_for_cancellation_race_condition and test_wait_for_cancel_suppressed.
        int r = Asyncio.waitFor(() -> {
            assertThrows(CancelledError.class, () -> Asyncio.sleep(1));
            return 1;
        }, 0.01);
        assertEquals(1, r);
        int r42 = Asyncio.waitFor(() -> {
            try {
                Asyncio.sleep(10);
            } catch (CancelledError e) {
                return 42;
            }
            return 0;
        }, 0.1);
        assertEquals(42, r42);
    }

    @AsyncTest
    void theTimeoutWaitsUntilTheCancelledTaskHasFinishedItsCleanup() {
        boolean[] taskDone = {false};
        Task<Void> inner = Asyncio.createTask(() -> {
            try {
                Asyncio.sleep(10);
            } catch (CancelledError e) {
                Asyncio.sleep(EPSILON);
                throw e;
            } finally {
                taskDone[0] = true;
            }
        });
        TimeoutError e = assertThrows(TimeoutError.class, () -> Asyncio.waitFor(inner, EPSILON));
        assertTrue(taskDone[0]);
        assertInstanceOf(CancelledError.class, e.getCause());
    }

    @AsyncTest
    void zeroTimeoutAlsoWaitsForTheCleanup() {
        boolean[] taskDone = {false};
        Task<Void> inner = Asyncio.createTask(() -> {
            try {
                Asyncio.sleep(10);
            } catch (CancelledError e) {
                Asyncio.sleep(EPSILON);
                throw e;
            } finally {
                taskDone[0] = true;
            }
        });
        Asyncio.sleep(EPSILON);
        TimeoutError e = assertThrows(TimeoutError.class, () -> Asyncio.waitFor(inner, 0));
        assertTrue(taskDone[0]);
        assertInstanceOf(CancelledError.class, e.getCause());
    }

    @AsyncTest
    void anExceptionRaisedDuringTheCancellationIsRethrown() {
        IllegalStateException foo = new IllegalStateException("foo");
        Task<Void> inner = Asyncio.createTask(() -> {
            try {
                Asyncio.sleep(0.2);
            } finally {
                throw foo;
            }
        });
        assertSame(foo, assertThrows(IllegalStateException.class, () -> Asyncio.waitFor(inner, EPSILON)));
    }

    @AsyncTest
    void cancellingTheWaiterCancelsTheAwaitedTask() {
        for (double timeout : new double[]{Double.POSITIVE_INFINITY, 60.0}) {
            Task<Void> task = Asyncio.createTask(() -> {
                new Future<Void>().await(); // never done
            });
            Task<Void> wait = Asyncio.createTask(() -> {
                Asyncio.waitFor(task, timeout);
            });
            Asyncio.getRunningLoop().callSoon(() -> wait.cancel());
            assertThrows(CancelledError.class, wait::await);
            assertTrue(task.cancelled(), "Python issue #23219: cancelling the wait cancels the task");
        }
    }

    @AsyncTest
    void aCancelledWaiterDoesNotRunOnEvenIfTheAwaitedTaskFinishedFirst() {
        // CPython test_wait_for_issue86296.
        Task<String> inner = Asyncio.createTask(() -> "done");
        boolean[] reachedEnd = {false};
        Task<Void> task = Asyncio.createTask(() -> {
            Asyncio.waitFor(inner, 100);
            Asyncio.sleep(1);
            reachedEnd[0] = true;
        });
        assertFalse(task.done());
        Asyncio.sleep(0);
        task.cancel();
        assertThrows(CancelledError.class, task::await);
        assertTrue(inner.done());
        assertEquals("done", inner.await());
        assertFalse(reachedEnd[0]);
    }

    @AsyncTest
    void aShieldedTaskKeepsRunningWhenTheWaitTimesOut(AsyncLoop loop) {
        // CPython WaitForShieldTests.test_shielded_timeout and test_zero_timeout.
        Task<String> task = Asyncio.createTask(() -> {
            Asyncio.sleep(0.1);
            return "done";
        });
        assertThrows(TimeoutError.class, () -> Asyncio.waitFor(() -> Asyncio.shield(task), 0.01));
        assertFalse(task.done());
        assertFalse(task.cancelled());
        assertThrows(TimeoutError.class, () -> Asyncio.waitFor(() -> Asyncio.shield(task), 0));
        assertFalse(task.cancelled());
        assertEquals("done", task.await());
        assertEquals("done", Asyncio.waitFor(() -> Asyncio.shield(task), Double.POSITIVE_INFINITY));
    }

    @AsyncTest
    void badArgumentsAreRefused() {
        Future<String> f = new Future<>();
        assertThrows(IllegalArgumentException.class, () -> Asyncio.waitFor(f, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Asyncio.waitFor((Awaitable<String>) null, 1));
        assertFalse(f.cancelled(), "a refused call changes nothing");
    }

    @AsyncTest
    void waitForOfAnAwaitableThatIsNotAFutureAwaitsItInline(AsyncLoop loop) {
        Awaitable<String> slow = new Awaitable<>() {
            @Override
            public String await() {
                Asyncio.sleep(5);
                return "slow";
            }

            @Override
            public boolean done() {
                return false;
            }
        };
        assertThrows(TimeoutError.class, () -> Asyncio.waitFor(slow, 1));
        assertEquals(1.0, loop.time());
        assertEquals("slow", Asyncio.waitFor(slow, 10));
        assertEquals(6.0, loop.time());
    }
}
