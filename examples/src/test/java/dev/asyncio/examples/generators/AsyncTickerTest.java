package dev.asyncio.examples.generators;

import dev.asyncio.examples.Captured;
import dev.asyncio.test.AsyncTest;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AsyncTickerTest {
    // snippet:virtual-time-test
    @AsyncTest
    void ticksAndHeartbeatsInterleaveAndBreakingOutClosesTheGenerator() {
        assertEquals(List.of(
                "[ 0.00 s] heartbeat",
                "[ 0.75 s] heartbeat",
                "[ 1.00 s] tick 1",
                "[ 1.50 s] heartbeat",
                "[ 2.00 s] tick 2",
                "[ 3.00 s] tick 3",
                "[ 3.00 s] ticker: finally block runs"),
                Captured.lines(AsyncTicker::run));
    }
    // end-snippet
}
