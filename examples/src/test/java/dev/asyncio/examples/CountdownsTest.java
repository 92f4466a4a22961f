package dev.asyncio.examples;

import dev.asyncio.test.AsyncTest;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CountdownsTest {
    @AsyncTest
    void concurrentCountdownsInterleaveAndTakeThreeSeconds() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        double took = Countdowns.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        assertEquals(3.0, took);
        assertEquals(List.of(
                "[ 0.00 s] starting 3 countdowns from 3, sleeping 1 s per step, concurrently",
                "[ 0.00 s] A: 3", "[ 0.00 s] B: 3", "[ 0.00 s] C: 3",
                "[ 1.00 s] A: 2", "[ 1.00 s] B: 2", "[ 1.00 s] C: 2",
                "[ 2.00 s] A: 1", "[ 2.00 s] B: 1", "[ 2.00 s] C: 1",
                "[ 3.00 s] A: liftoff", "[ 3.00 s] B: liftoff", "[ 3.00 s] C: liftoff",
                "[ 3.00 s] done: 9 s of sleeping took 3.0 s (run with --sequential to wait the 9 s)"),
                bytes.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @AsyncTest
    void sequentialCountdownsTakeNineSeconds() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        double took = Countdowns.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        assertEquals(9.0, took);
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals("[ 0.00 s] A: 3", lines.get(1));
        assertEquals("[ 3.00 s] A: liftoff", lines.get(4));
        assertEquals("[ 3.00 s] B: 3", lines.get(5));
        assertEquals("[ 9.00 s] done: 9 s of sleeping took 9.0 s", lines.get(lines.size() - 1));
    }
}
