package dev.asyncio;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ThreadSafeQueue}: tasks on two loops and two plain threads share one bounded queue; every item arrives
 * exactly once and in its producer's order; a cancelled get loses no item and passes its wake-up on; shutdown
 * wakes every waiter. Waits are on futures and on the queue's own count of waiters, never on sleeps.
 */
class ThreadSafeQueueTest {
    private static final int PER_PRODUCER = 3000;

    /** Runs {@code main} on a new loop on a thread of its own; the future completes with its outcome. */
    private static <T> CompletableFuture<T> onOwnLoop(String name, Coroutine<T> main) {
        CompletableFuture<T> done = new CompletableFuture<>();
        Thread.ofPlatform().name(name).start(() -> {
            try {
                done.complete(Asyncio.run(main));
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done;
    }

    private static CompletableFuture<Void> onThread(String name, ThrowingRunnable body) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().name(name).start(() -> {
            try {
                body.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done;
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Takes items until the queue is shut down and drained. */
    private static void drainTasks(ThreadSafeQueue<String> q, List<String> into, int tasks) {
        List<Task<Void>> consumers = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            consumers.add(Asyncio.createTask(() -> {
                try {
                    while (true) {
                        into.add(q.get());
                    }
                } catch (QueueShutDown end) {
                    // drained
                }
            }));
        }
        Asyncio.gather(consumers);
    }

    @Test
    void twoLoopsAndTwoThreadsHandEveryItemOverExactlyOnceInOrder() throws Exception {
        ThreadSafeQueue<String> q = new ThreadSafeQueue<>(4);
        List<String> taken = Collections.synchronizedList(new ArrayList<>());
        List<List<String>> perConsumer = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            perConsumer.add(Collections.synchronizedList(new ArrayList<>()));
        }
        // loop A: one producer task and two consumer tasks; loop B: one producer task and one consumer task
        CompletableFuture<Void> loopA = onOwnLoop("loop-a", () -> {
            Task<Void> producer = Asyncio.createTask(() -> {
                for (int i = 0; i < PER_PRODUCER; i++) {
                    q.put("a-" + i);
                }
            });
            drainTasks(q, perConsumer.get(0), 2);
            producer.await();
            return null;
        });
        CompletableFuture<Void> loopB = onOwnLoop("loop-b", () -> {
            Task<Void> producer = Asyncio.createTask(() -> {
                for (int i = 0; i < PER_PRODUCER; i++) {
                    q.put("b-" + i);
                }
            });
            drainTasks(q, perConsumer.get(1), 1);
            producer.await();
            return null;
        });
        CompletableFuture<Void> threadProducer = onThread("producer", () -> {
            for (int i = 0; i < PER_PRODUCER; i++) {
                if (i % 2 == 0) {
                    q.putBlocking("t-" + i);
                } else {
                    assertTrue(q.offer("t-" + i, Duration.ofSeconds(60)));
                }
            }
        });
        CompletableFuture<Void> threadConsumer = onThread("consumer", () -> {
            try {
                while (true) {
                    String item = q.getBlocking();
                    perConsumer.get(2).add(item);
                }
            } catch (QueueShutDown end) {
                // drained
            }
        });
        // the producers finish, then the shutdown lets the consumers drain the rest and stop
        threadProducer.get(60, TimeUnit.SECONDS);
        // the loops' producers are done once every one of their items was put: wait until the queue saw them all
        waitUntil(() -> {
            List<String> all = all(perConsumer);
            return all.size() + q.qsize() == 3 * PER_PRODUCER;
        });
        q.shutdown();
        loopA.get(60, TimeUnit.SECONDS);
        loopB.get(60, TimeUnit.SECONDS);
        threadConsumer.get(60, TimeUnit.SECONDS);

        List<String> all = all(perConsumer);
        assertEquals(3 * PER_PRODUCER, all.size(), "no item lost, none twice");
        assertEquals(3 * PER_PRODUCER, new java.util.HashSet<>(all).size());
        for (List<String> consumer : perConsumer) {
            Map<String, Integer> last = new HashMap<>();
            for (String item : consumer) {
                String producer = item.substring(0, 1);
                int n = Integer.parseInt(item.substring(2));
                assertTrue(last.getOrDefault(producer, -1) < n, "FIFO per producer: " + item + " after " + last);
                last.put(producer, n);
            }
        }
        assertTrue(q.empty());
        assertEquals(List.of(0, 0), List.of(q.waiting()[0], q.waiting()[1]));
    }

    private static List<String> all(List<List<String>> lists) {
        List<String> all = new ArrayList<>();
        for (List<String> l : lists) {
            synchronized (l) {
                all.addAll(l);
            }
        }
        return all;
    }

    /**
     * Polls until {@code condition} holds (a millisecond apart: spinning on the queue's lock would starve the
     * threads the test waits for); fails after 60 s rather than hang.
     */
    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached in 60 s");
            }
            Thread.sleep(1);
        }
    }

    @Test
    void aGetCancelledAfterItsWakeUpLosesNoItemAndPassesTheWakeUpOn() {
        ThreadSafeQueue<String> q = new ThreadSafeQueue<>();
        try (AsyncLoop loop = AsyncLoop.builder().virtualTime(true).build()) {
            loop.runUntilComplete(() -> {
                Task<String> first = Asyncio.createTask(q::get);
                Task<String> second = Asyncio.createTask(q::get);
                Asyncio.sleep(0);
                assertEquals(2, q.waiting()[0]);
                q.putNowait("x");   // wakes the first getter...
                first.cancel();     // ...which is cancelled before it runs again
                assertEquals("x", Asyncio.waitFor(second, 10), "the wake-up went on to the second getter");
                assertTrue(first.cancelled());
                assertTrue(q.empty());
                return null;
            });
        }
    }

    @Test
    void aCancelledPutAddsNothing() {
        ThreadSafeQueue<String> q = new ThreadSafeQueue<>(1);
        try (AsyncLoop loop = AsyncLoop.builder().virtualTime(true).build()) {
            loop.runUntilComplete(() -> {
                q.put("kept");
                Task<Void> blocked = Asyncio.createTask(() -> q.put("dropped"));
                Asyncio.sleep(0);
                assertEquals(1, q.waiting()[1]);
                blocked.cancel();
                assertThrows(CancelledError.class, blocked::await);
                assertEquals("kept", q.get());
                assertTrue(q.empty(), "the cancelled put added nothing");
                assertEquals(0, q.waiting()[1]);
                return null;
            });
        }
    }

    @Test
    void shutdownWakesEveryWaitingGetterTaskAndThread() throws Exception {
        ThreadSafeQueue<String> q = new ThreadSafeQueue<>(1);
        List<CompletableFuture<?>> getters = List.of(
                onOwnLoop("getter-loop-1", () -> Asyncio.gather(Asyncio.createTask(q::get), Asyncio.createTask(q::get))),
                onOwnLoop("getter-loop-2", q::get),
                onThread("getter-thread", q::getBlocking));
        waitUntil(() -> q.waiting()[0] == 4);
        q.shutdown();
        for (CompletableFuture<?> f : getters) {
            assertShutDown(f);
        }
        assertEquals(0, q.waiting()[0]);
        assertThrows(QueueShutDown.class, () -> q.putNowait("late"));
        assertThrows(QueueShutDown.class, q::getNowait);
    }

    @Test
    void shutdownWakesEveryWaitingPutterTaskAndThreadAndImmediateDiscardsTheItems() throws Exception {
        ThreadSafeQueue<String> q = new ThreadSafeQueue<>(1);
        q.putNowait("full");
        List<CompletableFuture<?>> putters = List.of(
                onOwnLoop("putter-loop-1", () -> Asyncio.gather(Asyncio.createTask(() -> q.put("never")),
                        Asyncio.createTask(() -> q.put("never")))),
                onOwnLoop("putter-loop-2", () -> {
                    q.put("never");
                    return null;
                }),
                onThread("putter-thread", () -> q.putBlocking("never")));
        waitUntil(() -> q.waiting()[1] == 4);
        q.shutdown(true);
        for (CompletableFuture<?> f : putters) {
            assertShutDown(f);
        }
        assertTrue(q.empty(), "shutdown(true) discarded 'full'");
        assertThrows(QueueShutDown.class, q::getNowait);
    }

    private static void assertShutDown(CompletableFuture<?> f) {
        java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> f.get(60, TimeUnit.SECONDS));
        assertInstanceOf(QueueShutDown.class, e.getCause());
    }

    @Test
    void badUseFailsClearly() throws Exception {
        ThreadSafeQueue<String> q = new ThreadSafeQueue<>(1);
        assertThrows(NullPointerException.class, () -> q.putNowait(null));
        assertThrows(QueueEmpty.class, q::getNowait);
        assertNull(q.poll(Duration.ZERO));
        q.putNowait("one");
        assertThrows(QueueFull.class, () -> q.putNowait("two"));
        assertFalse(q.offer("two", Duration.ofNanos(1)));
        assertTrue(q.full());
        Asyncio.run(() -> {
            String m = assertThrows(IllegalStateException.class, q::getBlocking).getMessage();
            assertTrue(m.contains("would block the thread of <AsyncLoop") && m.endsWith("call get() in a task instead"), m);
        });
        assertThrows(IllegalStateException.class, q::get, "get() outside a task");
        assertEquals("one", q.poll(Duration.ofSeconds(1)));
    }
}
