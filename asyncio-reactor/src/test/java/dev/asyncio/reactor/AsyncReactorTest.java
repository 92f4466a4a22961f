package dev.asyncio.reactor;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.GeneratorExit;
import dev.asyncio.Task;
import dev.asyncio.test.AsyncTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.TestPublisher;
import reactor.test.scheduler.VirtualTimeScheduler;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static dev.asyncio.reactor.AsyncReactor.awaitFirst;
import static dev.asyncio.reactor.AsyncReactor.awaitLast;
import static dev.asyncio.reactor.AsyncReactor.awaitSingle;
import static dev.asyncio.reactor.AsyncReactor.awaitSingleOrNull;
import static dev.asyncio.reactor.AsyncReactor.flux;
import static dev.asyncio.reactor.AsyncReactor.iterate;
import static dev.asyncio.reactor.AsyncReactor.mono;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mono and Flux awaited from tasks (with TestPublisher misbehaving on purpose) and built from coroutines
 * (checked with StepVerifier: values, errors, cancellation, demand), on virtual time on both sides.
 */
class AsyncReactorTest {
    private BackgroundLoop background;

    private AsyncLoop backgroundLoop() {
        if (background == null) {
            background = new BackgroundLoop(true);
        }
        return background.loop;
    }

    @AfterEach
    void stopBackground() {
        if (background != null) {
            background.close();
            assertEquals(List.of(), background.reports, "the loop reported errors");
        }
    }

    // ---------------------------------------------------------------- awaiting, in tasks

    @AsyncTest
    void awaitsGiveTheValuesAndClearErrors() {
        assertEquals("a", awaitSingle(Mono.just("a")));
        assertNull(awaitSingleOrNull(Mono.empty()));
        assertThrows(NoSuchElementException.class, () -> awaitSingle(Mono.empty()));
        assertEquals(1, awaitFirst(Flux.range(1, 1_000_000)));
        assertEquals(1000, awaitLast(Flux.range(1, 1000)));
        assertThrows(NoSuchElementException.class, () -> awaitFirst(Flux.empty()));
        assertThrows(NoSuchElementException.class, () -> awaitLast(Flux.empty()));
    }

    @AsyncTest
    void anErrorIsThrownAtTheAwaitTheSameInstance() {
        IOException boom = new IOException("boom");
        assertSame(boom, assertThrows(IOException.class, () -> awaitSingle(Mono.error(boom))));
        assertSame(boom, assertThrows(IOException.class, () -> awaitLast(Flux.just(1, 2).concatWith(Flux.error(boom)))));
    }

    @AsyncTest
    void iteratingAFluxRequestsInBoundedBatches() {
        List<Long> requests = new ArrayList<>();
        long sum = 0;
        try (var items = iterate(Flux.range(0, 1000).doOnRequest(requests::add), 64)) {
            for (int i : items) {
                sum += i;
            }
        }
        assertEquals(499_500, sum);
        assertEquals(64L, requests.getFirst());
        assertTrue(requests.stream().skip(1).allMatch(r -> r == 48), requests.toString());
    }

    @AsyncTest
    void cancellingTheAwaitingTaskCancelsTheMono() {
        List<String> trace = new ArrayList<>();
        Mono<String> never = Mono.<String>never().doOnCancel(() -> trace.add("cancelled"));
        Task<String> t = Asyncio.createTask(() -> awaitSingle(never));
        Asyncio.sleep(0);
        t.cancel();
        assertThrows(CancelledError.class, t::await);
        assertEquals(List.of("cancelled"), trace);
    }

    @AsyncTest
    void reactorVirtualTimeDrivenFromTheTask() {
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        List<Long> got = new ArrayList<>();
        try (var ticks = iterate(Flux.interval(Duration.ofHours(1), vts).take(3))) {
            vts.advanceTimeBy(Duration.ofHours(3)); // emits on this (the loop's) thread, into the buffer
            for (long tick : ticks) {
                got.add(tick);
            }
        }
        assertEquals(List.of(0L, 1L, 2L), got);
    }

    // ---------------------------------------------------------------- misbehaving publishers

    @AsyncTest
    void onNextAfterOnCompleteIsDroppedAndReported(AsyncLoop loop) {
        List<Map<String, Object>> reports = new ArrayList<>();
        loop.setExceptionHandler((l, c) -> reports.add(c));
        TestPublisher<String> p = TestPublisher.createNoncompliant(TestPublisher.Violation.CLEANUP_ON_TERMINATE);
        Task<String> t = Asyncio.createTask(() -> awaitLast(p.flux()));
        Asyncio.sleep(0);
        p.next("a").complete();
        p.next("late");
        assertEquals("a", t.await());
        Asyncio.sleep(0);
        assertEquals(1, reports.size(), reports.toString());
        assertTrue(reports.getFirst().get("message").toString().contains("rule 1.7"));
    }

    @AsyncTest
    void moreThanRequestedFailsTheIterationWithAClearError() {
        TestPublisher<Integer> p = TestPublisher.createNoncompliant(TestPublisher.Violation.REQUEST_OVERFLOW);
        Task<Integer> t = Asyncio.createTask(() -> {
            int n = 0;
            try (var items = iterate(p.flux(), 2)) {
                for (int ignored : items) {
                    n++;
                }
            }
            return n;
        });
        Asyncio.sleep(0);
        p.next(1, 2, 3, 4);
        var e = assertThrows(IllegalStateException.class, t::await);
        assertTrue(e.getMessage().contains("rule 1.1"), e.getMessage());
        p.assertCancelled();
    }

    @AsyncTest
    void onNextFromManyThreadsAtOnceIsHandedOverWithoutLoss(AsyncLoop loop) throws Exception {
        TestPublisher<Integer> p = TestPublisher.createNoncompliant(TestPublisher.Violation.REQUEST_OVERFLOW);
        int threads = 4;
        int each = 2_000;
        // Where each item is taken: the loop running there (a thread test would only hold on the continuation
        // engine, where every task runs on the loop's thread; on the thread engine each task has its own).
        List<AsyncLoop> seenOn = new CopyOnWriteArrayList<>();
        Task<Integer> consumer = Asyncio.createTask(() -> {
            int n = 0;
            // The prefetch covers everything: the point is concurrent onNext (rule 1.3 broken), not demand.
            try (var items = iterate(p.flux(), threads * each)) {
                for (int ignored : items) {
                    seenOn.add(Asyncio.getRunningLoop());
                    n++;
                }
            }
            return n;
        });
        Asyncio.sleep(0);
        CountDownLatch start = new CountDownLatch(1);
        Asyncio.toThread(() -> {
            List<Thread> senders = new ArrayList<>();
            for (int k = 0; k < threads; k++) {
                int base = k * each;
                senders.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < each; i++) {
                        p.next(base + i);
                    }
                }));
            }
            start.countDown();
            for (Thread s : senders) {
                s.join();
            }
            p.complete();
            return null;
        });
        assertEquals(threads * each, consumer.await());
        assertTrue(seenOn.stream().allMatch(l -> l == loop));
    }

    // ---------------------------------------------------------------- building, checked with StepVerifier

    @Test
    void monoFromACoroutineEmitsItsValueOnVirtualTime() {
        AsyncLoop loop = backgroundLoop();
        Mono<String> m = mono(() -> {
            Asyncio.sleep(3600); // virtual: an hour passes at once
            return "after an hour at " + Asyncio.getRunningLoop().time();
        }).contextWrite(c -> c.put(AsyncLoop.class, loop));
        StepVerifier.create(m).expectNext("after an hour at 3600.0").expectComplete().verify(Duration.ofSeconds(30));
    }

    @Test
    void monoOfNullIsEmptyAndAnExceptionIsTheError() {
        AsyncLoop loop = backgroundLoop();
        IOException boom = new IOException("boom");
        StepVerifier.create(mono(() -> null).contextWrite(c -> c.put(AsyncLoop.class, loop))).expectComplete().verify(Duration.ofSeconds(30));
        StepVerifier.create(mono(() -> {
            throw boom;
        }).contextWrite(c -> c.put(AsyncLoop.class, loop))).expectErrorMatches(e -> e == boom).verify(Duration.ofSeconds(30));
    }

    @Test
    void cancellingTheMonoCancelsTheCoroutine() throws Exception {
        AsyncLoop loop = backgroundLoop();
        List<String> trace = new CopyOnWriteArrayList<>();
        CountDownLatch cleaned = new CountDownLatch(1);
        Mono<String> m = mono(() -> {
            try {
                trace.add("started");
                Asyncio.sleep(Double.POSITIVE_INFINITY);
                return "never";
            } catch (CancelledError c) {
                trace.add("cancelled");
                throw c;
            } finally {
                cleaned.countDown();
            }
        }).contextWrite(c -> c.put(AsyncLoop.class, loop));
        StepVerifier.create(m).expectSubscription().thenAwait(Duration.ofMillis(10)).thenCancel().verify(Duration.ofSeconds(30));
        assertTrue(cleaned.await(10, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(List.of("started", "cancelled"), trace);
    }

    @Test
    void fluxFromAGeneratorFollowsTheDemand() {
        AsyncLoop loop = backgroundLoop();
        List<Integer> produced = new CopyOnWriteArrayList<>();
        // snippet:demand
        Flux<Integer> f = flux((dev.asyncio.Yielder<Integer, Void> y) -> {
            for (int i = 0; i < 5; i++) {
                produced.add(i);
                y.yield(i);
            }
            return null;
        }).contextWrite(c -> c.put(AsyncLoop.class, loop));
        StepVerifier.create(f, 0)
                .expectSubscription()
                .thenRequest(2).expectNext(0, 1)
                .then(() -> assertTrue(produced.size() <= 3, "ran ahead: " + produced))
                .thenRequest(3).expectNext(2, 3, 4)
                .expectComplete().verify(Duration.ofSeconds(30));
        // end-snippet
    }

    @Test
    void cancellingTheFluxClosesTheGeneratorSoItsFinallyRuns() throws Exception {
        AsyncLoop loop = backgroundLoop();
        List<String> trace = new CopyOnWriteArrayList<>();
        CountDownLatch closed = new CountDownLatch(1);
        Flux<Integer> f = flux((dev.asyncio.Yielder<Integer, Void> y) -> {
            try {
                for (int i = 0; ; i++) {
                    y.yield(i);
                }
            } catch (GeneratorExit exit) {
                trace.add("GeneratorExit");
                throw exit;
            } finally {
                closed.countDown();
            }
        }).contextWrite(c -> c.put(AsyncLoop.class, loop));
        StepVerifier.create(f, 2).expectNext(0, 1).thenCancel().verify(Duration.ofSeconds(30));
        assertTrue(closed.await(10, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(List.of("GeneratorExit"), trace);
    }

    @Test
    void aFailingGeneratorSignalsItsErrorAfterItsItems() {
        AsyncLoop loop = backgroundLoop();
        IOException boom = new IOException("boom");
        Flux<Integer> f = flux((dev.asyncio.Yielder<Integer, Void> y) -> {
            y.yield(1);
            Asyncio.sleep(60);
            throw boom;
        }).contextWrite(c -> c.put(AsyncLoop.class, loop));
        StepVerifier.create(f).expectNext(1).expectErrorMatches(e -> e == boom).verify(Duration.ofSeconds(30));
    }

    @Test
    void reactorVirtualTimeOnTheSubscriberSide() {
        AsyncLoop loop = backgroundLoop();
        // The timing is Reactor's virtual clock alone: the generator's items (from the loop's thread, whenever
        // they come) are paired with ticks of a virtual interval, so no step races the loop.
        Flux<Integer> items = flux((dev.asyncio.Yielder<Integer, Void> y) -> {
            y.yield(1);
            y.yield(2);
            return null;
        }).contextWrite(c -> c.put(AsyncLoop.class, loop));
        StepVerifier.withVirtualTime(() -> Flux.interval(Duration.ofHours(1)).zipWith(items, (tick, item) -> item))
                .expectSubscription()
                .expectNoEvent(Duration.ofMinutes(59))
                .thenAwait(Duration.ofHours(2))
                .expectNext(1, 2)
                .expectComplete()
                .verify(Duration.ofSeconds(30));
    }
}
