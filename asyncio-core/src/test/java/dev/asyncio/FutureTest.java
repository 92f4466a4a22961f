package dev.asyncio;

import dev.asyncio.test.AsyncTest;
import dev.asyncio.test.OrderedSteps;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** asyncio.Future: the behaviour CPython's test_futures checks. */
class FutureTest {
    @AsyncTest
    void newFutureIsPendingAndBoundToTheRunningLoop(AsyncLoop loop) {
        Future<String> f = new Future<>();
        assertFalse(f.done());
        assertFalse(f.cancelled());
        assertSame(loop, f.loop());
        assertThrows(InvalidStateError.class, f::result);
        assertThrows(InvalidStateError.class, f::exception);
    }

    @org.junit.jupiter.api.Test
    void constructingAFutureWithoutARunningLoopExplainsWhy() {
        IllegalStateException e = assertThrows(IllegalStateException.class, Future::new);
        assertTrue(e.getMessage().contains("no running event loop"), e.getMessage());
    }

    @AsyncTest
    void resultIsSetOnce() {
        Future<String> f = new Future<>();
        f.setResult("a");
        assertTrue(f.done());
        assertEquals("a", f.result());
        assertNull(f.exception());
        assertThrows(InvalidStateError.class, () -> f.setResult("b"));
        assertThrows(InvalidStateError.class, () -> f.setException(new RuntimeException()));
        assertFalse(f.cancel());
        assertEquals("a", f.result());
    }

    @AsyncTest
    void exceptionIsRethrownAsTheSameInstanceCheckedOnesIncluded() {
        Future<String> f = new Future<>();
        IOException boom = new IOException("boom");
        f.setException(boom);
        assertSame(boom, f.exception());
        Exception thrown = assertThrows(Exception.class, f::result);
        assertSame(boom, thrown);
        thrown = assertThrows(Exception.class, f::await);
        assertSame(boom, thrown);
    }

    @AsyncTest
    void nullExceptionIsRejected() {
        Future<String> f = new Future<>();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.setException(null));
        assertTrue(e.getMessage().contains("null"));
        assertFalse(f.done());
    }

    @AsyncTest
    void cancelWithMessageReachesTheCancelledError() {
        Future<String> f = new Future<>();
        assertTrue(f.cancel("stop it"));
        assertTrue(f.cancelled());
        assertTrue(f.done());
        CancelledError e = assertThrows(CancelledError.class, f::result);
        assertEquals("stop it", e.getMessage());
        assertSame(e, assertThrows(CancelledError.class, f::exception), "the same error every time");
        assertFalse(f.cancel("again"), "cancelling a done future does nothing");
        assertThrows(InvalidStateError.class, () -> f.setResult("late"));
    }

    @AsyncTest
    void doneCallbacksRunSoonNotInlineInTheOrderAdded(OrderedSteps steps) {
        Future<String> f = new Future<>();
        List<String> seen = new ArrayList<>();
        f.addDoneCallback(x -> seen.add("first " + x.result()));
        f.addDoneCallback(x -> seen.add("second " + x.result()));
        f.setResult("r");
        steps.expect(1);
        assertEquals(List.of(), seen, "callbacks are scheduled with callSoon, never run inline");
        Asyncio.sleep(0);
        assertEquals(List.of("first r", "second r"), seen);
        f.addDoneCallback(x -> seen.add("late"));
        assertEquals(2, seen.size(), "a callback added to a done future is scheduled, not run inline");
        Asyncio.sleep(0);
        assertEquals("late", seen.get(2));
        steps.finish(2);
    }

    @AsyncTest
    void removeDoneCallbackRemovesEveryRegistrationAndCountsThem() {
        Future<String> f = new Future<>();
        List<String> seen = new ArrayList<>();
        Consumer<Future<String>> a = x -> seen.add("a");
        Consumer<Future<String>> b = x -> seen.add("b");
        f.addDoneCallback(a);
        f.addDoneCallback(b);
        f.addDoneCallback(a);
        assertEquals(2, f.removeDoneCallback(a));
        assertEquals(0, f.removeDoneCallback(a));
        f.setResult("x");
        Asyncio.sleep(0);
        assertEquals(List.of("b"), seen);
    }

    @AsyncTest
    void doneCallbacksRunInTheContextCurrentWhenAdded() {
        ContextVar<String> who = new ContextVar<>("who", "nobody");
        Future<String> f = new Future<>();
        List<String> seen = new ArrayList<>();
        try (var ignored = who.set("adder")) {
            f.addDoneCallback(x -> seen.add(who.get()));
        }
        f.setResult("x");
        Asyncio.sleep(0);
        assertEquals(List.of("adder"), seen);
    }

    @AsyncTest
    void awaitingADoneFutureDoesNotSuspend(OrderedSteps steps) {
        Future<String> f = new Future<>();
        f.setResult("now");
        Task<Void> other = Asyncio.createTask(() -> steps.expect(2));
        steps.expect(1);
        assertEquals("now", f.await());
        assertEquals(1, steps.current(), "awaiting a done future must not let other tasks run");
        other.await();
        steps.finish(3);
    }

    @AsyncTest
    void awaitSuspendsUntilTheResultIsSet(AsyncLoop loop, OrderedSteps steps) {
        Future<String> f = new Future<>();
        loop.callLater(2, () -> {
            steps.expect(2);
            f.setResult("pong");
        });
        steps.expect(1);
        assertEquals("pong", f.await());
        assertEquals(2.0, loop.time());
        steps.finish(3);
    }

    @AsyncTest
    void toStringShowsStateAndOutcome() {
        Future<Integer> f = new Future<>();
        assertEquals("<Future pending>", f.toString());
        f.setResult(42);
        assertEquals("<Future finished result=42>", f.toString());
        Future<Integer> g = new Future<>();
        g.cancel();
        assertEquals("<Future cancelled>", g.toString());
    }

    @AsyncTest
    void toCompletableFutureCarriesResultFailureAndCancellation() throws Exception {
        Future<String> ok = new Future<>();
        CompletableFuture<String> okCf = ok.toCompletableFuture();
        ok.setResult("v");
        Asyncio.sleep(0);
        assertEquals("v", okCf.getNow(null));

        Future<String> bad = new Future<>();
        CompletableFuture<String> badCf = bad.toCompletableFuture();
        IOException boom = new IOException("boom");
        bad.setException(boom);
        Asyncio.sleep(0);
        ExecutionException ee = assertThrows(ExecutionException.class, () -> badCf.get(0, TimeUnit.SECONDS));
        assertSame(boom, ee.getCause());

        Future<String> gone = new Future<>();
        CompletableFuture<String> goneCf = gone.toCompletableFuture();
        gone.cancel();
        Asyncio.sleep(0);
        assertTrue(goneCf.isCancelled());
    }

    @AsyncTest
    void cancellingTheCompletableFutureFromAnotherThreadCancelsTheFuture() throws Exception {
        Future<String> f = new Future<>();
        CompletableFuture<String> cf = f.toCompletableFuture();
        Thread t = Thread.ofPlatform().start(() -> cf.cancel(false));
        t.join();
        assertThrows(CancelledError.class, f::await);
        assertTrue(f.cancelled());
        assertThrows(CancellationException.class, cf::join);
    }

    @AsyncTest
    void settingAResultFromAnotherThreadWhileTheLoopRunsIsRefused() throws Exception {
        Future<String> f = new Future<>();
        List<Throwable> errors = new ArrayList<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                f.setResult("from elsewhere");
            } catch (Throwable e) {
                errors.add(e);
            }
        });
        t.join();
        assertEquals(1, errors.size());
        assertTrue(errors.get(0) instanceof IllegalStateException);
        assertTrue(errors.get(0).getMessage().contains("callSoonThreadsafe"), errors.get(0).getMessage());
        assertFalse(f.done());
        f.cancel();
    }

    @org.junit.jupiter.api.Test
    void anExceptionNeverRetrievedIsReportedWhenTheLoopCloses() {
        List<Map<String, Object>> reports = new ArrayList<>();
        IOException boom = new IOException("lost");
        try (AsyncLoop loop = AsyncLoop.builder().virtualTime(true).build()) {
            loop.setExceptionHandler((l, context) -> reports.add(context));
            loop.runUntilComplete(() -> {
                Future<String> f = new Future<>();
                f.setException(boom);
                Future<String> retrieved = new Future<>();
                retrieved.setException(new IOException("seen"));
                retrieved.exception();
            });
            assertEquals(List.of(), reports, "nothing is reported before the loop closes or the future is collected");
        }
        assertEquals(1, reports.size());
        assertEquals("Future exception was never retrieved", reports.get(0).get("message"));
        assertSame(boom, reports.get(0).get("exception"));
    }

    @org.junit.jupiter.api.Test
    void anExceptionNeverRetrievedIsReportedWhenTheFutureIsCollected() throws Exception {
        List<Map<String, Object>> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (AsyncLoop loop = AsyncLoop.builder().virtualTime(true).build()) {
            loop.setExceptionHandler((l, context) -> reports.add(context));
            loop.runUntilComplete(() -> {
                failAndForget();
                for (int i = 0; i < 200 && reports.isEmpty(); i++) {
                    System.gc();
                    Asyncio.toThread(() -> {
                        Thread.sleep(10);
                        return null;
                    });
                }
            });
            assertEquals(1, reports.size(), "reported while the loop still runs, once the future was collected");
            assertEquals("Future exception was never retrieved", reports.get(0).get("message"));
        }
        assertEquals(1, reports.size(), "not reported a second time at close");
    }

    private static void failAndForget() {
        new Future<String>().setException(new IllegalStateException("forgotten"));
    }

    /** An exception whose message (and so toString) fails, as a user's exception may. */
    static final class UnprintableError extends RuntimeException {
        @Override
        public String getMessage() {
            throw new IllegalStateException("getMessage failed");
        }
    }

    @AsyncTest
    void waitersWakeWhenTheExceptionCannotBePrinted() {
        Future<String> f = new Future<>();
        Task<Object> waiter = Asyncio.createTask(() -> {
            try {
                return "no exception: " + f.await();
            } catch (UnprintableError e) {
                return e;
            }
        });
        Asyncio.sleep(0);
        UnprintableError error = new UnprintableError();
        f.setException(error);                  // describing the future for the never-retrieved watch fails
        assertSame(error, waiter.await(), "the waiter gets the same exception, it does not hang");
        assertSame(error, f.exception());
    }

    @org.junit.jupiter.api.Test
    void aNeverRetrievedExceptionThatCannotBePrintedIsStillReported() {
        List<Map<String, Object>> reports = new ArrayList<>();
        try (AsyncLoop loop = AsyncLoop.create()) {
            loop.setExceptionHandler((l, context) -> reports.add(context));
            loop.runUntilComplete(() -> {
                new Future<String>().setException(new UnprintableError());
                return null;
            });
        }
        assertEquals(1, reports.size(), () -> reports.stream().map(c -> c.get("message")).toList().toString());
        assertEquals("Future exception was never retrieved", reports.getFirst().get("message"));
        assertTrue(reports.getFirst().get("exception") instanceof UnprintableError);
        assertTrue(String.valueOf(reports.getFirst().get("future")).contains("UnprintableError"),
                String.valueOf(reports.getFirst().get("future")));
    }
}
