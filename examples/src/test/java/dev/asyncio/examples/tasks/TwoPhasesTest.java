package dev.asyncio.examples.tasks;

import dev.asyncio.examples.Captured;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TwoPhasesTest {
    @Test
    void outerAwaitsPhaseOneThenPhaseTwo() {
        assertEquals(List.of(
                "entering event loop",
                "in outer",
                "waiting for result1",
                "in phase1",
                "waiting for result2",
                "in phase2",
                "return value: (result1, result2 derived from result1)"),
                Captured.lines(TwoPhases::run));
    }
}
