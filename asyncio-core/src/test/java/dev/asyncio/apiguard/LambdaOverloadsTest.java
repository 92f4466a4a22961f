package dev.asyncio.apiguard;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.Condition;
import dev.asyncio.Context;
import dev.asyncio.ContextVar;
import dev.asyncio.FlowSubscriber;
import dev.asyncio.Flows;
import dev.asyncio.Future;
import dev.asyncio.Generator;
import dev.asyncio.LoopGroup;
import dev.asyncio.PriorityQueue;
import dev.asyncio.Runner;
import dev.asyncio.Task;
import dev.asyncio.TaskGroup;
import dev.asyncio.Timeout;
import dev.asyncio.UnixSignal;
import dev.asyncio.Yielder;
import dev.asyncio.test.internal.FunctionalOverloads;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guards the public API of asyncio-core against overloads that make a caller's lambda or method reference
 * ambiguous (house rule: a public overload must never do that; {@code Context.run(Runnable)} beside
 * {@code run(Callable)} once broke {@code ctx.run(var::get)}).
 *
 * <p>First guard, at compile time: {@link #everyMethodTakingALambdaAcceptsAllThreeForms} calls every public
 * method that takes a functional interface with an expression lambda, a block lambda and a method reference
 * (and, where the twin exists, a block lambda returning nothing). An overload added later that makes one of
 * these calls ambiguous stops this file from compiling. The calls also run, so the overload Java picked is
 * checked too (a value-returning lambda must reach the {@code Coroutine} twin and give its value back).
 * This class lives outside package {@code dev.asyncio} so that it sees what a user sees.
 *
 * <p>Second guard, by reflection: {@link #overloadPairsAreTheReviewedOnes} lists every place where two
 * overloads take different functional interfaces at the same position and compares it with the reviewed
 * list; {@link #theCompileGuardCoversEveryMethodTakingALambda} checks that this file has a group for every
 * public method that takes one. A new method or pair fails one of them until it is reviewed and added here.
 *
 * <p>Known limit of the reviewed {@code Coroutine}/{@code AsyncRunnable} twins (kept: the API contract
 * promises both, as {@code ExecutorService.submit(Callable)}/{@code submit(Runnable)} do): a method
 * reference to an <em>overloaded</em> method, such as {@code Asyncio.run(VAR::get)} ({@code ContextVar.get()}
 * and {@code get(T)}), is inexact, fits both twins, and does not compile; write {@code () -> VAR.get()}.
 * Method references to methods that are not overloaded, and every lambda, compile (checked below).
 */
class LambdaOverloadsTest {
    private static final ContextVar<String> VAR = new ContextVar<>("var", "default");

    /**
     * The reviewed places where overloads take different functional interfaces at the same position. The
     * Coroutine/AsyncRunnable twins are the API contract's rule; TimeoutBody takes one argument, so a lambda's
     * arity picks it.
     */
    private static final Set<String> REVIEWED_PAIRS = new TreeSet<>(List.of(
            "AsyncLoop.createTask(1 args) #0: AsyncRunnable | Coroutine",
            "AsyncLoop.createTask(2 args) #0: AsyncRunnable | Coroutine",
            "AsyncLoop.createTask(3 args) #0: AsyncRunnable | Coroutine",
            "AsyncLoop.runUntilComplete(1 args) #0: AsyncRunnable | Coroutine",
            "AsyncLoop.submit(1 args) #0: AsyncRunnable | Coroutine",
            "Asyncio.createTask(1 args) #0: AsyncRunnable | Coroutine",
            "Asyncio.createTask(2 args) #0: AsyncRunnable | Coroutine",
            "Asyncio.createTask(3 args) #0: AsyncRunnable | Coroutine",
            "Asyncio.run(1 args) #0: AsyncRunnable | Coroutine",
            "Asyncio.run(2 args) #0: AsyncRunnable | Coroutine",
            "Asyncio.runCoroutineThreadsafe(2 args) #0: AsyncRunnable | Coroutine",
            "Asyncio.runMain(1 args) #0: AsyncRunnable | Coroutine",
            "Asyncio.shield(1 args) #0: AsyncRunnable | Coroutine",
            "Asyncio.timeout(2 args) #1: AsyncRunnable | Coroutine | TimeoutBody",
            "Asyncio.timeoutAt(2 args) #1: AsyncRunnable | Coroutine | TimeoutBody",
            "Asyncio.waitFor(2 args) #0: AsyncRunnable | Coroutine",
            "Flows.fromCoroutine(1 args) #0: AsyncRunnable | Coroutine",
            "LoopGroup.runOn(2 args) #1: AsyncRunnable | Coroutine",
            "LoopGroup.runOnEach(1 args) #0: AsyncRunnable | Coroutine",
            "Flows.fromCoroutine(2 args) #1: AsyncRunnable | Coroutine",
            "Runner.run(1 args) #0: AsyncRunnable | Coroutine",
            "TaskGroup.createTask(1 args) #0: AsyncRunnable | Coroutine",
            "TaskGroup.createTask(2 args) #0: AsyncRunnable | Coroutine",
            "TaskGroup.createTask(3 args) #0: AsyncRunnable | Coroutine"));

    static int answer() {
        return 42;
    }

    static void nothing() {
    }

    static double deadlineOf(Timeout t) {
        return t.when();
    }

    static String inGroup(TaskGroup g) {
        return "grouped";
    }

    static String countToTwo(Yielder<Integer, Void> y) {
        y.yield(1);
        y.yield(2);
        return "counted";
    }

    static void onDone(Future<?> f) {
    }

    /**
     * A method usable as a {@code Flow.Publisher<T>} reference must be generic in its subscriber: javac captures
     * {@code Subscriber<? super T>} before inferring {@code T}, so no method taking a
     * {@code Subscriber<? super Integer>} (nor {@code somePublisher::subscribe}) is accepted where a
     * {@code Flow.Publisher<T>} is inferred; the same holds for every API that takes one, the JDK's included.
     */
    @SuppressWarnings("unchecked")
    static <T> void publishAnswer(Flow.Subscriber<T> s) {
        Flows.fromCoroutine(() -> 42).subscribe((Flow.Subscriber<Object>) s);
    }

    static boolean yes() {
        return true;
    }

    static void ignoreError(AsyncLoop loop, Map<String, Object> context) {
    }

    static AsyncLoop virtualLoop() {
        return AsyncLoop.builder().virtualTime(true).build();
    }

    @Test
    void everyMethodTakingALambdaAcceptsAllThreeForms() {
        List<Object> got = new ArrayList<>();

        // Asyncio.run
        got.add(Asyncio.run(() -> 42));
        got.add(Asyncio.run(() -> {
            return 42;
        }));
        Asyncio.run(() -> {
            nothing();
        });
        got.add(Asyncio.run(LambdaOverloadsTest::answer));
        Asyncio.run(LambdaOverloadsTest::nothing);
        got.add(Asyncio.run(() -> 42, false));
        got.add(Asyncio.run(() -> {
            return 42;
        }, false));
        Asyncio.run(() -> {
            nothing();
        }, false);
        got.add(Asyncio.run(LambdaOverloadsTest::answer, false));
        Asyncio.run(LambdaOverloadsTest::nothing, false);
        // Asyncio.runMain
        got.add(Asyncio.runMain(() -> 42));
        got.add(Asyncio.runMain(() -> {
            return 42;
        }));
        Asyncio.runMain(() -> {
            nothing();
        });
        got.add(Asyncio.runMain(LambdaOverloadsTest::answer));
        Asyncio.runMain(LambdaOverloadsTest::nothing);
        assertEquals(List.of(42, 42, 42, 42, 42, 42, 42, 42, 42), got, "each value-returning form reached the Coroutine twin");
        got.clear();

        // Runner.<init>
        try (Runner a = new Runner(() -> virtualLoop());
             Runner b = new Runner(() -> {
                 return virtualLoop();
             });
             Runner runner = new Runner(LambdaOverloadsTest::virtualLoop)) {
            assertTrue(a.getLoop().isVirtualTime() && b.getLoop().isVirtualTime());
            // Runner.run
            got.add(runner.run(() -> 42));
            got.add(runner.run(() -> {
                return 42;
            }));
            runner.run(() -> {
                nothing();
            });
            got.add(runner.run(LambdaOverloadsTest::answer));
            runner.run(LambdaOverloadsTest::nothing);
            assertEquals("in a task", runner.run(() -> inATask(got)));
        }
        assertEquals(List.<Object>of(42, 42, 42,
                "grouped", "grouped", "grouped", // TaskGroup.run
                42, 42, 42, 5.0, 5.0, 5.0, // timeout
                42, 42, 5.0, 5.0, 5.0, // timeoutAt
                42, 42, 42, // waitFor
                42, 42, // shield
                42, 42, 42, 42, 42, // toThread, runCoroutineThreadsafe
                42, 42, 42, // runInExecutor
                true, true, true), got); // awaitFor

        try (AsyncLoop loop = virtualLoop()) {
            // AsyncLoop.runUntilComplete
            assertEquals(42, loop.runUntilComplete(() -> 42));
            assertEquals(42, loop.runUntilComplete(() -> {
                return 42;
            }));
            loop.runUntilComplete(() -> {
                nothing();
            });
            assertEquals(42, loop.runUntilComplete(LambdaOverloadsTest::answer));
            loop.runUntilComplete(LambdaOverloadsTest::nothing);
            // AsyncLoop.setExceptionHandler
            loop.setExceptionHandler((l, c) -> ignoreError(l, c));
            loop.setExceptionHandler((l, c) -> {
                ignoreError(l, c);
            });
            loop.setExceptionHandler(LambdaOverloadsTest::ignoreError);
            loop.setExceptionHandler(null);
        }

        try (LoopGroup group = LoopGroup.builder().size(1).name("apiguard-group").build()) {
            AsyncLoop l = group.loop(0);
            List<Object> grouped = new ArrayList<>();
            // LoopGroup.runOn
            grouped.add(group.runOn(l, () -> 42).join());
            grouped.add(group.runOn(l, () -> {
                return 42;
            }).join());
            group.runOn(l, () -> {
                nothing();
            }).join();
            grouped.add(group.runOn(l, LambdaOverloadsTest::answer).join());
            group.runOn(l, LambdaOverloadsTest::nothing).join();
            // LoopGroup.runOnEach
            grouped.add(group.runOnEach(() -> 42).get(0).join());
            grouped.add(group.runOnEach(() -> {
                return 42;
            }).get(0).join());
            group.runOnEach(() -> {
                nothing();
            }).get(0).join();
            grouped.add(group.runOnEach(LambdaOverloadsTest::answer).get(0).join());
            group.runOnEach(LambdaOverloadsTest::nothing).get(0).join();
            assertEquals(List.of(42, 42, 42, 42, 42, 42), grouped, "each value-returning form reached the Coroutine twin");
        }
        // Context.run
        Context ctx = new Context();
        assertEquals("default", ctx.run(VAR::get), "the method reference of the issue: ContextVar.get is overloaded");
        assertEquals("x", ctx.run(() -> VAR.get("x")));
        assertEquals("y", ctx.run(() -> {
            return VAR.get("y");
        }));
        assertEquals(42, ctx.run(LambdaOverloadsTest::answer));

        // Generator.of
        Generator<Integer, Void, Void> one = Generator.of(y -> y.yield(1));
        Generator<Integer, Void, String> two = Generator.of(y -> {
            y.yield(1);
            return "done";
        });
        Generator<Integer, Void, String> counted = Generator.of(LambdaOverloadsTest::countToTwo);
        assertEquals(List.of(1), one.stream().toList());
        assertEquals(List.of(1), two.stream().toList());
        assertEquals(List.of(1, 2), counted.stream().toList());
        assertEquals("counted", counted.returnValue());

        // PriorityQueue.<init>
        PriorityQueue<String> byLength = new PriorityQueue<>(0, (x, y) -> Integer.compare(x.length(), y.length()));
        PriorityQueue<String> byLengthBlock = new PriorityQueue<>(0, (x, y) -> {
            return Integer.compare(x.length(), y.length());
        });
        PriorityQueue<String> natural = new PriorityQueue<>(0, String::compareTo);
        for (PriorityQueue<String> q : List.of(byLength, byLengthBlock, natural)) {
            q.putNowait("ccc");
            q.putNowait("a");
            assertEquals("a", q.getNowait());
        }
    }

    /** The groups that need a running task; returns what each value-returning form gave. */
    private static Object inATask(List<Object> got) {
        AsyncLoop loop = Asyncio.getRunningLoop();

        // Asyncio.createTask
        List<Task<?>> tasks = new ArrayList<>();
        tasks.add(Asyncio.createTask(() -> 42));
        tasks.add(Asyncio.createTask(() -> {
            return 42;
        }));
        tasks.add(Asyncio.createTask(() -> {
            nothing();
        }));
        tasks.add(Asyncio.createTask(LambdaOverloadsTest::answer));
        tasks.add(Asyncio.createTask(LambdaOverloadsTest::nothing));
        tasks.add(Asyncio.createTask(() -> 42, "named"));
        tasks.add(Asyncio.createTask(() -> {
            nothing();
        }, "named"));
        tasks.add(Asyncio.createTask(LambdaOverloadsTest::answer, "named"));
        tasks.add(Asyncio.createTask(LambdaOverloadsTest::nothing, "named"));
        tasks.add(Asyncio.createTask(() -> 42, "named", null));
        tasks.add(Asyncio.createTask(() -> {
            nothing();
        }, "named", null));
        tasks.add(Asyncio.createTask(LambdaOverloadsTest::answer, "named", null));
        tasks.add(Asyncio.createTask(LambdaOverloadsTest::nothing, "named", null));
        // AsyncLoop.createTask
        tasks.add(loop.createTask(() -> 42));
        tasks.add(loop.createTask(() -> {
            nothing();
        }));
        tasks.add(loop.createTask(LambdaOverloadsTest::answer));
        tasks.add(loop.createTask(LambdaOverloadsTest::nothing));
        tasks.add(loop.createTask(() -> 42, "named"));
        tasks.add(loop.createTask(LambdaOverloadsTest::nothing, "named"));
        tasks.add(loop.createTask(() -> 42, "named", null));
        tasks.add(loop.createTask(() -> {
            nothing();
        }, "named", null));
        List<Object> results = Asyncio.gather(tasks.toArray(new Task<?>[0]));
        assertEquals(List.of(42, 42, "null", 42, "null", 42, "null", 42, "null", 42, "null", 42, "null",
                        42, "null", 42, "null", 42, "null", 42, "null"),
                results.stream().map(r -> r == null ? "null" : r).toList());

        // TaskGroup.run
        got.add(TaskGroup.run(g -> "grouped"));
        got.add(TaskGroup.run(g -> {
            // TaskGroup.createTask
            g.createTask(() -> 42);
            g.createTask(() -> {
                nothing();
            });
            g.createTask(LambdaOverloadsTest::answer);
            g.createTask(LambdaOverloadsTest::nothing);
            g.createTask(() -> 42, "named");
            g.createTask(LambdaOverloadsTest::nothing, "named");
            g.createTask(() -> 42, "named", null);
            g.createTask(() -> {
                nothing();
            }, "named", null);
            return "grouped";
        }));
        got.add(TaskGroup.run(LambdaOverloadsTest::inGroup));

        // Asyncio.timeout
        got.add(Asyncio.timeout(5, () -> 42));
        got.add(Asyncio.timeout(5, () -> {
            return 42;
        }));
        Asyncio.timeout(5, () -> {
            nothing();
        });
        got.add(Asyncio.timeout(5, LambdaOverloadsTest::answer));
        Asyncio.timeout(5, LambdaOverloadsTest::nothing);
        got.add(Asyncio.timeout(5, t -> t.when()));
        got.add(Asyncio.timeout(5, t -> {
            return t.when();
        }));
        got.add(Asyncio.timeout(5, LambdaOverloadsTest::deadlineOf));
        // Asyncio.timeoutAt
        got.add(Asyncio.timeoutAt(5, () -> 42));
        Asyncio.timeoutAt(5, () -> {
            nothing();
        });
        got.add(Asyncio.timeoutAt(5, LambdaOverloadsTest::answer));
        Asyncio.timeoutAt(5, LambdaOverloadsTest::nothing);
        got.add(Asyncio.timeoutAt(5, t -> t.when()));
        got.add(Asyncio.timeoutAt(5, t -> {
            return t.when();
        }));
        got.add(Asyncio.timeoutAt(5, LambdaOverloadsTest::deadlineOf));

        // Asyncio.waitFor
        got.add(Asyncio.waitFor(() -> 42, 5));
        Asyncio.waitFor(() -> {
            nothing();
        }, 5);
        got.add(Asyncio.waitFor(LambdaOverloadsTest::answer, 5));
        Asyncio.waitFor(LambdaOverloadsTest::nothing, 5);
        got.add(Asyncio.waitFor(Asyncio.createTask(() -> 42), 5));

        // Asyncio.shield
        got.add(Asyncio.shield(() -> 42));
        Asyncio.shield(() -> {
            nothing();
        });
        got.add(Asyncio.shield(LambdaOverloadsTest::answer));
        Asyncio.shield(LambdaOverloadsTest::nothing);

        // Asyncio.toThread
        got.add(Asyncio.toThread(() -> 42));
        got.add(Asyncio.toThread(() -> {
            return 42;
        }));
        got.add(Asyncio.toThread(LambdaOverloadsTest::answer));
        // Asyncio.runCoroutineThreadsafe
        got.add(Asyncio.toThread(() -> Asyncio.runCoroutineThreadsafe(() -> 42, loop).get()));
        Asyncio.toThread(() -> Asyncio.runCoroutineThreadsafe(() -> {
            nothing();
        }, loop).get());
        got.add(Asyncio.toThread(() -> Asyncio.runCoroutineThreadsafe(LambdaOverloadsTest::answer, loop).get()));
        Asyncio.toThread(() -> Asyncio.runCoroutineThreadsafe(LambdaOverloadsTest::nothing, loop).get());
        // AsyncLoop.runInExecutor
        got.add(loop.runInExecutor(null, () -> 42).await());
        got.add(loop.runInExecutor(null, () -> {
            return 42;
        }).await());
        got.add(loop.runInExecutor(null, LambdaOverloadsTest::answer).await());

        // AsyncLoop.callSoon
        List<String> calls = new ArrayList<>();
        loop.callSoon(() -> calls.add("soon"));
        loop.callSoon(() -> {
            calls.add("soon");
        });
        loop.callSoon(LambdaOverloadsTest::nothing);
        loop.callSoon(() -> calls.add("soon"), Context.copyCurrent());
        loop.callSoon(LambdaOverloadsTest::nothing, null);
        // AsyncLoop.callLater
        loop.callLater(1, () -> calls.add("later"));
        loop.callLater(1, () -> {
            calls.add("later");
        });
        loop.callLater(1, LambdaOverloadsTest::nothing);
        // AsyncLoop.callAt
        loop.callAt(loop.time() + 1, () -> calls.add("at"));
        loop.callAt(loop.time() + 1, () -> {
            calls.add("at");
        });
        loop.callAt(loop.time() + 1, LambdaOverloadsTest::nothing);
        // AsyncLoop.callSoonThreadsafe
        loop.callSoonThreadsafe(() -> calls.add("threadsafe"));
        loop.callSoonThreadsafe(() -> {
            calls.add("threadsafe");
        });
        loop.callSoonThreadsafe(LambdaOverloadsTest::nothing);
        // AsyncLoop.submit
        assertEquals(42, loop.submit(() -> 42).await());
        assertEquals(42, loop.submit(() -> {
            return 42;
        }).await());
        loop.submit(() -> {
            nothing();
        }).await();
        assertEquals(42, loop.submit(LambdaOverloadsTest::answer).await());
        loop.submit(LambdaOverloadsTest::nothing).await();
        // AsyncLoop.addSignalHandler
        loop.addSignalHandler(UnixSignal.SIGUSR1, () -> calls.add("signal"));
        loop.addSignalHandler(UnixSignal.SIGUSR1, () -> {
            calls.add("signal");
        });
        loop.addSignalHandler("SIGUSR1", LambdaOverloadsTest::nothing);
        assertTrue(loop.removeSignalHandler(UnixSignal.SIGUSR1), "registered once, whatever form the callback took");
        Asyncio.sleep(2);
        assertEquals(List.of("soon", "soon", "soon", "later", "later", "at", "at"),
                calls.stream().filter(c -> !c.equals("threadsafe")).toList());
        assertEquals(2, calls.stream().filter(c -> c.equals("threadsafe")).count());

        // Future.addDoneCallback
        Future<String> f = loop.createFuture();
        f.addDoneCallback(x -> calls.add("done"));
        f.addDoneCallback(x -> {
            calls.add("done");
        });
        f.addDoneCallback(LambdaOverloadsTest::onDone);
        // Future.removeDoneCallback
        // (each evaluation of a lambda or method reference here is a new object, never the one added)
        assertEquals(0, f.removeDoneCallback(LambdaOverloadsTest::onDone) + f.removeDoneCallback(x -> { })
                + f.removeDoneCallback(x -> calls.add("never added")));

        // Flows.fromCoroutine
        List<Object> flowed = new ArrayList<>();
        flowed.add(Flows.awaitSingle(Flows.fromCoroutine(() -> 42)));
        flowed.add(Flows.awaitSingle(Flows.fromCoroutine(() -> {
            return 42;
        })));
        flowed.add(Flows.awaitSingleOrNull(Flows.fromCoroutine(() -> {
            nothing();
        })));
        flowed.add(Flows.awaitSingle(Flows.fromCoroutine(LambdaOverloadsTest::answer)));
        flowed.add(Flows.awaitSingleOrNull(Flows.fromCoroutine(LambdaOverloadsTest::nothing)));
        flowed.add(Flows.awaitSingle(Flows.fromCoroutine(loop, () -> 42)));
        flowed.add(Flows.awaitSingleOrNull(Flows.fromCoroutine(loop, () -> {
            nothing();
        })));
        flowed.add(Flows.awaitSingle(Flows.fromCoroutine(loop, LambdaOverloadsTest::answer)));
        flowed.add(Flows.awaitSingleOrNull(Flows.fromCoroutine(loop, LambdaOverloadsTest::nothing)));
        // Flows.fromGenerator
        flowed.add(Flows.awaitLast(Flows.fromGenerator(y -> y.yield(7))));
        flowed.add(Flows.awaitLast(Flows.fromGenerator(y -> {
            y.yield(1);
            return y.yield(2);
        })));
        flowed.add(Flows.awaitLast(Flows.fromGenerator(LambdaOverloadsTest::countToTwo)));
        flowed.add(Flows.awaitLast(Flows.fromGenerator(loop, LambdaOverloadsTest::countToTwo)));
        flowed.add(Flows.awaitLast(Flows.fromGenerator(loop, Context.copyCurrent(), LambdaOverloadsTest::countToTwo)));
        // a Flow.Publisher is itself a functional interface: publishAnswer says what that allows
        // Flows.awaitFirst
        flowed.add(Flows.awaitFirst(s -> Flows.fromCoroutine(() -> 42).subscribe(s)));
        flowed.add(Flows.awaitFirst(s -> {
            Flows.fromCoroutine(() -> 42).subscribe(s);
        }));
        flowed.add(Flows.awaitFirst(LambdaOverloadsTest::publishAnswer));
        // Flows.awaitFirstOrNull
        flowed.add(Flows.awaitFirstOrNull(s -> Flows.fromCoroutine(() -> 42).subscribe(s)));
        flowed.add(Flows.awaitFirstOrNull(s -> {
            Flows.fromCoroutine(() -> 42).subscribe(s);
        }));
        flowed.add(Flows.awaitFirstOrNull(LambdaOverloadsTest::publishAnswer));
        // Flows.awaitSingle
        flowed.add(Flows.awaitSingle(s -> Flows.fromCoroutine(() -> 42).subscribe(s)));
        flowed.add(Flows.awaitSingle(s -> {
            Flows.fromCoroutine(() -> 42).subscribe(s);
        }));
        flowed.add(Flows.awaitSingle(LambdaOverloadsTest::publishAnswer));
        // Flows.awaitSingleOrNull
        flowed.add(Flows.awaitSingleOrNull(s -> Flows.fromCoroutine(() -> 42).subscribe(s)));
        flowed.add(Flows.awaitSingleOrNull(s -> {
            Flows.fromCoroutine(() -> 42).subscribe(s);
        }));
        flowed.add(Flows.awaitSingleOrNull(LambdaOverloadsTest::publishAnswer));
        // Flows.awaitLast
        flowed.add(Flows.awaitLast(s -> Flows.fromCoroutine(() -> 42).subscribe(s)));
        flowed.add(Flows.awaitLast(s -> {
            Flows.fromCoroutine(() -> 42).subscribe(s);
        }));
        flowed.add(Flows.awaitLast(LambdaOverloadsTest::publishAnswer));
        // Flows.iterate
        try (FlowSubscriber<Object> a = Flows.iterate(s -> Flows.fromCoroutine(() -> 42).subscribe(s));
             FlowSubscriber<Object> b = Flows.iterate(s -> {
                 Flows.fromCoroutine(() -> 42).subscribe(s);
             }, 1);
             FlowSubscriber<Integer> c = Flows.iterate(LambdaOverloadsTest::publishAnswer)) {
            for (FlowSubscriber<?> each : List.of(a, b, c)) {
                for (Object item : each) {
                    flowed.add(item);
                }
            }
        }
        assertEquals(Arrays.asList(42, 42, null, 42, null, 42, null, 42, null, 7, 2, 2, 2, 2,
                42, 42, 42, 42, 42, 42, 42, 42, 42, 42, 42, 42, 42, 42, 42, 42, 42, 42), flowed);

        // Condition.awaitFor
        Condition condition = new Condition();
        try (var held = condition.acquire()) {
            got.add(condition.awaitFor(() -> true));
            got.add(condition.awaitFor(() -> {
                return true;
            }));
            got.add(condition.awaitFor(LambdaOverloadsTest::yes));
        }
        return "in a task";
    }

    @Test
    void overloadPairsAreTheReviewedOnes() {
        Set<String> found = FunctionalOverloads.pairs(FunctionalOverloads.publicClasses(Asyncio.class));
        assertEquals(REVIEWED_PAIRS, found, "a public method gained or lost an overload taking a different "
                + "functional interface at the same position: check that no lambda or method reference became "
                + "ambiguous (add calls to everyMethodTakingALambdaAcceptsAllThreeForms), then update REVIEWED_PAIRS");
    }

    @Test
    void theCompileGuardCoversEveryMethodTakingALambda() {
        Path self = Path.of("src/test/java/dev/asyncio/apiguard/LambdaOverloadsTest.java");
        assertEquals(Set.of(), FunctionalOverloads.withoutCallGroup(Asyncio.class, self), "public methods taking a lambda with no '// Class.method' group of calls "
                + "(expression lambda, block lambda, method reference) in everyMethodTakingALambdaAcceptsAllThreeForms");
    }
}
