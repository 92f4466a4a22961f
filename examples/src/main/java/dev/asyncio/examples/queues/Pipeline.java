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

/** A bounded queue between a fast producer and three slow workers: backpressure, join and shutdown. */
public final class Pipeline {
    private final PrintStream out;

    private Pipeline(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        try (Runner runner = new Runner(() -> AsyncLoop.builder().virtualTime(true).build())) {
            runner.run(() -> run(System.out));
        }
    }

    /** Ten jobs through a queue of three slots and three workers; returns the loop time it took. */
    static double run(PrintStream out) {
        return new Pipeline(out).main();
    }

    // snippet:main
    double main() {
        Queue<Integer> jobs = new Queue<>(3);              // at most three jobs wait: backpressure
        List<Task<Void>> workers = new ArrayList<>();
        for (String name : List.of("A", "B", "C")) {
            workers.add(Asyncio.createTask(() -> work(name, jobs)));
        }
        for (int job = 1; job <= 10; job++) {
            jobs.put(job);                                 // suspends while the queue is full
            print("queued job " + job + " (" + jobs.qsize() + " waiting)");
        }
        jobs.join();                                       // suspends until every job was marked done
        print("all jobs done");
        jobs.shutdown();                                   // the workers' loops end
        Asyncio.gather(workers);
        return now();
    }
    // end-snippet

    // snippet:worker
    void work(String name, Queue<Integer> jobs) {
        for (int job : jobs) {                             // get() until the queue is shut down
            Asyncio.sleep(1);                              // the work itself
            print("worker " + name + " finished job " + job);
            jobs.taskDone();
        }
        print("worker " + name + " stops: the queue was shut down");
    }
    // end-snippet

    private void print(String line) {
        out.printf(Locale.ROOT, "[%4.1f s] %s%n", now(), line);
    }

    private static double now() {
        return Asyncio.getRunningLoop().time();
    }
}
