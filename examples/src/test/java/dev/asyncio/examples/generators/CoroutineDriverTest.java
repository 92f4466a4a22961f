package dev.asyncio.examples.generators;

import dev.asyncio.Generator;
import dev.asyncio.examples.Captured;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CoroutineDriverTest {
    @Test
    void driverReturnsStopIterationValueAndAsyncioRunAgrees() {
        assertEquals(List.of(
                "greet(\"Python\") = Hello, Python",
                "greetCoroutine(\"Python\") is a generator in state CREATED",
                "send(null) -> StopIteration, value: Hello, Python",
                "run(greetCoroutine(\"Python\")) = Hello, Python",
                "run(fib(15)) = 610",
                "Asyncio.run(() -> greet(\"Python\")) = Hello, Python",
                "Asyncio.run(() -> fibAsync(15)) = 610"),
                Captured.lines(CoroutineDriver::run));
    }

    @Test
    void runKeepsSendingWhileTheCoroutineYieldsToIt() {
        Generator<String, Void, Integer> steps = Generator.of(y -> {
            y.yield("one");
            y.yield("two");
            return 3;
        });
        assertEquals(3, CoroutineDriver.run(steps));
    }
}
