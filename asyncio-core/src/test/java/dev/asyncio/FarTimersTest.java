package dev.asyncio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Timers at any magnitude of the clock. From 2^24 s of clock (194 days) on, {@code now + 1e-9 == now}: a loop that
 * took as due only the timers before {@code now + CLOCK_RESOLUTION} jumped its virtual clock to a far timer and
 * then never found it due, spinning for ever (and a real-time loop whose clock is that large spun until the
 * clock passed the timer by a whole unit of its precision). Each test also counts the loop's iterations: a
 * handful, never a spin. (The {@code @Timeout}s only stop a regression from hanging the build; a regression
 * of the virtual-time case fails at once on the loop's own no-progress check.)
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FarTimersTest {
    /** Generous: each of these programs needs a few iterations per timer. */
    private static final long FEW_ITERATIONS = 20;

    private static AsyncLoop virtualLoop(double startTime) {
        return AsyncLoop.builder().virtualTime(true).startTime(startTime).build();
    }

    @ParameterizedTest
    @ValueSource(doubles = {1e7, 1e9, 1e12, 1e300})
    void aFarSleepOnVirtualTimeReturnsAtItsDeadline(double seconds) {
        try (AsyncLoop loop = virtualLoop(0)) {
            double woke = loop.runUntilComplete(() -> {
                Asyncio.sleep(seconds);
                return loop.time();
            });
            assertEquals(seconds, woke);
            assertTrue(loop.iterations() < FEW_ITERATIONS, loop.iterations() + " iterations");
        }
    }

    @Test
    void severalTimersAtTheSameFarTimeAllFireInSchedulingOrder() {
        try (AsyncLoop loop = virtualLoop(0)) {
            List<String> fired = loop.runUntilComplete(() -> {
                List<String> order = new ArrayList<>();
                for (String name : List.of("a", "b", "c")) {
                    loop.callAt(1e9, () -> order.add(name + "@" + loop.time()));
                }
                Task<Void> sleeper = Asyncio.createTask(() -> {
                    Asyncio.sleep(1e9);
                    order.add("sleeper@" + loop.time());
                });
                loop.callAt(1e9, () -> order.add("d@" + loop.time()));
                sleeper.await();
                Asyncio.sleep(0);
                return order;
            });
            assertEquals(List.of("a@1.0E9", "b@1.0E9", "c@1.0E9", "d@1.0E9", "sleeper@1.0E9"), fired);
            assertTrue(loop.iterations() < FEW_ITERATIONS, loop.iterations() + " iterations");
        }
    }

    @Test
    void farTimeoutsExpireAndAnInfiniteOneAroundAFarSleepDoesNot() {
        try (AsyncLoop loop = virtualLoop(0)) {
            double slept = loop.runUntilComplete(() -> Asyncio.timeout(Double.POSITIVE_INFINITY, () -> {
                Asyncio.sleep(1e9);
                return loop.time();
            }));
            assertEquals(1e9, slept);
            assertThrows(TimeoutError.class, () -> loop.runUntilComplete(() -> Asyncio.timeout(1e12, () -> {
                Asyncio.sleep(1e13);
            })));
            assertEquals(1e9 + 1e12, loop.time());
            double rescheduled = loop.runUntilComplete(() -> {
                try {
                    Asyncio.timeout(5, t -> {
                        t.reschedule(1e15);
                        Asyncio.sleep(1e16);
                        return null;
                    });
                } catch (TimeoutError expected) {
                    return loop.time();
                }
                return -1.0;
            });
            assertEquals(1e15, rescheduled);
            assertTrue(loop.iterations() < 3 * FEW_ITERATIONS, loop.iterations() + " iterations");
        }
    }

    @Test
    void onALargeVirtualClockShortDelaysStillFireAndNeverSpin() {
        double start = 0x1p53; // the clock's precision is 2 s here: a delay under 1 s rounds to now
        try (AsyncLoop loop = virtualLoop(start)) {
            List<Double> seen = loop.runUntilComplete(() -> {
                List<Double> times = new ArrayList<>();
                Asyncio.sleep(0.5);                       // rounds to now: due at once
                times.add(loop.time() - start);
                Asyncio.sleep(3);                         // rounds to now + 4
                times.add(loop.time() - start);
                Future<String> at = loop.createFuture();
                loop.callAt(loop.time() + 1e-3, () -> at.setResult("callAt"));
                at.await();
                times.add(loop.time() - start);
                String inTime = Asyncio.timeout(1e-3, () -> "a block that does not suspend finishes");
                assertTrue(inTime.startsWith("a block"));
                assertThrows(TimeoutError.class, () -> Asyncio.timeout(1e-3, () -> {
                    Asyncio.sleep(10);
                }));
                times.add(loop.time() - start);
                return times;
            });
            assertEquals(List.of(0.0, 4.0, 4.0, 4.0), seen);
            assertTrue(loop.iterations() < FEW_ITERATIONS, loop.iterations() + " iterations");
        }
    }

    @Test
    void aRealTimeLoopWithALargeClockFiresShortTimersWithoutSpinning() {
        double start = 0x1p53; // the clock reads in steps of 2 s
        try (AsyncLoop loop = AsyncLoop.builder().startTime(start).build()) {
            double woke = loop.runUntilComplete(() -> {
                Asyncio.sleep(0.5); // rounds to now: due at once, not after a 2 s spin to the clock's next step
                return loop.time();
            });
            assertTrue(woke >= start, "clock " + woke);
            assertTrue(loop.iterations() < FEW_ITERATIONS, loop.iterations() + " iterations");
        }
    }

    @Test
    void aRealTimeLoopWaitsForAFarTimerWithoutSpinning() {
        try (AsyncLoop loop = AsyncLoop.create()) {
            long during = loop.runUntilComplete(() -> {
                Task<Void> far = Asyncio.createTask(() -> Asyncio.sleep(1e12));
                Asyncio.sleep(0);
                long before = loop.iterations();
                // The loop waits on its selector for the far timer (Long.MAX_VALUE ns) until the thread
                // is done: a spinning loop would count thousands of iterations here.
                Asyncio.toThread(() -> {
                    Thread.sleep(200);
                    return null;
                });
                long after = loop.iterations();
                far.cancel();
                return after - before;
            });
            assertTrue(during < FEW_ITERATIONS, during + " iterations while waiting");
        }
    }

    @Test
    void isDueAtAnyMagnitude() {
        assertTrue(AsyncLoop.isDue(0.5e-9, 0), "within the clock's resolution");
        for (double now : new double[] {0, 1, 0x1p23, 1e9, 1e12, 0x1p53, 1e300}) {
            assertTrue(AsyncLoop.isDue(now, now), "a timer at now is due at " + now);
            assertTrue(AsyncLoop.isDue(Math.nextDown(now), now), "an earlier timer is due at " + now);
            assertTrue(!AsyncLoop.isDue(Math.nextUp(now + 1e-9), now), "a later timer is not due at " + now);
        }
    }
}
