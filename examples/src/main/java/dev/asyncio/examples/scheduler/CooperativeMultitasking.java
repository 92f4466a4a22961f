package dev.asyncio.examples.scheduler;

import java.io.PrintStream;
import java.util.List;

import static dev.asyncio.examples.scheduler.AsyncMap.asyncMap;
import static dev.asyncio.examples.scheduler.AsyncMap.range;

/**
 * Three {@code asyncMap} generators taking turns in a round-robin scheduler, one of them failing (seed 004).
 */
public final class CooperativeMultitasking {
    private CooperativeMultitasking() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    static void run(PrintStream out) {
        // snippet:run
        Scheduler scheduler = new Scheduler(out);
        scheduler.add(asyncMap((Integer x) -> x + 2, range(3)));
        scheduler.add(asyncMap((Integer x) -> x * 3, range(5)));
        scheduler.add(asyncMap((Integer x) -> 12 / x, List.of(6, 4, 0, 3)));
        scheduler.run();
        out.println("results:    " + scheduler.results);
        out.println("exceptions: " + scheduler.exceptions);
        // end-snippet
    }
}
