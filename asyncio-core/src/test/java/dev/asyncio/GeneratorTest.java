package dev.asyncio;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The generator protocol with no loop at all: CPython's test_generators (PEP 255) and its PEP 342
 * coroutine cases (send, throw, close, GeneratorExit), plus what Java adds (Iterator, hasNext buffering,
 * streams, thread binding). Delegation is in {@link YieldFromTest}, bodies that await in
 * {@link AsyncGeneratorTest}.
 */
class GeneratorTest {
    /** yield 1, yield 2, yield 3, recording each step in {@code trace}. */
    private static Generator<Integer, Void, Void> oneTwoThree(List<String> trace) {
        return Generator.of(y -> {
            trace.add("start");
            y.yield(1);
            trace.add("after 1");
            y.yield(2);
            trace.add("after 2");
            y.yield(3);
            trace.add("end");
            return null;
        });
    }

    // ---------------------------------------------------------------- PEP 255: next, laziness, the end

    @Test
    void nothingRunsBeforeTheFirstNext() {
        List<String> trace = new ArrayList<>();
        Generator<Integer, Void, Void> g = oneTwoThree(trace);
        assertEquals(List.of(), trace);
        assertEquals(Generator.State.CREATED, g.state());
        assertEquals(1, g.next());
        assertEquals(List.of("start"), trace);
        assertEquals(Generator.State.SUSPENDED, g.state());
    }

    @Test
    void eachNextRunsToTheNextYieldAndKeepsLocals() {
        Generator<Integer, Void, Void> fib = Generator.of(y -> {
            int a = 0;
            int b = 1;
            while (true) {
                y.yield(a);
                int t = a + b;
                a = b;
                b = t;
            }
        });
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            got.add(fib.next());
        }
        assertEquals(List.of(0, 1, 1, 2, 3, 5, 8, 13, 21, 34), got);
    }

    @Test
    void finishedGeneratorThrowsStopIterationEveryTime() {
        List<String> trace = new ArrayList<>();
        Generator<Integer, Void, Void> g = oneTwoThree(trace);
        assertEquals(List.of(1, 2, 3), List.of(g.next(), g.next(), g.next()));
        StopIteration end = assertThrows(StopIteration.class, g::next);
        assertInstanceOf(NoSuchElementException.class, end);
        assertEquals(List.of("start", "after 1", "after 2", "end"), trace);
        assertEquals(Generator.State.CLOSED, g.state());
        assertThrows(StopIteration.class, g::next);
        assertThrows(StopIteration.class, () -> g.send(null));
        assertEquals(List.of("start", "after 1", "after 2", "end"), trace, "a finished body never runs again");
    }

    @Test
    void returnValueTravelsInStopIterationAndReturnValue() {
        Generator<Integer, Void, String> g = Generator.of(y -> {
            y.yield(1);
            return "done";
        });
        assertEquals(1, g.next());
        StopIteration end = assertThrows(StopIteration.class, g::next);
        assertEquals("done", end.value());
        assertEquals("done", g.returnValue());
        assertTrue(g.hasReturned());
        // As in Python, only the StopIteration of the return itself carries the value.
        assertNull(assertThrows(StopIteration.class, g::next).value());
        assertEquals("done", g.returnValue());
    }

    @Test
    void bodyWithoutYieldFinishesOnFirstNext() {
        // An `async def` with no await, driven by send(None): the result comes back in StopIteration.value.
        Generator<Void, Void, String> greet = Generator.of(y -> "Hello, Python");
        StopIteration end = assertThrows(StopIteration.class, () -> greet.send(null));
        assertEquals("Hello, Python", end.value());
    }

    @Test
    void returnValueBeforeTheBodyReturnedIsAnError() {
        Generator<Integer, Void, String> g = Generator.of(y -> {
            y.yield(1);
            return "r";
        });
        assertThrows(IllegalStateException.class, g::returnValue);
        g.next();
        IllegalStateException e = assertThrows(IllegalStateException.class, g::returnValue);
        assertTrue(e.getMessage().contains("SUSPENDED"), e.getMessage());
    }

    @Test
    void returnValueOfAGeneratorThatRaisedOrWasClosedIsAnError() {
        Generator<Integer, Void, String> raised = Generator.of(y -> {
            throw new IOException("boom");
        });
        assertThrows(IOException.class, raised::next);
        assertFalse(raised.hasReturned());
        assertThrows(IllegalStateException.class, raised::returnValue);

        Generator<Integer, Void, String> closed = Generator.of(y -> {
            y.yield(1);
            return "never";
        });
        closed.next();
        closed.close();
        assertFalse(closed.hasReturned());
        assertThrows(IllegalStateException.class, closed::returnValue);
    }

    @Test
    void yieldedNullIsAValue() {
        Generator<String, Void, Void> g = Generator.of(y -> {
            y.yield(null);
            y.yield("x");
            return null;
        });
        List<String> got = new ArrayList<>();
        for (String s : g) {
            got.add(s);
        }
        assertEquals(java.util.Arrays.asList(null, "x"), got);
    }

    @Test
    void exceptionFromTheBodyPassesThroughUnchangedAndClosesTheGenerator() {
        IOException boom = new IOException("checked, not wrapped");
        Generator<Integer, Void, Void> g = Generator.of(y -> {
            y.yield(1);
            throw boom;
        });
        g.next();
        IOException thrown = assertThrows(IOException.class, g::next);
        assertSame(boom, thrown);
        assertEquals(Generator.State.CLOSED, g.state());
        assertThrows(StopIteration.class, g::next);
    }

    @Test
    void stopIterationRaisedInsideTheBodyBecomesIllegalStateException() {
        // PEP 479: otherwise a bug inside the body would look like the generator ending quietly.
        Generator<Integer, Void, Void> empty = Generator.of(y -> null);
        Generator<Integer, Void, Void> g = Generator.of(y -> {
            y.yield(empty.next());
            return null;
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, g::next);
        assertEquals("generator raised StopIteration", e.getMessage());
        assertInstanceOf(StopIteration.class, e.getCause());
        assertEquals(Generator.State.CLOSED, g.state());
    }

    @Test
    void generatorsNestWithoutDelegation() {
        Generator<Integer, Void, Void> inner = Generator.of(y -> {
            y.yield(10);
            y.yield(20);
            return null;
        });
        Generator<Integer, Void, Void> outer = Generator.of(y -> {
            y.yield(1);
            for (int v : inner) {
                y.yield(v + 1);
            }
            y.yield(2);
            return null;
        });
        List<Integer> got = new ArrayList<>();
        outer.forEachRemaining(got::add);
        assertEquals(List.of(1, 11, 21, 2), got);
    }

    @Test
    void aGeneratorNeedsABody() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Generator.of(null));
        assertTrue(e.getMessage().contains("body"), e.getMessage());
    }

    // ---------------------------------------------------------------- Iterator, Iterable, Stream

    @Test
    void forEachLoopStopsWhenTheConsumerDecides() {
        AtomicInteger produced = new AtomicInteger();
        Generator<Long, Void, Void> fib = Generator.of(y -> {
            long current = 0;
            long next = 1;
            while (true) {
                long t = current + next;
                current = next;
                next = t;
                produced.incrementAndGet();
                y.yield(current);
            }
        });
        List<Long> seen = new ArrayList<>();
        for (long n : fib) {
            seen.add(n);
            if (n > 10_000) {
                break;
            }
        }
        assertEquals(21, seen.size());
        assertEquals(10_946L, seen.getLast());
        assertEquals(21, produced.get(), "an infinite generator computes only what is pulled");
        assertEquals(Generator.State.SUSPENDED, fib.state());
    }

    @Test
    void hasNextRunsToTheNextYieldOnceAndBuffersTheValue() {
        List<String> trace = new ArrayList<>();
        Generator<Integer, Void, Void> g = oneTwoThree(trace);
        assertTrue(g.hasNext());
        assertTrue(g.hasNext());
        assertEquals(List.of("start"), trace, "a second hasNext() does not run the body again");
        assertEquals(1, g.next());
        assertEquals(2, g.next());
        assertTrue(g.hasNext());
        assertEquals(3, g.next());
        assertFalse(g.hasNext());
        assertFalse(g.hasNext());
        assertEquals(List.of("start", "after 1", "after 2", "end"), trace);
    }

    @Test
    void sendOrThrowWhileAValueIsBufferedIsAnError() {
        Generator<Integer, Integer, Void> g = Generator.of(y -> {
            while (true) {
                y.yield(1);
            }
        });
        assertTrue(g.hasNext());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> g.send(5));
        assertTrue(e.getMessage().contains("hasNext"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> g.throwInto(new RuntimeException()));
        assertEquals(1, g.next(), "the buffered value is still there");
        assertEquals(1, g.send(5));
    }

    @Test
    void iteratingTwiceGivesNothingTheSecondTime() {
        Generator<Integer, Void, Void> g = oneTwoThree(new ArrayList<>());
        assertSame(g, g.iterator());
        List<Integer> first = new ArrayList<>();
        g.forEach(first::add);
        List<Integer> second = new ArrayList<>();
        g.forEach(second::add);
        assertEquals(List.of(1, 2, 3), first);
        assertEquals(List.of(), second);
    }

    @Test
    void streamIsLazyAndClosingItClosesTheGenerator() {
        AtomicInteger produced = new AtomicInteger();
        List<String> trace = new ArrayList<>();
        Generator<Integer, Void, Void> naturals = Generator.of(y -> {
            try {
                for (int i = 1; ; i++) {
                    produced.incrementAndGet();
                    y.yield(i);
                }
            } finally {
                trace.add("finally");
            }
        });
        List<Integer> squares;
        try (Stream<Integer> s = naturals.stream()) {
            squares = s.map(n -> n * n).limit(5).toList();
        }
        assertEquals(List.of(1, 4, 9, 16, 25), squares);
        assertEquals(5, produced.get());
        assertEquals(List.of("finally"), trace);
        assertEquals(Generator.State.CLOSED, naturals.state());
    }

    // ---------------------------------------------------------------- PEP 342: send

    @Test
    void sentValueIsWhatYieldReturns() {
        // The talk's my_gen: x = yield x; x *= 5
        Generator<Object, Integer, Void> g = Generator.of(y -> {
            Integer x = null;
            while (true) {
                x = y.yield(x);
                x *= 5;
            }
        });
        assertNull(g.next());
        assertEquals(50, g.send(10));
        assertEquals(115, g.send(23));
    }

    @Test
    void sendingANonNullValueToAJustStartedGeneratorFails() {
        List<String> trace = new ArrayList<>();
        Generator<String, String, Void> g = Generator.of(y -> {
            trace.add("started");
            y.yield("first");
            return null;
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> g.send("too early"));
        assertTrue(e.getMessage().contains("just-started"), e.getMessage());
        assertEquals(List.of(), trace);
        assertEquals(Generator.State.CREATED, g.state(), "the failed send leaves the generator unstarted");
        assertEquals("first", g.send(null), "send(null) primes it as next() does");
    }

    @Test
    void nextIsSendNull() {
        List<String> received = new ArrayList<>();
        Generator<Integer, String, Void> g = Generator.of(y -> {
            for (int i = 0; i < 3; i++) {
                received.add(y.yield(i));
            }
            return null;
        });
        g.next();
        g.send("a");
        g.next();
        assertThrows(StopIteration.class, () -> g.send("b"));
        assertEquals(java.util.Arrays.asList("a", null, "b"), received);
    }

    // ---------------------------------------------------------------- PEP 342: throw

    @Test
    void thrownExceptionIsRaisedAtTheSuspendedYield() {
        List<String> trace = new ArrayList<>();
        // snippet:throw-caught
        Generator<String, Void, Void> g = Generator.of(y -> {
            while (true) {
                try {
                    y.yield("waiting");
                } catch (IllegalArgumentException e) {
                    trace.add("caught " + e.getMessage());
                }
            }
        });
        g.next();
        assertEquals("waiting", g.throwInto(new IllegalArgumentException("reset")));
        assertEquals(List.of("caught reset"), trace);
        // end-snippet
        assertEquals(Generator.State.SUSPENDED, g.state());
    }

    @Test
    void uncaughtThrownExceptionComesBackUnchangedAndClosesTheGenerator() {
        List<String> trace = new ArrayList<>();
        Generator<Integer, Void, Void> g = Generator.of(y -> {
            try {
                y.yield(1);
                trace.add("not reached");
            } finally {
                trace.add("finally");
            }
            return null;
        });
        g.next();
        Exception checked = new Exception("checked exceptions too");
        assertSame(checked, assertThrows(Exception.class, () -> g.throwInto(checked)));
        assertEquals(List.of("finally"), trace);
        assertEquals(Generator.State.CLOSED, g.state());
        assertThrows(StopIteration.class, g::next);
    }

    @Test
    void throwIntoAJustStartedGeneratorRaisesAtOnceAndClosesIt() {
        List<String> trace = new ArrayList<>();
        Generator<Integer, Void, Void> g = Generator.of(y -> {
            trace.add("started");
            y.yield(1);
            return null;
        });
        RuntimeException e = new RuntimeException("before start");
        assertSame(e, assertThrows(RuntimeException.class, () -> g.throwInto(e)));
        assertEquals(List.of(), trace, "the body never ran");
        assertEquals(Generator.State.CLOSED, g.state());
        assertThrows(StopIteration.class, g::next);
    }

    @Test
    void throwIntoAFinishedGeneratorRaisesTheExceptionBack() {
        Generator<Integer, Void, Void> g = Generator.of(y -> null);
        assertThrows(StopIteration.class, g::next);
        IllegalArgumentException e = new IllegalArgumentException();
        assertSame(e, assertThrows(IllegalArgumentException.class, () -> g.throwInto(e)));
    }

    @Test
    void throwCaughtByABodyThatReturnsEndsWithStopIteration() {
        Generator<Integer, Void, String> g = Generator.of(y -> {
            try {
                y.yield(1);
            } catch (IllegalStateException e) {
                return "recovered from " + e.getMessage();
            }
            return "normal";
        });
        g.next();
        StopIteration end = assertThrows(StopIteration.class, () -> g.throwInto(new IllegalStateException("x")));
        assertEquals("recovered from x", end.value());
        assertEquals("recovered from x", g.returnValue());
    }

    @Test
    void stopIterationThrownInAndNotCaughtBecomesIllegalStateException() {
        // PEP 479 again: g.throw(StopIteration) is a RuntimeError, not a quiet end.
        Generator<Integer, Void, Void> g = oneTwoThree(new ArrayList<>());
        g.next();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> g.throwInto(new StopIteration("x")));
        assertEquals("generator raised StopIteration", e.getMessage());
        assertThrows(StopIteration.class, g::next);
    }

    @Test
    void throwingGeneratorExitInIsNotAClose() {
        // Only close() forbids yielding after GeneratorExit; a body may catch a thrown one and go on.
        Generator<Integer, Void, Void> g = Generator.of(y -> {
            try {
                y.yield(123);
            } catch (GeneratorExit e) {
                y.yield(456);
            }
            return null;
        });
        assertEquals(123, g.next());
        assertEquals(456, g.throwInto(new GeneratorExit()));
        assertThrows(StopIteration.class, g::next);
    }

    @Test
    void throwIntoNeedsAnException() {
        Generator<Integer, Void, Void> g = oneTwoThree(new ArrayList<>());
        g.next();
        assertThrows(IllegalArgumentException.class, () -> g.throwInto(null));
        assertEquals(Generator.State.SUSPENDED, g.state());
    }

    // ---------------------------------------------------------------- PEP 342: close and GeneratorExit

    @Test
    void closeRaisesGeneratorExitAtTheYieldSoFinallyBlocksRun() {
        List<String> trace = new ArrayList<>();
        Generator<Integer, Void, Void> g = Generator.of(y -> {
            try {
                y.yield(1);
                y.yield(2);
            } catch (GeneratorExit e) {
                trace.add("GeneratorExit");
                throw e;
            } finally {
                trace.add("finally");
            }
            return null;
        });
        g.next();
        g.close();
        assertEquals(List.of("GeneratorExit", "finally"), trace);
        assertEquals(Generator.State.CLOSED, g.state());
        assertThrows(StopIteration.class, g::next);
        g.close(); // closing again does nothing
        assertEquals(List.of("GeneratorExit", "finally"), trace);
    }

    @Test
    void generatorExitIsNotAnException() {
        // snippet:generator-exit-not-exception
        // catch (Exception e) in a body must not swallow a close(), as `except Exception` does not in Python.
        List<String> trace = new ArrayList<>();
        Generator<Integer, Void, Void> g = Generator.of(y -> {
            while (true) {
                try {
                    y.yield(1);
                } catch (Exception e) {
                    trace.add("swallowed " + e);
                }
            }
        });
        g.next();
        g.close();
        assertEquals(List.of(), trace);
        assertEquals(Generator.State.CLOSED, g.state());
        // end-snippet
    }

    @Test
    void closingAJustStartedGeneratorNeverRunsIt() {
        List<String> trace = new ArrayList<>();
        Generator<Integer, Void, Void> g = oneTwoThree(trace);
        g.close();
        assertEquals(Generator.State.CLOSED, g.state());
        assertThrows(StopIteration.class, g::next);
        assertEquals(List.of(), trace);
    }

    @Test
    void closingAFinishedGeneratorDoesNothing() {
        List<String> trace = new ArrayList<>();
        Generator<Integer, Void, Void> g = oneTwoThree(trace);
        g.forEachRemaining(v -> { });
        g.close();
        assertEquals(List.of("start", "after 1", "after 2", "end"), trace);
    }

    @Test
    void bodyThatYieldsAfterGeneratorExitIsAnError() {
        // snippet:ignored-exit
        Generator<String, Void, Void> g = Generator.of(y -> {
            try {
                y.yield("first");
            } catch (GeneratorExit e) {
                y.yield("ignoring the close");
            }
            return null;
        });
        g.next();
        IllegalStateException e = assertThrows(IllegalStateException.class, g::close);
        assertTrue(e.getMessage().contains("ignored GeneratorExit"), e.getMessage());
        // As in CPython the generator is left suspended at the yield that ignored the close.
        assertEquals(Generator.State.SUSPENDED, g.state());
        assertThrows(StopIteration.class, g::next);
        // end-snippet
    }

    @Test
    void bodyThatReturnsOnGeneratorExitKeepsItsReturnValue() {
        // Python 3.13: close() returns the value a body returns when it catches GeneratorExit.
        // snippet:return-on-close
        Generator<Integer, Void, Integer> counter = Generator.of(y -> {
            int n = 0;
            try {
                while (true) {
                    y.yield(++n);
                }
            } catch (GeneratorExit e) {
                return n;
            }
        });
        counter.next();
        counter.next();
        counter.close();
        assertTrue(counter.hasReturned());
        assertEquals(2, counter.returnValue());
        // end-snippet
    }

    @Test
    void exceptionRaisedWhileClosingPropagatesFromClose() {
        IllegalStateException cleanupFailed = new IllegalStateException("cleanup failed");
        Generator<Integer, Void, Void> g = Generator.of(y -> {
            try {
                y.yield(1);
            } finally {
                throw cleanupFailed;
            }
        });
        g.next();
        assertSame(cleanupFailed, assertThrows(IllegalStateException.class, g::close));
        assertEquals(Generator.State.CLOSED, g.state());
    }

    @Test
    void closeDropsAValueBufferedByHasNext() {
        List<String> trace = new ArrayList<>();
        Generator<Integer, Void, Void> g = oneTwoThree(trace);
        assertTrue(g.hasNext());
        g.close();
        assertFalse(g.hasNext());
        assertThrows(StopIteration.class, g::next);
    }

    @Test
    void tryWithResourcesClosesAnAbandonedGenerator() {
        List<String> trace = new ArrayList<>();
        // snippet:try-with-resources
        try (Generator<Integer, Void, Void> g = Generator.of(y -> {
            try {
                for (int i = 0; ; i++) {
                    y.yield(i);
                }
            } finally {
                trace.add("cleaned up");
            }
        })) {
            for (int i : g) {
                if (i == 3) {
                    break;
                }
            }
            assertEquals(List.of(), trace, "breaking out of the loop does not close the generator");
        }
        assertEquals(List.of("cleaned up"), trace);
        // end-snippet
    }

    // ---------------------------------------------------------------- misuse: re-entry, yield outside, threads

    @Test
    void reenteringARunningGeneratorFails() {
        AtomicReference<Generator<Integer, Void, Void>> self = new AtomicReference<>();
        Generator<Integer, Void, Void> g = Generator.of(y -> {
            assertEquals(Generator.State.RUNNING, self.get().state());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> self.get().next());
            assertEquals("generator already executing", e.getMessage());
            IllegalStateException close = assertThrows(IllegalStateException.class, () -> self.get().close());
            assertTrue(close.getMessage().contains("called from its own body"), close.getMessage());
            y.yield(1);
            return null;
        });
        self.set(g);
        assertEquals(1, g.next());
        assertEquals(Generator.State.SUSPENDED, g.state());
    }

    @Test
    void yieldOutsideTheBodyFails() {
        AtomicReference<Yielder<Integer, Void>> leaked = new AtomicReference<>();
        Generator<Integer, Void, Void> g = Generator.of(y -> {
            leaked.set(y);
            y.yield(1);
            return null;
        });
        g.next();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> leaked.get().yield(2));
        assertTrue(e.getMessage().contains("outside its body"), e.getMessage());
        assertEquals(Generator.State.SUSPENDED, g.state());
    }

    @Test
    void yieldOfAnOuterGeneratorFromAnInnerOneFails() {
        Generator<Integer, Void, Void> outer = Generator.of(yo -> {
            Generator<Integer, Void, Void> inner = Generator.of(yi -> {
                yo.yield(99); // the outer generator's yield, inside another generator's body
                return null;
            });
            IllegalStateException e = assertThrows(IllegalStateException.class, inner::next);
            assertTrue(e.getMessage().contains("outside its body"), e.getMessage());
            yo.yield(1);
            return null;
        });
        assertEquals(1, outer.next());
    }

    @Test
    void usingAGeneratorFromAnotherThreadFails() throws Exception {
        Generator<Integer, Void, Void> g = oneTwoThree(new ArrayList<>());
        assertEquals(1, g.next());
        AtomicReference<Throwable> fromOther = new AtomicReference<>();
        Thread other = Thread.ofPlatform().name("intruder").start(() -> {
            try {
                g.next();
                fail("next() from another thread must fail");
            } catch (Throwable t) {
                fromOther.set(t);
            }
        });
        other.join();
        IllegalStateException e = assertInstanceOf(IllegalStateException.class, fromOther.get());
        assertTrue(e.getMessage().contains(Thread.currentThread().getName()) && e.getMessage().contains("intruder"),
                e.getMessage());
        assertEquals(2, g.next(), "the owner can go on");
    }

    @Test
    void closeFromAnotherThreadIsRefusedAndLeavesTheGeneratorAsItWas() throws Exception {
        List<String> trace = new ArrayList<>();
        Generator<Integer, Void, Void> g = oneTwoThree(trace);
        assertTrue(g.hasNext());
        AtomicReference<Throwable> fromOther = new AtomicReference<>();
        Thread other = Thread.ofPlatform().start(() -> {
            try {
                g.close();
            } catch (Throwable t) {
                fromOther.set(t);
            }
        });
        other.join();
        assertInstanceOf(IllegalStateException.class, fromOther.get());
        assertEquals(Generator.State.SUSPENDED, g.state());
        assertEquals(1, g.next(), "the value fetched by hasNext() is still there");
        assertEquals(List.of("start"), trace);
    }

    @Test
    void aGeneratorBelongsToTheThreadThatFirstRunsIt() throws Exception {
        Generator<Integer, Void, Void> g = oneTwoThree(new ArrayList<>());
        AtomicReference<Integer> first = new AtomicReference<>();
        Thread runner = Thread.ofPlatform().start(() -> first.set(g.next()));
        runner.join();
        assertEquals(1, first.get());
        assertThrows(IllegalStateException.class, g::next);
    }

    @Test
    void toStringShowsTheState() {
        Generator<Integer, Void, Void> g = oneTwoThree(new ArrayList<>());
        assertTrue(g.toString().startsWith("<Generator created "), g.toString());
        g.next();
        assertTrue(g.toString().startsWith("<Generator suspended "), g.toString());
    }
}
