package dev.asyncio;

import dev.asyncio.programs.ChildJvm;
import dev.asyncio.programs.NoFlagProgram;
import dev.asyncio.test.AsyncTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The engines: how one is chosen, the errors of the continuation engine (the missing JVM flag, suspensions
 * the JVM cannot perform), and what differs on the thread engine (docs/design.md, "Engines"). The whole
 * suite runs once per engine; the tests of one engine's behaviour are skipped on the other.
 */
class EngineTest {
    private static final String NOTICE = "asyncio-java: running on the thread engine";

    private static boolean onThreads() {
        return AsyncLoop.engine().equals("threads");
    }

    // ---------------------------------------------------------------- choosing the engine

    @Test
    void withoutTheJvmFlagTheThreadEngineRunsAndSaysOnceHowToGetTheFasterOne() throws Exception {
        try (ChildJvm child = ChildJvm.startWith(NoFlagProgram.class, List.of())) {
            assertEquals(0, child.waitFor(60));
            String out = child.output();
            assertTrue(out.contains("RAN on threads"), out);
            assertEquals(1, out.lines().filter(l -> l.contains(NOTICE)).count(), "one line, at the first loop only:\n" + out);
            assertTrue(out.contains("--add-exports java.base/jdk.internal.vm=ALL-UNNAMED"), out);
            assertTrue(!out.contains("IllegalAccessError"), out);
        }
    }

    @Test
    void theNoticeIsSilencedByChoosingTheThreadEngineOrByTheQuietProperty() throws Exception {
        for (String option : List.of("-Dasyncio.engine=threads", "-Dasyncio.engine.quiet=true")) {
            try (ChildJvm child = ChildJvm.startWith(NoFlagProgram.class, List.of(option))) {
                assertEquals(0, child.waitFor(60));
                assertTrue(child.output().contains("RAN on threads"), child.output());
                assertFalse(child.output().contains(NOTICE), option + ":\n" + child.output());
            }
        }
    }

    @Test
    void withTheJvmFlagTheContinuationEngineRunsSilently() throws Exception {
        try (ChildJvm child = ChildJvm.startWith(NoFlagProgram.class, List.of(ChildJvm.FLAG))) {
            assertEquals(0, child.waitFor(60));
            assertTrue(child.output().contains("RAN on continuation"), child.output());
            assertFalse(child.output().contains(NOTICE), child.output());
        }
    }

    @Test
    void theThreadEngineCanBeForcedWhereTheFlagIsGiven() throws Exception {
        try (ChildJvm child = ChildJvm.startWith(NoFlagProgram.class, List.of(ChildJvm.FLAG, "-Dasyncio.engine=threads"))) {
            assertEquals(0, child.waitFor(60));
            assertTrue(child.output().contains("RAN on threads"), child.output());
        }
    }

    @Test
    void forcingTheContinuationEngineWithoutTheFlagNamesTheFlagAndWhereToPutIt() throws Exception {
        try (ChildJvm child = ChildJvm.startWith(NoFlagProgram.class, List.of("-Dasyncio.engine=continuation"))) {
            assertEquals(0, child.waitFor(60));
            String out = child.output();
            assertTrue(out.contains("ERROR: asyncio-java's continuation engine (-Dasyncio.engine=continuation) needs the JVM option "
                    + "--add-exports java.base/jdk.internal.vm=ALL-UNNAMED"), out);
            assertTrue(out.contains("surefire argLine") && out.contains("Add-Exports"), out);
            assertTrue(!out.contains("IllegalAccessError"), "a clear message, not an access error:\n" + out);
        }
    }

    @Test
    void anUnknownEngineNameIsAClearError() throws Exception {
        try (ChildJvm child = ChildJvm.startWith(NoFlagProgram.class, List.of(ChildJvm.FLAG, "-Dasyncio.engine=fibers"))) {
            child.waitFor(60);
            String out = child.output();
            assertTrue(out.contains("-Dasyncio.engine=fibers names no engine: use continuation or threads"), out);
        }
    }

    // ---------------------------------------------------------------- suspensions inside class initializers

    @AsyncTest
    void continuationEngine_awaitingInsideAClassInitializerFailsWithAMessageNamingTheCause(AsyncLoop loop) {
        assumeTrue(!onThreads());
        Task<String> t = Asyncio.createTask(() -> dev.asyncio.programs.PinnedProgram.VALUE, "initializer");
        ExceptionInInitializerError e = assertThrows(ExceptionInInitializerError.class, t::await);
        IllegalStateException pinned = assertInstanceOf(IllegalStateException.class, e.getCause());
        String msg = pinned.getMessage();
        assertTrue(msg.contains("Cannot suspend the current task while it awaits"), msg);
        assertTrue(msg.contains("pinned: NATIVE") && msg.contains("class initializer"), msg);
        assertTrue(msg.contains("TimerHandle"), "names what was awaited: " + msg);
        Asyncio.sleep(2);
        assertEquals(2.0, loop.time(), "the failed sleep left no timer and no stray wake-up behind");
    }

    @AsyncTest(debug = false)
    void threadEngine_awaitingInsideAClassInitializerWorksWithTheTaskPinnedToItsCarrier(AsyncLoop loop) {
        assumeTrue(onThreads());
        Task<String> t = Asyncio.createTask(() -> dev.asyncio.programs.PinnedProgram.VALUE, "initializer");
        assertEquals("never", t.await(), "the initializer's sleep(1) returned and the class was initialised");
        assertEquals(1.0, loop.time());
    }

    @AsyncTest(debug = true)
    void threadEngine_inDebugModeAwaitingInsideAClassInitializerFailsWithAMessageNamingTheCause(AsyncLoop loop) {
        assumeTrue(onThreads());
        Task<String> t = Asyncio.createTask(() -> DebugInit.VALUE, "initializer");
        ExceptionInInitializerError e = assertThrows(ExceptionInInitializerError.class, t::await);
        IllegalStateException refused = assertInstanceOf(IllegalStateException.class, e.getCause());
        String msg = refused.getMessage();
        assertTrue(msg.contains("Cannot suspend the current task while it awaits") && msg.contains("TimerHandle"), msg);
        assertTrue(msg.contains("class initializer") && msg.contains("DebugInit.<clinit>"), msg);
        Asyncio.sleep(2);
        assertEquals(2.0, loop.time(), "the refused sleep left no timer and no stray wake-up behind");
    }

    /** A class whose initializer sleeps, for the debug-mode refusal of the thread engine. */
    static final class DebugInit {
        static final String VALUE;

        static {
            Asyncio.sleep(1);
            VALUE = "never";
        }
    }

    @AsyncTest
    void continuationEngine_aPinnedSleepZeroTakesBackItsScheduledStep() {
        assumeTrue(!onThreads());
        // sleep(0) schedules the task before trying to suspend: the failed attempt must not leave that step queued.
        Task<String> t = Asyncio.createTask(() -> {
            try {
                return Zero.VALUE;
            } catch (ExceptionInInitializerError e) {
                Asyncio.sleep(0);
                Asyncio.sleep(1);
                return "recovered";
            }
        });
        assertEquals("recovered", t.await());
    }

    /** A class whose initializer does sleep(0), which must fail cleanly. */
    static final class Zero {
        static final String VALUE;

        static {
            Asyncio.sleep(0);
            VALUE = "never";
        }
    }

    @Test
    void continuationEngine_aGeneratorYieldInsideAClassInitializerFailsClearly() {
        assumeTrue(!onThreads());
        Generator<String, Void, String> g = Generator.of(y -> {
            YielderHolder.yielder = y; // a separate class: assigning YieldInInitializer's field would initialise it
            return YieldInInitializer.VALUE;
        });
        ExceptionInInitializerError e = assertThrows(ExceptionInInitializerError.class, g::next);
        assertTrue(e.getCause().getMessage().contains("Cannot suspend the generator at its yield"), String.valueOf(e.getCause()));
        assertTrue(e.getCause().getMessage().contains("pinned: NATIVE"), String.valueOf(e.getCause()));
        assertEquals(Generator.State.CLOSED, g.state());
    }

    @Test
    void threadEngine_aGeneratorYieldInsideAClassInitializerWorksAndCloseEndsIt() {
        assumeTrue(onThreads());
        Generator<String, Void, String> g = Generator.of(y -> {
            YielderHolder.yielder = y;
            return YieldInInitializer.VALUE;
        });
        assertEquals("from <clinit>", g.next(), "the yield inside the initializer is not refused");
        // close() raises GeneratorExit (an Error) at that yield: it leaves the initializer unwrapped and ends the body
        g.close();
        assertEquals(Generator.State.CLOSED, g.state());
        assertThrows(NoClassDefFoundError.class, () -> YieldInInitializer.VALUE.length(), "the initializer failed");
    }

    static final class YielderHolder {
        static Yielder<String, Void> yielder;
    }

    static final class YieldInInitializer {
        static final String VALUE;

        static {
            YielderHolder.yielder.yield("from <clinit>");
            VALUE = "never";
        }
    }

    // ---------------------------------------------------------------- monitors

    @AsyncTest(debug = true)
    void continuationEngine_inDebugModeAwaitingWhileHoldingAMonitorFailsInsteadOfDeadlockingTheLoop() {
        assumeTrue(!onThreads());
        Object lock = new Object();
        Task<String> t = Asyncio.createTask(() -> {
            synchronized (lock) {
                Asyncio.sleep(1);
            }
            return "unreachable";
        }, "holder");
        IllegalStateException e = assertThrows(IllegalStateException.class, t::await);
        assertTrue(e.getMessage().contains("inside synchronized code holding"), e.getMessage());
        assertTrue(e.getMessage().contains("java.lang.Object@"), e.getMessage());
        assertFalse(Thread.holdsLock(lock), "the failing task left the synchronized block, releasing the monitor");
    }

    @AsyncTest(debug = true)
    void threadEngine_anAwaitHoldingAMonitorKeepsItOnTheTasksOwnThreadWhileOtherTasksRun() {
        assumeTrue(onThreads());
        Object lock = new Object();
        List<String> log = new ArrayList<>();
        Task<String> holder = Asyncio.createTask(() -> {
            synchronized (lock) {
                log.add("holder in");
                Asyncio.sleep(1); // not refused: a virtual thread may park holding a monitor
                log.add("holder out");
                return String.valueOf(Thread.holdsLock(lock));
            }
        }, "holder");
        Task<Void> other = Asyncio.createTask(() -> {
            Asyncio.sleep(0.5);
            log.add("other runs; holds the lock: " + Thread.holdsLock(lock));
        });
        assertEquals("true", holder.await());
        other.await();
        assertEquals(List.of("holder in", "other runs; holds the lock: false", "holder out"), log);
        assertFalse(Thread.holdsLock(lock));
    }

    // ---------------------------------------------------------------- threads, thread locals, stack traces

    private static final ThreadLocal<String> LOCAL = new ThreadLocal<>();

    @AsyncTest
    void threadLocalsAndCurrentThreadAreTheLoopThreadsOnTheContinuationEngineAndEachTasksOwnOnTheThreadEngine() {
        LOCAL.set("set by the test's task");
        Thread testThread = Thread.currentThread();
        Task<List<Object>> t = Asyncio.createTask(() -> {
            List<Object> seen = new ArrayList<>();
            seen.add(LOCAL.get());
            seen.add(Thread.currentThread());
            Asyncio.sleep(0);
            seen.add(Thread.currentThread());
            return seen;
        });
        List<Object> seen = t.await();
        LOCAL.remove();
        assertSame(seen.get(1), seen.get(2), "a task keeps its thread across suspensions");
        if (onThreads()) {
            assertEquals(null, seen.get(0), "each task has its own thread locals");
            assertNotSame(testThread, seen.get(1));
            assertTrue(((Thread) seen.get(1)).isVirtual());
        } else {
            assertEquals("set by the test's task", seen.get(0), "tasks share the loop thread's thread locals");
            assertSame(testThread, seen.get(1));
        }
    }

    @AsyncTest
    void aTasksExceptionShowsTheLoopFramesOnlyOnTheContinuationEngine() {
        Task<Void> t = Asyncio.createTask(() -> {
            throw new IllegalStateException("boom");
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, t::await);
        boolean loopFrames = Arrays.stream(e.getStackTrace()).anyMatch(f -> f.getMethodName().equals("runOnce"));
        assertTrue(Arrays.stream(e.getStackTrace()).anyMatch(f -> f.getClassName().startsWith(Task.class.getName() + "$Body")),
                Arrays.toString(e.getStackTrace()));
        assertEquals(!onThreads(), loopFrames, "the task's stack " + (onThreads() ? "starts on its own thread" : "runs on the loop's") + ": "
                + Arrays.toString(e.getStackTrace()));
    }

    @AsyncTest
    void theInterruptStatusSetByATaskStaysWithThatTaskOnTheThreadEngineOnly() {
        Task<Boolean> interrupter = Asyncio.createTask(() -> {
            Thread.currentThread().interrupt();
            Asyncio.sleep(1);
            return Thread.interrupted();
        });
        Task<Boolean> other = Asyncio.createTask(() -> {
            Asyncio.sleep(0.5);
            return Thread.interrupted();
        });
        boolean keptByInterrupter = interrupter.await();
        boolean seenByOther = other.await();
        if (onThreads()) {
            assertTrue(keptByInterrupter, "set before the suspension, still set after it");
            assertFalse(seenByOther);
        } else {
            assertTrue(seenByOther, "the loop thread's interrupt status is shared by all tasks");
            assertFalse(keptByInterrupter, "the other task cleared it");
        }
    }

    @AsyncTest
    void aGeneratorSuspendedInAnAwaitInsideATaskResumesWithTheTask(AsyncLoop loop) {
        Generator<Integer, Void, Void> g = Generator.of(y -> {
            for (int i = 0; i < 3; i++) {
                Asyncio.sleep(1); // suspends the task that runs next() and, with it, the generator
                y.yield(i);
            }
            return null;
        });
        Task<List<Integer>> t = Asyncio.createTask(() -> {
            List<Integer> got = new ArrayList<>();
            for (Integer i : g) {
                got.add(i);
            }
            return got;
        });
        Asyncio.sleep(1.5);
        assertEquals(Generator.State.RUNNING, g.state(), "suspended in the await inside its body");
        assertTrue(Arrays.stream(t.getStack()).anyMatch(f -> f.getClassName().contains("EngineTest")), Arrays.toString(t.getStack()));
        assertEquals(List.of(0, 1, 2), t.await());
        assertEquals(3.0, loop.time());
    }

    @Test
    void aLoopClosedWithAPendingTaskLetsGoOfIt_onTheThreadEngineByUnwindingItsThread() throws Exception {
        List<String> log = new ArrayList<>();
        Thread[] taskThread = new Thread[1];
        AsyncLoop loop = AsyncLoop.builder().virtualTime(true).build();
        List<java.util.Map<String, Object>> reports = new ArrayList<>();
        loop.setExceptionHandler((l, context) -> reports.add(context));
        loop.runUntilComplete(() -> {
            Asyncio.createTask(() -> {
                taskThread[0] = Thread.currentThread();
                try {
                    Asyncio.sleep(3600);
                } finally {
                    log.add("finally");
                }
            });
            Asyncio.sleep(0);
        });
        loop.close();
        assertEquals("Task was destroyed but it is pending!", reports.get(0).get("message"));
        if (onThreads()) {
            taskThread[0].join(10_000);
            assertFalse(taskThread[0].isAlive(), "the task's virtual thread ended");
            assertEquals(List.of("finally"), log, "its finally block ran as the stack unwound");
        } else {
            assertEquals(List.of(), log, "a pending continuation is dropped as it is: no finally block runs");
        }
    }

    @Test
    void aLoopClosedWithATaskSuspendedInsideAGeneratorLetsGoOfBoth() throws Exception {
        List<String> log = new ArrayList<>();
        Thread[] threads = new Thread[2];
        AsyncLoop loop = AsyncLoop.builder().virtualTime(true).build();
        loop.setExceptionHandler((l, context) -> log.add(String.valueOf(context.get("message"))));
        loop.runUntilComplete(() -> {
            Asyncio.createTask(() -> {
                threads[0] = Thread.currentThread();
                try (Generator<Integer, Void, Void> g = Generator.of(y -> {
                    threads[1] = Thread.currentThread();
                    try {
                        Asyncio.sleep(3600); // the task suspends here, inside the generator's body
                        y.yield(1);
                    } finally {
                        log.add("generator finally");
                    }
                    return null;
                })) {
                    g.next();
                } finally {
                    log.add("task finally");
                }
            });
            Asyncio.sleep(0);
        });
        loop.close();
        if (onThreads()) {
            for (Thread t : threads) {
                t.join(10_000);
                assertFalse(t.isAlive(), t + " ended");
            }
            assertEquals(List.of("Task was destroyed but it is pending!", "generator finally", "task finally"), log);
        } else {
            assertEquals(List.of("Task was destroyed but it is pending!"), log, "continuations are dropped as they are");
        }
    }
}
