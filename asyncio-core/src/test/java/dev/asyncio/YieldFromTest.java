package dev.asyncio;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Yielder#yieldFrom}: PEP 380 and CPython's test_pep380, where they apply to a Java generator
 * (delegation to arbitrary iterators and the attribute-lookup cases have no equivalent here).
 */
class YieldFromTest {
    private final List<String> trace = new ArrayList<>();

    @Test
    void initialNextIsDelegatedToTheSubgenerator() {
        Generator<String, Void, Void> g2 = Generator.of(y -> {
            trace.add("Starting g2");
            y.yield("g2 spam");
            trace.add("Finishing g2");
            return null;
        });
        Generator<String, Void, Void> g1 = Generator.of(y -> {
            trace.add("Starting g1");
            y.yieldFrom(g2);
            trace.add("Finishing g1");
            return null;
        });
        for (String x : g1) {
            trace.add("Yielded " + x);
        }
        assertEquals(List.of("Starting g1", "Starting g2", "Yielded g2 spam", "Finishing g2", "Finishing g1"), trace);
    }

    @Test
    void exceptionInTheInitialNextOfTheSubgeneratorReachesTheDelegator() {
        IllegalStateException spanish = new IllegalStateException("spanish inquisition occurred");
        Generator<String, Void, Void> g2 = Generator.of(y -> {
            trace.add("Starting g2");
            throw spanish;
        });
        Generator<String, Void, Void> g1 = Generator.of(y -> {
            try {
                trace.add("Starting g1");
                y.yieldFrom(g2);
            } finally {
                trace.add("Finishing g1");
            }
            return null;
        });
        assertSame(spanish, assertThrows(IllegalStateException.class, g1::next));
        assertEquals(List.of("Starting g1", "Starting g2", "Finishing g1"), trace);
    }

    @Test
    void nextCallsAreDelegatedAndValuesOfBothLevelsInterleave() {
        Generator<String, Void, Void> g1 = Generator.of(y -> {
            trace.add("Starting g1");
            y.yield("g1 ham");
            y.yieldFrom(Generator.<String, Void, Void>of(y2 -> {
                trace.add("Starting g2");
                y2.yield("g2 spam");
                y2.yield("g2 more spam");
                trace.add("Finishing g2");
                return null;
            }));
            y.yield("g1 eggs");
            trace.add("Finishing g1");
            return null;
        });
        for (String x : g1) {
            trace.add("Yielded " + x);
        }
        assertEquals(List.of("Starting g1", "Yielded g1 ham", "Starting g2", "Yielded g2 spam", "Yielded g2 more spam",
                "Finishing g2", "Yielded g1 eggs", "Finishing g1"), trace);
    }

    @Test
    void sendIsDelegatedAndNullSendsBecomeNext() {
        Generator<String, String, Void> g2 = Generator.of(y -> {
            trace.add("Starting g2");
            String x = y.yield("g2 spam");
            trace.add("g2 received " + x);
            x = y.yield("g2 more spam");
            trace.add("g2 received " + x);
            trace.add("Finishing g2");
            return null;
        });
        Generator<String, String, Void> g1 = Generator.of(y -> {
            trace.add("Starting g1");
            String x = y.yield("g1 ham");
            trace.add("g1 received " + x);
            y.yieldFrom(g2);
            x = y.yield("g1 eggs");
            trace.add("g1 received " + x);
            trace.add("Finishing g1");
            return null;
        });
        trace.add("Yielded " + g1.next());
        int i = 1;
        try {
            while (true) {
                String sent = i == 3 ? null : String.valueOf(i);
                trace.add("Yielded " + g1.send(sent));
                i++;
            }
        } catch (StopIteration end) {
            // done
        }
        assertEquals(List.of("Starting g1", "Yielded g1 ham", "g1 received 1", "Starting g2", "Yielded g2 spam",
                "g2 received 2", "Yielded g2 more spam", "g2 received null", "Finishing g2", "Yielded g1 eggs",
                "g1 received 4", "Finishing g1"), trace);
    }

    @Test
    void exceptionWhileDelegatingASendReachesTheDelegatorAndTheCaller() {
        IllegalArgumentException hovercraft = new IllegalArgumentException("hovercraft is full of eels");
        Generator<String, String, Void> g2 = Generator.of(y -> {
            trace.add("Starting g2");
            String x = y.yield("g2 spam");
            trace.add("g2 received " + x);
            throw hovercraft;
        });
        Generator<String, String, Void> g1 = Generator.of(y -> {
            try {
                trace.add("Starting g1");
                y.yieldFrom(g2);
            } finally {
                trace.add("Finishing g1");
            }
            return null;
        });
        assertEquals("g2 spam", g1.next());
        assertSame(hovercraft, assertThrows(IllegalArgumentException.class, () -> g1.send("1")));
        assertEquals(List.of("Starting g1", "Starting g2", "g2 received 1", "Finishing g1"), trace);
    }

    @Test
    void closeIsDelegatedInnermostFirst() {
        Generator<String, Void, Void> g2 = Generator.of(y -> {
            try {
                trace.add("Starting g2");
                y.yield("g2 spam");
                y.yield("g2 more spam");
            } finally {
                trace.add("Finishing g2");
            }
            return null;
        });
        Generator<String, Void, Void> g1 = Generator.of(y -> {
            try {
                trace.add("Starting g1");
                y.yieldFrom(g2);
            } finally {
                trace.add("Finishing g1");
            }
            return null;
        });
        assertEquals("g2 spam", g1.next());
        g1.close();
        assertEquals(List.of("Starting g1", "Starting g2", "Finishing g2", "Finishing g1"), trace);
        assertEquals(Generator.State.CLOSED, g2.state());
        assertEquals(Generator.State.CLOSED, g1.state());
    }

    @Test
    void exceptionRaisedWhileTheSubgeneratorClosesReplacesGeneratorExit() {
        IllegalArgumentException nobody = new IllegalArgumentException("nobody expects the spanish inquisition!");
        Generator<String, Void, Void> g2 = Generator.of(y -> {
            try {
                y.yield("g2 spam");
            } finally {
                trace.add("Finishing g2");
                throw nobody;
            }
        });
        Generator<String, Void, Void> g1 = Generator.of(y -> {
            try {
                y.yieldFrom(g2);
            } finally {
                trace.add("Finishing g1");
            }
            return null;
        });
        g1.next();
        assertSame(nobody, assertThrows(IllegalArgumentException.class, g1::close));
        assertEquals(List.of("Finishing g2", "Finishing g1"), trace);
    }

    @Test
    void throwIsDelegatedAndAnUncaughtOneUnwindsBothLevels() {
        Generator<String, Void, Void> g2 = Generator.of(y -> {
            try {
                trace.add("Starting g2");
                y.yield("g2 spam");
                y.yield("g2 more spam");
            } finally {
                trace.add("Finishing g2");
            }
            return null;
        });
        Generator<String, Void, Void> g1 = Generator.of(y -> {
            try {
                trace.add("Starting g1");
                y.yield("g1 ham");
                y.yieldFrom(g2);
                y.yield("g1 eggs");
            } finally {
                trace.add("Finishing g1");
            }
            return null;
        });
        IllegalArgumentException tomato = new IllegalArgumentException("tomato ejected");
        assertEquals("g1 ham", g1.next());
        assertEquals("g2 spam", g1.next());
        assertSame(tomato, assertThrows(IllegalArgumentException.class, () -> g1.throwInto(tomato)));
        assertEquals(List.of("Starting g1", "Starting g2", "Finishing g2", "Finishing g1"), trace);
    }

    @Test
    void throwCaughtByTheSubgeneratorReturnsItsNextValue() {
        Generator<String, Void, Void> g2 = Generator.of(y -> {
            while (true) {
                try {
                    y.yield("ready");
                } catch (IllegalArgumentException reset) {
                    trace.add("g2 reset: " + reset.getMessage());
                }
            }
        });
        Generator<String, Void, Void> g1 = Generator.of(y -> {
            y.yieldFrom(g2);
            return null;
        });
        g1.next();
        assertEquals("ready", g1.throwInto(new IllegalArgumentException("different city")));
        assertEquals(List.of("g2 reset: different city"), trace);
    }

    @Test
    void yieldFromReturnsTheSubgeneratorsReturnValue() {
        Generator<Integer, Void, String> g2 = Generator.of(y -> {
            y.yield(1);
            return "g2 result";
        });
        Generator<Integer, Void, String> g1 = Generator.of(y -> {
            String r = y.yieldFrom(g2);
            trace.add("g2 returned " + r);
            return "g1 saw " + r;
        });
        assertEquals(1, g1.next());
        assertEquals("g1 saw g2 result", assertThrows(StopIteration.class, g1::next).value());
        assertEquals(List.of("g2 returned g2 result"), trace);
    }

    @Test
    void returnValueComesBackWhenTheSubgeneratorFinishesOnASend() {
        // snippet:return-value
        Generator<Integer, Integer, Integer> adder = Generator.of(y -> {
            int sum = 0;
            Integer x;
            while ((x = y.yield(sum)) != null) {
                sum += x;
            }
            return sum;
        });
        Generator<Integer, Integer, Integer> g1 = Generator.of(y -> y.yieldFrom(adder) * 10);
        assertEquals(0, g1.next());
        assertEquals(3, g1.send(3));
        assertEquals(7, g1.send(4));
        assertEquals(70, assertThrows(StopIteration.class, () -> g1.send(null)).value());
        // end-snippet
    }

    @Test
    void returnValueComesBackWhenTheSubgeneratorCatchesAThrowAndReturns() {
        Generator<Integer, Void, String> g2 = Generator.of(y -> {
            try {
                y.yield(1);
            } catch (IllegalArgumentException e) {
                return "caught " + e.getMessage();
            }
            return "not caught";
        });
        Generator<Integer, Void, String> g1 = Generator.of(y -> {
            String r = y.yieldFrom(g2);
            y.yield(2);
            return r;
        });
        g1.next();
        assertEquals(2, g1.throwInto(new IllegalArgumentException("it")));
        assertEquals("caught it", assertThrows(StopIteration.class, g1::next).value());
    }

    @Test
    void delegatorCanCatchWhatTheSubgeneratorRaisesAndGoOn() {
        Generator<Integer, Void, Void> g2 = Generator.of(y -> {
            y.yield(1);
            throw new IllegalStateException("g2 failed");
        });
        Generator<Integer, Void, Void> g1 = Generator.of(y -> {
            try {
                y.yieldFrom(g2);
            } catch (IllegalStateException e) {
                trace.add("g1 caught " + e.getMessage());
            }
            y.yield(2);
            return null;
        });
        List<Integer> got = new ArrayList<>();
        g1.forEachRemaining(got::add);
        assertEquals(List.of(1, 2), got);
        assertEquals(List.of("g1 caught g2 failed"), trace);
    }

    @Test
    void generatorExitThrownInIsDelegatedAsClose() {
        Generator<String, Void, Void> f = Generator.of(y -> {
            try {
                trace.add("Enter f");
                y.yield(null);
                trace.add("Exit f");
            } catch (GeneratorExit e) {
                trace.add("f closed");
                return null;
            }
            return null;
        });
        Generator<String, Void, Void> g = Generator.of(y -> {
            trace.add("Enter g");
            y.yieldFrom(f);
            trace.add("Exit g");
            return null;
        });
        g.next();
        GeneratorExit exit = new GeneratorExit();
        assertSame(exit, assertThrows(GeneratorExit.class, () -> g.throwInto(exit)));
        assertEquals(List.of("Enter g", "Enter f", "f closed"), trace);
    }

    @Test
    void subgeneratorThatYieldsOnGeneratorExitMakesTheDelegatorFail() {
        Generator<String, Void, Void> f = Generator.of(y -> {
            try {
                y.yield("f");
            } catch (GeneratorExit e) {
                y.yield("f refuses to close");
            }
            return null;
        });
        Generator<String, Void, Void> g = Generator.of(y -> {
            y.yieldFrom(f);
            return null;
        });
        g.next();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> g.throwInto(new GeneratorExit()));
        assertTrue(e.getMessage().contains("ignored GeneratorExit"), e.getMessage());
    }

    @Test
    void subgeneratorThatRaisesOnGeneratorExitPassesItsExceptionOn() {
        IllegalArgumentException vorpal = new IllegalArgumentException("Vorpal bunny encountered");
        Generator<String, Void, Void> f = Generator.of(y -> {
            try {
                y.yield("f");
            } catch (GeneratorExit e) {
                throw vorpal;
            }
            return null;
        });
        Generator<String, Void, Void> g = Generator.of(y -> {
            y.yieldFrom(f);
            return null;
        });
        g.next();
        assertSame(vorpal, assertThrows(IllegalArgumentException.class, () -> g.throwInto(new GeneratorExit())));
    }

    @Test
    void yieldFromAnEmptyGeneratorReturnsAtOnce() {
        Generator<Integer, Void, String> empty = Generator.of(y -> "nothing to yield");
        Generator<Integer, Void, Void> g = Generator.of(y -> {
            trace.add(y.yieldFrom(empty));
            y.yield(1);
            return null;
        });
        assertEquals(1, g.next());
        assertEquals(List.of("nothing to yield"), trace);
    }

    @Test
    void yieldFromAFinishedGeneratorReturnsNullAsPythonDoes() {
        Generator<Integer, Void, String> done = Generator.of(y -> "value given once");
        assertThrows(StopIteration.class, done::next);
        Generator<Integer, Void, String> closed = Generator.of(y -> {
            y.yield(1);
            return "never";
        });
        closed.next();
        closed.close();
        Generator<Integer, Void, Void> g = Generator.of(y -> {
            trace.add(String.valueOf(y.yieldFrom(done)));
            trace.add(String.valueOf(y.yieldFrom(closed)));
            return null;
        });
        assertThrows(StopIteration.class, g::next);
        assertEquals(List.of("null", "null"), trace);
    }

    @Test
    void yieldFromAnAlreadyStartedGeneratorContinuesWhereItIs() {
        Generator<Integer, Void, Void> counter = Generator.of(y -> {
            for (int i = 1; i <= 4; i++) {
                y.yield(i);
            }
            return null;
        });
        counter.next();
        counter.next();
        Generator<Integer, Void, Void> g = Generator.of(y -> {
            y.yieldFrom(counter);
            return null;
        });
        List<Integer> got = new ArrayList<>();
        g.forEachRemaining(got::add);
        assertEquals(List.of(3, 4), got);
    }

    @Test
    void yieldFromOutsideTheBodyFailsWithoutTouchingTheSubgenerator() {
        java.util.concurrent.atomic.AtomicReference<Yielder<Integer, Void>> leaked = new java.util.concurrent.atomic.AtomicReference<>();
        Generator<Integer, Void, Void> g = Generator.of(y -> {
            leaked.set(y);
            y.yield(1);
            return null;
        });
        g.next();
        Generator<Integer, Void, Void> sub = Generator.of(y -> {
            trace.add("sub ran");
            y.yield(2);
            return null;
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> leaked.get().yieldFrom(sub));
        assertTrue(e.getMessage().contains("outside its body"), e.getMessage());
        assertEquals(Generator.State.CREATED, sub.state());
        assertEquals(List.of(), trace);
    }

    @Test
    void delegatingToItselfFails() {
        java.util.concurrent.atomic.AtomicReference<Generator<Integer, Void, Void>> self = new java.util.concurrent.atomic.AtomicReference<>();
        Generator<Integer, Void, Void> g = Generator.of(y -> {
            y.yieldFrom(self.get());
            return null;
        });
        self.set(g);
        IllegalStateException e = assertThrows(IllegalStateException.class, g::next);
        assertTrue(e.getMessage().contains("itself"), e.getMessage());
    }

    @Test
    void delegatingGeneratorsClaimToBeRunning() {
        // test_pep380.test_delegating_generators_claim_to_be_running: two() tries to delegate back to one().
        java.util.concurrent.atomic.AtomicReference<Generator<Integer, Void, Void>> g1 = new java.util.concurrent.atomic.AtomicReference<>();
        Generator<Integer, Void, Void> two = Generator.of(y -> {
            y.yield(1);
            try {
                y.yieldFrom(g1.get());
            } catch (IllegalStateException e) {
                trace.add(e.getMessage());
            }
            y.yield(2);
            return null;
        });
        Generator<Integer, Void, Void> one = Generator.of(y -> {
            y.yield(0);
            y.yieldFrom(two);
            y.yield(3);
            return null;
        });
        g1.set(one);
        List<Integer> got = new ArrayList<>();
        one.forEachRemaining(got::add);
        assertEquals(List.of(0, 1, 2, 3), got);
        assertEquals(List.of("generator already executing"), trace);
    }

    @Test
    void threeLevelsForwardSendThrowAndClose() {
        // snippet:three-levels
        Generator<String, String, Void> inner = Generator.of(y -> {
            try {
                String received = null;
                while (true) {
                    try {
                        received = y.yield("inner got " + received);
                    } catch (IllegalArgumentException e) {
                        received = "throw(" + e.getMessage() + ")";
                    }
                }
            } finally {
                trace.add("inner closed");
            }
        });
        Generator<String, String, Void> middle = Generator.of(y -> {
            try {
                y.yieldFrom(inner);
            } finally {
                trace.add("middle closed");
            }
            return null;
        });
        Generator<String, String, Void> outer = Generator.of(y -> {
            try {
                y.yieldFrom(middle);
            } finally {
                trace.add("outer closed");
            }
            return null;
        });
        assertEquals("inner got null", outer.next());
        assertEquals("inner got a", outer.send("a"));
        assertEquals("inner got throw(b)", outer.throwInto(new IllegalArgumentException("b")));
        outer.close();
        assertEquals(List.of("inner closed", "middle closed", "outer closed"), trace);
        // end-snippet
    }

    @Test
    void yieldFromTheSeedsNativeCoroutineDriver() {
        // A generator-based coroutine awaits another with yieldFrom; `run` drives it with send(null) until
        // StopIteration and returns StopIteration.value, as in the seed 001 talk.
        Generator<Void, Void, Integer> fib = fib(15);
        assertEquals(Generator.State.CREATED, fib.state());
        assertEquals(610, run(fib));
    }

    private static Generator<Void, Void, Integer> fib(int n) {
        return Generator.of(y -> n <= 1 ? n : y.yieldFrom(fib(n - 1)) + y.yieldFrom(fib(n - 2)));
    }

    private static <R> R run(Generator<?, Void, R> coro) {
        try {
            while (true) {
                coro.send(null);
            }
        } catch (StopIteration end) {
            @SuppressWarnings("unchecked")
            R value = (R) end.value();
            return value;
        }
    }
}
