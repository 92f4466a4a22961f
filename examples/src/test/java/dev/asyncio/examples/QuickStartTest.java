package dev.asyncio.examples;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuickStartTest {
    @Test
    void twoOneSecondSleepsGatheredTakeOneSecond() {
        long t0 = System.nanoTime();
        assertEquals(List.of("a", "b"), QuickStart.pages());
        double took = (System.nanoTime() - t0) / 1e9;
        assertTrue(took < 1.9, "concurrently, not one after the other: " + took + " s");
    }
}
