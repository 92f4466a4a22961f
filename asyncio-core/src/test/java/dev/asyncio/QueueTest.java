package dev.asyncio;

import dev.asyncio.test.AsyncTest;
import dev.asyncio.test.OrderedSteps;

import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * asyncio.Queue, LifoQueue, PriorityQueue: CPython's test_queues (basics, get, put, join, 3.13 shutdown), and
 * cancellation at each suspension point (put, get, join, iteration).
 */
class QueueTest {
    // ---------------------------------------------------------------- basics

    @AsyncTest
    void emptyFullAndSizes() {
        Queue<Integer> q = new Queue<>();
        assertTrue(q.empty());
        assertFalse(q.full(), "an unbounded queue is never full");
        q.put(1);
        assertFalse(q.empty());
        assertEquals(1, q.qsize());
        assertEquals(1, q.get());
        assertTrue(q.empty());

        Queue<Integer> bounded = new Queue<>(1);
        assertEquals(1, bounded.maxsize());
        bounded.put(1);
        assertTrue(bounded.full());
        assertEquals(-3, new Queue<>(-3).maxsize(), "kept as given, as in Python");
        assertFalse(new Queue<Integer>(-3).full());
    }

    @AsyncTest
    void fifoLifoAndPriorityOrders() {
        Queue<Integer> fifo = new Queue<>();
        LifoQueue<Integer> lifo = new LifoQueue<>();
        PriorityQueue<Integer> prio = new PriorityQueue<>();
        for (int i : List.of(1, 3, 2)) {
            fifo.put(i);
            lifo.put(i);
            prio.put(i);
        }
        assertEquals(List.of(1, 3, 2), List.of(fifo.get(), fifo.get(), fifo.get()));
        assertEquals(List.of(2, 3, 1), List.of(lifo.get(), lifo.get(), lifo.get()));
        assertEquals(List.of(1, 2, 3), List.of(prio.get(), prio.get(), prio.get()));

        PriorityQueue<String> byLength = new PriorityQueue<>(0, Comparator.comparingInt(String::length));
        byLength.putNowait("three");
        byLength.putNowait("a");
        byLength.putNowait("bb");
        assertEquals(List.of("a", "bb", "three"), List.of(byLength.getNowait(), byLength.getNowait(), byLength.getNowait()));
    }

    @AsyncTest
    void nullItemsAreAllowedExceptInAPriorityQueue() {
        Queue<String> q = new Queue<>();
        q.putNowait(null);
        q.putNowait("x");
        assertEquals("<Queue maxsize=0 _queue=[null, x] tasks=2>", q.toString());
        assertNull(q.getNowait());
        LifoQueue<String> lifo = new LifoQueue<>();
        lifo.putNowait(null);
        assertNull(lifo.getNowait());

        PriorityQueue<String> prio = new PriorityQueue<>();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> prio.putNowait(null));
        assertEquals("PriorityQueue does not accept null items", e.getMessage());
        PriorityQueue<Object> objects = new PriorityQueue<>();
        e = assertThrows(IllegalArgumentException.class, () -> objects.put(new Object()));
        assertTrue(e.getMessage().startsWith("PriorityQueue without a comparator needs Comparable items"), e.getMessage());
        assertEquals(0, objects.unfinishedTasks(), "a refused item changes nothing");
    }

    @AsyncTest
    void reprShowsItemsWaitersAndUnfinishedTasks() {
        Queue<Integer> q = new Queue<>();
        Task<Integer> getter = Asyncio.createTask(q::get);
        Asyncio.sleep(0);
        assertEquals("<Queue maxsize=0 _getters[1]>", q.toString());
        q.putNowait(0);
        assertEquals(0, getter.await());

        Queue<Integer> bounded = new Queue<>(1);
        bounded.putNowait(1);
        Task<Void> putter = Asyncio.createTask(() -> bounded.put(2));
        Asyncio.sleep(0);
        assertEquals("<Queue maxsize=1 _queue=[1] _putters[1] tasks=1>", bounded.toString());
        bounded.getNowait();
        putter.await();
        bounded.shutdown();
        assertEquals("<Queue maxsize=1 _queue=[2] tasks=2 shutdown>", bounded.toString());
    }

    @AsyncTest
    void aFullQueueSuspendsThePutterUntilAGetFreesASlot() {
        Queue<Integer> q = new Queue<>(2);
        List<Integer> put = new ArrayList<>();
        Task<Boolean> t = Asyncio.createTask(() -> {
            for (int i = 0; i < 3; i++) {
                q.put(i);
                put.add(i);
            }
            return true;
        });
        Asyncio.sleep(0);
        Asyncio.sleep(0);
        assertEquals(List.of(0, 1), put, "blocked after two items");
        assertEquals(0, q.get());
        Asyncio.sleep(0);
        assertEquals(List.of(0, 1, 2), put);
        assertEquals(1, q.get());
        assertEquals(2, q.get());
        assertTrue(t.await());
    }

    // ---------------------------------------------------------------- get

    @AsyncTest
    void getWaitsForAPutAndAGetWakesAWaitingPutter(AsyncLoop loop) {
        Queue<Integer> q = new Queue<>();
        loop.callLater(0.01, () -> q.putNowait(1));
        assertEquals(1, q.get());
        assertEquals(0.01, loop.time());

        Queue<Integer> bounded = new Queue<>(1);
        bounded.put(1);
        Task<Void> putter = Asyncio.createTask(() -> bounded.put(2));
        Asyncio.sleep(0);
        assertEquals(1, bounded.get());
        putter.await();
        assertEquals(2, bounded.getNowait());
    }

    @AsyncTest
    void getNowaitOfAnEmptyQueueIsQueueEmpty() {
        Queue<Integer> q = new Queue<>();
        assertThrows(QueueEmpty.class, q::getNowait);
        q.putNowait(1);
        assertEquals(1, q.getNowait());
    }

    @AsyncTest
    void aCancelledGetterDoesNotStealTheNextItem() {
        // CPython test_get_cancelled_race.
        Queue<String> q = new Queue<>();
        Task<String> t1 = Asyncio.createTask(q::get);
        Task<String> t2 = Asyncio.createTask(q::get);
        Asyncio.sleep(0);
        t1.cancel();
        Asyncio.sleep(0);
        assertTrue(t1.done());
        q.put("a");
        Asyncio.sleep(0);
        assertEquals("a", t2.await());
        assertTrue(t1.cancelled());
    }

    @AsyncTest
    void getsWithWaitingPuttersTakeTheItemsInOrder() {
        Queue<String> q = new Queue<>(1);
        Task<Void> a = Asyncio.createTask(() -> q.put("a"));
        Task<Void> b = Asyncio.createTask(() -> q.put("b"));
        assertEquals("a", q.get());
        assertEquals("b", q.get());
        Asyncio.gather(a, b);
    }

    @AsyncTest
    void cancelWhileWaitingOnQueueGetLeavesItemInQueue(OrderedSteps steps) {
        // CPython test_get_cancel_drop_one_pending_reader: the item handed to a cancelled getter is not lost.
        Queue<Integer> q = new Queue<>();
        Task<Integer> reader = Asyncio.createTask(() -> {
            steps.expect(1);
            try {
                return q.get();
            } catch (CancelledError e) {
                steps.expect(3);
                throw e;
            }
        });
        Asyncio.sleep(0);
        steps.expect(2);
        q.putNowait(1);     // wakes the reader: item 1 is meant for it ...
        q.putNowait(2);
        reader.cancel();    // ... but it is cancelled before it runs
        assertThrows(CancelledError.class, reader::await);
        assertEquals(2, q.qsize(), "both items are still in the queue");
        assertEquals(1, Asyncio.createTask(q::get).await(), "a new reader gets 1: nothing was dropped");
        steps.finish(4);
    }

    @AsyncTest
    void aGetterCancelledAfterBeingWokenWakesTheNextGetterForTheItem(OrderedSteps steps) {
        // CPython test_get_cancel_drop_many_pending_readers.
        Queue<Integer> q = new Queue<>();
        Task<Integer> reader1 = Asyncio.createTask(q::get);
        Task<Integer> reader2 = Asyncio.createTask(q::get);
        Task<Integer> reader3 = Asyncio.createTask(() -> {
            int item = q.get();
            steps.expect(2);
            return item;
        });
        Asyncio.sleep(0);
        q.putNowait(1);     // wakes reader1
        q.putNowait(2);     // wakes reader2
        reader1.cancel();   // reader1 passes its wake-up on to reader3
        steps.expect(1);
        assertThrows(CancelledError.class, reader1::await);
        Set<Integer> got = new HashSet<>(Asyncio.gather(reader2, reader3));
        assertEquals(Set.of(1, 2), got);
        assertTrue(q.empty());
        steps.finish(3);
    }

    @AsyncTest
    void aTimedOutGetLeavesNoGetterBehind(AsyncLoop loop) {
        Queue<Integer> q = new Queue<>(5);
        assertThrows(TimeoutError.class, () -> Asyncio.waitFor(q::get, 0.1));
        assertEquals("<Queue maxsize=5>", q.toString());
        assertEquals(0.1, loop.time());
    }

    // ---------------------------------------------------------------- put

    @AsyncTest
    void putNowaitOfAFullQueueIsQueueFull() {
        Queue<Integer> q = new Queue<>(1);
        q.putNowait(1);
        QueueFull e = assertThrows(QueueFull.class, () -> q.putNowait(2));
        assertEquals("the queue is full (maxsize 1)", e.getMessage());
    }

    @AsyncTest
    void aCancelledPutDoesNotInsertItsItem() {
        // CPython test_put_cancel_drop.
        Queue<Integer> q = new Queue<>(1);
        q.putNowait(1);
        Task<Void> writer = Asyncio.createTask(() -> q.put(2));
        Asyncio.sleep(0);
        assertEquals(1, q.getNowait()); // wakes the writer ...
        writer.cancel();                // ... which is cancelled before it runs
        assertThrows(CancelledError.class, writer::await);
        assertTrue(q.empty(), "the cancelled put inserted nothing");
        Asyncio.createTask(() -> q.put(2)).await();
        assertEquals(2, q.getNowait());
        assertEquals(0, q.qsize());
    }

    @AsyncTest
    void aCancelledPutterPassesTheFreeSlotToTheNextPutter() {
        // CPython test_put_cancelled_race.
        Queue<String> q = new Queue<>(1);
        Task<Void> putA = Asyncio.createTask(() -> q.put("a"));
        Task<Void> putB = Asyncio.createTask(() -> q.put("b"));
        Task<Void> putC = Asyncio.createTask(() -> q.put("X"));
        Asyncio.sleep(0);
        assertTrue(putA.done());
        assertFalse(putB.done());
        putC.cancel();
        Asyncio.sleep(0);
        assertTrue(putC.done());
        assertEquals("a", q.getNowait());
        Asyncio.sleep(0);
        assertEquals("b", q.getNowait());
        putB.await();
        assertThrows(CancelledError.class, putC::await);
        assertTrue(q.empty());
    }

    @AsyncTest
    void aPutterWokenThenCancelledOffersTheSlotToTheNextPutter(OrderedSteps steps) {
        Queue<String> q = new Queue<>(1);
        q.putNowait("first");
        Task<Void> putB = Asyncio.createTask(() -> q.put("b"));
        Task<Void> putC = Asyncio.createTask(() -> {
            q.put("c");
            steps.expect(2);
        });
        Asyncio.sleep(0);
        assertEquals("first", q.getNowait()); // wakes B ...
        putB.cancel();                        // ... which cannot take the slot: C gets it
        steps.expect(1);
        assertThrows(CancelledError.class, putB::await);
        putC.await();
        assertEquals("c", q.getNowait());
        assertTrue(q.empty());
        steps.finish(3);
    }

    @AsyncTest
    void putWithAWaitingGetterHandsTheItemOver() {
        Queue<String> q = new Queue<>();
        Task<String> t = Asyncio.createTask(q::get);
        Asyncio.sleep(0);
        q.put("a");
        assertEquals("a", t.await());
    }

    @AsyncTest
    void manyPuttersAndOneGetterDoNotDeadlock() {
        // CPython test_why_are_putters_waiting / test_why_are_getters_waiting.
        Queue<Integer> q = new Queue<>(2);
        TaskGroup.run(g -> {
            g.createTask(() -> {
                Asyncio.sleep(0);
                int n = q.qsize();
                for (int i = 0; i < n; i++) {
                    q.getNowait();
                }
            });
            for (int i = 0; i < 4; i++) {
                int item = i;
                g.createTask(() -> q.put(item));
            }
            return null;
        });
        assertEquals(2, q.qsize());

        Queue<Integer> one = new Queue<>(1);
        TaskGroup.run(g -> {
            g.createTask(() -> {
                for (int i = 0; i < 5; i++) {
                    one.put(i);
                }
            });
            g.createTask(() -> {
                for (int i = 0; i < 5; i++) {
                    one.get();
                }
            });
            return null;
        });
        assertTrue(one.empty());
    }

    @AsyncTest
    void cancelledPutsLeaveNoPutterBehind() {
        Queue<Integer> q = new Queue<>(1);
        q.putNowait(1);
        Task<Void> put = Asyncio.createTask(() -> q.put(1));
        Asyncio.sleep(0);
        assertEquals("<Queue maxsize=1 _queue=[1] _putters[1] tasks=1>", q.toString());
        put.cancel();
        assertThrows(CancelledError.class, put::await);
        assertEquals("<Queue maxsize=1 _queue=[1] tasks=1>", q.toString());
    }

    @AsyncTest
    void waitingOutsideATaskIsRefused(AsyncLoop loop) {
        Queue<Integer> q = new Queue<>();
        Future<String> message = new Future<>();
        loop.callSoon(() -> {
            try {
                q.get();
            } catch (IllegalStateException e) {
                message.setResult(e.getMessage());
            }
        });
        assertTrue(message.await().startsWith("Cannot wait to get from an empty Queue outside a task"), message.result());
    }

    // ---------------------------------------------------------------- join

    @AsyncTest
    void taskDoneTooOftenIsAnError() {
        for (Queue<Integer> q : List.of(new Queue<Integer>(), new LifoQueue<Integer>(), new PriorityQueue<Integer>())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, q::taskDone);
            assertEquals("taskDone() called too many times", e.getMessage());
        }
    }

    @AsyncTest
    void joinReturnsWhenEveryItemWasMarkedDone() {
        for (Queue<Integer> q : List.of(new Queue<Integer>(), new LifoQueue<Integer>(), new PriorityQueue<Integer>())) {
            for (int i = 0; i < 100; i++) {
                q.putNowait(i);
            }
            int[] sum = {0};
            boolean[] running = {true};
            TaskGroup.run(g -> {
                for (int w = 0; w < 2; w++) {
                    g.createTask(() -> {
                        while (running[0]) {
                            int item = q.get();
                            sum[0] += item;
                            q.taskDone();
                        }
                    });
                }
                q.join();
                assertEquals(4950, sum[0]);
                running[0] = false;
                q.putNowait(0);
                q.putNowait(0);
                return null;
            });
        }
    }

    @AsyncTest
    void joinOfAQueueWithNothingUnfinishedDoesNotSuspend(OrderedSteps steps) {
        Queue<Integer> q = new Queue<>();
        Task<Void> other = Asyncio.createTask(() -> steps.expect(2));
        steps.expect(1);
        q.join();
        q.join();
        assertEquals(1, steps.current());
        other.await();
        steps.finish(3);
    }

    @AsyncTest
    void cancelWhileWaitingInJoinLeavesTheCountUnchanged() {
        Queue<Integer> q = new Queue<>();
        q.putNowait(1);
        Task<Void> joiner = Asyncio.createTask(q::join);
        Asyncio.sleep(0);
        joiner.cancel();
        assertThrows(CancelledError.class, joiner::await);
        assertEquals(1, q.unfinishedTasks());
        q.getNowait();
        q.taskDone();
        q.join();
    }

    // ---------------------------------------------------------------- shutdown (3.13)

    @AsyncTest
    void shutdownOfAnEmptyQueueWakesGettersWithQueueShutDown() {
        Queue<String> q = new Queue<>();
        Task<String> getTask = Asyncio.createTask(q::get);
        Asyncio.sleep(0);
        q.shutdown(false);
        assertEquals(0, q.qsize());
        q.join();
        Asyncio.sleep(0);
        assertTrue(getTask.done());
        assertThrows(QueueShutDown.class, getTask::await);
        assertThrows(QueueShutDown.class, () -> q.put("data"));
        assertThrows(QueueShutDown.class, () -> q.putNowait("data"));
        assertThrows(QueueShutDown.class, q::get);
        assertThrows(QueueShutDown.class, q::getNowait);
        assertTrue(q.isShutdown());
    }

    @AsyncTest
    void shutdownOfANonEmptyQueueWakesPuttersButLetsConsumersDrain() {
        Queue<String> q = new Queue<>(1);
        q.putNowait("data");
        Task<Void> joinTask = Asyncio.createTask(q::join);
        Task<Void> putTask = Asyncio.createTask(() -> q.put("data2"));
        Asyncio.sleep(0);
        assertFalse(putTask.done());
        q.shutdown(false);
        assertEquals(1, q.qsize());
        Asyncio.sleep(0);
        assertTrue(putTask.done());
        assertThrows(QueueShutDown.class, putTask::await);
        assertEquals("data", q.get(), "the item left is still handed out");
        Asyncio.sleep(0);
        assertFalse(joinTask.done());
        assertThrows(QueueShutDown.class, () -> q.put("data"));
        assertThrows(QueueShutDown.class, () -> q.putNowait("data"));
        assertThrows(QueueShutDown.class, q::get);
        assertThrows(QueueShutDown.class, q::getNowait);
        q.taskDone();
        Asyncio.sleep(0);
        assertTrue(joinTask.done());
        joinTask.await();
        assertThrows(IllegalStateException.class, q::taskDone);
    }

    @AsyncTest
    void immediateShutdownDiscardsTheItemsAndReleasesJoin() {
        Queue<String> q = new Queue<>();
        q.putNowait("data");
        Task<Void> joinTask = Asyncio.createTask(q::join);
        q.shutdown(true);
        assertEquals(0, q.qsize());
        Asyncio.sleep(0);
        assertTrue(joinTask.done());
        joinTask.await();
        assertThrows(QueueShutDown.class, () -> q.put("data"));
        assertThrows(QueueShutDown.class, q::get);
        assertThrows(QueueShutDown.class, q::getNowait);
        assertThrows(IllegalStateException.class, q::taskDone);
    }

    @AsyncTest
    void immediateShutdownKeepsJoinWaitingForItemsAlreadyTaken() {
        Queue<String> q = new Queue<>();
        q.putNowait("data");
        q.putNowait("data");
        Task<Void> joinTask = Asyncio.createTask(q::join);
        assertEquals("data", q.get());
        q.shutdown(true); // unfinished 2 -> 1
        assertEquals(0, q.qsize());
        Asyncio.sleep(0);
        assertFalse(joinTask.done());
        assertThrows(QueueShutDown.class, () -> q.put("data"));
        assertThrows(QueueShutDown.class, q::get);
        q.taskDone();
        assertThrows(IllegalStateException.class, q::taskDone);
        Asyncio.sleep(0);
        assertTrue(joinTask.done());
    }

    @AsyncTest
    void shutdownWorksTheSameForLifoAndPriorityQueues() {
        for (Queue<Integer> q : List.of(new LifoQueue<Integer>(1), new PriorityQueue<Integer>(1))) {
            q.putNowait(7);
            Task<Void> putTask = Asyncio.createTask(() -> q.put(8));
            Asyncio.sleep(0);
            q.shutdown();
            assertThrows(QueueShutDown.class, putTask::await);
            assertEquals(7, q.get());
            assertThrows(QueueShutDown.class, q::get);
            assertTrue(q.toString().endsWith(" shutdown>"), q.toString());
        }
    }

    @AsyncTest
    void immediateShutdownWakesWaitingGettersAtOnce() {
        Queue<Integer> q = new Queue<>();
        Task<Integer> g1 = Asyncio.createTask(q::get);
        Task<Integer> g2 = Asyncio.createTask(q::get);
        Asyncio.sleep(0);
        q.shutdown(true);
        assertThrows(QueueShutDown.class, g1::await);
        assertThrows(QueueShutDown.class, g2::await);
    }

    // ---------------------------------------------------------------- iteration

    @AsyncTest
    void iteratingDrainsUntilShutdown(OrderedSteps steps) {
        Queue<Integer> q = new Queue<>(2);
        Task<List<Integer>> consumer = Asyncio.createTask(() -> {
            List<Integer> seen = new ArrayList<>();
            for (int item : q) {
                seen.add(item);
                q.taskDone();
            }
            steps.expect(2);
            return seen;
        });
        for (int i = 0; i < 5; i++) {
            q.put(i);
        }
        q.join();
        steps.expect(1);
        q.shutdown();
        assertEquals(List.of(0, 1, 2, 3, 4), consumer.await());
        steps.finish(3);
    }

    @AsyncTest
    void iterationEndsAfterTheItemsLeftAtShutdown() {
        Queue<Integer> q = new Queue<>();
        q.putNowait(1);
        q.putNowait(2);
        q.shutdown();
        List<Integer> seen = new ArrayList<>();
        for (int item : q) {
            seen.add(item);
        }
        assertEquals(List.of(1, 2), seen);
        var it = q.iterator();
        assertFalse(it.hasNext());
        assertThrows(java.util.NoSuchElementException.class, it::next);
    }

    @AsyncTest
    void cancellingAnIterationWaitingForAnItemLosesNoItem() {
        Queue<Integer> q = new Queue<>();
        List<Integer> seen = new ArrayList<>();
        Task<Void> consumer = Asyncio.createTask(() -> {
            for (int item : q) {
                seen.add(item);
            }
        });
        Asyncio.sleep(0);
        q.putNowait(1);
        consumer.cancel();
        assertThrows(CancelledError.class, consumer::await);
        assertEquals(List.of(), seen);
        assertEquals(1, q.getNowait());
    }

    /**
     * Design rule 12: loop-owned objects touched from another thread while the loop runs fail where they are
     * called. A Queue (like Event, Lock, Semaphore) checks nothing itself: with no waiter the call silently
     * mutates unsynchronised state; with a waiter it stores the item and counts it, and only then fails in the
     * waiter's setResult, leaving the item in the queue and the consumer asleep.
     */

    @AsyncTest
    void aQueueUsedFromAnotherThreadFailsWithoutChangingIt() throws Exception {
        Queue<String> q = new Queue<>();
        Task<String> consumer = Asyncio.createTask(q::get);
        Asyncio.sleep(0);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread other = new Thread(() -> {
            try {
                q.putNowait("from another thread");
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        other.start();
        other.join();
        assertInstanceOf(IllegalStateException.class, outcome.join());
        assertEquals(0, q.qsize(), "the failed putNowait left its item in the queue");
        consumer.cancel();
        assertThrows(CancelledError.class, consumer::await);
    }
}
