package dev.asyncio;

import dev.asyncio.programs.ChildJvm;
import dev.asyncio.programs.NoFlagProgram;
import dev.asyncio.test.AsyncTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The continuation engine's errors: the missing JVM flag and suspensions the JVM cannot perform. */
class EngineTest {
    @Test
    void withoutTheJvmFlagTheErrorNamesTheFlagAndWhereToPutIt() throws Exception {
        try (ChildJvm child = ChildJvm.start(NoFlagProgram.class, false)) {
            assertEquals(0, child.waitFor(60));
            String out = child.output();
            assertTrue(out.contains("ERROR: asyncio-java needs the JVM option --add-exports java.base/jdk.internal.vm=ALL-UNNAMED"), out);
            assertTrue(out.contains("surefire argLine") && out.contains("Add-Exports"), out);
            assertTrue(!out.contains("IllegalAccessError"), "a clear message, not an access error:\n" + out);
        }
    }

    @Test
    void withTheJvmFlagTheSameProgramRuns() throws Exception {
        try (ChildJvm child = ChildJvm.start(NoFlagProgram.class, true)) {
            assertEquals(0, child.waitFor(60));
            assertTrue(child.output().contains("RAN"), child.output());
        }
    }

    @AsyncTest
    void awaitingInsideAClassInitializerFailsWithAMessageNamingTheCause(AsyncLoop loop) {
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

    @AsyncTest
    void aPinnedSleepZeroTakesBackItsScheduledStep() {
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

    @AsyncTest(debug = true)
    void inDebugModeAwaitingWhileHoldingAMonitorFailsInsteadOfDeadlockingTheLoop() {
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

    @Test
    void aGeneratorYieldInsideAClassInitializerFailsClearly() {
        Generator<String, Void, String> g = Generator.of(y -> {
            YielderHolder.yielder = y; // a separate class: assigning YieldInInitializer's field would initialise it
            return YieldInInitializer.VALUE;
        });
        ExceptionInInitializerError e = assertThrows(ExceptionInInitializerError.class, g::next);
        assertTrue(e.getCause().getMessage().contains("Cannot suspend the generator at its yield"), String.valueOf(e.getCause()));
        assertTrue(e.getCause().getMessage().contains("pinned: NATIVE"), String.valueOf(e.getCause()));
        assertEquals(Generator.State.CLOSED, g.state());
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
}
