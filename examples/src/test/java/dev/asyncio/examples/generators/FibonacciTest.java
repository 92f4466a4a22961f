package dev.asyncio.examples.generators;

import dev.asyncio.Generator;
import dev.asyncio.examples.Captured;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FibonacciTest {
    @Test
    void printsTheListThenTheNumbersUpToTheFirstAbove10000ThenTheStepByStepWalk() {
        assertEquals(List.of(
                "fib(10) as a list: [1, 1, 2, 3, 5, 8, 13, 21, 34, 55]",
                "fib() as a generator, consumed until a number passes 10000:",
                "1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584, 4181, 6765, 10946, ",
                "Done",
                "Stepping through it:",
                "fib() returned a generator in state CREATED; nothing of its body has run",
                "  [fib] body starts: current=0, next=1",
                "  [fib] yield 1",
                "got 1",
                "  [fib] resumed after the yield: current=1, next=1",
                "  [fib] yield 1",
                "got 1",
                "  [fib] resumed after the yield: current=1, next=2",
                "  [fib] yield 2",
                "got 2",
                "  [fib] resumed after the yield: current=2, next=3",
                "  [fib] yield 3",
                "got 3",
                "stopped pulling; the generator stays SUSPENDED and never runs again"),
                Captured.lines(Fibonacci::run));
    }

    @Test
    void theGeneratorIsInfiniteAndComputesOnlyWhatIsPulled() {
        // snippet:stream
        Generator<Long, Void, Void> fib = Fibonacci.fib();
        assertEquals(Fibonacci.fib(50), fib.stream().limit(50).toList());
        assertEquals(Generator.State.SUSPENDED, fib.state());
        assertEquals(20_365_011_074L, fib.next(), "the 51st number comes next");
        // end-snippet
    }
}
