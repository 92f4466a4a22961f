package dev.asyncio;

import dev.asyncio.test.AsyncTest;
import dev.asyncio.test.OrderedSteps;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** asyncio.sleep: test_tasks' sleep cases, on virtual time. */
class SleepTest {
    @AsyncTest
    void sleepAdvancesVirtualTimeExactly(AsyncLoop loop) {
        assertEquals(0.0, loop.time());
        Asyncio.sleep(1.5);
        assertEquals(1.5, loop.time());
        Asyncio.sleep(Duration.ofMillis(250));
        assertEquals(1.75, loop.time());
    }

    @AsyncTest
    void sleepZeroLetsEveryReadyTaskRunOnce(OrderedSteps steps) {
        steps.expect(1);
        Task<Void> other = Asyncio.createTask(() -> {
            steps.expect(3);
            Asyncio.sleep(0);
            steps.expect(5);
        });
        steps.expect(2);
        Asyncio.sleep(0);
        steps.expect(4);
        other.await();
        steps.finish(6);
    }

    @AsyncTest
    void sleepersWakeInDeadlineOrderAndEqualDeadlinesInSchedulingOrder(AsyncLoop loop) {
        List<String> order = new ArrayList<>();
        List<Task<Void>> tasks = new ArrayList<>();
        for (String spec : new String[] {"c:3", "a:1", "b1:2", "b2:2", "b3:2"}) {
            String[] p = spec.split(":");
            tasks.add(Asyncio.createTask(() -> {
                Asyncio.sleep(Double.parseDouble(p[1]));
                order.add(p[0] + "@" + loop.time());
            }));
        }
        Asyncio.gather(tasks);
        assertEquals(List.of("a@1.0", "b1@2.0", "b2@2.0", "b3@2.0", "c@3.0"), order);
    }

    @AsyncTest
    void negativeSleepIsSleepZero(AsyncLoop loop) {
        Asyncio.sleep(-5);
        assertEquals(0.0, loop.time());
    }

    @AsyncTest
    void nanSleepIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Asyncio.sleep(Double.NaN));
        assertTrue(e.getMessage().contains("NaN"));
    }

    @AsyncTest
    void cancelledSleepThrowsAtTheSleepAndLeavesNoTimer(AsyncLoop loop, OrderedSteps steps) {
        Task<Void> sleeper = Asyncio.createTask(() -> {
            steps.expect(2);
            try {
                Asyncio.sleep(100);
                steps.expectUnreached();
            } catch (CancelledError e) {
                steps.expect(4);
                assertEquals("stop", e.getMessage());
                throw e;
            }
        });
        steps.expect(1);
        Asyncio.sleep(1);
        steps.expect(3);
        assertTrue(sleeper.cancel("stop"));
        assertThrows(CancelledError.class, sleeper::await);
        assertTrue(sleeper.cancelled());
        steps.finish(5);
        assertEquals(1.0, loop.time(), "the cancelled sleep's timer must not move the clock");
    }

    @AsyncTest
    void infiniteSleepEndsOnlyByCancellation(AsyncLoop loop) {
        Task<Void> forever = Asyncio.createTask(() -> Asyncio.sleep(Double.POSITIVE_INFINITY));
        Asyncio.sleep(10);
        assertTrue(!forever.done());
        forever.cancel();
        assertThrows(CancelledError.class, forever::await);
        assertEquals(10.0, loop.time());
    }

    @AsyncTest(realTime = true)
    void realTimeSleepTakesAtLeastTheDelay(AsyncLoop loop) {
        double t0 = loop.time();
        Asyncio.sleep(0.05);
        assertTrue(loop.time() - t0 >= 0.05, "slept " + (loop.time() - t0));
    }

    @org.junit.jupiter.api.Test
    void sleepOutsideATaskExplainsWhy() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Asyncio.sleep(1));
        assertTrue(e.getMessage().contains("outside a task"), e.getMessage());
    }
}
