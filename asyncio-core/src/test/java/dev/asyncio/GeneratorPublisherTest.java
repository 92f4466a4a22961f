package dev.asyncio;

import dev.asyncio.test.AsyncTest;
import dev.asyncio.test.OrderedSteps;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coroutines and asynchronous generators as {@link Flow.Publisher}s ({@link Flows#fromCoroutine},
 * {@link Flows#fromGenerator}): demand, cancellation closing the generator, errors, the loop they run on.
 */
class GeneratorPublisherTest {
    private static final ContextVar<String> USER = new ContextVar<>("user");

    /** Records every signal as text; requests only what the test asks for. */
    static final class Recorder<T> implements Flow.Subscriber<T> {
        final List<String> signals = new CopyOnWriteArrayList<>();
        /** For each onNext, the loop running on its thread, or null (the same test holds on both engines). */
        final List<AsyncLoop> loops = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        volatile Flow.Subscription subscription;
        volatile Throwable error;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            signals.add("subscribed");
        }

        @Override
        public void onNext(T item) {
            try {
                loops.add(Asyncio.getRunningLoop());
            } catch (RuntimeException noLoop) {
                loops.add(null);
            }
            signals.add("next " + item);
        }

        @Override
        public void onError(Throwable t) {
            error = t;
            signals.add("error " + t.getClass().getSimpleName());
            ended.complete(null);
        }

        @Override
        public void onComplete() {
            signals.add("complete");
            ended.complete(null);
        }
    }

    @AsyncTest
    void theGeneratorRunsOnlyAsFarAsTheDemand() {
        List<String> trace = new ArrayList<>();
        Flow.Publisher<Integer> p = Flows.fromGenerator(y -> {
            for (int i = 1; i <= 3; i++) {
                trace.add("yield " + i);
                y.yield(i);
            }
            trace.add("end");
            return null;
        });
        Recorder<Integer> r = new Recorder<>();
        p.subscribe(r);
        Asyncio.sleep(0);
        assertEquals(List.of("yield 1"), trace, "started, suspended at the first yield: no demand");
        assertEquals(List.of("subscribed"), r.signals);
        r.subscription.request(2);
        Asyncio.sleep(0);
        assertEquals(List.of("yield 1", "yield 2", "yield 3"), trace);
        assertEquals(List.of("subscribed", "next 1", "next 2"), r.signals);
        r.subscription.request(1);
        Asyncio.sleep(0);
        assertEquals(List.of("subscribed", "next 1", "next 2", "next 3", "complete"), r.signals);
    }

    @AsyncTest
    void cancelClosesTheGeneratorAtItsYieldSoItsFinallyRuns(OrderedSteps steps) {
        List<Throwable> raised = new ArrayList<>();
        Flow.Publisher<Integer> p = Flows.fromGenerator(y -> {
            try {
                y.yield(1);
                steps.expect(2);
                y.yield(2); // no demand: waits here until cancelled
                steps.expectUnreached();
            } catch (GeneratorExit exit) {
                raised.add(exit);
                throw exit;
            } finally {
                steps.expect(3);
            }
            return null;
        });
        Recorder<Integer> r = new Recorder<>();
        p.subscribe(r);
        r.subscription.request(1);
        steps.expect(1);
        Asyncio.sleep(0);
        r.subscription.cancel();
        Asyncio.sleep(0);
        steps.finish(4);
        assertEquals(1, raised.size());
        assertEquals(List.of("subscribed", "next 1"), r.signals, "nothing is signalled after cancel");
    }

    @AsyncTest
    void cancelWhileTheBodyAwaitsCancelsThatAwait(AsyncLoop loop) {
        List<String> trace = new ArrayList<>();
        Flow.Publisher<Integer> p = Flows.fromGenerator(y -> {
            try {
                Asyncio.sleep(3600);
                y.yield(1);
            } catch (CancelledError c) {
                trace.add("cancelled at " + loop.time());
                throw c;
            } finally {
                trace.add("finally");
            }
            return null;
        });
        Recorder<Integer> r = new Recorder<>();
        p.subscribe(r);
        r.subscription.request(5);
        Asyncio.sleep(10);
        r.subscription.cancel();
        Asyncio.sleep(0);
        assertEquals(List.of("cancelled at 10.0", "finally"), trace);
        assertEquals(List.of("subscribed"), r.signals);
    }

    @AsyncTest
    void cancellingInsideOnNextStopsAtThatYield() {
        List<String> trace = new ArrayList<>();
        Flow.Publisher<Integer> p = Flows.fromGenerator(y -> {
            try {
                for (int i = 0; ; i++) {
                    y.yield(i);
                }
            } finally {
                trace.add("finally");
            }
        });
        List<Integer> got = new ArrayList<>();
        p.subscribe(new Flow.Subscriber<Integer>() {
            Flow.Subscription s;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                this.s = s;
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(Integer item) {
                got.add(item);
                if (item == 2) {
                    s.cancel();
                }
            }

            @Override
            public void onError(Throwable t) {
                trace.add("error");
            }

            @Override
            public void onComplete() {
                trace.add("complete");
            }
        });
        Asyncio.sleep(0);
        assertEquals(List.of(0, 1, 2), got);
        assertEquals(List.of("finally"), trace);
    }

    @AsyncTest
    void theBodysExceptionIsSignalledTheSameInstance() {
        IOException boom = new IOException("boom");
        Flow.Publisher<Integer> p = Flows.fromGenerator(y -> {
            y.yield(1);
            throw boom;
        });
        assertSame(boom, org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> Flows.awaitLast(p)));
        // without any demand too (rule 1.4: onError needs none)
        Recorder<Integer> r = new Recorder<>();
        Flows.<Integer>fromGenerator(y -> {
            throw boom;
        }).subscribe(r);
        Asyncio.sleep(0);
        assertSame(boom, r.error);
    }

    @AsyncTest
    void aNonPositiveRequestIsAnErrorAndClosesTheGenerator() {
        List<String> trace = new ArrayList<>();
        Flow.Publisher<Integer> p = Flows.fromGenerator(y -> {
            try {
                y.yield(1);
            } finally {
                trace.add("finally");
            }
            return null;
        });
        Recorder<Integer> r = new Recorder<>();
        p.subscribe(r);
        Asyncio.sleep(0);
        r.subscription.request(0);
        Asyncio.sleep(0);
        assertInstanceOf(IllegalArgumentException.class, r.error);
        assertTrue(r.error.getMessage().contains("rule 3.9"));
        assertEquals(List.of("finally"), trace);
    }

    @AsyncTest
    void yieldingNullIsRefused() {
        Flow.Publisher<String> p = Flows.fromGenerator(y -> {
            y.yield(null);
            return null;
        });
        var e = org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class, () -> Flows.awaitFirst(p));
        assertTrue(e.getMessage().contains("cannot emit null"), e.getMessage());
    }

    @AsyncTest
    void aRoundTripThroughAFlowKeepsDemandBoundedAndRunsOnVirtualTime(AsyncLoop loop) {
        int[] maxAhead = {0};
        int[] taken = {0};
        Flow.Publisher<Integer> p = Flows.fromGenerator(y -> {
            for (int i = 0; i < 10_000; i++) {
                if (i % 1000 == 0) {
                    Asyncio.sleep(1);
                }
                maxAhead[0] = Math.max(maxAhead[0], i - taken[0]);
                y.yield(i);
            }
            return null;
        });
        long sum = 0;
        try (var items = Flows.iterate(p, 32)) {
            for (int i : items) {
                sum += i;
                taken[0]++;
            }
        }
        assertEquals(49_995_000L, sum);
        assertEquals(10.0, loop.time());
        assertTrue(maxAhead[0] <= 32, "the producer ran ahead by " + maxAhead[0]);
    }

    @AsyncTest
    void yieldFromDelegatesToASubGenerator() {
        Flow.Publisher<Integer> p = Flows.fromGenerator(y -> {
            y.yield(0);
            String r = y.yieldFrom(Generator.<Integer, Void, String>of(sub -> {
                sub.yield(1);
                sub.yield(2);
                return "sub done";
            }));
            assertEquals("sub done", r);
            y.yield(3);
            return null;
        });
        List<Integer> got = new ArrayList<>();
        try (var items = Flows.iterate(p)) {
            items.forEachRemaining(got::add);
        }
        assertEquals(List.of(0, 1, 2, 3), got);
    }

    @AsyncTest
    void fromCoroutineEmitsItsValueOrNothingForNull() {
        assertEquals("v", Flows.awaitSingle(Flows.fromCoroutine(() -> {
            Asyncio.sleep(1);
            return "v";
        })));
        assertNull(Flows.awaitSingleOrNull(Flows.fromCoroutine(() -> Asyncio.sleep(1))));
    }

    @AsyncTest
    void theTaskSeesTheContextVarsOfWhereThePublisherWasMade() {
        USER.set("alice");
        Flow.Publisher<String> p = Flows.fromCoroutine(() -> USER.get("nobody"));
        USER.set("bob");
        assertEquals("alice", Flows.awaitSingle(p));
        assertEquals("bob", USER.get());
    }

    @AsyncTest
    void cancellingTheSubscriptionCancelsTheCoroutine(AsyncLoop loop) {
        List<String> trace = new ArrayList<>();
        Flow.Publisher<String> p = Flows.fromCoroutine(() -> {
            try {
                Asyncio.sleep(3600);
                return "never";
            } finally {
                trace.add("finally at " + loop.time());
            }
        });
        Task<String> t = Asyncio.createTask(() -> Flows.awaitFirst(p));
        Asyncio.sleep(5);
        t.cancel();
        org.junit.jupiter.api.Assertions.assertThrows(CancelledError.class, t::await);
        Asyncio.sleep(0);
        assertEquals(List.of("finally at 5.0"), trace);
    }

    @AsyncTest
    void aSubscriberOnAnotherThreadIsServedOnTheNamedLoop(AsyncLoop loop) throws Exception {
        Flow.Publisher<Integer> p = Flows.fromGenerator(loop, y -> {
            for (int i = 0; i < 3; i++) {
                assertSame(loop, Asyncio.getRunningLoop());
                y.yield(i);
            }
            return null;
        });
        Recorder<Integer> r = new Recorder<>();
        Asyncio.toThread(() -> {
            p.subscribe(r); // on a thread with no loop
            while (r.subscription == null) {
                Thread.onSpinWait();
            }
            r.subscription.request(10);
            return r.ended.get(10, TimeUnit.SECONDS);
        });
        assertEquals(List.of("subscribed", "next 0", "next 1", "next 2", "complete"), r.signals);
        assertTrue(r.loops.stream().allMatch(l -> l == loop), r.loops.toString());
    }

    @AsyncTest
    void withNoLoopAnywhereTheSubscriberGetsAClearError() throws Exception {
        Flow.Publisher<Integer>[] made = new Flow.Publisher[1];
        Recorder<Integer> r = new Recorder<>();
        Asyncio.toThread(() -> {
            made[0] = Flows.fromGenerator(y -> null);
            made[0].subscribe(r);
            return null;
        });
        assertInstanceOf(IllegalStateException.class, r.error);
        assertTrue(r.error.getMessage().contains("no event loop"), r.error.getMessage());
    }

    @AsyncTest
    void aSubscriberThatThrowsIsTreatedAsCancelledAndReported(AsyncLoop loop) {
        List<Map<String, Object>> reports = new ArrayList<>();
        loop.setExceptionHandler((l, c) -> reports.add(c));
        List<String> trace = new ArrayList<>();
        IllegalStateException bug = new IllegalStateException("bug in onNext");
        Flows.<Integer>fromGenerator(y -> {
            try {
                y.yield(1);
                y.yield(2);
            } finally {
                trace.add("finally");
            }
            return null;
        }).subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(5);
            }

            @Override
            public void onNext(Integer item) {
                throw bug;
            }

            @Override
            public void onError(Throwable t) {
                trace.add("error");
            }

            @Override
            public void onComplete() {
                trace.add("complete");
            }
        });
        Asyncio.sleep(0);
        assertEquals(List.of("finally"), trace);
        assertEquals(1, reports.size());
        assertSame(bug, reports.getFirst().get("exception"));
        assertTrue(reports.getFirst().get("message").toString().contains("rule 2.13"));
    }
}
