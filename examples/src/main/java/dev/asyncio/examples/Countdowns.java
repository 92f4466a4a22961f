package dev.asyncio.examples;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.Task;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Three countdowns that sleep one second per step run concurrently: nine seconds of sleeping done in about
 * three. Pass {@code --sequential} to run them one after the other and wait the nine seconds.
 */
public final class Countdowns {
    private final PrintStream out;
    private final double start;

    private Countdowns(PrintStream out) {
        this.out = out;
        this.start = Asyncio.getRunningLoop().time();
    }

    public static void main(String[] args) {
        boolean sequential = List.of(args).contains("--sequential");
        Asyncio.run(() -> run(System.out, sequential));
    }

    /**
     * Runs the three countdowns, concurrently or one by one, printing each step with the loop time at which
     * it happened; returns the loop time the whole took.
     */
    static double run(PrintStream out, boolean sequential) {
        Countdowns demo = new Countdowns(out);
        demo.print("starting 3 countdowns from 3, sleeping 1 s per step, " + (sequential ? "one after the other" : "concurrently"));
        String[] names = {"A", "B", "C"};
        if (sequential) {
            for (String name : names) {
                demo.countdown(name, 3);
            }
        } else {
            // snippet:gather
            List<Task<Void>> tasks = new ArrayList<>();
            for (String name : names) {
                tasks.add(Asyncio.createTask(() -> demo.countdown(name, 3), "countdown " + name));
            }
            Asyncio.gather(tasks);          // suspends until all three are done
            // end-snippet
        }
        double took = Asyncio.getRunningLoop().time() - demo.start;
        demo.print(String.format(Locale.ROOT, "done: 9 s of sleeping took %.1f s%s", took,
                sequential ? "" : " (run with --sequential to wait the 9 s)"));
        return took;
    }

    // snippet:countdown
    void countdown(String name, int from) {
        for (int i = from; i > 0; i--) {
            print(name + ": " + i);
            Asyncio.sleep(1.0);             // suspends this task; the others run meanwhile
        }
        print(name + ": liftoff");
    }
    // end-snippet

    private void print(String line) {
        AsyncLoop loop = Asyncio.getRunningLoop();
        out.printf(Locale.ROOT, "[%5.2f s] %s%n", loop.time() - start, line);
    }
}
