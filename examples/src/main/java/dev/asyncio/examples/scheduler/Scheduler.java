package dev.asyncio.examples.scheduler;

import dev.asyncio.Generator;
import dev.asyncio.StopIteration;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A round-robin scheduler over a deque of generators, keeping the result or the exception of each task by
 * id: the ground floor of an event loop (seed 004).
 */
final class Scheduler {
    private final PrintStream out;
    private int nextId = 1;

    // snippet:scheduler
    private final Deque<Task> tasks = new ArrayDeque<>();
    final Map<Integer, Object> results = new LinkedHashMap<>();
    final Map<Integer, Throwable> exceptions = new LinkedHashMap<>();

    int add(Generator<?, ?, ?> routine) {
        Task task = new Task(nextId++, routine);
        tasks.addLast(task);
        return task.id();
    }

    void run() {
        while (!tasks.isEmpty()) {
            Task t = tasks.pollFirst();
            out.print("Running task " + t.id() + " ... ");
            try {
                t.routine().next();
            } catch (StopIteration stopped) {
                out.println("completed with result: " + stopped.value());
                results.put(t.id(), stopped.value());
                continue;
            } catch (Exception e) {
                out.println("failed with exception: " + e);
                exceptions.put(t.id(), e);
                continue;
            }
            out.println("now yielded");
            tasks.addLast(t);           // still running: back to the end of the line
        }
    }
    // end-snippet

    Scheduler(PrintStream out) {
        this.out = out;
    }
}
