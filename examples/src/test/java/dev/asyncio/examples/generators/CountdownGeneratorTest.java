package dev.asyncio.examples.generators;

import dev.asyncio.examples.Captured;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CountdownGeneratorTest {
    @Test
    void countsDownInALoopThenStepByStepUntilStopIteration() {
        assertEquals(List.of(
                "for (int x : countdown(10)):",
                "10 9 8 7 6 5 4 3 2 1 ",
                "x = countdown(2) is a generator in state CREATED",
                "next(x):",
                "  [countdown] n = 2",
                "  [countdown] n > 0, yield 2",
                "-> 2",
                "next(x):",
                "  [countdown] resumed, n -= 1: n = 1",
                "  [countdown] n > 0, yield 1",
                "-> 1",
                "next(x):",
                "  [countdown] resumed, n -= 1: n = 0",
                "  [countdown] loop over, the body returns",
                "-> StopIteration; x is CLOSED"),
                Captured.lines(CountdownGenerator::run));
    }

    @Test
    void countdownFromZeroYieldsNothing() {
        List<Integer> got = new ArrayList<>();
        CountdownGenerator.countdown(0).forEachRemaining(got::add);
        assertEquals(List.of(), got);
    }
}
