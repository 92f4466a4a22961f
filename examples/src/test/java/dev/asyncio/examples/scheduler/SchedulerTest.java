package dev.asyncio.examples.scheduler;

import dev.asyncio.Generator;
import dev.asyncio.examples.Captured;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class SchedulerTest {
    @Test
    void asyncMapSteppedByHandThenByTheRunner() {
        assertEquals(List.of(
                "map(x -> x + 2, range(3)) = [2, 3, 4]",
                "next(g):",
                "  adding 2 to 0",
                "next(g):",
                "  adding 2 to 1",
                "meanwhile the caller does other work: 5 + 7 = 12",
                "next(g):",
                "  adding 2 to 2",
                "next(g):",
                "StopIteration, value [2, 3, 4]",
                "runner(asyncMap(x -> x + 2, range(3))) = [2, 3, 4]"),
                Captured.lines(AsyncMap::run));
    }

    @Test
    void roundRobinInterleavesTasksAndKeepsResultsAndExceptionsById() {
        assertEquals(List.of(
                "Running task 1 ... now yielded",
                "Running task 2 ... now yielded",
                "Running task 3 ... now yielded",
                "Running task 1 ... now yielded",
                "Running task 2 ... now yielded",
                "Running task 3 ... now yielded",
                "Running task 1 ... now yielded",
                "Running task 2 ... now yielded",
                "Running task 3 ... failed with exception: java.lang.ArithmeticException: / by zero",
                "Running task 1 ... completed with result: [2, 3, 4]",
                "Running task 2 ... now yielded",
                "Running task 2 ... now yielded",
                "Running task 2 ... completed with result: [0, 3, 6, 9, 12]",
                "results:    {1=[2, 3, 4], 2=[0, 3, 6, 9, 12]}",
                "exceptions: {3=java.lang.ArithmeticException: / by zero}"),
                Captured.lines(CooperativeMultitasking::run));
    }

    @Test
    void schedulerWithNothingToRunReturnsAtOnceAndIdsStartAtOne() {
        List<String> lines = Captured.lines(out -> {
            Scheduler empty = new Scheduler(out);
            empty.run();
            assertEquals(Map.of(), empty.results);
            Scheduler s = new Scheduler(out);
            assertEquals(1, s.add(Generator.of(y -> "at once")));
            assertEquals(2, s.add(Generator.of(y -> {
                throw new IllegalStateException("failed at once");
            })));
            s.run();
            assertEquals(Map.of(1, "at once"), s.results);
            assertInstanceOf(IllegalStateException.class, s.exceptions.get(2));
        });
        assertEquals(List.of(
                "Running task 1 ... completed with result: at once",
                "Running task 2 ... failed with exception: java.lang.IllegalStateException: failed at once"), lines);
    }
}
