package dev.asyncio.examples.queues;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.Queue;
import dev.asyncio.Runner;
import dev.asyncio.Task;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Producers and a consumer talking through a queue, printing how long each item waited (seed 003).
 *
 * <p>As in the lecture: first two tasks, one producer and the consumer (20 items; 20 s instead of the 30 s
 * the synchronous version took), then three, a second producer joining (40 items; about 22 s where the
 * synchronous version would take 50). Each producer sleeps 0.5 to 1.5 s between items, the consumer 0.5 s
 * per item. Runs on virtual time, so the minutes print at once; {@code --real-time} runs them live, and
 * {@code --producers N} runs one round with N producers.
 */
public final class ProducerConsumer {
    private final PrintStream out;
    private final Random random;
    private double t0;

    private ProducerConsumer(PrintStream out, Random random) {
        this.out = out;
        this.random = random;
    }

    /** An item and the loop time it was made at. */
    record Item(int value, double madeAt) {
    }

    public static void main(String[] args) {
        List<String> options = List.of(args);
        boolean realTime = options.contains("--real-time");
        int i = options.indexOf("--producers");
        List<Integer> rounds = i >= 0 && i + 1 < options.size() ? List.of(Integer.parseInt(options.get(i + 1))) : List.of(1, 2);
        try (Runner runner = new Runner(() -> AsyncLoop.builder().virtualTime(!realTime).build())) {
            runner.run(() -> {
                for (int producers : rounds) {
                    run(System.out, new Random(), producers);
                }
            });
        }
    }

    /** Runs {@code producers} producers of 20 items each and one consumer of them all; returns the loop time taken. */
    static double run(PrintStream out, Random random, int producers) {
        return new ProducerConsumer(out, random).main(producers);
    }

    // snippet:main
    double main(int producers) {
        t0 = now();
        out.println("App started, " + producers + " producer(s).");
        Queue<Item> data = new Queue<>();
        List<Task<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < producers; i++) {
            tasks.add(Asyncio.createTask(() -> generateData(20, data)));
        }
        tasks.add(Asyncio.createTask(() -> processData(20 * producers, data)));
        Asyncio.gather(tasks);
        double dt = now() - t0;
        out.println(String.format(Locale.ROOT, "App exiting, total time: %,.2f sec.", dt));
        return dt;
    }
    // end-snippet

    // snippet:generate
    void generateData(int num, Queue<Item> data) {
        for (int idx = 1; idx <= num; idx++) {
            int item = idx * idx;
            data.put(new Item(item, now()));
            out.println(" -- generated item " + idx);
            Asyncio.sleep(random.nextDouble() + 0.5);
        }
    }
    // end-snippet

    // snippet:process
    void processData(int num, Queue<Item> data) {
        int processed = 0;
        while (processed < num) {
            Item item = data.get();
            processed++;
            double dt = now() - item.madeAt();
            out.println(String.format(Locale.ROOT, " +++ Processed value %d after %,.2f sec.", item.value(), dt));
            Asyncio.sleep(0.5);
        }
    }
    // end-snippet

    private static double now() {
        return Asyncio.getRunningLoop().time();
    }
}
