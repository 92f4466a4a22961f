package dev.asyncio.examples.generators;

import dev.asyncio.Asyncio;
import dev.asyncio.Generator;
import dev.asyncio.Task;

import java.io.PrintStream;
import java.util.Locale;

/**
 * An asynchronous generator: its body sleeps between values while another task runs.
 *
 * <p>The task consuming it suspends whenever the body awaits; closing it runs the body's {@code finally}.
 */
public final class AsyncTicker {
    private final PrintStream out;
    private final double start;

    private AsyncTicker(PrintStream out) {
        this.out = out;
        this.start = Asyncio.getRunningLoop().time();
    }

    public static void main(String[] args) {
        Asyncio.run(() -> run(System.out));
    }

    // snippet:ticker
    /** Yields 1, 2, ... {@code count}, one every {@code interval} seconds; says when it is closed. */
    Generator<Integer, Void, Void> ticker(int count, double interval) {
        return Generator.of(y -> {
            try {
                for (int i = 1; i <= count; i++) {
                    Asyncio.sleep(interval);    // suspends the task that called next()
                    y.yield(i);
                }
            } finally {
                print("ticker: finally block runs");
            }
            return null;
        });
    }
    // end-snippet

    static void run(PrintStream out) {
        AsyncTicker demo = new AsyncTicker(out);
        // snippet:consume
        Task<Void> heartbeat = Asyncio.createTask(() -> {
            for (int i = 0; i < 3; i++) {
                demo.print("heartbeat");
                Asyncio.sleep(0.75);
            }
        });
        try (Generator<Integer, Void, Void> ticks = demo.ticker(10, 1.0)) {
            for (int tick : ticks) {
                demo.print("tick " + tick);
                if (tick == 3) {
                    break;                      // try-with-resources closes the generator
                }
            }
        }
        heartbeat.await();
        // end-snippet
    }

    private void print(String line) {
        out.printf(Locale.ROOT, "[%5.2f s] %s%n", Asyncio.getRunningLoop().time() - start, line);
    }
}
