package dev.asyncio;

import dev.asyncio.programs.ChildJvm;
import dev.asyncio.programs.SigintProgram;
import dev.asyncio.programs.SigintRelayProgram;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** asyncio.run and asyncio.Runner: CPython's test_runners. */
class RunnerTest {
    @Test
    void runReturnsTheResult() {
        assertEquals(42, Asyncio.run(() -> 42));
    }

    @Test
    void runRethrowsTheSameExceptionInstanceCheckedOnesIncluded() {
        IOException boom = new IOException("boom");
        Exception e = assertThrows(Exception.class, () -> Asyncio.run(() -> {
            Asyncio.sleep(0.001);
            throw boom;
        }));
        assertSame(boom, e);
    }

    @Test
    void runCancelsLeftoverTasksAndWaitsForTheirCleanup() {
        List<String> log = new ArrayList<>();
        Asyncio.run(() -> {
            Asyncio.createTask(() -> {
                try {
                    Asyncio.sleep(3600);
                } catch (CancelledError e) {
                    log.add("cancelled");
                    throw e;
                } finally {
                    Asyncio.sleep(0.001);
                    log.add("cleaned up");
                }
            });
            Asyncio.sleep(0);
            log.add("main done");
        });
        assertEquals(List.of("main done", "cancelled", "cleaned up"), log);
    }

    @Test
    void aLeftoverTaskFailingDuringShutdownIsReported() {
        List<Map<String, Object>> reports = new ArrayList<>();
        IllegalStateException boom = new IllegalStateException("failed while cancelled");
        try (Runner runner = new Runner(() -> {
            AsyncLoop loop = AsyncLoop.builder().virtualTime(true).build();
            loop.setExceptionHandler((l, c) -> reports.add(c));
            return loop;
        })) {
            runner.run(() -> {
                Asyncio.createTask(() -> {
                    try {
                        Asyncio.sleep(3600);
                    } finally {
                        throw boom;
                    }
                }, "bad loser");
                Asyncio.sleep(0);
            });
        }
        assertEquals(1, reports.size());
        assertEquals("unhandled exception during asyncio.run() shutdown", reports.get(0).get("message"));
        assertSame(boom, reports.get(0).get("exception"));
        assertEquals("bad loser", ((Task<?>) reports.get(0).get("task")).getName());
    }

    @Test
    void runInsideARunningLoopIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Asyncio.run(() -> Asyncio.run(() -> 1)));
        assertEquals("Runner.run() cannot be called from a running event loop", e.getMessage());
    }

    @Test
    void runnerKeepsOneLoopAndOneContextAcrossRuns() {
        ContextVar<String> v = new ContextVar<>("v", "unset");
        try (Runner runner = new Runner(() -> AsyncLoop.builder().virtualTime(true).build())) {
            AsyncLoop first = runner.run(() -> {
                v.set("set by the first run");
                Asyncio.sleep(5);
                return Asyncio.getRunningLoop();
            });
            assertSame(first, runner.getLoop());
            assertEquals("set by the first run", runner.run(() -> v.get()));
            assertEquals(5.0, runner.run(() -> Asyncio.getRunningLoop().time()));
        }
        assertEquals("unset", v.get(), "the runner's context is a copy: the caller's is untouched");
    }

    @Test
    void aClosedRunnerRefusesToRunAndClosesItsLoop() {
        Runner runner = new Runner();
        AsyncLoop loop = runner.getLoop();
        runner.close();
        runner.close();
        assertTrue(loop.isClosed());
        assertThrows(IllegalStateException.class, () -> runner.run(() -> 1));
    }

    @Test
    void runInDebugModeTurnsDebugOn() {
        assertTrue(Asyncio.run(() -> Asyncio.getRunningLoop().getDebug(), true));
        assertFalse(Asyncio.run(() -> Asyncio.getRunningLoop().getDebug(), false));
    }

    @Test
    void runShutsTheDefaultExecutorDownAfterWaitingForItsThreads() {
        List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        Asyncio.run(() -> {
            Asyncio.getRunningLoop().runInExecutor(null, () -> {
                Thread.sleep(100);
                log.add("blocking work finished");
                return null;
            });
            log.add("main done");
        });
        assertEquals(List.of("main done", "blocking work finished"), log,
                "the cancelled future does not stop the thread; run waits for it");
    }

    @Test
    void ctrlCCancelsTheMainTaskWhichCleansUpThenRunThrowsKeyboardInterrupt() throws Exception {
        try (ChildJvm child = ChildJvm.startReceiving(List.of("INT"), SigintProgram.class, true)) {
            child.awaitLine("READY", 60);
            child.signal("INT");
            assertEquals(3, child.waitFor(60), child.output());
            String out = child.output();
            assertTrue(out.contains("CANCELLED: interrupted by SIGINT (Ctrl-C)"), out);
            assertTrue(out.indexOf("CLEANED UP") < out.indexOf("KEYBOARD INTERRUPT"), out);
        }
    }

    @Test
    void aSecondCtrlCDuringCleanupExitsTheJvm() throws Exception {
        try (ChildJvm child = ChildJvm.startReceiving(List.of("INT"), SigintProgram.class, true, "30")) {
            child.awaitLine("READY", 60);
            child.signal("INT");
            child.awaitLine("CANCELLED", 30);
            child.signal("INT");
            assertEquals(130, child.waitFor(60), child.output());
            assertFalse(child.output().contains("CLEANED UP"), child.output());
        }
    }

    /**
     * A build started as a background job ({@code ./mvnw verify > build.log 2>&1 &}) runs with SIGINT ignored,
     * and a child JVM started from it inherits that: the Ctrl-C tests above then waited for a signal that never
     * came. Here a JVM started with SIGINT ignored runs what those tests run; its child still gets the signal.
     */
    @Test
    void ctrlCReachesTheChildEvenWhenTheBuildIgnoresSigint() throws Exception {
        try (ChildJvm relay = ChildJvm.startAsBackgroundJob(List.of(), SigintRelayProgram.class)) {
            assertEquals(0, relay.waitFor(120), relay.output() + "\n" + relay.errors());
            String out = relay.output();
            assertTrue(out.contains("IGNORED HERE: [INT]"), "the relay JVM ignores SIGINT, as a background job does:\n" + out);
            assertTrue(out.contains("KEYBOARD INTERRUPT") && out.contains("CHILD EXIT 3"), out);
        }
    }

    /**
     * AsyncLoop.create() honours -Ddev.asyncio.debug=true, but Asyncio.run(main) passes debug=false explicitly
     * (Asyncio.java:46, Runner.java:45), overriding it; asyncio.run(debug=None) keeps the global setting.
     */

    @Test
    void asyncioRunHonoursTheDebugSystemProperty() {
        String old = System.getProperty("dev.asyncio.debug");
        System.setProperty("dev.asyncio.debug", "true");
        try {
            assertTrue(Asyncio.run(() -> Asyncio.getRunningLoop().getDebug()));
        } finally {
            if (old == null) {
                System.clearProperty("dev.asyncio.debug");
            } else {
                System.setProperty("dev.asyncio.debug", old);
            }
        }
    }
}
