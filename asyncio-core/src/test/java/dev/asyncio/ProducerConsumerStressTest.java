package dev.asyncio;

import dev.asyncio.test.AsyncTest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many producers and consumers on a bounded queue while a chaos task cancels them at random moments: every
 * item whose put returned is consumed exactly once, and no item whose put was cancelled is ever consumed.
 * Deterministic: seeded random numbers on virtual time.
 */
class ProducerConsumerStressTest {
    private static final int PRODUCERS = 20;
    private static final int CONSUMERS = 20;
    private static final int ITEMS_PER_PRODUCER = 200;

    /** What one run observed. */
    private static final class Ledger {
        final Set<Long> inserted = new HashSet<>();
        final Set<Long> notInserted = new HashSet<>();
        final Set<Long> consumed = new HashSet<>();
        final List<Long> duplicates = new ArrayList<>();
        int cancelledPuts;
        int cancelledGets;
        int cancelledElsewhere;
        int maxSizeSeen;
        boolean joinTimedOut;
    }

    // Debug mode checks for held monitors at every suspension (a ThreadMXBean query): 40x slower here.
    @AsyncTest(timeout = 120, debug = false)
    void noItemIsLostOrDuplicatedUnderRandomCancellation() {
        for (long seed : new long[]{1, 2, 3, 42}) {
            for (Queue<Long> q : List.<Queue<Long>>of(new Queue<>(5), new Queue<>(1), new LifoQueue<>(3), new PriorityQueue<>(4))) {
                Ledger ledger = run(q, seed);
                String where = "seed " + seed + ", " + q.getClass().getSimpleName() + "(" + q.maxsize() + ")";
                assertEquals(List.of(), ledger.duplicates, "duplicated items, " + where);
                assertEquals(Set.of(), difference(ledger.inserted, ledger.consumed), "lost items, " + where);
                assertEquals(Set.of(), difference(ledger.consumed, ledger.inserted), "consumed items never inserted, " + where);
                Set<Long> ghost = new HashSet<>(ledger.notInserted);
                ghost.retainAll(ledger.consumed);
                assertEquals(Set.of(), ghost, "items of cancelled puts were consumed, " + where);
                assertFalse(ledger.joinTimedOut, "join() never returned, " + where);
                assertTrue(ledger.maxSizeSeen <= q.maxsize(), "the queue grew past maxsize, " + where);
                assertEquals(0, q.qsize());
                assertEquals(0, q.unfinishedTasks());
                // The run must really have hit both suspension points many times.
                assertTrue(ledger.cancelledPuts > 20, ledger.cancelledPuts + " cancelled puts, " + where);
                assertTrue(ledger.cancelledGets > 20, ledger.cancelledGets + " cancelled gets, " + where);
                assertTrue(ledger.notInserted.size() == ledger.cancelledPuts);
            }
        }
    }

    private static Set<Long> difference(Set<Long> a, Set<Long> b) {
        Set<Long> d = new java.util.TreeSet<>(a);
        d.removeAll(b);
        return d;
    }

    private static Ledger run(Queue<Long> q, long seed) {
        Random rnd = new Random(seed);
        Ledger ledger = new Ledger();
        List<Task<Void>> producers = new ArrayList<>();
        List<Task<Void>> consumers = new ArrayList<>();
        // Tasks enter these lists when they start: a task cancelled before its first step would never run.
        List<Task<?>> startedProducers = new ArrayList<>();
        List<Task<?>> startedConsumers = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int producer = p;
            producers.add(Asyncio.createTask(() -> {
                startedProducers.add(Asyncio.currentTask());
                produce(q, producer, rnd, ledger, startedConsumers);
            }, "producer-" + p));
        }
        for (int c = 0; c < CONSUMERS; c++) {
            consumers.add(Asyncio.createTask(() -> {
                startedConsumers.add(Asyncio.currentTask());
                consume(q, rnd, ledger, startedProducers);
            }, "consumer-" + c));
        }
        List<Task<Void>> victims = new ArrayList<>(producers);
        victims.addAll(consumers);
        Task<Void> chaos = Asyncio.createTask(() -> {
            while (true) {
                Asyncio.sleep(rnd.nextDouble() * 0.002);
                victims.get(rnd.nextInt(victims.size())).cancel("chaos");
            }
        }, "chaos");

        Asyncio.gather(producers);
        try {
            // Every inserted item consumed and marked done; an item lost by the queue would make this wait for
            // ever, so give up after a (virtual) while and let the checks name what is missing.
            Asyncio.timeout(100, q::join);
        } catch (TimeoutError stuck) {
            ledger.joinTimedOut = true;
        }
        chaos.cancel();
        Asyncio.gather(true, chaos);
        q.shutdown();
        Asyncio.gather(consumers);    // they end on QueueShutDown
        return ledger;
    }

    /** Phases of 50 ms alternate: the queue fills up (puts wait), then drains (gets wait). */
    private static boolean producersFast() {
        return ((long) (Asyncio.getRunningLoop().time() / 0.05)) % 2 == 0;
    }

    /**
     * Cancels a random task of {@code others} right after a put or get: the task the queue has just woken
     * (and that has not run yet) is among them, so the run also hits the window where a waiter was handed a
     * slot or an item and is cancelled before it could take it.
     */
    private static void cancelOneOf(List<Task<?>> others, Random rnd) {
        if (rnd.nextInt(4) == 0 && !others.isEmpty()) {
            others.get(rnd.nextInt(others.size())).cancel("chaos right after a hand-over");
        }
    }

    private static void produce(Queue<Long> q, int producer, Random rnd, Ledger ledger, List<Task<?>> consumers) {
        int attempt = 0;
        int inserted = 0;
        while (inserted < ITEMS_PER_PRODUCER) {
            try {
                if (rnd.nextInt(2) == 0) {
                    Asyncio.sleep(rnd.nextDouble() * (producersFast() ? 0.001 : 0.008));
                }
                long item = (long) producer * 1_000_000 + attempt++;
                try {
                    q.put(item);
                } catch (CancelledError e) {
                    ledger.notInserted.add(item);
                    ledger.cancelledPuts++;
                    throw e;
                }
                ledger.inserted.add(item);
                ledger.maxSizeSeen = Math.max(ledger.maxSizeSeen, q.qsize());
                cancelOneOf(consumers, rnd);
                inserted++;
            } catch (CancelledError e) {
                // Chaos, not a request to stop: withdraw it and go on.
                Asyncio.currentTask().uncancel();
            }
        }
    }

    private static void consume(Queue<Long> q, Random rnd, Ledger ledger, List<Task<?>> producers) {
        while (true) {
            long item;
            try {
                try {
                    item = q.get();
                } catch (CancelledError e) {
                    ledger.cancelledGets++;
                    throw e;
                }
                try {
                    cancelOneOf(producers, rnd);
                    if (!ledger.consumed.add(item)) {
                        ledger.duplicates.add(item);
                    }
                    if (rnd.nextInt(2) == 0) {
                        Asyncio.sleep(rnd.nextDouble() * (producersFast() ? 0.008 : 0.001));
                    }
                } finally {
                    q.taskDone();
                }
            } catch (CancelledError e) {
                Asyncio.currentTask().uncancel();
                ledger.cancelledElsewhere++;
            } catch (QueueShutDown end) {
                return;
            }
        }
    }
}
