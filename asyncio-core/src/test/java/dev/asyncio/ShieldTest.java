package dev.asyncio;

import dev.asyncio.test.AsyncTest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** asyncio.shield: the shield part of CPython's test_tasks. */
class ShieldTest {
    @AsyncTest
    void theResultOfTheInnerFutureComesThrough() {
        Future<String> inner = new Future<>();
        Task<String> outer = Asyncio.createTask(() -> Asyncio.shield(inner));
        Asyncio.sleep(0);
        inner.setResult("r");
        assertEquals("r", outer.await());
    }

    @AsyncTest
    void anExceptionOfTheInnerFutureComesThroughUnchanged() {
        Future<String> inner = new Future<>();
        Task<String> outer = Asyncio.createTask(() -> Asyncio.shield(inner));
        Asyncio.sleep(0);
        IllegalStateException boom = new IllegalStateException("boom");
        inner.setException(boom);
        assertSame(boom, assertThrows(IllegalStateException.class, outer::await));
    }

    @AsyncTest
    void cancellingTheInnerFutureCancelsTheWaiter() {
        Future<String> inner = new Future<>();
        Task<String> outer = Asyncio.createTask(() -> Asyncio.shield(inner));
        Asyncio.sleep(0);
        inner.cancel();
        assertThrows(CancelledError.class, outer::await);
        assertTrue(outer.cancelled());
    }

    @AsyncTest
    void cancellingTheWaiterLeavesTheInnerFutureRunning() {
        Future<String> inner = new Future<>();
        Task<String> outer = Asyncio.createTask(() -> Asyncio.shield(inner));
        Asyncio.sleep(0);
        outer.cancel();
        assertThrows(CancelledError.class, outer::await);
        assertFalse(inner.cancelled());
        inner.setResult("still done");
        assertEquals("still done", inner.await());
    }

    @AsyncTest
    void aDoneAwaitableIsAShortcut() {
        Future<Integer> fut = new Future<>();
        fut.setResult(42);
        assertEquals(42, Asyncio.shield(fut));
        Future<Integer> failed = new Future<>();
        IllegalStateException e = new IllegalStateException("x");
        failed.setException(e);
        assertSame(e, assertThrows(IllegalStateException.class, () -> Asyncio.shield(failed)));
    }

    @AsyncTest
    void aCoroutineRunsAsATaskThatSurvivesTheWaitersCancellation(AsyncLoop loop) {
        List<String> log = new ArrayList<>();
        Task<String> outer = Asyncio.createTask(() -> Asyncio.shield(() -> {
            Asyncio.sleep(1);
            log.add("saved");
            return "saved";
        }));
        Asyncio.sleep(0.5);
        outer.cancel();
        assertThrows(CancelledError.class, outer::await);
        assertEquals(List.of(), log);
        Asyncio.sleep(1);
        assertEquals(List.of("saved"), log, "the shielded work finished on its own");
        assertEquals("plain", Asyncio.shield(() -> "plain"));
        Asyncio.shield(() -> Asyncio.sleep(0));
    }

    @AsyncTest
    void gatherOfShieldedChildrenIsNotCancelledThroughTheShield() {
        // CPython test_shield_gather.
        Future<String> child1 = new Future<>();
        Future<String> child2 = new Future<>();
        Task<List<String>> parent = Asyncio.createTask(() -> Asyncio.gather(child1, child2));
        Task<List<String>> outer = Asyncio.createTask(() -> Asyncio.shield(parent));
        Asyncio.sleep(0);
        outer.cancel();
        assertThrows(CancelledError.class, outer::await);
        assertFalse(parent.cancelled());
        child1.setResult("1");
        child2.setResult("2");
        assertEquals(List.of("1", "2"), parent.await());
    }

    @AsyncTest
    void gatherOfShieldsCancelsTheShieldsNotTheChildren() {
        // CPython test_gather_shield.
        Future<Integer> child1 = new Future<>();
        Future<Integer> child2 = new Future<>();
        Task<Integer> inner1 = Asyncio.createTask(() -> Asyncio.shield(child1));
        Task<Integer> inner2 = Asyncio.createTask(() -> Asyncio.shield(child2));
        Task<List<Integer>> parent = Asyncio.createTask(() -> Asyncio.gather(inner1, inner2));
        Asyncio.sleep(0);
        Asyncio.sleep(0);
        parent.cancel();
        assertThrows(CancelledError.class, parent::await);
        assertTrue(inner1.cancelled() && inner2.cancelled());
        assertFalse(child1.cancelled());
        assertFalse(child2.cancelled());
        child1.setResult(1);
        child2.setResult(2);
    }

    @AsyncTest
    void anInnerFailureAfterTheWaiterWasCancelledIsStillReportedIfNobodyRetrievesIt(AsyncLoop loop) {
        List<Map<String, Object>> reported = new ArrayList<>();
        loop.setExceptionHandler((l, context) -> reported.add(context));
        Task<Void> inner = Asyncio.createTask(() -> {
            Asyncio.sleep(1);
            throw new IllegalStateException("failed after the waiter left");
        });
        Task<Void> outer = Asyncio.createTask(() -> Asyncio.shield(inner));
        Asyncio.sleep(0.5);
        outer.cancel();
        assertThrows(CancelledError.class, outer::await);
        Asyncio.sleep(1);
        assertTrue(inner.done());
        assertTrue(reported.isEmpty(), "not reported while the task is referenced");
        assertTrue(inner.exception() instanceof IllegalStateException, "and the outcome is still there for its owner");
    }

    @AsyncTest
    void shieldOutsideATaskIsRefusedAndNullIsABadArgument(AsyncLoop loop) {
        assertThrows(IllegalArgumentException.class, () -> Asyncio.shield((Awaitable<String>) null));
        Future<String> pending = new Future<>();
        Future<String> message = new Future<>();
        loop.callSoon(() -> {
            try {
                Asyncio.shield(pending);
            } catch (IllegalStateException e) {
                message.setResult(e.getMessage());
            }
        });
        assertTrue(message.await().startsWith("Cannot await a future outside a task"), message.result());
    }
}
