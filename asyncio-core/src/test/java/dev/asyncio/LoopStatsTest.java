package dev.asyncio;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AsyncLoop.stats(): exact figures in fixed scenarios on virtual time, lag measured only when asked for. */
class LoopStatsTest {
    @Test
    void tasksReadyCallbacksAndTimersAreCountedAsTheyAre() {
        try (AsyncLoop loop = AsyncLoop.builder().virtualTime(true).build()) {
            LoopStats seen = loop.runUntilComplete(() -> {
                AsyncLoop l = Asyncio.getRunningLoop();
                Asyncio.createTask(() -> Asyncio.sleep(5));          // a task and a timer
                Asyncio.createTask(() -> Asyncio.sleep(5));
                Asyncio.sleep(0);                                     // both now sleep
                l.callSoon(() -> { });                                // one callback ready
                return l.stats();
            });
            assertEquals(new LoopStats(3, 1, 2, 0, 0, Double.NaN, Double.NaN), seen);
        }
    }

    @Test
    void slowStepsAreCountedOnlyWhileStepsAreTimed() {
        try (AsyncLoop loop = AsyncLoop.builder().virtualTime(true).slowCallbackDuration(0).build()) {
            long[] counts = loop.runUntilComplete(() -> {
                AsyncLoop l = Asyncio.getRunningLoop();
                Asyncio.sleep(0);
                Asyncio.sleep(0);
                long untimed = l.stats().slowSteps();
                l.monitorLag(100);
                Asyncio.sleep(0);                                     // every step is "slow" at a 0 s threshold
                Asyncio.sleep(0);
                long timed = l.stats().slowSteps();
                l.monitorLag(0);
                Asyncio.sleep(0);
                return new long[] {untimed, timed, l.stats().slowSteps()};
            });
            // Whether steps are timed is decided once per iteration: the step that turned monitoring on ran
            // untimed; the next one (up to the second sleep(0)) was timed and counted; the step reading the count
            // had not ended yet, and it turned monitoring off before it ended, so it was not counted.
            assertEquals(0, counts[0]);
            assertEquals(1, counts[1]);
            assertEquals(1, counts[2]);
        }
    }

    @Test
    void lagIsNaNUntilMonitoredThenZeroOnAVirtualClock() {
        try (AsyncLoop loop = AsyncLoop.builder().virtualTime(true).build()) {
            LoopStats[] s = loop.runUntilComplete(() -> {
                AsyncLoop l = Asyncio.getRunningLoop();
                LoopStats before = l.stats();
                l.monitorLag(1);
                Asyncio.sleep(3.5);                                   // three ticks, each on time
                LoopStats during = l.stats();
                l.monitorLag(0);
                return new LoopStats[] {before, during, l.stats()};
            });
            assertTrue(Double.isNaN(s[0].lagSeconds()));
            assertEquals(0.0, s[1].lagSeconds());
            assertEquals(0.0, s[1].maxLagSeconds());
            assertTrue(Double.isNaN(s[2].maxLagSeconds()));
            assertEquals(1, s[1].timers(), "the lag timer's next tick (the sleep's timer has fired)");
        }
    }

    @Test
    void aBlockedLoopShowsAtLeastTheBlockedTimeAsLag() throws Exception {
        try (AsyncLoop loop = AsyncLoop.create()) {
            LoopStats s = loop.runUntilComplete(() -> {
                // snippet:lag
                AsyncLoop l = Asyncio.getRunningLoop();
                l.monitorLag(0.01);                                   // a tick every 10 ms of loop time
                Thread.sleep(100);                                    // blocks the loop: the tick waits
                Asyncio.sleep(0.05);
                LoopStats stats = l.stats();                          // stats.maxLagSeconds() >= 0.09
                // end-snippet
                return stats;
            });
            // The tick was due at most 0.01 s after monitoring began and ran after the 0.1 s block.
            assertTrue(s.maxLagSeconds() >= 0.09, s.toString());
        }
    }

    @Test
    void trackedConnectionsCountUntilTheirChannelCloses() {
        try (AsyncLoop loop = AsyncLoop.builder().virtualTime(true).build()) {
            int[] open = loop.runUntilComplete(() -> {
                AsyncLoop l = Asyncio.getRunningLoop();
                EmbeddedChannel a = new EmbeddedChannel();
                EmbeddedChannel b = new EmbeddedChannel();
                l.trackConnection(a);
                l.trackConnection(b);
                int both = l.stats().openConnections();
                a.close();
                return new int[] {both, l.stats().openConnections()};
            });
            assertEquals(2, open[0]);
            assertEquals(1, open[1]);
        }
    }

    @Test
    void aBadLagIntervalIsRefused() {
        try (AsyncLoop loop = AsyncLoop.create()) {
            assertThrows(IllegalArgumentException.class, () -> loop.monitorLag(-1));
            assertThrows(IllegalArgumentException.class, () -> loop.monitorLag(Double.NaN));
            assertThrows(IllegalArgumentException.class, () -> loop.monitorLag(Double.POSITIVE_INFINITY));
        }
    }
}
