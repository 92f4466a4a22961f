package dev.asyncio;

import dev.asyncio.test.AsyncTest;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Scale: a hundred thousand tasks at once, each suspended, then all finished. */
class ManyTasksTest {
    private static final int N = 100_000;

    @AsyncTest(debug = false, timeout = 120)
    void aHundredThousandConcurrentTasksStartSuspendAndFinish(AsyncLoop loop) {
        List<Task<Integer>> tasks = new ArrayList<>(N);
        for (int i = 0; i < N; i++) {
            int n = i;
            tasks.add(Asyncio.createTask(() -> {
                Asyncio.sleep(0);                 // everyone suspends once ...
                Asyncio.sleep(1 + n % 10);        // ... then waits, ten deadlines shared by all
                return n;
            }));
        }
        Asyncio.sleep(0.5);
        assertEquals(N + 1, Asyncio.allTasks().size(), "all of them alive and suspended at the same time");
        List<Integer> results = Asyncio.gather(tasks);
        assertEquals(N, results.size());
        long sum = 0;
        for (int i = 0; i < N; i++) {
            assertEquals(i, results.get(i));
            sum += results.get(i);
        }
        assertEquals((long) N * (N - 1) / 2, sum);
        assertEquals(10.0, loop.time(), "the last deadline, 10 s after the tasks started, passed at its virtual time");
        assertEquals(1, Asyncio.allTasks().size());
    }

    @AsyncTest(debug = false, timeout = 120)
    void aHundredThousandTasksCancelledAtOnceAllEndCancelled() {
        List<Task<Void>> tasks = new ArrayList<>(N);
        for (int i = 0; i < N; i++) {
            tasks.add(Asyncio.createTask(() -> Asyncio.sleep(3600)));
        }
        Asyncio.sleep(0);
        for (Task<Void> t : tasks) {
            t.cancel();
        }
        List<Object> outcomes = Asyncio.gather(true, tasks);
        assertEquals(N, outcomes.stream().filter(o -> o instanceof CancelledError).count());
    }
}
