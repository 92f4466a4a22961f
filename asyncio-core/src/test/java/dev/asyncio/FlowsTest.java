package dev.asyncio;

import dev.asyncio.test.AsyncTest;
import dev.asyncio.test.OrderedSteps;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SubmissionPublisher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Awaiting and iterating a {@link java.util.concurrent.Flow.Publisher} from a task: first / single / last,
 * bounded batched demand, cancellation, errors passed through unchanged, signals from other threads, and
 * publishers that break the rules.
 */
class FlowsTest {

    @AsyncTest
    void awaitFirstRequestsOneItemAndCancelsAfterIt() {
        ManualPublisher<String> p = new ManualPublisher<>();
        Task<String> t = Asyncio.createTask(() -> Flows.awaitFirst(p));
        Asyncio.sleep(0);
        assertEquals(List.of(1L), p.requests);
        p.next("a");
        assertEquals("a", t.await());
        assertTrue(p.cancelled);
    }

    @AsyncTest
    void awaitFirstOfAnEmptyPublisherSaysSo() {
        var e = assertThrows(NoSuchElementException.class, () -> Flows.awaitFirst(ManualPublisher.range(0)));
        assertTrue(e.getMessage().contains("without emitting an item"), e.getMessage());
        assertNull(Flows.awaitFirstOrNull(ManualPublisher.range(0)));
        assertEquals(0L, Flows.awaitFirstOrNull(ManualPublisher.range(5)));
    }

    @AsyncTest
    void awaitSingleReturnsTheOneItem() {
        assertEquals(0L, Flows.awaitSingle(ManualPublisher.range(1)));
        assertNull(Flows.awaitSingleOrNull(ManualPublisher.range(0)));
        assertThrows(NoSuchElementException.class, () -> Flows.awaitSingle(ManualPublisher.range(0)));
    }

    @AsyncTest
    void awaitSingleOfTwoItemsThrowsAndCancels() {
        ManualPublisher<Long> p = ManualPublisher.range(1000);
        var e = assertThrows(IllegalArgumentException.class, () -> Flows.awaitSingle(p));
        assertTrue(e.getMessage().contains("more than one item"), e.getMessage());
        assertTrue(p.cancelled);
        assertEquals(2, p.totalRequested(), "only two items are ever requested");
    }

    @AsyncTest
    void awaitLastKeepsOnlyTheLastWithBoundedDemand() {
        ManualPublisher<Long> p = ManualPublisher.range(10_000);
        assertEquals(9_999L, Flows.awaitLast(p));
        assertTrue(p.maxOutstanding <= FlowSubscriber.DEFAULT_PREFETCH, "outstanding " + p.maxOutstanding);
        assertThrows(NoSuchElementException.class, () -> Flows.awaitLast(ManualPublisher.range(0)));
    }

    @AsyncTest
    void iterationRequestsInBatchesAndNeverMoreThanThePrefetch() {
        ManualPublisher<Long> p = ManualPublisher.range(100);
        List<Long> got = new ArrayList<>();
        try (var items = Flows.iterate(p, 16)) {
            for (long i : items) {
                got.add(i);
            }
        }
        assertEquals(100, got.size());
        assertEquals(99L, got.getLast());
        // 16 at first, then 12 (three quarters) each time 12 were taken
        assertEquals(List.of(16L, 12L, 12L, 12L, 12L, 12L, 12L, 12L), p.requests);
        assertEquals(16, p.maxOutstanding);
    }

    @AsyncTest
    void prefetchMustBePositive(AsyncLoop loop) {
        assertThrows(IllegalArgumentException.class, () -> new FlowSubscriber<String>(loop, 0));
    }

    @AsyncTest
    void theIterationSuspendsUntilItemsArrive(AsyncLoop loop, OrderedSteps steps) {
        ManualPublisher<String> p = new ManualPublisher<>();
        Task<List<String>> consumer = Asyncio.createTask(() -> {
            List<String> got = new ArrayList<>();
            steps.expect(1);
            try (var items = Flows.iterate(p, 4)) {
                for (String s : items) {
                    steps.expect(got.isEmpty() ? 3 : 5);
                    got.add(s + "@" + loop.time());
                }
            }
            steps.expect(7);
            return got;
        });
        Asyncio.sleep(1);
        steps.expect(2);
        p.next("a");
        Asyncio.sleep(1);
        steps.expect(4);
        p.next("b");
        Asyncio.sleep(1);
        steps.expect(6);
        p.complete();
        assertEquals(List.of("a@1.0", "b@2.0"), consumer.await());
        steps.finish(8);
        assertFalse(p.cancelled, "a completed stream is not cancelled");
    }

    @AsyncTest
    void cancellingTheTaskCancelsTheSubscription() {
        ManualPublisher<String> p = new ManualPublisher<>();
        Task<String> t = Asyncio.createTask(() -> Flows.awaitFirst(p));
        Asyncio.sleep(0);
        assertFalse(p.cancelled);
        t.cancel();
        assertThrows(CancelledError.class, t::await);
        assertTrue(p.cancelled);
    }

    @AsyncTest
    void leavingTheLoopEarlyCancelsTheSubscription() {
        ManualPublisher<Long> p = ManualPublisher.range(1_000_000);
        try (var items = Flows.iterate(p)) {
            for (long i : items) {
                if (i == 3) {
                    break;
                }
            }
        }
        assertTrue(p.cancelled);
        assertEquals(FlowSubscriber.DEFAULT_PREFETCH, p.totalRequested());
    }

    @AsyncTest
    void thePublishersErrorIsThrownAtTheAwaitTheSameInstance() {
        ManualPublisher<String> p = new ManualPublisher<>();
        IOException boom = new IOException("boom");
        Task<String> t = Asyncio.createTask(() -> Flows.awaitLast(p));
        Asyncio.sleep(0);
        p.next("a");
        p.error(boom);
        assertSame(boom, assertThrows(IOException.class, t::await));
    }

    @AsyncTest
    void itemsSentFromAnotherThreadAreHandedToTheLoopInOrder() throws Exception {
        Thread loopThread = Thread.currentThread();
        int n = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        // Closed by the producing thread only: SubmissionPublisher.close() may block, which the loop must not.
        SubmissionPublisher<Integer> pub = new SubmissionPublisher<>(pool, 8);
        FlowSubscriber<Integer> items = Flows.iterate(pub, 8);
        try {
            Task<Void> producer = Asyncio.createTask(() -> Asyncio.toThread(() -> {
                for (int i = 0; i < n; i++) {
                    pub.submit(i); // blocks while the subscriber's buffer of 8 is full: backpressure
                }
                pub.close();
                return null;
            }));
            int expected = 0;
            List<Thread> wrongThreads = new ArrayList<>();
            for (int i : items) {
                if (Thread.currentThread() != loopThread) {
                    wrongThreads.add(Thread.currentThread());
                }
                assertEquals(expected++, i);
            }
            assertEquals(n, expected);
            assertEquals(List.of(), wrongThreads);
            producer.await();
        } finally {
            items.close(); // on failure: lets the producer's blocked submit return
            pool.shutdown();
        }
    }

    @AsyncTest
    void aPublisherSendingMoreThanRequestedFailsTheIterationAndIsCancelled() {
        ManualPublisher<String> p = new ManualPublisher<>();
        Task<String> t = Asyncio.createTask(() -> Flows.awaitFirst(p));
        Asyncio.sleep(0);
        p.next("a");
        p.next("b"); // only one was requested
        // "a" arrived within demand and is taken first
        assertEquals("a", t.await());
        ManualPublisher<String> q = new ManualPublisher<>();
        Task<List<String>> all = Asyncio.createTask(() -> {
            List<String> got = new ArrayList<>();
            try (var items = Flows.iterate(q, 2)) {
                for (String s : items) {
                    got.add(s);
                }
            }
            return got;
        });
        Asyncio.sleep(0);
        q.next("a");
        q.next("b");
        q.next("c");
        var e = assertThrows(IllegalStateException.class, all::await);
        assertTrue(e.getMessage().contains("rule 1.1"), e.getMessage());
        assertTrue(q.cancelled);
    }

    @AsyncTest
    void signalsAfterTheEndAreDroppedAndReportedOnce(AsyncLoop loop) {
        List<Map<String, Object>> reports = new ArrayList<>();
        loop.setExceptionHandler((l, c) -> reports.add(c));
        ManualPublisher<String> p = new ManualPublisher<>();
        Task<List<String>> all = Asyncio.createTask(() -> {
            List<String> got = new ArrayList<>();
            try (var items = Flows.iterate(p)) {
                for (String s : items) {
                    got.add(s);
                }
                p.next("late"); // the publisher misbehaves after onComplete
                p.next("later");
                p.complete();
            }
            return got;
        });
        Asyncio.sleep(0);
        p.next("a");
        p.complete();
        assertEquals(List.of("a"), all.await());
        assertEquals(1, reports.size(), reports.toString());
        assertTrue(reports.getFirst().get("message").toString().contains("rule 1.7"));
    }

    @AsyncTest
    void aSecondSubscriptionIsCancelled(AsyncLoop loop) {
        FlowSubscriber<String> s = new FlowSubscriber<>(loop);
        ManualPublisher<String> first = new ManualPublisher<>();
        ManualPublisher<String> second = new ManualPublisher<>();
        first.subscribe(s);
        second.subscribe(s);
        assertTrue(second.cancelled);
        assertFalse(first.cancelled);
        s.close();
        assertTrue(first.cancelled);
        assertFalse(s.hasNext());
    }

    @AsyncTest
    void nullSignalsAreRefusedWithNullPointerException(AsyncLoop loop) {
        FlowSubscriber<String> s = new FlowSubscriber<>(loop);
        assertThrows(NullPointerException.class, () -> s.onSubscribe(null));
        assertThrows(NullPointerException.class, () -> s.onNext(null));
        assertThrows(NullPointerException.class, () -> s.onError(null));
    }

    @AsyncTest
    void iteratingOutsideATaskSaysSo(AsyncLoop loop) throws Exception {
        FlowSubscriber<String> s = new FlowSubscriber<>(loop);
        new ManualPublisher<String>().subscribe(s);
        var e = assertThrows(IllegalStateException.class,
                () -> loop.runInExecutor(null, s::hasNext).await());
        assertTrue(e.getMessage().contains("iterated by a task"), e.getMessage());
        s.close();
    }
}
