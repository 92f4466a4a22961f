package dev.asyncio;

import dev.asyncio.test.AsyncTest;
import dev.asyncio.test.OrderedSteps;

import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** asyncio.timeout / timeout_at: CPython's test_timeouts (3.13). */
@SuppressWarnings("finally") // throwing from finally blocks on purpose, as CPython's tests do
class TimeoutTest {
    private static final double INF = Double.POSITIVE_INFINITY;

    @AsyncTest
    void anExpiredTimeoutRaisesTimeoutErrorCausedByTheCancellation(AsyncLoop loop) {
        AtomicReference<Timeout> cm = new AtomicReference<>();
        TimeoutError e = assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.01, (Timeout t) -> {
            cm.set(t);
            Asyncio.sleep(10);
            return null;
        }));
        assertTrue(cm.get().expired());
        assertInstanceOf(CancelledError.class, e.getCause());
        assertEquals(0.01, loop.time());
        assertEquals(0, Asyncio.currentTask().cancelling(), "the timeout withdrew its cancellation");
    }

    @AsyncTest
    void timeoutAtUsesAnAbsoluteDeadline(AsyncLoop loop) {
        Asyncio.sleep(5);
        double deadline = loop.time() + 0.01;
        AtomicReference<Timeout> cm = new AtomicReference<>();
        assertThrows(TimeoutError.class, () -> Asyncio.timeoutAt(deadline, t -> {
            cm.set(t);
            Asyncio.sleep(10);
            return null;
        }));
        assertTrue(cm.get().expired());
        assertEquals(deadline, cm.get().when());
        assertEquals(deadline, loop.time());
    }

    @AsyncTest
    void aBlockThatFinishesInTimeReturnsItsResult(AsyncLoop loop) {
        AtomicReference<Timeout> cm = new AtomicReference<>();
        String r = Asyncio.timeout(10, (Timeout t) -> {
            cm.set(t);
            Asyncio.sleep(0.01);
            return "ok";
        });
        assertEquals("ok", r);
        assertFalse(cm.get().expired());
        assertTrue(cm.get().when() > loop.time());
        assertEquals("<Timeout [finished]>", cm.get().toString());
        Asyncio.sleep(20);
        assertFalse(cm.get().expired(), "the timer was cancelled when the block ended");
    }

    @AsyncTest
    void anInfiniteTimeoutIsDisabled() {
        AtomicReference<Timeout> cm = new AtomicReference<>();
        Asyncio.timeout(INF, t -> {
            cm.set(t);
            assertEquals("<Timeout [active] when=inf>", t.toString());
            Asyncio.sleep(0.01);
            return null;
        });
        assertFalse(cm.get().expired());
        assertEquals(INF, cm.get().when());
        Asyncio.timeoutAt(INF, () -> Asyncio.sleep(0.01));
    }

    @AsyncTest
    void aZeroOrPastDeadlineExpiresAtTheFirstSuspension(AsyncLoop loop) {
        double t0 = loop.time();
        AtomicReference<Timeout> cm = new AtomicReference<>();
        assertThrows(TimeoutError.class, () -> Asyncio.timeout(0, t -> {
            cm.set(t);
            Asyncio.sleep(10);
            return null;
        }));
        assertTrue(cm.get().expired());
        assertEquals(t0, loop.time(), "no time passed");

        assertThrows(TimeoutError.class, () -> Asyncio.timeout(0, t -> {
            cm.set(t);
            Asyncio.sleep(0);
            return null;
        }));
        assertTrue(cm.get().expired());

        assertThrows(TimeoutError.class, () -> Asyncio.timeout(-11, t -> {
            cm.set(t);
            Asyncio.sleep(0);
            return null;
        }));
        assertTrue(cm.get().expired());
        assertEquals(t0 - 11, cm.get().when());
    }

    @AsyncTest
    void aBlockThatNeverSuspendsFinishesEvenWithAPastDeadline() {
        AtomicReference<Timeout> cm = new AtomicReference<>();
        int r = Asyncio.timeout(-1, (Timeout t) -> {
            cm.set(t);
            return 42;
        });
        assertEquals(42, r);
        assertFalse(cm.get().expired());
        Asyncio.sleep(0);
        assertEquals(0, Asyncio.currentTask().cancelling(), "the pending expiry was cancelled with the block");
    }

    @AsyncTest
    void anExceptionOfTheBodyPassesThroughUnchanged() {
        IllegalStateException boom = new IllegalStateException("boom");
        AtomicReference<Timeout> cm = new AtomicReference<>();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Asyncio.timeout(0.01, (Timeout t) -> {
            cm.set(t);
            throw boom;
        }));
        assertSame(boom, e);
        assertFalse(cm.get().expired());
    }

    @AsyncTest
    void anExceptionThrownWhileHandlingTheTimeoutCancellationWins() {
        // CPython test_foreign_exception_on_timeout: the body's own error replaces the TimeoutError.
        ArithmeticException boom = new ArithmeticException("/ by zero");
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> Asyncio.timeout(0.01, () -> {
            try {
                Asyncio.sleep(1);
            } finally {
                throw boom;
            }
        }));
        assertSame(boom, e);
        assertEquals(0, Asyncio.currentTask().cancelling());
    }

    @AsyncTest
    void theBodySeesACancelledErrorWhereItWaits(OrderedSteps steps) {
        assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.01, () -> {
            try {
                Asyncio.sleep(10);
            } catch (CancelledError e) {
                steps.expect(1);
                throw e;
            }
        }));
        steps.finish(2);
    }

    @AsyncTest
    void aBodyThatSwallowsTheCancellationReturnsNormally(AsyncLoop loop) {
        AtomicReference<Timeout> cm = new AtomicReference<>();
        String r = Asyncio.timeout(1, (Timeout t) -> {
            cm.set(t);
            try {
                Asyncio.sleep(10);
            } catch (CancelledError e) {
                return "swallowed";
            }
            return "slept";
        });
        assertEquals("swallowed", r);
        assertTrue(cm.get().expired());
        assertEquals(0, Asyncio.currentTask().cancelling());
        Asyncio.sleep(1);
        assertEquals(2.0, loop.time(), "no cancellation is left pending on the task");
    }

    @AsyncTest
    void aForeignCancelIsNotTurnedIntoATimeoutErrorIfNotExpired() {
        AtomicReference<Timeout> cm = new AtomicReference<>();
        Task<Void> t = Asyncio.createTask(() -> Asyncio.timeout(10, tm -> {
            cm.set(tm);
            Asyncio.currentTask().cancel();
            Asyncio.sleep(10);
            return null;
        }));
        assertThrows(CancelledError.class, t::await);
        assertTrue(t.cancelled());
        assertFalse(cm.get().expired());
    }

    @AsyncTest
    void anOuterCancellationArrivingWithTheExpiryWins() {
        AtomicReference<Timeout> cm = new AtomicReference<>();
        Task<?>[] self = new Task<?>[1];
        Task<Void> t = Asyncio.createTask(() -> Asyncio.timeout(1, tm -> {
            cm.set(tm);
            Asyncio.getRunningLoop().callAt(tm.when(), () -> self[0].cancel("from outside"));
            Asyncio.sleep(10);
            return null;
        }));
        self[0] = t;
        CancelledError e = assertThrows(CancelledError.class, t::await);
        assertTrue(cm.get().expired(), "the timeout fired too");
        assertTrue(t.cancelled(), "but the task is cancelled, not timed out");
        assertEquals("from outside", e.getMessage(), "one CancelledError, with the latest request's message");
    }

    @AsyncTest
    void theTaskRunningAnExpiredTimeoutIsNotCancelled() {
        Task<Void> outer = Asyncio.createTask(() -> {
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.001, () -> Asyncio.sleep(10)));
        });
        outer.await();
        assertFalse(outer.cancelled());
        assertTrue(outer.done());
    }

    @AsyncTest
    void nestedTimeoutsExpiringTogetherRaiseOnlyInTheOuterBlock(AsyncLoop loop) {
        double deadline = loop.time() + 0.01;
        boolean[] innerSawCancelled = {false};
        AtomicReference<Timeout> cm1 = new AtomicReference<>();
        AtomicReference<Timeout> cm2 = new AtomicReference<>();
        assertThrows(TimeoutError.class, () -> Asyncio.timeoutAt(deadline, t1 -> {
            cm1.set(t1);
            try {
                Asyncio.timeoutAt(deadline, t2 -> {
                    cm2.set(t2);
                    Asyncio.sleep(10);
                    return null;
                });
            } catch (CancelledError e) {
                innerSawCancelled[0] = true;
                throw e;
            }
            return null;
        }));
        assertTrue(innerSawCancelled[0], "the inner block let the CancelledError through");
        assertTrue(cm1.get().expired());
        assertTrue(cm2.get().expired());
        assertEquals(0, Asyncio.currentTask().cancelling());
    }

    @AsyncTest
    void theInnerTimeoutThatExpiredRaisesInItsOwnBlockAndTheOuterGoesOn(AsyncLoop loop, OrderedSteps steps) {
        String r = Asyncio.timeout(10, (Timeout outer) -> {
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(1, () -> Asyncio.sleep(5)));
            steps.expect(1);
            assertEquals(1.0, loop.time());
            Asyncio.sleep(2);
            return "outer finished";
        });
        assertEquals("outer finished", r);
        assertEquals(3.0, loop.time());
        steps.finish(2);
    }

    @AsyncTest
    void theOuterTimeoutStopsWorkAfterAnInnerOneExpired(AsyncLoop loop) {
        // CPython test_nested_timeouts_loop_busy, on virtual time.
        assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.1, () -> {
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.01, () -> Asyncio.sleep(1)));
            Asyncio.sleep(10); // interrupted by the outer timeout
        }));
        assertEquals(0.1, loop.time(), 1e-9);
    }

    @AsyncTest
    void anOuterTimeoutExpiringFirstPassesThroughTheInnerBlock(AsyncLoop loop) {
        assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.002, () -> {
            assertThrows(CancelledError.class, () -> Asyncio.timeout(0.1, () -> Asyncio.sleep(1)),
                    "the inner block did not expire: it lets the outer cancellation through");
            throw new CancelledError(); // keep unwinding, as the uncaught error would
        }));
        assertEquals(0.002, loop.time());
    }

    @AsyncTest
    void rescheduleMovesTheDeadlineFromAnotherTask(AsyncLoop loop) {
        Future<Timeout> handle = new Future<>();
        double deadline1 = loop.time() + 10;
        double deadline2 = deadline1 + 20;
        Task<Void> task = Asyncio.createTask(() -> Asyncio.timeoutAt(deadline1, t -> {
            handle.setResult(t);
            Asyncio.sleep(50);
            return null;
        }));
        Timeout cm = handle.await();
        assertEquals(deadline1, cm.when());
        cm.reschedule(deadline2);
        assertEquals(deadline2, cm.when());
        cm.reschedule(INF);
        assertEquals(INF, cm.when());
        Asyncio.sleep(40);
        assertFalse(task.done(), "no deadline any more");
        task.cancel();
        assertThrows(CancelledError.class, task::await);
        assertFalse(cm.expired());
    }

    @AsyncTest
    void rescheduleInsideTheBodyExtendsOrShortensIt(AsyncLoop loop) {
        String r = Asyncio.timeout(1, (Timeout t) -> {
            Asyncio.sleep(0.5);
            t.reschedule(t.when() + 5);
            Asyncio.sleep(2);
            return "extended";
        });
        assertEquals("extended", r);
        assertEquals(2.5, loop.time());
        assertThrows(TimeoutError.class, () -> Asyncio.timeout(100, t -> {
            t.reschedule(loop.time() + 1);
            Asyncio.sleep(50);
            return null;
        }));
        assertEquals(3.5, loop.time());
        assertThrows(TimeoutError.class, () -> Asyncio.timeout(100, t -> {
            t.reschedule(loop.time() - 1); // already past: expires at the next iteration
            Asyncio.sleep(50);
            return null;
        }));
        assertEquals(3.5, loop.time());
    }

    @AsyncTest
    void rescheduleAfterTheBlockOrWhileExpiringIsRefused() {
        AtomicReference<Timeout> cm = new AtomicReference<>();
        Asyncio.timeout(0.01, t -> { cm.set(t); return null; });
        assertEquals("Cannot change state of finished Timeout",
                assertThrows(IllegalStateException.class, () -> cm.get().reschedule(0.02)).getMessage());

        assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.01, t -> {
            cm.set(t);
            Asyncio.sleep(1);
            return null;
        }));
        assertEquals("<Timeout [expired]>", cm.get().toString());
        assertEquals("Cannot change state of expired Timeout",
                assertThrows(IllegalStateException.class, () -> cm.get().reschedule(0.02)).getMessage());

        Asyncio.timeout(0.01, t -> {
            assertThrows(CancelledError.class, () -> Asyncio.sleep(1));
            assertEquals("Cannot change state of expiring Timeout",
                    assertThrows(IllegalStateException.class, () -> t.reschedule(0.02)).getMessage());
            return null;
        });
    }

    @AsyncTest
    void aTimeoutAfterACaughtCancellationStillTimesOut() {
        // CPython test_timeout_after_cancellation: cancelling() is already 1 when the block begins.
        try {
            Asyncio.currentTask().cancel();
            Asyncio.sleep(1);
        } catch (CancelledError e) {
            // work that was cancelled
        } finally {
            assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.0, () -> Asyncio.sleep(1)));
        }
        assertEquals(1, Asyncio.currentTask().cancelling());
        Asyncio.currentTask().uncancel();
    }

    @AsyncTest
    void aCancelInsideATimeoutAfterACaughtCancellationIsACancellation() {
        try {
            Asyncio.currentTask().cancel();
            Asyncio.sleep(1);
        } catch (CancelledError e) {
            // work that was cancelled
        } finally {
            assertThrows(CancelledError.class, () -> Asyncio.timeout(1.0, () -> {
                Asyncio.currentTask().cancel();
                Asyncio.sleep(2);
            }));
        }
        assertEquals(2, Asyncio.currentTask().cancelling());
        Asyncio.currentTask().uncancel();
        Asyncio.currentTask().uncancel();
    }

    @AsyncTest
    void aNestedTimeoutInAFinallyBlockOfAnExpiredOneRaisesItsOwn(AsyncLoop loop) {
        TimeoutError[] inner = new TimeoutError[1];
        TimeoutError outer = assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.01, () -> {
            try {
                Asyncio.sleep(1);
            } finally {
                inner[0] = assertThrows(TimeoutError.class, () -> Asyncio.timeout(0.01, () -> Asyncio.sleep(10)));
            }
        }));
        assertInstanceOf(CancelledError.class, outer.getCause());
        assertInstanceOf(CancelledError.class, inner[0].getCause());
        assertEquals(0.02, loop.time(), 1e-9);
    }

    @AsyncTest
    void timeoutOutsideATaskOrWithBadArgumentsIsRefused(AsyncLoop loop) {
        assertThrows(IllegalArgumentException.class, () -> Asyncio.timeout(Double.NaN, () -> Asyncio.sleep(1)));
        assertThrows(IllegalArgumentException.class, () -> Asyncio.timeoutAt(1, (Coroutine<Object>) null));
        Future<String> message = new Future<>();
        loop.callSoon(() -> {
            try {
                Asyncio.timeout(1, () -> "never");
            } catch (IllegalStateException e) {
                message.setResult(e.getMessage());
            }
        });
        assertTrue(message.await().startsWith("Cannot use a timeout block outside a task"), message.result());
    }

    @AsyncTest
    void aTimeoutAroundATaskGroupCancelsTheChildrenAndReportsTheirCleanupErrors() {
        // CPython test_timeout_taskgroup: a child that fails in its cleanup makes a TaskGroupError.
        ArithmeticException crash = new ArithmeticException("crash in cleanup");
        TaskGroupError eg = assertThrows(TaskGroupError.class, () -> Asyncio.timeout(0.01, () -> {
            TaskGroup.run(g -> {
                g.createTask(() -> {
                    try {
                        Asyncio.sleep(2);
                    } finally {
                        throw crash;
                    }
                });
                Asyncio.sleep(1);
                return null;
            });
        }));
        assertEquals(1, eg.exceptions().size());
        assertSame(crash, eg.exceptions().get(0));
    }
}
