package dev.asyncio.bench;

import dev.asyncio.Asyncio;
import dev.asyncio.Task;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Heap per suspended task: N tasks in {@code sleep(3600)}, beside N virtual threads parked in
 * {@code Thread.sleep} (the JDK's alternative), measured in the same JVM as the live heap after a full
 * collection, minus the heap before. Each measurement is repeated and the median is printed.
 *
 * <p>Run: {@code ./mvnw -q -pl benchmarks -am package exec:exec -Dbench.main=dev.asyncio.bench.HeapPerTask -Dbench.args=100000}
 */
public final class HeapPerTask {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private HeapPerTask() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        double[] tasks = new double[rounds];
        double[] threads = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            tasks[r] = asyncioTasks(n);
            threads[r] = virtualThreads(n);
        }
        double t = median(tasks);
        double v = median(threads);
        System.out.printf(Locale.ROOT, "suspended asyncio task (sleep 3600):   %6.0f bytes   (rounds: %s)%n", t, fmt(tasks));
        System.out.printf(Locale.ROOT, "parked virtual thread (Thread.sleep):  %6.0f bytes   (rounds: %s)%n", v, fmt(threads));
        System.out.printf(Locale.ROOT, "ratio task / virtual thread:           %6.2f%n", t / v);
    }

    /** Bytes per task while n tasks sleep. */
    static double asyncioTasks(int n) {
        return Asyncio.run(() -> {
            long before = liveHeap();
            List<Task<Void>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                tasks.add(Asyncio.createTask(() -> Asyncio.sleep(3600)));
            }
            Asyncio.sleep(0); // every task has run its first step and is suspended in its sleep
            long after = liveHeap();
            for (Task<Void> t : tasks) {
                t.cancel();
            }
            Asyncio.gather(true, tasks);
            return (after - before) / (double) n;
        });
    }

    /** Bytes per virtual thread while n of them sleep. */
    static double virtualThreads(int n) throws InterruptedException {
        long before = liveHeap();
        CountDownLatch started = new CountDownLatch(n);
        List<Thread> threads = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                started.countDown();
                try {
                    Thread.sleep(3_600_000);
                } catch (InterruptedException done) {
                    // measured; let it end
                }
            }));
        }
        started.await();
        Thread.sleep(200); // let every thread reach its sleep and unmount
        long after = liveHeap();
        for (Thread t : threads) {
            t.interrupt();
        }
        for (Thread t : threads) {
            t.join();
        }
        return (after - before) / (double) n;
    }

    private static long liveHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return MEMORY.getHeapMemoryUsage().getUsed();
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static String fmt(double[] xs) {
        StringBuilder sb = new StringBuilder();
        for (double x : xs) {
            sb.append(sb.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", x));
        }
        return sb.toString();
    }
}
