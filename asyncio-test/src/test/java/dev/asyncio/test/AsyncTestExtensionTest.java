package dev.asyncio.test;

import dev.asyncio.AsyncLoop;
import dev.asyncio.Asyncio;
import dev.asyncio.CancelledError;
import dev.asyncio.ContextVar;
import dev.asyncio.Future;
import dev.asyncio.Queue;
import dev.asyncio.Task;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

/**
 * The test kit's own tests: each fixture below is a small test class run through the Jupiter engine with
 * {@link EngineTestKit}; the tests here check that it passes, or fails with the message a user needs.
 * Fixtures are nested classes, which surefire does not run on its own.
 */
class AsyncTestExtensionTest {
    // ---------------------------------------------------------------- running fixtures

    /** Runs one fixture method and returns its outcome. */
    private static TestExecutionResult run(Class<?> fixture, String method) {
        Method m = Arrays.stream(fixture.getDeclaredMethods())
                .filter(candidate -> candidate.getName().equals(method))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no fixture method " + fixture.getSimpleName() + "." + method));
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(fixture, m))
                .execute();
        List<Event> finished = results.testEvents().finished().list();
        assertEquals(1, finished.size(), "one test of " + fixture.getSimpleName() + "." + method + " ran");
        return finished.get(0).getRequiredPayload(TestExecutionResult.class);
    }

    private static void assertPasses(Class<?> fixture, String method) {
        TestExecutionResult r = run(fixture, method);
        if (r.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
            throw new AssertionError(fixture.getSimpleName() + "." + method + " should pass but "
                    + r.getStatus(), r.getThrowable().orElse(null));
        }
    }

    /** The failure of a fixture method that must fail. */
    private static Throwable failureOf(Class<?> fixture, String method) {
        TestExecutionResult r = run(fixture, method);
        assertEquals(TestExecutionResult.Status.FAILED, r.getStatus(), fixture.getSimpleName() + "." + method + " should fail");
        show(r.getThrowable().orElseThrow());
        return r.getThrowable().orElseThrow();
    }

    /** The failure's message and those of everything suppressed in it, as one text. */
    private static String fullMessage(Throwable t) {
        StringBuilder sb = new StringBuilder(String.valueOf(t.getMessage()));
        for (Throwable s : t.getSuppressed()) {
            sb.append("\n--- suppressed: ").append(s.getMessage());
        }
        return sb.toString();
    }

    private static void assertContains(String text, String expected) {
        if (!text.contains(expected)) {
            fail("expected to find <" + expected + "> in:\n" + text);
        }
    }

    // ---------------------------------------------------------------- passing tests and parameters

    static class Passing {
        static final List<AsyncLoop> LOOPS = new ArrayList<>();

        @BeforeEach
        void outsideTheLoop() {
            assertNull(Asyncio.currentTask(), "@BeforeEach runs outside the loop");
        }

        @AsyncTest
        void sleepsOnVirtualTime(AsyncLoop loop) {
            assertTrue(loop.isVirtualTime());
            Asyncio.sleep(3600);
            assertEquals(3600.0, loop.time());
        }

        @AsyncTest
        void parametersResolve(AsyncLoop loop, OrderedSteps steps, TestInfo info) {
            assertSame(loop, Asyncio.getRunningLoop());
            assertEquals("parametersResolve(AsyncLoop, OrderedSteps, TestInfo)", info.getDisplayName());
            Task<?> self = Asyncio.currentTask();
            assertEquals("test parametersResolve", self.getName());
            steps.expect(1);
            Asyncio.createTask(() -> steps.expect(3));
            steps.expect(2);
            Asyncio.sleep(0);
            steps.finish(4);
        }

        @AsyncTest
        void debugIsOnByDefault(AsyncLoop loop) {
            assertTrue(loop.getDebug());
        }

        @AsyncTest(debug = false)
        void debugCanBeTurnedOff(AsyncLoop loop) {
            assertFalse(loop.getDebug());
        }

        @AsyncTest(realTime = true)
        void realTimeOptOut(AsyncLoop loop) {
            assertFalse(loop.isVirtualTime());
            double t0 = loop.time();
            long n0 = System.nanoTime();
            Asyncio.sleep(0.05);
            assertTrue(System.nanoTime() - n0 >= 50_000_000L, "a real sleep");
            assertTrue(loop.time() - t0 >= 0.05);
        }

        @AsyncTest
        void firstLoop(AsyncLoop loop) {
            LOOPS.add(loop);
        }

        @AsyncTest
        void tasksThatAreAwaitedOrCancelledAreFine() {
            Task<Integer> t = Asyncio.createTask(() -> {
                Asyncio.sleep(1);
                return 1;
            });
            Task<Void> forever = Asyncio.createTask(() -> Asyncio.sleep(Double.POSITIVE_INFINITY));
            assertEquals(1, t.await());
            forever.cancel();
            Asyncio.gather(true, forever);
        }

        @AsyncTest
        void aLeakFreeBufferIsFine() {
            ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer(16);
            b.writeInt(1);
            b.release();
        }
    }

    /** Prints what a user sees when a fixture fails (run with -Dkit.show=true to look at the reports). */
    private static void show(Throwable t) {
        if (Boolean.getBoolean("kit.show")) {
            t.printStackTrace(System.out);
        }
    }

    @Test
    void passingTestsPass() {
        for (String m : List.of("sleepsOnVirtualTime", "parametersResolve", "debugIsOnByDefault", "debugCanBeTurnedOff",
                "realTimeOptOut", "tasksThatAreAwaitedOrCancelledAreFine", "aLeakFreeBufferIsFine")) {
            assertPasses(Passing.class, m);
        }
    }

    @Test
    void everyTestGetsAFreshLoopClosedAfterwards() {
        Passing.LOOPS.clear();
        assertPasses(Passing.class, "firstLoop");
        assertPasses(Passing.class, "firstLoop");
        assertEquals(2, Passing.LOOPS.size());
        assertNotSame(Passing.LOOPS.get(0), Passing.LOOPS.get(1));
        assertTrue(Passing.LOOPS.get(0).isClosed());
        assertTrue(Passing.LOOPS.get(1).isClosed());
    }

    static class Misused {
        static final ContextVar<String> VAR = new ContextVar<>("var");
        private ContextVar.Token<String> token;

        @BeforeEach
        void setOnTheThread() {
            token = VAR.set("set outside the test");
        }

        @AfterEach
        void resetOnTheThread() {
            VAR.reset(token);
        }

        @AsyncTest(timeout = 0)
        void zeroTimeout() {
        }

        @Test
        @ExtendWith(AsyncTestExtension.class)
        void plainTestWithTheExtension() {
        }

        @AsyncTest
        void startsInAnEmptyContext() {
            assertNull(VAR.get(null));
        }
    }

    @Test
    void misuseIsReportedClearly() {
        assertEquals("@AsyncTest(timeout) must be a positive number of seconds, got 0.0",
                failureOf(Misused.class, "zeroTimeout").getMessage());
        assertEquals("AsyncTestExtension runs @AsyncTest methods only; annotate plainTestWithTheExtension with @AsyncTest",
                failureOf(Misused.class, "plainTestWithTheExtension").getMessage());
    }

    @Test
    void theTestStartsInAnEmptyContext() {
        assertPasses(Misused.class, "startsInAnEmptyContext");
    }

    // ---------------------------------------------------------------- the body's own failure

    static class Failing {
        static final IllegalStateException BOOM = new IllegalStateException("boom");

        @AsyncTest
        void throwsItsOwnException() {
            Asyncio.sleep(1);
            throw BOOM;
        }

        @AsyncTest
        void throwsACheckedException() throws Exception {
            Asyncio.sleep(1);
            throw new java.io.IOException("checked");
        }
    }

    @Test
    void theBodysExceptionIsTheFailureUnchanged() {
        assertSame(Failing.BOOM, failureOf(Failing.class, "throwsItsOwnException"));
        Throwable checked = failureOf(Failing.class, "throwsACheckedException");
        assertInstanceOf(java.io.IOException.class, checked);
        assertEquals("checked", checked.getMessage());
    }

    // ---------------------------------------------------------------- left-over tasks

    static class Leftovers {
        static void waitForever() {
            new Future<Void>().await();
        }

        @AsyncTest
        void leavesATaskRunning() {
            Asyncio.createTask(Leftovers::waitForever, "forgotten");
            Queue<String> q = new Queue<>();
            Asyncio.createTask(q::get, "reader");
            Asyncio.sleep(0);
        }

        @AsyncTest
        void leavesATaskThatRefusesToBeCancelled() {
            Asyncio.createTask(() -> {
                while (true) {
                    try {
                        Asyncio.sleep(1);
                    } catch (CancelledError e) {
                        // refuses to stop
                    }
                }
            }, "stubborn");
            Asyncio.sleep(0);
        }
    }

    @Test
    void leftOverTasksFailTheTestWithTheirNamesAndStacks() {
        String message = fullMessage(failureOf(Leftovers.class, "leavesATaskRunning"));
        assertContains(message, "The test ended while 2 task(s) were still running (now cancelled)");
        assertContains(message, "name='forgotten'");
        assertContains(message, "name='reader'");
        assertContains(message, "at dev.asyncio.test.AsyncTestExtensionTest$Leftovers.waitForever(AsyncTestExtensionTest.java:");
        assertContains(message, "at dev.asyncio.Queue.get(Queue.java:");
    }

    @Test
    void aLeftOverTaskThatSwallowsCancellationDoesNotHangTheRun() {
        String message = fullMessage(failureOf(Leftovers.class, "leavesATaskThatRefusesToBeCancelled"));
        assertContains(message, "name='stubborn'");
        assertContains(message, "did not stop when cancelled");
    }

    // ---------------------------------------------------------------- time-outs

    static class TimingOut {
        @AsyncTest(timeout = 0.5)
        void waitsForSomethingThatNeverHappens() {
            Queue<String> q = new Queue<>();
            Asyncio.createTask(() -> {
                q.get();
            }, "consumer");
            new Future<Void>().await();
        }

        @AsyncTest(timeout = 0.5)
        void swallowsTheTimeoutCancellation() {
            while (true) {
                try {
                    new Future<Void>().await();
                } catch (CancelledError e) {
                    // refuses to stop
                }
            }
        }

        @AsyncTest(timeout = 0.5)
        void blocksTheLoopThread() throws InterruptedException {
            Thread.sleep(60_000);
        }
    }

    @Test
    void aTimeoutNamesThePendingTasksAndWhereTheyWait() {
        Throwable failure = failureOf(TimingOut.class, "waitsForSomethingThatNeverHappens");
        String message = fullMessage(failure);
        assertContains(message, "Test timed out after 0.5 s of real time");
        assertContains(message, "name='test waitsForSomethingThatNeverHappens'");
        assertContains(message, "name='consumer'");
        assertContains(message, "at dev.asyncio.test.AsyncTestExtensionTest$TimingOut.waitsForSomethingThatNeverHappens(AsyncTestExtensionTest.java:");
        assertContains(message, "at dev.asyncio.Queue.get(Queue.java:");
    }

    @Test
    void aTestThatIgnoresTheTimeoutIsStoppedAnyway() {
        String message = fullMessage(failureOf(TimingOut.class, "swallowsTheTimeoutCancellation"));
        assertContains(message, "Test timed out after 0.5 s of real time");
        assertContains(message, "did not stop when cancelled");
    }

    @Test
    void aTestThatBlocksTheLoopThreadIsInterrupted() {
        String message = fullMessage(failureOf(TimingOut.class, "blocksTheLoopThread"));
        assertContains(message, "Test timed out after 0.5 s of real time");
        assertContains(message, "the loop thread is blocked");
        assertContains(message, "at dev.asyncio.test.AsyncTestExtensionTest$TimingOut.blocksTheLoopThread(AsyncTestExtensionTest.java:");
    }

    // ---------------------------------------------------------------- errors nobody received

    static class Unreceived {
        @AsyncTest
        void forgetsAFailedTask() {
            Asyncio.createTask(() -> {
                throw new IllegalStateException("nobody looked at me");
            }, "failing");
            Asyncio.sleep(0);
            Asyncio.sleep(0);
        }

        @AsyncTest
        void aCallbackThrows(AsyncLoop loop) {
            loop.callSoon(() -> {
                throw new IllegalArgumentException("thrown in a callback");
            });
            Asyncio.sleep(0);
        }

        @AsyncTest
        void handlesItsOwnErrors(AsyncLoop loop) {
            List<Object> seen = new ArrayList<>();
            loop.setExceptionHandler((l, context) -> seen.add(context.get("exception")));
            loop.callSoon(() -> {
                throw new IllegalArgumentException("expected by the test");
            });
            Asyncio.sleep(0);
            assertEquals(1, seen.size());
        }
    }

    @Test
    void aTaskExceptionNeverRetrievedFailsTheTest() {
        Throwable failure = failureOf(Unreceived.class, "forgetsAFailedTask");
        assertContains(failure.getMessage(), "The loop reported an error nobody received: Task exception was never retrieved");
        assertContains(failure.getMessage(), "name='failing'");
        assertInstanceOf(IllegalStateException.class, failure.getCause());
        assertEquals("nobody looked at me", failure.getCause().getMessage());
    }

    @Test
    void anExceptionInACallbackFailsTheTest() {
        Throwable failure = failureOf(Unreceived.class, "aCallbackThrows");
        assertContains(failure.getMessage(), "The loop reported an error nobody received: Exception in callback");
        assertEquals("thrown in a callback", failure.getCause().getMessage());
    }

    @Test
    void aTestWithItsOwnExceptionHandlerPasses() {
        assertPasses(Unreceived.class, "handlesItsOwnErrors");
    }

    // ---------------------------------------------------------------- leaked buffers

    static class Leaking {
        private static void allocateAndDrop() {
            ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer(64);
            b.writeLong(42);
        }

        @AsyncTest
        void leaksABuffer() {
            allocateAndDrop();
            Asyncio.sleep(0);
        }
    }

    @Test
    void aLeakedBufferFailsTheTest() {
        Throwable failure = failureOf(Leaking.class, "leaksABuffer");
        assertContains(fullMessage(failure), "LEAK: ByteBuf.release() was not called before it was garbage-collected.");
    }

    // ---------------------------------------------------------------- ordered steps

    static class Steps {
        @AsyncTest
        void outOfOrder(OrderedSteps steps) {
            steps.expect(1);
            steps.expect(3);
        }

        @AsyncTest
        void outOfOrderInATaskWhoseErrorIsSwallowed(OrderedSteps steps) {
            steps.expect(1);
            Task<Void> t = Asyncio.createTask(() -> {
                try {
                    steps.expect(5);
                } catch (AssertionError swallowed) {
                    // the kit still knows
                }
            });
            t.await();
            steps.finish(2);
        }

        @AsyncTest
        void neverFinished(OrderedSteps steps) {
            steps.expect(1);
            steps.expect(2);
        }

        @AsyncTest
        void afterFinish(OrderedSteps steps) {
            steps.finish(1);
            steps.expect(2);
        }

        @AsyncTest
        void unreached(OrderedSteps steps) {
            steps.expect(1);
            steps.expectUnreached();
        }

        @AsyncTest
        void inOrder(OrderedSteps steps) {
            steps.expect(1);
            Task<Void> t = Asyncio.createTask(() -> steps.expect(3));
            steps.expect(2);
            t.await();
            steps.finish(4);
        }
    }

    @Test
    void orderedStepsFailOutOfOrderOrUnfinished() {
        assertEquals("Expected step 2 next, but step 3 happened", failureOf(Steps.class, "outOfOrder").getMessage());
        assertEquals("Expected step 2 next, but step 5 happened",
                failureOf(Steps.class, "outOfOrderInATaskWhoseErrorIsSwallowed").getMessage());
        assertEquals("finish() was never reached; last step was 2", failureOf(Steps.class, "neverFinished").getMessage());
        assertEquals("Step 2 happened after finish(1)", failureOf(Steps.class, "afterFinish").getMessage());
        assertEquals("This line should not be reached (last step was 1)", failureOf(Steps.class, "unreached").getMessage());
        assertPasses(Steps.class, "inOrder");
    }
}
